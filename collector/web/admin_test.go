package web

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/generator/site"
)

func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func getPage(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, readBody(t, resp)
}

func postForm(t *testing.T, c *http.Client, u string, v url.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, readBody(t, resp)
}

// TestAdminReviewFlow logs in, sees the overview, returns a submission with
// a comment, sees it on the receipt, and checks CSRF and login refusals.
func TestAdminReviewFlow(t *testing.T) {
	e := newEnv(t, 0)
	resp := e.post(t, "open", with(valid(), "summary", `<script>alert("x")</script>总结`), nil, asJSON)
	var rec receiptJSON
	decodeJSON(t, resp, &rec)
	c := browser()

	if code, body := getPage(t, c, e.srv.URL+"/admin/"); code != 200 || !strings.Contains(body, "管理员登录") {
		t.Fatalf("overview without a session: %d, want the login page", code)
	}
	if code, body := postForm(t, c, e.srv.URL+"/admin/login", url.Values{"name": {"admin"}, "password": {"wrong"}}); code != 401 || !strings.Contains(body, "用户名或密码不正确") {
		t.Fatalf("wrong password: %d", code)
	}
	resp, err := c.PostForm(e.srv.URL+"/admin/login", url.Values{"name": {"admin"}, "password": {"admin-password"}})
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(body, "报送总览") || !strings.Contains(body, "已提交") || !strings.Contains(body, `<select name="status">`) {
		t.Fatalf("after login: %d\n%s", resp.StatusCode, body)
	}
	u, _ := url.Parse(e.srv.URL + "/admin/")
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == sessionCookie && len(ck.Value) != 64 {
			t.Errorf("session token %q", ck.Value)
		}
	}
	csrf := csrfRE.FindStringSubmatch(body)[1]

	code, page := getPage(t, c, e.srv.URL+"/admin/submissions/"+rec.ID)
	if code != 200 || strings.Contains(page, `<script>alert("x")`) || !strings.Contains(page, "&lt;script&gt;") {
		t.Fatalf("submission page: %d, typed script must be escaped\n%s", code, page)
	}
	if code, _ := postForm(t, c, e.srv.URL+"/admin/submissions/"+rec.ID+"/review", url.Values{"action": {"approve"}}); code != 403 {
		t.Errorf("review without CSRF token: %d, want 403", code)
	}
	if !strings.Contains(page, `class="approve"`) || !strings.Contains(page, `class="return"`) || !strings.Contains(page, `name="comment" maxlength="1000" required`) {
		t.Errorf("submission page: approve and return are not two distinct forms with a required return comment\n%s", page)
	}
	if code, page := postForm(t, c, e.srv.URL+"/admin/submissions/"+rec.ID+"/review", url.Values{"action": {"return"}, "csrf": {csrf}, "confirm": {"1"}}); code != 400 || !strings.Contains(page, "退回时请填写修改意见") || !strings.Contains(page, `class="return"`) {
		t.Errorf("return without a comment: %d, want 400 on the submission page itself\n%s", code, page)
	}
	// The first post asks for confirmation and records nothing.
	code, page = postForm(t, c, e.srv.URL+"/admin/submissions/"+rec.ID+"/review", url.Values{"action": {"return"}, "comment": {"请补充<b>附件</b>"}, "csrf": {csrf}})
	if code != 200 || !strings.Contains(page, "确认退回修改") || !strings.Contains(page, `name="confirm" value="1"`) || !strings.Contains(page, "请补充&lt;b&gt;附件&lt;/b&gt;") {
		t.Fatalf("confirmation: %d\n%s", code, page)
	}
	if sums, _ := e.db.Summaries(context.Background()); sums[0].Review != nil {
		t.Fatalf("a review was recorded before it was confirmed")
	}
	code, page = postForm(t, c, e.srv.URL+"/admin/submissions/"+rec.ID+"/review", url.Values{"action": {"return"}, "comment": {"请补充<b>附件</b>"}, "csrf": {csrf}, "confirm": {"1"}})
	if code != 200 || !strings.Contains(page, "退回修改") || !strings.Contains(page, "请补充&lt;b&gt;附件&lt;/b&gt;") {
		t.Fatalf("after return: %d\n%s", code, page)
	}
	_, receipt := getPage(t, http.DefaultClient, e.srv.URL+"/api/receipts/"+rec.ID)
	if !strings.Contains(receipt, "退回修改") || !strings.Contains(receipt, "请补充&lt;b&gt;附件&lt;/b&gt;") {
		t.Errorf("receipt does not show the return and its comment:\n%s", receipt)
	}
	sums, _ := e.db.Summaries(context.Background())
	if collector.StatusOf(sums[0]) != site.StatusReturned || len(e.keys) != 2 {
		t.Errorf("status %s, changes %v", collector.StatusOf(sums[0]).Label(), e.keys)
	}
	// A foreign page cannot post into the session.
	req, _ := http.NewRequest("POST", e.srv.URL+"/admin/submissions/"+rec.ID+"/review", strings.NewReader(url.Values{"action": {"approve"}, "csrf": {csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, _ = c.Do(req)
	if readBody(t, resp); resp.StatusCode != 403 {
		t.Errorf("cross-site review: %d, want 403", resp.StatusCode)
	}
	if code, _ := postForm(t, c, e.srv.URL+"/admin/logout", url.Values{"csrf": {csrf}}); code != 200 {
		t.Errorf("logout: %d", code)
	}
	if code, body := getPage(t, c, e.srv.URL+"/admin/"); code != 200 || !strings.Contains(body, "管理员登录") {
		t.Errorf("after logout the overview is still open")
	}
}

func TestOpinions(t *testing.T) {
	e := newEnv(t, 0)
	post := func(v url.Values) (int, string) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/opinions", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, readBody(t, resp)
	}
	tests := []struct {
		name string
		form url.Values
		want int
	}{
		{"honeypot", url.Values{"content": {"建议"}, "website": {"http://spam"}}, 400},
		{"too fast", url.Values{"content": {"建议"}, "elapsed": {"800"}}, 400},
		{"empty", url.Values{"content": {"  "}}, 400},
		{"too long", url.Values{"content": {strings.Repeat("长", 2001)}}, 400},
		{"accepted", url.Values{"content": {"窗口办事要排很久，电话13812345678。"}, "name": {"王先生"}, "contact": {"wang@example.com"}, "elapsed": {"9000"}}, 201},
	}
	for _, tt := range tests {
		if code, body := post(tt.form); code != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, code, body, tt.want)
		}
	}
	for i := 0; i < 4; i++ {
		post(url.Values{"content": {"再提一条"}})
	}
	if code, _ := post(url.Values{"content": {"第六条"}}); code != 429 {
		t.Errorf("sixth opinion within the hour: %d, want 429", code)
	}
	ops, _ := e.db.Opinions(context.Background(), collector.OpinionPending)
	if len(ops) != 5 {
		t.Fatalf("%d pending opinions, want 5", len(ops))
	}
	c := browser()
	resp, _ := c.PostForm(e.srv.URL+"/admin/login", url.Values{"name": {"admin"}, "password": {"admin-password"}})
	csrf := csrfRE.FindStringSubmatch(readBody(t, resp))[1]
	id := ops[len(ops)-1].ID
	// Publishing without a reply stays on the page with the message.
	code, page := postForm(t, c, e.srv.URL+"/admin/opinions/"+strconv.FormatInt(id, 10), url.Values{"status": {"published"}, "reply": {" "}, "csrf": {csrf}})
	if code != 400 || !strings.Contains(page, "公开意见时请填写答复") || !strings.Contains(page, `action="/admin/opinions/`+strconv.FormatInt(id, 10)+`"`) {
		t.Errorf("publish without a reply: %d, want 400 on the opinions page\n%s", code, page)
	}
	code, page = postForm(t, c, e.srv.URL+"/admin/opinions/"+strconv.FormatInt(id, 10), url.Values{"status": {"published"}, "reply": {"已增设窗口。"}, "csrf": {csrf}})
	if code != 200 || !strings.Contains(page, "已公开") {
		t.Fatalf("publish: %d", code)
	}
	pub, _ := e.db.Opinions(context.Background(), collector.OpinionPublished)
	if len(pub) != 1 || pub[0].Reply != "已增设窗口。" {
		t.Errorf("published %+v", pub)
	}
}

