package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/generator/site"
)

// maxTextPart bounds one text value in bytes (a 20,000-character textarea
// of Chinese is about 60 KB).
const maxTextPart = 256 << 10

// input is a decoded form: text values (first of each name) and files
// written to temporary names.
type input struct {
	values map[string]string
	files  map[string]*upload
}

type upload struct {
	field   site.Field
	name    string
	typ     string
	pending *files.Pending
}

func (in *input) hasFile(name string) bool { return in.files[name] != nil }

// discard removes the temporary files that were not committed.
func (in *input) discard() {
	for _, u := range in.files {
		if u.pending != nil {
			u.pending.Discard()
		}
	}
}

// submit handles POST /api/tasks/{task}/submissions.
func (h *Handler) submit(w http.ResponseWriter, r *http.Request) error {
	s := h.opts.Site()
	task := s.Task(r.PathValue("task"))
	if task == nil {
		return collector.Errorf(collector.ENOTFOUND, "没有找到这项任务，它可能已被撤下。")
	}
	if err := h.origins.Check(r); err != nil {
		return &collector.Error{Code: collector.EFORBIDDEN, Message: "提交来源不被允许：请从本网站的任务页面提交。", Err: err}
	}
	now := h.opts.Now()
	ob := task.Current(now, s.Location)
	if !ob.Open(now) {
		if !ob.Opens.IsZero() && now.Before(ob.Opens) {
			return collector.Errorf(collector.ECONFLICT, "该任务将于 %s 开始接收材料。", ob.Opens.In(s.Location).Format("2006年1月2日 15:04"))
		}
		return collector.Errorf(collector.ECONFLICT, "该任务已于 %s 截止，不再接收材料。", ob.Deadline.In(s.Location).Format("2006年1月2日 15:04"))
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxBody)
	defer io.Copy(io.Discard, r.Body)
	in, err := h.decode(r, task)
	if in != nil {
		defer in.discard()
	}
	// The form state, for an error page that gives back the typed text, is
	// only built on failure: it was a tenth of the cost of a success.
	fail := func(err error) error {
		form := newFormState(s, task, in, r.URL.Path)
		var e *collector.Error
		if errors.As(err, &e) && form != nil {
			form.Errors = e.Fields
		}
		return &formError{err: err, form: form}
	}
	if err != nil {
		return fail(err)
	}
	branch, code := in.values["branch"], in.values["code"]
	ip := clientIP(r)
	if wait := max(h.limits.Wait("b:"+branch), h.limits.Wait("ip:"+ip)); wait > 0 {
		return fail(&collector.Error{Code: collector.ERATELIMIT, Message: "提交码错误次数过多，请稍后再试。", RetryAfter: wait})
	}
	if s.Branch(branch) == nil {
		h.limits.Fail("ip:" + ip)
		if branch == "" {
			return fail(&collector.Error{Code: collector.EINVALID, Message: "请选择报送支部。", Fields: map[string]string{"branch": "请选择报送支部。"}})
		}
		return fail(collector.ErrBadCode)
	}
	if err := h.auth.Check(r.Context(), branch, code); err != nil {
		if collector.ErrorCode(err) == collector.EUNAUTHORIZED {
			h.limits.Fail("b:" + branch)
			h.limits.Fail("ip:" + ip)
		}
		return fail(err)
	}
	h.limits.Reset("b:" + branch)
	if !slices.Contains(task.Branches, branch) {
		return fail(&collector.Error{Code: collector.EINVALID, Message: "本任务不要求该支部报送。", Fields: map[string]string{"branch": "本任务不要求该支部报送，请核对。"}})
	}
	values, err := collector.ValidateFields(task, in.values, in.hasFile)
	if err != nil {
		return fail(err)
	}
	sub := &collector.Submission{
		Task: task.ID, Period: ob.Period.String(), Branch: branch, Key: in.values["submission_id"],
		Fields: values, Deadline: ob.Deadline,
	}
	if task.CloseAfterDeadline {
		sub.Closes = ob.Deadline
	}
	for _, f := range task.Fields {
		u := in.files[f.Name]
		if u == nil {
			continue
		}
		if _, err := u.pending.Commit(); err != nil {
			return fail(collector.Unavailable(err))
		}
		sub.Files = append(sub.Files, collector.File{Field: f.Name, Name: u.name, Type: u.typ, Size: u.pending.Size, SHA256: u.pending.SHA256})
		u.pending = nil
	}
	rec, err := h.opts.Store.Submit(r.Context(), sub)
	if err != nil {
		return fail(err)
	}
	if h.opts.OnChange != nil {
		h.opts.OnChange(ob.Key())
	}
	if wantsJSON(r) {
		return writeJSON(w, http.StatusCreated, h.receiptJSON(s, rec))
	}
	http.Redirect(w, r, h.receiptURL(r, rec.ID), http.StatusSeeOther)
	return nil
}

