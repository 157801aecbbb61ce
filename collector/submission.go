package collector

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/collector/ledger"
	"github.com/dangwu-org/dangwu/generator/site"
)

// Submission is a validated answer of one branch to one obligation, ready to
// be stored as a new version.
type Submission struct {
	// Task, Period and Branch identify the obligation and who answers it.
	Task   string
	Period string
	Branch string
	// Key is the client's submission id (idempotency key); empty when none.
	Key string
	// Fields are the text values in the task's field order.
	Fields []FieldValue
	// Files are the uploaded files, already written to the file store.
	Files []File
	// Deadline makes the version late when received at or after it (zero: never).
	Deadline time.Time
	// Closes refuses the submission when received at or after it (zero: never).
	Closes time.Time
	// FieldsChecked says every Fields value passed site.Field.Parse
	// (ValidateFields does it): valid UTF-8, which the encoder of the
	// ledger record then does not check again. False is always safe.
	FieldsChecked bool
	// CodeHash, when not empty, is the branch's stored code hash the
	// sender's code was checked against. The store checks it in the
	// transaction that would hold the version and refuses with
	// ErrCodeChanged when the branch's hash is another by then (a rotation
	// by any process came in between), so a checker may check codes
	// against a hash it remembers instead of reading it for every post.
	CodeHash string

	// record is the ledger record Prepare made last (QuotedValue).
	record *ledger.SubmissionTemplate
}

// QuotedValue is Fields[i].Value as a JSON string, quotes included, the
// bytes of the ledger record that a store's Submit prepared for it, for a
// receipt to copy instead of encoding the value again (issue 11); nil
// before Submit prepared s. The caller must not change them.
func (s *Submission) QuotedValue(i int) []byte {
	if s.record == nil {
		return nil
	}
	return s.record.Value(i)
}

