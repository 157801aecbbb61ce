package generator

import (
	"bytes"
	"html/template"
	"time"

	"github.com/dangwu-org/dangwu/generator/output"
	"github.com/dangwu-org/dangwu/generator/site"
)

// Ledger is what the site publishes of the collector's ledger (账本): the
// newest signed tree head, exactly as signed, and the public key that
// checks it. The generator does not read or check them; main hands them
// over after every commit, like the statuses.
type Ledger struct {
	// Head is the signed head (note text with its signature line).
	Head []byte
	// Key is the verifier key (name+hash+key).
	Key string
	// Size and Time are the head's number of records and signing time.
	Size int64
	Time time.Time
}

// WriteLedger writes /ledger/head.txt (the head's bytes), /ledger/key.txt
// and the /ledger/ page explaining them into dest, each file
// replaced atomically. It is separate from the page engine: three files
// that depend on the ledger alone, rewritten whole after every commit.
func WriteLedger(dest string, s *site.Site, l Ledger) error {
	var page bytes.Buffer
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	err := ledgerPage.Execute(&page, struct {
		Site *site.Site
		L    Ledger
		Time string
		Head string
	}{s, l, l.Time.In(loc).Format("2006年1月2日 15:04:05"), string(l.Head)})
	if err != nil {
		return err
	}
	for _, f := range []struct {
		rel  string
		data []byte
	}{
		{"ledger/head.txt", l.Head},
		{"ledger/key.txt", []byte(l.Key + "\n")},
		{"ledger/index.html", page.Bytes()},
	} {
		if err := output.WriteAtomic(dest, f.rel, f.data); err != nil {
			return err
		}
	}
	return nil
}

var ledgerPage = template.Must(template.New("ledger").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>账本与核验 - {{.Site.Config.Title}}</title>
<link rel="stylesheet" href="{{.Site.Config.RelURL "css/style.css"}}">
</head>
<body>
<main id="main" class="container">
<p><a href="{{.Site.Config.RelURL ""}}">{{.Site.Config.Title}}</a> › 账本与核验</p>
<h1>账本与核验</h1>
<p>各党支部报送的材料、机关党委的审核、群众意见的处理、提交码和管理员密码的变更，每一件都作为一条记录写入收集器的<strong>账本</strong>。账本是一棵默克尔树（与证书透明度日志、Go 模块校验和数据库相同的做法）：每次写入后，收集器用自己的密钥签发一个<strong>树头</strong>，写明当时共有多少条记录、全部记录合起来的根哈希和签发时间。</p>
<p>任何人保存的树头或回执都是证据：以后的账本必须能证明自己只是在它后面追加了记录。倒签、改写、插入、删除记录，或把数据库换回旧备份，<code>dangwu verify</code> 都会指出来。</p>
<h2>当前树头</h2>
<dl>
<div><dt>记录数</dt><dd>{{.L.Size}} 条</dd></div>
<div><dt>签发时间</dt><dd>{{.Time}}</dd></div>
</dl>
<pre>{{.Head}}</pre>
<p><a href="head.txt">下载树头（head.txt）</a> · <a href="key.txt">公钥（key.txt）</a>：<code>{{.L.Key}}</code></p>
<h2>怎样核验</h2>
<ol>
<li>定期下载 <a href="head.txt">head.txt</a> 并妥善保存（支部可在每次报送后保存一份）；提交材料后，在回执页面下载回执文件。</li>
<li>机关党委或上级检查时，在收集器所在的机器上运行：<br><code>dangwu verify --head 保存的head.txt --receipt 回执文件.json</code><br>也可以直接给出网址：<code>dangwu verify --head {{.Site.Config.AbsURL "ledger/head.txt"}}</code>。</li>
<li>显示“校验通过”说明今天的账本包含你保存时的全部记录且未被改动；否则会以退出码 1 指出哪一条记录、哪个树头或回执不符。</li>
</ol>
<p>核对公钥：树头末行的签名只能由与上面公钥配对的私钥生成。请把公钥与机关党委公布的核对一致。</p>
</main>
</body>
</html>
`))
