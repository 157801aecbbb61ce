//go:build faults

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/files"
	"github.com/dangwu-org/dangwu/collector/ledger"
	"github.com/dangwu-org/dangwu/collector/sqlite"
	"github.com/dangwu-org/dangwu/generator/site"
)

// TestDiskFull runs the collector on a 4 MiB filesystem (tmpfs; needs root,
// run with -tags faults as CI does) and fills it with uploads: the answer
// must turn to 503 with Retry-After, never an acknowledgement that was not
// stored; every acknowledged submission must stay readable and verify; and
// once space returns, submissions are accepted again (issue 6). /healthz says
// 200 before, 503 "disk_full" while full and 200 again after (issue 10).
func TestDiskFull(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount a 4 MiB tmpfs (this test needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	// A filler to delete later, so space can come back.
	if err := os.WriteFile(filepath.Join(dir, "filler"), make([]byte, 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(dir, "dangwu.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fs, err := files.Open(filepath.Join(dir, "uploads"))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := collector.HashSecret("code-yi", 1000)
	db.SetBranchCode(context.Background(), "yi", h)
	s := testSite()
	for i := range s.Tasks[0].Fields {
		if s.Tasks[0].Fields[i].Type == site.FieldFile {
			s.Tasks[0].Fields[i].Max = 1 << 20
		}
	}
	handler, err := New(Options{Site: func() *site.Site { return s }, Store: db, Files: fs})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	defer srv.Close()
	health := func() (int, string) {
		handler.health.mu.Lock()
		handler.health.at = time.Time{}
		handler.health.mu.Unlock()
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	if code, body := health(); code != 200 {
		t.Fatalf("healthz before the disk filled: %d %s", code, body)
	}

	post := func(i int) (int, string, http.Header) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		writeFields(mw, valid())
		fw, _ := mw.CreateFormFile("file", "a.pdf")
		fmt.Fprintf(fw, "%%PDF-1.4 %d ", i)
		fw.Write(bytes.Repeat([]byte{byte(i)}, 300<<10))
		mw.Close()
		req, _ := http.NewRequest("POST", srv.URL+"/api/tasks/open/submissions", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b), resp.Header
	}
	var acked []string
	full := false
	for i := 0; i < 40 && !full; i++ {
		code, body, hdr := post(i)
		switch code {
		case http.StatusCreated:
			var r struct{ ID string }
			json.Unmarshal([]byte(body), &r)
			acked = append(acked, r.ID)
		case http.StatusServiceUnavailable:
			full = true
			if hdr.Get("Retry-After") == "" || !strings.Contains(body, "暂时无法保存") {
				t.Errorf("503 without Retry-After or message: %v %s", hdr, body)
			}
		default:
			t.Fatalf("submission %d: %d %s", i, code, body)
		}
	}
	if !full || len(acked) == 0 {
		t.Fatalf("the disk never filled (%d acknowledged)", len(acked))
	}
	// A few more refusals while full: still 503, nothing acknowledged.
	for i := 100; i < 103; i++ {
		if code, body, _ := post(i); code != http.StatusServiceUnavailable {
			t.Errorf("while full: %d %s", code, body)
		}
	}
	code, hbody := health()
	t.Logf("healthz while full: %d %s", code, hbody)
	if code != 503 || !strings.Contains(hbody, `"reason":"disk_full"`) {
		t.Errorf("healthz while full: %d %s", code, hbody)
	}
	for _, id := range acked {
		if _, err := db.Receipt(context.Background(), id); err != nil {
			t.Errorf("acknowledged %s lost: %v", id, err)
		}
	}
	os.Remove(filepath.Join(dir, "filler"))
	time.Sleep(10 * time.Millisecond)
	if code, body := health(); code != 200 {
		t.Errorf("healthz after space returned: %d %s", code, body)
	}
	if code, body, _ := post(200); code != http.StatusCreated {
		t.Fatalf("after space returned: %d %s", code, body)
	}
	if _, err := db.Verify(context.Background(), ledger.Options{Files: fs}); err != nil {
		t.Fatalf("verify after the disk was full: %v", err)
	}
	t.Logf("%d acknowledged before the disk filled; refused with 503 while full; accepted again after", len(acked))
}
