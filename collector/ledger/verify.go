package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Snapshot is what Verify reads of a store, all of it from one consistent
// read (one read transaction), so that a collector writing meanwhile causes
// no false alarm.
type Snapshot interface {
	// Records calls fn for every stored record in index order.
	Records(fn func(n int64, data []byte) error) error
	// Hashes calls fn for every stored tree hash in index order.
	Hashes(fn func(index int64, h tlog.Hash) error) error
	// Latest returns the number of records and the newest signed head.
	Latest() (size int64, head []byte, err error)
	// State calls fn for every row the store holds that the ledger
	// vouches for, expressed as the record it must match (its Actor left
	// empty): every submission and review, every moderated opinion, every
	// current branch code and admin password.
	State(fn func(Record) error) error
}

// FileChecker recomputes a stored file's hash (files.Store.Check).
type FileChecker interface {
	Check(sha256 string) error
}

// Witness is a signed head or a receipt held outside the store, with where
// it came from (a file name or URL) for messages.
type Witness struct {
	Name string
	Data []byte
}

// Options say what Verify checks besides the store itself.
type Options struct {
	// Verifier checks the signatures of heads.
	Verifier note.Verifier
	// Files checks the stored files; nil skips them.
	Files FileChecker
	// Heads and Receipts are the witnesses to prove today's ledger against.
	Heads, Receipts []Witness
}

// Report counts what Verify checked.
type Report struct {
	Records, Submissions, Reviews, Files, Heads, Receipts int
	// Head is the newest signed head.
	Head Head
}

// maxProblems is how many problems Verify lists before it stops.
const maxProblems = 20

// tree is the ledger rebuilt in memory from the records.
type tree struct {
	hashes []tlog.Hash
	size   int64
}

func (t *tree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(t.hashes)) {
			return nil, fmt.Errorf("hash %d is not in a tree of %d records", x, t.size)
		}
		out[i] = t.hashes[x]
	}
	return out, nil
}

type logged struct {
	n   int64
	rec Record
}

// verifier holds what Verify has learnt so far.
type verifier struct {
	o        Options
	rep      Report
	t        tree
	records  [][]byte
	byRef    map[Kind]map[string]logged // kind → ref → its latest record
	problems []string
}

func (v *verifier) fail(format string, args ...any) {
	if len(v.problems) < maxProblems {
		v.problems = append(v.problems, fmt.Sprintf(format, args...))
	}
}

// Verify rebuilds the tree from the store's records and checks, in order:
// each record's encoding and that time never runs backwards; the stored
// tree hashes; the newest head's signature, size and root; each stored row
// against its record; each stored file; and each witness head or receipt
// given (signature, a tree proof that today's ledger extends it, and for a
// receipt the record proof of its entry). It returns every problem found
// (up to 20), each naming the record, row, file or witness at fault.
func Verify(s Snapshot, o Options) (Report, error) {
	v := &verifier{o: o, byRef: map[Kind]map[string]logged{}}
	if err := v.readRecords(s); err != nil && !errors.Is(err, errStop) {
		return v.rep, err
	}
	if err := v.checkHashes(s); err != nil {
		return v.rep, err
	}
	if err := v.checkLatest(s); err != nil {
		return v.rep, err
	}
	if err := v.checkState(s); err != nil {
		return v.rep, err
	}
	v.checkFiles()
	for _, w := range o.Heads {
		v.checkHead(w)
	}
	for _, w := range o.Receipts {
		v.checkReceipt(w)
	}
	if len(v.problems) > 0 {
		return v.rep, &Problems{List: v.problems}
	}
	return v.rep, nil
}

// Problems is what Verify found wrong, each naming what is at fault.
type Problems struct {
	List []string
}

func (p *Problems) Error() string { return strings.Join(p.List, "\n") }

