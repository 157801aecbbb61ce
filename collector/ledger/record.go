package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// RecordVersion is the version of the record encoding; a record carries it
// as "v" so that a later encoding can be told apart.
const RecordVersion = 1

// Kind says what a record is.
type Kind string

// The kinds of record.
const (
	KindSubmission Kind = "submission"  // 提交
	KindReview     Kind = "review"      // 审核
	KindModeration Kind = "moderation"  // 意见审核
	KindBranchCode Kind = "branch_code" // 提交码更换
	KindAdmin      Kind = "admin"       // 管理员密码设置
	KindLegacy     Kind = "legacy"      // 迁移前哈希链中已被后来的记录取代的条目
)

// Label is the kind's Chinese name, for messages.
func (k Kind) Label() string {
	switch k {
	case KindSubmission:
		return "提交"
	case KindReview:
		return "审核"
	case KindModeration:
		return "意见审核"
	case KindBranchCode:
		return "提交码更换"
	case KindAdmin:
		return "管理员密码设置"
	case KindLegacy:
		return "迁移前记录"
	}
	return string(k)
}

// Record is one entry of the ledger. Its encoding (Encode) is what the tree
// hashes: deterministic JSON of this struct, fields in this order.
type Record struct {
	V    int  `json:"v"`
	Kind Kind `json:"kind"`
	// Time is the server time of the commit, UTC in TimeFormat; it never
	// runs backwards from one record to the next.
	Time string `json:"time"`
	// Actor is who caused it: "branch:ID", "admin:NAME", "cli" or "migration".
	Actor string `json:"actor"`
	// Ref identifies the thing recorded: a receipt id, a review id, an
	// opinion id, a branch id or an admin name.
	Ref string `json:"ref"`

	Submission *Submission `json:"submission,omitempty"`
	Review     *Review     `json:"review,omitempty"`
	Moderation *Moderation `json:"moderation,omitempty"`
	Secret     *Secret     `json:"secret,omitempty"`
	Legacy     *Legacy     `json:"legacy,omitempty"`
}

// Submission is what a submission record binds: everything of the stored version.
type Submission struct {
	Task    string  `json:"task"`
	Period  string  `json:"period"`
	Branch  string  `json:"branch"`
	Version int     `json:"version"`
	Late    bool    `json:"late"`
	Key     string  `json:"key"`
	SHA256  string  `json:"sha256"`
	Fields  []Field `json:"fields"`
	Files   []File  `json:"files"`
}

// Field is one text value exactly as stored.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// File is one stored file: its field, display name, type, size and SHA-256.
type File struct {
	Field  string `json:"field"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Review is an approval or a return of one version.
type Review struct {
	Receipt string `json:"receipt"`
	Action  string `json:"action"`
	Comment string `json:"comment"`
	Admin   string `json:"admin"`
}

// Moderation is the decision on a public opinion.
type Moderation struct {
	Status        string `json:"status"`
	Reply         string `json:"reply"`
	Admin         string `json:"admin"`
	ContentSHA256 string `json:"content_sha256"`
}

// Secret is a branch code or admin password change: the SHA-256 of the
// stored slow hash (never the hash itself, never the code).
type Secret struct {
	HashSHA256 string `json:"hash_sha256"`
}

// Legacy is an entry of the hash chain of before the ledger whose content
// no row holds any more (an earlier code or password): what the chain knew.
type Legacy struct {
	Seq           int64  `json:"seq"`
	Kind          string `json:"kind"`
	Ref           string `json:"ref"`
	PayloadSHA256 string `json:"payload_sha256"`
	Hash          string `json:"hash"`
}

// TimeFormat is the one format of times in records: fixed width, so that
// text order is time order.
const TimeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// FormatTime formats t as records do.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// Encode returns the record's bytes, the input of its tree hash.
func (r *Record) Encode() []byte {
	r.V = RecordVersion
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // strings, ints and bools only: cannot fail
	}
	return b
}

// DecodeRecord parses a record's bytes. It refuses unknown fields, an
// unknown version and bytes that are not exactly what Encode would write,
// so that one record has one encoding.
func DecodeRecord(data []byte) (Record, error) {
	var r Record
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, fmt.Errorf("记录无法解析：%w", err)
	}
	if r.V != RecordVersion {
		return r, fmt.Errorf("记录的编码版本 %d 未知", r.V)
	}
	if _, err := time.Parse(TimeFormat, r.Time); err != nil {
		return r, fmt.Errorf("记录的时间 %q 格式不对", r.Time)
	}
	if !bytes.Equal(r.Encode(), data) {
		return r, fmt.Errorf("记录的编码不是规范形式")
	}
	return r, nil
}
