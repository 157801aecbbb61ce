package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/collector/sqlite"
	"github.com/dangwu-org/dangwu/generator/site"
)

var cst = time.FixedZone("CST", 8*3600)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// testSite has two branches and three tasks: one open, one closed, one not yet open.
func testSite() *site.Site {
	cfg := site.DefaultConfig()
	cfg.Validate()
	s := &site.Site{Config: cfg, Location: cst}
	for _, id := range []string{"yi", "er"} {
		s.Branches = append(s.Branches, &site.Branch{ID: id, Title: map[string]string{"yi": "第一党支部", "er": "第二党支部"}[id]})
	}
	fields := []site.Field{
		{Name: "summary", Label: "总结正文", Type: site.FieldTextarea, Required: true, Max: 100},
		{Name: "count", Label: "党员人数", Type: site.FieldInteger},
		{Name: "rating", Label: "自评", Type: site.FieldSelect, Options: []string{"好", "较好"}},
		{Name: "forms", Label: "形式", Type: site.FieldMultiSelect, Options: []string{"集中学习", "研讨", "参观"}},
		{Name: "fee", Label: "党费", Type: site.FieldNumber, Decimals: 2},
		{Name: "file", Label: "附件", Type: site.FieldFile, Accept: []string{".pdf"}, Max: 1024},
	}
	task := func(id string, deadline time.Time, opens time.Time, closes bool) *site.Task {
		t := &site.Task{ID: id, Title: "任务" + id, Deadline: deadline, Opens: opens, CloseAfterDeadline: closes,
			Branches: []string{"yi", "er"}, Fields: fields, Page: &site.Page{Path: "tasks/" + id + "/"}}
		return t
	}
	s.Tasks = []*site.Task{
		task("open", time.Date(2026, 12, 20, 17, 0, 0, 0, cst), time.Time{}, false),
		task("closed", time.Date(2026, 11, 1, 17, 0, 0, 0, cst), time.Time{}, true),
		task("later", time.Date(2027, 1, 20, 17, 0, 0, 0, cst), time.Date(2027, 1, 1, 0, 0, 0, 0, cst), false),
	}
	s.Tasks[2].Branches = []string{"er"}
	monthly := func(id string, closes bool) *site.Task {
		return &site.Task{ID: id, Title: "主题党日" + id, Every: site.Monthly, Due: 10, Start: time.Date(2026, 1, 1, 0, 0, 0, 0, cst),
			CloseAfterDeadline: closes, Branches: []string{"yi", "er"}, Fields: fields, Page: &site.Page{Path: "tasks/" + id + "/"}}
	}
	s.Tasks = append(s.Tasks, monthly("monthly", false), monthly("monthlyclosed", true),
		&site.Task{ID: "notice", Title: "通知", Notice: true, Deadline: time.Date(2026, 12, 20, 17, 0, 0, 0, cst), Branches: []string{"yi", "er"},
			Fields: []site.Field{{Name: "comment", Label: "签收意见", Type: site.FieldTextarea, Max: 500}}, Page: &site.Page{Path: "tasks/notice/"}})
	return s
}

type env struct {
	srv   *httptest.Server
	h     *Handler
	dir   string
	db    *sqlite.DB
	clock *fakeClock
	keys  []collector.Change
}

