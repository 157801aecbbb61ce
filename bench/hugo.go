package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// hugoLayouts are minimal Hugo layouts doing the work dangwu's default
// theme does: a menu and crumbs on every page; title, date, word count,
// table of contents, tags and previous/next on a page; paginated lists with
// summaries; the home page's latest pages per column; tag pages; and the
// search index. RSS, the sitemap and robots.txt are Hugo's built-in ones.
//
//go:embed all:hugo/layouts
var hugoLayouts embed.FS

// hugoLayoutDir is where the Hugo layouts go in the corpus site folder. It
// is not layouts/, which dangwu would read as the site's own layouts.
const hugoLayoutDir = "hugo_layouts"

// hugo is the Hugo found on the PATH.
type hugo struct {
	path    string
	version string // "v0.111.3"
	minor   int    // 111
}

// findHugo asks the version of the given Hugo, or of hugo on the PATH
// when none is given. It returns nil and no error when there is none on
// the PATH.
func findHugo(ctx context.Context, given string) (*hugo, error) {
	path := given
	if path == "" {
		var err error
		if path, err = exec.LookPath("hugo"); err != nil {
			return nil, nil
		}
	}
	out, err := exec.CommandContext(ctx, path, "version").Output()
	if err != nil {
		return nil, fmt.Errorf("hugo version: %w", err)
	}
	h := &hugo{path: path}
	h.version, h.minor = parseHugoVersion(string(out))
	return h, nil
}

var hugoVersionRE = regexp.MustCompile(`v0\.(\d+)\.\d+`)

// parseHugoVersion reads "hugo v0.111.3+extended linux/amd64 …".
func parseHugoVersion(s string) (version string, minor int) {
	m := hugoVersionRE.FindStringSubmatch(s)
	if m == nil {
		return strings.TrimSpace(s), 0
	}
	minor, _ = strconv.Atoi(m[1])
	return m[0], minor
}

// args are the command-line arguments of one build.
func (h *hugo) args(site, out, cache string) []string {
	return []string{"--quiet", "-s", site, "-d", out, "--cacheDir", cache}
}

// writeSite adds hugo.toml and the layouts to the corpus site folder, so
// Hugo reads the same content/ as dangwu.
func (h *hugo) writeSite(site string) error {
	if err := os.WriteFile(filepath.Join(site, "hugo.toml"), []byte(h.config()), 0o644); err != nil {
		return err
	}
	return fs.WalkDir(hugoLayouts, "hugo/layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := hugoLayouts.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(site, hugoLayoutDir, filepath.FromSlash(strings.TrimPrefix(p, "hugo/layouts/")))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}

// config is hugo.toml: the corpus's title, base URL and page size, tags,
// CJK word counts, and outputs like dangwu's (HTML and RSS for the home
// page, the columns and the tags, the home page's search index, the
// sitemap). The page size and the RSS limit changed keys in Hugo 0.128 and
// 0.114.
func (h *hugo) config() string {
	var b strings.Builder
	b.WriteString(`baseURL = "http://127.0.0.1:1313/"
languageCode = "zh-CN"
title = "江州市交通运输局机关党委（测试语料）"
layoutDir = "` + hugoLayoutDir + `"
hasCJKLanguage = true
enableRobotsTXT = true
`)
	if h.minor < 114 {
		b.WriteString("rssLimit = 20\n")
	}
	if h.minor < 128 {
		b.WriteString("paginate = 20\n")
	} else {
		b.WriteString("\n[pagination]\npagerSize = 20\n")
	}
	if h.minor >= 114 {
		b.WriteString("\n[services.rss]\nlimit = 20\n")
	}
	b.WriteString(`
[taxonomies]
tag = "tags"

[outputs]
home = ["HTML", "RSS", "JSON"]
section = ["HTML", "RSS"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]
`)
	return b.String()
}
