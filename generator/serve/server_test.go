package serve

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestRun runs the server as `dangwu serve` does, on a real port with the
// real watcher: a browser's event stream gets a reload after an edit, the
// problems of a broken edit and their end when fixed; on shutdown every
// stream ends, the watcher closes, the port is free and no goroutine is
// left (issue 3, items 3 and 6).
func TestRun(t *testing.T) {
	before := runtime.NumGoroutine()
	s, src := testSite(t, Options{Debounce: 20 * time.Millisecond})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	s.opts.Listener = ln
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- s.Run(ctx) }()

	transport := &http.Transport{}
	client := &http.Client{Transport: transport}
	var resp *http.Response
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err = client.Get("http://" + addr + "/dangwu/__dangwu/events")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server does not answer: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stream := bufio.NewReader(resp.Body)
	for s.hub.count() == 0 {
		time.Sleep(time.Millisecond)
	}
	page := filepath.Join(src, "content", "news", "c.md")
	good, _ := os.ReadFile(page)
	next := func(event string) message {
		t.Helper()
		for {
			m := readEvent(t, stream)
			if m.event == event {
				return m
			}
		}
	}
	os.WriteFile(page, append(append([]byte{}, good...), "\n\n新的一段。\n"...), 0o644)
	if m := next(eventReload); !strings.Contains(m.data, "/dangwu/news/c/") {
		t.Errorf("reload %s does not name the edited page", m.data)
	}
	os.WriteFile(page, []byte("---\ndate: 2026-13-45\n---\n"), 0o644)
	if m := next(eventProblems); !strings.Contains(m.data, "content/news/c.md:2: date:") {
		t.Errorf("problems %s do not name the file and line", m.data)
	}
	os.WriteFile(page, good, 0o644)
	next(eventOK)

	cancel()
	select {
	case err := <-ran:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	// What is left of the stream are the events sent before the end.
	ended := make(chan error, 1)
	go func() {
		for {
			if _, err := stream.ReadString('\n'); err != nil {
				ended <- err
				return
			}
		}
	}()
	select {
	case <-ended:
	case <-time.After(30 * time.Second):
		t.Error("the event stream is still open")
	}
	resp.Body.Close()
	transport.CloseIdleConnections()
	if l, err := net.Listen("tcp", addr); err != nil {
		t.Errorf("the port is not free after shutdown: %v", err)
	} else {
		l.Close()
	}
	// Goroutines end asynchronously; give them a generous while.
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > before; {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
