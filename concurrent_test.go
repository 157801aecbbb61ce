package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
	"github.com/dangwu-org/dangwu/collector/sqlite"
)

// submitOne posts one report for branch yi and returns the status and receipt.
func submitOne(t *testing.T, base, code, text string) (int, ack) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("branch", "yi")
	mw.WriteField("code", code)
	mw.WriteField("text", text)
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/tasks/baogao/submissions", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, ack{}
	}
	defer resp.Body.Close()
	var a ack
	json.NewDecoder(resp.Body).Decode(&a)
	return resp.StatusCode, a
}

func ledgerSize(t *testing.T, base string) int64 {
	t.Helper()
	resp, err := http.Get(base + "/api/ledger/head")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	h, err := ledger.ParseHead(b)
	if err != nil {
		t.Fatalf("/api/ledger/head: %v: %q", err, b)
	}
	return h.Size
}

// TestCLIWritesWhileCollecting is issue 10's first item: dangwu branch code
// and dangwu admin passwd run against the database of a running collector,
// then 100 submissions all get 201 and the ledger verifies.
func TestCLIWritesWhileCollecting(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	dir, code := collectSite(t)
	p := startCollector(t, dir)
	defer p.stop()
	for i := range 5 {
		if st, _ := submitOne(t, p.base, code, fmt.Sprintf("轮换前第%d份", i)); st != 201 {
			t.Fatalf("before the CLI writes: %d", st)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"branch", "code", "-s", dir, "yi"}, &out, io.Discard); err != nil {
		t.Fatalf("branch code while collecting: %v", err)
	}
	newCode := strings.TrimSpace(strings.Split(out.String(), "\n")[2])
	if err := run(context.Background(), []string{"admin", "passwd", "-s", dir, "admin"}, io.Discard, io.Discard); err != nil {
		t.Fatalf("admin passwd while collecting: %v", err)
	}
	created := 0
	for i := range 100 {
		st, _ := submitOne(t, p.base, newCode, fmt.Sprintf("轮换后第%d份", i))
		if st == 201 {
			created++
		} else {
			t.Errorf("submission %d after the CLI writes: %d", i, st)
		}
	}
	resp, _ := http.Get(p.base + "/healthz")
	resp.Body.Close()
	// 1 code + 5 + 1 code + 1 password + 100.
	if size := ledgerSize(t, p.base); size != 108 || resp.StatusCode != 200 {
		t.Errorf("ledger size %d, want 108; healthz %d", size, resp.StatusCode)
	}
	t.Logf("after branch code and admin passwd beside the running collector: %d of 100 submissions got 201", created)
	p.stop()
	verifyOK(t, dir)
}

