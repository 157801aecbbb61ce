/* dangwu serve: live reload and build problems. Injected by the development
   server only, never part of a built site. ES5, for older browsers; does
   nothing where EventSource is missing. */
(function () {
  'use strict';
  if (!window.EventSource || !window.JSON || !document.addEventListener) {
    return;
  }
  var scripts = document.getElementsByTagName('script');
  var self = scripts[scripts.length - 1];
  var events = self.src.replace(/livereload\.js(\?.*)?$/, 'events');
  var scrollKey = 'dangwu-scroll:' + location.pathname;
  var overlay = null;

  function decode(p) {
    try { return decodeURIComponent(p); } catch (e) { return p; }
  }

  // Put the page back where the reader was before a reload.
  function restoreScroll() {
    var y = null;
    try {
      y = window.sessionStorage.getItem(scrollKey);
      window.sessionStorage.removeItem(scrollKey);
    } catch (e) {}
    if (y !== null) {
      window.scrollTo(0, parseInt(y, 10) || 0);
    }
  }

  function reload() {
    try {
      window.sessionStorage.setItem(scrollKey, String(window.pageYOffset || document.documentElement.scrollTop || 0));
    } catch (e) {}
    window.location.reload();
  }

  // A page's own URL, or a file it may use (style sheets, scripts, images).
  function affects(change) {
    if (change.all) {
      return true;
    }
    var here = decode(location.pathname);
    var paths = change.paths || [];
    for (var i = 0; i < paths.length; i++) {
      var p = paths[i];
      if (p === here || p + 'index.html' === here) {
        return true;
      }
      if (!/\/$/.test(p) && !/\.(html|xml|json|txt|ics)$/.test(p)) {
        return true;
      }
    }
    return false;
  }

  function hideProblems() {
    if (overlay && overlay.parentNode) {
      overlay.parentNode.removeChild(overlay);
    }
    overlay = null;
  }

  function showProblems(problems) {
    hideProblems();
    overlay = document.createElement('div');
    overlay.setAttribute('role', 'alert');
    overlay.style.cssText = 'position:fixed;z-index:2147483647;left:0;right:0;top:0;max-height:70%;overflow:auto;' +
      'background:#fff8f6;color:#222;border-bottom:4px solid #c8102e;box-shadow:0 2px 12px rgba(0,0,0,.3);' +
      'font:14px/1.6 monospace;padding:12px 16px;text-align:left';
    var close = document.createElement('button');
    close.type = 'button';
    close.appendChild(document.createTextNode('×'));
    close.setAttribute('aria-label', '暂时关闭');
    close.style.cssText = 'float:right;font-size:20px;line-height:1;background:none;border:0;cursor:pointer';
    close.onclick = hideProblems;
    overlay.appendChild(close);
    var title = document.createElement('strong');
    title.style.cssText = 'display:block;color:#c8102e;font-size:16px;margin-bottom:6px';
    title.appendChild(document.createTextNode('网站生成失败：共 ' + problems.length + ' 个问题。浏览器中仍是上次成功的版本，改正后自动刷新。'));
    overlay.appendChild(title);
    for (var i = 0; i < problems.length; i++) {
      var line = document.createElement('div');
      line.style.cssText = 'white-space:pre-wrap;word-break:break-all;border-top:1px solid #f0d0d0;padding:2px 0';
      line.appendChild(document.createTextNode(problems[i]));
      overlay.appendChild(line);
    }
    (document.body || document.documentElement).appendChild(overlay);
  }

  function parse(e) {
    try { return JSON.parse(e.data); } catch (err) { return {}; }
  }

  var source = null;

  function connect() {
    if (source) {
      return;
    }
    source = new window.EventSource(events);
    source.addEventListener('reload', function (e) {
      if (affects(parse(e))) {
        reload();
      }
    }, false);
    source.addEventListener('problems', function (e) {
      showProblems(parse(e).problems || []);
    }, false);
    source.addEventListener('ok', hideProblems, false);
  }

  // A page left for another keeps no stream open: in the back/forward
  // cache it would hold one of the browser's six connections to the
  // server, and the seventh page would hang. Back again, it reconnects.
  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }

  function start() {
    restoreScroll();
    connect();
  }

  window.addEventListener('pagehide', disconnect, false);
  window.addEventListener('pageshow', function (e) {
    if (e.persisted) {
      connect();
    }
  }, false);
  if (document.readyState === 'complete') {
    start();
  } else {
    window.addEventListener('load', start, false);
  }
})();
