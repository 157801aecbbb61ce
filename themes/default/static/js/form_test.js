// 任务报送表单脚本的单元测试：node themes/default/static/js/form_test.js
// 不依赖任何 npm 包；任何断言失败都以非零状态退出。
// 另外检查 form.js 里没有 ES6 语法（它要在 IE11 中运行）。
"use strict";
process.env.TZ = "Asia/Shanghai"; // 时间格式化的测试按北京时间写
var assert = require("assert");
var fs = require("fs");
var path = require("path");
var f = require(path.join(__dirname, "form.js"));

var failures = 0;
function test(name, fn) {
  try {
    fn();
    console.log("ok   " + name);
  } catch (e) {
    failures++;
    console.log("FAIL " + name + "\n     " + (e && e.message));
  }
}

// fakeStorage 模拟 localStorage；full 为真时 setItem 抛出 QuotaExceededError。
function fakeStorage(full) {
  var data = {};
  return {
    data: data,
    getItem: function (k) {
      return Object.prototype.hasOwnProperty.call(data, k) ? data[k] : null;
    },
    setItem: function (k, v) {
      if (full) {
        throw new Error("QuotaExceededError");
      }
      data[k] = String(v);
    },
    removeItem: function (k) {
      delete data[k];
    }
  };
}

function counter() {
  var n = 0;
  return function () {
    n++;
    return ("0000000000000000000000000000000" + n).slice(-32);
  };
}

test("randomId uses crypto.getRandomValues: 32 lowercase hex digits", function () {
  var calls = 0;
  var c = {getRandomValues: function (a) {
    calls++;
    for (var i = 0; i < a.length; i++) {
      a[i] = i * 17; // 0x00, 0x11, … 0xff
    }
    return a;
  }};
  var id = f.randomId(c, function () { throw new Error("Math.random must not be used"); });
  assert.strictEqual(calls, 1);
  assert.strictEqual(id, "00112233445566778899aabbccddeeff");
});

test("randomId falls back to Math.random without crypto", function () {
  assert.strictEqual(f.randomId(null, function () { return 0; }), "00000000000000000000000000000000");
  assert.strictEqual(f.randomId(undefined, function () { return 0.999999; }), "ffffffffffffffffffffffffffffffff");
  var broken = {getRandomValues: function () { throw new Error("no entropy"); }};
  assert.strictEqual(f.randomId(broken, function () { return 0.5; }), "80808080808080808080808080808080");
});

test("timedId: 11 hex digits of the millisecond, then 21 random ones", function () {
  var zero = function () { return 0; };
  assert.strictEqual(f.timedId(0x19ae3b2c4d1, null, zero), "19ae3b2c4d1" + "000000000000000000000");
  assert.strictEqual(f.timedId(5, null, function () { return 0.999999; }), "00000000005" + "fffffffffffffffffffff");
  var c = require("crypto").webcrypto || {getRandomValues: require("crypto").randomFillSync};
  var a = f.timedId(Date.UTC(2026, 11, 3), c, Math.random);
  var b = f.timedId(Date.UTC(2026, 11, 3) + 1, c, Math.random);
  assert.ok(f.isValidId(a) && f.isValidId(b), a + " " + b);
  // Later ids sort after earlier ones: they go to the end of the collector's index.
  assert.ok(a.slice(0, 11) < b.slice(0, 11), a + " " + b);
  assert.notStrictEqual(a.slice(11), b.slice(11));
});

test("randomId with the real crypto and Math.random looks random", function () {
  var seen = {};
  var i, id;
  var c = require("crypto").webcrypto || {getRandomValues: require("crypto").randomFillSync};
  for (i = 0; i < 200; i++) {
    id = f.randomId(i % 2 ? c : null, Math.random);
    assert.ok(/^[0-9a-f]{32}$/.test(id), id);
    assert.ok(f.isValidId(id));
    assert.ok(!seen[id], "duplicate " + id);
    seen[id] = true;
  }
});

test("storage keys", function () {
  assert.strictEqual(f.draftKey("dangfei"), "dangwu:dangfei:draft");
  assert.strictEqual(f.idKey("dangfei"), "dangwu:dangfei:submission_id");
});

