/*
 * 群众意见表单（作风建设栏目）的渐进增强。
 *
 * 没有 JavaScript 时，表单照常以普通 POST 提交，收集器返回致谢页面。
 * 有 JavaScript 时，本脚本只做一件事：记下页面打开的时间，提交时把
 * 打开页面到提交经过的毫秒数写入隐藏字段 elapsed。收集器据此拒收
 * 打开后 3 秒内就提交的表单（多为自动程序），不需要验证码。
 *
 * 只用 ES5，兼容 IE11 等旧版浏览器；不读写页面文字，不使用 innerHTML。
 * 计时函数不依赖页面，可在 Node 中测试（见 opinion_test.js）。
 */
(function () {
  "use strict";

  function now() {
    return new Date().getTime();
  }

  // elapsedSince 是从 opened 到 at 经过的毫秒数，写成十进制整数；
  // 时钟被往回拨时记为 0，不写负数。
  function elapsedSince(opened, at) {
    var ms = Math.floor(at - opened);
    if (!(ms > 0)) {
      ms = 0;
    }
    return String(ms);
  }

  // watch 在表单提交时把经过的时间写入它的 elapsed 字段。
  function watch(form, opened, clock) {
    var stamp = function () {
      var field = form.elements ? form.elements.elapsed : null;
      if (field) {
        field.value = elapsedSince(opened, clock());
      }
    };
    if (form.addEventListener) {
      form.addEventListener("submit", stamp, false);
    } else if (form.attachEvent) {
      form.attachEvent("onsubmit", stamp);
    }
    return stamp;
  }

  // 脚本放在页面末尾，执行时表单已经显示出来，从此刻开始计时。
  if (typeof document !== "undefined" && document.getElementById) {
    var form = document.getElementById("opinion-form");
    if (form) {
      watch(form, now(), now);
    }
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = {elapsedSince: elapsedSince, watch: watch};
  }
}());
