package ledger

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Tx is what the ledger needs of a store inside one of its write
// transactions. Everything it reads must be read inside that transaction
// (after the write lock is taken), never from a cache: another process may
// have appended since. (Appender.Continue takes hashes from the batch
// committed before only when the head read is still the one it held.)
type Tx interface {
	// ReadHashes returns the tree's stored hashes at the given indexes
	// (tlog.HashReader), including those this transaction stored.
	ReadHashes(indexes []int64) ([]tlog.Hash, error)
	// Latest returns the number of records stored and the newest signed
	// head (nil when there is none).
	Latest() (size int64, head []byte, err error)
	// Append stores record n's bytes and the tree hashes it adds, which
	// belong at stored indexes tlog.StoredHashIndex(0, n) onwards.
	Append(n int64, data []byte, hashes []tlog.Hash) error
	// SaveHead stores a signed head of the tree of size records.
	SaveHead(size int64, head []byte) error
}

// ErrInconsistent is returned by Begin when the store's records and its
// newest head disagree: someone wrote to the store behind the ledger.
var ErrInconsistent = errors.New("账本记录数与最新签名树头不符，请先运行 dangwu verify 查明原因")

// Appender adds records within one write transaction and signs the head
// at its end.
type Appender struct {
	tx     Tx
	signer note.Signer
	start  int64
	size   int64
	now    time.Time
	last   time.Time // the time of the last record
	head   []byte
	// pending holds the hashes this transaction stored or read.
	pending map[int64]tlog.Hash
}

// Begin starts appending in tx at time now. The time the records get is
// now, or the newest head's time when now is before it (a clock stepped
// back), so that time never runs backwards in the ledger; Now reports it.
func Begin(tx Tx, signer note.Signer, now time.Time) (*Appender, error) {
	size, msg, err := tx.Latest()
	if err != nil {
		return nil, err
	}
	a := &Appender{tx: tx, signer: signer, start: size, size: size, now: now.UTC(), head: msg, pending: map[int64]tlog.Hash{}}
	if msg == nil {
		if size != 0 {
			return nil, ErrInconsistent
		}
		return a, nil
	}
	h, err := ParseHead(msg)
	if err != nil {
		return nil, fmt.Errorf("最新树头：%w", err)
	}
	if h.Size != size {
		return nil, ErrInconsistent
	}
	if a.now.Before(h.Time) {
		a.now = h.Time
	}
	a.last = h.Time
	return a, nil
}

// Continue takes from prev, the Sealed of the batch this store committed
// last, the hashes at the right edge of its tree (the roots of the
// complete subtrees it is made of: all that appending to it and signing
// the next head read), when the transaction's newest head is the head
// prev holds (the head its batch signed or, when it appended nothing,
// read). The same signed head is the same tree, so those hashes are
// the ones the store holds; without them each batch read them again, one
// query each, and that was a twentieth of the collector's CPU under wrk
// (issue 11). When the head is another (another process appended, the
// file was restored) nothing of prev is taken and they are read as
// before. Continue must come before the first Append; it reports whether
// prev's tree is this transaction's, whose hashes it then took as far as
// prev held them (a batch that appended nothing holds only those it was
// given or read).
func (a *Appender) Continue(prev *Sealed) bool {
	if prev == nil || a.head == nil || a.size != a.start || prev.size != a.size || !bytes.Equal(prev.head, a.head) {
		return false
	}
	for _, x := range rightEdge(a.size) {
		if h, ok := prev.known[x]; ok {
			a.pending[x] = h
		}
	}
	return true
}

// rightEdge is the stored hash indexes of the roots of the complete
// subtrees a tree of n records is made of, largest first: the hashes
// tlog.TreeHash reads for n; the left siblings tlog.StoredHashes reads to
// append record n are among them.
func rightEdge(n int64) []int64 {
	var out []int64
	var lo int64
	for level := 62; level >= 0; level-- {
		if n&(1<<level) != 0 {
			out = append(out, tlog.StoredHashIndex(level, lo>>level))
			lo += 1 << level
		}
	}
	return out
}

// Next is the index the next record appended gets.
func (a *Appender) Next() int64 { return a.size }

// Appended is how many records this transaction has appended so far.
func (a *Appender) Appended() int64 { return a.size - a.start }

// Now is the time of this transaction's records.
func (a *Appender) Now() time.Time { return a.now }

// ReadHashes reads hashes stored or read before by this transaction from
// memory and the others from the store. Those read are kept for the rest
// of this transaction, which holds the write lock: the proofs of a batch's
// receipts share most of their hashes, and reading each from the store
// again was a tenth of the collector's CPU under load.
func (a *Appender) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	return readKnown(a.pending, indexes, a.tx.ReadHashes, true)
}

// readKnown reads the hashes at indexes from known and the others through
// read, adding those to known when keep is set.
func readKnown(known map[int64]tlog.Hash, indexes []int64, read func([]int64) ([]tlog.Hash, error), keep bool) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	var at []int
	for i, x := range indexes {
		if h, ok := known[x]; ok {
			out[i] = h
			continue
		}
		missing = append(missing, x)
		at = append(at, i)
	}
	if len(missing) == 0 {
		return out, nil
	}
	hs, err := read(missing)
	if err != nil {
		return nil, err
	}
	if len(hs) != len(missing) {
		return nil, fmt.Errorf("store returned %d hashes for %d indexes", len(hs), len(missing))
	}
	for j, i := range at {
		out[i] = hs[j]
		if keep {
			known[missing[j]] = hs[j]
		}
	}
	return out, nil
}

