// Package web is the collector's HTTP layer: /api/ (submissions, receipts,
// status), /healthz, and later /admin/. Handlers return errors; one adapter
// maps collector.Error codes to DESIGN's HTTP statuses and renders them as
// JSON or as a Chinese HTML page that gives the branch its typed text back.
//
// It imports collector, collector/files, collector/throttle and
// generator/site; never SQL.
package web

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/collector/throttle"
	"github.com/dangwu-org/dangwu/generator/site"
)

// Store is what the HTTP layer needs of storage. These interfaces of web
// are subsets of the store contract, collector.Store (collector/store.go),
// whose documentation says what each method guarantees; collector/sqlite
// and collector/postgres provide it.
type Store interface {
	Submit(ctx context.Context, s *collector.Submission) (collector.Receipt, error)
	Expect(ctx context.Context) (context.Context, func())
	Receipt(ctx context.Context, id string) (collector.Receipt, error)
	Summaries(ctx context.Context) ([]collector.Summary, error)
	BranchCodeHash(ctx context.Context, branch string) (string, error)
	// Health returns nil when a write would commit now, else why not
	// (a *collector.Unhealthy).
	Health(ctx context.Context) error
}

// LedgerStore gives the ledger's newest signed head.
type LedgerStore interface {
	// LedgerHead returns the newest signed head as note text.
	LedgerHead(ctx context.Context) ([]byte, error)
}

// Options configure the handler.
type Options struct {
	// Site returns the current site (tasks, branches, configuration); it may
	// change between calls when the site is rebuilt.
	Site  func() *site.Site
	Store Store
	// Admin enables /admin/ (review and moderation) when set.
	Admin AdminStore
	// Opinions enables POST /api/opinions when set.
	Opinions OpinionStore
	// Ledger enables GET /api/ledger/head when set.
	Ledger LedgerStore
	Files  *files.Store
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives errors, rate limited; slog.Default when nil.
	Logger *slog.Logger
	// TrustedOrigins may post besides the request's own origin (the site's
	// origin when the collector runs on another host).
	TrustedOrigins []string
	// MaxBody caps a request body in bytes; 64 MiB when 0.
	MaxBody int64
	// CodeCacheTTL is how long a verified access code is remembered; 10 minutes when 0.
	CodeCacheTTL time.Duration
	// OnChange is called after a submission, a review or a moderation is
	// committed, with what it changed; it must not block.
	OnChange func(collector.Change)
	// Limiter holds failed guesses of codes and passwords; an in-process
	// throttle.Memory with throttle.DefaultPolicy when nil.
	Limiter Limiter
	// Refusals records refused guesses and abuse with the client's address;
	// none are recorded when nil.
	Refusals RefusalStore
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// SlotWait is how long a guess waits for its branch's (or admin's) one
	// slow check to be free before it gets 429; 10 s when 0: an attacker's
	// queued guesses (three per address) may be ahead of a correct code.
	SlotWait time.Duration
	// MaxBodiesPerAddr bounds the request bodies read at once from one
	// client address (one more waits up to a second, then gets 429); 16
	// when 0.
	MaxBodiesPerAddr int
	// MinFree is the free space below which /healthz says the disk is
	// full; 1 MiB when 0.
	MinFree int64
	// HealthTimeout bounds /healthz's write probe; 2 s when 0.
	HealthTimeout time.Duration
}

// Handler serves the collector.
type Handler struct {
	opts Options
	mux  *http.ServeMux
	auth *collector.Auth
	// limiter, slots and bodies are the guards against guessing and
	// against slow bodies; audit records what they refuse.
	limiter Limiter
	slots   *slots
	bodies  *slots
	audit   *auditLog
	// bufs keeps urlencoded bodies' buffers for the next posts.
	bufs sync.Pool
	// adminSlow counts the password hashes run for admin logins.
	adminSlow atomic.Int64
	health    healthCache
	// opinionLimit allows a few opinions per address per hour.
	opinionLimit *limiter
	origins      *http.CrossOriginProtection
	log          *errorLog
	pages        *template.Template
	// receiptBufs are the buffers writeReceipt encodes JSON receipts into.
	receiptBufs sync.Pool
}

//go:embed templates/*.html
var templatesFS embed.FS

