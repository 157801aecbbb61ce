package site

import (
	"fmt"
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

// TestTrustedProxies: addresses and networks are read, anything else is an
// error naming the key (issue 10).
func TestTrustedProxies(t *testing.T) {
	c := DefaultConfig()
	c.Collector.TrustedProxies = []string{"127.0.0.1", "10.0.0.0/8", "::1", "192.168.1.7/24"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(c.Collector.Proxies())
	if want := "[127.0.0.1/32 10.0.0.0/8 ::1/128 192.168.1.0/24]"; got != want {
		t.Errorf("Proxies() = %s, want %s", got, want)
	}
	c.Collector.TrustedProxies = []string{"nginx"}
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), `collector.trustedProxies: "nginx" 不是 IP 地址或网段`) {
		t.Errorf("Validate() = %v", err)
	}
}
