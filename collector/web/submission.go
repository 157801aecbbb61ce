package web

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/collector/throttle"
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

// submit handles POST /api/tasks/{task}/submissions. The cheap refusals
// come first: the task, the origin, the deadline, the declared size against
// the most the task can take, the bodies in flight from the address; then
// the branch and code, read from the first two parts and checked (behind the
// limiter) before any file part is read to disk.
func (h *Handler) submit(w http.ResponseWriter, r *http.Request) error {
	s := h.opts.Site()
	task := s.Task(r.PathValue("task"))
	if task == nil {
		return collector.Errorf(collector.ENOTFOUND, "没有找到这项任务，它可能已被撤下。")
	}
	if err := h.origins.Check(r); err != nil {
		return &collector.Error{Code: collector.EFORBIDDEN, Message: "提交来源不被允许：请从本网站的任务页面提交。", Err: err}
	}
	// Announced to the store's writer, which then waits for this post's
	// write rather than for the clock.
	ctx, expected := h.opts.Store.Expect(r.Context())
	defer expected()
	now := h.opts.Now()
	// The period in the address (?period=, the form's per-period links) is
	// checked before the body is read; one in the body after it.
	ob, err := obligation(task, r.URL.Query().Get("period"), now, s.Location)
	if err != nil {
		return err
	}
	addr := h.client(r)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	limit := h.bodyLimit(task, mt)
	if r.ContentLength > limit {
		h.audit.record(collector.RefusedTooLarge, task.ID, addr)
		return &collector.Error{Code: collector.ETOOLARGE, Message: fmt.Sprintf("提交的内容过大（上限 %s）。", sizeText(limit))}
	}
	leave, ok := h.bodies.acquire(r.Context(), addr, bodyWait)
	if !ok {
		h.audit.record(collector.RefusedUploads, task.ID, addr)
		return &collector.Error{Code: collector.ERATELIMIT, Message: msgUploads, RetryAfter: 5 * time.Second}
	}
	// The slot bounds the bodies being read from one address, not the
	// commits: it is given back once the body is in, so that posts waiting
	// for their group commit do not keep the address's next ones out (with
	// them held, 64 quick posts from one address made 429s and batches of 16).
	// Given back once, from this goroutine only: a flag, not sync.OnceFunc
	// (two allocations a post).
	release, left := leave, false
	leave = func() {
		if !left {
			left = true
			release()
		}
	}
	defer leave()
	bodyDeadline(w, r.ContentLength, limit)
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	d := &decoder{h: h, task: task, in: &input{values: map[string]string{}, files: map[string]*upload{}}}
	in := d.in
	defer in.discard()
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
	if err := d.start(r, mt); err != nil {
		return fail(err)
	}
	if d.mr == nil {
		leave() // an urlencoded body is read whole by start
	}
	branch, code, err := d.head()
	if err != nil {
		if collector.ErrorCode(err) == collector.EINVALID {
			h.audit.record(collector.RefusedOrder, task.ID, addr)
		}
		return fail(err)
	}
	codeHash, err := h.checkCode(r.Context(), s, branch, code, addr)
	if err != nil {
		if !wantsJSON(r) {
			// A browser without JavaScript gets its typed text back; no
			// file of an unchecked sender is written.
			d.rest(false)
		}
		return fail(err)
	}
	// A checked sender's connection is kept alive by reading to the end.
	defer io.Copy(io.Discard, r.Body)
	if err := d.rest(true); err != nil {
		return fail(err)
	}
	leave()
	if !slices.Contains(task.Branches, branch) {
		return fail(&collector.Error{Code: collector.EINVALID, Message: "本任务不要求该支部报送。", Fields: map[string]string{"branch": "本任务不要求该支部报送，请核对。"}})
	}
	if p := in.values["period"]; p != "" {
		if ob, err = obligation(task, p, now, s.Location); err != nil {
			return fail(err)
		}
	}
	values, err := collector.ValidateFields(task, in.values, in.hasFile)
	if err != nil {
		return fail(err)
	}
	sub := &collector.Submission{
		Task: task.ID, Period: ob.Period.String(), Branch: branch, Key: in.values["submission_id"],
		Fields: values, FieldsChecked: true, Deadline: ob.Deadline, CodeHash: codeHash,
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
	rec, err := h.opts.Store.Submit(ctx, sub)
	if errors.Is(err, collector.ErrCodeChanged) {
		// The code was checked against a remembered hash that a rotation
		// (here or in another process) has replaced: check it again
		// against the stored one, and submit once more if it is right.
		h.auth.Forget(branch)
		if sub.CodeHash, err = h.checkCode(r.Context(), s, branch, code, addr); err != nil {
			return fail(err)
		}
		rec, err = h.opts.Store.Submit(ctx, sub)
	}
	if err != nil {
		return fail(err)
	}
	rec.Fields = sub.Fields // the receipt shows the values as stored
	if h.opts.OnChange != nil {
		h.opts.OnChange(collector.Change{Task: task.ID, Period: ob.Period.String(), Branch: branch})
	}
	if wantsJSON(r) {
		data := h.receiptJSON(s, rec, sub) // rec.Fields are sub.Fields
		return h.writeReceipt(w, http.StatusCreated, &data)
	}
	http.Redirect(w, r, h.receiptURL(r, rec.ID), http.StatusSeeOther)
	return nil
}

// checkCode checks a branch's code behind the limiter: an empty or unknown
// branch and an empty code are refused without a slow hash; an address in
// back-off is refused before the cache of verified codes is consulted; a
// guess waits its turn (admit) before a slow hash. It returns the stored
// hash the code was checked against, which may be a remembered one: the
// store confirms it when it commits (collector.Submission.CodeHash).
func (h *Handler) checkCode(ctx context.Context, s *site.Site, branch, code, addr string) (string, error) {
	if branch == "" {
		return "", &collector.Error{Code: collector.EINVALID, Message: "请选择报送支部。", Fields: map[string]string{"branch": "请选择报送支部。"}}
	}
	if s.Branch(branch) == nil {
		h.audit.record(collector.RefusedBranch, branch, addr)
		return "", collector.ErrBadCode
	}
	if strings.TrimSpace(code) == "" {
		return "", &collector.Error{Code: collector.EINVALID, Message: "请填写支部提交码。", Fields: map[string]string{"code": "请填写支部提交码。"}}
	}
	k := throttle.Key{Scope: scopeBranch, Name: branch, Addr: addr}
	// Before the cache too: otherwise an address in back-off could still
	// tell a right code (cached, 201) from a wrong one (429).
	if wait := h.limiter.Wait(k); wait > 0 {
		return "", h.limited(k, wait)
	}
	checked := false
	stored, err := h.auth.CheckRemembered(ctx, branch, code, func() (func(bool), error) {
		release, err := h.admit(ctx, k)
		if err != nil {
			return nil, err
		}
		// Recorded before the slot is released: the next guess waiting
		// for it sees this failure and is refused without a slow check.
		return func(ok bool) {
			checked = true
			h.outcome(k, ok)
			release()
		}, nil
	})
	if !checked && (err == nil || errors.Is(err, collector.ErrBadCode)) {
		h.outcome(k, err == nil)
	}
	return stored, err
}

// outcome tells the limiter (and, for a wrong code, the audit log) how a
// code check for k ended.
func (h *Handler) outcome(k throttle.Key, ok bool) {
	if ok {
		h.limiter.Succeed(k)
		return
	}
	h.limiter.Fail(k)
	h.audit.record(collector.RefusedCode, k.Name, k.Addr)
}

// Allowances of bodyLimit: what a form sends besides the fields' values.
const (
	headAllowance = 16 << 10 // branch, code, submission_id, period, boundaries
	partAllowance = 1 << 10  // one part's headers
	otherField    = 4 << 10  // a number, date or select value
)

// bodyLimit is the largest body a correct form for t can send: the fields'
// maxima (a character is at most 4 bytes of UTF-8, a urlencoded byte 3),
// the files' maxima (multipart only) and allowances for the rest, capped
// by MaxBody.
func (h *Handler) bodyLimit(t *site.Task, mediaType string) int64 {
	var n int64 = headAllowance
	for _, f := range t.Fields {
		n += partAllowance
		switch f.Type {
		case site.FieldFile:
			if mediaType == "multipart/form-data" {
				n += cmp.Or(max(f.Max, 0), collector.DefaultFileMax)
			}
		case site.FieldText, site.FieldTextarea:
			if f.Max > 0 {
				n += min(f.Max*4, maxTextPart)
			} else {
				n += maxTextPart
			}
		default:
			n += otherField
		}
	}
	if mediaType == "application/x-www-form-urlencoded" {
		n *= 3
	}
	return min(n, h.opts.MaxBody)
}

// Reading a body: it may take its time, but not forever. A client gets a
// grace period plus the time its declared (or largest possible) body takes
// at minRate, on the network clock, not the domain's.
const (
	bodyGrace = 30 * time.Second
	minRate   = 16 << 10 // bytes per second: 128 kbit/s
)

func bodyDeadline(w http.ResponseWriter, declared, limit int64) {
	n := limit
	if declared >= 0 {
		n = declared
	}
	d := time.Now().Add(bodyGrace + time.Duration(n/minRate)*time.Second)
	rc := http.NewResponseController(w)
	// ErrNotSupported (a test recorder) leaves the server's timeouts.
	rc.SetReadDeadline(d)
	rc.SetWriteDeadline(d.Add(bodyGrace))
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

// decoder reads a multipart or urlencoded body without holding files in
// memory: each file goes to a temporary file as it arrives, its type checked
// on its first bytes and its size bounded by its field's max. A multipart
// body is read part by part: the branch and the code first (head), the rest
// only once they are checked.
type decoder struct {
	h    *Handler
	task *site.Task
	in   *input
	mr   *multipart.Reader
}

// start reads an urlencoded body whole (it is small: no files) or opens a
// multipart one.
func (d *decoder) start(r *http.Request, mediaType string) error {
	switch mediaType {
	case "application/x-www-form-urlencoded":
		body, buf, err := readURLEncoded(r, &d.h.bufs)
		if err != nil {
			return bodyError(err)
		}
		// parseForm copies what it keeps out of body into one string.
		defer putBody(&d.h.bufs, buf)
		return bodyError(parseForm(body, d.multi, d.in.values))
	case "multipart/form-data":
	default:
		return collector.Errorf(collector.EUNSUPPORTED, "请通过任务页面的表单提交（multipart/form-data）。")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return collector.Errorf(collector.EINVALID, "表单数据无法识别。")
	}
	d.mr = mr
	return nil
}

// readURLEncoded reads an urlencoded body. One of a declared length (bounded
// by the body limit, checked before) is read into one buffer of that size:
// ParseForm grows its buffer from 512 bytes, and that was the most bytes
// a post allocated (issue 11). The buffer comes from bufs when it is small
// enough to keep (it was then still an eighth of the bytes a post
// allocated under wrk); give it back with putBody, through the pointer
// returned, once nothing refers to the body.
func readURLEncoded(r *http.Request, bufs *sync.Pool) ([]byte, *[]byte, error) {
	if r.ContentLength < 0 {
		b, err := io.ReadAll(r.Body)
		return b, nil, err
	}
	if r.ContentLength > keptBody {
		b := make([]byte, r.ContentLength)
		_, err := io.ReadFull(r.Body, b)
		return b, nil, err
	}
	p, _ := bufs.Get().(*[]byte)
	if p == nil || cap(*p) < int(r.ContentLength) {
		b := make([]byte, 0, max(r.ContentLength, min(keptBody, 2*r.ContentLength)))
		p = &b
	}
	b := (*p)[:r.ContentLength]
	if _, err := io.ReadFull(r.Body, b); err != nil {
		bufs.Put(p)
		return nil, nil, err
	}
	return b, p, nil
}

// keptBody is the largest buffer kept for the next posts.
const keptBody = 16 << 10

// putBody gives a body's buffer back to bufs (none for a nil p).
func putBody(bufs *sync.Pool, p *[]byte) {
	if p != nil {
		bufs.Put(p)
	}
}

// errSemicolon is url.ParseQuery's refusal of a ';' in a pair.
var errSemicolon = errors.New("invalid semicolon separator in query")

// parseForm decodes an urlencoded body into values as url.ParseQuery and
// then keeping the first value of each name (all of them, joined by
// "\n", for a multi name) would, and fails where ParseQuery does (a ';'
// in a pair, a bad escape); TestParseFormAsParseQuery and FuzzParseForm
// hold it to that. It makes no url.Values (a map of slices) to copy from,
// and it decodes the names and values in place, into the front of body
// (a decoded text is never longer than its escaped form), then cuts them
// all from one string: one allocation for the whole form, where
// url.QueryUnescape made one a value (issue 11). body is overwritten.
func parseForm(body []byte, multi func(string) bool, values map[string]string) error {
	type span struct{ k, v, end int }
	var buf [16]span
	spans := buf[:0]
	w := 0
	for rest := body; len(rest) > 0; {
		pair := rest
		if i := bytes.IndexByte(rest, '&'); i >= 0 {
			pair, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if bytes.IndexByte(pair, ';') >= 0 {
			return errSemicolon
		}
		if len(pair) == 0 {
			continue
		}
		k, v, _ := bytes.Cut(pair, []byte("="))
		sp := span{k: w}
		var err error
		if w, err = unescapeQuery(body, w, k); err != nil {
			return err
		}
		sp.v = w
		if w, err = unescapeQuery(body, w, v); err != nil {
			return err
		}
		sp.end = w
		spans = append(spans, sp)
	}
	text := string(body[:w])
	for _, sp := range spans {
		k, v := text[sp.k:sp.v], text[sp.v:sp.end]
		if old, ok := values[k]; ok {
			if multi(k) {
				values[k] = old + "\n" + v
			}
			continue
		}
		values[k] = v
	}
	return nil
}

// unescapeQuery decodes s as url.QueryUnescape does ('+' is a space, %XX
// a byte; a '%' without two hex digits is an error) into dst from w on,
// and returns where the decoded text ends. s may lie in dst at or after
// w: each byte is read before anything is written over it.
func unescapeQuery(dst []byte, w int, s []byte) (int, error) {
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '%':
			if i+2 >= len(s) {
				return 0, url.EscapeError(s[i:])
			}
			// One lookup a digit: the percent-escaped text of a Chinese
			// summary is two thirds hex digits (issue 11).
			hi, lo := hexValue[s[i+1]], hexValue[s[i+2]]
			if hi|lo >= 16 {
				return 0, url.EscapeError(s[i : i+3])
			}
			dst[w] = hi<<4 | lo
			i += 3
		case '+':
			dst[w] = ' '
			i++
		default:
			dst[w] = c
			i++
		}
		w++
	}
	return w, nil
}

// hexValue is each byte's value as a hex digit, or 16 and more for a
// byte that is none. It is never written.
var hexValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c - '0'
	}
	for c := byte('a'); c <= 'f'; c++ {
		t[c], t[c-'a'+'A'] = c-'a'+10, c-'a'+10
	}
	return t
}()

