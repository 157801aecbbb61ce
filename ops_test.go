package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStoreCommandsRefuseMissingDatabase: backup, verify and export on a
// mistyped --db say so and create nothing (issue 10: backup used to create an
// empty database, back it up and exit 0).
func TestStoreCommandsRefuseMissingDatabase(t *testing.T) {
	dir, _ := collectSite(t)
	typo := filepath.Join(dir, "data", "dangwu-typo.db")
	for _, args := range [][]string{
		{"backup", "-s", dir, "--db", typo, filepath.Join(t.TempDir(), "b.db")},
		{"verify", "-s", dir, "--db", typo},
		{"export", "baogao", "-s", dir, "--db", typo},
	} {
		t.Run(args[0], func(t *testing.T) {
			var errb bytes.Buffer
			err := run(context.Background(), args, io.Discard, &errb)
			if err == nil || !strings.Contains(err.Error(), "不存在") || !strings.Contains(err.Error(), "--db") {
				t.Fatalf("got %v", err)
			}
			if _, serr := os.Stat(typo); !errors.Is(serr, os.ErrNotExist) {
				t.Errorf("%s created %s", args[0], typo)
			}
			t.Logf("dangwu %s: %v", args[0], err)
		})
	}
}

// TestCollectRefusesCorruptDatabase: the real binary refuses to start on a
// database with one overwritten page, exits non-zero and says how to restore
// (issue 10: it used to start, answer 200 and acknowledge submissions).
func TestCollectRefusesCorruptDatabase(t *testing.T) {
	dir, _ := collectSite(t)
	db := filepath.Join(dir, "data", "dangwu.db")
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	// The branch command left a checkpointed database of several pages;
	// overwrite one in the middle.
	pages := fi.Size() / 4096
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	junk := bytes.Repeat([]byte{0xa5, 0x17, 0x3c}, 4096/3+1)[:4096]
	f.WriteAt(junk, (pages/2)*4096)
	f.Close()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "collect", "-s", dir, "--addr", "127.0.0.1:0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	t.Logf("page %d of %d overwritten; dangwu collect exited with %v; stderr:\n%s", pages/2+1, pages, err, stderr.String())
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("collect did not fail: %v; stdout %s", err, stdout.String())
	}
	if strings.Contains(stdout.String(), "收集器已启动") {
		t.Error("collect said it started")
	}
	for _, want := range []string{"已损坏", "拒绝启动", "从备份恢复", "dangwu verify --db"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
}
