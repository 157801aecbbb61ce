//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// artifacts is where the screenshots go, relative to this package.
const artifacts = "artifacts"

// testScreenshots saves full-page screenshots of the home page, a column, a
// page, the task and the board on a phone and on a desktop, as
// artifacts/<screen>-<page>.png.
func testScreenshots(t *testing.T, b *tab, p *portal) {
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, path string }{
		{"home", "/"},
		{"column", "/news/"},
		{"page", "/rules/dangfei/"},
		{"task", taskPath},
		{"board", boardPath(p)},
		{"branch", "/branches/yunshu/"},
		{"style", "/style/"},
	}
	screens := []struct {
		name          string
		width, height int64
		opts          []chromedp.EmulateViewportOption
	}{
		{"phone", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch}},
		{"desktop", 1366, 768, nil},
	}
	for _, sc := range screens {
		st := b.newTab(t, true)
		st.step(t, "emulate a "+sc.name+" screen", chromedp.EmulateViewport(sc.width, sc.height, sc.opts...))
		for _, pg := range pages {
			st.openFresh(t, pg.path)
			raw, cfg := st.screenshot(t)
			if cfg.Width != int(sc.width) {
				var wide []string
				st.eval(t, overflowing, &wide)
				t.Errorf("%s on a %s (%d px wide): the page is %d px wide; elements past the right edge: %v", pg.path, sc.name, sc.width, cfg.Width, wide)
			}
			var narrow []string
			st.eval(t, narrowCells, &narrow)
			if len(narrow) > 0 {
				t.Errorf("%s on a %s: table cells narrower than 4 em: %v", pg.path, sc.name, narrow)
			}
			name := filepath.Join(artifacts, sc.name+"-"+pg.name+".png")
			if err := os.WriteFile(name, raw, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		st.clean(t)
	}
	t.Logf("screenshots in e2e/%s/", artifacts)
}

// screenshot captures the whole page as a PNG and returns it with its size.
func (b *tab) screenshot(t *testing.T) ([]byte, image.Config) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot of %s: %v", b.location(), err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("screenshot of %s: not a PNG: %v", b.location(), err)
	}
	return raw, cfg
}

// saveFailure saves what the main tab shows after a failed step, as
// artifacts/failed-<step>.png, and says where.
func (b *tab) saveFailure(t *testing.T, step string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.MkdirAll(artifacts, 0o755)
	}
	name := filepath.Join(artifacts, "failed-"+strings.ReplaceAll(step, " ", "-")+".png")
	if err == nil {
		err = os.WriteFile(name, raw, 0o644)
	}
	if err != nil {
		t.Logf("no screenshot of the failed step: %v", err)
		return
	}
	t.Logf("the page after the failed step: e2e/%s", name)
}

// removeFailures removes the screenshots of failed steps of earlier runs.
func removeFailures(t *testing.T) {
	t.Helper()
	old, _ := filepath.Glob(filepath.Join(artifacts, "failed-*.png"))
	for _, name := range old {
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
	}
}

// overflowing lists the elements whose right edge lies past the viewport's,
// outside any element that scrolls sideways, so that a failure names them.
const overflowing = `(function(){
  var w = document.documentElement.clientWidth, out = [], all = document.body.getElementsByTagName("*");
  function scrolls(e){ for (e = e.parentElement; e; e = e.parentElement) { var o = getComputedStyle(e).overflowX; if (o == "auto" || o == "scroll" || o == "hidden") return true; } return false; }
  for (var i = 0; i < all.length && out.length < 12; i++) {
    var r = all[i].getBoundingClientRect();
    if (r.right > w + 0.5 && !scrolls(all[i])) out.push(all[i].tagName.toLowerCase() + (all[i].className ? "." + all[i].className : "") + " right=" + Math.round(r.right) + " width=" + Math.round(r.width));
  }
  return out;
})()`

// narrowCells lists the visible table cells narrower than 4 em of their
// own font (issue 15: a phone showed one character per column).
const narrowCells = `(function(){
  var out = [], cells = document.querySelectorAll("table td, table th");
  for (var i = 0; i < cells.length && out.length < 12; i++) {
    var c = cells[i], r = c.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    // A header row hidden for screen readers only (the stacked phone layout).
    var h = c.parentElement && c.parentElement.parentElement;
    if (h && h.tagName == "THEAD" && getComputedStyle(h).position == "absolute") continue;
    var fs = parseFloat(getComputedStyle(c).fontSize) || 16;
    if (r.width < 4 * fs) out.push(c.tagName.toLowerCase() + " \"" + (c.textContent || "").replace(/\s+/g, " ").slice(0, 12) + "\" " + Math.round(r.width) + "px");
  }
  return out;
})()`
