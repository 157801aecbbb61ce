package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/generator/content"
)

func cmdNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("new", "用法：dangwu new [-s 目录] 栏目/文件名.md   例如 dangwu new news/2026-dangke.md\n新建页面，自动填好日期等前置信息（默认为草稿）。", stderr)
	source := fs.String("s", ".", "站点`目录`")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fs.fail("请给出一个路径，如 news/2026-dangke.md")
	}
	rel, err := newPagePath(pos[0])
	if err != nil {
		return err
	}
	cfg, err := content.LoadConfigWarn(os.DirFS(*source), "site.yaml", func(w string) { fmt.Fprintln(stderr, w) })
	if err != nil {
		return err
	}
	now := time.Now().In(cfg.Location())
	file := filepath.Join(*source, "content", filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("new：%s 已存在", file)
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(newPageText(rel, now)); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已创建 %s\n", file)
	return nil
}

// newPagePath accepts news/a.md, content/news/a.md or news/a (a bundle when
// it ends in /index.md).
func newPagePath(arg string) (string, error) {
	rel := strings.TrimPrefix(filepath.ToSlash(arg), "content/")
	rel = path.Clean(rel)
	if !strings.HasSuffix(rel, ".md") {
		rel += ".md"
	}
	if strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") || rel == ".md" {
		return "", fmt.Errorf("new：%q 不是 content/ 里的路径", arg)
	}
	return rel, nil
}

func newPageText(rel string, now time.Time) string {
	column, _, _ := strings.Cut(rel, "/")
	var b strings.Builder
	b.WriteString("---\n")
	b.WriteString("title: \"\"\n")
	fmt.Fprintf(&b, "date: %s\n", now.Format("2006-01-02T15:04:05-07:00"))
	b.WriteString("draft: true\n")
	b.WriteString("tags: []\n")
	switch column {
	case "rules":
		b.WriteString("文号: \"\"\n发文单位: \"\"\n")
		fmt.Fprintf(&b, "成文日期: %s\n", now.Format("2006-01-02"))
	case "tasks":
		fmt.Fprintf(&b, "deadline: %s\n", now.AddDate(0, 0, 14).Format("2006-01-02")+"T17:00:00"+now.Format("-07:00"))
		b.WriteString("score: 0\nfields:\n  - {name: content, label: 材料正文, type: textarea, required: true, max: 5000}\n")
	case "lessons":
		b.WriteString("weight: 0\nduration: \"\"\n")
	}
	b.WriteString("---\n\n")
	return b.String()
}
