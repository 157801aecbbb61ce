package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
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

// lockedBuffer is a bytes.Buffer safe to write from a process's pipe and
// read from the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestSweepAndBackupManifest: on start the real collector removes a
// temporary upload and an unreferenced stored file older than an hour and
// logs it; `backup` then writes the database and a manifest of exactly the
// files it refers to, which sha256sum -c checks in the uploads folder
// (issue 10).
func TestSweepAndBackupManifest(t *testing.T) {
	dir, code := collectSite(t)
	uploads := filepath.Join(dir, "data", "uploads")
	old := time.Now().Add(-2 * time.Hour)
	stale := filepath.Join(uploads, "tmp", "0123456789abcdef01234567")
	orphanSum := strings.Repeat("5e", 32)
	orphan := filepath.Join(uploads, "5e", orphanSum)
	for _, p := range []string{stale, orphan} {
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte("left behind"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, old, old)
	}
	var logs lockedBuffer
	p := startCollectorLog(t, dir, &logs)
	defer p.stop()
	for i := range 3 {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("branch", "yi")
		mw.WriteField("code", code)
		mw.WriteField("text", fmt.Sprintf("第%d份报告。", i))
		fw, _ := mw.CreateFormFile("file", "报告.pdf")
		fmt.Fprintf(fw, "%%PDF-1.4 report %d", i%2) // two distinct files
		mw.Close()
		req, _ := http.NewRequest("POST", p.base+"/api/tasks/baogao/submissions", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("submission %d: %d %s", i, resp.StatusCode, b)
		}
	}
	// The sweep on start runs beside serving: give it a moment.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !strings.Contains(logs.String(), "sweep uploads"); {
		time.Sleep(20 * time.Millisecond)
	}
	for _, p := range []string{stale, orphan} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s not swept", p)
		}
	}
	for _, want := range []string{"kind=temporary", "kind=unreferenced", orphanSum, "sweep uploads"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("collector log lacks %q:\n%s", want, logs.String())
		}
	}
	dest := filepath.Join(t.TempDir(), "dangwu.db")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"backup", "-s", dir, dest}, &out, &errb); err != nil {
		t.Fatalf("backup: %v %s", err, errb.String())
	}
	manifest, err := os.ReadFile(dest + ".manifest")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(manifest)), "\n")
	check := exec.Command("sha256sum", "-c", dest+".manifest")
	check.Dir = uploads
	checked, err := check.CombinedOutput()
	t.Logf("backup said: %s\nmanifest: %d lines; sha256sum -c: %v\n%s", strings.TrimSpace(out.String()), len(lines), err, checked)
	if len(lines) != 2 || err != nil {
		t.Errorf("manifest %q, sha256sum -c: %v", manifest, err)
	}
}

// TestTaskFormOrder: the task page the collector renders names branch and
// code before any other control, and a post built the way a browser without
// JavaScript builds it (every control in document order) is accepted, while
// the collector reads branch and code before any file (issue 10).
func TestTaskFormOrder(t *testing.T) {
	dir, code := collectSite(t)
	p := startCollector(t, dir)
	defer p.stop()
	page, err := os.ReadFile(filepath.Join(dir, "public", "tasks", "baogao", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	form := regexp.MustCompile(`(?s)<form class="task-form".*?</form>`).Find(page)
	var names []string
	for _, m := range regexp.MustCompile(`<(?:input|select|textarea)[^>]*\sname="([^"]+)"`).FindAllSubmatch(form, -1) {
		names = append(names, string(m[1]))
	}
	t.Logf("controls in document order: %v", names)
	if len(names) < 3 || names[0] != "branch" || names[1] != "code" {
		t.Fatalf("the form does not start with branch and code: %v", names)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, n := range names {
		switch n {
		case "branch":
			mw.WriteField(n, "yi")
		case "code":
			mw.WriteField(n, code)
		case "file":
			fw, _ := mw.CreateFormFile(n, "报告.pdf")
			io.WriteString(fw, "%PDF-1.4 无脚本提交")
		case "text":
			mw.WriteField(n, "不开 JavaScript 提交的报告。")
		default:
			mw.WriteField(n, "")
		}
	}
	mw.Close()
	req, _ := http.NewRequest("POST", p.base+"/api/tasks/baogao/submissions", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/api/receipts/") {
		t.Errorf("a browser's post in document order: %d %s", resp.StatusCode, b)
	}
}
