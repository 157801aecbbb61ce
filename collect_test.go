package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
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
	"syscall"
	"testing"
	"time"
)

// binary builds the dangwu command once per test run.
var binary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "dangwu-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "dangwu")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// collectSite copies testdata/collect with the shipped theme into a temp
// folder and issues an access code for branch yi.
func collectSite(t *testing.T) (dir, code string) {
	t.Helper()
	dir = t.TempDir()
	copyDir(t, "testdata/collect", dir)
	copyDir(t, "themes", filepath.Join(dir, "themes"))
	var out bytes.Buffer
	if err := run(context.Background(), []string{"branch", "code", "-s", dir, "yi"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	return dir, strings.TrimSpace(lines[2])
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// collector is a running `dangwu collect` process.
type collectorProc struct {
	cmd      *exec.Cmd
	base     string
	stopOnce sync.Once
}

// stop ends the collector with SIGTERM and waits for it; calling it again
// (a deferred stop after an explicit one) does nothing.
func (p *collectorProc) stop() {
	p.stopOnce.Do(func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		p.cmd.Wait()
	})
}

var listening = regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)

func startCollector(t *testing.T, dir string) *collectorProc {
	t.Helper()
	return startCollectorLog(t, dir, io.Discard)
}

// startCollectorLog starts `dangwu collect` with its log going to stderr.
func startCollectorLog(t *testing.T, dir string, stderr io.Writer) *collectorProc {
	t.Helper()
	return startCollectorArgs(t, stderr, "-s", dir)
}

// startCollectorArgs starts `dangwu collect --addr 127.0.0.1:0` with more
// arguments.
func startCollectorArgs(t *testing.T, stderr io.Writer, args ...string) *collectorProc {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"collect", "--addr", "127.0.0.1:0"}, args...)...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line := <-lines:
		m := listening.FindStringSubmatch(line)
		if m == nil {
			cmd.Process.Kill()
			t.Fatalf("collector said %q", line)
		}
		go func() {
			for range lines {
			}
		}()
		return &collectorProc{cmd: cmd, base: "http://" + m[1]}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("collector did not start")
	}
	return nil
}

type ack struct {
	ID     string `json:"id"`
	SHA256 string `json:"sha256"`
}

// submitLoop posts until stop closes, recording every acknowledged receipt.
func submitLoop(base, code string, client int, stop <-chan struct{}, acks chan<- ack) {
	hc := &http.Client{Timeout: 10 * time.Second}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("branch", "yi")
		mw.WriteField("code", code)
		mw.WriteField("submission_id", fmt.Sprintf("c%d-%d-%d", client, i, time.Now().UnixNano()))
		mw.WriteField("text", fmt.Sprintf("客户端%d的第%d份报告。", client, i))
		if i%4 == 0 {
			fw, _ := mw.CreateFormFile("file", "报告.pdf")
			fmt.Fprintf(fw, "%%PDF-1.4 client %d report %d", client, i)
		}
		mw.Close()
		req, _ := http.NewRequest("POST", base+"/api/tasks/baogao/submissions", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			continue // the server died mid-request: not acknowledged
		}
		var a ack
		if resp.StatusCode == http.StatusCreated && json.NewDecoder(resp.Body).Decode(&a) == nil && a.ID != "" {
			acks <- a
		}
		resp.Body.Close()
	}
}

// load runs 32 clients against base for d and returns every acknowledgement.
func load(base, code string, d time.Duration, during func()) []ack {
	stop := make(chan struct{})
	acks := make(chan ack, 1<<16)
	var wg sync.WaitGroup
	for c := 0; c < 32; c++ {
		wg.Add(1)
		go func() { defer wg.Done(); submitLoop(base, code, c, stop, acks) }()
	}
	time.Sleep(d)
	if during != nil {
		during()
	}
	close(stop)
	wg.Wait()
	close(acks)
	var out []ack
	for a := range acks {
		out = append(out, a)
	}
	return out
}

func checkAcks(t *testing.T, base string, acks []ack) {
	t.Helper()
	for _, a := range acks {
		resp, err := http.Get(base + "/api/receipts/" + a.ID + "?json")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), a.SHA256) {
			t.Errorf("acknowledged receipt %s: %d %s", a.ID, resp.StatusCode, body)
		}
	}
}

func verifyOK(t *testing.T, dir string) {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"verify", "-s", dir}, &out, &errb); err != nil {
		t.Fatalf("verify: %v %s", err, errb.String())
	}
}

// TestCrashUnderLoad kills the collector with SIGKILL while 32 clients
// submit, three times, and checks every acknowledged submission survived
// and the log verifies (issue 4).
func TestCrashUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	dir, code := collectSite(t)
	var all []ack
	for round := 0; round < 3; round++ {
		p := startCollector(t, dir)
		acks := load(p.base, code, 700*time.Millisecond, func() { p.cmd.Process.Signal(syscall.SIGKILL) })
		p.cmd.Wait()
		if len(acks) == 0 {
			t.Fatalf("round %d: no submission was acknowledged", round)
		}
		all = append(all, acks...)
		t.Logf("round %d: %d acknowledged before SIGKILL", round, len(acks))
	}
	p := startCollector(t, dir)
	checkAcks(t, p.base, all)
	p.stop()
	verifyOK(t, dir)
}

// TestGracefulStopAndBackupUnderLoad takes an online backup while clients
// submit, stops the collector with SIGTERM under load, and checks the
// acknowledged submissions, the log and the restored backup.
func TestGracefulStopAndBackupUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	dir, code := collectSite(t)
	p := startCollector(t, dir)
	backup := filepath.Join(t.TempDir(), "data", "dangwu.db")
	os.MkdirAll(filepath.Dir(backup), 0o700)
	var backupErr error
	acks := load(p.base, code, 500*time.Millisecond, func() {
		var errb bytes.Buffer
		backupErr = run(context.Background(), []string{"backup", "-s", dir, backup}, io.Discard, &errb)
		time.Sleep(200 * time.Millisecond)
		p.cmd.Process.Signal(syscall.SIGTERM)
	})
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("collector exit after SIGTERM: %v", err)
	}
	if backupErr != nil {
		t.Fatal(backupErr)
	}
	p = startCollector(t, dir)
	checkAcks(t, p.base, acks)
	p.stop()
	verifyOK(t, dir)
	// The backup restores into a database that verifies, with the uploads
	// copied beside it and the ledger's key given (it is not in the database).
	copyDir(t, filepath.Join(dir, "data", "uploads"), filepath.Join(filepath.Dir(backup), "uploads"))
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"verify", "--db", backup, "--ledger-key", filepath.Join(dir, "data", "ledger.key"), "--head", backup + ".head.txt"}, &out, &errb); err != nil {
		t.Fatalf("verify the restored backup: %v %s", err, errb.String())
	}
	t.Logf("%d acknowledged; backup: %s", len(acks), strings.TrimSpace(out.String()))
}
