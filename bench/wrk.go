package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dangwu-org/dangwu/corpus"
)

// The collector under wrk (issue 11): `dangwu collect` and the minimal
// durable collector of ../shared/bench/collector-floor, side by side in one
// run, rounds alternating, with wrk -t2 -c64 and the floor's own scripts.
// While wrk runs against dangwu, a probe posts its own submissions and
// watches the task page in the output folder: the time from each
// acknowledgement to the page on disk showing it is the feedback latency.

// wrkOptions are the flags of the wrk rows.
type wrkOptions struct {
	floorDir string        // the collector floor's sources
	rounds   int           // rounds on the example site
	duration time.Duration // of one wrk run
	port     int           // the floor listens on port, dangwu on port+1
	corpus   bool          // also feedback under load on the 10,000-page corpus
	tree     bool          // and on 5,000 支部 in three levels (issue 17)
}

// wrkSite is one site dangwu collects for under wrk.
type wrkSite struct {
	name   string // for the table
	dir    string
	task   string // the task wrk and the probe post to
	fields string // its other fields, urlencoded
	floor  bool   // run the floor too
	rounds int
	// coded are the branches given codes (wrk and the probe answer as
	// them, the probe as the first), every branch folder when empty;
	// page is the page the probe watches, the task's page when empty.
	coded []string
	page  string
}

// wrkResult is what the runs on one site measured.
type wrkResult struct {
	site          wrkSite
	floor, dangwu []wrkRun
	feedback      []time.Duration // every probe's acknowledgement → page on disk
	lost          int             // probes acknowledged and never shown
	rows, acked   int64           // rows in the database; 201s seen by wrk and the probe
	verified      bool            // dangwu verify passed after the runs
	err           error
}

type wrkRun struct {
	rate, p50, p99 float64
	non201, total  int
	// requests is what wrk counted; serverCPU and wrkCPU the CPU time
	// the server (while wrk ran) and wrk used per request, in µs, or 0
	// where the system does not say (serverCPU reads /proc).
	requests          int
	serverCPU, wrkCPU float64
}

var wrkLine = regexp.MustCompile(`rate=([0-9.]+) p50=([0-9.]+)ms p99=([0-9.]+)ms`)
var non201Line = regexp.MustCompile(`non-201: ([0-9]+) of ([0-9]+)`)
var requestsLine = regexp.MustCompile(`(?m)^\s*([0-9]+) requests in `)

// runWrk measures the sites; a missing wrk or floor is a note, not an error.
func runWrk(ctx context.Context, o wrkOptions, repo string, ws *workspace, dangwu string, say func(string, ...any)) ([]wrkResult, string) {
	if _, err := exec.LookPath("wrk"); err != nil {
		return nil, "未找到 wrk（Debian 软件包 wrk），跳过收集器的 wrk 对比；本命令不安装任何软件。"
	}
	floor := filepath.Join(ws.disk, "collector-floor")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", floor, ".")
	cmd.Dir = o.floorDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Sprintf("无法编译收集器下限 %s（-floor 指定其目录），跳过 wrk 对比：%v %s", o.floorDir, err, bytes.TrimSpace(out))
	}
	tokens := filepath.Join(ws.disk, "tokens.lua")
	if out, err := exec.CommandContext(ctx, floor, "-emit-tokens", tokens, "-branches", "1000").CombinedOutput(); err != nil {
		return nil, fmt.Sprintf("收集器下限 -emit-tokens：%v %s", err, out)
	}
	sites, err := wrkSites(o, repo, ws)
	if err != nil {
		return nil, err.Error()
	}
	var results []wrkResult
	for _, s := range sites {
		say("收集器 wrk 对比：%s，%d 轮 × %s…", s.name, s.rounds, o.duration)
		results = append(results, runWrkSite(ctx, o, s, ws, dangwu, floor, tokens))
	}
	return results, ""
}

// findFloor resolves the floor's folder: as given when absolute, else
// relative to the repository, or to the folder above it (a git worktree
// one level deeper than the main checkout).
func findFloor(repo, dir string) string {
	if filepath.IsAbs(dir) {
		return dir
	}
	for _, base := range []string{repo, filepath.Dir(repo)} {
		p := filepath.Join(base, dir)
		if _, err := os.Stat(filepath.Join(p, "main.go")); err == nil {
			return p
		}
	}
	return filepath.Join(repo, dir)
}

