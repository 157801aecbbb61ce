// Package collector is the domain of dangwu's collector: what a branch
// submits (Submission), what it gets back (Receipt), reviews, the domain error
// type, the statuses computed from submissions and the clock, and the
// validation of a submission against its task's fields.
//
// It imports generator/site (the shared vocabulary) and the standard library
// only. The store contract is store.go; the stores live in collector/sqlite
// and collector/postgres, uploaded files in collector/files,
// HTTP in collector/web; nothing here knows about SQL or HTTP.
package collector
