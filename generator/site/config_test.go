package site

import (
	"net/url"
	"strings"
	"testing"
)

// TestBasePath checks the base path of many base URLs, and that it agrees
// with the URL parser's.
func TestBasePath(t *testing.T) {
	tests := []struct{ base, want string }{
		{"http://127.0.0.1:1313/", "/"},
		{"http://intranet", "/"},
		{"http://intranet/dangwu", "/dangwu/"},
		{"https://intranet.example/dangwu/", "/dangwu/"},
		{"http://intranet/a/b/", "/a/b/"},
		{"http://intranet/%E5%85%9A/", "/党/"},
		{"http://user@intranet/x/", "/x/"},
		{"http://intranet/x/?q=1", "/x/"},
	}
	for _, tt := range tests {
		c := Config{BaseURL: tt.base}
		if got := c.BasePath(); got != tt.want {
			t.Errorf("BasePath(%q) = %q, want %q", tt.base, got, tt.want)
		}
		u, _ := url.Parse(tt.base)
		p := u.Path
		if !strings.HasSuffix(p, "/") {
			p += "/"
		}
		if p != c.BasePath() {
			t.Errorf("BasePath(%q) = %q, the URL parser says %q", tt.base, c.BasePath(), p)
		}
	}
}
