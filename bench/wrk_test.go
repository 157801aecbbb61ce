package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/corpus"
	dangwu "github.com/dangwu-org/dangwu/generator"
	"github.com/dangwu-org/dangwu/generator/site"
)

// TestShownVersions: the feedback probe finds every branch's versions cell
// on a task page the default theme renders today (it once found none after
// the theme's cells gained data-label, and the probe then timed out on
// every submission).
func TestShownVersions(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	o := dangwu.Options{Source: "..", Dest: dest, ThemesDir: filepath.Join("..", "themes"),
		Now: func() time.Time { return time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC) }, Warn: func(string) {}}
	if _, err := dangwu.New(o).Run(context.Background(), site.Snapshot{}); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dest, "tasks", "2026-zhibu-zongjie", "index.html")
	branches, err := os.ReadDir(filepath.Join("..", "content", "branches"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range branches {
		if !b.IsDir() {
			continue
		}
		if n, ok := shownVersions(page, b.Name()); !ok || n != 0 {
			t.Errorf("branch %s on %s: versions %d, found %v; want 0, found", b.Name(), page, n, ok)
		}
	}
	if _, ok := shownVersions(page, "no-such-branch"); ok {
		t.Error("a branch that is not on the page was found")
	}
}

// TestShownVersionsTree: on the organization of the tree row, the probe
// finds its 支部's row on its 总支's page of the task (issue 17).
func TestShownVersionsTree(t *testing.T) {
	src, dest := t.TempDir(), filepath.Join(t.TempDir(), "public")
	if err := corpus.WriteTree(src, 10, corpusSeed, 200); err != nil {
		t.Fatal(err)
	}
	o := dangwu.Options{Source: src, Dest: dest, ThemesDir: filepath.Join("..", "themes"),
		Now: func() time.Time { return time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC) }, Warn: func(string) {}}
	if _, err := dangwu.New(o).Run(context.Background(), site.Snapshot{}); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dest, "tasks", "t01", "units", corpus.TreeZongzhiID(0, 0), "index.html")
	if n, ok := shownVersions(page, corpus.TreeBranchID(0)); !ok || n != 0 {
		t.Errorf("%s on %s: versions %d, found %v; want 0, found", corpus.TreeBranchID(0), page, n, ok)
	}
}

// TestRoundPairs: each round's rates and ratio, in the order run.
func TestRoundPairs(t *testing.T) {
	got := roundPairs([]wrkRun{{rate: 6773}, {rate: 5855}}, []wrkRun{{rate: 9981}, {rate: 8777}, {rate: 8077}})
	want := "6,773 / 9,981 = 0.68；5,855 / 8,777 = 0.67"
	if got != want {
		t.Errorf("roundPairs = %q, want %q", got, want)
	}
}

func TestParseStatCPU(t *testing.T) {
	// A command name with a space and a ')' of its own; utime 1234 and
	// stime 66 ticks of 10 ms.
	line := "4242 (dang wu) x) S 1 4242 4242 0 -1 4194560 5091 0 0 0 1234 66 0 0 20 0 9 0 123 456 789\n"
	got, ok := parseStatCPU(line)
	if !ok || got != 13*time.Second {
		t.Errorf("parseStatCPU = %v, %v; want 13s", got, ok)
	}
	if _, ok := parseStatCPU("4242 (dangwu) S 1"); ok {
		t.Error("a short line parsed")
	}
	if _, ok := processCPU(os.Getpid()); !ok && runtime.GOOS == "linux" {
		t.Error("no CPU time for this process from /proc")
	}
}

func TestParseWrkRequests(t *testing.T) {
	out := []byte("Running 10s test @ http://127.0.0.1:18712\n  2 threads and 64 connections\n  142113 requests in 10.01s, 347.31MB read\nnon-201: 0 of 142113\nrate=14197 p50=4.13ms p99=11.71ms\n")
	run, err := parseWrk(out)
	if err != nil || run.requests != 142113 || run.total != 142113 || run.rate != 14197 || run.p99 != 11.71 {
		t.Errorf("parseWrk = %+v, %v", run, err)
	}
	// The floor's script prints its own count line; wrk's is the one read.
	run, err = parseWrk([]byte("  99 requests in 1.00s, 1MB read\nnon-OK responses: 0 of 99 (OK_STATUS=201)\nrate=99 p50=1.00ms p99=2.00ms\n"))
	if err != nil || run.requests != 99 || run.total != 0 {
		t.Errorf("floor's output: %+v, %v", run, err)
	}
}

func TestAddCPU(t *testing.T) {
	header := []string{"项目", "dangwu", "Hugo", "下限/参照", "比值", "目标", "达标"}
	tb := table{header: header}
	addCPU(&tb, wrkResult{dangwu: []wrkRun{{serverCPU: 80, wrkCPU: 21}, {serverCPU: 100, wrkCPU: 23}}, floor: []wrkRun{{serverCPU: 55, wrkCPU: 15}}})
	var b strings.Builder
	tb.write(&b)
	for _, want := range []string{"每请求 CPU（服务器进程）", "90 µs", "下限 55 µs", "0.61", "每请求 CPU（wrk）", "22 µs", "下限 15 µs", "0.68"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in:\n%s", want, b.String())
		}
	}
	tb = table{header: header}
	addCPU(&tb, wrkResult{dangwu: []wrkRun{{rate: 1}}})
	b.Reset()
	tb.write(&b)
	if strings.Contains(b.String(), "CPU") {
		t.Errorf("CPU rows without figures:\n%s", b.String())
	}
}

// TestPageStamp: the probe reads the page again after any rewrite, in
// place or by rename, and not while it is unchanged.
func TestPageStamp(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "index.html")
	if stampOf(page).same(stampOf(page)) {
		t.Error("a missing page counts as unchanged")
	}
	if err := os.WriteFile(page, []byte("<td class=\"num\">1<"), 0o644); err != nil {
		t.Fatal(err)
	}
	a := stampOf(page)
	if !a.same(stampOf(page)) {
		t.Error("an unchanged page counts as changed")
	}
	if err := os.WriteFile(page, []byte("<td class=\"num\">12<"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := stampOf(page)
	if a.same(b) {
		t.Error("a page rewritten in place counts as unchanged")
	}
	tmp := filepath.Join(dir, "new.html")
	if err := os.WriteFile(tmp, []byte("<td class=\"num\">13<"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, b.info.ModTime(), b.info.ModTime()); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, page); err != nil {
		t.Fatal(err)
	}
	if b.same(stampOf(page)) {
		t.Error("a page renamed over the old one, same size and time, counts as unchanged")
	}
}
