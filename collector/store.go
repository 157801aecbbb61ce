package collector

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/collector/ledger"
)

// The store contract. Everything outside a store package (the HTTP layer,
// the admin, the status feedback, the commands) reaches storage through
// these interfaces only; collector/sqlite and collector/postgres implement
// all of them, and collector/storetest runs both through the same suite. A
// store that needs a special case above it has broken the contract.
//
// Guarantees common to every write method:
//   - Atomic: the rows and the ledger records of one call commit together
//     in one transaction, or nothing of them does.
//   - Acknowledged means durable: when a write returns nil, it has been
//     committed with the store's full durability (SQLite: WAL with
//     synchronous=FULL; PostgreSQL: synchronous_commit on) and survives
//     kill -9 of any process and power loss of the machine.
//   - Serialised: the ledger is appended by one writer at a time across
//     every process on the database (SQLite's write lock; PostgreSQL's
//     advisory lock), so its records form one tree with no fork, and each
//     write reads the ledger's size and head inside its own transaction.
//   - A domain refusal (*Error with a code other than EUNAVAILABLE) means
//     nothing was written. A storage failure is an *Error with code
//     EUNAVAILABLE (Unavailable): nothing was acknowledged, the caller
//     may retry. A caller whose ctx ends while waiting gets ctx.Err(); the
//     write then happens or not as a whole.
//
// Reads see committed data only. Methods that say so read in one snapshot.

// Submissions keeps the branches' answers as versions, and their reviews.
type Submissions interface {
	// Submit stores s as a new version of (task, period, branch), the next
	// version number after the newest, with its ledger record in the same
	// transaction, and returns its receipt with a proof of that record to
	// the head signed at its commit.
	// A repeated s.Key with the same content (ContentHash) stores nothing
	// and returns the first receipt; with other content ErrKeyReused.
	// Received at or after s.Closes: a Closed error (ECONFLICT).
	Submit(ctx context.Context, s *Submission) (Receipt, error)
	// Expect announces a Submit on its way (a post being read and
	// checked): it returns ctx to pass to that Submit and a func to call
	// (deferred) when the post ends, submitted or not. A writer gathering
	// a batch stops waiting out its linger at the first write or
	// withdrawal after which no announced write is left to come.
	Expect(ctx context.Context) (context.Context, func())
	// Receipt returns the version with that receipt id, its stored field
	// values (Receipt.Fields), its latest review and the proof of its
	// record to the newest head, in one snapshot.
	// Returns ErrNotFound for an unknown id.
	Receipt(ctx context.Context, id string) (Receipt, error)
	// Summaries returns one Summary per (task, period, branch) with a
	// version, ordered by task, period, branch.
	Summaries(ctx context.Context) ([]Summary, error)
	// Versions returns every version of a task (all periods and branches)
	// in the order they were stored, each with its latest review.
	Versions(ctx context.Context, task string) ([]Version, error)
	// Export is Versions and the newest signed head, in one snapshot: the
	// head the export was made at.
	Export(ctx context.Context, task string) ([]Version, []byte, error)
	// AddReview appends a review (approve or return) of the version with
	// that receipt, with its ledger record. Returns ErrNotFound for an
	// unknown receipt.
	AddReview(ctx context.Context, receipt string, r Review) error
	// FileHashes returns the SHA-256 of every uploaded file a version
	// refers to (the sweep keeps those).
	FileHashes(ctx context.Context) (map[string]bool, error)
}

// Secrets keeps the slow hashes of branch access codes and admin passwords.
type Secrets interface {
	// SetBranchCode replaces a branch's code hash, with its ledger record.
	SetBranchCode(ctx context.Context, branch, hash string) error
	// BranchCodeHash returns the stored hash, or ErrNotFound.
	BranchCodeHash(ctx context.Context, branch string) (string, error)
	// SetAdminPassword creates an admin or replaces its password hash, with
	// its ledger record.
	SetAdminPassword(ctx context.Context, name, hash string) error
	// AdminPasswordHash returns the stored hash, or ErrNotFound.
	AdminPasswordHash(ctx context.Context, name string) (string, error)
}

// Sessions keeps admin login sessions, so that a session opened on one
// collector holds on every collector of the same database.
type Sessions interface {
	// CreateSession stores s (and drops expired sessions).
	CreateSession(ctx context.Context, s Session) error
	// Session returns the session with that token hash if it has not
	// expired at now, else ErrNotFound.
	Session(ctx context.Context, tokenHash string, now time.Time) (Session, error)
	// DeleteSession ends a session; an unknown one is no error.
	DeleteSession(ctx context.Context, tokenHash string) error
}

// Opinions keeps public opinions and their moderation.
type Opinions interface {
	// AddOpinion stores an opinion for moderation (status pending, created
	// now, with its reference number o.Ref when set) and returns its id; ids grow in the order opinions are stored.
	AddOpinion(ctx context.Context, o Opinion) (int64, error)
	// Opinions lists opinions with that status ("" for all), newest first.
	Opinions(ctx context.Context, status OpinionStatus) ([]Opinion, error)
	// OpinionByRef returns the opinion stored with that reference number
	// (Opinion.Ref, unique), or ErrNotFound (also for "").
	OpinionByRef(ctx context.Context, ref string) (Opinion, error)
	// Moderate publishes (with a reply) or rejects an opinion, with its
	// ledger record. Returns ErrNotFound for an unknown id.
	Moderate(ctx context.Context, id int64, status OpinionStatus, reply, admin string) error
}

