package sqlite

import sqlite3 "github.com/mattn/go-sqlite3"

// Version is the version of the SQLite library compiled into the binary,
// such as "3.50.4"; it needs no open database.
func Version() string {
	v, _, _ := sqlite3.Version()
	return v
}
