// Package publish is the collector's status feedback: after committed
// writes it reads the statuses from the store and has the site's renderer
// write the outputs that show them into the output folder, coalescing the
// changes that arrive while it renders, and it brings the site up to date
// when the clock changes it (a deadline passes). `dangwu collect` and
// `dangwu serve` share its one loop.
//
// It imports collector and generator/site; never the generator itself (the
// renderer is an interface that generator.Live satisfies) nor a store.
package publish

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/generator/site"
)

// Renderer writes the site's outputs; generator.Live satisfies it.
type Renderer interface {
	// Site is the site last built, nil before the first build.
	Site() *site.Site
	// Render sets the statuses the site shows and writes again the outputs
	// that show what changed, and the outputs at paths (relative to the
	// site root: "tasks/zongjie/").
	Render(ctx context.Context, snap site.Snapshot, paths ...string) error
	// NextChange is the next instant at which the clock alone changes the
	// site, zero when none.
	NextChange() time.Time
}

// Store reads what the pages show of the collector.
type Store interface {
	// Summaries returns every (task, period, branch) with a submission.
	Summaries(ctx context.Context) ([]collector.Summary, error)
	// Opinions returns the opinions with the given status.
	Opinions(ctx context.Context, status collector.OpinionStatus) ([]collector.Opinion, error)
}

// Options configure a Publisher.
type Options struct {
	Renderer Renderer
	Store    Store
	// Tick brings the site up to date at a clock transition (NextChange);
	// nil when something else does (serve's own server).
	Tick func(ctx context.Context) error
	// After runs after every render with the site rendered (the ledger's
	// newest head is published there); nil for none.
	After func(ctx context.Context, s *site.Site) error
	// Interval is the least time between the starts of two renders while
	// changes keep coming (some were committed during the render before):
	// the changes committed meanwhile are rendered together. A change that
	// finds the publisher idle is rendered at once, so a submission waits
	// for at most the render in progress and its own. 200 ms when 0.
	Interval time.Duration
	// Logger receives render errors; slog.Default when nil.
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rendered, when set, hears of every render that finished.
	Rendered func(Report)
}

// Report is what one render covered.
type Report struct {
	// Changes are the changes it shows that were not shown before, in the
	// order they were committed; Oldest is the time from the first of them
	// to the render's end.
	Changes []collector.Change
	Oldest  time.Duration
	// Took is the render's own time.
	Took time.Duration
	// Err is why it failed; the changes stay pending for the next one.
	Err error
}

// Publisher keeps an output folder showing the store's statuses.
type Publisher struct {
	o      Options
	wanted chan struct{}

	mu      sync.Mutex
	pending []collector.Change
	since   time.Time // when the oldest pending change came
}

// New returns a Publisher; nothing happens until Run or Render.
func New(o Options) *Publisher {
	if o.Interval <= 0 {
		o.Interval = 200 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Publisher{o: o, wanted: make(chan struct{}, 1)}
}

// Changed tells the publisher a write committed; it never blocks, and many
// changes before the next render cost one render.
func (p *Publisher) Changed(c collector.Change) {
	p.mu.Lock()
	if len(p.pending) == 0 {
		p.since = p.o.Now()
	}
	p.pending = append(p.pending, c)
	p.mu.Unlock()
	select {
	case p.wanted <- struct{}{}:
	default:
	}
}

// Run renders after changes and at clock transitions until ctx ends. It
// waits for the site's first build (serve builds it in the background) and
// renders once then.
func (p *Publisher) Run(ctx context.Context) {
	if !p.waitSite(ctx) {
		return
	}
	p.render(ctx)
	last := p.o.Now()
	for ctx.Err() == nil {
		// Busy: changes were committed during the last render. Idle: none
		// were, and the next change is rendered as soon as it comes.
		busy := p.hasPending()
		if !p.wait(ctx) {
			continue
		}
		// Coalesce: while busy a render starts at most every Interval,
		// taking every change committed until it starts; the queue is one
		// list that the render empties, never a backlog of renders.
		if d := p.o.Interval - p.o.Now().Sub(last); busy && d > 0 {
			if !sleep(ctx, d) {
				return
			}
		}
		last = p.o.Now()
		p.render(ctx)
	}
}

// hasPending reports whether changes wait for a render.
func (p *Publisher) hasPending() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.pending) > 0
}

// Render renders the statuses now, with the changes pending; the site
// must have been built.
func (p *Publisher) Render(ctx context.Context) error {
	return p.render(ctx).Err
}

func (p *Publisher) render(ctx context.Context) Report {
	p.mu.Lock()
	changes, since := p.pending, p.since
	p.pending = nil
	p.mu.Unlock()
	start := p.o.Now()
	err := p.renderOnce(ctx, changes)
	end := p.o.Now()
	rep := Report{Changes: changes, Took: end.Sub(start), Err: err}
	if len(changes) > 0 {
		rep.Oldest = end.Sub(since)
	}
	if err != nil {
		// Kept for the next render, which a later change or the clock
		// brings; the oldest keeps its time.
		p.mu.Lock()
		p.pending = append(changes, p.pending...)
		p.since = since
		p.mu.Unlock()
		if ctx.Err() == nil {
			p.o.Logger.Error("re-render", "err", err)
		}
	}
	if p.o.Rendered != nil {
		p.o.Rendered(rep)
	}
	return rep
}

func (p *Publisher) renderOnce(ctx context.Context, changes []collector.Change) error {
	s := p.o.Renderer.Site()
	if s == nil {
		return errors.New("网站尚未生成，无法重新生成状态页面")
	}
	snap, err := Snapshot(ctx, s, p.o.Store, time.Time{})
	if err != nil {
		return err
	}
	// The snapshot's time is left zero: the site's own clock (advanced by
	// every update) decides what is pending and what is missing.
	if err := p.o.Renderer.Render(ctx, snap, Outputs(s, changes)...); err != nil {
		return err
	}
	if p.o.After != nil {
		return p.o.After(ctx, s)
	}
	return nil
}

// wait blocks until a change comes or the clock changes the site; it
// reports whether to render.
func (p *Publisher) wait(ctx context.Context) bool {
	var timer <-chan time.Time
	if next := p.o.Renderer.NextChange(); p.o.Tick != nil && !next.IsZero() {
		t := time.NewTimer(next.Sub(p.o.Now()))
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return false
	case <-p.wanted:
		// A change's signal can outlive the change: a render that started
		// between Changed's append and its signal took it already. Then
		// there is nothing to render; rendering no changes would be a
		// render of every status output.
		return p.hasPending()
	case <-timer:
		if err := p.o.Tick(ctx); err != nil {
			p.o.Logger.Error("update at a deadline", "err", err)
			return false
		}
		return true
	}
}

func (p *Publisher) waitSite(ctx context.Context) bool {
	for p.o.Renderer.Site() == nil {
		if !sleep(ctx, 50*time.Millisecond) {
			return false
		}
	}
	return true
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Snapshot computes every status from the store at now (zero: the site's
// clock decides), with the published opinions.
func Snapshot(ctx context.Context, s *site.Site, st Store, now time.Time) (site.Snapshot, error) {
	sums, err := st.Summaries(ctx)
	if err != nil {
		return site.Snapshot{}, err
	}
	ops, err := st.Opinions(ctx, collector.OpinionPublished)
	if err != nil {
		return site.Snapshot{}, err
	}
	snap := collector.Statuses(s, sums, now)
	snap.Opinions = collector.PublishedOpinions(ops)
	return snap, nil
}