test("submission id is stored, reused until renewed", function () {
  var s = fakeStorage();
  var gen = counter();
  var a = f.submissionId(s, "t1", gen);
  assert.strictEqual(a, "00000000000000000000000000000001");
  assert.strictEqual(s.data["dangwu:t1:submission_id"], a);
  assert.strictEqual(f.submissionId(s, "t1", gen), a, "a reload reuses the id");
  assert.strictEqual(f.submissionId(s, "t2", gen), "00000000000000000000000000000002", "ids are per task");
  var b = f.renewSubmissionId(s, "t1", gen);
  assert.notStrictEqual(b, a);
  assert.strictEqual(s.data["dangwu:t1:submission_id"], b);
  assert.strictEqual(f.submissionId(s, "t1", gen), b);
});

test("a corrupt stored id is replaced; a full or missing storage still gives an id", function () {
  var s = fakeStorage();
  s.data["dangwu:t:submission_id"] = "<script>";
  var id = f.submissionId(s, "t", counter());
  assert.strictEqual(id, "00000000000000000000000000000001");
  assert.strictEqual(f.submissionId(fakeStorage(true), "t", counter()), "00000000000000000000000000000001");
  assert.strictEqual(f.submissionId(null, "t", counter()), "00000000000000000000000000000001");
});

test("isDraftField skips the code, ids, files and passwords", function () {
  assert.ok(f.isDraftField("summary", "textarea"));
  assert.ok(f.isDraftField("count", "number"));
  assert.ok(f.isDraftField("day", "date"));
  assert.ok(f.isDraftField("branch", "select-one"));
  assert.ok(f.isDraftField("title", "text"));
  assert.ok(!f.isDraftField("code", "password"));
  assert.ok(!f.isDraftField("code", "text"), "the access code is never saved, whatever its type");
  assert.ok(!f.isDraftField("submission_id", "hidden"));
  assert.ok(!f.isDraftField("website", "text"));
  assert.ok(!f.isDraftField("report", "file"));
  assert.ok(!f.isDraftField("report", "FILE"));
  assert.ok(!f.isDraftField("pin", "password"));
  assert.ok(!f.isDraftField("", "text"));
});

test("saveDraft stores non-empty fields and savedAt, never the code", function () {
  var s = fakeStorage();
  var ok = f.saveDraft(s, "t", {
    branch: "b01", code: "secret", submission_id: "x", website: "spam",
    summary: "本季度收缴党费 1200 元。", count: "", day: "2026-11-28"
  }, 1764320000000);
  assert.strictEqual(ok, true);
  var d = JSON.parse(s.data["dangwu:t:draft"]);
  assert.deepStrictEqual(d, {branch: "b01", summary: "本季度收缴党费 1200 元。", day: "2026-11-28", savedAt: 1764320000000});
  assert.ok(s.data["dangwu:t:draft"].indexOf("secret") === -1);
});

test("saveDraft removes the draft when only the branch (or nothing) is left", function () {
  var s = fakeStorage();
  f.saveDraft(s, "t", {summary: "x"}, 1);
  assert.ok(s.data["dangwu:t:draft"]);
  assert.strictEqual(f.saveDraft(s, "t", {branch: "b01", summary: "", code: "c"}, 2), false);
  assert.ok(!("dangwu:t:draft" in s.data));
});

test("saveDraft on a full or missing storage fails quietly", function () {
  assert.strictEqual(f.saveDraft(fakeStorage(true), "t", {summary: "x"}, 1), false);
  assert.strictEqual(f.saveDraft(null, "t", {summary: "x"}, 1), false);
});

test("loadDraft round-trips and drops what it must not restore", function () {
  var s = fakeStorage();
  f.saveDraft(s, "t", {branch: "b02", summary: "第一行\n第二行 <b>", kind: "季度"}, 1764320000000);
  var d = f.loadDraft(s, "t");
  assert.deepStrictEqual(d, {values: {branch: "b02", summary: "第一行\n第二行 <b>", kind: "季度"}, savedAt: 1764320000000});
  s.data["dangwu:t:draft"] = JSON.stringify({summary: "x", code: "leaked", n: 3, savedAt: "yesterday"});
  assert.deepStrictEqual(f.loadDraft(s, "t"), {values: {summary: "x"}, savedAt: 0});
  assert.strictEqual(f.loadDraft(s, "other"), null);
  assert.strictEqual(f.loadDraft(null, "t"), null);
});

