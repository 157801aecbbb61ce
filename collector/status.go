package collector

import (
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
// tasks (with publicAfterReview, once the newest version is approved), and
// masked.
func Statuses(s *site.Site, sums []Summary, now time.Time) site.Snapshot {
	snap := site.Snapshot{Now: now, Entries: map[string]map[string]site.Entry{}}
	for _, sum := range sums {
		e := site.Entry{Status: StatusOf(sum), Versions: sum.Versions, Latest: sum.Latest, Late: sum.LatestLate}
		if sum.Review != nil && sum.Review.Action == ActionReturn {
			e.Comment = sum.Review.Comment
		}
		if t := s.Task(sum.Task); t != nil && t.Public && (!t.PublicAfterReview || e.Status == site.StatusApproved) {
			e.Fields = map[string]string{}
			for _, f := range sum.Fields {
				e.Fields[f.Name] = Mask(f.Value)
			}
		}
		if t := s.Task(sum.Task); t != nil && t.SummaryPublic {
			e.Numbers = map[string]string{}
			for _, f := range sum.Fields {
				for _, tf := range t.Fields {
					if tf.Name == f.Name && (tf.Type == site.FieldInteger || tf.Type == site.FieldNumber) {
						e.Numbers[f.Name] = f.Value
					}
				}
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

// Change names what a committed write changed, for the status feedback: the
// (task, period, branch) of a submission or a review, the published
// opinions after a moderation, or All after a commit by another process
// (Store.Watch), which does not say what it changed.
type Change struct {
	Task, Period, Branch string
	Opinions, All        bool
}