// receiptURL is the receipt's address on the same mount as the request:
// /dangwu/api/receipts/… when the collector is mounted under a sub-path.
func (h *Handler) receiptURL(r *http.Request, id string) string {
	return apiBase(r) + "receipts/" + id
}

// apiBase is the URL prefix the request reached /api/ under.
func apiBase(r *http.Request) string {
	p := r.URL.Path
	if r.URL.RawPath != "" {
		p = r.URL.RawPath
	}
	if i := strings.Index(p, "/api/"); i >= 0 {
		return p[:i] + "/api/"
	}
	return "/api/"
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// decode reads a multipart or urlencoded body without holding files in
// memory: each file goes to a temporary file as it arrives, its type checked
// on its first bytes and its size bounded by its field's max.
func (h *Handler) decode(r *http.Request, task *site.Task) (*input, error) {
	in := &input{values: map[string]string{}, files: map[string]*upload{}}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return in, bodyError(err)
		}
		for k, v := range r.PostForm {
			in.values[k] = v[0]
		}
		return in, nil
	case "multipart/form-data":
	default:
		return in, collector.Errorf(collector.EUNSUPPORTED, "请通过任务页面的表单提交（multipart/form-data）。")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return in, collector.Errorf(collector.EINVALID, "表单数据无法识别。")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return in, nil
		}
		if err != nil {
			return in, bodyError(err)
		}
		err = h.decodePart(in, task, part)
		part.Close()
		if err != nil {
			return in, err
		}
	}
}

func (h *Handler) decodePart(in *input, task *site.Task, part interface {
	io.Reader
	FormName() string
	FileName() string
}) error {
	name := part.FormName()
	if name == "" {
		return nil
	}
	var field *site.Field
	for i := range task.Fields {
		if task.Fields[i].Name == name {
			field = &task.Fields[i]
		}
	}
	if field == nil || field.Type != site.FieldFile {
		b, err := io.ReadAll(io.LimitReader(part, maxTextPart+1))
		if err != nil {
			return bodyError(err)
		}
		if len(b) > maxTextPart {
			return &collector.Error{Code: collector.ETOOLARGE, Message: "填写的内容过长。", Fields: map[string]string{name: "内容过长，请删减后重新提交。"}}
		}
		if _, seen := in.values[name]; !seen {
			in.values[name] = string(b)
		}
		return nil
	}
	if part.FileName() == "" || in.files[name] != nil {
		_, err := io.Copy(io.Discard, part)
		return bodyError(err)
	}
	return h.decodeFile(in, *field, part.FileName(), part)
}

func (h *Handler) decodeFile(in *input, f site.Field, filename string, r io.Reader) error {
	name := collector.CleanFileName(filename)
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return bodyError(err)
	}
	head = head[:n]
	if n == 0 {
		return nil // an empty file is no file
	}
	typ, err := collector.CheckFileType(f, name, head)
	if err != nil {
		return err
	}
	limit := f.Max
	if limit <= 0 {
		limit = collector.DefaultFileMax
	}
	p, err := h.opts.Files.Create()
	if err != nil {
		return collector.Unavailable(err)
	}
	u := &upload{field: f, name: name, typ: typ, pending: p}
	in.files[f.Name] = u
	if _, err := p.Write(head); err != nil {
		return collector.Unavailable(err)
	}
	if _, err := io.Copy(p, io.LimitReader(r, limit-int64(n)+1)); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return bodyError(err)
		}
		return collector.Unavailable(err)
	}
	if p.Written() > limit {
		return &collector.Error{Code: collector.ETOOLARGE, Message: "上传的文件过大。",
			Fields: map[string]string{f.Name: fmt.Sprintf("%s不能超过 %s。", f.Label, sizeText(limit))}}
	}
	if err := p.Close(); err != nil {
		return collector.Unavailable(err)
	}
	return nil
}

// bodyError classifies a failure to read the body: too large (413) or cut short (400).
func bodyError(err error) error {
	if err == nil {
		return nil
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &collector.Error{Code: collector.ETOOLARGE, Message: fmt.Sprintf("提交的内容过大（上限 %s）。", sizeText(mbe.Limit)), Err: err}
	}
	return &collector.Error{Code: collector.EINVALID, Message: "表单数据不完整，请重新提交。", Err: err}
}

func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", n>>10)
}