test("loadDraft removes a corrupt draft", function () {
  var bad = ["{", "null", "[1,2]", "\"text\"", "{\"savedAt\":1}"];
  for (var i = 0; i < bad.length; i++) {
    var s = fakeStorage();
    s.data["dangwu:t:draft"] = bad[i];
    assert.strictEqual(f.loadDraft(s, "t"), null, bad[i]);
    assert.ok(!("dangwu:t:draft" in s.data), bad[i] + " should be removed");
  }
});

test("clearDraft", function () {
  var s = fakeStorage();
  f.saveDraft(s, "t", {summary: "x"}, 1);
  f.saveDraft(s, "u", {summary: "y"}, 1);
  f.clearDraft(s, "t");
  assert.strictEqual(f.loadDraft(s, "t"), null);
  assert.ok(f.loadDraft(s, "u"), "other tasks keep their drafts");
});

test("restorePlan fills only empty fields that exist in the form", function () {
  var plan = f.restorePlan(
    {branch: "b01", summary: "草稿", kind: "季度", gone: "字段已删除", code: "x"},
    {branch: "", summary: "", kind: "已填写", code: ""}
  );
  assert.deepStrictEqual(plan, {branch: "b01", summary: "草稿"});
  assert.deepStrictEqual(f.restorePlan(null, {summary: ""}), {});
});

test("parseTime reads RFC 3339 with offsets and nanoseconds", function () {
  assert.strictEqual(f.parseTime("2026-11-28T17:05:03+08:00").getTime(), Date.UTC(2026, 10, 28, 9, 5, 3));
  assert.strictEqual(f.parseTime("2026-11-28T09:05:03Z").getTime(), Date.UTC(2026, 10, 28, 9, 5, 3));
  assert.strictEqual(f.parseTime("2026-11-28T09:05:03.123456789Z").getTime(), Date.UTC(2026, 10, 28, 9, 5, 3, 123));
  assert.strictEqual(f.parseTime("2026-11-28T04:05:03.5-05:30").getTime(), Date.UTC(2026, 10, 28, 9, 35, 3, 500));
  assert.strictEqual(f.parseTime("yesterday"), null);
  assert.strictEqual(f.parseTime(""), null);
  assert.strictEqual(f.parseTime(null), null);
});

test("formatDateTime writes 2026年11月28日 17:05:03 in the site's zone, whatever this machine's", function () {
  assert.strictEqual(f.formatDateTime(new Date(Date.UTC(2026, 10, 28, 9, 5, 3))), "2026年11月28日 17:05:03");
  assert.strictEqual(f.formatDateTime(new Date(Date.UTC(2026, 2, 2, 0, 0, 9)), 480), "2026年3月2日 08:00:09");
  assert.strictEqual(f.formatDateTime(new Date(Date.UTC(2026, 10, 28, 9, 5, 3)), -300), "2026年11月28日 04:05:03");
});

test("parseOffset reads the form's data-utc-offset", function () {
  assert.strictEqual(f.parseOffset("+08:00"), 480);
  assert.strictEqual(f.parseOffset("-05:30"), -330);
  assert.strictEqual(f.parseOffset("+0000"), 0);
  assert.strictEqual(f.parseOffset("Asia/Shanghai"), null);
  assert.strictEqual(f.parseOffset(null), null);
});

test("formatReceived shows the collector's time in the site's zone, or the string as it is", function () {
  assert.strictEqual(f.formatReceived("2026-11-28T17:05:03+08:00"), "2026年11月28日 17:05:03");
  assert.strictEqual(f.formatReceived("2026-11-28T09:05:03.999Z", 480), "2026年11月28日 17:05:03");
  assert.strictEqual(f.formatReceived("2026-12-31T16:00:00Z", 480), "2027年1月1日 00:00:00");
  assert.strictEqual(f.formatReceived("2026-11-28T17:05:03+08:00", 0), "2026年11月28日 09:05:03");
  assert.strictEqual(f.formatReceived("刚才"), "刚才");
  assert.strictEqual(f.formatReceived(undefined), "");
});

