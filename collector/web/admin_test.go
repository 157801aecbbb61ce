package web

import (
	"context"
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
	if code, _ := postForm(t, c, e.srv.URL+"/admin/submissions/"+rec.ID+"/review", url.Values{"action": {"return"}, "csrf": {csrf}}); code != 400 {
		t.Errorf("return without a comment: %d, want 400", code)
	}
	code, page = postForm(t, c, e.srv.URL+"/admin/submissions/"+rec.ID+"/review", url.Values{"action": {"return"}, "comment": {"请补充<b>附件</b>"}, "csrf": {csrf}})
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
	code, page := postForm(t, c, e.srv.URL+"/admin/opinions/"+strconv.FormatInt(id, 10), url.Values{"status": {"published"}, "reply": {"已增设窗口。"}, "csrf": {csrf}})
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
