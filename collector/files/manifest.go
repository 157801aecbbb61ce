package files

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// WriteManifest writes to path (synced, mode 0600) one line per hash in the
// form sha256sum reads, "<sha256>  <xx>/<sha256>", relative to the store's
// folder, so that `cd uploads && sha256sum -c MANIFEST` checks a copy. It
// returns the hashes the store does not have.
func (s *Store) WriteManifest(path string, sums []string) (missing []string, err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	w := bufio.NewWriter(f)
	for _, sum := range sums {
		p := s.path(sum)
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, sum)
		}
		rel, _ := filepath.Rel(s.dir, p)
		fmt.Fprintf(w, "%s  %s\n", sum, filepath.ToSlash(rel))
	}
	err = w.Flush()
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return missing, fmt.Errorf("manifest %s: %w", path, err)
	}
	return missing, nil
}
