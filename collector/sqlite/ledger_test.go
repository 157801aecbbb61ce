package sqlite

import (
	"bytes"
	"testing"
)

// TestInsertRows: a batch's ledger rows go in by statements of a power of
// two rows (issue 11), and every row of any count arrives, once, as given.
func TestInsertRows(t *testing.T) {
	db, _ := mustOpenDB(t)
	base := int64(1 << 40) // far from the ledger's own rows
	for _, n := range []int{1, 2, 3, 45, 128, 129, 300} {
		rows := make([]ledgerRow, n)
		for i := range rows {
			rows[i] = ledgerRow{base + int64(i), bytes.Repeat([]byte{byte(i)}, 32)}
		}
		tx, err := db.w.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if err := insertRows(tx, "ledger_hashes", "hash", rows); err != nil {
			tx.Rollback()
			t.Fatalf("%d rows: %v", n, err)
		}
		got, err := tx.Query(`SELECT idx, hash FROM ledger_hashes WHERE idx >= ? ORDER BY idx`, base)
		if err != nil {
			t.Fatal(err)
		}
		i := 0
		for ; got.Next(); i++ {
			var idx int64
			var h []byte
			if err := got.Scan(&idx, &h); err != nil {
				t.Fatal(err)
			}
			if i >= n || idx != rows[i].idx || !bytes.Equal(h, rows[i].data) {
				t.Errorf("%d rows: row %d is %d %x", n, i, idx, h)
			}
		}
		got.Close()
		tx.Rollback()
		if i != n {
			t.Errorf("%d rows inserted, %d found", n, i)
		}
	}
}
