// 表格筛选脚本的单元测试：node themes/default/static/js/filter_test.js
"use strict";
var assert = require("assert");
var path = require("path");
var fs = require("fs");
var f = require(path.join(__dirname, "filter.js"));

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

test("an empty query keeps every row", function () {
  assert.ok(f.matches("公交一支部 已提交", ""));
  assert.ok(f.matches("公交一支部 已提交", "   "));
});

test("every word must occur, Chinese and Latin alike", function () {
  assert.ok(f.matches("公交一支部 已提交", "公交 已提交"));
  assert.ok(!f.matches("公交一支部 已提交", "公交 逾期"));
  assert.ok(f.matches("Z00012 第13党支部", "z00012"));
});

test("full-width letters and digits match half-width ones", function () {
  assert.ok(f.matches("第13党支部", "１３"));
  assert.ok(f.matches("gj1", "ＧＪ１"));
  assert.ok(f.matches("公交一支部", "公交　一支部"));
});

test("the script is ES5: no let, const, arrow functions or template strings", function () {
  var src = fs.readFileSync(path.join(__dirname, "filter.js"), "utf8");
  assert.ok(!/\b(let|const)\s/.test(src), "let or const");
  assert.ok(src.indexOf("=>") < 0, "arrow function");
  assert.ok(src.indexOf("`") < 0, "template string");
});

if (failures) {
  process.exit(1);
}
