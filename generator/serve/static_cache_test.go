package serve

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStaticRevalidates re-renders a page within the same second: a browser
// revalidating with the first answer's validators must get the new page,
// not 304 (found by the browser tests: the board showed an old count).
func TestStaticRevalidates(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "index.html")
	os.WriteFile(page, []byte("<p>版本数 1</p>"), 0o644)
	mod := time.Now().Truncate(time.Second)
	os.Chtimes(page, mod, mod)
	h := Static(dir)
	first := httptest.NewRecorder()
	h.ServeHTTP(first, httptest.NewRequest("GET", "/", nil))
	if first.Header().Get("Cache-Control") != "no-cache" || first.Header().Get("ETag") == "" {
		t.Fatalf("headers %v", first.Header())
	}
	os.WriteFile(page, []byte("<p>版本数 2</p>"), 0o644)
	os.Chtimes(page, mod.Add(300*time.Millisecond), mod.Add(300*time.Millisecond))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("If-None-Match", first.Header().Get("ETag"))
	req.Header.Set("If-Modified-Since", first.Header().Get("Last-Modified"))
	second := httptest.NewRecorder()
	h.ServeHTTP(second, req)
	if second.Code != http.StatusOK || second.Body.String() != "<p>版本数 2</p>" {
		t.Errorf("after a re-render in the same second: %d %q", second.Code, second.Body.String())
	}
}