test("formatSavedAt: HH:MM today, with the date otherwise, in the site's zone", function () {
  var now = Date.UTC(2026, 10, 28, 10, 0, 0); // 18:00 in Beijing
  assert.strictEqual(f.formatSavedAt(Date.UTC(2026, 10, 28, 1, 7), now, 480), "09:07");
  assert.strictEqual(f.formatSavedAt(Date.UTC(2026, 10, 27, 15, 59), now, 480), "11月27日 23:59");
  assert.strictEqual(f.formatSavedAt(Date.UTC(2025, 10, 28, 1, 7), now, 480), "2025年11月28日 09:07");
  // 16:30 UTC on the 27th is already the 28th in Beijing: today.
  assert.strictEqual(f.formatSavedAt(Date.UTC(2026, 10, 27, 16, 30), now), "00:30");
});

test("retryMinutes rounds Retry-After up to whole minutes", function () {
  assert.strictEqual(f.retryMinutes("600", 0), 10);
  assert.strictEqual(f.retryMinutes("601", 0), 11);
  assert.strictEqual(f.retryMinutes("30", 0), 1);
  assert.strictEqual(f.retryMinutes(" 0 ", 0), 1);
  assert.strictEqual(f.retryMinutes("", 0), 0);
  assert.strictEqual(f.retryMinutes(null, 0), 0);
  assert.strictEqual(f.retryMinutes("soon", 0), 0);
  var now = Date.UTC(2026, 10, 28, 9, 0, 0);
  assert.strictEqual(f.retryMinutes("Sat, 28 Nov 2026 09:05:00 GMT", now), 5);
});

test("parseJSON accepts objects only", function () {
  assert.deepStrictEqual(f.parseJSON("{\"error\":\"x\"}"), {error: "x"});
  assert.strictEqual(f.parseJSON("<html>413 Request Entity Too Large</html>"), null);
  assert.strictEqual(f.parseJSON(""), null);
  assert.strictEqual(f.parseJSON("[1]"), null);
  assert.strictEqual(f.parseJSON("null"), null);
});

test("failure 400 puts field messages under the fields", function () {
  var r = f.failure(400, {error: "请修改标出的内容", fields: {summary: "必填", count: "应为数字", empty: ""}}, null, true);
  assert.deepStrictEqual(r, {message: "请修改标出的内容", fields: {summary: "必填", count: "应为数字"}});
  r = f.failure(400, null, null, true);
  assert.strictEqual(r.message, "提交内容有误，请按提示修改后重新提交。");
  assert.deepStrictEqual(r.fields, {});
});

test("failure 401 goes to the code field", function () {
  assert.deepStrictEqual(f.failure(401, null, null, true), {message: "", fields: {code: "支部或提交码不正确"}});
  assert.deepStrictEqual(f.failure(401, {error: "提交码错误"}, null, true), {message: "", fields: {code: "提交码错误"}});
  assert.deepStrictEqual(f.failure(401, {error: "x", fields: {branch: "未知支部"}}, null, true),
    {message: "", fields: {branch: "未知支部"}});
});

test("failure 403/404/409/413/415/503 use the server text, else Chinese fallbacks", function () {
  var want = {
    403: "提交来源不被允许",
    404: "任务不存在",
    409: "该任务当前不接收材料",
    413: "提交内容过大",
    415: "文件类型不被接受",
    503: "服务器暂时无法保存，请稍后重试；您填写的内容已保存在本机。"
  };
  for (var code in want) {
    assert.strictEqual(f.failure(+code, null, null, true).message, want[code], code);
    assert.strictEqual(f.failure(+code, {error: "服务器说明"}, null, true).message, "服务器说明", code);
  }
  var r = f.failure(415, {error: "文件类型不被接受", fields: {report: "只接受 PDF、DOCX"}}, null, true);
  assert.deepStrictEqual(r.fields, {report: "只接受 PDF、DOCX"});
  r = f.failure(413, {fields: {report: "文件超过 20 MB"}}, null, true);
  assert.strictEqual(r.message, "提交内容过大");
  assert.deepStrictEqual(r.fields, {report: "文件超过 20 MB"});
  assert.ok(f.failure(503, null, null, false).message.indexOf("已保存在本机") === -1,
    "without localStorage it must not claim the text is saved");
});

