package main

import (
	"context"
	"os"
	"path/filepath"
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
