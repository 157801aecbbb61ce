package files

import (
	"os"
	"path/filepath"
)

// probeSize is what Probe writes: more than a page, less than any upload.
const probeSize = 16 << 10

// Probe writes, syncs and removes a small file in the store's temporary
// folder: it fails the way an upload would now (disk full, read-only,
// no permission).
func (s *Store) Probe() error {
	f, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "probe-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(make([]byte, probeSize))
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
