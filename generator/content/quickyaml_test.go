package content

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v2"
)

// quickSeeds are front matters of the shapes quickYAML takes, and of
// shapes near them that it must leave to yaml.v2.
var quickSeeds = []string{
	"title: \"2024年第4季度作风建设工作安排\"\ndate: 2024-04-10T09:33:36+08:00\ntags: [\"制度建设\", \"档案管理\"]\nsummary: \"通过知识竞赛。\"\nauthor: \"杨涛静\"\ndraft: false\n",
	"title: 关于做好2023年警示教育的实施方案\ndate: 2023-01-22\nweight: 10\ntags: []\n",
	"title: \"a\"\ndate: 2024-04-10T09:33:36Z\ndraft: true\n",
	"y: 1\n", "n: \"x\"\n", "On: 1\n", "a: 012\n", "a: yes\n", "a: \"x\\ty\"\n", "a: 张三 # 注释\n",
	"a: 张三:\n", "a: [\"x\",\"y\"]\n", "a: \"x\"  \n", "a: 1\na: 2\n", "a:\n  - x\n", "a: \"\u2028\"\n",
	"a: 张\u2028三\n", "a: 1e3\n", "a: 2024-04-10T09:33:36\n", "a: -1\n", "a: 1234567890\n", "a: 张三, 李四\n",
	"branch: zb16\nbranchName: \"培训中心党支部\"\n", "a: Yes\n", "a: NULL\n", "a: x1-y_2\n", "a: 0x1F\n", "a: e10\n",
	"a: \"x\"\r\n", "\n", "a: 1\n\n", "a: \"x\" # c\n", "a: 'x'\n", "a: ~\n", "a: null\n", "a: 张三 \n",
}

// FuzzQuickYAML holds quickYAML to yaml.v2: what it decodes, yaml.v2
// decodes the same, key for key and value for value.
func FuzzQuickYAML(f *testing.F) {
	for _, s := range quickSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		quick, ok := quickYAML(data)
		if !ok {
			return
		}
		var want yaml.MapSlice
		if err := yaml.Unmarshal(data, &want); err != nil {
			t.Fatalf("quickYAML decodes %q, yaml.v2 fails: %v", data, err)
		}
		if len(quick) == 0 && len(want) == 0 {
			return
		}
		if !reflect.DeepEqual(quick, want) {
			t.Fatalf("%q: quickYAML gives %#v, yaml.v2 %#v", data, quick, want)
		}
	})
}

// TestQuickYAMLTakes checks that the common shapes are decoded quickly,
// and that a shape yaml.v2 reads otherwise is refused.
func TestQuickYAMLTakes(t *testing.T) {
	for _, s := range append(quickSeeds[:3:3], "branch: zb16\nbranchName: \"培训中心党支部\"\n") {
		if _, ok := quickYAML([]byte(s)); !ok {
			t.Errorf("quickYAML refuses %q", s)
		}
	}
	for _, s := range []string{"y: 1\n", "a: 012\n", "a: yes\n", "a: 张三 # 注释\n", "a: \"x\\ty\"\n", "a: 1\na: 2\n", "a: ~\n", "a: Yes\n", "a: NULL\n"} {
		if m, ok := quickYAML([]byte(s)); ok {
			t.Errorf("quickYAML takes %q as %#v", s, m)
		}
	}
}

// FuzzSplitYAML holds splitYAML to adrg/frontmatter: a file it splits,
// adrg/frontmatter splits into the same front matter and body.
func FuzzSplitYAML(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: \"a\"\n---\n正文\n", "---\ntitle: a\n---", "---\n---\n", "---\nx: 1\n  ---  \nbody", "---\n",
		"---\r\ntitle: a\r\n---\r\n", "\n---\na: 1\n---\n", "+++\na = 1\n+++\n", "---\na: 1\n\u3000---\u3000\nb\n", "---\na\n---x\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		raw, body, ok := splitYAML(src)
		if !ok {
			return
		}
		var want rawFront
		wantBody, err := frontmatter.Parse(bytes.NewReader(src), &want, formats...)
		if err != nil {
			t.Fatalf("splitYAML splits %q, adrg/frontmatter fails: %v", src, err)
		}
		if raw.format != want.format || !bytes.Equal(raw.data, want.data) || !bytes.Equal(body, wantBody) {
			t.Fatalf("%q: splitYAML gives %q %q %q, adrg/frontmatter %q %q %q", src, raw.format, raw.data, body, want.format, want.data, wantBody)
		}
	})
}

// TestSplitYAMLTakes checks that the usual file is split quickly.
func TestSplitYAMLTakes(t *testing.T) {
	raw, body, ok := splitYAML([]byte("---\ntitle: \"支部\"\n---\n\n正文\n"))
	if !ok || raw.format != "yaml" || string(raw.data) != "title: \"支部\"\n" || string(body) != "\n正文\n" {
		t.Errorf("splitYAML = %q %q %q %v", raw.format, raw.data, body, ok)
	}
}
