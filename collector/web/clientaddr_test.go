package web

import (
	"net/http"
	"net/netip"
	"testing"
)

// TestClientAddr: X-Forwarded-For is believed only from a trusted proxy,
// read from the right (issue 10).
func TestClientAddr(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.1.0.0/16")}
	tests := []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"no proxy", "192.0.2.7:5000", nil, "192.0.2.7"},
		{"untrusted peer's header ignored", "192.0.2.7:5000", []string{"203.0.113.9"}, "192.0.2.7"},
		{"trusted proxy", "127.0.0.1:5000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"spoofed left part ignored", "127.0.0.1:5000", []string{"1.2.3.4, 203.0.113.9"}, "203.0.113.9"},
		{"two trusted hops", "127.0.0.1:5000", []string{"203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"two header lines", "127.0.0.1:5000", []string{"203.0.113.9", "10.1.2.3"}, "203.0.113.9"},
		{"all trusted", "127.0.0.1:5000", []string{"10.1.2.3"}, "10.1.2.3"},
		{"no header", "127.0.0.1:5000", nil, "127.0.0.1"},
		{"garbage", "127.0.0.1:5000", []string{"203.0.113.9, <script>"}, "127.0.0.1"},
		{"with port", "127.0.0.1:5000", []string{"203.0.113.9:4711"}, "203.0.113.9"},
		{"ipv6 by /64", "[2001:db8:1:2:3:4:5:6]:443", nil, "2001:db8:1:2::/64"},
		{"mapped ipv4", "[::ffff:192.0.2.7]:443", nil, "192.0.2.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &http.Request{RemoteAddr: tt.remote, Header: http.Header{}}
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientAddr(r, trusted); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzClientAddr: any X-Forwarded-For gives a short key and never panics.
func FuzzClientAddr(f *testing.F) {
	f.Add("127.0.0.1:5000", "203.0.113.9, 10.1.2.3")
	f.Add("[::1]:80", "[2001:db8::1]:80,,")
	f.Add("x", "%zone")
	trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := &http.Request{RemoteAddr: remote, Header: http.Header{"X-Forwarded-For": {xff}}}
		got := clientAddr(r, trusted)
		if _, ok := parseAddr(remote); ok && len(got) > 45 {
			t.Errorf("key %q too long", got)
		}
	})
}
