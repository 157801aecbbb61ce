-- A version stored with a ledger record keeps its field values in the
-- record only (issue 11): its fields_json is '' and reads take the fields
-- from ledger_records (storedFields in submission.go). Rows stored before
-- keep theirs. Nothing to change in the rows; the migration is recorded so
-- that a dangwu which reads fields_json alone refuses this database at
-- start (collector.CheckMigrations) instead of showing empty forms.
SELECT 1;
