package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// report is everything one run measured, printed as one table.
type report struct {
	date      time.Time
	machine   machine
	goVersion string
	hugo      *hugo // nil when Hugo did not run
	builds    []buildCase
	serve     goBench
	serveDir  string // where the serve benchmarks' corpus was, when not the default
	submit    goBench
	feedback  goBench
	stores    storeResult
	notes     []string
	runs      int // builds per generator, corpus size and folder

	skipServe, skipCollector, skipStores bool
	wrk                                  []wrkResult
	wrkDuration                          time.Duration
	skipWrk                              bool
}

// targetPages is the corpus size issue 6 sets the build targets at.
const targetPages = 10000

// write prints the header lines, the table and the notes.
func (r *report) write(w io.Writer) error {
	var b strings.Builder
	r.writeHeader(&b)
	t := &table{
		header: []string{"项目", genDangwu, genHugo, "下限/参照", "比值", "目标", "达标"},
		right:  []bool{false, true, true, true, true, false, false},
	}
	for _, c := range r.builds {
		r.addBuild(t, c)
	}
	r.addScale(t)
	r.addServe(t)
	r.addCollector(t)
	r.addStores(t)
	r.addWrk(t)
	if err := t.write(&b); err != nil {
		return err
	}
	r.writeNotes(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *report) writeHeader(b *strings.Builder) {
	m := r.machine
	fmt.Fprintf(b, "dangwu 性能基准 · %s\n", r.date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(b, "机器：%s，%d 核，%s/%s", m.model, m.cpus, m.goos, m.goarch)
	if m.load != "" {
		fmt.Fprintf(b, "，负载 %s（开始）→ %s（结束）", m.load, m.loadEnd)
	}
	b.WriteString("\n")
	hugo := "未运行"
	if r.hugo != nil {
		hugo = r.hugo.version + "（" + r.hugo.path + "）"
	}
	fmt.Fprintf(b, "Go %s · Hugo %s\n", r.goVersion, hugo)
	fmt.Fprintf(b, "构建：各 %d 次轮流运行，用时和 CPU 时间取中位数，峰值 RSS 取最大值（子进程 rusage）；页/秒 = 语料页数 ÷ 用时。\n", r.runs)
	b.WriteString("下限：goldmark（GFM）逐页转换并写出 HTML，每核一个 worker，不读前置信息、不套模板、不写列表和订阅。\n")
	b.WriteString("机器上有其他负载时用时波动大，CPU 时间受影响较小。\n\n")
}

func (r *report) writeNotes(b *strings.Builder) {
	b.WriteString("\n目标：构建见 issue 6 与 issue 14（10,000 页，内存盘；30,000 页的用时不超过 10,000 页的 3.3 倍、内存不超过 3 倍）；开发服务器见 issue 3 与 14；收集器见 issue 4；提交→页面更新见 issue 5。\n")
	if r.hugo != nil && r.hugo.minor < 165 {
		fmt.Fprintf(b, "本机 Hugo %s 比 issue 6 参照的 Hugo 0.165 旧，Hugo 比值仅供参考。\n", r.hugo.version)
	}
	for _, n := range r.notes {
		b.WriteString(n + "\n")
	}
	for _, c := range r.builds {
		for _, g := range []string{genDangwu, genHugo, genFloor} {
			if o, ok := c.out[g]; ok && o.err != nil {
				fmt.Fprintf(b, "%s（%s 页，%s）失败：%v\n", g, thousands(float64(c.pages)), c.folder, o.err)
			}
		}
	}
	for _, g := range []struct {
		name string
		gb   goBench
	}{{"开发服务器基准", r.serve}, {"BenchmarkSubmit", r.submit}, {"BenchmarkFeedback", r.feedback}} {
		if g.gb.err != nil {
			fmt.Fprintf(b, "%s：%v\n", g.name, g.gb.err)
		}
	}
}
