package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/dangwu-org/dangwu/collector/ledger"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/dangwu-org/dangwu/collector"
)

// ErrCorrupt is wrapped by the error Open returns for a database that fails
// its integrity check, and by Health's.
var ErrCorrupt = errors.New("database is corrupt")

// ErrNoDatabase is wrapped by the error Open returns with MustExist for a
// path that is no collector database.
var ErrNoDatabase = errors.New("no collector database")

// corruptError is the Chinese refusal to start on a corrupt database, with
// what to do about it.
type corruptError struct {
	path   string
	detail string
}

func (e *corruptError) Error() string {
	p := e.path
	return fmt.Sprintf("数据库 %s 已损坏（PRAGMA quick_check：%s），拒绝启动，以免在损坏的数据上确认新的提交。\n"+
		"请从备份恢复：\n"+
		"  1. 停止所有使用该数据库的 dangwu 进程；\n"+
		"  2. 把 %s（连同 %s-wal、%s-shm，如有）移到别处保存，不要删除；\n"+
		"  3. 把最近一次 dangwu backup 的备份复制为 %s；\n"+
		"  4. 运行 dangwu verify --db %s，通过后再启动收集器。\n"+
		"备份之后收到的提交不在备份里：各支部可凭回执重新提交。", p, e.detail, p, p, p, p, p)
}

func (e *corruptError) Unwrap() error { return ErrCorrupt }

// missingError refuses a path that is not a collector database.
type missingError struct {
	path string
	why  string
}

func (e *missingError) Error() string {
	return fmt.Sprintf("数据库 %s %s。请用 --db 指定收集器的数据库文件（默认是站点目录下的 data/dangwu.db）。", e.path, e.why)
}

func (e *missingError) Unwrap() error { return ErrNoDatabase }

// quickCheck runs PRAGMA quick_check on the writer connection: O(size) but
// far cheaper than integrity_check, it finds damaged pages and indexes.
func quickCheck(db *sql.DB, path string) error {
	rows, err := db.Query(`PRAGMA quick_check(10)`)
	if err != nil {
		return asCorrupt(path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return asCorrupt(path, err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return asCorrupt(path, err)
	}
	if len(problems) > 0 {
		return &corruptError{path: path, detail: strings.Join(problems, "；")}
	}
	return nil
}

// asCorrupt turns SQLite's corrupt and not-a-database errors into the
// corrupt refusal, and leaves others as they are.
func asCorrupt(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB) {
		return &corruptError{path: path, detail: se.Error()}
	}
	return err
}

// quickCheckEvery is how often Health repeats the integrity check.
const quickCheckEvery = 10 * time.Minute

// Health reports whether a write would succeed now: it commits a write of
// one row through the writer (so a full disk, a lock held by another
// process, a read-only file or a damaged page shows) and, every ten
// minutes, repeats the integrity check. It returns nil or a
// *collector.Unhealthy; a caller should bound ctx (a lock is waited on up
// to the busy timeout).
func (db *DB) Health(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() {
		errc <- db.do(context.Background(), func(tx *sql.Tx, now time.Time, _ *ledger.Appender) error {
			_, err := tx.Exec(`INSERT INTO health_probes (id, checked_at) VALUES (1, ?)
				ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`, formatTime(now))
			return err
		})
	}()
	select {
	case err := <-errc:
		if err != nil {
			return unhealthy(err)
		}
	case <-ctx.Done():
		return &collector.Unhealthy{Reason: collector.HealthLocked, Message: "数据库写入超时：可能被其他进程锁住，或磁盘过慢。", Err: ctx.Err()}
	}
	db.checkMu.Lock()
	defer db.checkMu.Unlock()
	if now := time.Now(); db.checked.IsZero() || now.Sub(db.checked) >= quickCheckEvery {
		db.checkErr = quickCheck(db.r, db.path)
		db.checked = now
	}
	if db.checkErr != nil {
		return unhealthy(db.checkErr)
	}
	return nil
}

// unhealthy classifies a storage error.
func unhealthy(err error) *collector.Unhealthy {
	u := &collector.Unhealthy{Reason: collector.HealthIO, Message: "数据库读写出错。", Err: err}
	var se sqlite3.Error
	switch {
	case errors.Is(err, ErrCorrupt):
		u.Reason, u.Message = collector.HealthCorrupt, "数据库已损坏，请停止收集器并从备份恢复（见 README“备份与恢复”）。"
	case errors.Is(err, errClosed):
		u.Reason, u.Message = collector.HealthClosed, "数据库已关闭。"
	case !errors.As(err, &se):
	case se.Code == sqlite3.ErrFull:
		u.Reason, u.Message = collector.HealthDiskFull, "磁盘已满，数据库无法写入。"
	case se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked:
		u.Reason, u.Message = collector.HealthLocked, "数据库被其他进程锁住，无法写入。"
	case se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrPerm || se.Code == sqlite3.ErrCantOpen:
		u.Reason, u.Message = collector.HealthReadOnly, "数据库只读或无权写入。"
	case se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB:
		u.Reason, u.Message = collector.HealthCorrupt, "数据库已损坏，请停止收集器并从备份恢复（见 README“备份与恢复”）。"
	}
	return u
}