// errOrder refuses a body that does not start with the branch and the code.
var errOrder = &collector.Error{Code: collector.EINVALID, Message: "表单数据的顺序不对：支部和提交码必须在最前面。请从任务页面重新提交。"}

// head returns the branch and the code: for multipart, the first two named
// parts, which must be they (in either order) and not files.
func (d *decoder) head() (branch, code string, err error) {
	if d.mr == nil {
		return d.in.values["branch"], d.in.values["code"], nil
	}
	for !d.has("branch") || !d.has("code") {
		part, err := d.mr.NextPart()
		if err == io.EOF {
			return "", "", errOrder
		}
		if err != nil {
			return "", "", bodyError(err)
		}
		name := part.FormName()
		switch {
		case name == "":
		case name != "branch" && name != "code" || part.FileName() != "" || d.has(name):
			part.Close()
			return "", "", errOrder
		default:
			err = d.text(name, part)
		}
		part.Close()
		if err != nil {
			return "", "", err
		}
	}
	return d.in.values["branch"], d.in.values["code"], nil
}

func (d *decoder) has(name string) bool {
	_, ok := d.in.values[name]
	return ok
}

// rest reads the parts after the head; with files false, file parts are
// skipped unwritten.
func (d *decoder) rest(files bool) error {
	if d.mr == nil {
		return nil
	}
	for {
		part, err := d.mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return bodyError(err)
		}
		err = d.part(part, files)
		part.Close()
		if err != nil {
			return err
		}
	}
}

