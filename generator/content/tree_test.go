package content

import (
	"strings"
	"testing"
)

// branch returns a branch folder's _index.md with the given extra lines.
func branch(title string, lines ...string) string {
	return "---\ntitle: " + title + "\n" + strings.Join(append(lines, ""), "\n") + "---\n"
}

// task returns a one-off task with the given extra front-matter lines.
func task(lines ...string) string {
	return "---\ntitle: 任务\ndeadline: 2026-12-31\n" + strings.Join(append(lines, ""), "\n") +
		"fields:\n  - {name: a, label: 内容, type: text}\n---\n"
}

// TestTree checks the organization tree of issue 17 at build time: every
// problem of parent and kind reported at once, with file and line.
func TestTree(t *testing.T) {
	tree := map[string]string{
		"branches/yunshu/_index.md":   branch("运输党委", "kind: 党委"),
		"branches/gongjiao/_index.md": branch("公交总支", "kind: 党总支", "parent: yunshu"),
		"branches/gj1/_index.md":      branch("公交一支部", "parent: gongjiao"),
		"branches/gj2/_index.md":      branch("公交二支部", "parent: gongjiao"),
		"branches/ys1/_index.md":      branch("运输一支部", "parent: yunshu"),
		"branches/jiguan/_index.md":   branch("机关支部"),
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string // every error, in order
	}{
		{"a valid tree", map[string]string{}, nil},
		{"unknown parent with a suggestion", map[string]string{
			"branches/x/_index.md": branch("某支部", "parent: gongjia"),
		}, []string{`content/branches/x/_index.md:3: parent: 上级 "gongjia" 不存在（没有 content/branches/gongjia/_index.md）；是否想写 "gongjiao"？`}},
		{"unknown parent", map[string]string{
			"branches/x/_index.md": branch("某支部", "parent: haiyun"),
		}, []string{`content/branches/x/_index.md:3: parent: 上级 "haiyun" 不存在（没有 content/branches/haiyun/_index.md）`}},
		{"parent is a 支部", map[string]string{
			"branches/x/_index.md": branch("某支部", "parent: jiguan"),
		}, []string{`content/branches/x/_index.md:3: parent: 上级 "jiguan" 是党支部，不是党总支或党委（在 content/branches/jiguan/_index.md 里写 kind: 总支 或 kind: 党委）`}},
		{"parent is itself", map[string]string{
			"branches/x/_index.md": branch("某总支", "kind: 总支", "parent: x"),
		}, []string{`content/branches/x/_index.md:4: parent: 上级不能是自己`}},
		{"a cycle, reported on each branch", map[string]string{
			"branches/a/_index.md": branch("甲总支", "kind: 总支", "parent: b"),
			"branches/b/_index.md": branch("乙总支", "kind: 总支", "parent: c"),
			"branches/c/_index.md": branch("丙党委", "kind: 党委", "parent: a"),
		}, []string{
			`content/branches/a/_index.md:4: parent: 上级关系成环：a → b → c → a`,
			`content/branches/b/_index.md:4: parent: 上级关系成环：a → b → c → a`,
			`content/branches/c/_index.md:4: parent: 上级关系成环：a → b → c → a`,
		}},
		{"unknown kind", map[string]string{
			"branches/x/_index.md": branch("某支部", "kind: 支委"),
		}, []string{`content/branches/x/_index.md:3: kind: "支委" 不是支部、总支或党委（也可写党支部、党总支、二级党委）`}},
		{"task: subtree of a 支部, unknown unit", map[string]string{
			"tasks/t.md": task("branches: [jiguan/*]", "units: [haiyun]"),
		}, []string{
			`content/tasks/t.md:4: branches: "jiguan" 不是党总支或党委（它的 kind 是 支部，下面没有支部）`,
			`content/tasks/t.md:5: units: "haiyun" 不是支部（没有 content/branches/haiyun/_index.md）`,
		}},
		{"all problems at once", map[string]string{
			"branches/x/_index.md": branch("某支部", "parent: haiyun"),
			"branches/y/_index.md": branch("某支部", "parent: jiguan"),
			"tasks/t.md":           task("branches: [nope]"),
		}, []string{
			`content/branches/x/_index.md:3: parent: 上级 "haiyun" 不存在（没有 content/branches/haiyun/_index.md）`,
			`content/branches/y/_index.md:3: parent: 上级 "jiguan" 是党支部，不是党总支或党委（在 content/branches/jiguan/_index.md 里写 kind: 总支 或 kind: 党委）`,
			`content/tasks/t.md:4: branches: "nope" 不是支部（没有 content/branches/nope/_index.md）`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range tree {
				files[k] = v
			}
			for k, v := range tt.files {
				files[k] = v
			}
			_, err := load(t, files, Options{})
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestTreeTasks checks who answers a task in a three-level tree: by
// default every 支部 (never a unit), "id/*" and units a subtree's 支部.
func TestTreeTasks(t *testing.T) {
	s, err := load(t, map[string]string{
		"branches/yunshu/_index.md":   branch("运输党委", "kind: 党委", "weight: 1"),
		"branches/gongjiao/_index.md": branch("公交总支", "kind: 总支", "parent: yunshu"),
		"branches/gj1/_index.md":      branch("公交一支部", "parent: gongjiao"),
		"branches/gj2/_index.md":      branch("公交二支部", "parent: gongjiao"),
		"branches/ys1/_index.md":      branch("运输一支部", "parent: yunshu"),
		"branches/jiguan/_index.md":   branch("机关支部"),
		"tasks/all.md":                task(),
		"tasks/sub.md":                task("branches: [gongjiao/*, jiguan]"),
		"tasks/units.md":              task("units: [yunshu]"),
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"all":   "gj1,gj2,jiguan,ys1",
		"sub":   "gj1,gj2,jiguan",
		"units": "gj1,gj2,ys1",
	} {
		if got := strings.Join(s.Task(id).Branches, ","); got != want {
			t.Errorf("task %s: branches %s, want %s", id, got, want)
		}
	}
	gj1 := s.Branch("gj1")
	var chain []string
	for _, b := range gj1.Chain() {
		chain = append(chain, b.ID)
	}
	if strings.Join(chain, ",") != "yunshu,gongjiao" || gj1.Top().ID != "yunshu" {
		t.Errorf("chain of gj1: %v, top %s", chain, gj1.Top().ID)
	}
	var roots []string
	for _, b := range s.Roots() {
		roots = append(roots, b.ID)
	}
	if strings.Join(roots, ",") != "yunshu,jiguan" || !s.IsTree() {
		t.Errorf("roots %v", roots)
	}
	if n := len(s.Branch("yunshu").Children); n != 2 {
		t.Errorf("yunshu has %d children, want 2", n)
	}
}
