package web

import (
	"context"
	"sync"
	"time"

	"github.com/dangwu-org/dangwu/collector"
)

// RefusalStore keeps the refusals the collector records with the client's
// address (an audit table apart from the ledger).
type RefusalStore interface {
	RecordRefusals(ctx context.Context, rs []collector.Refusal) error
}

// auditLog writes refusals in the background, so a refusal costs the
// request nothing and a flood of them costs the store one write per
// interval: identical refusals (kind, subject, client) within an interval
// become one row with a count, and when the queue is full the excess is
// counted, not kept.
type auditLog struct {
	store RefusalStore
	now   func() time.Time
	log   *errorLog
	every time.Duration

	in    chan collector.Refusal
	flush chan chan struct{}
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once

	mu      sync.Mutex
	dropped int
}

func newAuditLog(store RefusalStore, now func() time.Time, log *errorLog) *auditLog {
	a := &auditLog{store: store, now: now, log: log, every: 200 * time.Millisecond,
		in: make(chan collector.Refusal, 4096), flush: make(chan chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	go a.run()
	return a
}

// record queues a refusal; it never blocks.
func (a *auditLog) record(kind collector.RefusalKind, subject, client string) {
	if a == nil {
		return
	}
	r := collector.Refusal{Time: a.now(), Kind: kind, Subject: subject, Client: client, Count: 1}
	select {
	case a.in <- r:
	default:
		a.mu.Lock()
		a.dropped++
		a.mu.Unlock()
	}
}

// sync writes everything queued so far.
func (a *auditLog) sync() {
	if a == nil {
		return
	}
	c := make(chan struct{})
	select {
	case a.flush <- c:
		<-c
	case <-a.done:
	}
}

// close writes what is queued and stops.
func (a *auditLog) close() {
	if a == nil {
		return
	}
	a.once.Do(func() { close(a.stop) })
	<-a.done
}

func (a *auditLog) run() {
	defer close(a.done)
	t := time.NewTicker(a.every)
	defer t.Stop()
	type key struct {
		kind            collector.RefusalKind
		subject, client string
	}
	var batch []collector.Refusal
	index := map[key]int{}
	add := func(r collector.Refusal) {
		k := key{r.Kind, r.Subject, r.Client}
		if i, ok := index[k]; ok {
			batch[i].Count++
			return
		}
		index[k] = len(batch)
		batch = append(batch, r)
	}
	write := func() {
		for {
			select {
			case r := <-a.in:
				add(r)
				continue
			default:
			}
			break
		}
		a.mu.Lock()
		if a.dropped > 0 {
			// The row says how many were lost, not who sent them.
			batch = append(batch, collector.Refusal{Time: a.now(), Kind: collector.RefusedDropped, Count: a.dropped})
			a.dropped = 0
		}
		a.mu.Unlock()
		if len(batch) == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := a.store.RecordRefusals(ctx, batch); err != nil {
			a.log.Error("record refusals", "count", len(batch), "err", err.Error())
		}
		cancel()
		batch, index = batch[:0], map[key]int{}
	}
	for {
		select {
		case r := <-a.in:
			add(r)
		case <-t.C:
			write()
		case c := <-a.flush:
			write()
			close(c)
		case <-a.stop:
			write()
			return
		}
	}
}
