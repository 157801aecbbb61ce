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
		"_index.md":              "---\ntitle: 首页\n---\n欢迎",
		"news/_index.md":         "---\ntitle: 要闻概览\nweight: 10\n---\n",
		"news/toml.md":           "+++\ntitle = \"TOML页面\"\ndate = 2026-05-01\ntags = [\"党费\"]\n+++\n正文",
		"news/heading.md":        "# 标题来自正文\n\n正文第一段。",
		"news/slugged.md":        "---\ntitle: 自定义\nslug: custom\ndate: 2026-01-01\n---\n",
		"news/b/index.md":        "---\ntitle: 图集\nattachments: [{file: a.pdf, title: 附件一}]\n---\n",
		"news/b/a.pdf":           "%PDF",
		"news/b/img/x.png":       "png",
		"lessons/_index.md":      "---\ntitle: 网上党课\nweight: 5\n---\n",
		"lessons/two.md":         "---\ntitle: 第二课\nweight: 2\n---\n",
		"lessons/one.md":         "---\ntitle: 第一课\nweight: 1\n---\n",
		"branches/yi/_index.md":  "---\ntitle: 一支部\nsecretary: 张三\nmembers: 9\nestablished: 2001-07-01\n---\n",
		"branches/yi/post.md":    "---\ntitle: 支部动态\ndate: 2026-02-01\n---\n",
		"branches/flat.md":       "---\ntitle: 支部风采\ndate: 2026-02-02\n---\n",
		"branches/pack/index.md": "---\ntitle: 支部图集\ndate: 2026-02-03\n---\n",
		"news/photo.jpg":         "jpg",
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
	// Posts directly in branches/ belong to the column, not to a branch:
	// the benchmark corpus has them (issue 14).
	for src, want := range map[string]string{"branches/flat.md": "branches/flat/", "branches/pack/index.md": "branches/pack/"} {
		if p := get(src); p.Branch != nil || p.Column != "branches" || p.Path != want {
			t.Errorf("%s: branch %v column %q path %q, want %s", src, p.Branch, p.Column, p.Path, want)
		}
	}
	if len(s.Files) != 1 || s.Files[0] != "news/photo.jpg" {
		t.Errorf("loose files %v", s.Files)
	}
	if s.Home.Title != "首页" {
		t.Errorf("home title %q", s.Home.Title)
	}
}