// New returns the collector's handler.
func New(o Options) (*Handler, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 64 << 20
	}
	if o.CodeCacheTTL <= 0 {
		o.CodeCacheTTL = 10 * time.Minute
	}
	if o.Limiter == nil {
		o.Limiter = throttle.NewMemory(throttle.DefaultPolicy(), o.Now)
	}
	if o.SlotWait <= 0 {
		o.SlotWait = 10 * time.Second
	}
	if o.MaxBodiesPerAddr <= 0 {
		o.MaxBodiesPerAddr = 16
	}
	if o.MinFree <= 0 {
		o.MinFree = 1 << 20
	}
	if o.HealthTimeout <= 0 {
		o.HealthTimeout = 2 * time.Second
	}
	h := &Handler{
		opts:         o,
		mux:          http.NewServeMux(),
		auth:         collector.NewAuth(o.Store, o.Now, o.CodeCacheTTL),
		limiter:      o.Limiter,
		slots:        newSlots(1),
		bodies:       newSlots(o.MaxBodiesPerAddr),
		opinionLimit: newLimiter(o.Now, 5, time.Hour),
		origins:      http.NewCrossOriginProtection(),
		log:          newErrorLog(o.Logger, o.Now, 20, time.Minute),
	}
	if o.Refusals != nil {
		h.audit = newAuditLog(o.Refusals, o.Now, h.log)
	}
	for _, origin := range o.TrustedOrigins {
		if err := h.origins.AddTrustedOrigin(origin); err != nil {
			return nil, err
		}
	}
	pages, err := template.New("").Funcs(h.funcs()).ParseFS(templatesFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	h.pages = pages
	h.mux.Handle("POST /api/tasks/{task}/submissions", h.handle(h.submit))
	h.mux.Handle("GET /api/receipts/{id}", h.handle(h.receipt))
	h.mux.Handle("GET /api/status", h.handle(h.status))
	h.mux.Handle("GET /healthz", h.handle(h.healthz))
	if o.Opinions != nil {
		h.mux.Handle("POST /api/opinions", h.handle(h.opinion))
		h.mux.Handle("GET /api/opinions/{ref}", h.handle(h.opinionLookup))
	}
	if o.Ledger != nil {
		h.mux.Handle("GET /api/ledger/head", h.handle(h.ledgerHead))
	}
	if o.Admin != nil {
		h.mux.Handle("GET /admin/login", h.handle(h.loginPage))
		h.mux.Handle("POST /admin/login", h.handle(h.login))
		h.mux.Handle("POST /admin/logout", h.adminHandler(h.logout))
		h.mux.Handle("GET /admin/{$}", h.adminHandler(h.overview))
		h.mux.Handle("GET /admin/tasks/{task}", h.adminHandler(h.taskVersions))
		h.mux.Handle("GET /admin/tasks/{task}/{format}", h.adminHandler(h.exportTask))
		h.mux.Handle("GET /admin/tasks/{task}/files.zip", h.adminHandler(h.filesZip))
		h.mux.Handle("GET /admin/tasks/{task}/summary", h.adminHandler(h.dataSummary))
		h.mux.Handle("GET /admin/tasks/{task}/summary.csv", h.adminHandler(h.dataSummary))
		h.mux.Handle("GET /admin/submissions/{receipt}", h.adminHandler(h.submissionPage))
		h.mux.Handle("POST /admin/submissions/{receipt}/review", h.adminHandler(h.review))
		h.mux.Handle("GET /admin/files/{receipt}/{field}", h.adminHandler(h.download))
		h.mux.Handle("GET /admin/opinions", h.adminHandler(h.opinionsPage))
		h.mux.Handle("POST /admin/opinions/{id}", h.adminHandler(h.moderate))
		h.mux.Handle("/admin/", h.handle(func(w http.ResponseWriter, r *http.Request) error {
			return collector.Errorf(collector.ENOTFOUND, "没有这个页面。")
		}))
	}
	h.mux.Handle("/api/", h.handle(func(w http.ResponseWriter, r *http.Request) error {
		return collector.Errorf(collector.ENOTFOUND, "没有这个接口。")
	}))
	return h, nil
}

// Close writes the refusals still queued and stops the handler's
// background work; call it before closing the store.
func (h *Handler) Close() { h.audit.close() }

// SlowChecks is the number of slow hashes run so far for codes and passwords.
func (h *Handler) SlowChecks() int64 { return h.auth.SlowChecks() + h.adminSlow.Load() }

// client is the request's client address as limits and the audit log see it.
func (h *Handler) client(r *http.Request) string { return clientAddr(r, h.opts.TrustedProxies) }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	if h.opts.Site() == nil && r.URL.Path != "/healthz" {
		// The site has not built yet (serve shows its problems meanwhile).
		h.renderError(w, r, &collector.Error{Code: collector.EUNAVAILABLE, Message: "网站尚未生成，请稍后重试。", RetryAfter: 5 * time.Second})
		return
	}
	h.mux.ServeHTTP(w, r)
}

// ledgerHead answers the newest signed head, the same bytes as the site's
// /ledger/head.txt.
func (h *Handler) ledgerHead(w http.ResponseWriter, r *http.Request) error {
	head, err := h.opts.Ledger.LedgerHead(r.Context())
	if err != nil {
		return collector.Unavailable(err)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(head)
	return err
}

func (h *Handler) status(w http.ResponseWriter, r *http.Request) error {
	s := h.opts.Site()
	sums, err := h.opts.Store.Summaries(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, statusJSON(s, collector.Statuses(s, sums, h.opts.Now())))
}
