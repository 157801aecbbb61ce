package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr is the address limits and the audit log key a request by: the
// connection's peer, or, when the peer is one of the trusted proxies, the
// nearest address in X-Forwarded-For that is not a trusted proxy (read from
// the right, since a client can write anything on the left). An IPv6 client
// is keyed by its /64, which one household or office gets as a whole.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer, ok := parseAddr(r.RemoteAddr)
	if !ok {
		return r.RemoteAddr
	}
	if !isTrusted(peer, trusted) {
		return keyOf(peer)
	}
	client := peer
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		list := strings.Split(hops[i], ",")
		for j := len(list) - 1; j >= 0; j-- {
			a, ok := parseAddr(strings.TrimSpace(list[j]))
			if !ok {
				// Garbage from the client or a proxy: keep the last good hop.
				return keyOf(client)
			}
			client = a
			if !isTrusted(a, trusted) {
				return keyOf(a)
			}
		}
	}
	return keyOf(client)
}

// parseAddr reads "ip", "ip:port" or "[ip]:port".
func parseAddr(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	host, _, err := net.SplitHostPort(s)
	if err != nil {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func keyOf(a netip.Addr) string {
	a = a.WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
