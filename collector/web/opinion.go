package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/generator/site"
)

// OpinionStore stores public opinions.
type OpinionStore interface {
	AddOpinion(ctx context.Context, o collector.Opinion) (int64, error)
	// OpinionByRef finds an opinion by its reference number; ErrNotFound when none.
	OpinionByRef(ctx context.Context, ref string) (collector.Opinion, error)
}

// Limits of the public opinion form.
const (
	opinionMax     = 2000
	opinionMinFill = 3 * time.Second
)

// opinion handles POST /api/opinions: anyone may post; a honeypot field, a
// minimum fill time (measured by the page's script when it runs), limits
// per address and on length keep robots out without a CAPTCHA.
func (h *Handler) opinion(w http.ResponseWriter, r *http.Request) error {
	if err := h.origins.Check(r); err != nil {
		return &collector.Error{Code: collector.EFORBIDDEN, Message: "提交来源不被允许：请从本网站的页面提交。", Err: err}
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseMultipartForm(64 << 10); err != nil && err != http.ErrNotMultipart {
		return bodyError(err)
	}
	ip := h.client(r)
	if wait := h.opinionLimit.Wait("ip:" + ip); wait > 0 {
		return &collector.Error{Code: collector.ERATELIMIT, Message: "提交过于频繁，请稍后再试。", RetryAfter: wait}
	}
	// A robot fills every field, a person never sees this one.
	if r.PostFormValue("website") != "" {
		return collector.Errorf(collector.EINVALID, "提交未被接受。")
	}
	if ms, err := strconv.Atoi(r.PostFormValue("elapsed")); err == nil && time.Duration(ms)*time.Millisecond < opinionMinFill {
		return collector.Errorf(collector.EINVALID, "提交过快，请确认内容后再提交。")
	}
	content := strings.TrimSpace(r.PostFormValue("content"))
	name := strings.TrimSpace(r.PostFormValue("name"))
	contact := strings.TrimSpace(r.PostFormValue("contact"))
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(content); {
	case n == 0:
		fields["content"] = "请填写意见或建议。"
	case n > opinionMax:
		fields["content"] = "意见内容不能超过 2000 字（现有 " + strconv.Itoa(n) + " 字）。"
	}
	if utf8.RuneCountInString(name) > 50 {
		fields["name"] = "姓名不能超过 50 字。"
	}
	if utf8.RuneCountInString(contact) > 100 {
		fields["contact"] = "联系方式不能超过 100 字。"
	}
	for _, v := range []string{content, name, contact} {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			fields["content"] = "内容含有无法识别的字符。"
		}
	}
	if len(fields) > 0 {
		return &collector.Error{Code: collector.EINVALID, Message: "提交内容有误，请修改后重新提交。", Fields: fields}
	}
	h.opinionLimit.Fail("ip:" + ip) // every accepted post counts against the address
	sum := sha256.Sum256([]byte(ip))
	s := h.opts.Site()
	ref := collector.NewOpinionRef(h.opts.Now().In(s.Location), func(b []byte) { rand.Read(b) })
	if _, err := h.opts.Opinions.AddOpinion(r.Context(), collector.Opinion{Ref: ref, Content: content, Name: name, Contact: contact, Client: hex.EncodeToString(sum[:8])}); err != nil {
		return err
	}
	lookup := apiBase(r) + "opinions/" + ref
	if wantsJSON(r) {
		return writeJSON(w, http.StatusCreated, map[string]string{"message": "感谢您的意见！我们将认真研究，经审核后与答复一并公开。您的意见编号是 " + ref + "，可凭编号查询办理情况。",
			"ref": ref, "url": lookup})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	return h.pages.ExecuteTemplate(w, "thanks.html", thanksPage{Site: s, Ref: ref, URL: lookup, Lookup: apiBase(r) + "opinions/lookup"})
}

type thanksPage struct {
	Site        *site.Site
	Ref, URL    string
	Lookup      string
	Opinion     *collector.Opinion
	Masked      site.Opinion
	NotFound    bool
	StatusLabel string
}

// opinionLookup handles GET /api/opinions/{ref} and the lookup form's
// GET /api/opinions/lookup?ref=…: an opinion's status by its reference
// number, and once published its text (masked) and the reply. Before it
// is published nothing of what was sent is shown.
func (h *Handler) opinionLookup(w http.ResponseWriter, r *http.Request) error {
	ref := r.PathValue("ref")
	if ref == "lookup" {
		ref = r.URL.Query().Get("ref")
	}
	ref = collector.NormalizeOpinionRef(ref)
	s := h.opts.Site()
	page := thanksPage{Site: s, Ref: ref, Lookup: apiBase(r) + "opinions/lookup"}
	o, err := h.opts.Opinions.OpinionByRef(r.Context(), ref)
	status := http.StatusOK
	switch {
	case errors.Is(err, collector.ErrNotFound):
		page.NotFound, status = true, http.StatusNotFound
	case err != nil:
		return err
	default:
		page.Opinion = &o
		page.StatusLabel = map[collector.OpinionStatus]string{collector.OpinionPending: "待审核", collector.OpinionPublished: "已公开并答复", collector.OpinionRejected: "已处理，不予公开"}[o.Status]
		if ms := collector.PublishedOpinions([]collector.Opinion{o}); len(ms) == 1 {
			page.Masked = ms[0]
		}
	}
	if wantsJSON(r) {
		if page.NotFound {
			return collector.Errorf(collector.ENOTFOUND, "没有找到编号为 %s 的意见，请核对编号。", ref)
		}
		out := map[string]any{"ref": o.Ref, "status": o.Status, "statusLabel": page.StatusLabel, "received": o.Created.In(s.Location)}
		if o.Status == collector.OpinionPublished {
			out["content"], out["reply"], out["replied"] = page.Masked.Content, page.Masked.Reply, o.Moderated.In(s.Location)
		}
		return writeJSON(w, status, out)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return h.pages.ExecuteTemplate(w, "opinion.html", page)
}

func (h *Handler) opinionsPage(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	return h.showOpinions(w, r, sess, http.StatusOK, "", 0, "")
}

// opinionsView is the moderation page: every opinion, and a refused
// moderation's message and typed reply on the opinion it was for.
type opinionsView struct {
	Opinions []collector.Opinion
	ErrorID  int64
	Reply    string
}

func (h *Handler) showOpinions(w http.ResponseWriter, r *http.Request, sess collector.Session, status int, msg string, id int64, reply string) error {
	all, err := h.opts.Admin.Opinions(r.Context(), "")
	if err != nil {
		return err
	}
	return h.page(w, status, "opinions.html", adminPage{Title: "群众意见", Base: adminBase(r), Admin: sess.Admin, CSRF: sess.CSRF, Error: msg,
		Data: opinionsView{Opinions: all, ErrorID: id, Reply: reply}})
}

func (h *Handler) moderate(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return collector.ErrNotFound
	}
	status := collector.OpinionStatus(r.PostFormValue("status"))
	reply := strings.TrimSpace(r.PostFormValue("reply"))
	// A refusal stays on the opinions page, the typed reply kept.
	refuse := func(msg string) error {
		return h.showOpinions(w, r, sess, http.StatusBadRequest, msg, id, reply)
	}
	switch {
	case status != collector.OpinionPublished && status != collector.OpinionRejected:
		return refuse("请选择“公开并答复”或“不予公开”。")
	case status == collector.OpinionPublished && reply == "":
		return refuse("公开意见时请填写答复（答复与意见一并公开）；不答复的请选“不予公开”。")
	case utf8.RuneCountInString(reply) > 2000:
		return refuse("答复不能超过 2000 字。")
	}
	if err := h.opts.Admin.Moderate(r.Context(), id, status, reply, sess.Admin); err != nil {
		return err
	}
	if h.opts.OnChange != nil {
		h.opts.OnChange(collector.Change{Opinions: true})
	}
	http.Redirect(w, r, adminBase(r)+"opinions", http.StatusSeeOther)
	return nil
}
