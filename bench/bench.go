package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// bench runs every measurement the flags ask for and prints the table.
func bench(ctx context.Context, o options, stdout, stderr io.Writer) error {
	repo, err := findRepo()
	if err != nil {
		return err
	}
	ws, err := newWorkspace(o)
	if err != nil {
		return err
	}
	defer ws.close(stderr)
	rep := &report{date: time.Now(), machine: currentMachine(), goVersion: runtime.Version(), runs: o.runs}
	say := func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }

	gens, err := generators(ctx, o, repo, ws, rep, say)
	if err != nil {
		return err
	}
	if rep.builds, err = runBuilds(ctx, o, repo, ws, gens, say); err != nil {
		return err
	}
	if !o.skipServe {
		say("开发服务器基准（go test，约三分钟）…")
		rep.serve = runServe(ctx, repo, ws.shm, o.corpusScript)
		if ws.shm != "" {
			rep.serveDir = filepath.Dir(ws.shm)
		}
	}
	if !o.skipCollector {
		say("收集器基准（go test，约一分钟）…")
		rep.submit = runGoBench(ctx, repo, nil, "BenchmarkSubmit", "20000x", "./collector/sqlite")
		// Both feedback benchmarks: the 10,000-page corpus and the
		// organization of 5,000 支部 (issue 17).
		rep.feedback = runGoBench(ctx, repo, nil, "^BenchmarkFeedback(Tree)?$", "30x", ".")
	}
	if !o.skipStores {
		say("收集器吞吐：SQLite 与 PostgreSQL（wrk）…")
		rep.stores = runStores(ctx, repo, filepath.Join(ws.disk, "dangwu"), ws.disk, o.storeAddr, o.storeRounds, o.storeSeconds, say)
	}
	if !o.skipWrk {
		o.wrk.floorDir = findFloor(repo, o.wrk.floorDir)
		var note string
		rep.wrk, note = runWrk(ctx, o.wrk, repo, ws, filepath.Join(ws.disk, "dangwu"), say)
		if note != "" {
			rep.notes = append(rep.notes, note)
		}
		for _, w := range rep.wrk {
			if w.err != nil {
				rep.notes = append(rep.notes, fmt.Sprintf("wrk 对比（%s）：%v", w.site.name, w.err))
			}
		}
	}
	rep.wrkDuration, rep.skipWrk = o.wrk.duration, o.skipWrk
	if err := ctx.Err(); err != nil {
		return err
	}
	rep.skipServe, rep.skipCollector, rep.skipStores = o.skipServe, o.skipCollector, o.skipStores
	rep.machine.loadEnd = loadAverage()
	return rep.write(stdout)
}

// generators builds the dangwu binary and finds Hugo and this binary (for
// the floor). Hugo's absence is a note in the report, not an error.
func generators(ctx context.Context, o options, repo string, ws *workspace, rep *report, say func(string, ...any)) ([]generator, error) {
	say("编译 dangwu…")
	bin := filepath.Join(ws.disk, "dangwu")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = repo
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %w\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find the bench binary: %w", err)
	}
	gens := []generator{
		{name: genDangwu, path: bin, args: func(site, out string) []string { return []string{"build", "-s", site, "-d", out} }},
		{name: genFloor, path: self, args: func(site, out string) []string { return []string{floorCommand, site, out} }},
	}
	if o.skipHugo {
		rep.notes = append(rep.notes, "已按 -skip-hugo 跳过 Hugo 对比。")
		return gens, nil
	}
	h, err := findHugo(ctx, o.hugoPath)
	if err != nil {
		return nil, err
	}
	if h == nil {
		say("未找到 hugo（Debian 软件包 hugo），跳过 Hugo 对比")
		rep.notes = append(rep.notes, "未找到 hugo（Debian 软件包 hugo），跳过 Hugo 对比；本命令不安装任何软件。")
		return gens, nil
	}
	rep.hugo = h
	cache := filepath.Join(ws.disk, "hugo-cache")
	if o.hugoSite != "" {
		hugoSite, err := filepath.Abs(o.hugoSite)
		if err != nil {
			return nil, err
		}
		gens = append(gens, generator{name: genHugo, path: h.path, args: func(site, out string) []string {
			return []string{"--quiet", "-s", hugoSite, "--contentDir", filepath.Join(site, "content"), "-d", out, "--cacheDir", cache}
		}})
		return gens, nil
	}
	gens = append(gens, generator{name: genHugo, path: h.path, hugo: h,
		args: func(site, out string) []string { return h.args(site, out, cache) }})
	return gens, nil
}

