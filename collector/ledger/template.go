package ledger

import (
	"encoding/json"
	"strconv"
	"time"
)

// SubmissionTemplate is a submission record encoded ahead of its write
// transaction, with the three values that only the transaction knows left
// open: the record's time, the version and whether it is late. The
// writer fills them in (AppendSubmission) instead of encoding the whole
// record as JSON while it holds the write lock; the bytes are exactly
// those Encode gives for the same record (TestTemplateMatchesEncode,
// FuzzSubmissionTemplate).
type SubmissionTemplate struct {
	// mid runs from the time's closing quote to `"version":`; tail from
	// the comma after "late" to the end.
	mid, tail []byte
}

// templateHead is how every submission record starts, up to its time.
const templateHead = `{"v":1,"kind":"submission","time":"`

// NewSubmissionTemplate encodes the record of s by actor under ref, all
// but its Time, s.Version and s.Late.
func NewSubmissionTemplate(actor, ref string, s Submission) SubmissionTemplate {
	var t SubmissionTemplate
	t.mid = append(t.mid, `","actor":`...)
	t.mid = appendJSON(t.mid, actor)
	t.mid = append(t.mid, `,"ref":`...)
	t.mid = appendJSON(t.mid, ref)
	t.mid = append(t.mid, `,"submission":{"task":`...)
	t.mid = appendJSON(t.mid, s.Task)
	t.mid = append(t.mid, `,"period":`...)
	t.mid = appendJSON(t.mid, s.Period)
	t.mid = append(t.mid, `,"branch":`...)
	t.mid = appendJSON(t.mid, s.Branch)
	t.mid = append(t.mid, `,"version":`...)
	t.tail = append(t.tail, `,"key":`...)
	t.tail = appendJSON(t.tail, s.Key)
	t.tail = append(t.tail, `,"sha256":`...)
	t.tail = appendJSON(t.tail, s.SHA256)
	t.tail = append(t.tail, `,"fields":`...)
	t.tail = appendJSON(t.tail, s.Fields)
	t.tail = append(t.tail, `,"files":`...)
	t.tail = appendJSON(t.tail, s.Files)
	t.tail = append(t.tail, `}}`...)
	return t
}

// appendJSON appends v as json.Marshal writes it, which is also how it
// is written as a struct field (strings, ints, bools and their slices).
func appendJSON(b []byte, v any) []byte {
	j, err := json.Marshal(v)
	if err != nil {
		panic(err) // strings, ints and bools only: cannot fail
	}
	return append(b, j...)
}

// Fill returns the record's bytes with time t, version and late.
func (t *SubmissionTemplate) Fill(at time.Time, version int, late bool) []byte {
	b := make([]byte, 0, len(templateHead)+len(TimeFormat)+len(t.mid)+24+len(t.tail))
	b = append(b, templateHead...)
	b = at.UTC().AppendFormat(b, TimeFormat)
	b = append(b, t.mid...)
	b = strconv.AppendInt(b, int64(version), 10)
	b = append(b, `,"late":`...)
	b = strconv.AppendBool(b, late)
	return append(b, t.tail...)
}

// AppendSubmission adds the submission record of t, with this
// transaction's time, version and late, and returns its index.
func (a *Appender) AppendSubmission(t *SubmissionTemplate, version int, late bool) (int64, error) {
	if a.signer == nil {
		return 0, errNoSigner
	}
	a.last = a.now
	return a.appendData(t.Fill(a.now, version, late))
}