// wrkSites copies the example site (and writes the corpus) into ws.
func wrkSites(o wrkOptions, repo string, ws *workspace) ([]wrkSite, error) {
	example := filepath.Join(ws.disk, "wrk-example")
	for _, name := range []string{"site.yaml", "content", "themes"} {
		if err := os.CopyFS(filepath.Join(example, name), os.DirFS(filepath.Join(repo, name))); err != nil {
			if err := copyFile(filepath.Join(repo, name), filepath.Join(example, name)); err != nil {
				return nil, fmt.Errorf("copy the example site: %w", err)
			}
		}
	}
	sites := []wrkSite{{name: "示例网站", dir: example, task: exampleTask, fields: exampleFields(), floor: true, rounds: o.rounds}}
	if o.corpus {
		dir := filepath.Join(ws.disk, "wrk-corpus")
		if err := corpus.Write(dir, targetPages, corpusSeed); err != nil {
			return nil, err
		}
		if err := os.CopyFS(filepath.Join(dir, "themes"), os.DirFS(filepath.Join(repo, "themes"))); err != nil {
			return nil, err
		}
		sites = append(sites, wrkSite{name: "10,000 页语料", dir: dir, task: "t01",
			fields: "text=" + url.QueryEscape(strings.Repeat("本支部全年工作报告。", 20)), rounds: 1})
	}
	if o.tree {
		tree, err := treeSite(repo, ws)
		if err != nil {
			return nil, err
		}
		sites = append(sites, tree)
	}
	return sites, nil
}

// The organization of the tree row (issue 17): 5,000 支部 in three levels
// (10 二级党委, 总支 of 50 支部), a task all of them answer, and codes for
// every treeCodedEvery-th 支部, spread over every 党委 (each code is a
// `dangwu branch code`, which loads the site).
const (
	treeBranches   = 5000
	treePages      = 1000
	treeCodedEvery = 125
)

// treeSite writes the organization of treeBranches 支部 (corpus.WriteTree).
// The probe answers as the first 支部 and watches its 总支's page of the
// task, where its row is.
func treeSite(repo string, ws *workspace) (wrkSite, error) {
	dir := filepath.Join(ws.disk, "wrk-tree")
	if err := corpus.WriteTree(dir, treePages, corpusSeed, treeBranches); err != nil {
		return wrkSite{}, err
	}
	if err := os.CopyFS(filepath.Join(dir, "themes"), os.DirFS(filepath.Join(repo, "themes"))); err != nil {
		return wrkSite{}, err
	}
	var coded []string
	for i := 0; i < treeBranches; i += treeCodedEvery {
		coded = append(coded, corpus.TreeBranchID(i))
	}
	return wrkSite{name: "5,000 个支部（三级组织）", dir: dir, task: "t01",
		fields: "text=" + url.QueryEscape(strings.Repeat("本支部全年工作报告。", 20)), rounds: 1,
		coded: coded, page: filepath.Join("tasks", "t01", "units", corpus.TreeZongzhiID(0, 0), "index.html")}, nil
}

// exampleTask is the example site's task wrk posts to; exampleFields are
// its fields, urlencoded, as submit.lua sends them.
const exampleTask = "2026-zhibu-zongjie"

