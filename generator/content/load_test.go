package content

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

func load(t *testing.T, files map[string]string, opts Options) (*site.Site, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	cfg := site.DefaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if opts.Now.IsZero() {
		opts.Now = now
	}
	opts.Prefix = "content"
	return Load(fsys, cfg, opts)
}

func published(s *site.Site) []string {
	var out []string
	for _, p := range s.Pages {
		out = append(out, p.Source)
	}
	return out
}

func TestPublishing(t *testing.T) {
	files := map[string]string{
		"news/_index.md":  "---\ntitle: 要闻\n---\n",
		"news/now.md":     "---\ntitle: 今天\ndate: 2026-11-28\n---\n",
		"news/draft.md":   "---\ntitle: 草稿\ndraft: true\n---\n",
		"news/future.md":  "---\ntitle: 未来\npublishDate: 2026-12-01\n---\n",
		"news/dated.md":   "---\ntitle: 未来日期\ndate: 2026-12-31\n---\n",
		"news/expired.md": "---\ntitle: 过期\nexpiryDate: 2026-11-28T11:59:00+08:00\n---\n",
		"news/expires.md": "---\ntitle: 将过期\nexpiryDate: 2026-11-28T12:01:00+08:00\n---\n",
	}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"default", Options{}, "news/expires.md news/now.md"},
		{"drafts", Options{Drafts: true}, "news/draft.md news/expires.md news/now.md"},
		{"future", Options{Future: true}, "news/dated.md news/expires.md news/future.md news/now.md"},
		{"later", Options{Now: now.Add(time.Hour)}, "news/now.md"},
		{"publish date arrives", Options{Now: time.Date(2026, 12, 1, 0, 0, 0, 0, now.Location())}, "news/future.md news/now.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, files, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := published(s)
			sortStrings(got)
			if strings.Join(got, " ") != tt.want {
				t.Errorf("published %v, want %s", got, tt.want)
			}
		})
	}
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