func (v *verifier) readRecords(s Snapshot) error {
	prevTime := ""
	return s.Records(func(n int64, data []byte) error {
		if n != v.t.size {
			v.fail("第 %d 条记录缺失（下一条是第 %d 条）", v.t.size, n)
			return errStop
		}
		hashes, err := tlog.StoredHashes(n, data, &v.t)
		if err != nil {
			return err
		}
		v.t.hashes = append(v.t.hashes, hashes...)
		v.t.size++
		v.records = append(v.records, data)
		v.rep.Records++
		r, err := DecodeRecord(data)
		if err != nil {
			v.fail("第 %d 条记录：%v", n, err)
			return nil
		}
		if r.Time < prevTime {
			v.fail("第 %d 条记录（%s %s）的时间 %s 早于前一条的 %s：账本中的服务器时间不能倒退，这条记录是事后补入或倒签的", n, r.Kind.Label(), r.Ref, r.Time, prevTime)
		}
		prevTime = r.Time
		if v.byRef[r.Kind] == nil {
			v.byRef[r.Kind] = map[string]logged{}
		}
		if prev, dup := v.byRef[r.Kind][r.Ref]; dup && (r.Kind == KindSubmission || r.Kind == KindReview) {
			v.fail("第 %d 条记录：%s %s 已在第 %d 条记录过，重复记录", n, r.Kind.Label(), r.Ref, prev.n)
		}
		v.byRef[r.Kind][r.Ref] = logged{n, r}
		return nil
	})
}

var errStop = errors.New("stop")

func (v *verifier) checkHashes(s Snapshot) error {
	var want int64
	err := s.Hashes(func(i int64, h tlog.Hash) error {
		if i != want || i >= int64(len(v.t.hashes)) {
			v.fail("树的存储哈希不连续或多出：第 %d 个", i)
			return errStop
		}
		if h != v.t.hashes[i] {
			level, n := tlog.SplitStoredHashIndex(i)
			v.fail("树的存储哈希 %d（第 %d 层第 %d 个）与记录算出的不符", i, level, n)
			return errStop
		}
		want++
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return err
	}
	if err == nil && want != int64(len(v.t.hashes)) {
		v.fail("树的存储哈希只有 %d 个，%d 条记录应有 %d 个", want, v.t.size, len(v.t.hashes))
	}
	return nil
}

func (v *verifier) root(n int64) (tlog.Hash, error) { return tlog.TreeHash(n, &v.t) }

func (v *verifier) checkLatest(s Snapshot) error {
	_, msg, err := s.Latest()
	if err != nil {
		return err
	}
	if msg == nil {
		if v.t.size > 0 {
			v.fail("账本有 %d 条记录，但没有签名树头", v.t.size)
		}
		return nil
	}
	h, err := OpenHead(msg, v.o.Verifier)
	if err != nil {
		v.fail("数据库中的最新树头：%v", err)
		return nil
	}
	v.rep.Head = h
	switch {
	case h.Size < v.t.size:
		v.fail("第 %d 条起的 %d 条记录没有签名树头覆盖：它们不是收集器写入的", h.Size, v.t.size-h.Size)
	case h.Size > v.t.size:
		v.fail("账本比它自己的最新树头短：%d < %d，末尾的记录被删除了", v.t.size, h.Size)
	default:
		if root, err := v.root(h.Size); err != nil {
			return err
		} else if root != h.Root {
			v.fail("最新树头（%d 条）的根哈希与记录算出的不符：记录在签名后被改动", h.Size)
		}
	}
	return nil
}

// checkState compares every row the store holds with its record.
func (v *verifier) checkState(s Snapshot) error {
	rows := map[Kind]int{}
	seen := map[Kind]map[string]bool{}
	err := s.State(func(row Record) error {
		rows[row.Kind]++
		if seen[row.Kind] == nil {
			seen[row.Kind] = map[string]bool{}
		}
		seen[row.Kind][row.Ref] = true
		l, ok := v.byRef[row.Kind][row.Ref]
		if !ok {
			v.fail("%s %s：数据库里有，账本里没有（事后插入）", row.Kind.Label(), row.Ref)
			return nil
		}
		row.Actor = l.rec.Actor
		if string(row.Encode()) != string(l.rec.Encode()) {
			v.fail("%s %s：数据库中的内容与账本第 %d 条记录不符（记录后被改动）", row.Kind.Label(), row.Ref, l.n)
		}
		return nil
	})
	if err != nil {
		return err
	}
	v.rep.Submissions = rows[KindSubmission]
	v.rep.Reviews = rows[KindReview]
	for _, k := range []Kind{KindSubmission, KindReview, KindModeration, KindBranchCode, KindAdmin} {
		for ref, l := range v.byRef[k] {
			if !seen[k][ref] {
				v.fail("%s %s：账本第 %d 条记录了它，数据库里却没有（被删除）", k.Label(), ref, l.n)
			}
		}
	}
	return nil
}

func (v *verifier) checkFiles() {
	if v.o.Files == nil {
		return
	}
	for _, l := range v.byRef[KindSubmission] {
		for _, f := range l.rec.Submission.Files {
			if err := v.o.Files.Check(f.SHA256); err != nil {
				v.fail("提交 %s 的文件 %s（%s）：%v", l.rec.Ref, f.Name, f.Field, err)
			}
			v.rep.Files++
		}
	}
}

// consistent proves that today's tree extends the tree of head h.
func (v *verifier) consistent(name string, h Head) bool {
	if err := Consistent(v.t.size, &v.t, h); err != nil {
		v.fail("%s：%v", name, err)
		return false
	}
	return true
}

// Consistent proves with a tree proof that the tree of size records, whose
// hashes r reads, extends the tree of head h (which must be opened, its
// signature checked). The error says what is wrong in Chinese.
func Consistent(size int64, r tlog.HashReader, h Head) error {
	if h.Size > size {
		return fmt.Errorf("账本比你持有的树头短：%d < %d（末尾记录被删除，或数据库被换成了旧备份）", size, h.Size)
	}
	if h.Size == 0 {
		return nil
	}
	root, err1 := tlog.TreeHash(size, r)
	p, err2 := tlog.ProveTree(size, h.Size, r)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("无法计算树证明：%w", err)
	}
	if tlog.CheckTree(p, size, root, h.Size, h.Root) != nil {
		return fmt.Errorf("今天的账本与你持有的树头（%d 条记录，%s）不一致：前 %d 条记录中有被改写、插入或删除的", h.Size, FormatTime(h.Time), h.Size)
	}
	return nil
}

