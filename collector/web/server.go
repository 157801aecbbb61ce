package web

import (
	"log"
	"net/http"
	"time"
)

// Timeouts of the collector's server, sized for a two-core machine that
// must not be held by slow or idle clients. A submission's body gets more
// time than ReadTimeout, in proportion to its size (bodyDeadline).
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = time.Minute
	WriteTimeout      = 5 * time.Minute
	IdleTimeout       = time.Minute
	MaxHeaderBytes    = 64 << 10
)

// NewServer returns an http.Server for h with the collector's timeouts.
func NewServer(h http.Handler, errorLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          errorLog,
	}
}
