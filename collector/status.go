package collector

import (
	"regexp"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

// Summary is what the store knows of one (obligation, branch) pair.
type Summary struct {
	Task, Period, Branch string
	// Versions is the number of stored versions.
	Versions int
	// Latest is when the newest version was received; LatestLate whether it was late.
	Latest     time.Time
	LatestLate bool
	// Review is the newest review of the newest version, if any.
	Review *Review
	// Fields are the newest version's values.
	Fields []FieldValue
}

// Key is the obligation key the summary belongs to.
func (s Summary) Key() string {
	if s.Period == "" {
		return s.Task
	}
	return s.Task + "/" + s.Period
}

// StatusOf is the status of a pair with a stored version.
func StatusOf(sum Summary) site.Status {
	if sum.Review != nil {
		switch sum.Review.Action {
		case ActionApprove:
			return site.StatusApproved
		case ActionReturn:
			return site.StatusReturned
		}
	}
	if sum.LatestLate {
		return site.StatusLate
	}
	return site.StatusSubmitted
}

// PublishedOpinions turns published opinions into what the site shows:
// masked, without contact details.
func PublishedOpinions(ops []Opinion) []site.Opinion {
	out := make([]site.Opinion, 0, len(ops))
	for _, o := range ops {
		if o.Status != OpinionPublished {
			continue
		}
		out = append(out, site.Opinion{ID: o.ID, Name: Mask(o.Name), Content: Mask(o.Content), Reply: Mask(o.Reply), Created: o.Created, Replied: o.Moderated})
	}
	return out
}

// Statuses turns the store's summaries into the snapshot the generator
// renders. Pairs without a summary are left out: Snapshot.Entry derives
// pending or missing from the clock. Field values are only kept for public
// tasks, and masked.
func Statuses(s *site.Site, sums []Summary, now time.Time) site.Snapshot {
	snap := site.Snapshot{Now: now, Entries: map[string]map[string]site.Entry{}}
	for _, sum := range sums {
		e := site.Entry{Status: StatusOf(sum), Versions: sum.Versions, Latest: sum.Latest, Late: sum.LatestLate}
		if sum.Review != nil && sum.Review.Action == ActionReturn {
			e.Comment = sum.Review.Comment
		}
		if t := s.Task(sum.Task); t != nil && t.Public {
			e.Fields = map[string]string{}
			for _, f := range sum.Fields {
				e.Fields[f.Name] = Mask(f.Value)
			}
		}
		m := snap.Entries[sum.Key()]
		if m == nil {
			m = map[string]site.Entry{}
			snap.Entries[sum.Key()] = m
		}
		m[sum.Branch] = e
	}
	return snap
}

var (
	idCardRE = regexp.MustCompile(`(^|[^\d])(\d{6})\d{8}(\d{3}[\dXx])($|[^\dXx])`)
	mobileRE = regexp.MustCompile(`(^|[^\d])(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})($|[^\d])`)
	emailRE  = regexp.MustCompile(`([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})`)
)

// Mask hides personal data in text a user typed before it is published:
// mainland mobile numbers keep their first 3 and last 4 digits, ID-card
// numbers their first 6 and last 4, e-mail addresses their first letter and
// domain.
func Mask(s string) string {
	// Adjacent matches share their separating character, so repeat until
	// nothing changes.
	for _, r := range []struct {
		re   *regexp.Regexp
		with string
	}{{idCardRE, "$1$2" + strings.Repeat("*", 8) + "$3$4"}, {mobileRE, "$1$2****$4$5"}} {
		for {
			next := r.re.ReplaceAllString(s, r.with)
			if next == s {
				break
			}
			s = next
		}
	}
	return emailRE.ReplaceAllString(s, "$1***@$2")
}

// Change names what a committed write changed, for the status feedback: the
// (task, period, branch) of a submission or a review, the published
// opinions after a moderation, or All after a commit by another process
// (Store.Watch), which does not say what it changed.
type Change struct {
	Task, Period, Branch string
	Opinions, All        bool
}
