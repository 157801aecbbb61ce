package serve

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// message is one Server-Sent Event.
type message struct {
	event string
	data  string
}

// hub sends events to every open browser. The Server owns it; it keeps
// the problems of a failed update to send to browsers that connect while
// the site is broken.
type hub struct {
	mu       sync.Mutex
	clients  map[chan message]struct{}
	problems *message
	closed   chan struct{}
}

// clientBuffer is how many events a slow browser may fall behind before
// it is disconnected; EventSource reconnects by itself.
const clientBuffer = 32

func newHub() *hub {
	return &hub{clients: map[chan message]struct{}{}, closed: make(chan struct{})}
}

// subscribe registers a client: its channel, and the events it must get
// first.
func (h *hub) subscribe() (chan message, []message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan message, clientBuffer)
	select {
	case <-h.closed:
		close(ch)
		return ch, nil
	default:
	}
	h.clients[ch] = struct{}{}
	var first []message
	if h.problems != nil {
		first = append(first, *h.problems)
	}
	return ch, first
}

func (h *hub) unsubscribe(ch chan message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[ch]; ok {
		delete(h.clients, ch)
		close(ch)
	}
}

// publish sends m to every client. A client too far behind is dropped.
func (h *hub) publish(m message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch m.event {
	case eventProblems:
		h.problems = &m
	case eventOK:
		h.problems = nil
	}
	for ch := range h.clients {
		select {
		case ch <- m:
		default:
			delete(h.clients, ch)
			close(ch)
		}
	}
}

// count is the number of connected clients.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// close ends every stream, for shutdown.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.closed:
		return
	default:
	}
	close(h.closed)
	for ch := range h.clients {
		delete(h.clients, ch)
		close(ch)
	}
}

// The events the browser script understands.
const (
	eventReload   = "reload"
	eventProblems = "problems"
	eventOK       = "ok"
)

// keepAlive is how often an idle stream gets a comment, so that proxies
// and browsers keep it open.
const keepAlive = 25 * time.Second

// ServeHTTP streams events to one browser until it goes away or the hub
// closes.
func (h *hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	ch, first := h.subscribe()
	defer h.unsubscribe(ch)
	fmt.Fprint(w, "retry: 1000\n\n")
	for _, m := range first {
		writeEvent(w, m)
	}
	if rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case m, ok := <-ch:
			if !ok {
				return
			}
			writeEvent(w, m)
		case <-tick.C:
			fmt.Fprint(w, ": ping\n\n")
		}
		if rc.Flush() != nil {
			return
		}
	}
}

func writeEvent(w http.ResponseWriter, m message) {
	fmt.Fprintf(w, "event: %s\n", m.event)
	for _, line := range strings.Split(m.data, "\n") {
		fmt.Fprintf(w, "data: %s\n", line)
	}
	fmt.Fprint(w, "\n")
}
