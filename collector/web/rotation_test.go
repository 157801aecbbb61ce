package web

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/sqlite"
)

// TestRotationElsewhereTakesEffectAtOnce: the collector checks a code it
// verified before against the hash it remembers, without reading the
// database on every post; a rotation by another process (here a second
// store on the same file, as `dangwu branch code` opens it) must still
// refuse the old code on the very next post and take the new one.
func TestRotationElsewhereTakesEffectAtOnce(t *testing.T) {
	e := newEnv(t, 0)
	if resp := e.post(t, "open", with(valid(), "submission_id", "before"), nil, asJSON); resp.StatusCode != http.StatusCreated {
		t.Fatalf("before the rotation: %d %s", resp.StatusCode, readBody(t, resp))
	}
	other, err := sqlite.Open(filepath.Join(e.dir, "dangwu.db"), sqlite.Options{Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	h, _ := collector.HashSecret("code-yi-new", 1000)
	if err := other.SetBranchCode(context.Background(), "yi", h); err != nil {
		t.Fatal(err)
	}
	resp := e.post(t, "open", with(valid(), "submission_id", "old-code"), nil, asJSON)
	if body := readBody(t, resp); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the rotated code right after the rotation: %d %s, want 401", resp.StatusCode, body)
	}
	resp = e.post(t, "open", with(valid(), "code", "code-yi-new", "submission_id", "new-code"), nil, asJSON)
	if body := readBody(t, resp); resp.StatusCode != http.StatusCreated {
		t.Fatalf("the new code: %d %s", resp.StatusCode, body)
	}
	vs, err := e.db.Versions(context.Background(), "open")
	if err != nil || len(vs) != 2 {
		t.Fatalf("versions %d %v, want 2 (the old code's post stored nothing)", len(vs), err)
	}
	// And the other way: the old code again after it was verified once
	// more is refused while the new one is remembered.
	resp = e.post(t, "open", with(valid(), "submission_id", "old-again"), nil, asJSON)
	if body := readBody(t, resp); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the old code again: %d %s, want 401", resp.StatusCode, body)
	}
}
