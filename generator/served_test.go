package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServedAt: under dangwu serve on another address than the configured
// one, feeds, calendars and the sitemap link to the preview (issue 15);
// an explicit --baseURL still wins.
func TestServedAt(t *testing.T) {
	dest := t.TempDir()
	o := testOptions(t, filepath.Join("testdata", "site"), dest)
	o.ServedAt = ":18555"
	mustBuild(t, o)
	for _, f := range []string{"index.xml", "sitemap.xml", "tasks/index.xml"} {
		b, err := os.ReadFile(filepath.Join(dest, f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "http://127.0.0.1:18555/dangwu/") || strings.Contains(string(b), "intranet.example") {
			t.Errorf("%s does not link to the preview:\n%.600s", f, b)
		}
	}
	dest = t.TempDir()
	o = testOptions(t, filepath.Join("testdata", "site"), dest)
	o.ServedAt, o.BaseURL = "127.0.0.1:18555", "http://mirror.example/x/"
	mustBuild(t, o)
	if b, _ := os.ReadFile(filepath.Join(dest, "index.xml")); !strings.Contains(string(b), "http://mirror.example/x/") {
		t.Errorf("--baseURL lost to ServedAt:\n%.600s", b)
	}
}

func TestServedURL(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{"127.0.0.1:1400", "http://127.0.0.1:1400/dangwu/"},
		{":1313", "http://127.0.0.1:1313/dangwu/"},
		{"0.0.0.0:8000", "http://127.0.0.1:8000/dangwu/"},
		{"[::]:8000", "http://127.0.0.1:8000/dangwu/"},
		{"[::1]:8000", "http://[::1]:8000/dangwu/"},
		{"intranet:80", "http://intranet:80/dangwu/"},
	} {
		if got := servedURL(tt.addr, "/dangwu/"); got != tt.want {
			t.Errorf("servedURL(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