// Audit keeps refused requests, outside the ledger.
type Audit interface {
	// RecordRefusals appends refusals (in one transaction).
	RecordRefusals(ctx context.Context, rs []Refusal) error
	// Refusals returns those recorded at or after since, oldest first.
	Refusals(ctx context.Context, since time.Time) ([]Refusal, error)
}

// Ledger gives the store's ledger: its heads, its key and its checks.
type Ledger interface {
	// LedgerHead returns the newest signed head as note text, or
	// ErrNoHead before the first.
	LedgerHead(ctx context.Context) ([]byte, error)
	// LedgerKey is the key that signs this store's heads.
	LedgerKey() *ledger.Key
	// CheckHead proves, in one snapshot, that the ledger today extends
	// the signed head given (kept elsewhere); an error says why not.
	CheckHead(ctx context.Context, head []byte) error
	// Verify checks every record, row and file against the ledger and
	// the witnesses of o (ledger.Verify) in one snapshot, so it can run
	// while collectors write. Problems come as a *ledger.Problems.
	Verify(ctx context.Context, o ledger.Options) (ledger.Report, error)
}

// Store is a whole collector store: what package main opens from a --db
// value (collector/store.Open) and hands on, each consumer taking the
// part it needs.
type Store interface {
	Submissions
	Secrets
	Sessions
	Opinions
	Audit
	Ledger
	// Health returns nil when a write would commit now, else a
	// *Unhealthy saying why not; the caller bounds ctx.
	Health(ctx context.Context) error
	// Watch calls changed, from one goroutine, soon (within a few hundred
	// milliseconds) after another store (another process, or another
	// Store value on the same database) commits a write that appends to
	// the ledger — not after this store's own commits, which its callers
	// learn of from their writes — until ctx ends; it returns when ctx ends, or with an error
	// when it cannot watch at all. Several collectors on one database keep
	// their pages in step through it. A call of changed may stand for
	// several commits, and may come with none (after a reconnection).
	Watch(ctx context.Context, changed func()) error
	// Name is the database as shown to people: a file path, or a URL
	// without its password.
	Name() string
	// Close waits for the writes in flight and closes the store.
	Close() error
}

// Backuper is a store that copies itself: SQLite. (A PostgreSQL database
// is backed up with its own tools; see the README.)
type Backuper interface {
	// Backup writes a consistent copy of the store to path while
	// collectors keep running, and returns the newest head and the files
	// the copy refers to (sorted by hash), both read from the copy.
	Backup(ctx context.Context, path string) (head []byte, files []File, err error)
}

// The sentinel errors of stores. Match them with errors.Is; package web
// maps them through their Code.
var (
	// ErrNotFound: no such receipt, record, session, opinion or secret.
	ErrNotFound = &Error{Code: ENOTFOUND, Message: "记录不存在"}
	// ErrKeyReused: a submission id already used for other content.
	ErrKeyReused = &Error{Code: ECONFLICT, Message: "该提交编号已用于另一份内容。请刷新页面后重新提交。"}
	// ErrCodeChanged: the branch's code hash a submission was checked
	// against (Submission.CodeHash) is no longer the branch's when it would
	// commit: the code was rotated in between. Nothing was stored.
	ErrCodeChanged = &Error{Code: EUNAUTHORIZED, Message: "支部提交码刚刚更换，请用新的提交码重新提交。", Fields: map[string]string{"code": "支部提交码刚刚更换，请输入新的提交码。"}}
	// ErrNoHead: the ledger has no signed head yet.
	ErrNoHead = errors.New("the ledger has no signed head")
)

// Closed is the refusal of a submission received at or after its task
// closed at t (ECONFLICT).
func Closed(t time.Time) *Error {
	return Errorf(ECONFLICT, "该任务已于 %s 截止，不再接收材料。", t.Format("2006-01-02 15:04"))
}

// CheckMigrations refuses a database that records a migration this build
// does not have (known: the build's migration names; applied: the
// database's): a newer dangwu wrote it, and this one would misread what it
// stores (as a build from before issue 11 kept the fields in the ledger
// record cannot read them). The store names the database around it.
func CheckMigrations(known, applied []string) error {
	have := make(map[string]bool, len(known))
	for _, k := range known {
		have[k] = true
	}
	var newer []string
	for _, a := range applied {
		if !have[a] {
			newer = append(newer, path.Base(a))
		}
	}
	if len(newer) == 0 {
		return nil
	}
	return fmt.Errorf("已由较新版本的 dangwu 升级过（本版本没有的迁移：%s），本版本会读错其中的数据，拒绝打开。请换用较新的 dangwu，或从升级前的备份恢复",
		strings.Join(newer, "、"))
}
