package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/throttle"
)

// AdminStore is what /admin/ needs of storage.
type AdminStore interface {
	AdminPasswordHash(ctx context.Context, name string) (string, error)
	CreateSession(ctx context.Context, s collector.Session) error
	Session(ctx context.Context, tokenHash string, now time.Time) (collector.Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	Versions(ctx context.Context, task string) ([]collector.Version, error)
	// Export is Versions with the ledger head they were read at.
	Export(ctx context.Context, task string) ([]collector.Version, []byte, error)
	AddReview(ctx context.Context, receipt string, r collector.Review) error
	Opinions(ctx context.Context, status collector.OpinionStatus) ([]collector.Opinion, error)
	Moderate(ctx context.Context, id int64, status collector.OpinionStatus, reply, admin string) error
}

const (
	sessionCookie = "dangwu_admin"
	sessionTTL    = 8 * time.Hour
)

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// adminHandler wraps an admin page: it requires a session and, for POST,
// the session's CSRF token and a same-origin request.
func (h *Handler) adminHandler(fn func(w http.ResponseWriter, r *http.Request, s collector.Session) error) http.Handler {
	return h.handle(func(w http.ResponseWriter, r *http.Request) error {
		sess, err := h.session(r)
		if err != nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, adminBase(r)+"login", http.StatusSeeOther)
				return nil
			}
			return collector.Errorf(collector.EUNAUTHORIZED, "登录已过期，请重新登录。")
		}
		if r.Method == http.MethodPost {
			if err := h.origins.Check(r); err != nil {
				return &collector.Error{Code: collector.EFORBIDDEN, Message: "请求来源不被允许。", Err: err}
			}
			if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(sess.CSRF)) != 1 {
				return collector.Errorf(collector.EFORBIDDEN, "页面已过期（校验码不符），请返回刷新后重试。")
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		return fn(w, r, sess)
	})
}

func (h *Handler) session(r *http.Request) (collector.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return collector.Session{}, collector.ErrNotFound
	}
	return h.opts.Admin.Session(r.Context(), tokenHash(c.Value), h.opts.Now())
}

// adminBase is /admin/ under whatever prefix the request came through.
func adminBase(r *http.Request) string {
	p := r.URL.Path
	if i := strings.Index(p, "/admin/"); i >= 0 {
		return p[:i] + "/admin/"
	}
	return "/admin/"
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) error {
	return h.page(w, http.StatusOK, "login.html", adminPage{Title: "管理员登录", Base: adminBase(r)})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) error {
	if err := h.origins.Check(r); err != nil {
		return &collector.Error{Code: collector.EFORBIDDEN, Message: "请求来源不被允许。", Err: err}
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	name := strings.TrimSpace(r.PostFormValue("name"))
	k := throttle.Key{Scope: scopeAdmin, Name: name, Addr: h.client(r)}
	refuse := func() error {
		h.audit.record(collector.RefusedPassword, name, k.Addr)
		return h.page(w, http.StatusUnauthorized, "login.html", adminPage{Title: "管理员登录", Base: adminBase(r), Error: "用户名或密码不正确。", Name: name})
	}
	// A refusal by the limiter is shown on the login page itself.
	limited := func(err error) error {
		var e *collector.Error
		if !errors.As(err, &e) || e.Code != collector.ERATELIMIT {
			return err
		}
		w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
		msg := e.Message
		if m := int((e.RetryAfter + time.Minute - 1) / time.Minute); e.RetryAfter >= time.Minute {
			msg = strings.TrimSuffix(msg, "请稍后再试。") + "请 " + strconv.Itoa(m) + " 分钟后再试。"
		}
		return h.page(w, http.StatusTooManyRequests, "login.html", adminPage{Title: "管理员登录", Base: adminBase(r), Error: msg, Name: name})
	}
	// The limiter is asked before the store, so a name in back-off costs
	// nothing; an unknown name costs no slow hash either.
	if wait := h.limiter.Wait(k); wait > 0 {
		return limited(h.limited(k, wait))
	}
	stored, err := h.opts.Admin.AdminPasswordHash(r.Context(), name)
	if errors.Is(err, collector.ErrNotFound) {
		return refuse()
	}
	if err != nil {
		return err
	}
	release, err := h.admit(r.Context(), k)
	if err != nil {
		return limited(err)
	}
	h.adminSlow.Add(1)
	ok := collector.CheckSecret(stored, r.PostFormValue("password"))
	// The outcome is recorded before the slot is released, so that the next
	// guess waiting for it already sees this failure.
	if !ok {
		h.limiter.Fail(k)
		release()
		return refuse()
	}
	h.limiter.Succeed(k)
	release()
	token := randomToken()
	sess := collector.Session{TokenHash: tokenHash(token), Admin: name, CSRF: randomToken(), Expires: h.opts.Now().Add(sessionTTL)}
	if err := h.opts.Admin.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: adminBase(r), HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: int(sessionTTL / time.Second)})
	http.Redirect(w, r, adminBase(r), http.StatusSeeOther)
	return nil
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request, s collector.Session) error {
	if err := h.opts.Admin.DeleteSession(r.Context(), s.TokenHash); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: adminBase(r), MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, adminBase(r)+"login", http.StatusSeeOther)
	return nil
}

// adminPage is the data of every admin page.
type adminPage struct {
	Title string
	Base  string
	Admin string
	CSRF  string
	Error string
	Name  string
	Data  any
}

func (h *Handler) page(w http.ResponseWriter, status int, name string, p adminPage) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'none'; frame-ancestors 'none'")
	w.WriteHeader(status)
	return h.pages.ExecuteTemplate(w, name, p)
}
