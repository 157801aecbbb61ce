package serve

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// Listen listens on addr (TCP) for serve and collect, and says in Chinese
// why it cannot: a port another program holds, one that needs rights, an
// address this machine does not have, or one that is not an address.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	var why string
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		why = "端口已被占用（可能另一个 dangwu 正在运行）：先停止占用它的程序，或用 --addr 换一个端口"
	case errors.Is(err, syscall.EACCES):
		why = "没有使用这个端口的权限（1024 以下的端口需要管理员权限）：用 --addr 换一个 1024 以上的端口"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		why = "本机没有这个地址：用 --addr 写本机的地址，如 127.0.0.1:8080 或 :8080（所有地址）"
	default:
		var ae *net.AddrError
		var de *net.DNSError
		if errors.As(err, &de) {
			why = "找不到主机 " + de.Name + "：用 --addr 写本机的地址或 IP，如 127.0.0.1:8080"
		} else if errors.As(err, &ae) {
			why = "地址写得不对（" + ae.Err + "）：应写成 主机:端口，如 127.0.0.1:8080 或 :8080"
		} else {
			why = err.Error()
		}
	}
	return nil, fmt.Errorf("无法在 %s 上监听：%s", addr, why)
}