func decodeJSON(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if err := jsonDecode(resp, v); err != nil {
		t.Fatal(err)
	}
}

// TestAdminDownloadsAndOldVersion: from /admin/ a task's versions download
// as CSV (BOM) and JSON ending with the ledger head, its files of a period
// as a ZIP with a list; reviewing an older version warns and links the newest.
func TestAdminDownloadsAndOldVersion(t *testing.T) {
	e := newEnv(t, 0)
	var first, second receiptJSON
	decodeJSON(t, e.post(t, "open", valid(), nil, asJSON), &first)
	decodeJSON(t, e.post(t, "open", with(valid(), "fee", "1234.10"), &filePart{"file", "总结.pdf", "%PDF-1.4 test"}, asJSON), &second)
	c := browser()
	resp, _ := c.PostForm(e.srv.URL+"/admin/login", url.Values{"name": {"admin"}, "password": {"admin-password"}})
	readBody(t, resp)

	_, page := getPage(t, c, e.srv.URL+"/admin/submissions/"+first.ID)
	if !strings.Contains(page, "这不是最新版本") || !strings.Contains(page, "/admin/submissions/"+second.ID) {
		t.Errorf("old version without a warning:\n%s", page)
	}
	_, page = getPage(t, c, e.srv.URL+"/admin/submissions/"+second.ID)
	if strings.Contains(page, "这不是最新版本") {
		t.Errorf("the newest version is flagged as old")
	}
	_, page = getPage(t, c, e.srv.URL+"/admin/tasks/open")
	for _, link := range []string{"/admin/tasks/open/export.csv", "/admin/tasks/open/export.json", "/admin/tasks/open/files.zip"} {
		if !strings.Contains(page, link) {
			t.Errorf("task page has no link %s", link)
		}
	}
	head, _ := e.db.LedgerHead(context.Background())
	resp, _ = c.Get(e.srv.URL + "/admin/tasks/open/export.csv")
	csv := readBody(t, resp)
	if !strings.HasPrefix(csv, "\ufeff回执编号") || !strings.Contains(csv, second.ID) || !strings.Contains(csv, "1234.10") || !strings.HasSuffix(csv, strings.ReplaceAll(string(head), `"`, `""`)+"\"\r\n") {
		t.Errorf("CSV export:\n%s", csv)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("CSV Content-Disposition %q", cd)
	}
	resp, _ = c.Get(e.srv.URL + "/admin/tasks/open/export.json")
	var exp struct {
		Versions   []collector.Version
		LedgerHead string
	}
	decodeJSON(t, resp, &exp)
	if len(exp.Versions) != 2 || exp.LedgerHead != string(head) {
		t.Errorf("JSON export: %d versions, head %q", len(exp.Versions), exp.LedgerHead)
	}
	resp, _ = c.Get(e.srv.URL + "/admin/tasks/open/files.zip")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("ZIP: %v (%d bytes, %s)", err, len(b), resp.Header.Get("Content-Type"))
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if strings.HasSuffix(f.Name, ".pdf") {
			r, _ := f.Open()
			content, _ := io.ReadAll(r)
			if string(content) != "%PDF-1.4 test" {
				t.Errorf("%s holds %q", f.Name, content)
			}
		}
	}
	if want := "第一党支部/第2版-附件-总结.pdf 清单.csv"; strings.Join(names, " ") != want {
		t.Errorf("ZIP entries %q, want %q", names, want)
	}
	if code, _ := getPage(t, c, e.srv.URL+"/admin/tasks/open/files.zip?period=bad"); code != 400 {
		t.Errorf("ZIP of a malformed period: %d, want 400", code)
	}
	if code, _ := getPage(t, browser(), e.srv.URL+"/admin/tasks/open/export.csv"); code != 200 {
		t.Errorf("export without a session: %d (the login page, 200)", code)
	} else if _, body := getPage(t, browser(), e.srv.URL+"/admin/tasks/open/export.csv"); strings.Contains(body, second.ID) {
		t.Errorf("export without a session leaks the data")
	}
}

