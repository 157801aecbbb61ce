// 站内搜索的单元测试：node themes/default/static/js/search_test.js
// 不依赖任何 npm 包；任何断言失败都以非零状态退出。
"use strict";
var assert = require("assert");
var path = require("path");
var s = require(path.join(__dirname, "search.js"));

var pages = [
  {t: "机关党委印发党费收缴使用管理办法", u: "/news/dangfei/", c: "要闻概览", d: "2026-03-10",
   b: "近日，局机关党委印发办法，对党费的计算、交纳、收缴作出规范。党员应按月交纳党费。"},
  {t: "春运志愿服务", u: "/news/chunyun/", c: "要闻概览", d: "2026-01-20",
   b: "各党支部组织党员志愿者到客运站开展春运志愿服务，帮助旅客购票。"},
  {t: "支部工作考核办法", u: "/rules/kaohe/", c: "规章制度", d: "2026-02-01",
   b: "党支部应当按季度报送党费收缴情况，纳入年度考核。"},
  {t: "电子党务平台使用说明", u: "/guide/pingtai/", c: "工作指南", d: "2026-04-01",
   b: "平台支持上传 PDF 和 DOCX 文件。Upload the PDF file here. 如遇问题请联系机关党委办公室。"},
  {t: "学习材料", u: "/study/a/", c: "中心组学习", d: "2026-05-01",
   b: "本期学习内容没有提到缴费。"}
];

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
function urls(results) {
  return results.map(function (r) { return r.page.u; });
}
function joined(parts) {
  return parts.map(function (p) { return p.text; }).join("");
}

test("两字中文词“党费”按子串匹配正文", function () {
  var u = urls(s.search(pages, "党费"));
  assert.ok(u.indexOf("/rules/kaohe/") !== -1, "正文含“党费”的页面应被找到: " + u);
  assert.ok(u.indexOf("/news/chunyun/") === -1, "不含“党费”的页面不应出现: " + u);
  assert.ok(u.indexOf("/study/a/") === -1, "“缴费”不是“党费”: " + u);
});

test("标题命中排在正文命中之前", function () {
  var u = urls(s.search(pages, "党费"));
  assert.strictEqual(u[0], "/news/dangfei/");
  assert.strictEqual(u.length, 2);
});

test("多个关键词必须同时出现（AND）", function () {
  assert.deepStrictEqual(urls(s.search(pages, "党支部 春运")), ["/news/chunyun/"]);
  assert.deepStrictEqual(urls(s.search(pages, "党费 春运")), []);
  // 全角空格也是分隔符
  assert.deepStrictEqual(urls(s.search(pages, "党支部\u3000季度")), ["/rules/kaohe/"]);
});

test("拉丁字母不区分大小写", function () {
  assert.deepStrictEqual(urls(s.search(pages, "pdf")), ["/guide/pingtai/"]);
  assert.deepStrictEqual(urls(s.search(pages, "UPLOAD Docx")), ["/guide/pingtai/"]);
  // 全角字母也能匹配
  assert.deepStrictEqual(urls(s.search(pages, "ＰＤＦ")), ["/guide/pingtai/"]);
});

test("按出现次数排序", function () {
  var ps = [
    {t: "甲", u: "/a/", b: "党建 党建"},
    {t: "乙", u: "/b/", b: "党建 党建 党建"},
    {t: "丙", u: "/c/", b: "党建"}
  ];
  assert.deepStrictEqual(urls(s.search(ps, "党建")), ["/b/", "/a/", "/c/"]);
});

test("空查询没有结果，结果最多 50 条", function () {
  assert.deepStrictEqual(s.search(pages, "   "), []);
  var many = [];
  for (var i = 0; i < 120; i++) {
    many.push({t: "第" + i + "篇", u: "/p/" + i + "/", b: "党费"});
  }
  assert.strictEqual(s.search(many, "党费").length, 50);
});

test("摘要包含命中词并标记", function () {
  var long = new Array(200).join("甲") + "按月交纳党费" + new Array(200).join("乙");
  var parts = s.snippet(long, "党费");
  var text = joined(parts);
  assert.ok(text.indexOf("党费") !== -1, "摘要应包含命中词: " + text);
  assert.ok(parts.some(function (p) { return p.hit && p.text === "党费"; }), "命中词应单独标记");
  assert.ok(text.length <= 84, "摘要约 80 字: " + text.length);
  assert.strictEqual(parts[0].text, "…");
  assert.strictEqual(parts[parts.length - 1].text, "…");
});

test("摘要保留原文大小写", function () {
  var parts = s.snippet(pages[3].b, "pdf");
  assert.ok(parts.some(function (p) { return p.hit && p.text === "PDF"; }), JSON.stringify(parts));
});

test("页面文字不被当作 HTML", function () {
  var parts = s.snippet("<script>alert(1)</script> 党费", "党费");
  assert.ok(joined(parts).indexOf("<script>") !== -1, "原样保留为文本，由 createTextNode 写入");
});

if (failures) {
  console.log(failures + " 项测试失败");
  process.exit(1);
}
console.log("全部通过");