func exampleFields() string {
	return "summary=" + url.QueryEscape(strings.Repeat("全年工作开展情况和主要成效。", 20)) +
		"&contact=" + url.QueryEscape("张三") + "&meetings=4&rating=" + url.QueryEscape("好")
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// runWrkSite gives the site's branches codes, then alternates floor and
// dangwu runs, then checks the database: every 201 is a row with its ledger
// record, and dangwu verify passes.
func runWrkSite(ctx context.Context, o wrkOptions, s wrkSite, ws *workspace, dangwu, floor, tokens string) wrkResult {
	res := wrkResult{site: s}
	work, err := os.MkdirTemp(ws.disk, "wrk-")
	if err != nil {
		res.err = err
		return res
	}
	db := filepath.Join(work, "d.db")
	codes, err := branchCodes(ctx, dangwu, s.dir, db, s.coded)
	if err != nil {
		res.err = err
		return res
	}
	codesFile := filepath.Join(work, "codes")
	var lines []string
	for _, c := range codes {
		lines = append(lines, c[0]+" "+c[1])
	}
	if err := os.WriteFile(codesFile, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		res.err = err
		return res
	}
	scripts := o.floorDir
	for r := 0; r < s.rounds && ctx.Err() == nil; r++ {
		if s.floor {
			fdb := filepath.Join(work, fmt.Sprintf("floor-%d.db", r))
			ft := wrkTarget{cmd: []string{floor, "-mode", "c", "-db", fdb, "-addr", addr(o.port)}, base: "http://" + addr(o.port), path: "/submit"}
			run, err := runWrkOnce(ctx, ft, o.duration, []string{"TOKENS=" + tokens}, filepath.Join(scripts, "floor.lua"), nil)
			if err != nil {
				res.err = fmt.Errorf("floor: %w", err)
				return res
			}
			res.floor = append(res.floor, run)
		}
		out := filepath.Join(work, "public")
		page := filepath.Join("tasks", s.task, "index.html")
		if s.page != "" {
			page = s.page
		}
		p := &probe{url: "http://" + addr(o.port+1) + "/api/tasks/" + s.task + "/submissions", fields: s.fields,
			branch: codes[0][0], code: codes[0][1], page: filepath.Join(out, page),
			origin: siteOrigin(s.dir)}
		t := collectTarget(dangwu, s.dir, out, db, addr(o.port+1))
		t.warm, t.warmTask, t.warmFields, t.origin = codesFile, s.task, s.fields, p.origin
		run, err := runWrkOnce(ctx, t, o.duration,
			[]string{"CODES=" + codesFile, "TASK=" + s.task, "FIELDS=" + s.fields, "ORIGIN=" + p.origin},
			filepath.Join(scripts, "submit.lua"), p)
		if err != nil {
			res.err = fmt.Errorf("dangwu: %w", err)
			return res
		}
		res.dangwu = append(res.dangwu, run)
		res.feedback = append(res.feedback, p.latencies...)
		res.lost += p.lost
		res.acked += int64(p.acked)
	}
	for _, r := range res.dangwu {
		res.acked += int64(r.total - r.non201)
	}
	// verify checks every stored submission against the ledger and says
	// how many there are; bench reads the count from what it prints.
	out, err := exec.CommandContext(ctx, dangwu, "verify", "-s", s.dir, "--db", db).CombinedOutput()
	res.verified = err == nil
	if res.rows, err = verifiedRows(out); err != nil {
		res.err = fmt.Errorf("dangwu verify: %w: %s", err, out)
		return res
	}
	return res
}

func addr(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

// siteOrigin is the scheme and host of site.yaml's baseURL.
func siteOrigin(dir string) string {
	b, _ := os.ReadFile(filepath.Join(dir, "site.yaml"))
	m := regexp.MustCompile(`(?m)^baseURL: *["']?(https?://[^/"']*)`).FindSubmatch(b)
	if m == nil {
		return "http://127.0.0.1:1313"
	}
	return string(m[1])
}

// branchCodes gives the branches ids, or every branch of the site when
// ids is empty, a fresh code in db.
func branchCodes(ctx context.Context, dangwu, dir, db string, ids []string) ([][2]string, error) {
	if len(ids) == 0 {
		entries, err := os.ReadDir(filepath.Join(dir, "content", "branches"))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				ids = append(ids, e.Name())
			}
		}
	}
	codeRE := regexp.MustCompile(`[a-z0-9]{4}(-[a-z0-9]{4})+`)
	var codes [][2]string
	for _, id := range ids {
		out, err := exec.CommandContext(ctx, dangwu, "branch", "code", "-s", dir, "--db", db, id).CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("为支部 %s 生成提交码失败：%w %s", id, err, out)
		}
		all := codeRE.FindAllString(string(out), -1)
		if len(all) == 0 {
			return nil, fmt.Errorf("为支部 %s 生成提交码：输出里没有提交码：%s", id, out)
		}
		codes = append(codes, [2]string{id, all[len(all)-1]})
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("%s 里没有支部", dir)
	}
	return codes, nil
}

