package collector

import (
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
	sub := &ledger.Submission{Task: r.Task, Period: r.Period, Branch: r.Branch, Version: r.Version,
		Late: r.Late, Key: key, SHA256: r.SHA256, Fields: []ledger.Field{}, Files: []ledger.File{}}
	for _, f := range fields {
		sub.Fields = append(sub.Fields, ledger.Field{Name: f.Name, Value: f.Value})
	}
	for _, f := range files {
		sub.Files = append(sub.Files, ledger.File{Field: f.Field, Name: f.Name, Type: f.Type, Size: f.Size, SHA256: f.SHA256})
	}
	return ledger.Record{Kind: ledger.KindSubmission, Time: ledger.FormatTime(r.Received), Actor: "branch:" + r.Branch, Ref: r.ID, Submission: sub}
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
