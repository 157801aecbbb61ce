// 群众意见表单脚本的单元测试：node themes/default/static/js/opinion_test.js
// 不依赖任何 npm 包；任何断言失败都以非零状态退出。
"use strict";
var assert = require("assert");
var fs = require("fs");
var path = require("path");
var o = require(path.join(__dirname, "opinion.js"));

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

test("elapsedSince counts whole milliseconds", function () {
  assert.strictEqual(o.elapsedSince(1000, 4500), "3500");
  assert.strictEqual(o.elapsedSince(1000, 1000.9), "0");
  assert.strictEqual(o.elapsedSince(0, 123456789), "123456789");
});

test("elapsedSince never writes a negative number (clock set back)", function () {
  assert.strictEqual(o.elapsedSince(5000, 1000), "0");
  assert.strictEqual(o.elapsedSince(5000, NaN), "0");
});

function fakeForm(withField) {
  var handlers = {};
  var form = {
    elements: withField ? {elapsed: {value: ""}} : {},
    addEventListener: function (type, fn) { handlers[type] = fn; }
  };
  form.fire = function (type) { handlers[type](); };
  form.has = function (type) { return typeof handlers[type] === "function"; };
  return form;
}

test("watch fills elapsed on submit, from the time the page opened", function () {
  var t = 10000;
  var form = fakeForm(true);
  o.watch(form, t, function () { return t; });
  assert.ok(form.has("submit"), "listens for submit");
  assert.strictEqual(form.elements.elapsed.value, "", "nothing written before submitting");
  t = 17250;
  form.fire("submit");
  assert.strictEqual(form.elements.elapsed.value, "7250");
  t = 20000; // a second attempt, after going back to the page
  form.fire("submit");
  assert.strictEqual(form.elements.elapsed.value, "10000");
});

test("watch does nothing harmful when the form has no elapsed field", function () {
  var form = fakeForm(false);
  o.watch(form, 0, function () { return 5000; });
  form.fire("submit");
  assert.strictEqual(form.elements.elapsed, undefined);
});

test("watch falls back to attachEvent (old IE)", function () {
  var attached = null;
  var form = {elements: {elapsed: {value: ""}}, attachEvent: function (type, fn) { attached = [type, fn]; }};
  o.watch(form, 0, function () { return 4000; });
  assert.strictEqual(attached[0], "onsubmit");
  attached[1]();
  assert.strictEqual(form.elements.elapsed.value, "4000");
});

test("opinion.js is ES5 and never writes HTML", function () {
  var src = fs.readFileSync(path.join(__dirname, "opinion.js"), "utf8");
  var code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  var bad = [/=>/, /\blet\s/, /\bconst\s/, /`/, /\bfetch\s*\(/, /\bPromise\b/, /\bclass\s/, /\.\.\./,
    /innerHTML/, /outerHTML/, /insertAdjacentHTML/, /document\.write/];
  bad.forEach(function (re) {
    assert.ok(!re.test(code), "found " + re);
  });
});

if (failures > 0) {
  console.log(failures + " failed");
  process.exit(1);
}
console.log("all passed");