// wrkTarget is a server for one wrk run: its command line, where it
// listens and what wrk posts to. The floor and `dangwu collect` (here and
// in the store comparison, stores.go) run through the same runWrkOnce.
type wrkTarget struct {
	cmd []string
	// base is the server's http://host:port; empty, it is read from the
	// first line the server prints (collect's "收集器已启动：http://…/"),
	// for a server told to listen on port 0.
	base string
	path string // what wrk posts to, after base
	// warm, when set, is a codes file: one submission (of warmFields,
	// urlencoded) per branch to warmTask before wrk starts, so that the
	// first (slow, PBKDF2) check of each code is done, as in a collector
	// that has run for a while.
	warm, warmTask, warmFields string
	origin                     string // of the warm-up posts; the example site's when empty
}

// collectTarget is `dangwu collect` (bin) on site, db and out, at addr
// (127.0.0.1:0 for any free port): the target the throughput rows and the
// store comparison share; another row (a larger site, say) makes its own.
func collectTarget(bin, site, out, db, addr string) wrkTarget {
	t := wrkTarget{cmd: []string{bin, "collect", "-s", site, "-d", out, "--db", db, "--addr", addr}}
	if !strings.HasSuffix(addr, ":0") {
		t.base = "http://" + addr
	}
	return t
}

var collectURL = regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)