func (v *verifier) checkHead(w Witness) {
	h, err := OpenHead(w.Data, v.o.Verifier)
	if err != nil {
		v.fail("%s：%v", w.Name, err)
		return
	}
	if v.consistent(w.Name, h) {
		v.rep.Heads++
	}
}

func (v *verifier) checkReceipt(w Witness) {
	r, err := ParseReceipt(w.Data)
	if err != nil {
		v.fail("%s：%v", w.Name, err)
		return
	}
	h, err := OpenHead([]byte(r.Ledger.Head), v.o.Verifier)
	if err != nil {
		v.fail("%s（回执 %s）：%v", w.Name, r.ID, err)
		return
	}
	n := r.Ledger.Index
	if n >= v.t.size {
		v.fail("%s：回执 %s 的第 %d 条记录不在账本中：账本比你持有的回执短：%d < %d", w.Name, r.ID, n, v.t.size, h.Size)
		return
	}
	data := v.records[n]
	rec, err := DecodeRecord(data)
	if err != nil || rec.Kind != KindSubmission || rec.Ref != r.ID || rec.Submission.SHA256 != r.SHA256 ||
		rec.Submission.Task != r.Task || rec.Submission.Period != r.Period || rec.Submission.Branch != r.Branch ||
		rec.Submission.Version != r.Version || rec.Time != FormatTime(r.Received) {
		v.fail("%s：回执 %s 对应的第 %d 条记录已不是这份提交（被改写或替换）", w.Name, r.ID, n)
		return
	}
	if tlog.CheckRecord(r.proof, h.Size, h.Root, n, tlog.RecordHash(data)) != nil {
		v.fail("%s：回执 %s 的第 %d 条记录与回执中树头的证明不符：记录被改动过", w.Name, r.ID, n)
		return
	}
	if v.consistent(w.Name+"（回执 "+r.ID+"）", h) {
		v.rep.Receipts++
	}
}

// SHA256 is the hex SHA-256 of s, as Secret and Moderation records bind
// what they cover.
func SHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
