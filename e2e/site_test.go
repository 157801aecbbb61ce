//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// taskID is the example site's task the tests submit to.
const taskID = "2026-zhibu-zongjie"

// portal is a copy of the example site served by a running `dangwu collect`.
type portal struct {
	dir      string    // the site folder
	origin   string    // "http://127.0.0.1:PORT"
	title    string    // site.yaml's title
	code     string    // the submission code of the branch yunshu
	password string    // the password of the administrator admin
	deadline time.Time // the deadline of taskID
}

// url returns the absolute address of a path on the site.
func (p *portal) url(path string) string { return p.origin + path }

// startPortal builds dangwu, copies the example site, creates a submission
// code and an administrator, and starts the collector. The collector is
// stopped when the test ends.
func startPortal(t *testing.T) *portal {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := mustBuild(t, root)
	p := &portal{dir: filepath.Join(t.TempDir(), "site")}
	mustCopySite(t, root, p.dir)
	p.title = mustFrontValue(t, filepath.Join(p.dir, "site.yaml"), "title")
	deadline := mustFrontValue(t, filepath.Join(p.dir, "content", "tasks", taskID+".md"), "deadline")
	if p.deadline, err = time.Parse(time.RFC3339, deadline); err != nil {
		t.Fatalf("task %s: deadline %q: %v", taskID, deadline, err)
	}
	p.code = mustSecret(t, bin, "branch", "code", "-s", p.dir, "yunshu")
	p.password = mustSecret(t, bin, "admin", "passwd", "-s", p.dir, "admin")
	p.origin = mustCollect(t, bin, p.dir)
	return p
}

// mustBuild builds the dangwu binary from the repository at root.
func mustBuild(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dangwu")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build in %s: %v\n%s", root, err, out)
	}
	return bin
}

// mustCopySite copies the example site (content/, themes/, site.yaml) to dst.
func mustCopySite(t *testing.T, root, dst string) {
	t.Helper()
	for _, dir := range []string{"content", "themes"} {
		if err := os.CopyFS(filepath.Join(dst, dir), os.DirFS(filepath.Join(root, dir))); err != nil {
			t.Fatalf("copy the example site: %v", err)
		}
	}
	b, err := os.ReadFile(filepath.Join(root, "site.yaml"))
	if err == nil {
		err = os.WriteFile(filepath.Join(dst, "site.yaml"), b, 0o644)
	}
	if err != nil {
		t.Fatalf("copy the example site: %v", err)
	}
}

// mustFrontValue reads a top-level `key: value` line of a YAML file.
func mustFrontValue(t *testing.T, path, key string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^` + key + `:\s*(.+?)\s*$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s: no %s", path, key)
	}
	return string(m[1])
}

// mustSecret runs a dangwu command that prints a new secret on its third line.
func mustSecret(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("dangwu %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	lines := strings.Split(stdout.String(), "\n")
	if len(lines) < 3 || strings.TrimSpace(lines[2]) == "" {
		t.Fatalf("dangwu %s: want the secret on the third line of stdout, got:\n%s", strings.Join(args, " "), stdout.Bytes())
	}
	return strings.TrimSpace(lines[2])
}

// mustCollect starts `dangwu collect` on a free port of 127.0.0.1 and returns
// its origin once it prints it. The collector gets an interrupt (then a kill)
// when the test ends, and its log is shown if the test failed.
func mustCollect(t *testing.T, bin, dir string) string {
	t.Helper()
	logs := t.TempDir()
	stdout, stderr := mustCreate(t, filepath.Join(logs, "stdout")), mustCreate(t, filepath.Join(logs, "stderr"))
	defer stdout.Close()
	defer stderr.Close()
	cmd := exec.Command(bin, "collect", "-s", dir, "--addr", "127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dangwu collect: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		stop(cmd, exited)
		if t.Failed() {
			b, _ := os.ReadFile(stderr.Name())
			t.Logf("dangwu collect's log:\n%s", b)
		}
	})
	origin, err := waitOrigin(stdout.Name(), exited, 15*time.Second)
	if err != nil {
		b, _ := os.ReadFile(stderr.Name())
		t.Fatalf("dangwu collect: %v\n%s", err, b)
	}
	return origin
}

func mustCreate(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// stop interrupts the collector so that it shuts down cleanly, and kills it
// if it has not exited after a few seconds.
func stop(cmd *exec.Cmd, exited <-chan struct{}) {
	cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-exited
	}
}

var startedLine = regexp.MustCompile(`^收集器已启动：(http://127\.0\.0\.1:\d+)/`)

// waitOrigin reads the collector's first stdout line from the file path:
// "收集器已启动：http://127.0.0.1:PORT/ ，…".
func waitOrigin(path string, exited <-chan struct{}, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for {
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		line, err := bufio.NewReader(f).ReadString('\n')
		f.Close()
		if err == nil {
			m := startedLine.FindStringSubmatch(line)
			if m == nil {
				return "", fmt.Errorf("first line of stdout is %q, want 收集器已启动：http://127.0.0.1:PORT/ …", line)
			}
			return m[1], nil
		}
		select {
		case <-exited:
			return "", fmt.Errorf("exited before it printed its address")
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("printed no address within %v", timeout)
		}
	}
}
