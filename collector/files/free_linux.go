package files

import "syscall"

// Free returns the bytes left to unprivileged writers on the store's
// filesystem; ok is false when the system does not say.
func (s *Store) Free() (free uint64, ok bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(s.dir, &st); err != nil {
		return 0, false
	}
	return st.Bavail * uint64(st.Bsize), true
}
