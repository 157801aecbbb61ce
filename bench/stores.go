package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/collector/postgres/pgtest"
)

// submitLua is the wrk script of the throughput issue (issue 11), a copy of
// shared/bench/collector-floor/submit.lua: urlencoded submissions with a
// fresh submission_id each, rotating through the branches' codes.
//
//go:embed wrk/submit.lua
var submitLua []byte

// storeResult is the median of the runs on each store, or why there is none.
type storeResult struct {
	runs    map[string][]wrkRun // "SQLite", "PostgreSQL"
	seconds int
	note    string
}

// median of one figure of a store's runs.
func (r storeResult) median(store string, f func(wrkRun) float64) (float64, bool) {
	v, err := medianOf(r.runs[store], f)
	return v, err == nil
}

// runStores measures `dangwu collect` with wrk (2 threads, 64 connections,
// the throughput issue's script) on SQLite and on PostgreSQL, in the same
// run, alternating: SQLite, PostgreSQL, SQLite, PostgreSQL … (rounds each).
// PostgreSQL is a server of its own started for the run (pgtest), on the
// same machine, fsync and synchronous_commit on.
func runStores(ctx context.Context, repo, bin, work, addr string, rounds, seconds int, say func(string, ...any)) storeResult {
	res := storeResult{runs: map[string][]wrkRun{}, seconds: seconds}
	if _, err := exec.LookPath("wrk"); err != nil {
		res.note = "没有 wrk（apt-get install wrk），跳过了 SQLite 与 PostgreSQL 的吞吐对比。"
		return res
	}
	pg, err := pgtest.Start()
	if err != nil {
		res.note = "无法启动 PostgreSQL（apt-get install postgresql），跳过了 SQLite 与 PostgreSQL 的吞吐对比：" + err.Error()
		return res
	}
	defer pg.Stop()
	pgURL, err := pg.NewDatabase(ctx)
	if err != nil {
		res.note = "PostgreSQL：" + err.Error()
		return res
	}
	script := filepath.Join(work, "submit.lua")
	if err := os.WriteFile(script, submitLua, 0o644); err != nil {
		res.note = err.Error()
		return res
	}
	stores := []struct{ name, db string }{{"SQLite", filepath.Join(work, "stores", "dangwu.db")}, {"PostgreSQL", pgURL}}
	sites := map[string]string{}
	for _, s := range stores {
		site := filepath.Join(work, "stores", "site-"+s.name)
		codes, err := storeSite(ctx, repo, bin, site, s.db)
		if err != nil {
			res.note = s.name + "：" + err.Error()
			return res
		}
		sites[s.name] = codes
	}
	for round := range rounds {
		for _, s := range stores {
			say("收集器吞吐：%s 第 %d 轮（wrk，%d 秒）…", s.name, round+1, seconds)
			site := filepath.Join(work, "stores", "site-"+s.name)
			t := collectTarget(bin, site, filepath.Join(site, "public"), s.db, addr)
			t.warm, t.warmTask, t.warmFields = sites[s.name], exampleTask, exampleFields()
			r, err := runWrkOnce(ctx, t, time.Duration(seconds)*time.Second,
				[]string{"CODES=" + sites[s.name], "ORIGIN=http://127.0.0.1:1313"}, script, nil)
			if err != nil {
				res.note = s.name + "：" + err.Error()
				return res
			}
			res.runs[s.name] = append(res.runs[s.name], r)
		}
	}
	return res
}

// storeSite copies the example site to dir and issues a code for each of
// its branches in db; it returns the codes file wrk reads.
func storeSite(ctx context.Context, repo, bin, dir, db string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, p := range []string{"site.yaml", "content", "themes"} {
		if out, err := exec.CommandContext(ctx, "cp", "-r", filepath.Join(repo, p), filepath.Join(dir, p)).CombinedOutput(); err != nil {
			return "", fmt.Errorf("cp %s: %w %s", p, err, out)
		}
	}
	codes, err := branchCodes(ctx, bin, dir, db, nil)
	if err != nil {
		return "", err
	}
	var lines []string
	for _, c := range codes {
		lines = append(lines, c[0]+" "+c[1])
	}
	file := filepath.Join(dir, "codes")
	return file, os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}

// addStores adds the throughput of collect on PostgreSQL beside SQLite.
func (r *report) addStores(t *table) {
	s := r.stores
	t.heading(fmt.Sprintf("收集器吞吐：dangwu collect，wrk 2 线程 64 连接，每轮 %d 秒，SQLite 与 PostgreSQL 轮流（中位数）", s.seconds))
	if r.skipStores {
		t.add("  （已按 -skip-stores 跳过）")
		return
	}
	if s.note != "" {
		t.add("  （" + s.note + "）")
		return
	}
	row := func(label string, f func(wrkRun) float64, format func(float64) string) {
		pg, ok1 := s.median("PostgreSQL", f)
		lite, ok2 := s.median("SQLite", f)
		if !ok1 || !ok2 {
			t.add(label, "—", "", "—", "", "", "")
			return
		}
		ratio := "—"
		if lite > 0 {
			ratio = fmt.Sprintf("%.2f", pg/lite)
		}
		t.add(label, format(pg), "", "SQLite "+format(lite), ratio, "", "")
	}
	perSec := func(v float64) string { return thousands(v) + " /s" }
	ms := func(v float64) string { return fmt.Sprintf("%.1f ms", v) }
	row("  PostgreSQL 提交/秒", func(x wrkRun) float64 { return x.rate }, perSec)
	row("  PostgreSQL 延迟 p50", func(x wrkRun) float64 { return x.p50 }, ms)
	row("  PostgreSQL 延迟 p99", func(x wrkRun) float64 { return x.p99 }, ms)
	bad := 0
	for _, runs := range s.runs {
		for _, x := range runs {
			bad += x.non201
		}
	}
	t.add("  非 201 的回答", strconv.Itoa(bad), "", "", "", "0", map[bool]string{true: "✓", false: "✗"}[bad == 0])
}
