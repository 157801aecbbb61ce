// 长表格的筛选框（ES5，不依赖任何库）：页面上带 data-filter="表格 id" 的输入框
// 在开启 JavaScript 时显示出来，输入文字后只保留表体中含有这些文字的行。
// 不开 JavaScript 时输入框保持隐藏，表格完整显示。
(function (root) {
  "use strict";

  // normalize 去掉空白并把英文字母变为小写，全角字母数字变为半角。
  function normalize(s) {
    s = String(s || "").replace(/[\uFF01-\uFF5E]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
    });
    return s.replace(/\s+/g, "").toLowerCase();
  }

  // matches 判断一行的文字是否含有查询的每一个词（以空格分开）。
  function matches(text, query) {
    var t = normalize(text);
    var words = String(query || "").split(/[\s\u3000]+/);
    for (var i = 0; i < words.length; i++) {
      var w = normalize(words[i]);
      if (w && t.indexOf(w) < 0) {
        return false;
      }
    }
    return true;
  }

  function textOf(el) {
    return el.textContent !== undefined ? el.textContent : el.innerText;
  }

  function bind(input, doc) {
    var table = doc.getElementById(input.getAttribute("data-filter"));
    if (!table || !table.tBodies || !table.tBodies.length) {
      return;
    }
    var rows = table.tBodies[0].rows;
    var count = doc.getElementById(input.getAttribute("data-filter") + "-count");
    var apply = function () {
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var ok = matches(textOf(rows[i]), input.value);
        rows[i].style.display = ok ? "" : "none";
        if (ok) {
          shown++;
        }
      }
      if (count) {
        count.innerHTML = "";
        count.appendChild(doc.createTextNode("显示 " + shown + " / " + rows.length + " 行"));
      }
    };
    input.onkeyup = apply;
    input.onchange = apply;
    input.oninput = apply;
    var box = input.parentNode;
    while (box && box.nodeType === 1 && !box.hasAttribute("hidden")) {
      box = box.parentNode;
    }
    if (box && box.nodeType === 1) {
      box.removeAttribute("hidden");
    }
    apply();
  }

  function start(doc) {
    var inputs = doc.getElementsByTagName("input");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].getAttribute("data-filter")) {
        bind(inputs[i], doc);
      }
    }
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { matches: matches, normalize: normalize };
  } else if (root.document) {
    start(root.document);
  }
})(this);