// errNoSigner is returned when the key file holds only a public key.
var errNoSigner = errors.New("账本密钥只有公钥，无法签名：写入需要 ledger.key 中的私钥")

// Append adds r (its Time set to Now) and returns its index.
func (a *Appender) Append(r Record) (int64, error) {
	return a.AppendAt(r, a.now)
}

// AppendAt adds r with time t, which must not be before the time of the
// record before it; later records of the transaction are not before t
// either. It is for migrating a history whose times are already fixed;
// everything else uses Append.
func (a *Appender) AppendAt(r Record, t time.Time) (int64, error) {
	if a.signer == nil {
		return 0, errNoSigner
	}
	t = t.UTC()
	if t.Before(a.last) {
		return 0, fmt.Errorf("记录 %s %s 的时间 %s 早于前一条的 %s：账本中的时间不能倒退", r.Kind.Label(), r.Ref, FormatTime(t), FormatTime(a.last))
	}
	a.last = t
	if a.now.Before(t) {
		a.now = t
	}
	r.Time = FormatTime(t)
	return a.appendData(r.Encode())
}

// appendData stores an encoded record and its tree hashes.
func (a *Appender) appendData(data []byte) (int64, error) {
	n := a.size
	hashes, err := tlog.StoredHashes(n, data, a)
	if err != nil {
		return 0, err
	}
	if err := a.tx.Append(n, data, hashes); err != nil {
		return 0, err
	}
	base := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		a.pending[base+int64(i)] = h
	}
	a.size++
	return n, nil
}

// Finish signs and stores the head when records were appended or when the
// ledger has no head yet (the head of the empty tree). It returns the
// newest head either way.
func (a *Appender) Finish() ([]byte, error) {
	if a.size == a.start && a.head != nil {
		return a.head, nil
	}
	if a.signer == nil {
		return nil, errNoSigner
	}
	root, err := tlog.TreeHash(a.size, a)
	if err != nil {
		return nil, err
	}
	msg, err := Head{Size: a.size, Root: root, Time: a.now}.Sign(a.signer)
	if err != nil {
		return nil, err
	}
	if err := a.tx.SaveHead(a.size, msg); err != nil {
		return nil, err
	}
	a.head = msg
	return msg, nil
}

// Prove returns the inclusion proof of record n in the newest head, after
// Finish, inside the transaction (Seal proves after it).
func (a *Appender) Prove(n int64) (*Proof, error) {
	return Prove(a.head, a.size, n, a)
}

// Seal ends the Appender's use in its write transaction, which has
// committed: the head it signed last and the hashes it stored or read
// become a Sealed, which proves records of that head's tree outside the
// transaction, in the goroutines of the requests rather than in the
// store's one writer, which holds the write lock (issue 11). read reads
// the hashes the transaction did not see, from any committed state: a
// stored tree hash never changes; with read nil the Sealed proves only
// what it holds (one kept for Continue alone). The Appender must not be
// used after.
func (a *Appender) Seal(read func(indexes []int64) ([]tlog.Hash, error)) *Sealed {
	return &Sealed{head: a.head, headText: string(a.head), size: a.size, known: a.pending, read: read}
}

// Sealed is a committed Appender's signed tree, for proofs (Appender.Seal).
// It is safe for concurrent use: it only reads what it holds.
type Sealed struct {
	head []byte
	// headText is head as the string every receipt of the batch carries,
	// made once rather than once a receipt.
	headText string
	size     int64
	known    map[int64]tlog.Hash
	read     func(indexes []int64) ([]tlog.Hash, error)
}

// Prove returns the inclusion proof of record n in the sealed head.
func (s *Sealed) Prove(n int64) (*Proof, error) {
	return prove(s.head != nil, s.headText, s.size, n, s)
}

// ReadHashes reads the hashes the transaction held from memory and the
// others through read; it changes nothing, so many goroutines may call it.
func (s *Sealed) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	read := s.read
	if read == nil {
		read = func(ix []int64) ([]tlog.Hash, error) {
			return nil, fmt.Errorf("tree hash %d is not held by the sealed batch", ix[0])
		}
	}
	return readKnown(s.known, indexes, read, false)
}

// Proof is what a receipt carries: the record's index, a signed head and
// the record proof (hashes, base64) of the record in that head's tree.
type Proof struct {
	Index int64    `json:"index"`
	Head  string   `json:"head"`
	Proof []string `json:"proof"`
}

// Prove returns the inclusion proof of record n in the tree of size
// records whose signed head is head, reading hashes from r.
func Prove(head []byte, size, n int64, r tlog.HashReader) (*Proof, error) {
	return prove(head != nil, string(head), size, n, r)
}

// prove is Prove with the head as the string a Proof carries; signed
// says there is a head at all.
func prove(signed bool, head string, size, n int64, r tlog.HashReader) (*Proof, error) {
	if !signed || n >= size {
		return nil, fmt.Errorf("record %d is not in a signed tree of %d records", n, size)
	}
	p, err := tlog.ProveRecord(size, n, r)
	if err != nil {
		return nil, err
	}
	out := &Proof{Index: n, Head: head, Proof: make([]string, len(p))}
	// All of them in one string, each cut from it: a receipt's seventeen
	// or so were as many allocations (issue 11).
	w := base64.StdEncoding.EncodedLen(tlog.HashSize)
	buf := make([]byte, len(p)*w)
	for i, h := range p {
		base64.StdEncoding.Encode(buf[i*w:], h[:])
	}
	all := string(buf)
	for i := range p {
		out.Proof[i] = all[i*w : (i+1)*w]
	}
	return out, nil
}