// FieldValue is one submitted text value.
type FieldValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// File is one uploaded file, stored by its content's SHA-256.
type File struct {
	Field string `json:"field"`
	// Name is the file's display name, cleaned; never used as a path.
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// ContentHash is the SHA-256 of what was submitted: every field and every
// file's hash, in order, unambiguously framed. A receipt carries it.
func (s *Submission) ContentHash() string {
	// Framed into one buffer and hashed at once: three small writes to
	// the hash a part were most of its cost (issue 11).
	n := 64
	for _, f := range s.Fields {
		n += 16 + len(f.Name) + len(f.Value)
	}
	b := make([]byte, 0, n)
	frame := func(parts ...string) {
		for _, p := range parts {
			b = strconv.AppendInt(b, int64(len(p)), 10)
			b = append(b, ':')
			b = append(b, p...)
		}
	}
	frame("task", s.Task, "period", s.Period, "branch", s.Branch)
	for _, f := range s.Fields {
		frame("field", f.Name, f.Value)
	}
	for _, f := range s.Files {
		frame("file", f.Field, f.Name, f.Type, strconv.FormatInt(f.Size, 10), f.SHA256)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Retry answers s, whose Key was stored before as prev: prev when the
// content is the same (nothing is stored again), else ErrKeyReused.
func (s *Submission) Retry(prev Receipt) (Receipt, error) {
	if prev.SHA256 != s.ContentHash() {
		return Receipt{}, ErrKeyReused
	}
	return prev, nil
}

// NewReceipt is the receipt of s stored as version at now, under a new
// receipt id: late when now is at or after the deadline. Received at or
// after s.Closes it is refused with Closed.
func (s *Submission) NewReceipt(version int, now time.Time) (Receipt, error) {
	return s.receipt(NewReceiptID(), s.ContentHash(), version, now)
}

func (s *Submission) receipt(id, sha string, version int, now time.Time) (Receipt, error) {
	if !s.Closes.IsZero() && !now.Before(s.Closes) {
		return Receipt{}, Closed(s.Closes)
	}
	return Receipt{
		ID: id, Task: s.Task, Period: s.Period, Branch: s.Branch, Version: version,
		Received: now.UTC(), Late: !s.Deadline.IsZero() && !now.Before(s.Deadline), SHA256: sha,
	}, nil
}

// Prepared is a submission with what storing it needs worked out before
// the store's write transaction: its receipt id, content hash, file list
// and ledger record, but for the values only the transaction gives (the
// time, the version, lateness). A store's one writer then does as little
// as it can while it holds the write lock (issue 11).
type Prepared struct {
	*Submission
	// ID and SHA256 are the receipt id and content hash a new version gets.
	ID, SHA256 string
	// Files is Submission.Files, never nil.
	Files []File
	// Record is the ledger record of the new version, to be filled in.
	Record ledger.SubmissionTemplate
	// FilesJSON is Files as encoding/json writes it: the record's list,
	// taken from it rather than encoded again (issue 11). A store's row
	// keeps it; the fields stay in the record only (StoredFields).
	FilesJSON string
}

// FieldsJSON is Fields as encoding/json writes it, taken from the record
// like FilesJSON: for a store without a ledger (BenchmarkLedgerCost's).
// Made when asked, since a store with one has no use for the copy.
func (p *Prepared) FieldsJSON() string {
	if p.Fields == nil {
		return "null" // the record always has a list
	}
	fields, _ := p.Record.Lists()
	return string(fields)
}

// Prepare works out what storing s needs ahead of the write, at now (the
// store's clock, which the receipt id's first characters follow).
func (s *Submission) Prepare(now time.Time) *Prepared {
	p := &Prepared{Submission: s, ID: NewReceiptIDAt(now), SHA256: s.ContentHash(), Files: s.Files}
	if p.Files == nil {
		p.Files = []File{}
	}
	p.Record = ledger.NewSubmissionTemplate("branch:"+s.Branch, p.ID,
		*ledgerSubmission(s.Task, s.Period, s.Branch, s.Key, p.SHA256, s.Fields, p.Files), s.FieldsChecked)
	_, files := p.Record.Lists()
	p.FilesJSON = string(files)
	s.record = &p.Record
	return p
}

// NewReceipt is the receipt of the prepared submission stored as version
// at now, as Submission.NewReceipt but with the prepared id and hash.
func (p *Prepared) NewReceipt(version int, now time.Time) (Receipt, error) {
	return p.receipt(p.ID, p.SHA256, version, now)
}

// Retry is Submission.Retry with the prepared hash.
func (p *Prepared) Retry(prev Receipt) (Receipt, error) {
	if prev.SHA256 != p.SHA256 {
		return Receipt{}, ErrKeyReused
	}
	return prev, nil
}

var receiptEncoding = base32.NewEncoding("abcdefghijkmnpqrstuvwxyz23456789").WithPadding(base32.NoPadding)

// NewReceiptID is 120 random bits: a receipt id is its own capability to
// read the receipt.
func NewReceiptID() string {
	b := make([]byte, 15)
	rand.Read(b)
	return receiptEncoding.EncodeToString(b)
}

// NewReceiptIDAt is a receipt id made at t: six characters that change
// once a millisecond, then NewReceiptID's 120 random bits. The prefix
// keeps the ids of one batch together in the store's unique index of
// receipts: wholly random ids put each insert on another index page, and
// writing those pages was half of a batch's WAL (issue 11). A prefix of
// the second still spread one second's ids, thousands under load, over
// some sixty index pages, and a batch's inserts split pages in the middle
// of that range; with the millisecond a batch's few milliseconds of ids
// share a few neighbouring pages (3.4 WAL pages a commit under wrk;
// submissions 7–10 % faster in alternated runs). The prefix is the low 30
// bits of the Unix millisecond, so it wraps every 12.4 days; ids stay
// unique by their random part, and the time it tells the receipt says
// anyway.
func NewReceiptIDAt(t time.Time) string {
	var b [19]byte
	rand.Read(b[3:])
	// The low 30 bits of the millisecond, then 120 random bits: 30 characters.
	w := uint32(t.UnixMilli()) << 2
	b[0], b[1], b[2], b[3] = byte(w>>24), byte(w>>16), byte(w>>8), byte(w)|b[3]&3
	return receiptEncoding.EncodeToString(b[:])[:30]
}

// Receipt is what the collector answers for a stored version (回执).
type Receipt struct {
	ID       string    `json:"id"`
	Task     string    `json:"task"`
	Period   string    `json:"period"`
	Branch   string    `json:"branch"`
	Version  int       `json:"version"`
	Received time.Time `json:"received"`
	Late     bool      `json:"late"`
	// SHA256 is the submission's ContentHash.
	SHA256 string `json:"sha256"`
	// Review is the latest review of this version, if any.
	Review *Review `json:"review,omitempty"`
	// Ledger proves the version's record is in the ledger: its index, a
	// signed head and the record proof to it.
	Ledger *ledger.Proof `json:"ledger,omitempty"`
	// Fields are the stored values (canonical, as site.Field.Parse made
	// them) when the store returns them; not part of a receipt file.
	Fields []FieldValue `json:"-"`
}

// Version is one stored version with its content, for export and review.
type Version struct {
	Receipt
	Fields []FieldValue
	Files  []File
}

// Review is the committee's decision on one version (审核).
type Review struct {
	Action  ReviewAction `json:"action"`
	Comment string       `json:"comment"`
	Admin   string       `json:"admin"`
	At      time.Time    `json:"at"`
}

// ReviewAction is approve or return.
type ReviewAction string

// The review actions.
const (
	ActionApprove ReviewAction = "approve" // 通过
	ActionReturn  ReviewAction = "return"  // 退回修改
)

// Session is an admin's login session (后台登录).
type Session struct {
	// TokenHash is the SHA-256 of the cookie's random token; the token
	// itself is never stored.
	TokenHash string
	Admin     string
	// CSRF is the token every form of the session must carry.
	CSRF    string
	Expires time.Time
}

// Opinion is a public opinion or suggestion (群众意见).
type Opinion struct {
	ID int64
	// Ref is the reference number (意见编号) the citizen looks it up by:
	// unguessable, unlike ID; empty for opinions stored before it existed.
	Ref     string
	Content string
	// Name and Contact are optional; Contact is never published.
	Name    string
	Contact string
	// Client is a hash of the sender's address, for abuse handling only.
	Client    string
	Created   time.Time
	Status    OpinionStatus
	Reply     string
	Admin     string
	Moderated time.Time
}

// OpinionStatus is where an opinion is in moderation.
type OpinionStatus string

// The moderation states.
const (
	OpinionPending   OpinionStatus = "pending"   // 待审核
	OpinionPublished OpinionStatus = "published" // 已公开
	OpinionRejected  OpinionStatus = "rejected"  // 不予公开
)

// refAlphabet leaves out letters and digits read alike (0 O 1 I L).
const refAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// NewOpinionRef returns a reference number for an opinion received at
// now in loc: YJ, the date, and 8 random characters (40 bits), such as
// YJ20261202-7K3QX9MA. random fills b with random bytes.
func NewOpinionRef(now time.Time, random func(b []byte)) string {
	b := make([]byte, 8)
	random(b)
	for i := range b {
		b[i] = refAlphabet[int(b[i])%len(refAlphabet)]
	}
	return "YJ" + now.Format("20060102") + "-" + string(b)
}

// NormalizeOpinionRef is a reference number as typed (spaces, lower case,
// full-width) in its stored form.
func NormalizeOpinionRef(s string) string {
	s = strings.ToUpper(strings.ReplaceAll(site.HalfWidth(s), " ", ""))
	if len(s) > 40 {
		return ""
	}
	return s
}