test("failure 429 uses Retry-After minutes", function () {
  assert.strictEqual(f.failure(429, {error: "too many"}, "900", true).message, "尝试次数过多，请 15 分钟后再试。");
  assert.strictEqual(f.failure(429, null, "61", true).message, "尝试次数过多，请 2 分钟后再试。");
  assert.strictEqual(f.failure(429, null, null, true).message, "尝试次数过多，请稍后再试。");
  assert.strictEqual(f.failure(429, {error: "请十分钟后再试"}, null, true).message, "请十分钟后再试");
});

test("failure 0 (network error, timeout)", function () {
  assert.deepStrictEqual(f.failure(0, null, null, true),
    {message: "网络异常，未能提交。您填写的内容已保存在本机，可稍后重试。", fields: {}});
  assert.strictEqual(f.failure(0, null, null, false).message.indexOf("已保存在本机"), -1);
});

test("failure with unexpected statuses names the status", function () {
  assert.strictEqual(f.failure(502, null, null, true).message,
    "提交失败（HTTP 502），请稍后重试。您填写的内容已保存在本机，可稍后重试。");
  assert.strictEqual(f.failure(422, {error: "无法处理"}, null, true).message, "无法处理（HTTP 422）");
});

test("safeURL refuses script URLs", function () {
  assert.strictEqual(f.safeURL("/api/receipts/abc"), "/api/receipts/abc");
  assert.strictEqual(f.safeURL("https://dangwu.example/api/receipts/abc"), "https://dangwu.example/api/receipts/abc");
  assert.strictEqual(f.safeURL("javascript:alert(1)"), "");
  assert.strictEqual(f.safeURL(" JavaScript:alert(1)"), "");
  assert.strictEqual(f.safeURL("java\tscript:alert(1)"), "");
  assert.strictEqual(f.safeURL("\u0001javascript:alert(1)"), "");
  assert.strictEqual(f.safeURL("receipts/abc?x=1:2"), "receipts/abc?x=1:2");
  assert.strictEqual(f.safeURL("data:text/html,x"), "");
  assert.strictEqual(f.safeURL(null), "");
});

test("periodFromQuery reads the make-up links and nothing else", function () {
  assert.strictEqual(f.periodFromQuery("?period=2026-10"), "2026-10");
  assert.strictEqual(f.periodFromQuery("?x=1&period=2026-Q3"), "2026-Q3");
  assert.strictEqual(f.periodFromQuery("?period=2026"), "2026");
  assert.strictEqual(f.periodFromQuery("?period=2026-10%22onload"), "");
  assert.strictEqual(f.periodFromQuery("?period=abc"), "");
  assert.strictEqual(f.periodFromQuery(""), "");
});

test("pickPeriod selects the linked period when the form offers it", function () {
  var sel = {selectedIndex: 0, options: [{value: "2026-11"}, {value: "2026-10"}]};
  assert.strictEqual(f.pickPeriod(sel, "?period=2026-10"), true);
  assert.strictEqual(sel.selectedIndex, 1);
  assert.strictEqual(f.pickPeriod(sel, "?period=2025-01"), false);
  assert.strictEqual(sel.selectedIndex, 1);
  assert.strictEqual(f.pickPeriod(null, "?period=2026-10"), false);
});

test("form.js is ES5: no arrow functions, let, const, template strings, fetch, Promise, class", function () {
  var src = fs.readFileSync(path.join(__dirname, "form.js"), "utf8");
  // 去掉注释和字符串再检查，免得注释里的文字误报。
  var code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "")
    .replace(/"(?:[^"\\\n]|\\.)*"/g, "\"\"").replace(/'(?:[^'\\\n]|\\.)*'/g, "''");
  var bad = [/=>/, /\blet\s/, /\bconst\s/, /`/, /\bfetch\s*\(/, /\bPromise\b/, /\bclass\s/, /\.\.\./,
    /\basync\s/, /\bawait\s/, /\.(includes|startsWith|endsWith|find|findIndex)\s*\(/, /\bArray\.from\b/,
    /\bObject\.assign\b/, /\.closest\s*\(/, /\.classList\b/];
  for (var i = 0; i < bad.length; i++) {
    assert.ok(!bad[i].test(code), "form.js uses " + bad[i]);
  }
  assert.ok(code.indexOf("innerHTML") === -1, "form.js must not use innerHTML");
});

if (failures) {
  console.log(failures + " test(s) failed");
  process.exit(1);
}
console.log("all tests passed");