// TestTwoCollectorsOneDatabase: a second collect on the same database works
// beside the first: 100 concurrent submissions through both all get 201,
// each sees the other's receipts, and the ledger verifies (issue 10).
func TestTwoCollectorsOneDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	dir, code := collectSite(t)
	a := startCollector(t, dir)
	b := startCollector(t, dir)
	defer a.stop()
	defer b.stop()
	var mu sync.Mutex
	var acks []ack
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for w := range 8 {
		base := []string{a.base, b.base}[w%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 / 8 {
				st, k := submitOne(t, base, code, fmt.Sprintf("收集器%d第%d份", w, i))
				mu.Lock()
				statuses[st]++
				acks = append(acks, k)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for i := range 4 { // 96 so far: four more to make 100
		st, k := submitOne(t, []string{a.base, b.base}[i%2], code, fmt.Sprintf("补足第%d份", i))
		statuses[st]++
		acks = append(acks, k)
	}
	if statuses[201] != 100 {
		t.Errorf("statuses %v, want 100 × 201", statuses)
	}
	checkAcks(t, a.base, acks)
	checkAcks(t, b.base, acks)
	if sa, sb := ledgerSize(t, a.base), ledgerSize(t, b.base); sa != 101 || sb != 101 {
		t.Errorf("ledger sizes %d and %d, want 101", sa, sb)
	}
	t.Logf("two collectors on one database: statuses %v", statuses)
	for _, p := range []*collectorProc{a, b} {
		p.stop()
	}
	verifyOK(t, dir)
}

// TestVerifyUnderLoad runs dangwu verify, with the collector's published
// head as a witness, again and again while 32 clients submit: one read
// transaction per run, so not one false alarm (issue 9 item 5, issue 10).
func TestVerifyUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	dir, code := collectSite(t)
	p := startCollector(t, dir)
	defer p.stop()
	runs, failed := 0, 0
	acks := load(p.base, code, 0, func() {
		for range 10 {
			resp, err := http.Get(p.base + "/api/ledger/head")
			if err != nil {
				t.Fatal(err)
			}
			head, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			headFile := filepath.Join(t.TempDir(), "head.txt")
			os.WriteFile(headFile, head, 0o600)
			code, out := verifyExit(t, "-s", dir, "--head", headFile)
			runs++
			if code != 0 {
				failed++
				t.Errorf("verify under load: exit %d: %s", code, out)
			}
		}
	})
	t.Logf("verify under load: %d runs, %d failed, %d submissions acknowledged meanwhile", runs, failed, len(acks))
}

// TestExportEndsWithHead: CSV and JSON exports end with the signed head
// they were made at (issue 9 item 3).
func TestExportEndsWithHead(t *testing.T) {
	dir, _ := collectSite(t)
	db, err := sqlite.Open(filepath.Join(dir, "data", "dangwu.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := db.Submit(context.Background(), &collector.Submission{Task: "baogao", Branch: "yi", Fields: []collector.FieldValue{{Name: "text", Value: fmt.Sprint("报告", i)}}}); err != nil {
			t.Fatal(err)
		}
	}
	head, _ := db.LedgerHead(context.Background())
	db.Close()
	var csvOut, jsonOut bytes.Buffer
	if err := run(context.Background(), []string{"export", "baogao", "-s", dir}, &csvOut, io.Discard); err != nil {
		t.Fatal(err)
	}
	if want := "账本树头,\"" + string(head) + "\"\r\n"; !strings.HasSuffix(csvOut.String(), want) {
		t.Errorf("CSV ends with %q, want %q", csvOut.String()[max(0, csvOut.Len()-300):], want)
	}
	if err := run(context.Background(), []string{"export", "baogao", "--format", "json", "-s", dir}, &jsonOut, io.Discard); err != nil {
		t.Fatal(err)
	}
	var j struct {
		Versions   []json.RawMessage `json:"versions"`
		LedgerHead string            `json:"ledgerHead"`
	}
	if err := json.Unmarshal(jsonOut.Bytes(), &j); err != nil || len(j.Versions) != 2 || j.LedgerHead != string(head) ||
		!strings.HasSuffix(strings.TrimSpace(jsonOut.String()), `"ledgerHead": `+mustJSON(t, string(head))+"\n}") {
		t.Errorf("JSON export: %v %d versions, head %q", err, len(j.Versions), j.LedgerHead)
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCollectRefusesRolledBackDatabase: the output folder keeps the last
// head collect published; started on an older copy of the database, it
// refuses with a message naming the head and the database (issue 9 item 6).
func TestCollectRefusesRolledBackDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	dir, code := collectSite(t)
	dbFile := filepath.Join(dir, "data", "dangwu.db")
	p := startCollector(t, dir)
	p.stop()
	old, err := os.ReadFile(dbFile)
	if err != nil {
		t.Fatal(err)
	}
	p = startCollector(t, dir)
	for i := range 3 {
		if st, _ := submitOne(t, p.base, code, fmt.Sprint("报告", i)); st != 201 {
			t.Fatalf("submit: %d", st)
		}
	}
	head := ledgerSize(t, p.base)
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile(filepath.Join(dir, "public", "ledger", "head.txt"))
		if h, err := ledger.ParseHead(b); err == nil && h.Size == head {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("public/ledger/head.txt never showed the newest head")
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.stop()
	os.Remove(dbFile + "-wal")
	os.Remove(dbFile + "-shm")
	if err := os.WriteFile(dbFile, old, 0o600); err != nil {
		t.Fatal(err)
	}
	bin, _ := binary()
	out, err := exec.Command(bin, "collect", "-s", dir, "--addr", "127.0.0.1:0").CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "输出目录保存的树头") || !strings.Contains(string(out), "账本比你持有的树头短：1 < 4") {
		t.Errorf("collect on a rolled-back database: %v\n%s", err, out)
	}
	t.Logf("collect on a rolled-back database said: %s", strings.TrimSpace(string(out)))
}
