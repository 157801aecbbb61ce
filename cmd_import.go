package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/content"
	"github.com/dangwu-org/dangwu/generator/importer"
)

const importUsage = `用法：
  dangwu import hugo 目录 [-s 站点目录] [--report 文件]               导入 Hugo 网站的 content/ 和 static/
  dangwu import hexo 目录 [-s 站点目录] [--column 栏目] [--report 文件] 导入 Hexo 网站的 source/（文章放进 --column，默认 news）
  dangwu import docx 文件… --column 栏目 [-s 站点目录] [--report 文件]  把 Word 文档（.docx）转为栏目里的页面
只新建文件、不覆盖已有文件；导入后检查网站能否生成，并把改动和需要编辑检查的地方写进报告（默认为站点目录下的 import-report.md）。`

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("import", importUsage, stderr)
	source := fs.String("s", ".", "站点`目录`（导入到它的 content/ 和 static/）")
	column := fs.String("column", "", "Hexo 文章和 Word 文档放进的`栏目`，如 rules")
	reportFile := fs.String("report", "", "报告`文件`（默认为站点目录下的 import-report.md）")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return fs.fail("请给出导入的种类（hugo、hexo 或 docx）和目录或文件")
	}
	cfg, err := content.LoadConfig(os.DirFS(*source), "site.yaml")
	if err != nil {
		return err
	}
	o := importer.Options{Site: *source, Column: *column, Location: cfg.Location()}
	var r *importer.Report
	switch kind := pos[0]; kind {
	case "hugo", "hexo":
		if len(pos) != 2 {
			return fs.fail("import %s 只接受一个目录", kind)
		}
		if kind == "hugo" {
			r, err = importer.Hugo(pos[1], o)
		} else {
			if o.Column == "" {
				o.Column = "news"
			}
			r, err = importer.Hexo(pos[1], o)
		}
	case "docx":
		if o.Column == "" {
			return fs.fail("请用 --column 给出栏目，如 --column rules")
		}
		r, err = importer.Docx(pos[1:], o)
	default:
		return fs.fail("没有这种导入：%q（可以是 hugo、hexo、docx）", kind)
	}
	if err != nil {
		return err
	}
	// The result must build: check it as a build would, drafts included,
	// since the import marks the pages an editor must finish as drafts.
	_, loadErr := generator.New(generator.Options{Source: *source, Drafts: true, Warn: func(string) {}}).Load(ctx)
	r.Checked = true
	if loadErr != nil {
		r.Check = strings.Split(loadErr.Error(), "\n")
	}
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		return err
	}
	file := *reportFile
	if file == "" {
		file = filepath.Join(*source, "import-report.md")
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已导入 %d 个文件：自动修改 %d 处，需要编辑检查 %d 处，未导入 %d 项；报告见 %s\n",
		len(r.Written), len(r.Changes), len(r.Attention), len(r.Skipped), file)
	if loadErr != nil {
		fmt.Fprintf(stderr, "导入后网站无法生成，发现 %d 个问题（也写在报告里）：\n%v\n", len(r.Check), loadErr)
		return errReported
	}
	return nil
}
