package generator

import (
	"fmt"
	"hash/maphash"
	"sort"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

// nextTransition is the first instant after after at which the site changes
// by the clock alone: a page's publish date arrives or its expiry date
// passes, a task opens or its deadline passes, a recurring task's period
// ends. Zero when there is none.
func nextTransition(s *site.Site, after time.Time) time.Time {
	var next time.Time
	consider := func(t time.Time) {
		if t.After(after) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, p := range s.All {
		consider(p.PublishDate)
		consider(p.ExpiryDate)
		if p.PublishDate.IsZero() {
			consider(p.Date)
		}
	}
	loc := s.Location
	for _, t := range s.Tasks {
		if t.Every == site.Once {
			consider(t.Opens)
			consider(t.Deadline)
			continue
		}
		cur := site.PeriodOf(t.Every, after.In(loc))
		prev := site.PeriodOf(t.Every, cur.Start(loc).Add(-time.Nanosecond))
		for _, p := range []site.Period{prev, cur, cur.Next()} {
			o := t.ObligationFor(p, loc)
			consider(o.Opens)
			consider(o.Deadline)
			consider(p.End(loc))
		}
	}
	return next
}

// nextYear is the first instant of the year after t's, in loc.
func nextYear(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.In(loc).Year()+1, 1, 1, 0, 0, 0, 0, loc)
}

// clockState is where the clock stands for one build.
type clockState struct {
	epoch       uint64
	at, next    time.Time
	year        int
	yearChanged bool
}

// tick notices whether time passed a transition since the last build: the
// outputs that read the clock are then rendered again.
func (l *Live) tick(s *site.Site) clockState {
	now := s.Now
	year := now.In(s.Location).Year()
	if !l.built {
		return clockState{at: now, year: year, next: nextTransition(s, now)}
	}
	c := clockState{epoch: l.clockEpoch, at: l.clockAt, year: l.year}
	next := l.next
	c.next = nextTransition(s, l.clockAt)
	if !c.next.IsZero() && (next.IsZero() || c.next.Before(next)) {
		next = c.next
	}
	if !next.IsZero() && !next.After(now) {
		c.epoch++
		c.at = now
		c.next = nextTransition(s, now)
	}
	if year != l.year {
		c.year, c.yearChanged = year, true
	}
	return c
}

// hashSnapshot hashes the clock's epoch and what a snapshot holds, with its
// time or not.
func hashSnapshot(seed maphash.Seed, epoch uint64, snap site.Snapshot, withNow bool) uint64 {
	var h hasher
	h.SetSeed(seed)
	h.u64(epoch)
	if withNow {
		h.time(snap.Now)
	}
	keys := make([]string, 0, len(snap.Entries))
	for k := range snap.Entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h.str(k)
		branches := make([]string, 0, len(snap.Entries[k]))
		for b := range snap.Entries[k] {
			branches = append(branches, b)
		}
		sort.Strings(branches)
		for _, b := range branches {
			fmt.Fprintf(&h, "%s\x00%#v\x00", b, snap.Entries[k][b])
		}
	}
	fmt.Fprintf(&h, "%#v", snap.Opinions)
	return h.Sum64()
}
