/*
 * 站内搜索（离线可用）。
 *
 * 读取构建时生成的 search.json：{"pages":[{"t":标题,"u":网址,"c":栏目,"d":日期,"b":正文纯文本}]}，
 * 按空白拆分关键词，保留标题或正文包含全部关键词的页面（子串匹配，因此“党费”这样的
 * 两字中文词也能检索到），标题命中排在正文命中之前，再按出现次数排序。
 *
 * 只用 ES5（var、function、XMLHttpRequest），兼容 IE11 等旧版浏览器。
 * 页面文字一律用 createTextNode 写入，绝不使用 innerHTML。
 * 纯函数 search 和 snippet 也可在 Node 中运行（见 search_test.js）。
 */
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var SNIPPET_LENGTH = 80;

  /*
   * fold 统一大小写和全角拉丁字符，且不改变字符串长度，
   * 以便在折叠后的文本中找到的位置可以直接用于原文。
   */
  function fold(s) {
    s = s == null ? "" : String(s);
    var out = [];
    var i, c;
    for (i = 0; i < s.length; i++) {
      c = s.charCodeAt(i);
      if (c >= 0xFF01 && c <= 0xFF5E) {
        c = c - 0xFEE0; // 全角 ASCII → 半角
      }
      if ((c >= 65 && c <= 90) || (c >= 0xC0 && c <= 0xDE && c !== 0xD7)) {
        c = c + 32; // 拉丁大写 → 小写
      }
      out.push(String.fromCharCode(c));
    }
    return out.join("");
  }

  /* terms 把查询按空白（含全角空格）拆成去重后的关键词，已折叠。 */
  function terms(query) {
    var parts = fold(query).split(/[\s\u3000]+/);
    var out = [];
    var seen = {};
    var i, p;
    for (i = 0; i < parts.length; i++) {
      p = parts[i];
      if (p && !Object.prototype.hasOwnProperty.call(seen, p)) {
        seen[p] = true;
        out.push(p);
      }
    }
    return out;
  }

  function count(hay, needle) {
    var n = 0;
    var i = hay.indexOf(needle);
    while (i !== -1) {
      n++;
      i = hay.indexOf(needle, i + needle.length);
    }
    return n;
  }

  /*
   * search 返回匹配的页面，按相关度排序，最多 limit 条（默认 50）。
   * 每条结果：{page: 原始条目, titleHits: 标题命中次数, bodyHits: 正文命中次数,
   * titleTerms: 标题中出现的关键词个数}。query 可以是字符串或已拆好的关键词数组。
   */
  function search(pages, query, limit) {
    var ts = typeof query === "string" ? terms(query) : terms((query || []).join(" "));
    var results = [];
    var i, j, p, title, body, ct, cb, ok, r;
    if (!ts.length || !pages) {
      return results;
    }
    for (i = 0; i < pages.length; i++) {
      p = pages[i];
      if (!p) {
        continue;
      }
      title = fold(p.t);
      body = fold(p.b);
      r = {page: p, titleHits: 0, bodyHits: 0, titleTerms: 0, order: i};
      ok = true;
      for (j = 0; j < ts.length; j++) {
        ct = count(title, ts[j]);
        cb = count(body, ts[j]);
        if (ct === 0 && cb === 0) {
          ok = false;
          break;
        }
        if (ct > 0) {
          r.titleTerms++;
        }
        r.titleHits += ct;
        r.bodyHits += cb;
      }
      if (ok) {
        results.push(r);
      }
    }
    results.sort(function (a, b) {
      if (a.titleTerms !== b.titleTerms) {
        return b.titleTerms - a.titleTerms;
      }
      if (a.titleHits !== b.titleHits) {
        return b.titleHits - a.titleHits;
      }
      if (a.bodyHits !== b.bodyHits) {
        return b.bodyHits - a.bodyHits;
      }
      var da = String(a.page.d || "");
      var db = String(b.page.d || "");
      if (da !== db) {
        return da < db ? 1 : -1;
      }
      return a.order - b.order;
    });
    return results.slice(0, limit > 0 ? limit : MAX_RESULTS);
  }

  /*
   * highlight 把 text 切成片段数组 [{text: "…", hit: true|false}]，
   * 关键词的每次出现都是一个 hit 片段。
   */
  function highlight(text, ts) {
    text = text == null ? "" : String(text);
    var folded = fold(text);
    var parts = [];
    var pos = 0;
    var best, bestLen, i, k;
    for (;;) {
      best = -1;
      bestLen = 0;
      for (i = 0; i < ts.length; i++) {
        k = folded.indexOf(ts[i], pos);
        if (k !== -1 && (best === -1 || k < best || (k === best && ts[i].length > bestLen))) {
          best = k;
          bestLen = ts[i].length;
        }
      }
      if (best === -1) {
        break;
      }
      if (best > pos) {
        parts.push({text: text.substring(pos, best), hit: false});
      }
      parts.push({text: text.substring(best, best + bestLen), hit: true});
      pos = best + bestLen;
    }
    if (pos < text.length) {
      parts.push({text: text.substring(pos), hit: false});
    }
    return parts;
  }

  /*
   * snippet 取正文中第一个命中处前后约 size（默认 80）个字符，
   * 返回片段数组 [{text, hit}]，截断处加省略号。没有命中时取正文开头。
   */
  function snippet(text, query, size) {
    text = text == null ? "" : String(text).replace(/\s+/g, " ");
    size = size > 0 ? size : SNIPPET_LENGTH;
    var ts = typeof query === "string" ? terms(query) : terms((query || []).join(" "));
    var folded = fold(text);
    var first = -1;
    var i, k, start, end, parts;
    for (i = 0; i < ts.length; i++) {
      k = folded.indexOf(ts[i]);
      if (k !== -1 && (first === -1 || k < first)) {
        first = k;
      }
    }
    if (first === -1) {
      start = 0;
    } else {
      start = Math.max(0, first - Math.floor(size / 3));
    }
    end = Math.min(text.length, start + size);
    if (end - start < size) {
      start = Math.max(0, end - size);
    }
    // 不把代理对（如生僻字、表情）从中间切开。
    if (start > 0 && isLowSurrogate(text.charCodeAt(start))) {
      start--;
    }
    if (end < text.length && isLowSurrogate(text.charCodeAt(end))) {
      end++;
    }
    parts = highlight(text.substring(start, end), ts);
    if (start > 0) {
      parts.unshift({text: "…", hit: false});
    }
    if (end < text.length) {
      parts.push({text: "…", hit: false});
    }
    return parts;
  }

  function isLowSurrogate(c) {
    return c >= 0xDC00 && c <= 0xDFFF;
  }

  /* ---------- 以下仅在浏览器中运行 ---------- */

  function queryParam(name) {
    var s = window.location.search.replace(/^\?/, "");
    var pairs = s ? s.split("&") : [];
    var i, kv, v;
    for (i = 0; i < pairs.length; i++) {
      kv = pairs[i].split("=");
      if (kv[0] === name) {
        v = (kv.slice(1).join("=") || "").replace(/\+/g, " ");
        try {
          return decodeURIComponent(v);
        } catch (e) {
          return v;
        }
      }
    }
    return "";
  }

  function clear(el) {
    while (el.firstChild) {
      el.removeChild(el.firstChild);
    }
  }

  function text(s) {
    return document.createTextNode(s == null ? "" : String(s));
  }

  function el(tag, className) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    return e;
  }

  function appendParts(parent, parts) {
    var i, m;
    for (i = 0; i < parts.length; i++) {
      if (parts[i].hit) {
        m = el("mark");
        m.appendChild(text(parts[i].text));
        parent.appendChild(m);
      } else {
        parent.appendChild(text(parts[i].text));
      }
    }
  }

  function setStatus(box, parts) {
    var i, s;
    clear(box);
    for (i = 0; i < parts.length; i++) {
      if (typeof parts[i] === "string") {
        box.appendChild(text(parts[i]));
      } else {
        s = el("strong");
        s.appendChild(text(parts[i].strong));
        box.appendChild(s);
      }
    }
  }

  function safeURL(u) {
    u = String(u || "");
    // 索引里只应有站内地址；其他协议一律不作为链接。
    if (/^(\/|https?:\/\/|\.)/i.test(u) || !/^[a-z][a-z0-9+.\-]*:/i.test(u)) {
      return u;
    }
    return "#";
  }

  function render(statusBox, list, pages, query) {
    var all = search(pages, query, pages.length + 1);
    var results = all.slice(0, MAX_RESULTS);
    var total = all.length;
    var ts = terms(query);
    var ol, i, r, li, h, a, meta, p, date;
    clear(list);
    if (!results.length) {
      setStatus(statusBox, ["未找到与“", {strong: query}, "”相关的内容。请尝试更换或减少关键词。"]);
      return;
    }
    if (total > results.length) {
      setStatus(statusBox, ["共找到", {strong: String(total)}, "条结果，显示前" + results.length + "条。"]);
    } else {
      setStatus(statusBox, ["共找到", {strong: String(total)}, "条结果"]);
    }
    ol = el("ol", "search-list");
    for (i = 0; i < results.length; i++) {
      r = results[i].page;
      li = el("li", "search-item");
      h = el("h2", "search-item-title");
      a = el("a");
      a.setAttribute("href", safeURL(r.u));
      appendParts(a, highlight(r.t || r.u, ts));
      h.appendChild(a);
      li.appendChild(h);
      meta = el("p", "search-item-meta");
      if (r.c) {
        meta.appendChild(text(r.c));
      }
      if (r.d) {
        if (r.c) {
          meta.appendChild(text(" · "));
        }
        date = el("time");
        date.setAttribute("datetime", String(r.d));
        date.appendChild(text(r.d));
        meta.appendChild(date);
      }
      li.appendChild(meta);
      if (r.b) {
        p = el("p", "search-item-snippet");
        appendParts(p, snippet(r.b, ts));
        li.appendChild(p);
      }
      ol.appendChild(li);
    }
    list.appendChild(ol);
  }

  function load(url, done, fail) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url, true);
    xhr.onreadystatechange = function () {
      var data;
      if (xhr.readyState !== 4) {
        return;
      }
      // status 0：以 file:// 打开的本地副本。
      if ((xhr.status >= 200 && xhr.status < 300) || (xhr.status === 0 && xhr.responseText)) {
        try {
          data = JSON.parse(xhr.responseText);
        } catch (e) {
          fail();
          return;
        }
        done(data && data.pages ? data.pages : []);
      } else {
        fail();
      }
    };
    xhr.send(null);
  }

  function init() {
    var list = document.getElementById("search-results");
    var statusBox = document.getElementById("search-status");
    var input = document.getElementById("search-q");
    var header = document.getElementById("site-search-q");
    var query, trimmed;
    if (!list || !statusBox) {
      return;
    }
    query = queryParam("q");
    trimmed = query.replace(/^[\s\u3000]+|[\s\u3000]+$/g, "");
    if (input) {
      input.value = query;
    }
    if (header) {
      header.value = query;
    }
    if (!trimmed) {
      setStatus(statusBox, ["请输入关键词后点击“搜索”。"]);
      if (input) {
        input.focus();
      }
      return;
    }
    document.title = "“" + trimmed + "”的搜索结果 - " + document.title;
    setStatus(statusBox, ["正在搜索……"]);
    load(list.getAttribute("data-index"), function (pages) {
      render(statusBox, list, pages, trimmed);
    }, function () {
      setStatus(statusBox, ["搜索索引加载失败，请稍后重试，或通过网站栏目浏览内容。"]);
    });
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init, false);
    } else {
      init();
    }
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = {search: search, snippet: snippet, highlight: highlight, terms: terms, fold: fold};
  }
})();
