package web

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHugeContentLength: a body that declares 2 GB is answered 413 at once,
// before anything of it is read, and nothing is written (issue 10).
func TestHugeContentLength(t *testing.T) {
	e := newEnv(t, 0)
	conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST /api/tasks/open/submissions HTTP/1.1\r\nHost: %s\r\nContent-Type: multipart/form-data; boundary=XYZ\r\nAccept: application/json\r\nContent-Length: %d\r\n\r\n",
		e.srv.Listener.Addr(), int64(2)<<30)
	// The first bytes of the body, as a client that does not wait would send.
	fmt.Fprint(conn, "--XYZ\r\nContent-Disposition: form-data; name=\"branch\"\r\n\r\nyi\r\n--XYZ\r\n")
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	took := time.Since(start)
	t.Logf("2 GB Content-Length: %d in %v: %s", resp.StatusCode, took.Round(time.Microsecond), strings.TrimSpace(body))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "提交的内容过大") {
		t.Errorf("got %d %s", resp.StatusCode, body)
	}
	// A generous bound: the point is that the body is not read.
	if took > 10*time.Second {
		t.Errorf("answered after %v", took)
	}
	if n := e.h.opts.Files.Created(); n != 0 {
		t.Errorf("%d temporary files written", n)
	}
	if tmp, _ := os.ReadDir(filepath.Join(e.dir, "uploads", "tmp")); len(tmp) != 0 {
		t.Errorf("uploads/tmp holds %d files", len(tmp))
	}
	if sums, _ := e.db.Summaries(context.Background()); len(sums) != 0 {
		t.Errorf("stored %v", sums)
	}
	e.h.audit.sync()
	if rs, _ := e.db.Refusals(context.Background(), time.Time{}); len(rs) != 1 || rs[0].Kind != "too_large" || rs[0].Client != "127.0.0.1" {
		t.Errorf("audit: %+v", rs)
	}
}

// TestBodiesPerAddress: an address with MaxBodiesPerAddr (16) slow bodies
// in flight gets 429 for the next one, after a second's wait and without it
// being read; another address is not affected (issue 10).
func TestBodiesPerAddress(t *testing.T) {
	e := newEnv(t, 0)
	var conns []net.Conn
	for range 16 {
		c, err := (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).Dial("tcp", e.srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// A slow body: headers and a first part, then nothing.
		fmt.Fprintf(c, "POST /api/tasks/open/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: 20000\r\n\r\n--XYZ\r\nContent-Disposition: form-data; name=\"branch\"\r\n\r\nyi\r\n--XYZ\r\n")
		conns = append(conns, c)
	}
	// Let the server take them in.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		e.h.bodies.mu.Lock()
		var n int
		if sl := e.h.bodies.m["127.0.0.2"]; sl != nil {
			n = len(sl.ch)
		}
		e.h.bodies.mu.Unlock()
		if n == 16 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	ninth, body := e.postFrom(t, from("127.0.0.2"), valid(), nil)
	other, _ := e.postFrom(t, from("127.0.0.1"), valid(), nil)
	t.Logf("16 slow bodies from 127.0.0.2 in flight: a 17th from it %d (after waiting a second), one from 127.0.0.1 %d", ninth, other)
	if ninth != http.StatusTooManyRequests || !strings.Contains(body, "同时进行的提交过多") || other != http.StatusCreated {
		t.Errorf("ninth %d %s, other %d", ninth, body, other)
	}
}

// TestHealthz: 200 with JSON while a write commits; 503 with the reason
// while another process holds the database's write lock (issue 10).
func TestHealthz(t *testing.T) {
	e := newEnv(t, 0)
	get := func() (int, string) {
		e.h.health.mu.Lock()
		e.h.health.at = time.Time{} // no cached answer
		e.h.health.mu.Unlock()
		resp, err := http.Get(e.srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, readBody(t, resp)
	}
	if code, body := get(); code != 200 || !strings.Contains(body, `"status":"ok"`) || !strings.Contains(body, `"freeBytes":`) {
		t.Fatalf("healthy: %d %s", code, body)
	}
	e.h.opts.HealthTimeout = 300 * time.Millisecond
	other, err := sql.Open("sqlite3", "file:"+filepath.Join(e.dir, "dangwu.db")+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	code, body := get()
	t.Logf("write lock held elsewhere: %d %s", code, strings.TrimSpace(body))
	if code != 503 || !strings.Contains(body, `"reason":"locked"`) {
		t.Errorf("locked: %d %s", code, body)
	}
	tx.Rollback()
	if code, body := get(); code != 200 {
		t.Errorf("after the lock: %d %s", code, body)
	}
}
