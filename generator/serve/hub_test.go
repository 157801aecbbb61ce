package serve

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// readEvent reads the next event of a stream, skipping comments.
func readEvent(t *testing.T, r *bufio.Reader) message {
	t.Helper()
	var m message
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the event stream: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if m.event != "" {
				return m
			}
		case strings.HasPrefix(line, "event: "):
			m.event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if m.data != "" {
				m.data += "\n"
			}
			m.data += strings.TrimPrefix(line, "data: ")
		}
	}
}

// TestHubStream follows a browser's stream: events as they come, the
// problems of a broken site at once on connecting, and the end of the
// stream when the hub closes.
func TestHubStream(t *testing.T) {
	h := newHub()
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	connect := func() *bufio.Reader {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
			t.Fatalf("Content-Type %q", ct)
		}
		return bufio.NewReader(resp.Body)
	}
	first := connect()
	for h.count() != 1 {
		time.Sleep(time.Millisecond)
	}
	h.publish(message{event: eventReload, data: `{"paths":["/a/"]}`})
	if m := readEvent(t, first); m.event != eventReload || m.data != `{"paths":["/a/"]}` {
		t.Errorf("got %+v", m)
	}
	h.publish(message{event: eventProblems, data: "{\"problems\":[\"a\"]}"})
	readEvent(t, first)
	late := connect()
	if m := readEvent(t, late); m.event != eventProblems {
		t.Errorf("a browser connecting to a broken site got %+v first, want the problems", m)
	}
	h.publish(message{event: eventOK, data: "{}"})
	for _, r := range []*bufio.Reader{first, late} {
		if m := readEvent(t, r); m.event != eventOK {
			t.Errorf("got %+v, want ok", m)
		}
	}
	h.close()
	for _, r := range []*bufio.Reader{first, late} {
		if _, err := r.ReadString('\n'); err == nil {
			t.Error("the stream goes on after the hub closed")
		}
	}
	if n := h.count(); n != 0 {
		t.Errorf("%d clients after close", n)
	}
}

// TestHubDropsSlowClient checks that a browser that does not read cannot
// hold the others up.
func TestHubDropsSlowClient(t *testing.T) {
	h := newHub()
	slow, _ := h.subscribe()
	for i := 0; i < clientBuffer+1; i++ {
		h.publish(message{event: eventReload, data: "{}"})
	}
	n := 0
	for range slow {
		n++
	}
	if n != clientBuffer {
		t.Errorf("the slow client got %d events before being dropped, want %d", n, clientBuffer)
	}
	if h.count() != 0 {
		t.Error("the slow client is still subscribed")
	}
}
