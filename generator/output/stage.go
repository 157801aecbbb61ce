package output

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Stage is a build in progress: files are written into a hidden folder next
// to the destination, which replaces the destination on Commit. Until then the
// previous output stays exactly as it was.
type Stage struct {
	dest string
	dir  string
	// made remembers the folders already created, so a build of many pages
	// makes each folder once.
	made sync.Map
}

// NewStage creates the staging folder for dest.
func NewStage(dest string) (*Stage, error) {
	dest = filepath.Clean(dest)
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".build-")
	if err != nil {
		return nil, fmt.Errorf("create staging folder: %w", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	return &Stage{dest: dest, dir: dir}, nil
}

// create opens rel for writing, making its folders. CleanPath has ruled out
// any ".." and the staging folder is new, so no path can leave it.
func (s *Stage) create(rel string) (*os.File, error) {
	rel, err := CleanPath(rel)
	if err != nil {
		return nil, err
	}
	if d := path.Dir(rel); d != "." {
		if err := s.mkdir(d); err != nil {
			return nil, err
		}
	}
	return os.OpenFile(filepath.Join(s.dir, filepath.FromSlash(rel)), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
}

// mkdir makes the folder d of the output and those above it, each once: a
// page's folder is one mkdir when its column's is made, where MkdirAll
// would look at the folder and its parent first (three system calls for
// each of a large site's pages, issue 14).
func (s *Stage) mkdir(d string) error {
	if _, ok := s.made.Load(d); ok {
		return nil
	}
	if up := path.Dir(d); up != "." {
		if err := s.mkdir(up); err != nil {
			return err
		}
	}
	// Another writer may make it at the same time: that is fine.
	if err := os.Mkdir(filepath.Join(s.dir, filepath.FromSlash(d)), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	s.made.Store(d, true)
	return nil
}

// Dir is the staging folder's path.
func (s *Stage) Dir() string { return s.dir }

// WriteFile writes data at rel, a slash-separated path inside the output.
// It is safe for concurrent use.
func (s *Stage) WriteFile(rel string, data []byte) error {
	f, err := s.create(rel)
	if err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// CopyFile copies name from fsys to rel inside the output.
func (s *Stage) CopyFile(fsys fs.FS, name, rel string) error {
	in, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := s.create(rel)
	if err != nil {
		return fmt.Errorf("copy %s: %w", rel, err)
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("copy %s: %w", rel, err)
	}
	return nil
}

// Commit replaces the destination with the staged output. Files named
// .gitkeep in the old destination's top level are carried over.
func (s *Stage) Commit() error {
	if _, err := os.Stat(filepath.Join(s.dest, ".gitkeep")); err == nil {
		if err := os.WriteFile(filepath.Join(s.dir, ".gitkeep"), nil, 0o644); err != nil {
			return err
		}
	}
	old := ""
	if _, err := os.Lstat(s.dest); err == nil {
		old = s.dest + ".old-" + randomSuffix()
		if err := os.Rename(s.dest, old); err != nil {
			return fmt.Errorf("replace %s: %w", s.dest, err)
		}
	}
	if err := os.Rename(s.dir, s.dest); err != nil {
		if old != "" {
			err = errors.Join(err, os.Rename(old, s.dest))
		}
		return fmt.Errorf("replace %s: %w", s.dest, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes the staging folder, leaving the destination untouched.
func (s *Stage) Abort() {
	os.RemoveAll(s.dir)
}

func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// CleanPath checks that rel is a relative, slash-separated path that stays
// inside the output, and returns it cleaned.
func CleanPath(rel string) (string, error) {
	bad := rel == "" || strings.ContainsRune(rel, 0) || strings.ContainsRune(rel, '\\') || strings.HasPrefix(rel, "/")
	for _, part := range strings.Split(rel, "/") {
		if part == ".." {
			bad = true
		}
	}
	clean := path.Clean(rel)
	if bad || clean == "." {
		return "", fmt.Errorf("output path %q is not allowed", rel)
	}
	return clean, nil
}

// WriteAtomic replaces one file inside dest: it writes a temporary file,
// syncs it, and renames it over the old one, so a reader sees the old or the
// new file, never half of one.
func WriteAtomic(dest, rel string, data []byte) error {
	rel, err := CleanPath(rel)
	if err != nil {
		return err
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		return err
	}
	defer root.Close()
	if d := path.Dir(rel); d != "." {
		if err := root.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	tmp := path.Join(path.Dir(rel), "."+path.Base(rel)+".tmp-"+randomSuffix())
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, rel)
	}
	if err != nil {
		root.Remove(tmp)
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// Folder changes files inside an existing output folder in place, for
// incremental builds. Each file is replaced atomically (written beside its
// place, then renamed), so a reader sees the old file or the new one, never
// half of one. Files are not synced: after a crash a rebuild repairs them.
type Folder struct {
	root *os.Root
}

// OpenFolder opens dir, which must exist.
func OpenFolder(dir string) (*Folder, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &Folder{root: root}, nil
}

// Close releases the folder.
func (f *Folder) Close() error { return f.root.Close() }

// WriteFile replaces rel with data.
func (f *Folder) WriteFile(rel string, data []byte) error {
	return f.replace(rel, func(w *os.File) error {
		_, err := w.Write(data)
		return err
	})
}

// CopyFile replaces rel with a copy of name in fsys.
func (f *Folder) CopyFile(fsys fs.FS, name, rel string) error {
	in, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	return f.replace(rel, func(w *os.File) error {
		_, err := io.Copy(w, in)
		return err
	})
}

func (f *Folder) replace(rel string, write func(*os.File) error) error {
	rel, err := CleanPath(rel)
	if err != nil {
		return err
	}
	if d := path.Dir(rel); d != "." {
		if err := f.root.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("write %s: %w", rel, err)
		}
	}
	tmp := path.Join(path.Dir(rel), "."+path.Base(rel)+".tmp-"+randomSuffix())
	out, err := f.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	err = write(out)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = f.root.Rename(tmp, rel)
	}
	if err != nil {
		f.root.Remove(tmp)
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// Remove deletes rel and then each folder above it that it leaves empty. A
// file already gone is not an error.
func (f *Folder) Remove(rel string) error {
	rel, err := CleanPath(rel)
	if err != nil {
		return err
	}
	if err := f.root.Remove(rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", rel, err)
	}
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		if f.root.Remove(d) != nil {
			break // not empty
		}
	}
	return nil
}
