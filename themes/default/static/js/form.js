/*
 * 任务报送表单的渐进增强。
 *
 * 没有 JavaScript 时，表单照常以普通 POST 提交给收集器，由收集器返回回执页面。
 * 有 JavaScript 时，本脚本：
 *   1. 为表单生成一次性的提交编号 submission_id（在成功之前重试都用同一个编号，
 *      收集器据此识别重复提交），并保存在本机，刷新页面后继续使用；
 *   2. 把填写中的内容（不含提交码和文件）随时保存在本机 localStorage，
 *      下次打开时自动恢复，并记住所选的支部；
 *   3. 用 XMLHttpRequest 提交（Accept: application/json），显示上传进度，
 *      成功后在页面上显示回执，失败时把出错原因写到对应的输入框下方，
 *      已填写的内容始终保留。
 *
 * 只用 ES5（var、function、XMLHttpRequest、FormData），兼容 IE11 等旧版浏览器。
 * 缺少 FormData 时不接管提交；缺少 localStorage 时不保存草稿；都不影响普通提交。
 * 页面文字一律用 createTextNode / textContent 写入，绝不使用 innerHTML。
 * 不依赖页面的纯函数也可在 Node 中运行（见 form_test.js）。
 */
(function () {
  "use strict";

  var SAVE_DELAY = 400; // 停止输入多少毫秒后保存草稿
  var TIMEOUT = 120000; // 提交超时（毫秒）
  var PREFIX = "dangwu:";
  var BRANCH_KEY = "dangwu:branch"; // 跨任务记住所选支部

  // 不保存到本机的字段：提交码、提交编号、防机器人的隐藏字段。
  var PRIVATE_NAMES = {code: true, submission_id: true, website: true};
  // 不保存的输入类型。
  var SKIP_TYPES = {
    file: true, password: true, hidden: true, submit: true, button: true,
    reset: true, image: true, checkbox: true, radio: true
  };

  var MSG = {
    submitting: "正在提交…",
    uploaded: "已上传 ",
    waiting: "已上传 100%，正在等待服务器确认…",
    restored: "已恢复您上次未提交的内容（保存于 ",
    restoredEnd: "）。",
    clear: "清除",
    close: "关闭提示",
    invalid: "提交内容有误，请按提示修改后重新提交。",
    badCode: "支部或提交码不正确",
    tooMany: "尝试次数过多，请稍后再试。",
    network: "网络异常，未能提交。",
    savedHere: "您填写的内容已保存在本机，可稍后重试。",
    keptHere: "您填写的内容仍保留在本页，请不要关闭页面，稍后重试。",
    other: "提交失败（HTTP ",
    otherEnd: "），请稍后重试。"
  };

  var FALLBACK = {
    403: "提交来源不被允许",
    404: "任务不存在",
    409: "该任务当前不接收材料",
    413: "提交内容过大",
    415: "文件类型不被接受",
    503: "服务器暂时无法保存，请稍后重试；您填写的内容已保存在本机。"
  };

  /* ---------- 纯函数（可在 Node 中测试） ---------- */

  function hex2(n) {
    return (n < 16 ? "0" : "") + n.toString(16);
  }

  /*
   * randomId 返回 32 位十六进制的随机编号。cryptoObj 有 getRandomValues 时用它
   * （IE11 为 window.msCrypto），否则用 random（Math.random）。
   */
  function randomId(cryptoObj, random) {
    var out = "";
    var bytes = null;
    var i;
    random = random || Math.random;
    if (cryptoObj && typeof cryptoObj.getRandomValues === "function" && typeof Uint8Array !== "undefined") {
      try {
        bytes = new Uint8Array(16);
        cryptoObj.getRandomValues(bytes);
      } catch (e) {
        bytes = null;
      }
    }
    for (i = 0; i < 16; i++) {
      out += hex2(bytes ? bytes[i] : Math.floor(random() * 256) & 255);
    }
    return out;
  }

  /*
   * timedId 是表单的 submission_id：前 11 位是 nowMs（毫秒时间）的十六进制，
   * 后 21 位取自 randomId，共 32 位十六进制，格式与 randomId 相同。收集器按
   * submission_id 建唯一索引：完全随机的编号让每次写入落在索引的另一页上，
   * 批量提交时写入的页数多出一半（issue 11）；带时间前缀的编号集中在索引末尾。
   * 编号只防重复提交，84 位随机数足够；它透露的只是开始填表的时刻。
   */
  function timedId(nowMs, cryptoObj, random) {
    var t = Math.floor(nowMs).toString(16);
    while (t.length < 11) {
      t = "0" + t;
    }
    return t.slice(t.length - 11) + randomId(cryptoObj, random).slice(11);
  }

  function isValidId(s) {
    return typeof s === "string" && /^[0-9a-f]{32}$/.test(s);
  }

  function draftKey(task) {
    return PREFIX + task + ":draft";
  }

  function idKey(task) {
    return PREFIX + task + ":submission_id";
  }

  /* isDraftField 判断一个输入框的内容是否可以保存在本机。 */
  function isDraftField(name, type) {
    if (!name || Object.prototype.hasOwnProperty.call(PRIVATE_NAMES, name)) {
      return false;
    }
    return !Object.prototype.hasOwnProperty.call(SKIP_TYPES, String(type || "").toLowerCase());
  }

  function getItem(store, key) {
    if (!store) {
      return null;
    }
    try {
      return store.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function setItem(store, key, value) {
    if (!store) {
      return false;
    }
    try {
      store.setItem(key, value);
      return true;
    } catch (e) {
      return false; // 存储已满、隐私模式等
    }
  }

  function removeItem(store, key) {
    if (!store) {
      return;
    }
    try {
      store.removeItem(key);
    } catch (e) {
      // 忽略
    }
  }

  /*
   * submissionId 返回本机保存的提交编号；没有（或已损坏）时生成一个新的并保存。
   */
  function submissionId(store, task, gen) {
    var id = getItem(store, idKey(task));
    if (isValidId(id)) {
      return id;
    }
    id = gen();
    setItem(store, idKey(task), id);
    return id;
  }

  /* renewSubmissionId 在提交成功后换一个新编号。 */
  function renewSubmissionId(store, task, gen) {
    var id = gen();
    removeItem(store, idKey(task));
    setItem(store, idKey(task), id);
    return id;
  }

  /*
   * draftData 把 {字段名: 值} 变成要保存的草稿 {字段名: 值, savedAt: 毫秒}；
   * 只保存非空的值，跳过不应保存的字段；除支部外没有任何内容时返回 null。
   * 字段名只能是小写字母、数字、- 和 _，所以不会与 savedAt 冲突。
   */
  function draftData(values, now) {
    var out = {};
    var content = false;
    var name, v;
    for (name in values) {
      if (!Object.prototype.hasOwnProperty.call(values, name) || !isDraftField(name, "text") || name === "savedAt") {
        continue;
      }
      v = values[name];
      if (v == null) {
        continue;
      }
      v = String(v);
      if (v === "") {
        continue;
      }
      out[name] = v;
      if (name !== "branch") {
        content = true;
      }
    }
    if (!content) {
      return null;
    }
    out.savedAt = now;
    return out;
  }

  /*
   * saveDraft 保存草稿；没有内容时删除草稿。返回 true 表示本机确实保存了。
   */
  function saveDraft(store, task, values, now) {
    var data = draftData(values, now);
    if (!data) {
      removeItem(store, draftKey(task));
      return false;
    }
    return setItem(store, draftKey(task), JSON.stringify(data));
  }

  /*
   * loadDraft 读出草稿：{values: {字段名: 值}, savedAt: 毫秒或 0}；
   * 没有草稿或草稿已损坏（损坏的会被删除）时返回 null。
   */
  function loadDraft(store, task) {
    var raw = getItem(store, draftKey(task));
    var data, values, name, n;
    if (!raw) {
      return null;
    }
    try {
      data = JSON.parse(raw);
    } catch (e) {
      data = null;
    }
    if (!data || typeof data !== "object" || data instanceof Array) {
      removeItem(store, draftKey(task));
      return null;
    }
    values = {};
    n = 0;
    for (name in data) {
      if (Object.prototype.hasOwnProperty.call(data, name) && name !== "savedAt" &&
          isDraftField(name, "text") && typeof data[name] === "string" && data[name] !== "") {
        values[name] = data[name];
        n++;
      }
    }
    if (n === 0) {
      removeItem(store, draftKey(task));
      return null;
    }
    return {values: values, savedAt: typeof data.savedAt === "number" ? data.savedAt : 0};
  }

  function clearDraft(store, task) {
    removeItem(store, draftKey(task));
  }

  /*
   * restorePlan 决定恢复哪些值：current 是表单中可保存字段的当前值 {字段名: 值}，
   * 只把草稿中的值填进表单里存在且为空的字段。
   */
  function restorePlan(draftValues, current) {
    var plan = {};
    var name;
    if (!draftValues) {
      return plan;
    }
    for (name in draftValues) {
      if (Object.prototype.hasOwnProperty.call(draftValues, name) &&
          Object.prototype.hasOwnProperty.call(current, name) &&
          current[name] === "" && isDraftField(name, "text") &&
          typeof draftValues[name] === "string" && draftValues[name] !== "") {
        plan[name] = draftValues[name];
      }
    }
    return plan;
  }

  function pad2(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /*
   * parseTime 解析 RFC 3339 时间（如 2026-11-28T17:05:03.123456789+08:00），
   * 不依赖浏览器的 Date.parse（旧版浏览器不认纳秒和时区）。无法解析时返回 null。
   */
  function parseTime(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+\-]\d{2}:?\d{2})$/.exec(String(s == null ? "" : s));
    var ms, off, t, sign;
    if (!m) {
      return null;
    }
    ms = m[7] ? parseInt((m[7] + "00").slice(0, 3), 10) : 0;
    off = 0;
    if (m[8] !== "Z" && m[8] !== "z") {
      sign = m[8].charAt(0) === "-" ? -1 : 1;
      off = sign * (parseInt(m[8].slice(1, 3), 10) * 60 + parseInt(m[8].slice(-2), 10));
    }
    t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms) - off * 60000;
    return isNaN(t) ? null : new Date(t);
  }

  /*
   * 页面上所有时间都按网站的时区显示（site.yaml 的 timeZone），与服务器回执一致，
   * 不随这台电脑的时钟设置变化。表单的 data-utc-offset（如 +08:00）给出网站时区
   * 在生成页面时的 UTC 偏移；没有时按北京时间。
   */
  var SITE_OFFSET = 480;

  /* parseOffset 把 +08:00、-05:30 换算成分钟；无法识别时返回 null。 */
  function parseOffset(s) {
    var m = /^([+\-])(\d{2}):?(\d{2})$/.exec(String(s == null ? "" : s));
    if (!m) {
      return null;
    }
    return (m[1] === "-" ? -1 : 1) * (parseInt(m[2], 10) * 60 + parseInt(m[3], 10));
  }

  /* wall 是时刻 ms 在偏移 offset（分钟）处的墙上时间，用 getUTC* 读取。 */
  function wall(ms, offset) {
    return new Date(ms + (offset == null ? SITE_OFFSET : offset) * 60000);
  }

  /* formatDateTime 按网站时区写成 2026年11月28日 17:05:03。 */
  function formatDateTime(d, offset) {
    var w = wall(d.getTime(), offset);
    return w.getUTCFullYear() + "年" + (w.getUTCMonth() + 1) + "月" + w.getUTCDate() + "日 " +
      pad2(w.getUTCHours()) + ":" + pad2(w.getUTCMinutes()) + ":" + pad2(w.getUTCSeconds());
  }

  /* formatReceived 按网站时区格式化收集器返回的接收时间；无法解析时原样返回。 */
  function formatReceived(s, offset) {
    var d = parseTime(s);
    return d ? formatDateTime(d, offset) : String(s == null ? "" : s);
  }

  /*
   * formatSavedAt 按网站时区写出草稿的保存时间：当天为 HH:MM，否则带上日期（跨年再带年份）。
   */
  function formatSavedAt(ms, now, offset) {
    var d = wall(ms, offset);
    var n = wall(now, offset);
    var hm = pad2(d.getUTCHours()) + ":" + pad2(d.getUTCMinutes());
    if (d.getUTCFullYear() !== n.getUTCFullYear()) {
      return d.getUTCFullYear() + "年" + (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日 " + hm;
    }
    if (d.getUTCMonth() !== n.getUTCMonth() || d.getUTCDate() !== n.getUTCDate()) {
      return (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日 " + hm;
    }
    return hm;
  }

  /*
   * retryMinutes 把 Retry-After（秒数，或 HTTP 日期）换算成向上取整的分钟数，
   * 至少 1 分钟；无法识别时返回 0。
   */
  function retryMinutes(header, now) {
    var s = String(header == null ? "" : header).replace(/^\s+|\s+$/g, "");
    var secs, t;
    if (s === "") {
      return 0;
    }
    if (/^\d+$/.test(s)) {
      secs = parseInt(s, 10);
    } else {
      t = Date.parse(s);
      if (isNaN(t)) {
        return 0;
      }
      secs = (t - now) / 1000;
    }
    return Math.max(1, Math.ceil(secs / 60));
  }

  /* parseJSON 解析响应正文，失败时返回 null。 */
  function parseJSON(text) {
    var v;
    if (!text) {
      return null;
    }
    try {
      v = JSON.parse(text);
    } catch (e) {
      return null;
    }
    return v && typeof v === "object" && !(v instanceof Array) ? v : null;
  }

  function stringFields(fields) {
    var out = {};
    var name;
    if (!fields || typeof fields !== "object") {
      return out;
    }
    for (name in fields) {
      if (Object.prototype.hasOwnProperty.call(fields, name) && fields[name] != null && fields[name] !== "") {
        out[name] = String(fields[name]);
      }
    }
    return out;
  }

  /*
   * failure 把失败的响应变成要显示的文字：{message: 表单上方的提示, fields: {字段名: 提示}}。
   * status 为 0 表示网络异常或超时；retryAfter 是 Retry-After 头；
   * stored 表示填写的内容是否已保存在本机（决定提示里怎么说）。
   */
  function failure(status, body, retryAfter, stored, now) {
    var err = body && typeof body.error === "string" && body.error !== "" ? body.error : "";
    var fields = stringFields(body && body.fields);
    var kept = stored ? MSG.savedHere : MSG.keptHere;
    var mins;
    if (!status) {
      return {message: MSG.network + kept, fields: {}};
    }
    switch (status) {
    case 400:
      return {message: err || MSG.invalid, fields: fields};
    case 401:
      if (!fields.code && !fields.branch) {
        fields.code = err || MSG.badCode;
      }
      return {message: "", fields: fields};
    case 429:
      mins = retryMinutes(retryAfter, now || 0);
      return {message: mins ? "尝试次数过多，请 " + mins + " 分钟后再试。" : (err || MSG.tooMany), fields: {}};
    case 503:
      return {message: err || (stored ? FALLBACK[503] : "服务器暂时无法保存，请稍后重试；" + kept), fields: fields};
    case 403:
    case 404:
    case 409:
    case 413:
    case 415:
      return {message: err || FALLBACK[status], fields: fields};
    }
    return {
      message: (err ? err + "（HTTP " + status + "）" : MSG.other + status + MSG.otherEnd) + (status >= 500 ? kept : ""),
      fields: fields
    };
  }

  /* safeURL 只允许站内地址和 http(s) 地址作为链接。 */
  function safeURL(u) {
    // 浏览器解析网址时会去掉空白和控制字符（“java\tscript:”也是脚本），先去掉再判断。
    var t;
    u = String(u == null ? "" : u);
    t = u.replace(/[\u0000-\u0020\u007f]/g, "");
    if (/^(\/|https?:\/\/|\.)/i.test(t) || !/^[a-z][a-z0-9+.\-]*:/i.test(t)) {
      return u.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
    }
    return "";
  }

  /* ---------- 页面部分 ---------- */

  function text(s) {
    return document.createTextNode(String(s));
  }

  /* bdi 把用户输入的文字隔离在自己的书写方向里（U+202E 等控制字符不会反转旁边的文字）。 */
  function bdi(s) {
    var b = el("bdi", null, s);
    b.setAttribute("dir", "auto");
    return b;
  }

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (content != null) {
      e.appendChild(text(content));
    }
    return e;
  }

  function hasClass(e, c) {
    return (" " + e.className + " ").indexOf(" " + c + " ") !== -1;
  }

  function addClass(e, c) {
    if (e && !hasClass(e, c)) {
      e.className = e.className ? e.className + " " + c : c;
    }
  }

  function removeClass(e, c) {
    if (e && hasClass(e, c)) {
      e.className = (" " + e.className + " ").replace(" " + c + " ", " ").replace(/^\s+|\s+$/g, "");
    }
  }

  function empty(e) {
    while (e.firstChild) {
      e.removeChild(e.firstChild);
    }
  }

  function remove(e) {
    if (e && e.parentNode) {
      e.parentNode.removeChild(e);
    }
  }

  function on(target, type, fn) {
    target.addEventListener(type, fn, false);
  }

  function localStore() {
    var s, k;
    try {
      s = window.localStorage;
      if (!s) {
        return null;
      }
      k = PREFIX + "test";
      s.setItem(k, "1");
      s.removeItem(k);
      return s;
    } catch (e) {
      return null; // 禁用 Cookie、隐私模式、file:// 下的 IE
    }
  }

  /*
   * 表单的输入框。不用 form.elements、form.action、form.reset()：任务里如果有名为
   * elements、action、reset 的字段，浏览器会用那个输入框遮住表单的同名属性。
   */
  function controls(form) {
    var list = form.querySelectorAll("input, select, textarea, button");
    var out = [];
    var i;
    for (i = 0; i < list.length; i++) {
      out.push(list[i]);
    }
    return out;
  }

  function control(form, name) {
    var els = controls(form);
    var i;
    for (i = 0; i < els.length; i++) {
      if (els[i].name === name) {
        return els[i];
      }
    }
    return null;
  }

  function resetForm(form) {
    var proto = typeof HTMLFormElement !== "undefined" && HTMLFormElement.prototype;
    if (proto && typeof proto.reset === "function") {
      proto.reset.call(form);
    } else {
      form.reset();
    }
  }

  function idGenerator() {
    var c = window.crypto || window.msCrypto;
    return function () {
      return timedId(new Date().getTime(), c, Math.random);
    };
  }

  function Form(form) {
    this.form = form;
    this.task = form.getAttribute("data-task") || "";
    this.store = localStore();
    this.gen = idGenerator();
    this.timer = null;
    this.busy = false;
    this.notice = null;
    this.receipt = null;
    this.section = form.parentNode;
    this.action = form.getAttribute("action") || "";
    this.offset = parseOffset(form.getAttribute("data-utc-offset"));
    this.idInput = control(form, "submission_id");
    this.branch = control(form, "branch");
    this.button = form.querySelector('button[type="submit"], input[type="submit"]');
    this.buttonText = this.button ? (this.button.value || this.button.textContent) : "";
    this.message = null;
    this.progress = null;
    this.progressParts = null;
  }

  /* draftElements 返回可以保存到本机的输入框。 */
  Form.prototype.draftElements = function () {
    var out = [];
    var els = controls(this.form);
    var i, e, tag;
    for (i = 0; i < els.length; i++) {
      e = els[i];
      tag = e.tagName.toLowerCase();
      if ((tag === "input" || tag === "textarea" || tag === "select") && isDraftField(e.name, e.type)) {
        out.push(e);
      }
    }
    return out;
  };

  Form.prototype.values = function () {
    var v = {};
    var els = this.draftElements();
    var i;
    for (i = 0; i < els.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(v, els[i].name) || v[els[i].name] === "") {
        v[els[i].name] = els[i].value;
      }
    }
    return v;
  };

  Form.prototype.element = function (name) {
    return control(this.form, name);
  };

  /* setValue 填入一个值；下拉框里没有这个选项时恢复为空，返回是否成功。 */
  Form.prototype.setValue = function (e, v) {
    e.value = v;
    if (e.value !== v) {
      e.value = "";
      if (e.tagName.toLowerCase() === "select") {
        e.selectedIndex = 0;
      }
      return false;
    }
    return true;
  };

  Form.prototype.init = function () {
    var self = this;
    var form = this.form;
    this.setupId();
    this.restore();
    pickPeriod(document.getElementById("f-period"), window.location ? window.location.search : "");

    this.message = el("div", "form-message");
    this.message.id = "form-message";
    this.message.setAttribute("role", "alert");
    this.message.setAttribute("tabindex", "-1");
    form.parentNode.insertBefore(this.message, form);

    if (this.button) {
      this.progress = el("p", "form-progress");
      this.button.parentNode.appendChild(this.progress);
    }

    on(form, "input", function (ev) {
      self.changed(ev);
    });
    on(form, "change", function (ev) {
      self.changed(ev);
    });
    on(window, "pagehide", function () {
      self.flush();
    });
    on(window, "beforeunload", function () {
      self.flush();
    });
    on(form, "submit", function (ev) {
      self.submit(ev);
    });
  };

  /* periodFromQuery 从 ?period=2026-10 读出期次（支部页上的补报链接），写法不对时返回空串。 */
  function periodFromQuery(search) {
    var m = /[?&]period=([0-9]{4}(?:-[0-9]{2}|-Q[1-4])?)(?:&|#|$)/.exec(String(search || ""));
    return m ? m[1] : "";
  }

  /* pickPeriod 在“报送期次”里选中链接指定的期次；没有这一期（已截止或未开始）时保持默认。 */
  function pickPeriod(sel, search) {
    var p = periodFromQuery(search);
    var i;
    if (!sel || !p || !sel.options) {
      return false;
    }
    for (i = 0; i < sel.options.length; i++) {
      if (sel.options[i].value === p) {
        sel.selectedIndex = i;
        return true;
      }
    }
    return false;
  }

  Form.prototype.setupId = function () {
    if (!this.idInput || this.idInput.value) {
      return;
    }
    this.idInput.value = this.store ? submissionId(this.store, this.task, this.gen) : this.gen();
  };

  Form.prototype.changed = function (ev) {
    var t = ev.target || ev.srcElement;
    var self = this;
    if (!t || !t.name) {
      return;
    }
    // 用户改动了出错的输入框：去掉它的出错提示。
    if (hasClass(document.getElementById("field-" + t.name) || t, "has-error")) {
      this.clearFieldError(t.name);
    }
    if (!isDraftField(t.name, t.type)) {
      return; // 提交码、文件不保存
    }
    if (t === this.branch && t.value) {
      setItem(this.store, BRANCH_KEY, t.value);
    }
    if (!this.store) {
      return;
    }
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(function () {
      self.flush();
    }, SAVE_DELAY);
  };

  /* flush 立即保存草稿，返回本机是否保存着当前内容。 */
  Form.prototype.flush = function () {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.store) {
      return false;
    }
    return saveDraft(this.store, this.task, this.values(), new Date().getTime());
  };

  Form.prototype.restore = function () {
    var draft = loadDraft(this.store, this.task);
    var current = this.values();
    var values = draft ? draft.values : {};
    var remembered, plan, name, e, restored, any;
    if (this.branch && current.branch === "" && !values.branch) {
      remembered = getItem(this.store, BRANCH_KEY);
      if (remembered) {
        values.branch = remembered;
      }
    }
    plan = restorePlan(values, current);
    restored = [];
    any = false;
    for (name in plan) {
      if (Object.prototype.hasOwnProperty.call(plan, name)) {
        e = this.element(name);
        if (e && this.setValue(e, plan[name])) {
          if (name !== "branch") {
            restored.push(e);
            any = true;
          }
        }
      }
    }
    if (any) {
      this.showNotice(draft ? draft.savedAt : 0, restored);
    }
  };

  Form.prototype.showNotice = function (savedAt, restored) {
    var self = this;
    var box = el("div", "notice notice-info draft-notice");
    var p = el("p");
    var clear = el("button", "button button-small", MSG.clear);
    var close = el("button", "notice-close");
    box.setAttribute("role", "status");
    clear.setAttribute("type", "button");
    close.setAttribute("type", "button");
    close.setAttribute("aria-label", MSG.close);
    close.setAttribute("title", MSG.close);
    close.appendChild(text("×"));
    p.appendChild(text(savedAt ? MSG.restored + formatSavedAt(savedAt, new Date().getTime(), this.offset) + MSG.restoredEnd
      : "已恢复您上次未提交的内容。"));
    p.appendChild(text(" "));
    p.appendChild(clear);
    box.appendChild(close);
    box.appendChild(p);
    on(clear, "click", function () {
      var i;
      if (self.timer) {
        clearTimeout(self.timer);
        self.timer = null;
      }
      clearDraft(self.store, self.task);
      for (i = 0; i < restored.length; i++) {
        self.setValue(restored[i], "");
        self.clearFieldError(restored[i].name);
      }
      self.hideNotice();
      if (restored.length) {
        restored[0].focus();
      }
    });
    on(close, "click", function () {
      self.hideNotice();
      self.focusFirst();
    });
    this.notice = box;
    this.form.parentNode.insertBefore(box, this.form);
  };

  Form.prototype.focusFirst = function () {
    var els = this.draftElements();
    if (els.length) {
      els[0].focus();
    }
  };

  Form.prototype.hideNotice = function () {
    remove(this.notice);
    this.notice = null;
  };

  /* ----- 出错提示 ----- */

  Form.prototype.clearFieldError = function (name) {
    var box = document.getElementById("field-" + name);
    var err = document.getElementById("err-" + name);
    var els = controls(this.form);
    var i;
    removeClass(box, "has-error");
    if (err) {
      empty(err);
    }
    for (i = 0; i < els.length; i++) {
      if (els[i].name === name) {
        els[i].removeAttribute("aria-invalid");
      }
    }
  };

  Form.prototype.clearErrors = function () {
    var els = controls(this.form);
    var seen = {};
    var i, errs;
    for (i = 0; i < els.length; i++) {
      if (els[i].name && !seen[els[i].name]) {
        seen[els[i].name] = true;
        this.clearFieldError(els[i].name);
      }
    }
    errs = this.form.querySelectorAll(".field-error");
    for (i = 0; i < errs.length; i++) {
      empty(errs[i]);
    }
    this.setMessage("", null);
  };

  /* setMessage 在表单上方显示提示；extra 是找不到对应输入框的字段提示。 */
  Form.prototype.setMessage = function (message, extra) {
    var box = this.message;
    var ul, i;
    if (!box) {
      return;
    }
    empty(box);
    box.className = "form-message";
    if (!message && !(extra && extra.length)) {
      return;
    }
    addClass(box, "form-message-error");
    if (message) {
      box.appendChild(el("p", null, message));
    }
    if (extra && extra.length) {
      ul = el("ul");
      for (i = 0; i < extra.length; i++) {
        ul.appendChild(el("li", null, extra[i]));
      }
      box.appendChild(ul);
    }
  };

  /* showFailure 显示出错信息；有字段提示时把焦点移到第一个出错的输入框。 */
  Form.prototype.showFailure = function (f) {
    var els = controls(this.form);
    var extra = [];
    var first = null;
    var shown = {};
    var name, box, err, e, i;
    for (name in f.fields) {
      if (!Object.prototype.hasOwnProperty.call(f.fields, name)) {
        continue;
      }
      box = document.getElementById("field-" + name);
      err = document.getElementById("err-" + name);
      if (!err) {
        extra.push(f.fields[name]);
        continue;
      }
      empty(err);
      err.appendChild(text(f.fields[name]));
      addClass(box, "has-error");
      e = this.element(name);
      if (e) {
        e.setAttribute("aria-invalid", "true");
      }
      shown[name] = true;
    }
    for (i = 0; i < els.length && !first; i++) {
      if (els[i].name && shown[els[i].name] && els[i].type !== "hidden") {
        first = els[i];
      }
    }
    this.setMessage(f.message, extra);
    if (first) {
      first.focus();
      if (first.select && first.type === "password") {
        first.select();
      }
    } else if (this.message && this.message.firstChild) {
      this.message.focus();
    }
  };

  /* ----- 提交 ----- */

  Form.prototype.hasFiles = function () {
    var els = controls(this.form);
    var i;
    for (i = 0; i < els.length; i++) {
      if (els[i].type === "file" && els[i].files && els[i].files.length > 0) {
        return true;
      }
    }
    return false;
  };

  Form.prototype.setBusy = function (busy) {
    var b = this.button;
    this.busy = busy;
    if (b) {
      b.disabled = busy;
      if (b.tagName.toLowerCase() === "input") {
        b.value = busy ? MSG.submitting : this.buttonText;
      } else {
        b.textContent = busy ? MSG.submitting : this.buttonText;
      }
      if (busy) {
        addClass(b, "is-busy");
        b.setAttribute("aria-busy", "true");
      } else {
        removeClass(b, "is-busy");
        b.removeAttribute("aria-busy");
      }
    }
    if (!busy) {
      this.setProgress(-1);
    }
  };

  /*
   * setProgress 显示上传进度；pct 为 -1 时隐藏。进度文字和进度条每次都更新，
   * 给读屏软件的提示每 10% 才更新一次，免得不停朗读。
   */
  Form.prototype.setProgress = function (pct) {
    var p = this.progress;
    var parts, msg, step;
    if (!p) {
      return;
    }
    if (pct < 0) {
      empty(p);
      this.progressParts = null;
      return;
    }
    pct = Math.max(0, Math.min(100, Math.floor(pct)));
    parts = this.progressParts;
    if (!parts) {
      parts = this.progressParts = {
        label: el("span", "progress-text"),
        bar: el("span", "progress-bar"),
        fill: el("span", "progress-fill"),
        live: el("span", "visually-hidden"),
        step: -1
      };
      parts.label.setAttribute("aria-hidden", "true");
      parts.bar.setAttribute("aria-hidden", "true");
      parts.live.setAttribute("role", "status");
      parts.live.setAttribute("aria-live", "polite");
      parts.bar.appendChild(parts.fill);
      empty(p);
      p.appendChild(parts.label);
      p.appendChild(parts.bar);
      p.appendChild(parts.live);
    }
    msg = pct >= 100 ? MSG.waiting : MSG.uploaded + pct + "%";
    parts.label.textContent = msg;
    parts.fill.style.width = pct + "%";
    step = Math.floor(pct / 10);
    if (step !== parts.step) {
      parts.step = step;
      parts.live.textContent = msg;
    }
  };

  /*
   * formData 收集要提交的内容。没有选文件的文件框先暂时禁用再收集：
   * 旧版 Safari 遇到空的文件框会让整个请求失败。
   */
  Form.prototype.formData = function () {
    var els = controls(this.form);
    var off = [];
    var fd, i;
    for (i = 0; i < els.length; i++) {
      if (els[i].type === "file" && !els[i].disabled && !(els[i].files && els[i].files.length)) {
        els[i].disabled = true;
        off.push(els[i]);
      }
    }
    try {
      fd = new FormData(this.form);
    } finally {
      for (i = 0; i < off.length; i++) {
        off[i].disabled = false;
      }
    }
    return fd;
  };

  Form.prototype.submit = function (ev) {
    var self = this;
    var xhr, data, finished, stored, files;
    if (this.busy) {
      ev.preventDefault();
      return;
    }
    try {
      data = this.formData();
      xhr = new XMLHttpRequest();
      xhr.open("POST", this.action, true);
    } catch (e) {
      return; // 无法用脚本提交：交给浏览器普通提交
    }
    ev.preventDefault();
    this.clearErrors();
    this.setupId();
    stored = this.flush();
    files = this.hasFiles();
    finished = false;

    function finish(status) {
      var body, f;
      if (finished) {
        return;
      }
      finished = true;
      self.setBusy(false);
      body = status ? parseJSON(xhr.responseText) : null;
      if (status >= 200 && status < 300) {
        self.success(body, xhr);
        return;
      }
      f = failure(status, body, status === 429 ? header("Retry-After") : null, stored, new Date().getTime());
      self.showFailure(f);
    }

    function header(name) {
      try {
        return xhr.getResponseHeader(name);
      } catch (e) {
        return null;
      }
    }

    xhr.setRequestHeader("Accept", "application/json");
    try {
      xhr.timeout = TIMEOUT; // IE 要求在 open 之后设置
    } catch (e) {
      // 不支持超时的浏览器
    }
    xhr.onreadystatechange = function () {
      var status;
      if (xhr.readyState !== 4) {
        return;
      }
      try {
        status = xhr.status;
      } catch (e) {
        status = 0;
      }
      // 状态 0 留给 onerror/ontimeout，万一它们不触发，稍后再按网络异常处理。
      if (!status) {
        setTimeout(function () {
          finish(0);
        }, 0);
        return;
      }
      finish(status);
    };
    xhr.onerror = function () {
      finish(0);
    };
    xhr.ontimeout = function () {
      finish(0);
    };
    // 只在有文件时监听上传进度：跨域时监听上传事件会触发预检请求。
    if (files && xhr.upload) {
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable && e.total > 0) {
          self.setProgress(e.loaded / e.total * 100);
        }
      };
    }
    this.setBusy(true);
    if (files) {
      this.setProgress(0);
    }
    try {
      xhr.send(data);
    } catch (e) {
      finish(0);
    }
  };

  Form.prototype.success = function (body, xhr) {
    var branch = this.branch ? this.branch.value : "";
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    clearDraft(this.store, this.task);
    if (branch) {
      setItem(this.store, BRANCH_KEY, branch);
    }
    resetForm(this.form);
    if (this.branch) {
      this.setValue(this.branch, branch);
    }
    if (this.idInput) {
      this.idInput.value = this.store ? renewSubmissionId(this.store, this.task, this.gen) : this.gen();
    }
    this.hideNotice();
    this.clearErrors();
    // 没有 JSON 回执（例如收集器按 303 跳转到了回执页）时，链接到最终到达的地址。
    this.showReceipt(body || {}, !body && xhr && xhr.responseURL && xhr.responseURL.indexOf(this.action) === -1 ? xhr.responseURL : "");
  };

  function fact(dl, label, value) {
    var div = el("div");
    var dd = el("dd");
    div.appendChild(el("dt", null, label));
    if (typeof value === "string") {
      dd.appendChild(text(value));
    } else {
      dd.appendChild(value);
    }
    div.appendChild(dd);
    dl.appendChild(div);
  }

  Form.prototype.showReceipt = function (r, fallbackURL) {
    var box = el("section", "receipt");
    var h = el("h2", "receipt-title", "提交成功");
    var dl = el("dl", "facts receipt-facts");
    var actions = el("p", "receipt-actions no-print");
    var url = safeURL(r.url || fallbackURL || "");
    var t, code, badge, a, print, lead;
    h.id = "receipt-title";
    h.setAttribute("tabindex", "-1");
    box.setAttribute("aria-labelledby", "receipt-title");
    box.appendChild(h);
    lead = r.branchName || r.branch ? "已收到" + (r.branchName || r.branch) + "报送的材料。" : "材料已收到。";
    box.appendChild(el("p", "receipt-lead", lead + "请记下回执编号，或打印本页留存。"));
    if (r.id) {
      code = el("code", "receipt-id", r.id);
      fact(dl, "回执编号", code);
    }
    if (r.branchName || r.branch) {
      fact(dl, "报送支部", String(r.branchName || r.branch));
    }
    if (r.version != null && r.version !== "") {
      fact(dl, "版本", "第" + r.version + "版");
    }
    if (r.received) {
      t = el("time", null, formatReceived(r.received, this.offset));
      t.setAttribute("datetime", String(r.received));
      fact(dl, "接收时间", t);
    }
    if (typeof r.late === "boolean") {
      badge = r.late ? el("span", "status status-late", "逾期提交") : el("span", "status status-submitted", "按时提交");
      fact(dl, "是否逾期", badge);
    }
    if (r.values && r.values.length) {
      for (var i = 0; i < r.values.length; i++) {
        if (r.values[i] && r.values[i].value) {
          fact(dl, String(r.values[i].label || r.values[i].name), bdi(String(r.values[i].value)));
        }
      }
    }
    if (r.sha256) {
      fact(dl, "内容摘要", el("code", "receipt-hash", "SHA-256 " + r.sha256));
    }
    if (dl.firstChild) {
      box.appendChild(dl);
    }
    if (url) {
      a = el("a", "button", "查看回执");
      a.setAttribute("href", url);
      actions.appendChild(a);
    }
    if (typeof window.print === "function" || typeof window.print === "object") {
      print = el("button", "button", "打印回执");
      print.setAttribute("type", "button");
      on(print, "click", function () {
        window.print();
      });
      actions.appendChild(print);
    }
    if (actions.firstChild) {
      box.appendChild(actions);
    }
    remove(this.receipt);
    this.receipt = box;
    // 放在“在线报送”一节之前：打印时表单隐藏，回执照常打印。
    if (hasClass(this.section, "task-submit") && this.section.parentNode) {
      this.section.parentNode.insertBefore(box, this.section);
    } else {
      this.form.parentNode.insertBefore(box, this.form);
    }
    h.focus();
  };

  function init() {
    var form = document.getElementById("task-form");
    var fs;
    if (!form || !form.getAttribute("data-task") || !form.getAttribute("action") || !form.querySelectorAll) {
      return;
    }
    fs = form.getElementsByTagName("fieldset")[0];
    if (fs && fs.disabled) {
      return; // 任务未开始或已截止：表单不可用，保留本机草稿
    }
    new Form(form).init();
  }

  // 缺少 addEventListener（IE8 及更早）时什么也不做，表单照常普通提交。
  if (typeof document !== "undefined" && document.addEventListener && typeof window !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init, false);
    } else {
      init();
    }
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = {
      randomId: randomId,
      timedId: timedId,
      isValidId: isValidId,
      draftKey: draftKey,
      idKey: idKey,
      isDraftField: isDraftField,
      submissionId: submissionId,
      renewSubmissionId: renewSubmissionId,
      draftData: draftData,
      saveDraft: saveDraft,
      loadDraft: loadDraft,
      clearDraft: clearDraft,
      restorePlan: restorePlan,
      parseTime: parseTime,
      formatDateTime: formatDateTime,
      formatReceived: formatReceived,
      formatSavedAt: formatSavedAt,
      parseOffset: parseOffset,
      retryMinutes: retryMinutes,
      parseJSON: parseJSON,
      failure: failure,
      safeURL: safeURL,
      periodFromQuery: periodFromQuery,
      pickPeriod: pickPeriod
    };
  }
})();
