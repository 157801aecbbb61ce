package ledger

import (
	"strconv"
	"time"

	"github.com/dangwu-org/dangwu/collector/jsonstr"
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
	// fields and files are where the lists' JSON lies in tail; values
	// where each field's value lies in it, start and end.
	fields, files [2]int
	values        []int32
}

// Value is the JSON string, quotes included, that the record holds for
// field i's value: the bytes jsonstr.Append writes for it, for a receipt
// that shows the value to copy instead of encoding it again (issue 11).
// They are the template's own bytes; the caller must not change them.
func (t *SubmissionTemplate) Value(i int) []byte {
	if 2*i+1 >= len(t.values) {
		return nil
	}
	return t.tail[t.values[2*i]:t.values[2*i+1]]
}

// templateHead is how every submission record starts, up to its time.
const templateHead = `{"v":1,"kind":"submission","time":"`

// NewSubmissionTemplate encodes the record of s by actor under ref, all
// but its Time, s.Version and s.Late. valuesChecked says every field value
// is valid UTF-8, checked by the caller (site.Field.Parse): they are then
// written without checking again, the same bytes (jsonstr.AppendValid).
func NewSubmissionTemplate(actor, ref string, s Submission, valuesChecked bool) SubmissionTemplate {
	var t SubmissionTemplate
	// Sized for the usual case (no escapes) so that neither grows.
	t.mid = make([]byte, 0, 96+len(actor)+len(ref)+len(s.Task)+len(s.Period)+len(s.Branch))
	n := 64 + len(s.Key) + len(s.SHA256)
	for _, f := range s.Fields {
		n += 24 + len(f.Name) + len(f.Value)
	}
	for _, f := range s.Files {
		n += 72 + len(f.Field) + len(f.Name) + len(f.Type) + len(f.SHA256)
	}
	t.tail = make([]byte, 0, n)
	t.mid = append(t.mid, `","actor":`...)
	t.mid = jsonstr.Append(t.mid, actor)
	t.mid = append(t.mid, `,"ref":`...)
	t.mid = jsonstr.Append(t.mid, ref)
	t.mid = append(t.mid, `,"submission":{"task":`...)
	t.mid = jsonstr.Append(t.mid, s.Task)
	t.mid = append(t.mid, `,"period":`...)
	t.mid = jsonstr.Append(t.mid, s.Period)
	t.mid = append(t.mid, `,"branch":`...)
	t.mid = jsonstr.Append(t.mid, s.Branch)
	t.mid = append(t.mid, `,"version":`...)
	t.tail = append(t.tail, `,"key":`...)
	t.tail = jsonstr.Append(t.tail, s.Key)
	t.tail = append(t.tail, `,"sha256":`...)
	t.tail = jsonstr.Append(t.tail, s.SHA256)
	t.tail = append(t.tail, `,"fields":`...)
	t.fields[0] = len(t.tail)
	t.values = make([]int32, 0, 2*len(s.Fields))
	t.tail = appendFields(t.tail, s.Fields, valuesChecked, &t.values)
	t.fields[1] = len(t.tail)
	t.tail = append(t.tail, `,"files":`...)
	t.files[0] = len(t.tail)
	t.tail = appendFiles(t.tail, s.Files)
	t.files[1] = len(t.tail)
	t.tail = append(t.tail, `}}`...)
	return t
}

// Lists returns the JSON of the record's fields and files lists, the
// bytes encoding/json gives for them: a store keeps the same lists in its
// row and takes them from here instead of encoding them again (issue 11).
// They are the template's own bytes; the caller must not change them.
func (t *SubmissionTemplate) Lists() (fields, files []byte) {
	return t.tail[t.fields[0]:t.fields[1]], t.tail[t.files[0]:t.files[1]]
}

// appendFields and appendFiles write the lists as encoding/json does
// (nil as null); the strings by jsonstr, not by json.Marshal, which was
// most of a record's encoding (issue 11). appendFields also notes where
// each value lies in b, start and end, into at.
func appendFields(b []byte, fs []Field, valuesChecked bool, at *[]int32) []byte {
	return appendList(b, fs, func(b []byte, f Field) []byte {
		b = append(b, `{"name":`...)
		b = jsonstr.Append(b, f.Name)
		b = append(b, `,"value":`...)
		start := len(b)
		if valuesChecked {
			b = jsonstr.AppendValid(b, f.Value)
		} else {
			b = jsonstr.Append(b, f.Value)
		}
		*at = append(*at, int32(start), int32(len(b)))
		return append(b, '}')
	})
}

func appendFiles(b []byte, fs []File) []byte {
	return appendList(b, fs, func(b []byte, f File) []byte {
		b = append(b, `{"field":`...)
		b = jsonstr.Append(b, f.Field)
		b = append(b, `,"name":`...)
		b = jsonstr.Append(b, f.Name)
		b = append(b, `,"type":`...)
		b = jsonstr.Append(b, f.Type)
		b = append(b, `,"size":`...)
		b = strconv.AppendInt(b, f.Size, 10)
		b = append(b, `,"sha256":`...)
		b = jsonstr.Append(b, f.SHA256)
		return append(b, '}')
	})
}

// appendList writes xs as a JSON array, each element by one; nil as null.
func appendList[T any](b []byte, xs []T, one func([]byte, T) []byte) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = one(b, x)
	}
	return append(b, ']')
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
