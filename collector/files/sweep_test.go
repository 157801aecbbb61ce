package files

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// put stores content and dates the stored file (and its age) back by age.
func put(t *testing.T, s *Store, content string, age time.Duration) string {
	t.Helper()
	p, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	p.Write([]byte(content))
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-age)
	os.Chtimes(s.path(p.SHA256), old, old)
	return p.SHA256
}

// TestSweep: temporary files older than an hour and stored files no record
// refers to, older than an hour, are removed and logged; newer ones and
// referenced ones stay; a stored file reused by a new upload is new again
// (issue 10).
func TestSweep(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	oldTemp, _ := s.Create()
	oldTemp.Write([]byte("killed request"))
	oldTemp.Close()
	twoHours := time.Now().Add(-2 * time.Hour)
	os.Chtimes(oldTemp.f.Name(), twoHours, twoHours)
	newTemp, _ := s.Create()
	newTemp.Write([]byte("upload in progress"))
	kept := put(t, s, "referenced", 3*time.Hour)
	orphan := put(t, s, "rolled back", 3*time.Hour)
	fresh := put(t, s, "just stored", time.Minute)
	reused := put(t, s, "rolled back, then sent again", 3*time.Hour)
	again, _ := s.Create()
	again.Write([]byte("rolled back, then sent again"))
	again.Close()
	if _, err := again.Commit(); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	asked := 0
	refs := func(context.Context) (map[string]bool, error) {
		asked++
		return map[string]bool{kept: true}, nil
	}
	rep, err := s.Sweep(context.Background(), time.Now(), time.Hour, refs, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("swept: %+v\n%s", rep, logs.String())
	if rep.Temps != 1 || rep.Orphans != 1 || asked != 1 {
		t.Errorf("report %+v, referenced asked %d times", rep, asked)
	}
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	if exists(oldTemp.f.Name()) || !exists(newTemp.f.Name()) {
		t.Errorf("temporary files: old kept %v, new kept %v", exists(oldTemp.f.Name()), exists(newTemp.f.Name()))
	}
	for sum, want := range map[string]bool{kept: true, orphan: false, fresh: true, reused: true} {
		if got := exists(s.path(sum)); got != want {
			t.Errorf("%s… exists %v, want %v", sum[:8], got, want)
		}
	}
	for _, want := range []string{"kind=temporary", "kind=unreferenced", filepath.Join(orphan[:2], orphan)} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q", want)
		}
	}
	newTemp.Discard()
}

// TestManifest: one sha256sum line per file, relative to the uploads
// folder; hashes the store lacks are returned.
func TestManifest(t *testing.T) {
	s, _ := Open(t.TempDir())
	a := put(t, s, "a", 0)
	missing := strings.Repeat("ab", 32)
	path := filepath.Join(t.TempDir(), "backup.db.manifest")
	lost, err := s.WriteManifest(path, []string{a, missing})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	want := a + "  " + a[:2] + "/" + a + "\n" + missing + "  ab/" + missing + "\n"
	if string(b) != want || len(lost) != 1 || lost[0] != missing {
		t.Errorf("manifest %q, missing %v", b, lost)
	}
}
