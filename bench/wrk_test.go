package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

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
