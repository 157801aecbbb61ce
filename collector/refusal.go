package collector

import "time"

// RefusalKind says why a request was turned away.
type RefusalKind string

// The refusals the collector records with the client's address.
const (
	RefusedCode     RefusalKind = "wrong_code"       // a branch's code was wrong (or the branch has none)
	RefusedBranch   RefusalKind = "unknown_branch"   // no such branch
	RefusedPassword RefusalKind = "wrong_password"   // an admin login failed
	RefusedLimit    RefusalKind = "rate_limited"     // a guess refused by the limiter (429)
	RefusedBusy     RefusalKind = "busy"             // another slow check of the same name was running too long (429)
	RefusedTooLarge RefusalKind = "too_large"        // Content-Length above what the task can take (413)
	RefusedOrder    RefusalKind = "bad_order"        // a body that does not start with branch and code
	RefusedUploads  RefusalKind = "too_many_uploads" // too many bodies in flight from one address (429)
	RefusedDropped  RefusalKind = "dropped"          // refusals that came faster than they could be recorded (Count of them)
)

// Refusal is a request the collector turned away as a guess or as abuse. It
// is kept for the committee with the client's address, in an audit table of
// its own: refusals are not records of the ledger.
type Refusal struct {
	// Time is when the first of them happened.
	Time time.Time
	Kind RefusalKind
	// Subject is the branch id, admin name or task the request was about.
	Subject string
	// Client is the client's address as the limiter keys it.
	Client string
	// Count is how many identical refusals (kind, subject, client) this row
	// stands for: a flood is merged instead of filling the disk.
	Count int
}
