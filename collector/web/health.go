package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"syscall"
	"time"

	"github.com/dangwu-org/dangwu/collector"
)

// healthJSON is /healthz's answer.
type healthJSON struct {
	Status string `json:"status"`
	// Reason is one of collector's Health* reasons when Status is "unavailable".
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	// FreeBytes is the space left for uploads, when the system says.
	FreeBytes *uint64 `json:"freeBytes,omitempty"`
}

// healthCache keeps the last answer for a second, so a flood of health
// checks costs at most one probe write a second.
type healthCache struct {
	mu     sync.Mutex
	at     time.Time
	answer healthJSON
}

// healthz answers 200 only when a submission could be stored now: the
// store commits a probe write, the uploads folder takes a synced file, and
// at least MinFree bytes are left. Otherwise 503 with the reason.
func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) error {
	h.health.mu.Lock()
	if time.Since(h.health.at) >= time.Second {
		h.health.answer = h.checkHealth(r.Context())
		h.health.at = time.Now()
		if a := h.health.answer; a.Status != "ok" {
			h.log.Error("unhealthy", "reason", a.Reason, "message", a.Message)
		}
	}
	a := h.health.answer
	h.health.mu.Unlock()
	status := http.StatusOK
	if a.Status != "ok" {
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "30")
	}
	return writeJSON(w, status, a)
}

func (h *Handler) checkHealth(ctx context.Context) healthJSON {
	var a healthJSON
	if free, ok := h.opts.Files.Free(); ok {
		a.FreeBytes = &free
		if free < uint64(h.opts.MinFree) {
			return h.unhealthy(a, collector.HealthDiskFull, fmt.Sprintf("磁盘剩余空间不足（剩 %s，至少要 %s）。", sizeText(int64(free)), sizeText(h.opts.MinFree)))
		}
	}
	if err := h.opts.Files.Probe(); err != nil {
		switch {
		case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
			return h.unhealthy(a, collector.HealthDiskFull, "磁盘已满，上传文件无法写入。")
		case errors.Is(err, syscall.EROFS), errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
			return h.unhealthy(a, collector.HealthReadOnly, "上传文件目录只读或无权写入。")
		}
		return h.unhealthy(a, collector.HealthIO, "上传文件目录写入出错。")
	}
	ctx, cancel := context.WithTimeout(ctx, h.opts.HealthTimeout)
	defer cancel()
	if err := h.opts.Store.Health(ctx); err != nil {
		var u *collector.Unhealthy
		if errors.As(err, &u) {
			return h.unhealthy(a, u.Reason, u.Message)
		}
		return h.unhealthy(a, collector.HealthIO, "数据库读写出错。")
	}
	a.Status = "ok"
	return a
}

func (h *Handler) unhealthy(a healthJSON, reason, msg string) healthJSON {
	a.Status, a.Reason, a.Message = "unavailable", reason, msg
	return a
}
