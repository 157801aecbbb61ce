package web

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestAttacks posts hostile input at the collector and checks the answer and
// that nothing unexpected was stored or echoed unescaped (issue 6).
func TestAttacks(t *testing.T) {
	script := `"><script>alert(document.cookie)</script>`
	tests := []struct {
		name    string
		form    map[string]string
		file    *filePart
		raw     func(e *env) *http.Request
		want    int
		stored  bool
		checkFn func(t *testing.T, e *env, body string)
	}{
		{name: "script in every text field", form: with(valid(), "summary", script, "rating", script), want: 400,
			checkFn: func(t *testing.T, e *env, body string) {
				if strings.Contains(body, "<script>") {
					t.Error("script echoed unescaped")
				}
			}},
		{name: "script in the file name", form: valid(), file: &filePart{"file", script + ".pdf", "%PDF-1.4"}, want: 201, stored: true,
			checkFn: func(t *testing.T, e *env, body string) {
				if strings.Contains(body, "<script>") {
					t.Error("script in JSON unescaped")
				}
			}},
		{name: "path traversal in the file name", form: valid(), file: &filePart{"file", "../../../../tmp/evil.pdf", "%PDF-1.4 evil"}, want: 201, stored: true,
			checkFn: func(t *testing.T, e *env, _ string) {
				if _, err := os.Stat("/tmp/evil.pdf"); err == nil {
					t.Error("a file was written outside the uploads folder")
				}
				vs, _ := e.db.Versions(context.Background(), "open")
				if len(vs) != 1 || len(vs[0].Files) != 1 || vs[0].Files[0].Name != "evil.pdf" {
					t.Errorf("stored file name: %+v", vs)
				}
			}},
		{name: "windows path in the file name", form: valid(), file: &filePart{"file", `C:\..\..\evil.pdf`, "%PDF-1.4"}, want: 201, stored: true},
		{name: "executable renamed to pdf", form: valid(), file: &filePart{"file", "a.pdf", "MZ\x90\x00\x03\x00\x00\x00"}, want: 415},
		{name: "html renamed to pdf", form: valid(), file: &filePart{"file", "a.pdf", "<html><script>alert(1)</script>"}, want: 415},
		{name: "forged origin", form: valid(), want: 403, raw: func(e *env) *http.Request {
			r := multipartRequest(e, valid())
			r.Header.Set("Origin", "http://evil.example")
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			return r
		}},
		{name: "truncated multipart", want: 400, raw: func(e *env) *http.Request {
			var b bytes.Buffer
			b.WriteString("--XYZ\r\nContent-Disposition: form-data; name=\"branch\"\r\n\r\nyi\r\n--XYZ\r\nContent-Disposition: form-data; name=\"summary\"\r\n\r\n半截")
			r, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", &b)
			r.Header.Set("Content-Type", "multipart/form-data; boundary=XYZ")
			return r
		}},
		{name: "multipart without boundary", want: 400, raw: func(e *env) *http.Request {
			r, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", strings.NewReader("x"))
			r.Header.Set("Content-Type", "multipart/form-data")
			return r
		}},
		{name: "plain text body", want: 415, raw: func(e *env) *http.Request {
			r, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", strings.NewReader("branch=yi"))
			r.Header.Set("Content-Type", "text/plain")
			return r
		}},
		{name: "task id with a path", form: valid(), want: 404, raw: func(e *env) *http.Request {
			r := multipartRequest(e, valid())
			r.URL.Path = "/api/tasks/..%2f..%2fetc/submissions"
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, 0)
			var resp *http.Response
			if tt.raw != nil {
				r := tt.raw(e)
				r.Header.Set("Accept", "application/json")
				var err error
				if resp, err = http.DefaultClient.Do(r); err != nil {
					t.Fatal(err)
				}
			} else {
				resp = e.post(t, "open", tt.form, tt.file, asJSON)
			}
			body := readBody(t, resp)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.want, body)
			}
			sums, _ := e.db.Summaries(context.Background())
			if (len(sums) > 0) != tt.stored {
				t.Errorf("stored %v, want %v", len(sums) > 0, tt.stored)
			}
			if tt.checkFn != nil {
				tt.checkFn(t, e, body)
			}
		})
	}
}

func multipartRequest(e *env, form map[string]string) *http.Request {
	var body bytes.Buffer
	w := newMultipart(&body, form)
	r, _ := http.NewRequest("POST", e.srv.URL+"/api/tasks/open/submissions", &body)
	r.Header.Set("Content-Type", w)
	return r
}

// TestBruteForceCodes tries many codes from one address against two
// branches: after three failures for a branch the address waits for that
// branch (issue 10; it was five for both, and for everyone).
func TestBruteForceCodes(t *testing.T) {
	e := newEnv(t, 0)
	codes := map[int]int{}
	for i := 0; i < 12; i++ {
		branch := []string{"yi", "er"}[i%2]
		resp := e.post(t, "open", with(valid(), "branch", branch, "code", "guess-"+branch), nil, asJSON)
		readBody(t, resp)
		codes[resp.StatusCode]++
	}
	if codes[401] != 6 || codes[429] != 6 {
		t.Errorf("answers %v, want three 401 per branch, then 429", codes)
	}
}