// runWrkOnce starts the target, waits for /healthz, warms it up when
// asked, runs wrk -t2 -c64 (and the probe, when given) against it for d,
// stops it with SIGTERM and parses wrk's summary.
func runWrkOnce(ctx context.Context, t wrkTarget, d time.Duration, env []string, script string, p *probe) (wrkRun, error) {
	srv := exec.CommandContext(ctx, t.cmd[0], t.cmd[1:]...)
	log := &lockedBuffer{}
	srv.Stdout, srv.Stderr = log, log
	if err := srv.Start(); err != nil {
		return wrkRun{}, err
	}
	defer func() {
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}()
	base, err := t.address(ctx, log)
	if err != nil {
		return wrkRun{}, err
	}
	if err := waitHealthy(ctx, base, 5*time.Minute); err != nil {
		return wrkRun{}, fmt.Errorf("%w\n%s", err, log.String())
	}
	if t.warm != "" {
		if err := warmUp(base, t); err != nil {
			return wrkRun{}, err
		}
	}
	cmd := exec.CommandContext(ctx, "wrk", "-t2", "-c64", "-d"+strconv.Itoa(int(d.Seconds()))+"s", "-s", script, base+t.path)
	cmd.Env = append(os.Environ(), env...)
	var stop func()
	if p != nil {
		stop = p.start(ctx)
	}
	cpu0, cpuOK := processCPU(srv.Process.Pid)
	out, err := cmd.CombinedOutput()
	cpu1, cpuOK1 := processCPU(srv.Process.Pid)
	if stop != nil {
		stop()
	}
	if err != nil {
		return wrkRun{}, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	run, err := parseWrk(out)
	if err == nil && run.requests > 0 {
		n := float64(run.requests)
		if cpuOK && cpuOK1 {
			run.serverCPU = float64((cpu1 - cpu0).Microseconds()) / n
		}
		if st := cmd.ProcessState; st != nil {
			run.wrkCPU = float64((st.UserTime() + st.SystemTime()).Microseconds()) / n
		}
	}
	return run, err
}

// processCPU is the user and system time process pid has used so far, from
// /proc/PID/stat (Linux); not ok elsewhere. The kernel counts it in
// USER_HZ ticks, 100 a second on every Linux architecture.
func processCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime and stime (fields 14 and 15) from a
// /proc/PID/stat line; the command name in parentheses may hold spaces and
// parentheses itself, so the fields are counted from the last ')'.
func parseStatCPU(line string) (time.Duration, bool) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(line[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(u+s) * (time.Second / 100), true
}

// address is the target's base URL, from the target or from what the
// server printed first (within a minute).
func (t wrkTarget) address(ctx context.Context, log *lockedBuffer) (string, error) {
	if t.base != "" {
		return t.base, nil
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if m := collectURL.FindStringSubmatch(log.String()); m != nil {
			return "http://" + m[1], nil
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return "", fmt.Errorf("%s 没有打印监听地址：%s", t.cmd[0], log.String())
}

// parseWrk reads the summary the scripts print in done().
func parseWrk(out []byte) (wrkRun, error) {
	m := wrkLine.FindSubmatch(out)
	if m == nil {
		return wrkRun{}, fmt.Errorf("wrk printed no rate line:\n%s", out)
	}
	var run wrkRun
	run.rate, _ = strconv.ParseFloat(string(m[1]), 64)
	run.p50, _ = strconv.ParseFloat(string(m[2]), 64)
	run.p99, _ = strconv.ParseFloat(string(m[3]), 64)
	if n := non201Line.FindSubmatch(out); n != nil {
		run.non201, _ = strconv.Atoi(string(n[1]))
		run.total, _ = strconv.Atoi(string(n[2]))
	}
	if n := requestsLine.FindSubmatch(out); n != nil {
		run.requests, _ = strconv.Atoi(string(n[1]))
	}
	return run, nil
}

// lockedBuffer is a server's output, written by its process while the
// runner reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// warmUp submits t.warmFields once for each branch of t.warm's codes.
func warmUp(base string, t wrkTarget) error {
	data, err := os.ReadFile(t.warm)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		branch, code, _ := strings.Cut(line, " ")
		body := "branch=" + url.QueryEscape(branch) + "&code=" + url.QueryEscape(code) + "&" + t.warmFields
		req, _ := http.NewRequest("POST", base+"/api/tasks/"+t.warmTask+"/submissions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Origin", cmp.Or(t.origin, "http://127.0.0.1:1313"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("支部 %s 的预热提交失败：%s", branch, resp.Status)
		}
	}
	return nil
}

func waitHealthy(ctx context.Context, base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s/healthz: not healthy after %s", base, limit)
}

// verifiedRows is the number of submissions `dangwu verify` found all
// consistent with the ledger ("…，N 份提交、…均与账本一致").
func verifiedRows(out []byte) (int64, error) {
	m := regexp.MustCompile(`([0-9,]+) 份提交[^\n]*均与账本一致`).FindSubmatch(out)
	if m == nil {
		return 0, errors.New("no count of consistent submissions in its output")
	}
	return strconv.ParseInt(strings.ReplaceAll(string(m[1]), ",", ""), 10, 64)
}

// probe posts a submission every probeEvery and watches the task page for
// it: its receipt's version appearing in its branch's row.
type probe struct {
	url, fields, branch, code, page, origin string

	mu        sync.Mutex
	waiting   map[int]time.Time // version → when acknowledged
	latencies []time.Duration
	acked     int
	lost      int
}

const (
	probeEvery = 20 * time.Millisecond
	probePoll  = 10 * time.Millisecond
	// probeReread bounds how long an unchanged stamp is trusted (a
	// rewrite within the file system's time granularity that kept the
	// size).
	probeReread = 50 * time.Millisecond
)

// start runs the probe until the returned stop is called; stop then waits
// a second more for the last ones to show.
func (p *probe) start(ctx context.Context) (stop func()) {
	p.waiting = map[int]time.Time{}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { p.post(ctx) })
	done := make(chan struct{})
	var wgw sync.WaitGroup
	wgw.Go(func() { p.watch(done) })
	return func() {
		cancel()
		wg.Wait()
		time.Sleep(2 * time.Second)
		close(done)
		wgw.Wait()
		p.lost += len(p.waiting)
	}
}

// submit posts one submission as branch and returns its receipt's version,
// 0 when it was not a 201.
func (p *probe) submit(ctx context.Context, client *http.Client, branch, code, id string) int {
	body := "branch=" + branch + "&code=" + url.QueryEscape(code) +
		"&submission_id=" + fmt.Sprintf("probe-%d-%s", time.Now().UnixNano(), id) + "&" + p.fields
	req, _ := http.NewRequestWithContext(ctx, "POST", p.url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", p.origin)
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	var rec struct{ Version int }
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || json.Unmarshal(b, &rec) != nil {
		return 0
	}
	return rec.Version
}

func (p *probe) post(ctx context.Context) {
	client := &http.Client{Timeout: 10 * time.Second}
	t := time.NewTicker(probeEvery)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// A request under way when the probe stops is let finish.
		v := p.submit(context.WithoutCancel(ctx), client, p.branch, p.code, fmt.Sprintf("%08d", i))
		at := time.Now()
		if v == 0 {
			continue
		}
		p.mu.Lock()
		p.acked++
		p.waiting[v] = at
		p.mu.Unlock()
	}
}

// watch looks at the task page every probePoll and settles every probe
// whose version the branch's row shows. It reads the page only when its
// stamp (file, size, modification time) changed, or probeReread after the
// last read: reading and searching it every 2 ms was some 8 % of a core
// that the floor's runs did not share (issue 11).
func (p *probe) watch(done chan struct{}) {
	t := time.NewTicker(probePoll)
	defer t.Stop()
	var seen pageStamp
	var read time.Time
	shown := 0
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		now := time.Now()
		// Settled on every tick against what the page showed when last
		// read: a probe acknowledged after the page already showed its
		// version is settled now, not at the next read.
		if st := stampOf(p.page); !st.same(seen) || now.Sub(read) >= probeReread {
			seen, read = st, now
			shown, _ = shownVersions(p.page, p.branch)
			now = time.Now()
		}
		p.mu.Lock()
		for v, at := range p.waiting {
			if v <= shown {
				p.latencies = append(p.latencies, now.Sub(at))
				delete(p.waiting, v)
			}
		}
		p.mu.Unlock()
	}
}

// pageStamp is what os.Stat says of a page: a page rewritten in place
// changes its size or time, one renamed over it is another file.
type pageStamp struct {
	info os.FileInfo
}

func stampOf(path string) pageStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return pageStamp{}
	}
	return pageStamp{fi}
}

