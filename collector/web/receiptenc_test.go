package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/jsonstr"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// encodeJSON is what writeJSON writes for v.
func encodeJSON(t testing.TB, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sampleReceipt() receiptJSON {
	return receiptJSON{
		Receipt: collector.Receipt{
			ID: "01KBG8Z3J9X7Q2M4", Task: "2026-dangfei", Period: "2026-Q4", Branch: "yi", Version: 3,
			Received: time.Date(2026, 12, 2, 22, 15, 7, 123456000, time.FixedZone("CST", 8*3600)),
			Late:     true, SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
			Ledger: &ledger.Proof{Index: 41, Head: "dangwu.example/ledger\n42\nabc+/=\n\n— dangwu.example/ledger sig==\n",
				Proof: []string{"q0b+1Vk=", "AAAA"}},
		},
		TaskTitle: "党费收缴 <情况> & “统计”", BranchName: "第一党支部", URL: "/api/receipts/01KBG8Z3J9X7Q2M4",
		Values: []storedValue{{Name: "count", Label: "人数", Value: "12"}, {Name: "note", Label: "说明", Value: "第一行\n第二行\t\"引号\" \\ \u2028 \u2029 \x01 \x7f \xff"}},
	}
}

// TestReceiptEncoderMatchesJSON holds appendReceipt to encoding/json's
// bytes: a receipt a branch keeps and dangwu verify reads must not change
// with the encoder.
func TestReceiptEncoderMatchesJSON(t *testing.T) {
	full := sampleReceipt()
	noLedger := sampleReceipt()
	noLedger.Ledger, noLedger.Values = nil, []storedValue{}
	reviewed := sampleReceipt()
	reviewed.Review = &collector.Review{Action: collector.ActionReturn, Comment: "请补充<附件>", Admin: "admin",
		At: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
	reviewed.Ledger.Proof = nil
	reviewed.Received = time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", -(3*3600+30*60)))
	for name, r := range map[string]receiptJSON{"full": full, "no ledger, empty values": noLedger, "reviewed, nil proof": reviewed, "zero": {}} {
		got, ok := appendReceipt(nil, &r)
		if !ok {
			t.Fatalf("%s: encoder refused", name)
		}
		if want := encodeJSON(t, r); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	odd := sampleReceipt()
	odd.Received = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, ok := appendReceipt(nil, &odd); ok {
		t.Error("a year past 9999 was encoded; encoding/json refuses it")
	}
}

// FuzzReceiptEncoder: any strings and times encode as encoding/json does.
func FuzzReceiptEncoder(f *testing.F) {
	f.Add("yi", "党费 <b>&amp;</b>", "\u2028\x00\"\\\xff", int64(1764713707123456789), 480, true)
	f.Add("", "", "", int64(0), 0, false)
	f.Fuzz(func(t *testing.T, a, b, c string, unixNano int64, offMinutes int, late bool) {
		r := sampleReceipt()
		r.ID, r.Branch, r.TaskTitle = a, b, c
		r.Late = late
		r.Received = time.Unix(0, unixNano).In(time.FixedZone("", (offMinutes%(24*60))*60))
		r.Ledger.Head = c + a
		r.Ledger.Proof = []string{b, c}
		r.Values = append(r.Values, storedValue{Name: a, Label: b, Value: c})
		r.Review = &collector.Review{Action: collector.ReviewAction(a), Comment: c, Admin: b, At: r.Received}
		got, ok := appendReceipt(nil, &r)
		// Values quoted ahead (from the ledger record) are copied, the same.
		quoted := r
		quoted.Values = slices.Clone(r.Values)
		for i := range quoted.Values {
			quoted.Values[i].quoted = jsonstr.Append(nil, quoted.Values[i].Value)
		}
		if again, _ := appendReceipt(nil, &quoted); !bytes.Equal(again, got) {
			t.Fatalf("quoted values encode otherwise:\n got %s\nwant %s", again, got)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(true)
		err := enc.Encode(r)
		if !ok {
			return // the caller falls back to encoding/json
		}
		if err != nil {
			t.Fatalf("encoded what encoding/json refuses (%v): %s", err, got)
		}
		if !bytes.Equal(got, buf.Bytes()) {
			t.Fatalf("\n got %s\nwant %s", got, buf.Bytes())
		}
	})
}

func BenchmarkReceiptEncoder(b *testing.B) {
	r := sampleReceipt()
	r.Ledger.Proof = make([]string, 16)
	for i := range r.Ledger.Proof {
		r.Ledger.Proof[i] = "q0b+1VkAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	}
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			encodeJSON(b, r)
		}
	})
	b.Run("append", func(b *testing.B) {
		buf := make([]byte, 0, 4096)
		for b.Loop() {
			buf, _ = appendReceipt(buf[:0], &r)
		}
	})
}

// TestReceiptContentLength: a JSON receipt says its length, however long
// (the ledger's proof and a long text take it past the 2 KB net/http
// counts by itself), and is not sent chunked (issue 11).
func TestReceiptContentLength(t *testing.T) {
	e := newEnv(t, 0)
	r := &receiptJSON{Receipt: collector.Receipt{ID: "r1", Task: "open", Branch: "yi", Version: 1, Received: time.Date(2026, 12, 3, 6, 0, 0, 0, cst)},
		Values: []storedValue{{Name: "summary", Label: "总结正文", Value: strings.Repeat("全年工作开展情况和主要成效。", 100)}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		e.h.writeReceipt(w, http.StatusCreated, r)
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(body) < 4096 || resp.ContentLength != int64(len(body)) || len(resp.TransferEncoding) != 0 {
		t.Errorf("receipt of %d bytes sent with Content-Length %d, Transfer-Encoding %v", len(body), resp.ContentLength, resp.TransferEncoding)
	}
}
