package generator

import (
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