// TestDiagnostics is the table of real-world mistakes (issue 13): each is
// reported with its file and line, in Chinese, exactly as an editor reads
// it; the build fails with every error and warns about the rest.
func TestDiagnostics(t *testing.T) {
	base := map[string]string{
		"rules/_index.md":       "---\ntitle: 规章制度\nrequire: [文号, 发文单位]\n---\n",
		"branches/yi/_index.md": "---\ntitle: 一支部\n---\n",
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string // every error, in order
		warn  []string // every warning, in order
	}{
		{"unclosed front matter", map[string]string{"news/a.md": "---\ntitle: 通知\ndate: 2026-11-01\n\n正文……\n"},
			[]string{"content/news/a.md:1: 前置信息以第 1 行的 --- 开始，但没有结束的 --- 行（前置信息须以单独一行的 --- 结束）"}, nil},
		{"unclosed TOML after a blank line", map[string]string{"news/a.md": "\n+++\ntitle = \"通知\"\n"},
			[]string{"content/news/a.md:2: 前置信息以第 2 行的 +++ 开始，但没有结束的 +++ 行（前置信息须以单独一行的 +++ 结束）"}, nil},
		{"yaml list not closed", map[string]string{"news/a.md": "---\ntitle: a\ntags: [a, b\n---\n"},
			[]string{"content/news/a.md:3: 前置信息格式错误：列表缺少结尾的 ]（或两项之间缺少逗号）"}, nil},
		{"colon in a value", map[string]string{"news/a.md": "---\ntitle: 主题: 不忘初心\n---\n"},
			[]string{"content/news/a.md:2: 前置信息格式错误：此处不能出现“键: 值”（值里含“: ”时请给整个值加引号）"}, nil},
		{"tab indent", map[string]string{"news/a.md": "---\ntitle: a\ntags:\n\t- a\n---\n"},
			[]string{"content/news/a.md:4: 前置信息格式错误：有不能出现在开头的字符（如用制表符缩进，请改用空格；或值以 @ ` 开头，请加引号）"}, nil},
		{"bad date", map[string]string{"news/a.md": "---\ntitle: a\n\ndate: 2026-02-30\n---\n"},
			[]string{`content/news/a.md:4: date: "2026-02-30" 不是 Asia/Shanghai 时区的有效时间（请写成 2026-11-28 或 2026-11-28T17:00:00+08:00）`}, nil},
		{"mistyped weight", map[string]string{"news/a.md": "---\ntitle: a\nweight: 第一\n---\n"},
			[]string{`content/news/a.md:3: weight: 应为整数，实际是 "第一"`}, nil},
		{"toml bool", map[string]string{"news/a.md": "+++\ntitle = \"a\"\ndraft = \"maybe\"\n+++\n"},
			[]string{`content/news/a.md:3: draft: 应为 true 或 false，实际是 "maybe"`}, nil},
		{"required key", map[string]string{"rules/r.md": "---\ntitle: 办法\n文号: 1号\n---\n"},
			[]string{`content/rules/r.md:1: 缺少必填的前置信息 "发文单位"（栏目 rules 要求：文号、发文单位）`}, nil},
		{"missing attachment", map[string]string{"news/b/index.md": "---\ntitle: b\nattachments: [gone.pdf]\n---\n"},
			[]string{`content/news/b/index.md:3: attachments: 页面包 content/news/b 里没有文件 "gone.pdf"`}, nil},
		{"duplicate URL by slug", map[string]string{"news/a.md": "---\ntitle: a\n---\n", "news/b.md": "---\ntitle: b\nslug: a\n---\n"},
			[]string{"content/news/b.md:3: 网址 /news/a/ 与 content/news/a.md 的网址相同"}, nil},
		{"duplicate URL by url", map[string]string{"news/a.md": "---\ntitle: a\n---\n", "news/c.md": "---\ntitle: c\nurl: /news/a/\n---\n"},
			[]string{"content/news/c.md:3: 网址 /news/a/ 与 content/news/a.md 的网址相同"}, nil},
		{"url outside the site", map[string]string{"news/a.md": "---\ntitle: a\nurl: ../x/\n---\n"},
			[]string{`content/news/a.md:3: url: "../x/" 不是站内的网址路径（应写成 /about/ 这样以 / 开头、不含 .. 的路径）`}, nil},
		{"url of a file", map[string]string{"news/a.md": "---\ntitle: a\nurl: /2019/a.html\n---\n"},
			[]string{`content/news/a.md:3: url: "/2019/a.html" 是文件形式的网址；dangwu 的页面网址以 / 结尾（如 /about/），旧网址可写进 aliases`}, nil},
		{"misspelled keys", map[string]string{"news/a.md": "---\ntitel: 通知\ntag: [党建]\ndat: 2026-11-01\nPublishdate: 2026-11-01\nsource: 新华社\nkeywords: [a]\n---\n"},
			nil, []string{
				`content/news/a.md:2: 警告：未知的前置信息 "titel"，已忽略；是否想写 "title"？`,
				`content/news/a.md:3: 警告：未知的前置信息 "tag"，已忽略；是否想写 "tags"？`,
				`content/news/a.md:4: 警告：未知的前置信息 "dat"，已忽略；是否想写 "date"？`,
				`content/news/a.md:5: 警告：未知的前置信息 "Publishdate"，已忽略；是否想写 "publishDate"？`,
				`content/news/a.md:6: 警告：未知的前置信息 "source"，已忽略`,
				`content/news/a.md:7: 警告：前置信息 "keywords" 是 Hugo 的功能，dangwu 不支持，已忽略`,
			}},
		{"task field type", map[string]string{"tasks/t.md": "---\ntitle: t\ndeadline: 2026-12-01\nfields:\n  - {name: x, label: X, type: color}\n---\n"},
			[]string{"content/tasks/t.md:4: fields: 第 1 项（x）：type color 不是 text、textarea、integer、number、date、select、multiselect、file 之一"}, nil},
		{"task deadline", map[string]string{"tasks/t.md": "---\ntitle: t\ndeadline: 下周五\nfields: [{name: x, label: X, type: text}]\n---\n"},
			[]string{`content/tasks/t.md:3: deadline: "下周五" 不是 Asia/Shanghai 时区的有效时间（请写成 2026-11-28 或 2026-11-28T17:00:00+08:00）`}, nil},
		{"task branch", map[string]string{"tasks/t.md": "---\ntitle: t\ndeadline: 2026-12-01\nbranches: [yi, er]\nfields: [{name: x, label: X, type: text}]\n---\n"},
			[]string{`content/tasks/t.md:4: branches: "er" 不是支部（没有 content/branches/er/_index.md）`}, nil},
		{"recurring task", map[string]string{"tasks/t.md": "---\ntitle: t\nevery: week\nfields: [{name: x, label: X, type: text}]\n---\n"},
			[]string{`content/tasks/t.md:3: every: "week" 不是 month、quarter 或 year`}, nil},
		{"select without options", map[string]string{"tasks/t.md": "---\ntitle: t\ndeadline: 2026-12-01\nfields: [{name: x, label: X, type: select}]\n---\n"},
			[]string{"content/tasks/t.md:4: fields: 第 1 项（x）：单选字段（select）须有 options"}, nil},
		{"field key of another type", map[string]string{"tasks/t.md": "---\ntitle: t\ndeadline: 2026-12-01\nfields: [{name: x, label: X, type: integer, decimals: 2}]\n---\n"},
			[]string{"content/tasks/t.md:4: fields: 第 1 项（x）：decimals 不适用于整数字段（integer）"}, nil},
		{"field bounds", map[string]string{"tasks/t.md": "---\ntitle: t\ndeadline: 2026-12-01\nfields: [{name: x, label: X, type: number, min: 10, max: 5}]\n---\n"},
			[]string{"content/tasks/t.md:4: fields: 第 1 项（x）：min 10 大于 max 5"}, nil},
		{"field date bound", map[string]string{"tasks/t.md": "---\ntitle: t\ndeadline: 2026-12-01\nfields: [{name: x, label: X, type: date, max: 明年}]\n---\n"},
			[]string{`content/tasks/t.md:4: fields: 第 1 项（x）：max 应为日期，如 2026-01-01，实际是 "明年"`}, nil},
		{"every file at once, sorted", map[string]string{
			"news/b.md":  "---\ntitle: b\nweight: x\n---\n",
			"news/a.md":  "---\ntitle: a\n\ndate: nope\n---\n",
			"guide/z.md": "---\ntitle: z\n",
		}, []string{
			"content/guide/z.md:1: 前置信息以第 1 行的 --- 开始，但没有结束的 --- 行（前置信息须以单独一行的 --- 结束）",
			`content/news/a.md:4: date: "nope" 不是 Asia/Shanghai 时区的有效时间（请写成 2026-11-28 或 2026-11-28T17:00:00+08:00）`,
			`content/news/b.md:3: weight: 应为整数，实际是 "x"`,
		}, nil},
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
			var warns []string
			_, err := load(t, files, Options{Warn: func(m string) { warns = append(warns, m) }})
			got := ""
			if err != nil {
				got = err.Error()
			}
			if want := strings.Join(tt.want, "\n"); got != want {
				t.Errorf("errors\n%s\nwant\n%s", got, want)
			}
			if got, want := strings.Join(warns, "\n"), strings.Join(tt.warn, "\n"); got != want {
				t.Errorf("warnings\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestAuthorsAndURL checks Hugo's author lists and url key (issue 13).
func TestAuthorsAndURL(t *testing.T) {
	s, err := load(t, map[string]string{
		"news/_index.md": "---\ntitle: 要闻\n---\n",
		"news/a.md":      "---\ntitle: a\nauthor: [张三, 李四]\nurl: /about-us/\n---\n",
		"news/b.md":      "---\ntitle: b\nauthor: 王五\n---\n",
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := s.All["news/a.md"]; p.Author != "张三、李四" || p.Path != "about-us/" {
		t.Errorf("a: author %q path %q", p.Author, p.Path)
	}
	if p := s.All["news/b.md"]; p.Author != "王五" {
		t.Errorf("b: author %q", p.Author)
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
		"tasks/zhuti.md":        "---\ntitle: 主题党日\nevery: month\ndue: 10\nscore: 2\nfields:\n  - {name: topic, label: 主题, type: text, required: true, max: 50}\n  - {name: photo, label: 照片, type: file, accept: [jpg, .PNG]}\n  - {name: count, label: 人数, type: integer}\n  - {name: fee, label: 金额, type: number, max: 99.5}\n  - {name: day, label: 日期, type: date, min: 2026-01-01}\n---\n",
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
	// Defaults are filled at load: what the form shows is what the collector enforces.
	if f := task.Fields[1]; f.Max != site.DefaultFileMax {
		t.Errorf("file max %d, want the default", f.Max)
	}
	if f := task.Fields[2]; f.Min != "0" || f.MaxValue != "999999999" {
		t.Errorf("integer bounds %q..%q", f.Min, f.MaxValue)
	}
	if f := task.Fields[3]; f.Min != "0" || f.MaxValue != "99.5" || f.Decimals != 2 {
		t.Errorf("number %q..%q decimals %d", f.Min, f.MaxValue, f.Decimals)
	}
	if f := task.Fields[4]; f.Min != "2026-01-01" || f.MaxValue != "2099-12-31" {
		t.Errorf("date bounds %q..%q", f.Min, f.MaxValue)
	}
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "title: 党委\nbaseUrl: http://x/\n", "site.yaml:2: 未知的配置项 baseUrl；是否想写 baseURL？"},
		{"unknown key far from any", "title: 党委\nlogo: x.png\n", "site.yaml:2: 未知的配置项 logo"},
		{"mistyped", "title: 党委\npaginate: 十\n", "site.yaml:2: 配置项的值类型不对：十 不是整数"},
		{"syntax", "title: [党委\n", "site.yaml:1: 格式错误：列表缺少结尾的 ]（或两项之间缺少逗号）"},
		{"bad zone", "title: 党委\ntimeZone: Mars/Base\n", `site.yaml: timeZone: 未知的时区 "Mars/Base"（如 Asia/Shanghai）`},
		{"relative base", "title: 党委\nbaseURL: /dangwu/\n", `site.yaml: baseURL: "/dangwu/" 不是以 http:// 或 https:// 开头的完整网址`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(fstest.MapFS{"site.yaml": {Data: []byte(tt.yaml)}}, "site.yaml")
			if err == nil || err.Error() != tt.want {
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
