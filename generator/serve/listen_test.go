package serve

import (
	"strings"
	"testing"
)

// TestListenSaysWhy: a port already held and an address that is not one
// are refused with a Chinese message naming the address and what to do.
func TestListenSaysWhy(t *testing.T) {
	held, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	addr := held.Addr().String()
	_, err = Listen(addr)
	if err == nil || !strings.Contains(err.Error(), "无法在 "+addr+" 上监听：端口已被占用") || !strings.Contains(err.Error(), "--addr") {
		t.Errorf("a held port: %v", err)
	}
	_, err = Listen("no-such-host.invalid:8080")
	if err == nil || !strings.Contains(err.Error(), "找不到主机 no-such-host.invalid") {
		t.Errorf("an unknown host: %v", err)
	}
	_, err = Listen("127.0.0.1")
	if err == nil || !strings.Contains(err.Error(), "地址写得不对") {
		t.Errorf("no port: %v", err)
	}
}
