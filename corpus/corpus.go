// Package corpus writes a deterministic Chinese site of any size, for the
// benchmarks of the generator, the dev server and the collector: the same
// seed and size give byte-identical files on every machine.
//
// It imports the standard library only.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Columns are the corpus's columns with their titles, weights and share of pages.
var columns = []struct {
	name, title string
	share       int
}{
	{"news", "要闻概览", 40}, {"rules", "规章制度", 10}, {"guide", "工作指南", 10},
	{"plans", "计划总结", 10}, {"study", "中心组学习", 10}, {"lessons", "网上党课", 5},
	{"education", "先进性教育", 5}, {"style", "作风建设", 10},
}

var words = strings.Fields(`党支部 机关党委 主题党日 三会一课 组织生活 党员 学习教育 理论学习 中心组 作风建设
党风廉政 志愿服务 交通运输 民主评议 党费 发展党员 入党积极分子 谈心谈话 批评与自我批评 专题研讨
基层组织 标准化 规范化 服务群众 为民办实事 调查研究 整改落实 责任清单 考核评价 学习强国
公路养护 运输管理 执法规范 安全生产 春运保障 应急处置 窗口服务 优化营商环境 绿色出行 城乡客运`)

var verbs = strings.Fields(`深入学习 认真落实 扎实推进 全面加强 持续深化 切实做好 积极开展 不断完善 严格执行 广泛动员`)

// SiteYAML is the corpus's site.yaml.
const SiteYAML = "title: 江州市交通运输局机关党委（测试语料）\nbaseURL: http://127.0.0.1:1313/\npaginate: 20\n"

// Write creates site.yaml and content/ for a site of n pages under dir,
// with the flat Branches branches.
func Write(dir string, n int, seed uint64) error { return WriteTree(dir, n, seed, 0) }