// newEnv runs the collector over testSite with a real SQLite store in a temp
// folder, access codes for both branches and an admin, and a fake clock.
func newEnv(t testing.TB, maxBody int64) *env {
	t.Helper()
	dir := t.TempDir()
	clock := &fakeClock{t: time.Date(2026, 11, 28, 10, 0, 0, 0, cst)}
	db, err := sqlite.Open(filepath.Join(dir, "dangwu.db"), sqlite.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fs, err := files.Open(filepath.Join(dir, "uploads"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for b, code := range map[string]string{"yi": "code-yi", "er": "code-er"} {
		h, _ := collector.HashSecret(code, 1000)
		if err := db.SetBranchCode(ctx, b, h); err != nil {
			t.Fatal(err)
		}
	}
	h, _ := collector.HashSecret("admin-password", 1000)
	db.SetAdminPassword(ctx, "admin", h)
	s := testSite()
	e := &env{db: db, clock: clock, dir: dir}
	var mu sync.Mutex
	handler, err := New(Options{Site: func() *site.Site { return s }, Store: db, Admin: db, Opinions: db, Ledger: db, Refusals: db, Files: fs, Now: clock.Now, MaxBody: maxBody,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		OnChange:       func(k collector.Change) { mu.Lock(); e.keys = append(e.keys, k); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	e.h = handler
	t.Cleanup(handler.Close)
	e.srv = httptest.NewServer(handler)
	t.Cleanup(e.srv.Close)
	return e
}

type filePart struct{ field, name, content string }

// post sends a multipart form; accept "json" asks for JSON.
func (e *env) post(t *testing.T, task string, form map[string]string, file *filePart, hdr map[string]string) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	writeFields(mw, form)
	if file != nil {
		fw, _ := mw.CreateFormFile(file.field, file.name)
		io.WriteString(fw, file.content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/"+task+"/submissions", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func valid() map[string]string {
	return map[string]string{"branch": "yi", "code": "code-yi", "summary": "全年召开支部党员大会4次。", "count": "１２", "rating": "好"}
}

func with(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "\x00delete" {
			delete(out, kv[i])
			continue
		}
		out[kv[i]] = kv[i+1]
	}
	return out
}

var asJSON = map[string]string{"Accept": "application/json"}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return string(b)
}

// TestSubmissionAnswers is the scenario table: every answer DESIGN lists,
// what the client sees, and that nothing is stored on an error.
func TestSubmissionAnswers(t *testing.T) {
	pdf := &filePart{"file", "总结.pdf", "%PDF-1.4 总结"}
	tests := []struct {
		name       string
		task       string
		form       map[string]string
		file       *filePart
		hdr        map[string]string
		maxBody    int64
		wantStatus int
		wantBody   []string
		stored     bool
	}{
		{"created", "open", valid(), pdf, asJSON, 0, 201, []string{`"version":1`, `"branchName":"第一党支部"`, `"late":false`}, true},
		{"browser gets a receipt page", "open", valid(), nil, nil, 0, 303, nil, true},
		{"missing required field", "open", with(valid(), "summary", "  "), nil, asJSON, 0, 400, []string{`"summary":"请填写总结正文。"`}, false},
		{"too long", "open", with(valid(), "summary", strings.Repeat("党", 101)), nil, asJSON, 0, 400, []string{"不能超过 100 字"}, false},
		{"not a number", "open", with(valid(), "count", "十二"), nil, asJSON, 0, 400, []string{`"count":"党员人数应填写整数。"`}, false},
		{"unknown option", "open", with(valid(), "rating", "极好"), nil, asJSON, 0, 400, []string{"请从列表中选择自评"}, false},
		{"no branch", "open", with(valid(), "branch", ""), nil, asJSON, 0, 400, []string{"请选择报送支部"}, false},
		{"not open yet", "later", with(valid(), "branch", "yi"), nil, asJSON, 0, 409, []string{"开始接收"}, false},
		{"wrong code", "open", with(valid(), "code", "guess"), nil, asJSON, 0, 401, []string{"支部或提交码不正确"}, false},
		{"unknown branch", "open", with(valid(), "branch", "san"), nil, asJSON, 0, 401, []string{"支部或提交码不正确"}, false},
		{"cross origin", "open", valid(), nil, map[string]string{"Accept": "application/json", "Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}, 0, 403, []string{"提交来源不被允许"}, false},
		{"unknown task", "nope", valid(), nil, asJSON, 0, 404, []string{"没有找到这项任务"}, false},
		{"closed", "closed", valid(), nil, asJSON, 0, 409, []string{"截止"}, false},
		{"body too large", "open", with(valid(), "summary", strings.Repeat("a", 4096)), nil, asJSON, 2048, 413, []string{"提交的内容过大"}, false},
		{"file too large", "open", valid(), &filePart{"file", "a.pdf", "%PDF-" + strings.Repeat("x", 2000)}, asJSON, 0, 413, []string{`"file":"附件不能超过`}, false},
		{"file type", "open", valid(), &filePart{"file", "a.exe", "MZ\x90\x00"}, asJSON, 0, 415, []string{"只接受 .pdf"}, false},
		{"file content lies", "open", valid(), &filePart{"file", "a.pdf", "\x89PNG\r\n\x1a\n0000"}, asJSON, 0, 415, []string{"不是有效的 .pdf 文件"}, false},
		{"html error keeps typed text", "open", with(valid(), "count", "很多", "summary", "<script>alert(1)</script>我写了很长的总结"), nil, nil, 0, 400,
			[]string{"&lt;script&gt;alert(1)&lt;/script&gt;我写了很长的总结", "党员人数应填写整数", `<option value="yi" selected>`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.maxBody)
			resp := e.post(t, tt.task, tt.form, tt.file, tt.hdr)
			body := readBody(t, resp)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d\n%s", resp.StatusCode, tt.wantStatus, body)
			}
			for _, w := range tt.wantBody {
				if !strings.Contains(body, w) {
					t.Errorf("body does not contain %q:\n%s", w, body)
				}
			}
			if strings.Contains(body, "<script>alert(1)") {
				t.Error("typed script reached the page unescaped")
			}
			sums, _ := e.db.Summaries(context.Background())
			if stored := len(sums) > 0; stored != tt.stored {
				t.Errorf("stored = %v, want %v", stored, tt.stored)
			}
			if tt.stored != (len(e.keys) > 0) {
				t.Errorf("change notifications %v", e.keys)
			}
		})
	}
}

func TestReceiptFlow(t *testing.T) {
	e := newEnv(t, 0)
	resp := e.post(t, "open", with(valid(), "submission_id", "abc123"), nil, nil)
	readBody(t, resp)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/api/receipts/") {
		t.Fatalf("status %d location %q", resp.StatusCode, loc)
	}
	page, _ := http.Get(e.srv.URL + loc)
	html := readBody(t, page)
	for _, want := range []string{"提交回执", "第一党支部", "第 1 版", "按时提交", "SHA-256"} {
		if !strings.Contains(html, want) {
			t.Errorf("receipt page lacks %q", want)
		}
	}
	// The same submission id and content again: the first receipt, nothing new.
	again := e.post(t, "open", with(valid(), "submission_id", "abc123"), nil, asJSON)
	var rec receiptJSON
	json.NewDecoder(again.Body).Decode(&rec)
	again.Body.Close()
	if again.StatusCode != 201 || "/api/receipts/"+rec.ID != loc || rec.Version != 1 {
		t.Errorf("retry: %d %+v", again.StatusCode, rec)
	}
	conflict := e.post(t, "open", with(valid(), "submission_id", "abc123", "summary", "改了"), nil, asJSON)
	if body := readBody(t, conflict); conflict.StatusCode != 409 || !strings.Contains(body, "提交编号") {
		t.Errorf("reused id with other content: %d %s", conflict.StatusCode, body)
	}
	missing, _ := http.Get(e.srv.URL + "/api/receipts/nope")
	if missing.StatusCode != 404 {
		t.Errorf("unknown receipt: %d", missing.StatusCode)
	}
	readBody(t, missing)
	// Late after the deadline, still accepted on a task that does not close.
	e.clock.Add(23 * 24 * time.Hour)
	late := e.post(t, "open", valid(), nil, asJSON)
	json.NewDecoder(late.Body).Decode(&rec)
	late.Body.Close()
	if !rec.Late || rec.Version != 2 {
		t.Errorf("after the deadline: %+v", rec)
	}
	st, _ := http.Get(e.srv.URL + "/api/status")
	body := readBody(t, st)
	if !strings.Contains(body, `"branch":"yi","status":"late","label":"逾期提交","versions":2`) || !strings.Contains(body, `"branch":"er","status":"missing"`) {
		t.Errorf("status JSON: %s", body)
	}
}

// TestRateLimit: three wrong codes from one address are answered 401, then
// the address backs off 1 s, 2 s, … (429 with Retry-After); the right code
// after the wait is accepted (issue 10).
func TestRateLimit(t *testing.T) {
	e := newEnv(t, 0)
	var got []string
	try := func(code string) {
		resp := e.post(t, "open", with(valid(), "code", code), nil, asJSON)
		readBody(t, resp)
		got = append(got, fmt.Sprintf("%d/%s", resp.StatusCode, resp.Header.Get("Retry-After")))
	}
	for range 4 {
		try("guess")
	}
	e.clock.Add(time.Second)
	try("guess")
	try("code-yi")
	e.clock.Add(2 * time.Second)
	try("code-yi")
	want := "[401/ 401/ 401/ 429/1 401/ 429/2 201/]"
	if fmt.Sprint(got) != want {
		t.Errorf("answers %v, want %s", got, want)
	}
}

func TestStorageFailure(t *testing.T) {
	e := newEnv(t, 0)
	e.db.Close()
	resp := e.post(t, "open", valid(), nil, asJSON)
	body := readBody(t, resp)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "暂时无法保存") {
		t.Fatalf("%d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	h, _ := http.Get(e.srv.URL + "/healthz")
	if body := readBody(t, h); h.StatusCode != 503 || !strings.Contains(body, `"reason":"closed"`) {
		t.Errorf("healthz with a closed store: %d %s", h.StatusCode, body)
	}
}

// TestStoredValues: what is stored (and hashed, and shown on the receipt)
// is the canonical form of exactly what was typed: full-width digits
// normalised, trailing zeros kept, a multiselect's every value in option
// order, in urlencoded and multipart bodies alike.
func TestStoredValues(t *testing.T) {
	e := newEnv(t, 0)
	want := `"values":[{"name":"summary","label":"总结正文","value":"全年召开支部党员大会4次。"},{"name":"count","label":"党员人数","value":"12"},{"name":"rating","label":"自评","value":"好"},{"name":"forms","label":"形式","value":"集中学习、研讨"},{"name":"fee","label":"党费","value":"1234.10"}]`
	form := url.Values{}
	for k, v := range valid() {
		form.Set(k, v)
	}
	form["forms"] = []string{"研讨", "集中学习"}
	form.Set("fee", "１２３４．１０")
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, _ := http.DefaultClient.Do(req)
	body := readBody(t, resp)
	if resp.StatusCode != 201 || !strings.Contains(body, want) {
		t.Fatalf("urlencoded: %d %s\nwant %s", resp.StatusCode, body, want)
	}
	var rec struct{ ID string }
	json.Unmarshal([]byte(body), &rec)
	resp, _ = http.Get(e.srv.URL + "/api/receipts/" + rec.ID)
	if page := readBody(t, resp); !strings.Contains(page, "1234.10") || !strings.Contains(page, "集中学习、研讨") {
		t.Errorf("receipt page does not show the stored values:\n%s", page)
	}

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	writeFields(mw, with(valid(), "fee", "1234.10"))
	mw.WriteField("forms", "研讨")
	mw.WriteField("forms", "集中学习")
	mw.Close()
	req, _ = http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	resp, _ = http.DefaultClient.Do(req)
	if body := readBody(t, resp); resp.StatusCode != 201 || !strings.Contains(body, want) {
		t.Fatalf("multipart: %d %s\nwant %s", resp.StatusCode, body, want)
	}
}

// TestMakeUp: a past period of a recurring task is answered with a period
// field (or ?period= in the address) and stored as late for that period;
// closeAfterDeadline still refuses it; a future or malformed period is refused.
func TestMakeUp(t *testing.T) {
	e := newEnv(t, 0)
	post := func(task, query string, form map[string]string) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		writeFields(mw, form)
		mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/"+task+"/submissions"+query, &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, readBody(t, resp)
	}
	tests := []struct {
		name, task, query string
		form              map[string]string
		status            int
		body              []string
	}{
		{"current period", "monthly", "", valid(), 201, []string{`"period":"2026-11"`, `"late":false`}},
		{"make-up in the body", "monthly", "", with(valid(), "period", "2026-10"), 201, []string{`"period":"2026-10"`, `"late":true`}},
		{"make-up in the address", "monthly", "?period=2026-03", valid(), 201, []string{`"period":"2026-03"`, `"late":true`}},
		{"body wins", "monthly", "?period=2026-03", with(valid(), "period", "2026-04"), 201, []string{`"period":"2026-04"`}},
		{"future period", "monthly", "", with(valid(), "period", "2026-12"), 409, []string{"2026年12月这一期将于 2026年12月1日 00:00 开始接收材料"}},
		{"before the start", "monthly", "", with(valid(), "period", "2025-12"), 409, []string{"没有2025年12月这一期"}},
		{"malformed", "monthly", "", with(valid(), "period", "2026-Q4"), 400, []string{`"period":"报送期次 \"2026-Q4\" 的写法不对`}},
		{"closed after its deadline", "monthlyclosed", "", with(valid(), "period", "2026-10"), 409, []string{"2026年10月这一期已于 2026年11月11日 00:00 截止"}},
		{"closed in the address", "monthlyclosed", "?period=2026-10", valid(), 409, []string{"截止"}},
		{"closed current is open", "monthlyclosed", "", valid(), 201, []string{`"period":"2026-11"`}},
		{"one-off task with a period", "open", "", with(valid(), "period", "2026-11"), 400, []string{"本任务不分期次"}},
	}
	for _, tt := range tests {
		status, body := post(tt.task, tt.query, tt.form)
		if status != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, status, body, tt.status)
			continue
		}
		for _, w := range tt.body {
			if !strings.Contains(body, w) {
				t.Errorf("%s: body %s does not contain %s", tt.name, body, w)
			}
		}
	}
	if !slices.Contains(e.keys, collector.Change{Task: "monthly", Period: "2026-10", Branch: "yi"}) {
		t.Errorf("changed keys %v, want monthly/2026-10 among them", e.keys)
	}
}

// TestNoticeSignOff: a branch signs a notice (已阅) with its code alone,
// or with a comment; a wrong code signs nothing.
func TestNoticeSignOff(t *testing.T) {
	e := newEnv(t, 0)
	resp := e.post(t, "notice", map[string]string{"branch": "yi", "code": "code-yi"}, nil, asJSON)
	if body := readBody(t, resp); resp.StatusCode != 201 || !strings.Contains(body, `"version":1`) {
		t.Fatalf("sign-off: %d %s", resp.StatusCode, body)
	}
	resp = e.post(t, "notice", map[string]string{"branch": "er", "code": "guess"}, nil, asJSON)
	if readBody(t, resp); resp.StatusCode != 401 {
		t.Errorf("sign-off with a wrong code: %d, want 401", resp.StatusCode)
	}
	resp = e.post(t, "notice", map[string]string{"branch": "er", "code": "code-er", "comment": "已传达到全体党员。"}, nil, asJSON)
	if body := readBody(t, resp); resp.StatusCode != 201 || !strings.Contains(body, "已传达到全体党员") {
		t.Errorf("sign-off with a comment: %d %s", resp.StatusCode, body)
	}
	sums, _ := e.db.Summaries(context.Background())
	if len(sums) != 2 {
		t.Errorf("%d sign-offs stored, want 2", len(sums))
	}
}

func TestURLEncodedAndWrongType(t *testing.T) {
	e := newEnv(t, 0)
	form := url.Values{}
	for k, v := range valid() {
		form.Set(k, v)
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, _ := http.DefaultClient.Do(req)
	if body := readBody(t, resp); resp.StatusCode != 201 {
		t.Fatalf("urlencoded: %d %s", resp.StatusCode, body)
	}
	req, _ = http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", strings.NewReader(`{"branch":"yi"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, _ = http.DefaultClient.Do(req)
	readBody(t, resp)
	if resp.StatusCode != 415 {
		t.Errorf("JSON body: %d", resp.StatusCode)
	}
}

// TestURLEncodedBuffersReused: urlencoded bodies are read into buffers
// kept for the next posts; a post after a longer one or a refused one,
// and posts at once from many clients, store and answer exactly what each
// sent.
func TestURLEncodedBuffersReused(t *testing.T) {
	e := newEnv(t, 0)
	post := func(body string) (int, string, error) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b), err
	}
	// check posts summary and says what is wrong with the answer.
	check := func(summary string) string {
		form := url.Values{}
		for k, v := range with(valid(), "summary", summary) {
			form.Set(k, v)
		}
		code, out, err := post(form.Encode())
		var rec struct {
			Values []struct{ Name, Value string }
		}
		if err == nil {
			err = json.Unmarshal([]byte(out), &rec)
		}
		if code != 201 || err != nil {
			return fmt.Sprintf("%d %v %s", code, err, out)
		}
		for _, v := range rec.Values {
			if v.Name == "summary" && v.Value != summary {
				return fmt.Sprintf("answered summary %q, want %q", v.Value, summary)
			}
		}
		return ""
	}
	if p := check(strings.Repeat("全年召开支部党员大会。", 8)); p != "" {
		t.Fatalf("long post: %s", p)
	}
	if p := check("短"); p != "" {
		t.Errorf("short post after a long one: %s", p)
	}
	if code, out, _ := post("branch=yi&code=code-yi&summary=%zz"); code != 400 {
		t.Errorf("a bad escape: %d %s", code, out)
	}
	if p := check("第三次：<&>"); p != "" {
		t.Errorf("post after a refused one: %s", p)
	}
	var wg sync.WaitGroup
	problems := make([]string, 8)
	for g := range problems {
		wg.Go(func() {
			for i := range 15 {
				if p := check(fmt.Sprintf("客户端%d第%d次%s", g, i, strings.Repeat("汇", g*5))); p != "" {
					problems[g] = p
					return
				}
			}
		})
	}
	wg.Wait()
	for g, p := range problems {
		if p != "" {
			t.Errorf("client %d, posting at once with the others: %s", g, p)
		}
	}
}

// FuzzDecodeSubmission posts arbitrary multipart bodies: the collector must
// answer with one of DESIGN's codes, never panic or 500.
func FuzzDecodeSubmission(f *testing.F) {
	f.Add("summary", "全年召开支部党员大会4次。", "file", "a.pdf", []byte("%PDF-1.4"))
	f.Add("count", "1e400", "file", "../../etc/passwd", []byte("MZ"))
	f.Add("rating", "\x00", "file", "", []byte{})
	f.Add("branch", "yi\r\n", "summary", "x.pdf", []byte("\x89PNG"))
	e := newEnv(f, 0)
	f.Fuzz(func(t *testing.T, name, value, fileField, fileName string, content []byte) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		writeFields(mw, valid())
		mw.WriteField(name, value)
		if fw, err := mw.CreateFormFile(fileField, fileName); err == nil {
			fw.Write(content)
		}
		mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case 201, 400, 401, 409, 413, 415, 429:
		default:
			t.Fatalf("status %d for %q=%q file %q %q", resp.StatusCode, name, value, fileField, fileName)
		}
	})
}

func jsonDecode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }

func newMultipart(body *bytes.Buffer, form map[string]string) string {
	mw := multipart.NewWriter(body)
	writeFields(mw, form)
	mw.Close()
	return mw.FormDataContentType()
}

// writeFields writes a form as the task page does: branch and code first,
// then the other fields (in name order, so runs are repeatable).
func writeFields(mw *multipart.Writer, form map[string]string) {
	for _, k := range []string{"branch", "code"} {
		if v, ok := form[k]; ok {
			mw.WriteField(k, v)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(form)) {
		if k != "branch" && k != "code" {
			mw.WriteField(k, form[k])
		}
	}
}
