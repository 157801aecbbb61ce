package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
)

// from returns a client whose connections come from the local address ip
// (any of 127.0.0.0/8 works on Linux's loopback).
func from(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{
		Transport:     &http.Transport{DialContext: d.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// postFrom sends a submission with the client c and extra headers; it
// returns the status and the body.
func (e *env) postFrom(t *testing.T, c *http.Client, form map[string]string, hdr map[string]string) (int, string) {
	t.Helper()
	var body bytes.Buffer
	ct := newMultipart(&body, form)
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", &body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Accept", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b)
}

// TestLockoutIsPerAddress: five wrong codes for branch yi from 127.0.0.2
// do not lock yi out for 127.0.0.1, whose right code is accepted; 127.0.0.2
// itself waits. Every refusal is in the audit table with its address
// (issue 10).
func TestLockoutIsPerAddress(t *testing.T) {
	e := newEnv(t, 0)
	attacker, branch := from("127.0.0.2"), from("127.0.0.1")
	var got []int
	for range 5 {
		code, _ := e.postFrom(t, attacker, with(valid(), "code", "guess"), nil)
		got = append(got, code)
	}
	code, body := e.postFrom(t, branch, valid(), nil)
	if code != http.StatusCreated {
		t.Fatalf("right code from 127.0.0.1 after 5 wrong from 127.0.0.2: %d %s", code, body)
	}
	again, _ := e.postFrom(t, attacker, valid(), nil)
	t.Logf("127.0.0.2 wrong codes: %v; 127.0.0.1 right code: %d; 127.0.0.2 right code during its back-off: %d", got, code, again)
	if want := []int{401, 401, 401, 429, 429}; !slices.Equal(got, want) {
		t.Errorf("127.0.0.2 got %v, want %v", got, want)
	}
	if again != http.StatusTooManyRequests {
		t.Errorf("127.0.0.2 in back-off: %d, want 429", again)
	}
	e.h.audit.sync()
	rs, err := e.db.Refusals(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, r := range rs {
		rows = append(rows, fmt.Sprintf("%s %s %s ×%d", r.Kind, r.Subject, r.Client, r.Count))
	}
	t.Logf("audit: %v", rows)
	want := []string{"wrong_code yi 127.0.0.2 ×3", "rate_limited yi 127.0.0.2 ×3"}
	if !slices.Equal(rows, want) {
		t.Errorf("audit rows %v, want %v", rows, want)
	}
}

// TestConcurrentGuesses: 64 wrong guesses at once from one address, against
// a code hashed at the production cost, run at most three slow checks (the
// three free failures); the right code from another address meanwhile is
// accepted (issue 10).
func TestConcurrentGuesses(t *testing.T) {
	e := newEnv(t, 0)
	h, err := collector.HashSecret("code-yi", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetBranchCode(context.Background(), "yi", h); err != nil {
		t.Fatal(err)
	}
	attacker := from("127.0.0.2")
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := time.Now()
	for i := range 64 {
		wg.Go(func() {
			code, _ := e.postFrom(t, attacker, with(valid(), "code", fmt.Sprintf("guess-%d", i)), nil)
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	right, body := e.postFrom(t, from("127.0.0.1"), valid(), nil)
	wg.Wait()
	slow := e.h.SlowChecks()
	t.Logf("64 concurrent wrong guesses: answers %v, %d slow checks (PBKDF2 at %d iterations) in %v; right code from 127.0.0.1 meanwhile: %d",
		codes, slow, collector.SecretIterations, time.Since(start).Round(time.Millisecond), right)
	if right != http.StatusCreated {
		t.Errorf("right code from another address: %d %s", right, body)
	}
	// The right code is one more slow check.
	if slow > 3+1 {
		t.Errorf("%d slow checks, want at most 3 for the guesses and 1 for the right code", slow)
	}
	if codes[401] > 3 || codes[401]+codes[429] != 64 {
		t.Errorf("answers %v, want at most three 401 and the rest 429", codes)
	}
}

// TestCeiling: twenty wrong codes from twenty addresses (behind the trusted
// proxy 127.0.0.1, by X-Forwarded-For) put branch yi under attack: an
// address that failed is refused even after its own back-off, one that has
// not failed still gets in with the right code (issue 10).
func TestCeiling(t *testing.T) {
	e := newEnv(t, 0)
	proxy := from("127.0.0.1")
	via := func(addr string) map[string]string { return map[string]string{"X-Forwarded-For": addr} }
	for i := range 20 {
		if code, body := e.postFrom(t, proxy, with(valid(), "code", "guess"), via(fmt.Sprintf("10.0.0.%d", i))); code != 401 {
			t.Fatalf("guess %d: %d %s", i, code, body)
		}
	}
	e.clock.Add(time.Minute)
	failed, _ := e.postFrom(t, proxy, valid(), via("10.0.0.3"))
	fresh, body := e.postFrom(t, proxy, valid(), via("10.0.9.9"))
	untrusted, _ := e.postFrom(t, from("127.0.0.3"), valid(), via("10.0.9.9"))
	t.Logf("under attack: an address that failed once, right code: %d; a fresh address, right code: %d; 127.0.0.3 (not a trusted proxy) claiming 10.0.9.9: %d", failed, fresh, untrusted)
	if failed != 429 || fresh != 201 || untrusted != 201 {
		t.Errorf("got %d, %d (%s), %d; want 429, 201, 201", failed, fresh, body, untrusted)
	}
	e.clock.Add(15 * time.Minute)
	if after, body := e.postFrom(t, proxy, valid(), via("10.0.0.3")); after != 201 {
		t.Errorf("after the window: %d %s", after, body)
	}
}

// TestAdminLoginLockout: admin logins follow the same policy: five wrong
// passwords for admin from 127.0.0.2, the right one from 127.0.0.1 logs in
// (issue 10).
func TestAdminLoginLockout(t *testing.T) {
	e := newEnv(t, 0)
	login := func(c *http.Client, password string) int {
		resp, err := c.PostForm(e.srv.URL+"/admin/login", url.Values{"name": {"admin"}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	var got []int
	for range 5 {
		got = append(got, login(from("127.0.0.2"), "guess"))
	}
	right := login(from("127.0.0.1"), "admin-password")
	t.Logf("127.0.0.2 wrong passwords: %v; 127.0.0.1 right password: %d", got, right)
	if !slices.Equal(got, []int{401, 401, 401, 429, 429}) || right != http.StatusSeeOther {
		t.Errorf("got %v then %d, want 401 ×3, 429 ×2, then 303", got, right)
	}
	resp, err := from("127.0.0.2").PostForm(e.srv.URL+"/admin/login", url.Values{"name": {"admin"}, "password": {"guess"}})
	if err != nil {
		t.Fatal(err)
	}
	if body := readBody(t, resp); resp.StatusCode != 429 || !strings.Contains(body, "登录失败次数过多") || !strings.Contains(body, `name="password"`) || resp.Header.Get("Retry-After") == "" {
		t.Errorf("429 page: %d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	e.h.audit.sync()
	rs, _ := e.db.Refusals(context.Background(), time.Time{})
	if len(rs) == 0 || rs[0].Kind != collector.RefusedPassword || rs[0].Client != "127.0.0.2" || rs[0].Subject != "admin" {
		t.Errorf("audit: %+v", rs)
	}
}

// TestBranchAndCodeFirst: a body whose first part is not the branch or the
// code is refused before anything is written; a wrong code with a file
// writes no file, and a browser still gets its typed text back (issue 10).
func TestBranchAndCodeFirst(t *testing.T) {
	e := newEnv(t, 0)
	post := func(parts [][2]string, file bool, accept string) (int, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for _, p := range parts {
			if p[0] == "file" {
				fw, _ := mw.CreateFormFile("file", "a.pdf")
				io.WriteString(fw, "%PDF-1.4 "+p[1])
				continue
			}
			mw.WriteField(p[0], p[1])
		}
		mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, readBody(t, resp)
	}
	rest := [][2]string{{"summary", "全年召开支部党员大会4次。"}, {"file", "x"}}
	tests := []struct {
		name   string
		parts  [][2]string
		accept string
		want   int
		body   string
	}{
		{"file first", append([][2]string{{"file", "x"}, {"branch", "yi"}, {"code", "code-yi"}}, rest...), "application/json", 400, "支部和提交码必须在最前面"},
		{"summary before code", append([][2]string{{"branch", "yi"}, {"summary", "x"}, {"code", "code-yi"}}, rest...), "application/json", 400, "支部和提交码必须在最前面"},
		{"no code at all", [][2]string{{"branch", "yi"}}, "application/json", 400, "支部和提交码必须在最前面"},
		{"wrong code with a file", append([][2]string{{"branch", "yi"}, {"code", "guess"}}, rest...), "application/json", 401, "支部或提交码不正确"},
		{"wrong code, browser", append([][2]string{{"code", "guess"}, {"branch", "yi"}}, rest...), "", 401, "全年召开支部党员大会4次。"},
		{"code then branch", append([][2]string{{"code", "code-yi"}, {"branch", "yi"}}, rest...), "application/json", 201, `"version":1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.h.opts.Files.Created()
			code, body := post(tt.parts, true, tt.accept)
			if code != tt.want || !strings.Contains(body, tt.body) {
				t.Fatalf("got %d %s, want %d with %q", code, body, tt.want, tt.body)
			}
			written := e.h.opts.Files.Created() - before
			if want := map[bool]int64{true: 1, false: 0}[code == 201]; written != want {
				t.Errorf("%d temporary files written, want %d", written, want)
			}
		})
	}
}
