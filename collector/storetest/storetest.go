// Package storetest is the store contract's test suite (collector/store.go),
// written once and run against every store: collector/store's tests run it
// on a real SQLite file in a temporary folder and on a real PostgreSQL
// server started for the test. A store passes when it behaves the same as
// the other, with no special case.
//
// It imports collector, collector/ledger and the standard library's testing.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
	"github.com/dangwu-org/dangwu/collector/throttle"
	"github.com/dangwu-org/dangwu/generator/site"
)

// Target is one store under test.
type Target struct {
	// New makes a fresh, empty database and returns what names it (a file
	// path or a URL) for Open.
	New func(t *testing.T) string
	// Open opens the database db names with the clock now. Two stores
	// opened on one db are two collectors on one database. The suite
	// closes what it opens.
	Open func(t *testing.T, db string, now func() time.Time) (collector.Store, error)
}

// Clock is a fake clock the suite moves by hand. Its times carry
// nanoseconds, so a store that keeps fewer digits must still give back
// exactly what it answered.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var cst = time.FixedZone("CST", 8*3600)

// Run runs the whole suite against tg.
func Run(t *testing.T, tg Target) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s *suite)
	}{
		{"SubmitVersions", testSubmitVersions},
		{"Idempotency", testIdempotency},
		{"ClosedAndLate", testClosedAndLate},
		{"ReceiptNotFound", testReceiptNotFound},
		{"Reviews", testReviews},
		{"SummariesAndExport", testSummariesAndExport},
		{"FieldsReadBack", testFieldsReadBack},
		{"Secrets", testSecrets},
		{"CodeHashAtCommit", testCodeHashAtCommit},
		{"Sessions", testSessions},
		{"Opinions", testOpinions},
		{"Refusals", testRefusals},
		{"LedgerHeads", testLedgerHeads},
		{"FileHashes", testFileHashes},
		{"Health", testHealth},
		{"GroupCommit", testGroupCommit},
		{"ConcurrentRetries", testConcurrentRetries},
		{"VerifyWhileWriting", testVerifyWhileWriting},
		{"TwoStoresOneDatabase", testTwoStores},
		{"Watch", testWatch},
		{"Reopen", testReopen},
		{"LimitsAcrossCollectors", testLimits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &suite{t: t, tg: tg, clock: &Clock{t: time.Date(2026, 11, 28, 10, 0, 0, 123456789, cst)}}
			s.db = tg.New(t)
			s.store = s.open()
			tt.fn(t, s)
		})
	}
}

type suite struct {
	t     *testing.T
	tg    Target
	clock *Clock
	db    string
	store collector.Store
}

// open opens another store on the suite's database.
func (s *suite) open() collector.Store {
	s.t.Helper()
	st, err := s.tg.Open(s.t, s.db, s.clock.Now)
	if err != nil {
		s.t.Fatalf("open %s: %v", s.db, err)
	}
	s.t.Cleanup(func() { st.Close() })
	return st
}

func sub(branch, key, text string) *collector.Submission {
	return &collector.Submission{
		Task: "zongjie", Branch: branch, Key: key,
		Fields:   []collector.FieldValue{{Name: "summary", Value: text}},
		Deadline: time.Date(2026, 12, 20, 17, 0, 0, 0, cst),
	}
}

func mustSubmit(t *testing.T, st collector.Store, s *collector.Submission) collector.Receipt {
	t.Helper()
	r, err := st.Submit(context.Background(), s)
	if err != nil {
		t.Fatalf("submit %+v: %v", s, err)
	}
	return r
}

// verify runs Verify and fails on any problem.
func verify(t *testing.T, st collector.Store) ledger.Report {
	t.Helper()
	rep, err := st.Verify(context.Background(), ledger.Options{})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return rep
}