// same is whether both stamps are of the same, unchanged file; a missing
// page is never the same.
func (a pageStamp) same(b pageStamp) bool {
	if a.info == nil || b.info == nil {
		return false
	}
	return os.SameFile(a.info, b.info) && a.info.Size() == b.info.Size() && a.info.ModTime().Equal(b.info.ModTime())
}

// shownVersions reads the versions column of branch's row on a task page
// (the default theme's status table: the first numeric cell after the
// branch's link, whatever other attributes the cell has); not ok when the
// page, the row or the cell is not there.
func shownVersions(page, branch string) (n int, ok bool) {
	b, err := os.ReadFile(page)
	if err != nil {
		return 0, false
	}
	i := bytes.Index(b, []byte("branches/"+branch+"/\""))
	if i < 0 {
		return 0, false
	}
	m := versionCell.FindSubmatch(b[i:])
	if m == nil {
		return 0, false
	}
	n, err = strconv.Atoi(string(m[1]))
	return n, err == nil
}

var versionCell = regexp.MustCompile(`<td[^>]*\bclass="num"[^>]*>([0-9]+)<`)

// percentile of sorted durations.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p)
	return s[i]
}

var errNoRuns = errors.New("no runs")

// median of the runs' field.
func medianOf(runs []wrkRun, f func(wrkRun) float64) (float64, error) {
	if len(runs) == 0 {
		return 0, errNoRuns
	}
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = f(r)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2], nil
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2, nil
}