// TestOpinionRef: a citizen gets a reference number and can look the
// opinion up: its status while pending (nothing of its text), its masked
// text and the reply once published; an unknown number is a 404.
func TestOpinionRef(t *testing.T) {
	e := newEnv(t, 0)
	form := url.Values{"content": {"窗口办事要排很久，电话13812345678。"}, "name": {"王先生"}, "elapsed": {"9000"}}
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/opinions", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ := http.DefaultClient.Do(req)
	page := readBody(t, resp)
	m := regexp.MustCompile(`YJ20261128-[2-9A-HJKMNP-Z]{8}`).FindString(page)
	if resp.StatusCode != 201 || m == "" || !strings.Contains(page, "/api/opinions/"+m) {
		t.Fatalf("thanks page: %d, no reference number\n%s", resp.StatusCode, page)
	}
	code, body := getPage(t, http.DefaultClient, e.srv.URL+"/api/opinions/"+m)
	if code != 200 || !strings.Contains(body, "待审核") || strings.Contains(body, "窗口办事") {
		t.Errorf("pending lookup: %d\n%s", code, body)
	}
	// Typed as people type it: lower case, spaces, full-width.
	code, body = getPage(t, http.DefaultClient, e.srv.URL+"/api/opinions/lookup?ref="+url.QueryEscape(" "+strings.ToLower(m[:6])+"　"+m[6:]))
	if code != 200 || !strings.Contains(body, "待审核") {
		t.Errorf("lookup form: %d\n%s", code, body)
	}
	ops, _ := e.db.Opinions(context.Background(), "")
	if len(ops) != 1 || ops[0].Ref != m {
		t.Fatalf("stored %+v", ops)
	}
	e.db.Moderate(context.Background(), ops[0].ID, collector.OpinionPublished, "已增设窗口，联系 zhang@example.com。", "admin")
	code, body = getPage(t, http.DefaultClient, e.srv.URL+"/api/opinions/"+m)
	if code != 200 || !strings.Contains(body, "已公开并答复") || !strings.Contains(body, "138****5678") || strings.Contains(body, "13812345678") || !strings.Contains(body, "z***@example.com") {
		t.Errorf("published lookup: %d\n%s", code, body)
	}
	req, _ = http.NewRequest("GET", e.srv.URL+"/api/opinions/"+m, nil)
	req.Header.Set("Accept", "application/json")
	resp, _ = http.DefaultClient.Do(req)
	if body := readBody(t, resp); !strings.Contains(body, `"status":"published"`) || !strings.Contains(body, `"reply":"已增设窗口，联系 z***@example.com。"`) {
		t.Errorf("JSON lookup: %s", body)
	}
	if code, _ := getPage(t, http.DefaultClient, e.srv.URL+"/api/opinions/YJ20261128-AAAAAAAA"); code != 404 {
		t.Errorf("unknown reference: %d, want 404", code)
	}
	if code, _ := getPage(t, http.DefaultClient, e.srv.URL+"/api/opinions/1"); code != 404 {
		t.Errorf("lookup by the sequential id: %d, want 404", code)
	}
}
