-- A version stored with a ledger record keeps its field values in the
-- record only (issue 11): its fields_json is '' and reads take the fields
-- from ledger_records (collector.StoredFields). Rows stored before
-- keep theirs. Nothing to change in the rows: the migration is recorded
-- so that the database says it is in this format. A build before this one
-- reads fields_json alone and fails to render; from this build on, one
-- that lacks a migration the database records refuses it at start
-- (collector.CheckMigrations).
SELECT 1;
