package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangwu-org/dangwu/collector"
)

// OpinionStore stores public opinions.
type OpinionStore interface {
	AddOpinion(ctx context.Context, o collector.Opinion) (int64, error)
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
	if _, err := h.opts.Opinions.AddOpinion(r.Context(), collector.Opinion{Content: content, Name: name, Contact: contact, Client: hex.EncodeToString(sum[:8])}); err != nil {
		return err
	}
	if wantsJSON(r) {
		return writeJSON(w, http.StatusCreated, map[string]string{"message": "感谢您的意见！我们将认真研究，经审核后与答复一并公开。"})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	return h.pages.ExecuteTemplate(w, "thanks.html", h.opts.Site())
}

func (h *Handler) opinionsPage(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	all, err := h.opts.Admin.Opinions(r.Context(), "")
	if err != nil {
		return err
	}
	return h.page(w, http.StatusOK, "opinions.html", adminPage{Title: "群众意见", Base: adminBase(r), Admin: sess.Admin, CSRF: sess.CSRF, Data: all})
}

func (h *Handler) moderate(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return collector.ErrNotFound
	}
	status := collector.OpinionStatus(r.PostFormValue("status"))
	reply := strings.TrimSpace(r.PostFormValue("reply"))
	switch {
	case status != collector.OpinionPublished && status != collector.OpinionRejected:
		return collector.Errorf(collector.EINVALID, "请选择“公开并答复”或“不予公开”。")
	case status == collector.OpinionPublished && reply == "":
		return collector.Errorf(collector.EINVALID, "公开意见时请填写答复。")
	case utf8.RuneCountInString(reply) > 2000:
		return collector.Errorf(collector.EINVALID, "答复不能超过 2000 字。")
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
