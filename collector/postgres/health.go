package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// Health reports whether a write would commit now: it commits a write of
// one row through the writer, which takes the write lock as every write
// does (so a database that is down, read-only (a standby), full, or held
// by another process shows). It returns nil or a *collector.Unhealthy; a
// caller should bound ctx.
func (db *DB) Health(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() {
		errc <- db.do(context.Background(), func(ctx context.Context, tx pgx.Tx, now time.Time, _ *ledger.Appender) error {
			_, err := tx.Exec(ctx, `INSERT INTO health_probes (id, checked_at) VALUES (1, $1)
				ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`, now)
			return err
		})
	}()
	select {
	case err := <-errc:
		if err != nil {
			return unhealthy(err)
		}
		return nil
	case <-ctx.Done():
		return &collector.Unhealthy{Reason: collector.HealthLocked, Message: "数据库写入超时：可能被其他进程锁住，或数据库过慢。", Err: ctx.Err()}
	}
}

// unhealthy classifies a storage error by its SQLSTATE.
func unhealthy(err error) *collector.Unhealthy {
	u := &collector.Unhealthy{Reason: collector.HealthIO, Message: "数据库读写出错（或无法连接数据库）。", Err: err}
	var pe *pgconn.PgError
	switch {
	case errors.Is(err, errClosed):
		u.Reason, u.Message = collector.HealthClosed, "数据库已关闭。"
	case !errors.As(err, &pe):
	case pe.Code == "53100":
		u.Reason, u.Message = collector.HealthDiskFull, "数据库服务器的磁盘已满，无法写入。"
	case pe.Code == "25006" || pe.Code == "42501":
		u.Reason, u.Message = collector.HealthReadOnly, "数据库只读（可能连到了备库）或无权写入。"
	case pe.Code == "55P03" || pe.Code == "40P01":
		u.Reason, u.Message = collector.HealthLocked, "数据库被其他进程锁住，无法写入。"
	case pe.Code == "XX001" || pe.Code == "XX002":
		u.Reason, u.Message = collector.HealthCorrupt, "数据库已损坏，请停止收集器并从备份恢复。"
	case pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03":
		u.Reason, u.Message = collector.HealthClosed, "数据库服务器正在关闭或尚未启动完毕。"
	}
	return u
}
