package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dangwu-org/dangwu/collector"
)

// statuses maps each domain code to DESIGN's HTTP status.
var statuses = map[collector.Code]int{
	collector.EINVALID:      http.StatusBadRequest,
	collector.EUNAUTHORIZED: http.StatusUnauthorized,
	collector.EFORBIDDEN:    http.StatusForbidden,
	collector.ENOTFOUND:     http.StatusNotFound,
	collector.ECONFLICT:     http.StatusConflict,
	collector.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	collector.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	collector.ERATELIMIT:    http.StatusTooManyRequests,
	collector.EUNAVAILABLE:  http.StatusServiceUnavailable,
	collector.EINTERNAL:     http.StatusInternalServerError,
}

// handle adapts a handler that returns an error: it recovers panics, logs
// unexpected errors (rate limited) and renders the error for the client.
func (h *Handler) handle(fn func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				h.log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(p))
				h.renderError(w, r, &collector.Error{Code: collector.EINTERNAL, Message: "服务器内部错误。"})
			}
		}()
		if err := fn(w, r); err != nil {
			h.renderError(w, r, err)
		}
	})
}

// formError carries what a browser user typed, so an HTML error page can
// give it back.
type formError struct {
	err  error
	form *formState
}

func (e *formError) Error() string { return e.err.Error() }
func (e *formError) Unwrap() error { return e.err }

func (h *Handler) renderError(w http.ResponseWriter, r *http.Request, err error) {
	var e *collector.Error
	if !errors.As(err, &e) {
		e = &collector.Error{Code: collector.EINTERNAL, Message: "服务器内部错误，请稍后重试。", Err: err}
	}
	switch e.Code {
	case collector.EINTERNAL, collector.EUNAVAILABLE:
		h.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "code", string(e.Code), "err", err.Error())
	}
	status := statuses[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
	}
	if wantsJSON(r) {
		writeJSON(w, status, map[string]any{"error": e.Message, "code": e.Code, "fields": e.Fields})
		return
	}
	var fe *formError
	var form *formState
	if errors.As(err, &fe) {
		form = fe.form
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	h.pages.ExecuteTemplate(w, "error.html", errorPage{Status: status, Err: e, Form: form, RetryMinutes: int((e.RetryAfter + time.Minute - 1) / time.Minute)})
}

type errorPage struct {
	Status       int
	Err          *collector.Error
	Form         *formState
	RetryMinutes int
}

// wantsJSON is true for clients that ask for JSON (the form script, tools).
func wantsJSON(r *http.Request) bool {
	a := r.Header.Get("Accept")
	return strings.Contains(a, "application/json") && !strings.Contains(a, "text/html")
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}

// errorLog logs at most burst errors per period and counts the rest, so a
// flood of failing requests (a full disk) cannot fill the disk further.
type errorLog struct {
	log    *slog.Logger
	now    func() time.Time
	burst  int
	period time.Duration

	mu         sync.Mutex
	start      time.Time
	n          int
	suppressed int
}

func newErrorLog(l *slog.Logger, now func() time.Time, burst int, period time.Duration) *errorLog {
	return &errorLog{log: l, now: now, burst: burst, period: period}
}

// Error logs msg unless the period's budget is spent.
func (l *errorLog) Error(msg string, args ...any) {
	l.mu.Lock()
	now := l.now()
	if now.Sub(l.start) >= l.period {
		if l.suppressed > 0 {
			l.log.Error("errors suppressed", "count", l.suppressed)
		}
		l.start, l.n, l.suppressed = now, 0, 0
	}
	l.n++
	ok := l.n <= l.burst
	if !ok {
		l.suppressed++
	}
	l.mu.Unlock()
	if ok {
		l.log.Error(msg, args...)
	}
}
