//go:build !linux

package files

// Free returns the bytes left on the store's filesystem; ok is false when
// the system does not say (everywhere but Linux, for now).
func (s *Store) Free() (free uint64, ok bool) { return 0, false }