// addWrk adds the wrk rows: throughput and latency of both servers, the
// ratio and the goals (issue 11), durability, and the feedback under load.
func (r *report) addWrk(t *table) {
	if r.skipWrk {
		t.heading("收集器：wrk -t2 -c64（已按 -skip-wrk 跳过）")
		return
	}
	for _, w := range r.wrk {
		how := fmt.Sprintf("%d 轮交替，中位数；下限 = collector-floor -mode c", w.site.rounds)
		if !w.site.floor {
			how = fmt.Sprintf("%d 轮，只测 dangwu", w.site.rounds)
		}
		t.heading(fmt.Sprintf("收集器：wrk -t2 -c64 -d%s，%s（%s）", r.wrkDuration, w.site.name, how))
		if w.err != nil {
			t.add("  （运行失败，见说明）")
			continue
		}
		rate := func(x wrkRun) float64 { return x.rate }
		d, errD := medianOf(w.dangwu, rate)
		f, errF := medianOf(w.floor, rate)
		ref := "—"
		if errF == nil {
			ref = "下限 " + thousands(f) + " /s"
		}
		t.add("  提交/秒", thousands(d)+" /s", "", ref)
		if errD == nil && errF == nil && f > 0 {
			tcell, check := judge(&target{"≥", 0.7, "0.7"}, d/f, true)
			t.add("  提交/秒 dangwu/下限", "", "", "", fmt.Sprintf("%.2f", d/f), tcell, check)
			if len(w.floor) > 1 {
				t.heading("  各轮 dangwu / 下限（每轮先下限后 dangwu）：" + roundPairs(w.dangwu, w.floor))
			}
		}
		for _, q := range []struct {
			label string
			f     func(wrkRun) float64
			goal  *target
		}{{"  延迟 p50", func(x wrkRun) float64 { return x.p50 }, nil}, {"  延迟 p99", func(x wrkRun) float64 { return x.p99 }, &target{"<", 20, "20 ms"}}} {
			dv, _ := medianOf(w.dangwu, q.f)
			ref := "—"
			if fv, err := medianOf(w.floor, q.f); err == nil {
				ref = "下限 " + millis(fv)
			}
			tcell, check := judge(q.goal, dv, errD == nil)
			t.add(q.label, millis(dv), "", ref, "", tcell, check)
		}
		addCPU(t, w)
		non := 0
		for _, x := range w.dangwu {
			non += x.non201
		}
		tcell, check := judge(&target{"≤", 0, "0"}, float64(non), true)
		t.add("  非 201 应答", strconv.Itoa(non), "", "", "", tcell, check)
		durable := w.rows >= w.acked && w.verified
		mark := "✗"
		if durable {
			mark = "✓"
		}
		t.add("  已确认的提交都在库中且在账本里", fmt.Sprintf("%s / %s", thousands(float64(w.acked)), thousands(float64(w.rows))), "", "确认 / 库中行数，verify", "", "全部", mark)
		p50, p99 := percentile(w.feedback, 0.5), percentile(w.feedback, 0.99)
		what := "任务页"
		if w.site.page != "" {
			what = "所属总支的任务页"
		}
		label := fmt.Sprintf("  提交→%s p50（探针 %d 份）", what, len(w.feedback))
		t.add(label, millis(float64(p50.Microseconds())/1000), "", "", "", "", "")
		tcell, check = judge(&target{"<", 1000, "1,000 ms"}, float64(p99.Microseconds())/1000, len(w.feedback) > 0 && w.lost == 0)
		t.add("  提交→"+what+" p99", millis(float64(p99.Microseconds())/1000), "", fmt.Sprintf("未显示 %d 份", w.lost), "", tcell, check)
	}
}

// addCPU adds the CPU a request cost the server and wrk, dangwu beside the
// floor, with the floor's share of dangwu's: on two cores that all three
// share, the throughput ratio follows it (issue 11, fifth round). Nothing
// where the system does not say.
func addCPU(t *table, w wrkResult) {
	for _, q := range []struct {
		label string
		f     func(wrkRun) float64
	}{{"  每请求 CPU（服务器进程）", func(x wrkRun) float64 { return x.serverCPU }}, {"  每请求 CPU（wrk）", func(x wrkRun) float64 { return x.wrkCPU }}} {
		d, err := medianOf(w.dangwu, q.f)
		if err != nil || d <= 0 {
			continue
		}
		ref, ratio := "—", ""
		if f, err := medianOf(w.floor, q.f); err == nil && f > 0 {
			ref = fmt.Sprintf("下限 %.0f µs", f)
			ratio = fmt.Sprintf("%.2f", f/d)
		}
		t.add(q.label, fmt.Sprintf("%.0f µs", d), "", ref, ratio, "", "")
	}
}

// roundPairs lists each round's dangwu and floor rates and their ratio, in
// the order run: the two are measured seconds apart, so a round's ratio is
// less moved by the machine's drift over the run than the medians are.
func roundPairs(dangwu, floor []wrkRun) string {
	var parts []string
	for i := range min(len(dangwu), len(floor)) {
		d, f := dangwu[i].rate, floor[i].rate
		part := thousands(d) + " / " + thousands(f)
		if f > 0 {
			part += fmt.Sprintf(" = %.2f", d/f)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "；")
}

// millis formats milliseconds as the table does.
func millis(ms float64) string { return formatMetric(metric{value: ms, unit: "p-ms"}) }
