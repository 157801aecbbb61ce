package importer

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDocx converts a Word document whose document.xml is the input: a
// file from anyone, which must never stop the import with a panic.
func FuzzDocx(f *testing.F) {
	parts := docxParts()
	f.Add([]byte(parts["word/document.xml"]))
	f.Add([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="-3"/></w:tcPr></w:tc></w:tr></w:tbl></w:body></w:document>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		dir := t.TempDir()
		p := docxParts()
		p["word/document.xml"] = string(doc)
		file := filepath.Join(dir, "a.docx")
		writeDocx(t, file, p)
		site := filepath.Join(dir, "site")
		os.MkdirAll(site, 0o755)
		Docx([]string{file}, Options{Site: site, Column: "rules", Location: shanghai})
	})
}

// FuzzHexoBody rewrites a Hexo post's body (tag plugins, <!-- more -->):
// it must not panic, and a body without tag plugins stays as it is.
func FuzzHexoBody(f *testing.F) {
	f.Add("摘要\n<!-- more -->\n{% asset_img a.png 说明 %}\n{% codeblock lang:go %}\nx\n{% endcodeblock %}\n{% blockquote a %}\nq\n{% endblockquote %}")
	f.Add("{% raw %}{% x %}{% endraw %}{% quote")
	f.Fuzz(func(t *testing.T, body string) {
		p, ok := readPage("content/news/a.md", []byte("---\ntitle: a\n---\n"+body), &Report{})
		if !ok {
			return
		}
		x := &hexo{r: &Report{}}
		x.body(p)
	})
}
