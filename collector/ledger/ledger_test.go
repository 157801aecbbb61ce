package ledger

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// memStore is a store in memory: what collector/sqlite keeps, in slices.
type memStore struct {
	records [][]byte
	hashes  []tlog.Hash
	heads   [][]byte
}

func (m *memStore) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("no hash %d", x)
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}

func (m *memStore) Latest() (int64, []byte, error) {
	if len(m.heads) == 0 {
		return int64(len(m.records)), nil, nil
	}
	return int64(len(m.records)), m.heads[len(m.heads)-1], nil
}

func (m *memStore) Append(n int64, data []byte, hashes []tlog.Hash) error {
	if n != int64(len(m.records)) || tlog.StoredHashIndex(0, n) != int64(len(m.hashes)) {
		return fmt.Errorf("append %d out of order", n)
	}
	m.records = append(m.records, data)
	m.hashes = append(m.hashes, hashes...)
	return nil
}

func (m *memStore) SaveHead(size int64, head []byte) error {
	m.heads = append(m.heads, head)
	return nil
}

func (m *memStore) Records(fn func(int64, []byte) error) error {
	for i, r := range m.records {
		if err := fn(int64(i), r); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) Hashes(fn func(int64, tlog.Hash) error) error {
	for i, h := range m.hashes {
		if err := fn(int64(i), h); err != nil {
			return err
		}
	}
	return nil
}

// State: every submission record is a row exactly as logged.
func (m *memStore) State(fn func(Record) error) error {
	for _, data := range m.records {
		r, _ := DecodeRecord(data)
		if r.Kind == KindSubmission {
			r.Actor = ""
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}

func mustKey(t testing.TB) *Key {
	t.Helper()
	k, err := CreateKey(filepath.Join(t.TempDir(), "ledger.key"), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func submission(i int) Record {
	return Record{Kind: KindSubmission, Actor: "branch:yi", Ref: fmt.Sprintf("r%d", i),
		Submission: &Submission{Task: "zongjie", Branch: "yi", Version: i + 1, SHA256: fmt.Sprintf("%064d", i),
			Fields: []Field{{Name: "summary", Value: fmt.Sprintf("第%d版", i)}}, Files: []File{}}}
}

// commit appends recs in one transaction at now and returns their proofs.
func commit(t testing.TB, m *memStore, k *Key, now time.Time, recs ...Record) []*Proof {
	t.Helper()
	a, err := Begin(m, k.Signer(), now)
	if err != nil {
		t.Fatal(err)
	}
	var idx []int64
	for _, r := range recs {
		n, err := a.Append(r)
		if err != nil {
			t.Fatal(err)
		}
		idx = append(idx, n)
	}
	if _, err := a.Finish(); err != nil {
		t.Fatal(err)
	}
	var out []*Proof
	for _, n := range idx {
		p, err := a.Prove(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestRandomAppendsKeepOldHeadsAndReceipts is the property of issue 9: after
// any sequence of appends in batches of random size, every head ever
// signed is consistent with today's tree and every receipt's proof holds,
// and Verify agrees.
func TestRandomAppendsKeepOldHeadsAndReceipts(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		rnd := mathrand.New(mathrand.NewPCG(seed, seed))
		m := &memStore{}
		k := mustKey(t)
		now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		var receipts []*Proof
		for batch := 0; batch < 60; batch++ {
			var recs []Record
			for range rnd.IntN(5) + 1 {
				recs = append(recs, submission(len(m.records)+len(recs)))
			}
			now = now.Add(time.Duration(rnd.IntN(3)) * time.Second) // sometimes the same instant
			receipts = append(receipts, commit(t, m, k, now, recs...)...)
			size := int64(len(m.records))
			for _, msg := range m.heads {
				h, err := OpenHead(msg, k.Verifier())
				if err != nil {
					t.Fatal(err)
				}
				if err := Consistent(size, m, h); err != nil {
					t.Fatalf("seed %d: head of %d records after %d: %v", seed, h.Size, size, err)
				}
			}
			for _, p := range receipts {
				h, _ := ParseHead([]byte(p.Head))
				rp := make(tlog.RecordProof, len(p.Proof))
				for i, s := range p.Proof {
					b, _ := base64Decode(s)
					rp[i] = tlog.Hash(b)
				}
				if err := tlog.CheckRecord(rp, h.Size, h.Root, p.Index, tlog.RecordHash(m.records[p.Index])); err != nil {
					t.Fatalf("seed %d: receipt of record %d: %v", seed, p.Index, err)
				}
			}
		}
		var heads []Witness
		for i, msg := range m.heads {
			heads = append(heads, Witness{Name: fmt.Sprintf("head%d", i), Data: msg})
		}
		if rep, err := Verify(m, Options{Verifier: k.Verifier(), Heads: heads}); err != nil || rep.Heads != len(heads) {
			t.Fatalf("seed %d: verify: %+v %v", seed, rep, err)
		}
	}
}

func base64Decode(s string) ([]byte, error) {
	var b []byte
	err := json.Unmarshal([]byte(`"`+s+`"`), &b)
	return b, err
}

// TestVerifyNamesTheProblem: in-memory tampering of each kind is named.
func TestVerifyNamesTheProblem(t *testing.T) {
	k := mustKey(t)
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	build := func() (*memStore, []byte) {
		m := &memStore{}
		for i := range 6 {
			commit(t, m, k, t0.Add(time.Duration(i)*time.Minute), submission(i))
		}
		return m, m.heads[3] // a head of 4 records
	}
	reseal := func(m *memStore) {
		m.hashes = nil
		for i, r := range m.records {
			hs, _ := tlog.StoredHashes(int64(i), r, m)
			m.hashes = append(m.hashes, hs...)
		}
		root, _ := tlog.TreeHash(int64(len(m.records)), m)
		last, _ := DecodeRecord(m.records[len(m.records)-1])
		lt, _ := time.Parse(TimeFormat, last.Time)
		msg, _ := Head{Size: int64(len(m.records)), Root: root, Time: lt}.Sign(k.Signer())
		m.heads = [][]byte{msg}
	}
	tests := []struct {
		name   string
		tamper func(m *memStore)
		held   bool
		want   string
	}{
		{"untouched", func(*memStore) {}, true, ""},
		{"edit unsealed", func(m *memStore) {
			m.records[1] = []byte(strings.Replace(string(m.records[1]), "第1版", "改过", 1))
		}, false, "树的存储哈希"},
		// With the key, a rewrite of record and row together is only caught by a head held from before.
		{"edit resealed, no head held", func(m *memStore) {
			m.records[1] = []byte(strings.Replace(string(m.records[1]), "第1版", "改过", 1))
			reseal(m)
		}, false, ""},
		{"edit resealed, head held", func(m *memStore) {
			m.records[1] = []byte(strings.Replace(string(m.records[1]), "第1版", "改过", 1))
			reseal(m)
		}, true, "今天的账本与你持有的树头（4 条记录，2026-12-01T08:03:00.000000000Z）不一致"},
		{"cut tail resealed, head held", func(m *memStore) { m.records = m.records[:3]; reseal(m) }, true, "账本比你持有的树头短：3 < 4"},
		{"back-dated append", func(m *memStore) {
			r := submission(9)
			r.Time = FormatTime(t0)
			m.records = append(m.records, r.Encode())
			reseal(m)
		}, false, "第 6 条记录（提交 r9）的时间 2026-12-01T08:00:00.000000000Z 早于前一条"},
		{"unsigned append", func(m *memStore) {
			r := submission(9)
			r.Time = FormatTime(t0.Add(time.Hour))
			m.records = append(m.records, r.Encode())
			hs, _ := tlog.StoredHashes(6, m.records[6], m)
			m.hashes = append(m.hashes, hs...)
		}, false, "第 6 条起的 1 条记录没有签名树头覆盖"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, held := build()
			tt.tamper(m)
			o := Options{Verifier: k.Verifier()}
			if tt.held {
				o.Heads = []Witness{{Name: "保存的树头", Data: held}}
			}
			_, err := Verify(m, o)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("verify: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("verify: %v, want %q", err, tt.want)
			}
		})
	}
}

func TestHeadSignatures(t *testing.T) {
	k, other := mustKey(t), mustKey(t)
	h := Head{Size: 3, Root: tlog.RecordHash([]byte("x")), Time: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	msg, err := h.Sign(k.Signer())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := OpenHead(msg, k.Verifier()); err != nil || got != h {
		t.Fatalf("open: %+v %v", got, err)
	}
	if _, err := OpenHead(msg, other.Verifier()); err == nil || !strings.Contains(err.Error(), "不是由本账本的密钥") {
		t.Errorf("other key: %v", err)
	}
	forged := []byte(strings.Replace(string(msg), "\n3\n", "\n2\n", 1))
	if _, err := OpenHead(forged, k.Verifier()); err == nil || !strings.Contains(err.Error(), "签名无效") {
		t.Errorf("edited head: %v", err)
	}
}

// TestKeyFile: 0600, never a silent new key for an existing ledger, a
// public-only file verifies but cannot sign.
func TestKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.key")
	if _, err := LoadKey(path, true, rand.Reader); err == nil || !strings.Contains(err.Error(), "找不到账本签名密钥") {
		t.Errorf("missing key for an existing ledger: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key was created: %v", err)
	}
	k, err := LoadKey(path, false, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key mode %v", fi.Mode().Perm())
	}
	again, err := LoadKey(path, true, rand.Reader)
	if err != nil || again.Public != k.Public {
		t.Errorf("reload: %v", err)
	}
	pub := filepath.Join(dir, "key.txt")
	os.WriteFile(pub, []byte(k.Public+"\n"), 0o644)
	pk, err := OpenKey(pub)
	if err != nil || pk.Signer() != nil {
		t.Fatalf("public key: %v", err)
	}
	m := &memStore{}
	commit(t, m, k, time.Now(), submission(0))
	if _, err := Verify(m, Options{Verifier: pk.Verifier()}); err != nil {
		t.Errorf("verify with the public key only: %v", err)
	}
	a, _ := Begin(m, pk.Signer(), time.Now())
	if _, err := a.Append(submission(1)); err == nil {
		t.Error("appended without a private key")
	}
}

// TestTimeNeverRunsBackwards: a clock stepped back still writes records
// no older than the newest head.
func TestTimeNeverRunsBackwards(t *testing.T) {
	k := mustKey(t)
	m := &memStore{}
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	commit(t, m, k, t0, submission(0))
	commit(t, m, k, t0.Add(-time.Hour), submission(1))
	r, _ := DecodeRecord(m.records[1])
	if r.Time != FormatTime(t0) {
		t.Errorf("record after a clock step back: %s, want %s", r.Time, FormatTime(t0))
	}
	if _, err := Verify(m, Options{Verifier: k.Verifier()}); err != nil {
		t.Error(err)
	}
}

// countingStore is a memStore that counts the tree hashes read from it.
type countingStore struct {
	*memStore
	reads int
}

func (c *countingStore) ReadHashes(ix []int64) ([]tlog.Hash, error) {
	c.reads += len(ix)
	return c.memStore.ReadHashes(ix)
}

// TestContinueReadsNoHashes: a batch that continues the one its store
// committed last (one that appended nothing among them) reads no tree
// hash from the store, and signs the heads and gives the proofs that a
// batch reading every hash gives; after a record someone else appended
// in between, or on a tree of the same size that is another, it takes
// nothing and is still right.
func TestContinueReadsNoHashes(t *testing.T) {
	k := mustKey(t)
	now := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	m := &countingStore{memStore: &memStore{}}
	ref := &memStore{} // the same records, each batch reading every hash
	var prev *Sealed
	next := 0
	for b, n := range []int{1, 3, 7, 0, 2, 16, 5, 1, 9, 4} {
		foreign := b == 5
		if foreign { // another process appends between two batches
			commit(t, m.memStore, k, now, submission(1000))
			commit(t, ref, k, now, submission(1000))
		}
		a, err := Begin(m, k.Signer(), now)
		if err != nil {
			t.Fatal(err)
		}
		if took, want := a.Continue(prev), b > 0 && !foreign; took != want {
			t.Fatalf("batch %d: Continue took the last batch's hashes: %v, want %v", b, took, want)
		}
		m.reads = 0
		var recs []Record
		var idx []int64
		for range n {
			recs = append(recs, submission(next))
			next++
			x, err := a.Append(recs[len(recs)-1])
			if err != nil {
				t.Fatal(err)
			}
			idx = append(idx, x)
		}
		head, err := a.Finish()
		if err != nil {
			t.Fatal(err)
		}
		if b > 0 && !foreign && m.reads != 0 {
			t.Errorf("batch %d (%d records) continued the last one and still read %d hashes", b, n, m.reads)
		}
		prev = a.Seal(m.memStore.ReadHashes)
		want := commit(t, ref, k, now, recs...)
		if string(head) != string(ref.heads[len(ref.heads)-1]) {
			t.Fatalf("batch %d: head\n%s\nwant\n%s", b, head, ref.heads[len(ref.heads)-1])
		}
		for i, x := range idx {
			got, err := prev.Prove(x)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want[i]) {
				t.Errorf("batch %d record %d: proof %+v, want %+v", b, x, got, want[i])
			}
		}
	}
	if _, err := Verify(m.memStore, Options{Verifier: k.Verifier()}); err != nil {
		t.Error(err)
	}
	// A tree of as many records, other ones: its head is not prev's.
	other := &memStore{}
	var recs []Record
	for i := range len(m.records) {
		recs = append(recs, submission(5000+i))
	}
	commit(t, other, k, now, recs...)
	a, err := Begin(other, k.Signer(), now)
	if err != nil {
		t.Fatal(err)
	}
	if a.Continue(prev) {
		t.Error("Continue took the hashes of another tree of the same size")
	}
}

// TestSealedProvesAsTheTransaction: after a batch, the sealed tree gives
// every record of the ledger (the batch's and older ones, whose hashes it
// must read) the proof the transaction would have given, from many
// goroutines at once, and reads the store only for what it did not hold.
func TestSealedProvesAsTheTransaction(t *testing.T) {
	k := mustKey(t)
	m := &memStore{}
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for b := 0; b < 6; b++ {
		var recs []Record
		for i := 0; i < 1+b*3; i++ {
			recs = append(recs, submission(len(m.records)+i))
		}
		commit(t, m, k, now, recs...)
	}
	a, err := Begin(m, k.Signer(), now)
	if err != nil {
		t.Fatal(err)
	}
	first := a.Next()
	for i := 0; i < 7; i++ {
		if _, err := a.Append(submission(int(first) + i)); err != nil {
			t.Fatal(err)
		}
	}
	head, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	size := a.Next()
	var reads atomic.Int64
	s := a.Seal(func(ix []int64) ([]tlog.Hash, error) {
		reads.Add(int64(len(ix)))
		return m.ReadHashes(ix)
	})
	for n := first; n < size; n++ {
		if _, err := s.Prove(n); err != nil {
			t.Fatal(err)
		}
	}
	if r := reads.Load(); r != 0 {
		t.Errorf("the batch's own proofs read %d hashes from the store; the transaction held them all", r)
	}
	want := make([]*Proof, size)
	for n := range size {
		// As the transaction or a later reader proves it: from the store.
		if want[n], err = Prove(head, size, n, m); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	got := make([]*Proof, size)
	errs := make([]error, size)
	for n := range size {
		wg.Go(func() { got[n], errs[n] = s.Prove(n) })
	}
	wg.Wait()
	for n := range size {
		if errs[n] != nil {
			t.Fatalf("record %d: %v", n, errs[n])
		}
		if !reflect.DeepEqual(got[n], want[n]) {
			t.Errorf("record %d: sealed proof %+v, the transaction's %+v", n, got[n], want[n])
		}
	}
	if reads.Load() == 0 {
		t.Error("the old records' proofs read nothing: the test proves nothing outside the batch")
	}
	if _, err := s.Prove(size); err == nil {
		t.Error("a record after the sealed head was proved")
	}
}
