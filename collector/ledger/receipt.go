package ledger

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// KeptReceipt is a receipt (回执) as a branch keeps it: the JSON the
// collector answered, of which the ledger checks these fields.
type KeptReceipt struct {
	ID       string    `json:"id"`
	Task     string    `json:"task"`
	Period   string    `json:"period"`
	Branch   string    `json:"branch"`
	Version  int       `json:"version"`
	Received time.Time `json:"received"`
	SHA256   string    `json:"sha256"`
	Ledger   *Proof    `json:"ledger"`

	head  Head
	proof tlog.RecordProof
}

// ParseReceipt parses a kept receipt file and its ledger proof (the head's
// signature is checked later, by Verify).
func ParseReceipt(data []byte) (KeptReceipt, error) {
	var r KeptReceipt
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("回执不是有效的 JSON：%w", err)
	}
	if r.ID == "" {
		return r, errors.New("回执缺少回执编号（id）")
	}
	if r.Ledger == nil {
		return r, errors.New("回执没有账本证明（ledger），可能是账本启用前的回执")
	}
	h, err := ParseHead([]byte(r.Ledger.Head))
	if err != nil {
		return r, fmt.Errorf("回执中的树头：%w", err)
	}
	if r.Ledger.Index < 0 || r.Ledger.Index >= h.Size {
		return r, fmt.Errorf("回执的记录序号 %d 不在其树头的 %d 条记录之内", r.Ledger.Index, h.Size)
	}
	if len(r.Ledger.Proof) > 64 {
		return r, fmt.Errorf("回执的证明有 %d 个哈希，太多", len(r.Ledger.Proof))
	}
	r.head = h
	for i, s := range r.Ledger.Proof {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != tlog.HashSize {
			return r, fmt.Errorf("回执证明的第 %d 个哈希格式不对", i+1)
		}
		r.proof = append(r.proof, tlog.Hash(b))
	}
	return r, nil
}
