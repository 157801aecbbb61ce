//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const (
	// stepTimeout bounds one browser step: a navigation, a click, a wait.
	stepTimeout = 15 * time.Second
	// pollInterval is how often a wait looks at the page again.
	pollInterval = 100 * time.Millisecond
)

// chromiumPath returns the browser to drive: $DANGWU_CHROMIUM, Debian's
// /usr/bin/chromium, or chromium on the PATH.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("DANGWU_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("no Chromium: install Debian's chromium (apt-get install chromium) or set DANGWU_CHROMIUM to a Chrome or Chromium binary")
	}
	return p
}

// startBrowser starts headless Chromium with a fresh profile and no network
// besides 127.0.0.1, and returns its first tab. The browser is closed (and
// waited for) when the test ends, or when ctx ends.
func startBrowser(t *testing.T, ctx context.Context, origin string) *tab {
	t.Helper()
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-proxy-server", true),
		// Every host name fails to resolve: only the collector, on an IP
		// address, can be reached.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(1366, 768),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	b := &tab{ctx: tabCtx, origin: origin}
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	b.watch(t)
	return b
}

// tab is one browser tab on the portal. It records what should never
// happen on the site: a request that leaves the site, an HTTP error, an
// uncaught script error.
type tab struct {
	ctx    context.Context
	origin string

	mu       sync.Mutex
	problems []string
}

// newTab opens another tab in the same browser (same cookies and storage).
// With scripts false, the tab runs no page scripts at all.
func (b *tab) newTab(t *testing.T, scripts bool) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	nb := &tab{ctx: ctx, origin: b.origin}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	if !scripts {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("turn JavaScript off: %v", err)
		}
	}
	nb.watch(t)
	return nb
}

func (b *tab) watch(t *testing.T) {
	t.Helper()
	err := chromedp.Listen(b.ctx, func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if u, err := url.Parse(ev.Request.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") &&
				u.Scheme+"://"+u.Host != b.origin {
				b.problem("request off the site: %s %s (from %s)", ev.Request.Method, ev.Request.URL, ev.DocumentURL)
			}
		case *network.EventResponseReceived:
			if ev.Response.Status >= 400 {
				b.problem("HTTP %d for %s", ev.Response.Status, ev.Response.URL)
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg = d.Exception.Description
			}
			b.problem("uncaught script error at %s:%d: %s", d.URL, d.LineNumber+1, msg)
		}
	})
	if err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
}

func (b *tab) problem(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

// clean reports, as errors of t, what went wrong in the tab since the last
// call.
func (b *tab) clean(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Error(p)
	}
	b.problems = nil
}

// step runs actions with the step timeout.
func (b *tab) step(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s (on %s): %v", what, b.location(), err)
	}
}

// open loads a path of the site and checks that it answers 200.
func (b *tab) open(t *testing.T, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.origin+path))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != 200 {
		t.Fatalf("open %s: HTTP %d, want 200", path, resp.Status)
	}
}

// openFresh loads a path with the browser cache off. The collector rewrites
// pages in place and serves them with a Last-Modified of one-second
// resolution and no Cache-Control, so a page rewritten twice in the same
// second answers a revalidation with 304 and the browser shows the older
// copy; reading through the cache would make the waits for a re-render
// depend on that.
func (b *tab) openFresh(t *testing.T, path string) {
	t.Helper()
	b.cache(t, false)
	defer b.cache(t, true)
	b.open(t, path)
}

func (b *tab) cache(t *testing.T, on bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: !on}); err != nil {
		t.Fatalf("turn the browser cache on=%v: %v", on, err)
	}
}

// follow runs actions that load another page (a click on a link or a
// submit button), waits for it and checks that it answers 200.
func (b *tab) follow(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	from := b.location()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		t.Fatalf("%s (from %s): %v", what, from, err)
	}
	if resp.Status != 200 {
		t.Fatalf("%s (from %s): %s answered HTTP %d, want 200", what, from, resp.URL, resp.Status)
	}
}

// location returns the path and query of the page in the tab, for messages.
func (b *tab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return strings.TrimPrefix(loc, b.origin)
}

// eval evaluates a JavaScript expression in the page (also when the tab
// runs no page scripts) and decodes its JSON value into out.
func (b *tab) eval(t *testing.T, expr string, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr))
	if err == nil {
		err = json.Unmarshal(raw, out)
	}
	if err != nil {
		t.Fatalf("on %s: evaluate %s: %v", b.location(), expr, err)
	}
}

// text returns the visible text of the first element that matches the CSS
// selector, or "" when there is none.
func (b *tab) text(t *testing.T, selector string) string {
	t.Helper()
	var s string
	b.eval(t, `(function(e){return e?e.innerText:""})(document.querySelector(`+js(selector)+`))`, &s)
	return s
}

// waitFor calls check until it reports true, for at most timeout; between
// calls it can change the page (reload it, for example). check returns what
// it saw, which the failure message shows.
func (b *tab) waitFor(t *testing.T, want string, timeout time.Duration, check func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, seen := check()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("on %s: waited %v for %s; last saw:\n%s", b.location(), timeout, want, seen)
		}
		time.Sleep(pollInterval)
	}
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
