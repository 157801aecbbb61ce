package files

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPutCheckTamper(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	p.Write([]byte("党支部工作总结"))
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	created, err := p.Commit()
	if err != nil || !created {
		t.Fatalf("commit: %v %v", created, err)
	}
	if err := s.Check(p.SHA256); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(filepath.Join(s.Dir(), p.SHA256[:2], p.SHA256))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
	}
	q, _ := s.Create()
	q.Write([]byte("党支部工作总结"))
	q.Close()
	if created, _ := q.Commit(); created {
		t.Error("same content stored twice")
	}
	tmp, _ := os.ReadDir(filepath.Join(s.Dir(), "tmp"))
	if len(tmp) != 0 {
		t.Errorf("temporary files left: %d", len(tmp))
	}
	os.WriteFile(filepath.Join(s.Dir(), p.SHA256[:2], p.SHA256), []byte("改过的内容"), 0o600)
	if err := s.Check(p.SHA256); err == nil || !strings.Contains(err.Error(), "content changed") {
		t.Errorf("tampered file: %v", err)
	}
	if _, err := s.Open("../../etc/passwd"); err != ErrNotFound {
		t.Errorf("open with a path: %v", err)
	}
}