// runGoBench runs one go test benchmark, keeping its error for the report.
func runGoBench(ctx context.Context, repo string, env []string, pattern, benchtime string, pkgs ...string) goBench {
	results, err := goTest(ctx, repo, env, pattern, benchtime, pkgs...)
	return goBench{results: results, err: err}
}

// runServe runs the dev server's benchmarks when there are any yet, with
// their corpus in the memory-backed folder when there is one, written by
// the corpus script when one is given.
func runServe(ctx context.Context, repo, shm, script string) goBench {
	names, err := serveBenchmarks(repo)
	if err != nil || len(names) == 0 {
		return goBench{err: err}
	}
	var env []string
	if shm != "" {
		env = append(env, "DANGWU_BENCH_OUT="+shm)
	}
	if script != "" {
		abs, err := filepath.Abs(script)
		if err != nil {
			return goBench{err: err}
		}
		env = append(env, "DANGWU_BENCH_CORPUS="+abs)
	}
	return runGoBench(ctx, repo, env, "^("+strings.Join(names, "|")+")$", "1x", "./generator/...")
}

// goBench is the outcome of one `go test -bench` run.
type goBench struct {
	results []result
	err     error
}

// find returns the result of the named benchmark.
func (g goBench) find(name string) (result, bool) {
	for _, r := range g.results {
		if r.name == name {
			return r, true
		}
	}
	return result{}, false
}

// workspace holds the temporary folders: the corpus, the binaries and the
// disk builds in disk, the memory-backed builds in shm.
type workspace struct {
	disk, shm string
	keep      bool
}

func newWorkspace(o options) (*workspace, error) {
	ws := &workspace{keep: o.keep}
	var err error
	if ws.disk, err = os.MkdirTemp(o.disk, "dangwu-bench-"); err != nil {
		return nil, fmt.Errorf("disk folder: %w", err)
	}
	if o.shm == "" {
		return ws, nil
	}
	if ws.shm, err = os.MkdirTemp(o.shm, "dangwu-bench-"); err != nil {
		os.RemoveAll(ws.disk)
		return nil, fmt.Errorf("memory-backed folder: %w", err)
	}
	return ws, nil
}

// close removes the folders, or says where they are with -keep.
func (ws *workspace) close(stderr io.Writer) {
	for _, dir := range []string{ws.disk, ws.shm} {
		switch {
		case dir == "":
		case ws.keep:
			fmt.Fprintln(stderr, "保留临时目录：", dir)
		default:
			if err := os.RemoveAll(dir); err != nil {
				fmt.Fprintln(stderr, "删除临时目录：", err)
			}
		}
	}
}

// findRepo walks up from the working folder to the module's go.mod.
func findRepo() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/dangwu-org/dangwu\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run from the dangwu repository: no go.mod of github.com/dangwu-org/dangwu above the working folder")
		}
		dir = parent
	}
}

// machine describes where the figures come from.
type machine struct {
	cpus         int
	goos, goarch string
	model        string
	load         string // the 1-minute load average when the run started, or ""
	loadEnd      string // and when it ended
}

func currentMachine() machine {
	return machine{cpus: runtime.NumCPU(), goos: runtime.GOOS, goarch: runtime.GOARCH, model: cpuModel(), load: loadAverage()}
}

// loadAverage is the 1-minute load average of /proc/loadavg, or "": other
// work on the machine slows every column alike, the ratios less so.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// cpuModel is the first "model name" of /proc/cpuinfo, or "未知".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "未知"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "未知"
}
