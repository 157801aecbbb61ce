package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNginxExample runs deploy/nginx.conf, as shipped but for its
// addresses and folders, in front of two collectors on one PostgreSQL
// (issue 12 item 6): the static site comes from the folder, submissions
// and receipts go through to the collectors and show on the pages, and
// with one collector killed the other takes every submission.
func TestNginxExample(t *testing.T) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if os.Getenv("DANGWU_NGINX_REQUIRED") != "" {
			t.Fatal("nginx is not installed")
		}
		t.Skip("WARNING: SKIPPED, nginx is not installed (apt-get install nginx-light)")
	}
	dir, db, code := pgSite(t)
	out := filepath.Join(t.TempDir(), "public")
	a := pgCollector(t, dir, db, out)
	b := pgCollector(t, dir, db, filepath.Join(t.TempDir(), "b"))
	defer a.stop()
	defer b.stop()
	front := startNginx(t, bin, out, a.base, b.base)

	resp, err := http.Get(front + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "收集器测试") {
		t.Fatalf("the home page through nginx: %d", resp.StatusCode)
	}
	for i := range 6 {
		st, k := submitOne(t, front, code, fmt.Sprintf("经 nginx 的第%d份", i))
		if st != 201 {
			t.Fatalf("submission %d through nginx: %d", i, st)
		}
		checkAcks(t, front, []ack{k})
	}
	took, ok := waitFor(time.Second, func() bool {
		resp, err := http.Get(front + "/branches/yi/")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return strings.Contains(string(body), "已提交")
	})
	if !ok {
		t.Errorf("the branch page through nginx does not show 已提交")
	}
	t.Logf("through nginx: 6 submissions 201, the branch page shows them after %v", took.Round(time.Millisecond))

	a.cmd.Process.Signal(syscall.SIGKILL)
	a.cmd.Wait()
	codes := map[int]int{}
	for i := range 10 {
		st, _ := submitOne(t, front, code, fmt.Sprintf("一台收集器停了之后的第%d份", i))
		codes[st]++
	}
	if codes[201] != 10 {
		t.Errorf("with collector a killed, through nginx: %v, want 10 × 201", codes)
	}
	t.Logf("collector a killed: nginx sent every submission to b: %v", codes)
}

// startNginx runs deploy/nginx.conf on a free port of 127.0.0.1 with the
// collectors at a and b and the site in root, and returns its URL.
func startNginx(t *testing.T, bin, root, a, b string) string {
	t.Helper()
	conf, err := os.ReadFile("deploy/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	prefix := t.TempDir()
	site := strings.NewReplacer(
		"10.0.0.11:8080", strings.TrimPrefix(a, "http://"),
		"10.0.0.12:8080", strings.TrimPrefix(b, "http://"),
		"listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", port),
		"/srv/dangwu/public", root,
		"/etc/nginx/dangwu_proxy.conf", filepath.Join(prefix, "dangwu_proxy.conf"),
	).Replace(string(conf))
	proxy, err := os.ReadFile("deploy/dangwu_proxy.conf")
	if err != nil {
		t.Fatal(err)
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;"
	}
	main := fmt.Sprintf(`%s
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    include %[2]s/dangwu.conf;
}
`, user, prefix)
	for name, body := range map[string]string{"nginx.conf": main, "dangwu.conf": site, "dangwu_proxy.conf": string(proxy)} {
		if err := os.WriteFile(filepath.Join(prefix, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "-p", prefix, "-c", filepath.Join(prefix, "nginx.conf"), "-g", "daemon off;")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGQUIT); cmd.Wait() })
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	if _, ok := waitFor(10*time.Second, func() bool {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	}); !ok {
		log, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
		t.Fatalf("nginx did not answer /healthz: %s", log)
	}
	return url
}
