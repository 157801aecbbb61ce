package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildExampleSite builds the shipped example site end to end, as the
// README tells a new user to.
func TestBuildExampleSite(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"build", "-d", dest}, &stdout, &stderr); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "已生成") {
		t.Errorf("no summary printed: %q", stdout.String())
	}
	if strings.Contains(stderr.String(), "warning") {
		t.Errorf("the example site has warnings:\n%s", stderr.String())
	}
	for _, f := range []string{"index.html", "news/index.html", "rules/dangfei/index.html", "lessons/lesson-01/index.html",
		"branches/yunshu/index.html", "tasks/2026-zhibu-zongjie/index.html", "search/index.json", "sitemap.xml", "index.xml", "404.html", "robots.txt"} {
		if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	var pages int
	filepath.WalkDir(filepath.Join("content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, "_index.md") {
			pages++
		}
		return nil
	})
	if pages < 40 {
		t.Errorf("the example site has %d pages, want at least 40", pages)
	}
}

// TestBuildErrorsReported checks a broken site prints every problem with its
// file and line and exits non-zero.
func TestBuildErrorsReported(t *testing.T) {
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "site.yaml"), []byte("title: 测试\n"), 0o644)
	os.MkdirAll(filepath.Join(src, "content", "news"), 0o755)
	os.WriteFile(filepath.Join(src, "content", "news", "a.md"), []byte("---\ntitle: a\ndate: 明天\n---\n\n见[办法](../rules/x.md)。\n"), 0o644)
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"build", "-s", src, "-d", filepath.Join(src, "public")}, &stdout, &stderr)
	if err == nil {
		t.Fatal("build succeeded")
	}
	// Front matter and links at once (issue 13), not one stage per build.
	want := "content/news/a.md:3: date: \"明天\" 不是 Asia/Shanghai 时区的有效时间（请写成 2026-11-28 或 2026-11-28T17:00:00+08:00）\n" +
		"content/news/a.md:6: 链接 ../rules/x.md：页面不存在（没有 content/rules/x.md）\n" +
		"生成失败：发现 2 个问题，原有网站未作改动。\n"
	if stderr.String() != want {
		t.Errorf("stderr\n%s\nwant\n%s", stderr.String(), want)
	}
	if _, err := os.Stat(filepath.Join(src, "public")); !os.IsNotExist(err) {
		t.Error("a failed build created public/")
	}
}

func TestUnknownConfigKey(t *testing.T) {
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "site.yaml"), []byte("title: 测试\npaginat: 5\n"), 0o644)
	os.MkdirAll(filepath.Join(src, "content"), 0o755)
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"build", "-s", src}, &stdout, &stderr); err == nil {
		t.Fatal("build succeeded")
	}
	if want := "site.yaml:2: 未知的配置项 paginat；是否想写 paginate？"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q does not contain %q", stderr.String(), want)
	}
}

func TestNew(t *testing.T) {
	src := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"new", "-s", src, "rules/banfa.md"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(src, "content", "rules", "banfa.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"title:", "date: ", "draft: true", "文号:", "发文单位:", "成文日期:"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("new page lacks %q:\n%s", want, b)
		}
	}
	if err := run(context.Background(), []string{"new", "-s", src, "rules/banfa.md"}, &stdout, &stderr); err == nil {
		t.Error("new overwrote an existing page")
	}
}

// TestImportRules keeps the layers apart: the generator never imports the
// collector, and generator/site imports only the standard library.
func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", "./generator/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "/collector") {
			t.Errorf("generator depends on %s", line)
		}
	}
	out, err = exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", "./generator/site").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, std, _ := strings.Cut(line, " ")
		if std != "true" && path != "github.com/dangwu-org/dangwu/generator/site" {
			t.Errorf("generator/site imports %s, outside the standard library", path)
		}
	}
	// One package watches files.
	out, err = exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, imports, _ := strings.Cut(line, " ")
		if strings.Contains(" "+imports+" ", " github.com/fsnotify/fsnotify ") && path != "github.com/dangwu-org/dangwu/generator/serve" {
			t.Errorf("%s imports fsnotify; only generator/serve may", path)
		}
		if strings.Contains(" "+imports+" ", " github.com/microcosm-cc/bluemonday ") && path != "github.com/dangwu-org/dangwu/generator/markdown" {
			t.Errorf("%s imports bluemonday; only generator/markdown may", path)
		}
		// The store contract (issue 12): one package per database driver,
		// and package main knows neither store.
		if strings.Contains(imports, "github.com/jackc/pgx/v5") && !strings.HasPrefix(path, "github.com/dangwu-org/dangwu/collector/postgres") {
			t.Errorf("%s imports pgx; only collector/postgres may", path)
		}
		if strings.Contains(" "+imports+" ", " github.com/mattn/go-sqlite3 ") && path != "github.com/dangwu-org/dangwu/collector/sqlite" {
			t.Errorf("%s imports go-sqlite3; only collector/sqlite may", path)
		}
		if path == "github.com/dangwu-org/dangwu" && strings.Contains(" "+imports+" ", " github.com/dangwu-org/dangwu/collector/postgres ") {
			t.Errorf("package main imports collector/postgres; it opens stores through collector/store")
		}
	}
}

// TestFlagsAnywhere checks that flags are read after positional arguments
// as before them, and that usage and flag mistakes are in Chinese (issue 13).
func TestFlagsAnywhere(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"new", "news/a.md", "-s", src}, &stdout, &stderr); err != nil {
		t.Fatalf("new PATH -s DIR: %v", err)
	}
	if _, err := os.Stat(filepath.Join(src, "content", "news", "a.md")); err != nil {
		t.Errorf("new PATH -s DIR did not write into DIR: %v", err)
	}
	if err := run(ctx, []string{"new", "-s", src, "--", "news/-b.md"}, &stdout, &stderr); err != nil {
		t.Fatalf("new -s DIR -- PATH: %v", err)
	}
	if _, err := os.Stat(filepath.Join(src, "content", "news", "-b.md")); err != nil {
		t.Errorf("new -- PATH: %v", err)
	}
	tests := []struct {
		name      string
		args      []string
		err       string // the error as main prints it after "dangwu: "
		stderrHas string
	}{
		{"flags after the task", []string{"export", "nosuch", "--format", "json", "-s", "."},
			`export："nosuch" 不是任务（没有 content/tasks/nosuch.md）`, ""},
		{"a bad value after the task", []string{"export", "zongjie", "--format", "xml"},
			`export：--format 只能是 csv 或 json，不能是 "xml"`, "用法：dangwu export 任务编号"},
		{"unknown flag", []string{"build", "--nope"}, "build：没有这个选项：-nope", "选项："},
		{"flag without its value", []string{"export", "zongjie", "--format"}, "export：选项 -format 需要一个值", ""},
		{"bad boolean", []string{"build", "--drafts=maybe"}, `build：选项 -drafts 只能是 true 或 false，不能是 "maybe"`, ""},
		{"extra argument", []string{"build", "extra"}, `build：多余的参数 "extra"`, ""},
		{"unknown command", []string{"frob"}, `没有这个命令："frob"（运行 dangwu help 查看全部命令）`, ""},
		{"help", []string{"build", "-h"}, "flag: help requested", "  --drafts\n      包含草稿\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(ctx, tt.args, &stdout, &stderr)
			if err == nil || err.Error() != tt.err {
				t.Errorf("error %v, want %s", err, tt.err)
			}
			if !strings.Contains(stderr.String(), tt.stderrHas) {
				t.Errorf("stderr\n%s\ndoes not contain %q", stderr.String(), tt.stderrHas)
			}
		})
	}
}
