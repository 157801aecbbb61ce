/*
 * 站内搜索（离线可用）。
 *
 * 读取构建时生成的分片索引（格式见 generator/output/search.go）：
 *   search/index.json   清单 {"v":1,"id":…,"shards":S,"chunk":C,"docs":N}
 *   search/s/<k>.json   分片：{"词元":"倒排表"}，词元的 FNV-1a（32 位，UTF-8）除以 S 的余数为 k
 *   search/d/<j>.json   第 j 组页面（每组 C 个）：[[标题,网址,栏目,日期,正文开头],…]
 * 只下载查询用到的分片，以及当前显示的结果所在的页面组，一万页的网站一次查询也只有几十 KB。
 *
 * 词元与构建时相同：中文按相邻两字（“党费”就是一个词元），拉丁字母和数字按词，不区分大小写和全角半角。
 * 多个关键词用空白分开，页面须包含全部关键词；标题命中的关键词多者在前，再按标题命中次数、
 * 正文命中次数，最后按日期（新的在前）。
 *
 * 只用 ES5（var、function、XMLHttpRequest），兼容 IE11 等旧版浏览器。
 * 页面文字一律用 createTextNode 写入，绝不使用 innerHTML。
 * 纯函数也可在 Node 中运行（见 search_test.js）。
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10;
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

  function isCJK(c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF);
  }

  function isWord(c) {
    return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 0xC0 && c <= 0x24F && c !== 0xD7 && c !== 0xF7);
  }

  /* tokens 返回文本的词元（相邻两个汉字、拉丁词），顺序不变，可重复。 */
  function tokens(text) {
    var s = fold(text);
    var out = [];
    var word = "";
    var prev = -1;
    var i, c;
    for (i = 0; i < s.length; i++) {
      c = s.charCodeAt(i);
      if (isCJK(c)) {
        if (word) {
          out.push(word);
          word = "";
        }
        if (prev >= 0) {
          out.push(String.fromCharCode(prev, c));
        }
        prev = c;
      } else if (isWord(c)) {
        prev = -1;
        word += s.charAt(i);
      } else {
        prev = -1;
        if (word) {
          out.push(word);
          word = "";
        }
      }
    }
    if (word) {
      out.push(word);
    }
    return out;
  }

  function unique(list) {
    var out = [];
    var seen = {};
    var i;
    for (i = 0; i < list.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(seen, list[i])) {
        seen[list[i]] = true;
        out.push(list[i]);
      }
    }
    return out;
  }

  /* hash 是词元 UTF-8 字节的 FNV-1a（32 位）。词元只含基本多文种平面的字符。 */
  function hash(tok) {
    var h = 2166136261;
    var i, c, bytes, j;
    for (i = 0; i < tok.length; i++) {
      c = tok.charCodeAt(i);
      if (c < 0x80) {
        bytes = [c];
      } else if (c < 0x800) {
        bytes = [0xC0 | (c >> 6), 0x80 | (c & 63)];
      } else {
        bytes = [0xE0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
      }
      for (j = 0; j < bytes.length; j++) {
        h = (h ^ bytes[j]) >>> 0;
        // h * 16777619 取模 2^32：16777619 = 2^24 + 403，分开乘以免超出精确整数范围。
        h = (h * 403 + ((h << 24) >>> 0)) % 4294967296;
      }
    }
    return h;
  }

  /* decode 解开倒排表："差,差/正文次数/标题次数"（36 进制）→ {页号: [正文次数, 标题次数]}。 */
  function decode(str) {
    var out = {};
    var items = str ? String(str).split(",") : [];
    var doc = -1;
    var i, f;
    for (i = 0; i < items.length; i++) {
      f = items[i].split("/");
      doc += parseInt(f[0], 36);
      out[doc] = [f.length > 1 ? parseInt(f[1], 36) : 1, f.length > 2 ? parseInt(f[2], 36) : 0];
    }
    return out;
  }

  /*
   * plan 把查询变成关键词及其词元：[{term, tokens}]。
   * 没有词元的关键词（单个汉字、标点）不参与检索，列在 skipped 中。
   */
  function plan(query) {
    var ts = typeof query === "string" ? terms(query) : terms((query || []).join(" "));
    var out = {terms: [], skipped: []};
    var i, toks;
    for (i = 0; i < ts.length; i++) {
      toks = unique(tokens(ts[i]));
      if (toks.length) {
        out.terms.push({term: ts[i], tokens: toks});
      } else {
        out.skipped.push(ts[i]);
      }
    }
    return out;
  }

  /*
   * rank 由每个词元的倒排表（lookup(词元) 返回 decode 的结果，没有时返回 null）算出结果：
   * [{doc, titleHits, bodyHits, titleTerms}]，已排序。一个关键词有多个词元时，
   * 页面须包含全部词元，命中次数取各词元中最少的。
   */
  function rank(p, lookup) {
    var acc = null;
    var i, j, k, t, lists, list, doc, b, ti, r, next, inAll;
    for (i = 0; i < p.terms.length; i++) {
      t = p.terms[i];
      lists = [];
      for (j = 0; j < t.tokens.length; j++) {
        list = lookup(t.tokens[j]);
        if (!list) {
          return [];
        }
        lists.push(list);
      }
      next = {};
      for (doc in lists[0]) {
        if (!Object.prototype.hasOwnProperty.call(lists[0], doc)) {
          continue;
        }
        if (acc && !Object.prototype.hasOwnProperty.call(acc, doc)) {
          continue;
        }
        b = lists[0][doc][0];
        ti = lists[0][doc][1];
        inAll = true;
        for (k = 1; k < lists.length; k++) {
          if (!Object.prototype.hasOwnProperty.call(lists[k], doc)) {
            inAll = false;
            break;
          }
          b = Math.min(b, lists[k][doc][0]);
          ti = Math.min(ti, lists[k][doc][1]);
        }
        // 词元分散在标题和正文里的，不算包含这个关键词。
        if (!inAll || (b === 0 && ti === 0)) {
          continue;
        }
        r = acc ? acc[doc] : {doc: +doc, titleHits: 0, bodyHits: 0, titleTerms: 0};
        r.titleHits += ti;
        r.bodyHits += b;
        if (ti > 0) {
          r.titleTerms++;
        }
        next[doc] = r;
      }
      acc = next;
    }
    var out = [];
    for (doc in acc) {
      if (Object.prototype.hasOwnProperty.call(acc, doc)) {
        out.push(acc[doc]);
      }
    }
    out.sort(function (x, y) {
      if (x.titleTerms !== y.titleTerms) {
        return y.titleTerms - x.titleTerms;
      }
      if (x.titleHits !== y.titleHits) {
        return y.titleHits - x.titleHits;
      }
      if (x.bodyHits !== y.bodyHits) {
        return y.bodyHits - x.bodyHits;
      }
      return x.doc - y.doc; // 页号按日期从新到旧编排
    });
    return out;
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
   * snippet 取文本中第一个命中处前后约 size（默认 80）个字符，
   * 返回片段数组 [{text, hit}]，截断处加省略号。没有命中时取开头。
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

  /*
   * Index 读取分片索引。get(url, ok, fail) 取回并解析一个 JSON 文件（浏览器里用 XMLHttpRequest，
   * 测试里读文件）；base 是 index.json 所在的目录（以 / 结尾）。每个文件只取一次。
   */
  function Index(base, get) {
    this.base = base;
    this.get = get;
    this.files = {};
    this.manifest = null;
  }

  Index.prototype.file = function (rel, ok, fail) {
    var self = this;
    var f = self.files[rel];
    var url;
    if (!f) {
      f = self.files[rel] = {waiting: [], data: null, failed: false};
      url = self.base + rel + (self.manifest && self.manifest.id ? "?v=" + self.manifest.id : "");
      self.get(url, function (data) {
        var w = f.waiting;
        f.data = data;
        f.waiting = null;
        for (var i = 0; i < w.length; i++) {
          w[i].ok(data);
        }
      }, function () {
        var w = f.waiting;
        f.failed = true;
        delete self.files[rel];
        for (var i = 0; i < w.length; i++) {
          w[i].fail();
        }
      });
    }
    if (f.waiting) {
      f.waiting.push({ok: ok, fail: fail});
    } else {
      ok(f.data);
    }
  };

  /* all 取回 rels 中的每个文件，全部到齐后调用 ok({rel: data})。 */
  Index.prototype.all = function (rels, ok, fail) {
    var self = this;
    var got = {};
    var left = rels.length;
    var failed = false;
    var i;
    if (!left) {
      ok(got);
      return;
    }
    for (i = 0; i < rels.length; i++) {
      (function (rel) {
        self.file(rel, function (data) {
          got[rel] = data;
          left--;
          if (!left && !failed) {
            ok(got);
          }
        }, function () {
          if (!failed) {
            failed = true;
            fail();
          }
        });
      })(rels[i]);
    }
  };

  /* search 查询并排序，调用 ok(results, plan)；results 同 rank。 */
  Index.prototype.search = function (query, ok, fail) {
    var self = this;
    var p = plan(query);
    self.file("index.json", function (m) {
      var shards = {};
      var rels = [];
      var i, j, rel;
      self.manifest = m;
      for (i = 0; i < p.terms.length; i++) {
        for (j = 0; j < p.terms[i].tokens.length; j++) {
          rel = "s/" + (hash(p.terms[i].tokens[j]) % m.shards) + ".json";
          if (!shards[rel]) {
            shards[rel] = true;
            rels.push(rel);
          }
        }
      }
      self.all(rels, function (got) {
        ok(rank(p, function (tok) {
          var shard = got["s/" + (hash(tok) % m.shards) + ".json"];
          return shard && Object.prototype.hasOwnProperty.call(shard, tok) ? decode(shard[tok]) : null;
        }), p);
      }, fail);
    }, fail);
  };

  /* docs 取回结果所在的页面组，调用 ok([{t,u,c,d,b}])，与 results 一一对应。 */
  Index.prototype.docs = function (results, ok, fail) {
    var chunk = this.manifest.chunk;
    var rels = [];
    var seen = {};
    var i, rel;
    for (i = 0; i < results.length; i++) {
      rel = "d/" + Math.floor(results[i].doc / chunk) + ".json";
      if (!seen[rel]) {
        seen[rel] = true;
        rels.push(rel);
      }
    }
    this.all(rels, function (got) {
      var out = [];
      var r, row;
      for (i = 0; i < results.length; i++) {
        r = results[i];
        row = got["d/" + Math.floor(r.doc / chunk) + ".json"][r.doc % chunk] || [];
        out.push({t: row[0], u: row[1], c: row[2], d: row[3], b: row[4]});
      }
      ok(out);
    }, fail);
  };

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

  function item(r, ts) {
    var li = el("li", "search-item");
    var h = el("h2", "search-item-title");
    var a = el("a");
    var meta, date, p;
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
    return li;
  }

  function failed(statusBox) {
    setStatus(statusBox, ["搜索索引加载失败，请稍后重试，或通过网站栏目浏览内容。"]);
  }

  /* show 显示第 shown 条起的一页结果，之后是“显示更多”按钮。 */
  function show(ix, statusBox, ol, more, results, shown, ts) {
    var page = results.slice(shown, shown + PAGE_SIZE);
    more.disabled = true;
    ix.docs(page, function (docs) {
      var i, left;
      for (i = 0; i < docs.length; i++) {
        ol.appendChild(item(docs[i], ts));
      }
      shown += docs.length;
      left = results.length - shown;
      if (left > 0) {
        more.disabled = false;
        clear(more);
        more.appendChild(text("显示更多结果（还有" + left + "条）"));
        more.onclick = function () {
          show(ix, statusBox, ol, more, results, shown, ts);
        };
        more.style.display = "";
      } else {
        more.style.display = "none";
      }
    }, function () {
      failed(statusBox);
    });
  }

  function render(ix, statusBox, list, query) {
    ix.search(query, function (results, p) {
      var ts = terms(query);
      var ol, more, skipped;
      clear(list);
      skipped = p.skipped.length ? "（" + p.skipped.join("、") + " 太短，未参与检索：中文至少两个字）" : "";
      if (!p.terms.length) {
        setStatus(statusBox, ["请输入至少两个汉字，或完整的英文单词、数字。"]);
        return;
      }
      if (!results.length) {
        setStatus(statusBox, ["未找到与“", {strong: query}, "”相关的内容。请尝试更换或减少关键词。" + skipped]);
        return;
      }
      setStatus(statusBox, ["共找到", {strong: String(results.length)}, "条结果" + skipped]);
      ol = el("ol", "search-list");
      more = el("button", "button search-more");
      more.setAttribute("type", "button");
      more.style.display = "none";
      list.appendChild(ol);
      list.appendChild(more);
      show(ix, statusBox, ol, more, results, 0, ts);
    }, function () {
      failed(statusBox);
    });
  }

  function getJSON(url, ok, fail) {
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
        ok(data);
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
    var query, trimmed, manifest;
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
    manifest = list.getAttribute("data-index") || "";
    render(new Index(manifest.replace(/[^\/]*$/, ""), getJSON), statusBox, list, trimmed);
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init, false);
    } else {
      init();
    }
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = {
      Index: Index, plan: plan, rank: rank, decode: decode, hash: hash, tokens: tokens,
      snippet: snippet, highlight: highlight, terms: terms, fold: fold
    };
  }
})();