// WriteTree is Write with the organization as a tree of three levels when
// branches > 0: Units 二级党委, each with 总支 of up to PerZongzhi 党支部,
// branches 党支部 in all (TreeBranchID names them). The flat Branches
// branches are written too, so the tasks keep their answerers.
func WriteTree(dir string, n int, seed uint64, branches int) error {
	r := rand.New(rand.NewPCG(seed, 2026))
	files := map[string]string{
		"site.yaml":         SiteYAML,
		"content/_index.md": "---\ntitle: 首页\n---\n\n" + paragraph(r, 3) + "\n",
	}
	for i, c := range columns {
		front := fmt.Sprintf("---\ntitle: %s\nweight: %d\ndescription: %s栏目\n---\n\n%s\n", c.title, (i+1)*10, c.title, paragraph(r, 2))
		files["content/"+c.name+"/_index.md"] = front
	}
	total := 0
	for _, c := range columns {
		total += c.share
	}
	for i := 0; i < n; i++ {
		c := pick(r, total)
		name := fmt.Sprintf("content/%s/p%05d.md", c, i)
		files[name] = page(r, i)
	}
	writeBranchesAndTasks(files)
	writeTree(files, branches)
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// PagePath is the content path of the corpus's page i in column c.
func PagePath(c string, i int) string { return fmt.Sprintf("content/%s/p%05d.md", c, i) }

func pick(r *rand.Rand, total int) string {
	x := r.IntN(total)
	for _, c := range columns {
		if x < c.share {
			return c.name
		}
		x -= c.share
	}
	return columns[0].name
}

// Page returns the Markdown of page i: front matter, headings, paragraphs, a
// list and now and then a table, about 1,500 Chinese characters.
func page(r *rand.Rand, i int) string {
	var b strings.Builder
	month, day := 1+i%12, 1+i%28
	fmt.Fprintf(&b, "---\ntitle: %s%s工作第%d期\ndate: 2026-%02d-%02d\ntags: [%s, %s]\n---\n\n",
		words[r.IntN(len(words))], words[r.IntN(len(words))], i, month, day,
		words[r.IntN(8)], words[8+r.IntN(8)])
	for s := 1; s <= 3; s++ {
		fmt.Fprintf(&b, "## 第%d部分 %s\n\n%s\n\n", s, words[r.IntN(len(words))], paragraph(r, 4))
		if s == 2 {
			b.WriteString("- " + sentence(r) + "\n- " + sentence(r) + "\n- " + sentence(r) + "\n\n")
		}
	}
	if i%5 == 0 {
		b.WriteString("| 项目 | 责任单位 | 完成时限 |\n|---|---|---|\n")
		for k := 0; k < 4; k++ {
			fmt.Fprintf(&b, "| %s | %s | 2026年%d月 |\n", words[r.IntN(len(words))], words[r.IntN(len(words))], 1+k*3)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func paragraph(r *rand.Rand, sentences int) string {
	var b strings.Builder
	for i := 0; i < sentences; i++ {
		b.WriteString(sentence(r))
	}
	return b.String()
}

func sentence(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(verbs[r.IntN(len(verbs))])
	for k := 0; k < 3+r.IntN(4); k++ {
		if k > 0 {
			b.WriteString("，")
			b.WriteString(verbs[r.IntN(len(verbs))])
		}
		b.WriteString(words[r.IntN(len(words))])
		b.WriteString("和")
		b.WriteString(words[r.IntN(len(words))])
	}
	b.WriteString([]string{"。", "。", "。", "！", "？"}[r.IntN(5)])
	return b.String()
}

// Branches and Tasks are how many branches and tasks every corpus has, so
// the collector's feedback can be measured on it.
const (
	Branches = 20
	Tasks    = 10
)

// BranchID and TaskID name the corpus's branch i and task i.
func BranchID(i int) string { return fmt.Sprintf("b%02d", i) }

// TaskID names the corpus's task i; task 0 recurs monthly.
func TaskID(i int) string { return fmt.Sprintf("t%02d", i) }

func writeBranchesAndTasks(files map[string]string) {
	files["content/branches/_index.md"] = "---\ntitle: 基层党支部\nweight: 90\n---\n"
	for i := 0; i < Branches; i++ {
		files["content/branches/"+BranchID(i)+"/_index.md"] = fmt.Sprintf("---\ntitle: 第%d党支部\nsecretary: 书记%d\nmembers: %d\n---\n\n第%d党支部简介。\n", i+1, i+1, 10+i, i+1)
	}
	files["content/tasks/_index.md"] = "---\ntitle: 工作任务\nweight: 100\n---\n"
	for i := 0; i < Tasks; i++ {
		when := "deadline: 2099-12-31T17:00:00+08:00"
		if i == 0 {
			when = "every: month\ndue: 10"
		}
		files["content/tasks/"+TaskID(i)+".md"] = fmt.Sprintf("---\ntitle: 测试任务%d\ndate: 2026-01-01\n%s\nscore: 5\nfields:\n  - {name: text, label: 报告正文, type: textarea, required: true}\n---\n\n请各支部报送。\n", i, when)
	}
}

// The shape of WriteTree's organization.
const (
	Units      = 10
	PerZongzhi = 50
)

// TreeBranchID names WriteTree's 党支部 i.
func TreeBranchID(i int) string { return fmt.Sprintf("z%05d", i) }

// TreeUnitID names WriteTree's 二级党委 u, TreeZongzhiID its 党总支 z (the
// one holding its z*PerZongzhi-th to (z+1)*PerZongzhi-1-th 党支部).
func TreeUnitID(u int) string { return fmt.Sprintf("w%02d", u) }

// TreeZongzhiID: see TreeUnitID.
func TreeZongzhiID(u, z int) string { return fmt.Sprintf("w%02dz%03d", u, z) }

func writeTree(files map[string]string, branches int) {
	if branches <= 0 {
		return
	}
	perUnit := (branches + Units - 1) / Units
	for i := 0; i < branches; i++ {
		u, z := i/perUnit, (i%perUnit)/PerZongzhi
		unit, zz := TreeUnitID(u), TreeZongzhiID(u, z)
		if i%perUnit == 0 {
			files["content/branches/"+unit+"/_index.md"] = fmt.Sprintf("---\ntitle: 第%d二级党委\nkind: 党委\nweight: %d\n---\n", u+1, u+1)
		}
		if i%PerZongzhi == 0 || i%perUnit == 0 {
			files["content/branches/"+zz+"/_index.md"] = fmt.Sprintf("---\ntitle: 第%d二级党委第%d党总支\nkind: 总支\nparent: %s\n---\n", u+1, z+1, unit)
		}
		files["content/branches/"+TreeBranchID(i)+"/_index.md"] = fmt.Sprintf("---\ntitle: 第%d党支部\nsecretary: 书记%d\nmembers: %d\nparent: %s\n---\n", i+1, i+1, 5+i%30, zz)
	}
}
