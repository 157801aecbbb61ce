// Package files stores uploaded files by the SHA-256 of their content under
// one folder (data/uploads): a file is written to a temporary name, synced,
// renamed into place and its folder synced, so a file whose submission was
// acknowledged survives a crash. Names from users never become paths.
//
// It imports the standard library only.
package files

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Store is a content-addressed folder of files.
type Store struct {
	dir string
	// created counts the pending files started.
	created atomic.Int64
	// mu orders Commit's reuse of a stored file against Sweep's removal.
	mu sync.Mutex
}

// Created is the number of temporary files started so far (what a refused
// request must not have cost).
func (s *Store) Created() int64 { return s.created.Load() }

// Open makes the folder (0700) if needed and returns its store.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("open uploads %s: %w", dir, err)
	}
	return &Store{dir: dir}, nil
}

// Dir is the store's folder.
func (s *Store) Dir() string { return s.dir }

// Pending is a file written to a temporary name, not yet in the store.
type Pending struct {
	s    *Store
	f    *os.File
	h    hash.Hash
	size int64
	// SHA256 and Size are set by Close.
	SHA256 string
	Size   int64
}

// Create starts a pending file.
func (s *Store) Create() (*Pending, error) {
	b := make([]byte, 12)
	rand.Read(b)
	f, err := os.OpenFile(filepath.Join(s.dir, "tmp", hex.EncodeToString(b)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	s.created.Add(1)
	return &Pending{s: s, f: f, h: sha256.New()}, nil
}

// Write appends to the pending file.
func (p *Pending) Write(b []byte) (int, error) {
	n, err := p.f.Write(b)
	p.h.Write(b[:n])
	p.size += int64(n)
	return n, err
}

// Written is the number of bytes written so far.
func (p *Pending) Written() int64 { return p.size }

// Close syncs and closes the temporary file and computes its hash.
func (p *Pending) Close() error {
	err := p.f.Sync()
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	p.SHA256 = hex.EncodeToString(p.h.Sum(nil))
	p.Size = p.size
	return err
}

// Discard removes the temporary file.
func (p *Pending) Discard() {
	p.f.Close()
	os.Remove(p.f.Name())
}

// Commit moves a closed pending file into place by its hash and syncs the
// folder. created is false when the store already had that content (the
// temporary file is then removed).
func (p *Pending) Commit() (created bool, err error) {
	final := p.s.path(p.SHA256)
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	if _, err := os.Stat(final); err == nil {
		os.Remove(p.f.Name())
		// It may be an old unreferenced file: mark it new, so a sweep
		// leaves it to the submission about to refer to it.
		now := time.Now()
		if err := os.Chtimes(final, now, now); err != nil {
			return false, err
		}
		return false, nil
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, err
	}
	if err := os.Rename(p.f.Name(), final); err != nil {
		return false, err
	}
	return true, syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

func (s *Store) path(sum string) string {
	if len(sum) < 4 {
		return filepath.Join(s.dir, "invalid")
	}
	return filepath.Join(s.dir, sum[:2], sum)
}

// ErrNotFound is returned when the store has no file with that hash.
var ErrNotFound = errors.New("file not found")

// Open returns the file with that hash.
func (s *Store) Open(sum string) (*os.File, error) {
	if !validSum(sum) {
		return nil, ErrNotFound
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Remove deletes a stored file, used to undo a file stored for a
// submission that was then refused.
func (s *Store) Remove(sum string) error {
	if !validSum(sum) {
		return ErrNotFound
	}
	return os.Remove(s.path(sum))
}

// Check recomputes a stored file's hash; it returns an error naming the file
// when it is missing or its content no longer matches.
func (s *Store) Check(sum string) error {
	f, err := s.Open(sum)
	if err != nil {
		return fmt.Errorf("file %s: %w", sum, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("file %s: %w", sum, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("file %s: content changed (now hashes to %s)", s.path(sum), got)
	}
	return nil
}

func validSum(sum string) bool {
	if len(sum) != 64 {
		return false
	}
	_, err := hex.DecodeString(sum)
	return err == nil
}