func testSubmitVersions(t *testing.T, s *suite) {
	ctx := context.Background()
	r1 := mustSubmit(t, s.store, sub("yi", "", "第一版"))
	s.clock.Add(time.Minute)
	r2 := mustSubmit(t, s.store, sub("yi", "", "第二版"))
	r3 := mustSubmit(t, s.store, sub("er", "", "二支部"))
	if r1.Version != 1 || r2.Version != 2 || r3.Version != 1 {
		t.Errorf("versions %d %d %d, want 1 2 1", r1.Version, r2.Version, r3.Version)
	}
	if r1.ID == r2.ID || len(r1.ID) < 20 {
		t.Errorf("receipt ids %q %q", r1.ID, r2.ID)
	}
	if r1.SHA256 != sub("yi", "", "第一版").ContentHash() || r1.Late || r1.Task != "zongjie" || r1.Branch != "yi" {
		t.Errorf("receipt %+v", r1)
	}
	if r1.Ledger == nil || r1.Ledger.Index != 0 || r2.Ledger == nil || r2.Ledger.Index != 1 {
		t.Fatalf("ledger proofs %+v %+v", r1.Ledger, r2.Ledger)
	}
	got, err := s.store.Receipt(ctx, r2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Received.Equal(r2.Received) || got.Version != 2 || got.SHA256 != r2.SHA256 || got.Late != r2.Late {
		t.Errorf("read back %+v, answered %+v", got, r2)
	}
	if got.Ledger == nil || got.Ledger.Index != 1 {
		t.Errorf("read-back proof %+v", got.Ledger)
	}
	if len(got.Fields) != 1 || got.Fields[0].Value != "第二版" {
		t.Errorf("read-back fields %+v, want the stored value 第二版", got.Fields)
	}
	vs, err := s.store.Versions(ctx, "zongjie")
	if err != nil || len(vs) != 3 || vs[0].ID != r1.ID || vs[2].ID != r3.ID || vs[1].Fields[0].Value != "第二版" {
		t.Fatalf("versions %+v %v", vs, err)
	}
	if !vs[0].Received.Equal(r1.Received) {
		t.Errorf("stored time %v, answered %v", vs[0].Received, r1.Received)
	}
	rep := verify(t, s.store)
	if rep.Records != 3 || rep.Submissions != 3 {
		t.Errorf("verify %+v", rep)
	}
}

func testIdempotency(t *testing.T, s *suite) {
	ctx := context.Background()
	first := mustSubmit(t, s.store, sub("yi", "k1", "内容"))
	s.clock.Add(time.Second)
	again := mustSubmit(t, s.store, sub("yi", "k1", "内容"))
	if again.ID != first.ID || again.Version != 1 || !again.Received.Equal(first.Received) {
		t.Errorf("retry answered %+v, first %+v", again, first)
	}
	if again.Ledger == nil || again.Ledger.Index != first.Ledger.Index {
		t.Errorf("retry proof %+v", again.Ledger)
	}
	_, err := s.store.Submit(ctx, sub("yi", "k1", "另一份内容"))
	if !errors.Is(err, collector.ErrKeyReused) || collector.ErrorCode(err) != collector.ECONFLICT {
		t.Errorf("reused key: %v", err)
	}
	vs, _ := s.store.Versions(ctx, "zongjie")
	if len(vs) != 1 {
		t.Errorf("%d versions stored, want 1", len(vs))
	}
	if rep := verify(t, s.store); rep.Records != 1 {
		t.Errorf("records %d, want 1", rep.Records)
	}
}

func testClosedAndLate(t *testing.T, s *suite) {
	ctx := context.Background()
	late := sub("yi", "", "迟交")
	late.Deadline = s.clock.Now().Add(-time.Hour)
	if r := mustSubmit(t, s.store, late); !r.Late {
		t.Errorf("not late: %+v", r)
	}
	closed := sub("yi", "", "已截止")
	closed.Closes = s.clock.Now()
	_, err := s.store.Submit(ctx, closed)
	if collector.ErrorCode(err) != collector.ECONFLICT || !strings.Contains(err.Error(), "截止") {
		t.Errorf("closed: %v", err)
	}
	if rep := verify(t, s.store); rep.Records != 1 {
		t.Errorf("records %d, want 1", rep.Records)
	}
}

func testReceiptNotFound(t *testing.T, s *suite) {
	ctx := context.Background()
	if _, err := s.store.Receipt(ctx, "nosuchreceipt"); !errors.Is(err, collector.ErrNotFound) {
		t.Errorf("unknown receipt: %v", err)
	}
	if _, err := s.store.LedgerHead(ctx); err == nil {
		// A new store may sign an empty head at its first start; either is fine.
	} else if !errors.Is(err, collector.ErrNoHead) {
		t.Errorf("head of an empty ledger: %v", err)
	}
}

func testReviews(t *testing.T, s *suite) {
	ctx := context.Background()
	r := mustSubmit(t, s.store, sub("yi", "", "总结"))
	s.clock.Add(time.Hour)
	if err := s.store.AddReview(ctx, r.ID, collector.Review{Action: collector.ActionReturn, Comment: "  请补充  ", Admin: "a"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.store.Receipt(ctx, r.ID)
	if err != nil || got.Review == nil || got.Review.Action != collector.ActionReturn || got.Review.Comment != "请补充" || got.Review.Admin != "a" {
		t.Fatalf("reviewed receipt %+v %v", got.Review, err)
	}
	if !got.Review.At.Equal(s.clock.Now()) && got.Review.At.Sub(s.clock.Now()).Abs() > time.Microsecond {
		t.Errorf("review at %v, clock %v", got.Review.At, s.clock.Now())
	}
	s.clock.Add(time.Hour)
	if err := s.store.AddReview(ctx, r.ID, collector.Review{Action: collector.ActionApprove, Admin: "b"}); err != nil {
		t.Fatal(err)
	}
	sums, _ := s.store.Summaries(ctx)
	if len(sums) != 1 || collector.StatusOf(sums[0]) != site.StatusApproved {
		t.Errorf("summaries %+v", sums)
	}
	if err := s.store.AddReview(ctx, "nosuch", collector.Review{Action: collector.ActionApprove, Admin: "a"}); !errors.Is(err, collector.ErrNotFound) {
		t.Errorf("review of an unknown receipt: %v", err)
	}
	if rep := verify(t, s.store); rep.Records != 3 || rep.Reviews != 2 {
		t.Errorf("verify %+v", rep)
	}
}

func testSummariesAndExport(t *testing.T, s *suite) {
	ctx := context.Background()
	mustSubmit(t, s.store, sub("yi", "", "旧"))
	mustSubmit(t, s.store, sub("yi", "", "新"))
	p := sub("er", "", "十一月")
	p.Task, p.Period = "zhutidangri", "2026-11"
	mustSubmit(t, s.store, p)
	sums, err := s.store.Summaries(ctx)
	if err != nil || len(sums) != 2 {
		t.Fatalf("summaries %+v %v", sums, err)
	}
	byKey := map[string]collector.Summary{}
	for _, x := range sums {
		byKey[x.Key()+"@"+x.Branch] = x
	}
	if x := byKey["zongjie@yi"]; x.Versions != 2 || x.Fields[0].Value != "新" || collector.StatusOf(x) != site.StatusSubmitted {
		t.Errorf("zongjie summary %+v", x)
	}
	if x := byKey["zhutidangri/2026-11@er"]; x.Versions != 1 {
		t.Errorf("period summary %+v", x)
	}
	if !sort.SliceIsSorted(sums, func(i, j int) bool { return sums[i].Task < sums[j].Task }) {
		t.Errorf("summaries not ordered by task")
	}
	vs, head, err := s.store.Export(ctx, "zongjie")
	if err != nil || len(vs) != 2 {
		t.Fatalf("export %d %v", len(vs), err)
	}
	h, err := ledger.OpenHead(head, s.store.LedgerKey().Verifier())
	if err != nil || h.Size != 3 {
		t.Errorf("export head %+v %v", h, err)
	}
}

// testFieldsReadBack stores values JSON must escape, or may escape in more
// than one way, and reads each back through every read the store has: a
// store may keep the values once, in the ledger record (issue 11), and
// read them out of it.
func testFieldsReadBack(t *testing.T, s *suite) {
	ctx := context.Background()
	want := []collector.FieldValue{
		{Name: "summary", Value: "引号\"、反斜杠\\、<script>&amp;</script>\n第二行\t制表"},
		{Name: "empty", Value: ""},
		{Name: "rare", Value: "\u2028\u2029 \U0001F600 \x01 é 党支部"},
		{Name: "json", Value: `{"fields":[1,2],"submission":null}`},
		{Name: "nul", Value: "a\x00b\u0000"},
	}
	p := sub("yi", "k-fields", "")
	p.Fields = want
	r := mustSubmit(t, s.store, p)
	same := func(what string, got []collector.FieldValue) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: fields %q, want %q", what, got, want)
		}
	}
	got, err := s.store.Receipt(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	same("receipt", got.Fields)
	vs, err := s.store.Versions(ctx, "zongjie")
	if err != nil || len(vs) != 1 {
		t.Fatalf("versions %+v %v", vs, err)
	}
	same("versions", vs[0].Fields)
	vs, _, err = s.store.Export(ctx, "zongjie")
	if err != nil || len(vs) != 1 {
		t.Fatalf("export %+v %v", vs, err)
	}
	same("export", vs[0].Fields)
	sums, err := s.store.Summaries(ctx)
	if err != nil || len(sums) != 1 {
		t.Fatalf("summaries %+v %v", sums, err)
	}
	same("summaries", sums[0].Fields)
	// A retry with the same key and content gets the first receipt.
	again := mustSubmit(t, s.store, p)
	if again.ID != r.ID {
		t.Errorf("retry got receipt %s, want %s", again.ID, r.ID)
	}
	if rep := verify(t, s.store); rep.Submissions != 1 {
		t.Errorf("verify %+v", rep)
	}
}

func testSecrets(t *testing.T, s *suite) {
	ctx := context.Background()
	if _, err := s.store.BranchCodeHash(ctx, "yi"); !errors.Is(err, collector.ErrNotFound) {
		t.Errorf("no code yet: %v", err)
	}
	if _, err := s.store.AdminPasswordHash(ctx, "admin"); !errors.Is(err, collector.ErrNotFound) {
		t.Errorf("no admin yet: %v", err)
	}
	for _, h := range []string{"hash-1", "hash-2"} {
		if err := s.store.SetBranchCode(ctx, "yi", h); err != nil {
			t.Fatal(err)
		}
		s.clock.Add(time.Second)
	}
	if err := s.store.SetAdminPassword(ctx, "admin", "pw-1"); err != nil {
		t.Fatal(err)
	}
	if h, err := s.store.BranchCodeHash(ctx, "yi"); err != nil || h != "hash-2" {
		t.Errorf("code %q %v", h, err)
	}
	if h, err := s.store.AdminPasswordHash(ctx, "admin"); err != nil || h != "pw-1" {
		t.Errorf("password %q %v", h, err)
	}
	if rep := verify(t, s.store); rep.Records != 3 {
		t.Errorf("records %d, want 3 (two codes, one password)", rep.Records)
	}
}

// testCodeHashAtCommit: a submission carrying the code hash it was checked
// against is stored while that is the branch's hash, and refused with
// ErrCodeChanged, storing nothing, once a rotation by another collector on
// the same database (another process, as `dangwu branch code` is) has
// replaced it, at once: nothing of the hash is remembered across commits.
func testCodeHashAtCommit(t *testing.T, s *suite) {
	ctx := context.Background()
	other := s.open()
	if err := s.store.SetBranchCode(ctx, "yi", "hash-1"); err != nil {
		t.Fatal(err)
	}
	checked := func(key, hash string) *collector.Submission {
		x := sub("yi", key, "内容 "+key)
		x.CodeHash = hash
		return x
	}
	mustSubmit(t, s.store, checked("a", "hash-1"))
	if err := other.SetBranchCode(ctx, "yi", "hash-2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Submit(ctx, checked("b", "hash-1")); !errors.Is(err, collector.ErrCodeChanged) {
		t.Fatalf("checked against the rotated hash: %v, want ErrCodeChanged", err)
	}
	if _, err := s.store.Submit(ctx, checked("a", "hash-1")); !errors.Is(err, collector.ErrCodeChanged) {
		t.Errorf("a retry checked against the rotated hash: %v, want ErrCodeChanged", err)
	}
	if _, err := s.store.Submit(ctx, checked("c", "hash-9")); !errors.Is(err, collector.ErrCodeChanged) {
		t.Errorf("checked against a hash the branch never had: %v", err)
	}
	if _, err := s.store.Submit(ctx, func() *collector.Submission { x := checked("d", "hash-1"); x.Branch = "er"; return x }()); !errors.Is(err, collector.ErrCodeChanged) {
		t.Errorf("checked against a hash of a branch with no code: %v", err)
	}
	r := mustSubmit(t, s.store, checked("b", "hash-2"))
	if r.Version != 2 {
		t.Errorf("version %d after one refused submission, want 2", r.Version)
	}
	if rep := verify(t, s.store); rep.Records != 4 {
		t.Errorf("records %d, want 4 (two codes, two versions)", rep.Records)
	}
}

func testSessions(t *testing.T, s *suite) {
	ctx := context.Background()
	now := s.clock.Now()
	old := collector.Session{TokenHash: "t-old", Admin: "a", CSRF: "c0", Expires: now.Add(time.Minute)}
	if err := s.store.CreateSession(ctx, old); err != nil {
		t.Fatal(err)
	}
	sess := collector.Session{TokenHash: "t1", Admin: "a", CSRF: "c1", Expires: now.Add(8 * time.Hour)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	got, err := s.store.Session(ctx, "t1", now)
	if err != nil || got.Admin != "a" || got.CSRF != "c1" || got.Expires.Sub(sess.Expires).Abs() > time.Microsecond {
		t.Errorf("session %+v %v", got, err)
	}
	if _, err := s.store.Session(ctx, "t-old", now.Add(2*time.Minute)); !errors.Is(err, collector.ErrNotFound) {
		t.Errorf("expired session: %v", err)
	}
	if _, err := s.store.Session(ctx, "nosuch", now); !errors.Is(err, collector.ErrNotFound) {
		t.Errorf("unknown session: %v", err)
	}
	// Another collector on the same database sees the session.
	other := s.open()
	if _, err := other.Session(ctx, "t1", now); err != nil {
		t.Errorf("session on the other store: %v", err)
	}
	if err := other.DeleteSession(ctx, "t1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Session(ctx, "t1", now); !errors.Is(err, collector.ErrNotFound) {
		t.Errorf("deleted session: %v", err)
	}
	if err := s.store.DeleteSession(ctx, "nosuch"); err != nil {
		t.Errorf("delete an unknown session: %v", err)
	}
}

func testOpinions(t *testing.T, s *suite) {
	ctx := context.Background()
	id1, err := s.store.AddOpinion(ctx, collector.Opinion{Ref: "YJ20261202-abcd", Content: "食堂排队太久", Name: "张三", Contact: "13800138000", Client: "h1"})
	if err != nil {
		t.Fatal(err)
	}
	id2, err := s.store.AddOpinion(ctx, collector.Opinion{Content: "建议延长开放时间", Client: "h2"})
	if err != nil || id2 <= id1 {
		t.Fatalf("ids %d %d %v", id1, id2, err)
	}
	all, err := s.store.Opinions(ctx, "")
	if err != nil || len(all) != 2 || all[0].ID != id2 || all[1].Contact != "13800138000" || all[0].Status != collector.OpinionPending {
		t.Fatalf("opinions %+v %v", all, err)
	}
	s.clock.Add(time.Hour)
	if err := s.store.Moderate(ctx, id1, collector.OpinionPublished, "已协调增加窗口", "admin"); err != nil {
		t.Fatal(err)
	}
	if err := s.store.Moderate(ctx, id2, collector.OpinionRejected, "", "admin"); err != nil {
		t.Fatal(err)
	}
	pub, _ := s.store.Opinions(ctx, collector.OpinionPublished)
	if len(pub) != 1 || pub[0].Reply != "已协调增加窗口" || pub[0].Admin != "admin" || pub[0].Moderated.IsZero() || pub[0].Ref != "YJ20261202-abcd" {
		t.Errorf("published %+v", pub)
	}
	// The citizen looks the opinion up by its reference number.
	got, err := s.store.OpinionByRef(ctx, "YJ20261202-abcd")
	if err != nil || got.ID != id1 || got.Status != collector.OpinionPublished || got.Reply != "已协调增加窗口" {
		t.Errorf("OpinionByRef: %+v %v", got, err)
	}
	for _, ref := range []string{"", "YJ20261202-zzzz"} {
		if _, err := s.store.OpinionByRef(ctx, ref); !errors.Is(err, collector.ErrNotFound) {
			t.Errorf("OpinionByRef(%q): %v, want ErrNotFound", ref, err)
		}
	}
	// A reference number is unique: a second opinion with it is not stored.
	if _, err := s.store.AddOpinion(ctx, collector.Opinion{Ref: "YJ20261202-abcd", Content: "重复", Client: "h3"}); err == nil {
		t.Error("a second opinion with the same reference number was stored")
	}
	if err := s.store.Moderate(ctx, 999999, collector.OpinionPublished, "", "admin"); !errors.Is(err, collector.ErrNotFound) {
		t.Errorf("moderate unknown: %v", err)
	}
	if rep := verify(t, s.store); rep.Records != 2 {
		t.Errorf("records %d, want 2 moderations", rep.Records)
	}
}

func testRefusals(t *testing.T, s *suite) {
	ctx := context.Background()
	t0 := s.clock.Now()
	rs := []collector.Refusal{
		{Time: t0.Add(-time.Hour), Kind: collector.RefusedCode, Subject: "yi", Client: "127.0.0.9", Count: 1},
		{Time: t0, Kind: collector.RefusedLimit, Subject: "yi", Client: "127.0.0.9", Count: 7},
		{Time: t0.Add(time.Second), Kind: collector.RefusedPassword, Subject: "admin", Client: "::1"},
	}
	if err := s.store.RecordRefusals(ctx, rs); err != nil {
		t.Fatal(err)
	}
	got, err := s.store.Refusals(ctx, t0)
	if err != nil || len(got) != 2 || got[0].Count != 7 || got[0].Kind != collector.RefusedLimit || got[1].Count != 1 || got[1].Client != "::1" {
		t.Errorf("refusals since %v: %+v %v", t0, got, err)
	}
	if rep := verify(t, s.store); rep.Records != 0 {
		t.Errorf("refusals reached the ledger: %d records", rep.Records)
	}
}

func testLedgerHeads(t *testing.T, s *suite) {
	ctx := context.Background()
	r := mustSubmit(t, s.store, sub("yi", "", "一"))
	early, err := s.store.LedgerHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(early) != r.Ledger.Head {
		t.Errorf("newest head is not the receipt's:\n%s\n%s", early, r.Ledger.Head)
	}
	for i := range 5 {
		mustSubmit(t, s.store, sub("yi", "", fmt.Sprint("第", i)))
	}
	if err := s.store.CheckHead(ctx, early); err != nil {
		t.Errorf("an earlier head: %v", err)
	}
	late, _ := s.store.LedgerHead(ctx)
	h, err := ledger.OpenHead(late, s.store.LedgerKey().Verifier())
	if err != nil || h.Size != 6 {
		t.Errorf("head %+v %v", h, err)
	}
	forged := strings.Replace(string(late), "\n6\n", "\n7\n", 1)
	if err := s.store.CheckHead(ctx, []byte(forged)); err == nil {
		t.Errorf("a forged head was accepted")
	}
	rep, err := s.store.Verify(ctx, ledger.Options{Heads: []ledger.Witness{{Name: "early", Data: early}, {Name: "late", Data: late}}})
	if err != nil || rep.Heads != 2 || rep.Records != 6 {
		t.Errorf("verify with heads %+v %v", rep, err)
	}
}

// files is a ledger.FileChecker that knows some hashes.
type files map[string]bool

func (f files) Check(sum string) error {
	if !f[sum] {
		return fmt.Errorf("file %s missing", sum)
	}
	return nil
}

func testFileHashes(t *testing.T, s *suite) {
	ctx := context.Background()
	a := sub("yi", "", "附件")
	a.Files = []collector.File{{Field: "file", Name: "总结.pdf", Type: "application/pdf", Size: 10, SHA256: strings.Repeat("ab", 32)}}
	mustSubmit(t, s.store, a)
	b := sub("er", "", "附件")
	b.Files = []collector.File{{Field: "file", Name: "x.pdf", Type: "application/pdf", Size: 10, SHA256: strings.Repeat("ab", 32)},
		{Field: "img", Name: "y.png", Type: "image/png", Size: 3, SHA256: strings.Repeat("cd", 32)}}
	mustSubmit(t, s.store, b)
	got, err := s.store.FileHashes(ctx)
	if err != nil || len(got) != 2 || !got[strings.Repeat("ab", 32)] || !got[strings.Repeat("cd", 32)] {
		t.Errorf("file hashes %v %v", got, err)
	}
	if _, err := s.store.Verify(ctx, ledger.Options{Files: files(got)}); err != nil {
		t.Errorf("verify with files: %v", err)
	}
	if _, err := s.store.Verify(ctx, ledger.Options{Files: files{}}); err == nil {
		t.Errorf("verify passed with the files missing")
	}
	vs, _ := s.store.Versions(ctx, "zongjie")
	if len(vs) != 2 || len(vs[1].Files) != 2 || vs[1].Files[1].Name != "y.png" {
		t.Errorf("stored files %+v", vs)
	}
}

func testHealth(t *testing.T, s *suite) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.store.Health(ctx); err != nil {
		t.Errorf("health: %v", err)
	}
	if rep := verify(t, s.store); rep.Records != 0 {
		t.Errorf("the health probe reached the ledger")
	}
}

// testGroupCommit submits from many goroutines at once: every version
// number once per branch, every record in one consistent ledger.
func testGroupCommit(t *testing.T, s *suite) {
	const workers, each = 16, 12
	receipts := submitMany(t, []collector.Store{s.store}, workers, each)
	checkVersions(t, receipts, workers*each)
	if rep := verify(t, s.store); rep.Records != workers*each {
		t.Errorf("records %d, want %d", rep.Records, workers*each)
	}
}

// testConcurrentRetries: the same submission id sent many times at once
// (a client retrying, likely in one batch) stores one version and answers
// every retry with its receipt; other content under it is ErrKeyReused.
func testConcurrentRetries(t *testing.T, s *suite) {
	ctx := context.Background()
	const n = 24
	var wg sync.WaitGroup
	got := make([]collector.Receipt, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text := "同一份"
			if i%3 == 2 {
				text = "不同的一份"
			}
			got[i], errs[i] = s.store.Submit(ctx, sub("yi", "same-key", text))
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	reused := 0
	for i := range n {
		switch {
		case errors.Is(errs[i], collector.ErrKeyReused):
			reused++
		case errs[i] != nil:
			t.Fatalf("submission %d: %v", i, errs[i])
		default:
			ids[got[i].ID] = true
			if got[i].Ledger == nil {
				t.Errorf("submission %d: no proof", i)
			}
		}
	}
	vs, _ := s.store.Versions(ctx, "zongjie")
	if len(ids) != 1 || len(vs) != 1 || reused < n/3 {
		t.Errorf("%d receipts, %d versions stored, %d refused as reused: want 1, 1 and at least %d", len(ids), len(vs), reused, n/3)
	}
	if rep := verify(t, s.store); rep.Records != 1 {
		t.Errorf("records %d, want 1", rep.Records)
	}
}

// testVerifyWhileWriting: Verify, CheckHead and Receipt read one snapshot
// each, so while two collectors write they never see a half-written batch
// (no false alarm).
func testVerifyWhileWriting(t *testing.T, s *suite) {
	ctx := context.Background()
	other := s.open()
	stop := make(chan struct{})
	done := make(chan []collector.Receipt)
	go func() {
		var out []collector.Receipt
		defer func() { done <- out }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			out = append(out, submitMany(t, []collector.Store{s.store, other}, 4, 2)...)
		}
	}()
	checks := 0
	deadline := time.Now().Add(1500 * time.Millisecond)
	for time.Now().Before(deadline) {
		head, err := s.store.LedgerHead(ctx)
		if err != nil && !errors.Is(err, collector.ErrNoHead) {
			t.Fatal(err)
		}
		if _, err := other.Verify(ctx, ledger.Options{Heads: []ledger.Witness{{Name: "head", Data: head}}}); head != nil && err != nil {
			t.Fatalf("verify while writing (check %d): %v", checks, err)
		}
		if head != nil {
			if err := other.CheckHead(ctx, head); err != nil {
				t.Fatalf("check head while writing: %v", err)
			}
		}
		checks++
	}
	close(stop)
	rs := <-done
	for _, r := range rs[:min(len(rs), 20)] {
		got, err := s.store.Receipt(ctx, r.ID)
		if err != nil || got.Ledger == nil {
			t.Errorf("receipt %s: %v", r.ID, err)
		}
	}
	t.Logf("%d verifications while %d versions were written: no false alarm", checks, len(rs))
}

// testTwoStores is two collectors on one database writing at once: the
// ledger stays one tree (appends serialised by the database), versions
// never repeat, and each sees the other's writes.
func testTwoStores(t *testing.T, s *suite) {
	ctx := context.Background()
	other := s.open()
	const workers, each = 8, 10
	receipts := submitMany(t, []collector.Store{s.store, other}, workers, each)
	checkVersions(t, receipts, 2*workers*each)
	// Every receipt's proof holds, though each store's batches came
	// between the other's (a batch continues the tree of the one before
	// only when no one appended since: ledger.Appender.Continue).
	var kept []ledger.Witness
	for _, r := range receipts {
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, ledger.Witness{Name: r.ID + ".json", Data: data})
	}
	for _, st := range []collector.Store{s.store, other} {
		rep, err := st.Verify(ctx, ledger.Options{Receipts: kept})
		if err != nil {
			t.Fatalf("verify with every receipt: %v", err)
		}
		if rep.Records != 2*workers*each || rep.Receipts != len(kept) {
			t.Errorf("records %d, receipts proved %d; want %d and %d", rep.Records, rep.Receipts, 2*workers*each, len(kept))
		}
	}
	// Turn about on one branch: each store's next version follows the
	// other's, though each remembers the version it gave out last.
	for i := range 6 {
		st := []collector.Store{s.store, other}[i%2]
		if r := mustSubmit(t, st, sub("bing", fmt.Sprint("turn-", i), fmt.Sprint("轮流 ", i))); r.Version != i+1 {
			t.Errorf("turn %d: version %d, want %d", i, r.Version, i+1)
		}
	}
	r := mustSubmit(t, other, sub("yi", "shared-key", "一份"))
	if again := mustSubmit(t, s.store, sub("yi", "shared-key", "一份")); again.ID != r.ID {
		t.Errorf("a retry on the other collector stored a new version: %s, first %s", again.ID, r.ID)
	}
	got, err := s.store.Receipt(ctx, r.ID)
	if err != nil || got.Ledger == nil {
		t.Fatalf("the other's receipt: %+v %v", got, err)
	}
	h1, _ := s.store.LedgerHead(ctx)
	h2, _ := other.LedgerHead(ctx)
	if string(h1) != string(h2) {
		t.Errorf("the two collectors see different heads:\n%s\n%s", h1, h2)
	}
}

// submitMany submits workers×each versions per store, worker w as branch bw.
func submitMany(t *testing.T, stores []collector.Store, workers, each int) []collector.Receipt {
	var mu sync.Mutex
	var out []collector.Receipt
	var wg sync.WaitGroup
	for si, st := range stores {
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					r, err := st.Submit(context.Background(), sub(fmt.Sprintf("b%d", w), fmt.Sprintf("s%d-w%d-%d", si, w, i), fmt.Sprint("内容", si, w, i)))
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					out = append(out, r)
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	return out
}

// checkVersions wants n receipts whose versions are 1..k for each branch
// and whose ledger indexes are all different.
func checkVersions(t *testing.T, rs []collector.Receipt, n int) {
	t.Helper()
	if len(rs) != n {
		t.Fatalf("%d receipts, want %d", len(rs), n)
	}
	versions := map[string][]int{}
	index := map[int64]bool{}
	for _, r := range rs {
		versions[r.Branch] = append(versions[r.Branch], r.Version)
		if r.Ledger == nil || index[r.Ledger.Index] {
			t.Fatalf("receipt %s: ledger proof %+v missing or index reused", r.ID, r.Ledger)
		}
		index[r.Ledger.Index] = true
	}
	for b, vs := range versions {
		sort.Ints(vs)
		for i, v := range vs {
			if v != i+1 {
				t.Fatalf("branch %s: versions %v", b, vs)
			}
		}
	}
}

// testWatch: a commit on one collector is heard by the other's Watch.
func testWatch(t *testing.T, s *suite) {
	other := s.open()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	heard := make(chan struct{}, 16)
	done := make(chan error, 1)
	go func() { done <- other.Watch(ctx, func() { heard <- struct{}{} }) }()
	time.Sleep(300 * time.Millisecond) // let it start listening
	for len(heard) > 0 {
		<-heard
	}
	start := time.Now()
	mustSubmit(t, s.store, sub("yi", "", "有人提交了"))
	select {
	case <-heard:
		t.Logf("heard the other collector's commit after %v", time.Since(start).Round(time.Millisecond))
	case <-time.After(time.Second):
		t.Errorf("the other collector's commit was not heard within 1 s")
	}
	// A store's own commits are not reported: its caller knows what it
	// wrote and re-renders only that (Store.Watch's contract).
	time.Sleep(300 * time.Millisecond)
	for len(heard) > 0 {
		<-heard
	}
	mustSubmit(t, other, sub("er", "", "自己提交的"))
	select {
	case <-heard:
		t.Errorf("Watch reported the store's own commit")
	case <-time.After(700 * time.Millisecond):
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("watch: %v", err)
	}
}

// testReopen: what was committed is there after closing and opening again.
func testReopen(t *testing.T, s *suite) {
	ctx := context.Background()
	r := mustSubmit(t, s.store, sub("yi", "k", "持久"))
	if err := s.store.SetBranchCode(ctx, "yi", "h"); err != nil {
		t.Fatal(err)
	}
	head, _ := s.store.LedgerHead(ctx)
	if err := s.store.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Submit(ctx, sub("yi", "", "关闭后")); collector.ErrorCode(err) != collector.EUNAVAILABLE {
		t.Errorf("submit after close: %v", err)
	}
	again := s.open()
	got, err := again.Receipt(ctx, r.ID)
	if err != nil || got.Version != 1 {
		t.Fatalf("after reopening: %+v %v", got, err)
	}
	if err := again.CheckHead(ctx, head); err != nil {
		t.Errorf("head kept before closing: %v", err)
	}
	if rep := verify(t, again); rep.Records != 2 {
		t.Errorf("records %d", rep.Records)
	}
}

// testLimits: a store that keeps the guess limiter's state
// (throttle.Store) gives, through throttle.Shared, the answers of the
// in-process limiter, and a failure recorded on one collector counts on
// the other.
func testLimits(t *testing.T, s *suite) {
	a, ok := s.store.(throttle.Store)
	if !ok {
		t.Skip("this store keeps no limiter state: each collector limits in its own memory (throttle.Memory)")
	}
	b := s.open().(throttle.Store)
	p := throttle.DefaultPolicy()
	mem := throttle.NewMemory(p, s.clock.Now)
	one, two := throttle.NewShared(p, s.clock.Now, a), throttle.NewShared(p, s.clock.Now, b)
	k := throttle.Key{Scope: "branch", Name: "yi", Addr: "127.0.0.2"}
	same := func(step string, k throttle.Key) {
		t.Helper()
		want, got := mem.Wait(k).Round(time.Millisecond), two.Wait(k).Round(time.Millisecond)
		if got != want {
			t.Errorf("%s: the other collector says wait %v, in-process %v", step, got, want)
		}
	}
	for i := range 8 {
		mem.Fail(k)
		one.Fail(k)
		same(fmt.Sprint("failure ", i+1), k)
	}
	same("an address that has not failed", throttle.Key{Scope: "branch", Name: "yi", Addr: "127.0.0.1"})
	mem.Succeed(k)
	two.Succeed(k)
	same("after a success", k)
	for i := range 20 {
		k := throttle.Key{Scope: "branch", Name: "er", Addr: fmt.Sprintf("10.0.0.%d", i)}
		mem.Fail(k)
		[]*throttle.Shared{one, two}[i%2].Fail(k)
		s.clock.Add(time.Second)
	}
	same("under attack, an address that failed", throttle.Key{Scope: "branch", Name: "er", Addr: "10.0.0.19"})
	same("under attack, a fresh address", throttle.Key{Scope: "branch", Name: "er", Addr: "10.0.1.1"})
	same("another scope", throttle.Key{Scope: "admin", Name: "er", Addr: "10.0.0.19"})
	if w := two.Wait(throttle.Key{Scope: "branch", Name: "er", Addr: "10.0.0.3"}); w < 14*time.Minute {
		t.Errorf("under attack the other collector waits only %v", w)
	}
	s.clock.Add(15 * time.Minute)
	same("after the window", throttle.Key{Scope: "branch", Name: "er", Addr: "10.0.0.19"})
	s.clock.Add(25 * time.Hour)
	same("after a quiet day", k)
}
