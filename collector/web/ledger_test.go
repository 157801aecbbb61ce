package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dangwu-org/dangwu/collector/ledger"
)

// TestLedgerReceipt: the JSON receipt carries its ledger index, the signed
// head and the record proof; the HTML receipt shows the index and head and
// offers the receipt as a file; /api/ledger/head answers the newest head;
// the downloaded file passes verify --receipt (issue 9, items 3 and 4).
func TestLedgerReceipt(t *testing.T) {
	e := newEnv(t, 0)
	resp := e.post(t, "open", valid(), nil, asJSON)
	var rec receiptJSON
	if err := json.NewDecoder(resp.Body).Decode(&rec); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 || rec.Ledger == nil {
		t.Fatalf("status %d, ledger %+v", resp.StatusCode, rec.Ledger)
	}
	// Three secrets were set before (two codes, one admin): the submission is record 3 of 4.
	if rec.Ledger.Index != 3 || !strings.HasPrefix(rec.Ledger.Head, "dangwu ledger v1\n4\n") || len(rec.Ledger.Proof) != 2 {
		t.Errorf("ledger proof: %+v", rec.Ledger)
	}
	head, _ := http.Get(e.srv.URL + "/api/ledger/head")
	if body := readBody(t, head); head.StatusCode != 200 || body != rec.Ledger.Head {
		t.Errorf("/api/ledger/head: %d %q, want the receipt's head %q", head.StatusCode, body, rec.Ledger.Head)
	}
	page, _ := http.Get(e.srv.URL + rec.URL)
	html := readBody(t, page)
	for _, want := range []string{"账本证明", "第 3 条", "dangwu ledger v1", `href="/api/receipts/` + rec.ID + `?download=1" download`, "下载回执文件"} {
		if !strings.Contains(html, want) {
			t.Errorf("receipt page lacks %q", want)
		}
	}
	dl, _ := http.Get(e.srv.URL + rec.URL + "?download=1")
	kept := readBody(t, dl)
	if cd := dl.Header.Get("Content-Disposition"); cd != `attachment; filename="receipt-`+rec.ID+`.json"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	// A later submission does not invalidate the kept receipt.
	readBody(t, e.post(t, "open", with(valid(), "summary", "第二版"), nil, asJSON))
	rep, err := e.db.Verify(context.Background(), ledger.Options{Receipts: []ledger.Witness{{Name: "receipt.json", Data: []byte(kept)}}})
	if err != nil || rep.Receipts != 1 || rep.Records != 5 {
		t.Errorf("verify the kept receipt: %+v %v", rep, err)
	}
}