func TestPages(t *testing.T) {
	s, err := load(t, map[string]string{
		"_index.md":             "---\ntitle: 首页\n---\n欢迎",
		"news/_index.md":        "---\ntitle: 要闻概览\nweight: 10\n---\n",
		"news/toml.md":          "+++\ntitle = \"TOML页面\"\ndate = 2026-05-01\ntags = [\"党费\"]\n+++\n正文",
		"news/heading.md":       "# 标题来自正文\n\n正文第一段。",
		"news/slugged.md":       "---\ntitle: 自定义\nslug: custom\ndate: 2026-01-01\n---\n",
		"news/b/index.md":       "---\ntitle: 图集\nattachments: [{file: a.pdf, title: 附件一}]\n---\n",
		"news/b/a.pdf":          "%PDF",
		"news/b/img/x.png":      "png",
		"lessons/_index.md":     "---\ntitle: 网上党课\nweight: 5\n---\n",
		"lessons/two.md":        "---\ntitle: 第二课\nweight: 2\n---\n",
		"lessons/one.md":        "---\ntitle: 第一课\nweight: 1\n---\n",
		"branches/yi/_index.md": "---\ntitle: 一支部\nsecretary: 张三\nmembers: 9\nestablished: 2001-07-01\n---\n",
		"branches/yi/post.md":   "---\ntitle: 支部动态\ndate: 2026-02-01\n---\n",
		"news/photo.jpg":        "jpg",
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	get := func(src string) *site.Page {
		p := s.All[src]
		if p == nil {
			t.Fatalf("%s not loaded", src)
		}
		return p
	}
	if p := get("news/toml.md"); p.Title != "TOML页面" || p.Date.Year() != 2026 || p.Date.Location().String() != "Asia/Shanghai" || len(p.Tags) != 1 {
		t.Errorf("toml page: title %q date %v tags %v", p.Title, p.Date, p.Tags)
	}
	if p := get("news/heading.md"); p.Title != "标题来自正文" || strings.Contains(string(p.Body), "# 标题") || p.BodyLine != 2 {
		t.Errorf("heading page: title %q body %q line %d", p.Title, p.Body, p.BodyLine)
	}
	if p := get("news/slugged.md"); p.Path != "news/custom/" {
		t.Errorf("slug: path %q, want news/custom/", p.Path)
	}
	if p := get("news/b/index.md"); !p.Bundle || p.Path != "news/b/" || len(p.Files) != 2 || p.Attachments[0].Size != 4 {
		t.Errorf("bundle: %+v", p)
	}
	if c := s.Column("lessons"); c == nil || c.Pages[0].Title != "第一课" || c.Pages[0].Next != c.Pages[1] || c.Pages[1].Prev != c.Pages[0] {
		t.Errorf("lessons are not in weight order with prev/next")
	}
	if s.Columns[0].Name != "lessons" || s.Columns[1].Name != "news" {
		t.Errorf("columns not in weight order: %s, %s", s.Columns[0].Name, s.Columns[1].Name)
	}
	if b := s.Branch("yi"); b == nil || b.Secretary != "张三" || b.Members != 9 || len(b.Posts) != 1 || b.Posts[0].Branch != b {
		t.Errorf("branch: %+v", b)
	}
	if len(s.Files) != 1 || s.Files[0] != "news/photo.jpg" {
		t.Errorf("loose files %v", s.Files)
	}
	if s.Home.Title != "首页" {
		t.Errorf("home title %q", s.Home.Title)
	}
}

// TestDiagnostics checks that each mistake is reported with its file and line.
func TestDiagnostics(t *testing.T) {
	base := map[string]string{
		"rules/_index.md":       "---\ntitle: 规章制度\nrequire: [文号, 发文单位]\n---\n",
		"branches/yi/_index.md": "---\ntitle: 一支部\n---\n",
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"yaml syntax", map[string]string{"news/a.md": "---\ntitle: a\ntags: [a, b\n---\n"},
			[]string{"content/news/a.md:"}},
		{"bad date", map[string]string{"news/a.md": "---\ntitle: a\n\ndate: 2026-02-30\n---\n"},
			[]string{`content/news/a.md:4: date: "2026-02-30" is not a time in Asia/Shanghai`}},
		{"mistyped weight", map[string]string{"news/a.md": "---\ntitle: a\nweight: 第一\n---\n"},
			[]string{`content/news/a.md:3: weight: expected a whole number, got "第一"`}},
		{"toml date", map[string]string{"news/a.md": "+++\ntitle = \"a\"\ndraft = \"maybe\"\n+++\n"},
			[]string{`content/news/a.md:3: draft: expected true or false, got "maybe"`}},
		{"required key", map[string]string{"rules/r.md": "---\ntitle: 办法\n文号: 1号\n---\n"},
			[]string{`content/rules/r.md:1: missing required front matter key "发文单位"`}},
		{"missing attachment", map[string]string{"news/b/index.md": "---\ntitle: b\nattachments: [gone.pdf]\n---\n"},
			[]string{`content/news/b/index.md:3: attachments: file "gone.pdf" is not in the bundle`}},
		{"duplicate URL", map[string]string{"news/a.md": "---\ntitle: a\n---\n", "news/b.md": "---\ntitle: b\nslug: a\n---\n"},
			[]string{"URL /news/a/ is also the URL of content/news/a.md"}},
		{"task field type", map[string]string{"tasks/t.md": "---\ntitle: t\ndeadline: 2026-12-01\nfields:\n  - {name: x, label: X, type: color}\n---\n"},
			[]string{"content/tasks/t.md:4: fields: entry 1 (x): type color is not one of text"}},
		{"task deadline", map[string]string{"tasks/t.md": "---\ntitle: t\ndeadline: 下周五\nfields: [{name: x, label: X, type: text}]\n---\n"},
			[]string{`content/tasks/t.md:3: deadline: "下周五" is not a time`}},
		{"task branch", map[string]string{"tasks/t.md": "---\ntitle: t\ndeadline: 2026-12-01\nbranches: [yi, er]\nfields: [{name: x, label: X, type: text}]\n---\n"},
			[]string{`content/tasks/t.md:4: branches: "er" is not a branch`}},
		{"recurring task", map[string]string{"tasks/t.md": "---\ntitle: t\nevery: week\nfields: [{name: x, label: X, type: text}]\n---\n"},
			[]string{`content/tasks/t.md:3: every: "week" is not month, quarter or year`}},
		{"select without options", map[string]string{"tasks/t.md": "---\ntitle: t\ndeadline: 2026-12-01\nfields: [{name: x, label: X, type: select}]\n---\n"},
			[]string{"a select field needs options"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range tt.files {
				files[k] = v
			}
			_, err := load(t, files, Options{})
			if err == nil {
				t.Fatal("load succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
		})
	}
}

func TestAllProblemsReported(t *testing.T) {
	_, err := load(t, map[string]string{
		"news/a.md": "---\ndate: nope\n---\n",
		"news/b.md": "---\nweight: x\n---\n",
	}, Options{})
	if err == nil || strings.Count(err.Error(), "\n") != 1 {
		t.Fatalf("want two problems on two lines, got %v", err)
	}
}

func TestTask(t *testing.T) {
	s, err := load(t, map[string]string{
		"branches/yi/_index.md": "---\ntitle: 一支部\n---\n",
		"branches/er/_index.md": "---\ntitle: 二支部\n---\n",
		"tasks/zhuti.md":        "---\ntitle: 主题党日\nevery: month\ndue: 10\nscore: 2\nfields:\n  - {name: topic, label: 主题, type: text, required: true, max: 50}\n  - {name: photo, label: 照片, type: file, accept: [jpg, .PNG]}\n---\n",
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	task := s.Task("zhuti")
	if task == nil {
		t.Fatal("task not loaded")
	}
	if task.Every != site.Monthly || task.Due != 10 || task.Score != 2 {
		t.Errorf("task %+v", task)
	}
	if strings.Join(task.Branches, ",") != "er,yi" {
		t.Errorf("branches %v, want every branch", task.Branches)
	}
	if f := task.Fields[1]; strings.Join(f.Accept, ",") != ".jpg,.png" {
		t.Errorf("accept %v", f.Accept)
	}
	if f := task.Fields[0]; !f.Required || f.Max != 50 || f.Type != site.FieldText {
		t.Errorf("field %+v", f)
	}
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "title: 党委\nbaseUrl: http://x/\n", "site.yaml:2: field baseUrl not found"},
		{"mistyped", "title: 党委\npaginate: 十\n", "site.yaml:2: cannot unmarshal !!str `十` into int"},
		{"bad zone", "title: 党委\ntimeZone: Mars/Base\n", `timeZone: unknown time zone "Mars/Base"`},
		{"relative base", "title: 党委\nbaseURL: /dangwu/\n", `baseURL: "/dangwu/" is not an absolute http(s) URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(fstest.MapFS{"site.yaml": {Data: []byte(tt.yaml)}}, "site.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
	cfg, err := LoadConfig(fstest.MapFS{"site.yaml": {Data: []byte("title: 党委\nbaseURL: http://intranet/dangwu\n")}}, "site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "http://intranet/dangwu/" || cfg.RelURL("news/") != "/dangwu/news/" || cfg.Paginate != 10 {
		t.Errorf("config %+v", cfg)
	}
}

// FuzzParsePage feeds arbitrary files to the front-matter splitter and
// decoder: they must never panic, and a reported line must be in the file.
func FuzzParsePage(f *testing.F) {
	f.Add("---\ntitle: 标题\ndate: 2026-11-28\ntags: [a, b]\n---\n正文")
	f.Add("+++\ntitle = \"t\"\ndate = 2026-11-28T10:00:00+08:00\n+++\n# 标题\n")
	f.Add("# 只有标题\n\n正文")
	f.Add("---\nfields:\n  - {name: x, label: X, type: select, options: [a]}\ndeadline: 2026-12-01\n---\n")
	f.Add("---\n: : :\n---\n")
	f.Add("+++\n[[fields]]\nname = 1\n+++\n")
	f.Add("---\nattachments: [{file: ../x}]\naliases: [../../etc]\nslug: ../x\n---\n")
	f.Fuzz(func(t *testing.T, src string) {
		lines := strings.Count(src, "\n") + 1
		for _, name := range []string{"news/a.md", "tasks/t.md", "news/b/index.md"} {
			fsys := fstest.MapFS{name: {Data: []byte(src)}, "branches/yi/_index.md": {Data: []byte("---\ntitle: y\n---\n")}}
			cfg := site.DefaultConfig()
			cfg.Validate()
			s, err := Load(fsys, cfg, Options{Now: now})
			if err != nil {
				for _, line := range strings.Split(err.Error(), "\n") {
					if !strings.HasPrefix(line, name+":") && !strings.HasPrefix(line, "branches/") {
						continue
					}
					if n := lineNumber(line); n > lines {
						t.Fatalf("%s: line %d beyond the file's %d lines", line, n, lines)
					}
				}
				continue
			}
			for _, p := range s.All {
				if strings.Contains(p.Path, "..") {
					t.Fatalf("path %q escapes the site", p.Path)
				}
			}
		}
	})
}

func lineNumber(diag string) int {
	_, rest, _ := strings.Cut(diag, ":")
	n := 0
	for _, r := range rest {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// FuzzLoadConfig feeds arbitrary site.yaml files to the strict decoder: it
// must never panic, and a config it accepts must be valid.
func FuzzLoadConfig(f *testing.F) {
	f.Add("title: 党委\nbaseURL: http://intranet/dangwu/\npaginate: 5\n")
	f.Add("title: 党委\npaginat: 5\n")
	f.Add("title: [a, b]\n")
	f.Add("assessment: {late: 2}\n")
	f.Add("collector:\n  allowedOrigins: [http://a]\n")
	f.Add(": : :\n\t-")
	f.Fuzz(func(t *testing.T, src string) {
		cfg, err := LoadConfig(fstest.MapFS{"site.yaml": {Data: []byte(src)}}, "site.yaml")
		if err != nil {
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("accepted config does not validate: %v", err)
		}
		if !strings.HasPrefix(cfg.RelURL("x"), "/") {
			t.Fatalf("RelURL %q", cfg.RelURL("x"))
		}
	})
}