func (d *decoder) part(part *multipart.Part, files bool) error {
	name := part.FormName()
	if name == "" {
		return nil
	}
	var field *site.Field
	for i := range d.task.Fields {
		if d.task.Fields[i].Name == name {
			field = &d.task.Fields[i]
		}
	}
	if field == nil || field.Type != site.FieldFile {
		return d.text(name, part)
	}
	if !files || part.FileName() == "" || d.in.files[name] != nil {
		_, err := io.Copy(io.Discard, part)
		return bodyError(err)
	}
	return d.h.decodeFile(d.in, *field, part.FileName(), part)
}

// text reads one text value, bounded; the first of each name counts,
// except for a multiselect.
func (d *decoder) text(name string, r io.Reader) error {
	b, err := io.ReadAll(io.LimitReader(r, maxTextPart+1))
	if err != nil {
		return bodyError(err)
	}
	if len(b) > maxTextPart {
		return &collector.Error{Code: collector.ETOOLARGE, Message: "填写的内容过长。", Fields: map[string]string{name: "内容过长，请删减后重新提交。"}}
	}
	switch {
	case !d.has(name):
		d.in.values[name] = string(b)
	case d.multi(name):
		d.in.values[name] += "\n" + string(b)
	}
	return nil
}

// multi reports whether name is a multiselect field, whose values are all
// kept, joined by "\n" (site.Field.Parse splits them).
func (d *decoder) multi(name string) bool {
	for _, f := range d.task.Fields {
		if f.Name == name {
			return f.Type == site.FieldMultiSelect
		}
	}
	return false
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
