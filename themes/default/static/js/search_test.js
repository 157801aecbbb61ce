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
// index 按 generator/output/search.go 的办法在内存中为 pages 建倒排表（页号即数组下标），
// search 用 search.js 的 plan 和 rank 查询：检验匹配与排序，不经过文件。
function index(ps) {
  var postings = {};
  ps.forEach(function (p, doc) {
    var counts = {};
    [[p.b, 0], [p.t, 1]].forEach(function (f) {
      s.tokens(f[0]).forEach(function (tok) {
        counts[tok] = counts[tok] || [0, 0];
        counts[tok][f[1]]++;
      });
    });
    Object.keys(counts).forEach(function (tok) {
      postings[tok] = postings[tok] || {};
      postings[tok][doc] = counts[tok];
    });
  });
  return postings;
}
function search(ps, query) {
  var postings = index(ps);
  return s.rank(s.plan(query), function (tok) { return postings[tok] || null; }).map(function (r) {
    r.page = ps[r.doc];
    return r;
  });
}
function urls(results) {
  return results.map(function (r) { return r.page.u; });
}
function joined(parts) {
  return parts.map(function (p) { return p.text; }).join("");
}

test("哈希与构建时相同（FNV-1a，32 位，UTF-8）", function () {
  // 与 generator/output/search_test.go 的 TestSearchHash 相同的值。
  assert.strictEqual(s.hash("党费"), 1165636894);
  assert.strictEqual(s.hash("支部"), 2834789928);
  assert.strictEqual(s.hash("pdf"), 1766705429);
  assert.strictEqual(s.hash("é2"), 630568585);
});

test("词元：相邻两个汉字、拉丁词，折叠大小写和全角", function () {
  assert.deepStrictEqual(s.tokens("党费收缴"), ["党费", "费收", "收缴"]);
  assert.deepStrictEqual(s.tokens("上传ＰＤＦ文件，Upload 2026年"), ["上传", "pdf", "文件", "upload", "2026"]);
  assert.deepStrictEqual(s.tokens("党"), []);
});

test("倒排表：36 进制的页号差，省略默认次数", function () {
  assert.deepStrictEqual(s.decode("1,3/2,1/0/1,a"), {0: [1, 0], 3: [2, 0], 4: [0, 1], 14: [1, 0]});
  assert.deepStrictEqual(s.decode(""), {});
});

test("两字中文词“党费”按子串匹配正文", function () {
  var u = urls(search(pages, "党费"));
  assert.ok(u.indexOf("/rules/kaohe/") !== -1, "正文含“党费”的页面应被找到: " + u);
  assert.ok(u.indexOf("/news/chunyun/") === -1, "不含“党费”的页面不应出现: " + u);
  assert.ok(u.indexOf("/study/a/") === -1, "“缴费”不是“党费”: " + u);
});

test("标题命中排在正文命中之前", function () {
  var u = urls(search(pages, "党费"));
  assert.strictEqual(u[0], "/news/dangfei/");
  assert.strictEqual(u.length, 2);
});

test("多个关键词必须同时出现（AND）", function () {
  assert.deepStrictEqual(urls(search(pages, "党支部 春运")), ["/news/chunyun/"]);
  assert.deepStrictEqual(urls(search(pages, "党费 春运")), []);
  // 全角空格也是分隔符
  assert.deepStrictEqual(urls(search(pages, "党支部\u3000季度")), ["/rules/kaohe/"]);
});

test("拉丁字母不区分大小写", function () {
  assert.deepStrictEqual(urls(search(pages, "pdf")), ["/guide/pingtai/"]);
  assert.deepStrictEqual(urls(search(pages, "UPLOAD Docx")), ["/guide/pingtai/"]);
  // 全角字母也能匹配
  assert.deepStrictEqual(urls(search(pages, "ＰＤＦ")), ["/guide/pingtai/"]);
});

test("按出现次数排序", function () {
  var ps = [
    {t: "甲", u: "/a/", b: "党建 党建"},
    {t: "乙", u: "/b/", b: "党建 党建 党建"},
    {t: "丙", u: "/c/", b: "党建"}
  ];
  assert.deepStrictEqual(urls(search(ps, "党建")), ["/b/", "/a/", "/c/"]);
});

test("空查询和单个汉字没有词元；结果全部返回，同分按页号（日期从新到旧）", function () {
  assert.deepStrictEqual(search(pages, "   "), []);
  assert.deepStrictEqual(s.plan("党 费").terms, []);
  assert.deepStrictEqual(s.plan("党 党费").skipped, ["党"]);
  var many = [];
  for (var i = 0; i < 120; i++) {
    many.push({t: "第" + i + "篇", u: "/p/" + i + "/", b: "党费"});
  }
  var u = urls(search(many, "党费"));
  assert.strictEqual(u.length, 120);
  assert.strictEqual(u[0], "/p/0/");
  assert.strictEqual(u[119], "/p/119/");
});

test("一个关键词的词元须在同一处（标题或正文）出现", function () {
  var ps = [{t: "党费", u: "/a/", b: "收缴"}, {t: "其他", u: "/b/", b: "党费收缴"}];
  assert.deepStrictEqual(urls(search(ps, "党费收缴")), ["/b/"]);
});

test("Index 只取用到的分片和结果所在的页面组", function () {
  var files = {
    "/s/index.json": {v: 1, id: "x", shards: 4, chunk: 2, docs: 3},
    "/s/d/0.json": [["党费办法", "/a/", "要闻", "2026-03-01", "按月交纳党费"], ["其他", "/b/", "要闻", "2026-02-01", "无"]],
    "/s/d/1.json": [["支部", "/c/", "要闻", "2026-01-01", "党费"]]
  };
  files["/s/s/" + (s.hash("党费") % 4) + ".json"] = {"党费": "1,2"};
  var asked = [];
  var ix = new s.Index("/s/", function (url, ok, fail) {
    asked.push(url);
    var f = files[url.replace(/\?.*$/, "")];
    return f ? ok(f) : fail();
  });
  var got;
  ix.search("党费", function (results) {
    ix.docs(results, function (docs) { got = docs; }, function () { throw new Error("docs"); });
  }, function () { throw new Error("search"); });
  assert.deepStrictEqual(got.map(function (d) { return d.u; }), ["/a/", "/c/"]);
  assert.deepStrictEqual(asked, ["/s/index.json", "/s/s/" + (s.hash("党费") % 4) + ".json?v=x", "/s/d/0.json?v=x", "/s/d/1.json?v=x"]);
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
