package collector

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/dangwu-org/dangwu/collector/ledger"
)

// The ledger records of the collector's writes. A store appends them when
// it writes and builds them again from its rows when it is verified, so
// both sides come from these functions.

// SubmissionRecord is the ledger record of a stored version: every field
// value exactly as stored, every file's SHA-256, the server time received.
func SubmissionRecord(r Receipt, key string, fields []FieldValue, files []File) ledger.Record {
	sub := ledgerSubmission(r.Task, r.Period, r.Branch, key, r.SHA256, fields, files)
	sub.Version, sub.Late = r.Version, r.Late
	return ledger.Record{Kind: ledger.KindSubmission, Time: ledger.FormatTime(r.Received), Actor: "branch:" + r.Branch, Ref: r.ID, Submission: sub}
}

// ledgerSubmission is what a submission record binds, but its version and lateness.
func ledgerSubmission(task, period, branch, key, sha string, fields []FieldValue, files []File) *ledger.Submission {
	sub := &ledger.Submission{Task: task, Period: period, Branch: branch,
		Key: key, SHA256: sha, Fields: make([]ledger.Field, 0, len(fields)), Files: make([]ledger.File, 0, len(files))}
	for _, f := range fields {
		sub.Fields = append(sub.Fields, ledger.Field{Name: f.Name, Value: f.Value})
	}
	for _, f := range files {
		sub.Files = append(sub.Files, ledger.File{Field: f.Field, Name: f.Name, Type: f.Type, Size: f.Size, SHA256: f.SHA256})
	}
	return sub
}

// ReviewRecord is the ledger record of review id of the version with that receipt.
func ReviewRecord(id int64, receipt string, rv Review) ledger.Record {
	return ledger.Record{Kind: ledger.KindReview, Time: ledger.FormatTime(rv.At), Actor: "admin:" + rv.Admin, Ref: strconv.FormatInt(id, 10),
		Review: &ledger.Review{Receipt: receipt, Action: string(rv.Action), Comment: rv.Comment, Admin: rv.Admin}}
}

// ModerationRecord is the ledger record of a moderation decision on an opinion.
func ModerationRecord(o Opinion) ledger.Record {
	return ledger.Record{Kind: ledger.KindModeration, Time: ledger.FormatTime(o.Moderated), Actor: "admin:" + o.Admin, Ref: strconv.FormatInt(o.ID, 10),
		Moderation: &ledger.Moderation{Status: string(o.Status), Reply: o.Reply, Admin: o.Admin, ContentSHA256: ledger.SHA256(o.Content)}}
}

// SecretRecord is the ledger record of a branch code (kind
// ledger.KindBranchCode, ref the branch) or an admin password
// (ledger.KindAdmin, ref the name) set at t to the slow hash given.
func SecretRecord(kind ledger.Kind, ref, hash string, t time.Time) ledger.Record {
	return ledger.Record{Kind: kind, Time: ledger.FormatTime(t), Actor: "cli", Ref: ref, Secret: &ledger.Secret{HashSHA256: ledger.SHA256(hash)}}
}

// StoredSubmissionRecord is the record a stored version's row must match,
// from its columns as stored: the receipt, the client key and the field
// and file lists as JSON. Rows that do not decode, or whose content hash
// does not match their values, give a record no ledger record matches, so
// Verify reports them.
func StoredSubmissionRecord(r Receipt, key, fieldsJSON, filesJSON string) ledger.Record {
	var fields []FieldValue
	var files []File
	if json.Unmarshal([]byte(fieldsJSON), &fields) != nil || json.Unmarshal([]byte(filesJSON), &files) != nil {
		fields, files = []FieldValue{{Name: "?", Value: fieldsJSON + filesJSON}}, nil
	}
	sub := Submission{Task: r.Task, Period: r.Period, Branch: r.Branch, Fields: fields, Files: files}
	if sub.ContentHash() != r.SHA256 {
		r.SHA256 = "内容摘要与字段不符:" + r.SHA256
	}
	return SubmissionRecord(r, key, fields, files)
}

// StoredFields reads a submission row's field values. A version stored
// with a ledger record keeps them in the record only, its fields_json
// left empty (issue 11); a row stored before the ledger, or one given
// fields_json since (which verify then holds to the record), keeps its
// own. A store selects StoredFieldsSQL into Dest and calls JSON; the
// record's list is taken out in Go, byte for byte, not by the database's
// JSON functions (PostgreSQL's refuse a \u0000 in a value and any escape
// on a database not in UTF-8).
type StoredFields struct {
	ID, Own string
	Record  []byte
}

// StoredFieldsSQL is what StoredFields reads of a row s: its receipt, its
// fields_json and, when that is empty, its ledger record. Both stores'
// SQL.
const StoredFieldsSQL = `s.receipt, s.fields_json, CASE WHEN s.fields_json = '' THEN (SELECT l.data FROM ledger_records l WHERE l.idx = s.ledger_index) END`

// Dest is where a row's Scan puts StoredFieldsSQL's columns.
func (f *StoredFields) Dest() []any { return []any{&f.ID, &f.Own, &f.Record} }

// JSON is the row's field values as JSON: its own fields_json, or the
// fields list of its ledger record. It fails when the row has neither, or
// its record is another version's or no submission's: a database changed
// behind the collector's back.
func (f *StoredFields) JSON() (string, error) {
	if f.Own != "" {
		return f.Own, nil
	}
	var rec struct {
		Ref        string `json:"ref"`
		Submission *struct {
			Fields json.RawMessage `json:"fields"`
		} `json:"submission"`
	}
	if len(f.Record) == 0 || json.Unmarshal(f.Record, &rec) != nil || rec.Ref != f.ID || rec.Submission == nil || rec.Submission.Fields == nil {
		return "", fmt.Errorf("提交 %s 的填写内容读不出：它的账本记录缺失或不是它的（数据库可能被改动过，请运行 dangwu verify）", f.ID)
	}
	return string(rec.Submission.Fields), nil
}

// Decode decodes the row's field values (JSON) into out.
func (f *StoredFields) Decode(out *[]FieldValue) error {
	js, err := f.JSON()
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(js), out)
}
