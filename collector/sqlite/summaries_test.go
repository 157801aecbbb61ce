package sqlite

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/dangwu-org/dangwu/collector"
)

// TestSummariesIncremental: Summaries, which reads only what was stored
// since its last call, answers what reading every summary afresh answers,
// after every step of a random run of new versions and reviews (of the
// newest version and of older ones), some of them written by a second
// store on the same file, as another process would (issue 11).
func TestSummariesIncremental(t *testing.T) {
	db, _ := mustOpenDB(t)
	other, err := Open(db.Path(), Options{Now: db.now})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(11, 3))
	var receipts []string
	for step := range 120 {
		w := db
		if rng.IntN(4) == 0 {
			w = other
		}
		switch {
		case len(receipts) > 0 && rng.IntN(3) == 0:
			rv := collector.Review{Action: collector.ActionApprove, Admin: "a"}
			if rng.IntN(2) == 0 {
				rv = collector.Review{Action: collector.ActionReturn, Comment: "请补充", Admin: "b"}
			}
			if err := w.AddReview(ctx, receipts[rng.IntN(len(receipts))], rv); err != nil {
				t.Fatal(err)
			}
		default:
			s := sub([]string{"yi", "er", "san"}[rng.IntN(3)], "", []string{"甲", "乙", "丙"}[rng.IntN(3)])
			if rng.IntN(2) == 0 {
				s.Task, s.Period = "zhutidangri", []string{"2026-10", "2026-11"}[rng.IntN(2)]
			}
			rec, err := w.Submit(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			receipts = append(receipts, rec.ID)
		}
		if rng.IntN(3) == 0 {
			continue // several changes between two calls
		}
		got, err := db.Summaries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := freshSummaries(t, db); !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d: summaries\n%+v\nread afresh\n%+v", step, got, want)
		}
		// What a caller does with its answer is not the next caller's.
		for i := range got {
			got[i].Fields[0].Value = "改过"
		}
	}
}

// freshSummaries reads every summary in one query, ordered as Summaries orders them.
func freshSummaries(t *testing.T, db *DB) []collector.Summary {
	t.Helper()
	var c summaryCache
	err := db.readTx(context.Background(), func(tx *sql.Tx) error { return c.update(context.Background(), tx) })
	if err != nil {
		t.Fatal(err)
	}
	return c.list()
}
