package files

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// SweepReport is what one sweep removed.
type SweepReport struct {
	// Temps are temporary files of requests that never finished (killed,
	// cut off, refused after their upload began).
	Temps int
	// Orphans are stored files no record refers to (files of a batch that
	// was rolled back after they were put in place).
	Orphans int
	// Bytes is the size of both together.
	Bytes int64
}

// Sweep removes temporary files, and stored files that referenced does not
// hold, that have not been written or committed for age. Only old files are
// candidates, and referenced is asked after they are listed, so a file
// committed for a submission still in flight is never taken: Commit marks
// the file it reuses as new, under the same lock Sweep removes under.
// Each removal is logged.
func (s *Store) Sweep(ctx context.Context, now time.Time, age time.Duration, referenced func(context.Context) (map[string]bool, error), log *slog.Logger) (SweepReport, error) {
	var rep SweepReport
	cut := now.Add(-age)
	var temps, stored []string
	err := filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(cut) {
			return nil
		}
		if filepath.Base(filepath.Dir(p)) == "tmp" {
			temps = append(temps, p)
		} else if validSum(d.Name()) && s.path(d.Name()) == p {
			stored = append(stored, p)
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("sweep %s: %w", s.dir, err)
	}
	var refs map[string]bool
	if len(stored) > 0 {
		if refs, err = referenced(ctx); err != nil {
			return rep, fmt.Errorf("sweep %s: %w", s.dir, err)
		}
	}
	remove := func(p, kind string) bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		info, err := os.Stat(p)
		if err != nil || !info.ModTime().Before(cut) {
			return false // gone, or committed again meanwhile
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			log.Warn("sweep: could not remove", "file", p, "err", err)
			return false
		}
		rep.Bytes += info.Size()
		log.Info("sweep: removed", "kind", kind, "file", p, "bytes", info.Size(), "modified", info.ModTime().UTC().Format(time.RFC3339))
		return true
	}
	for _, p := range temps {
		if remove(p, "temporary") {
			rep.Temps++
		}
	}
	for _, p := range stored {
		if !refs[filepath.Base(p)] && remove(p, "unreferenced") {
			rep.Orphans++
		}
	}
	return rep, nil
}

// Sweeper sweeps a store on start and then every Every.
type Sweeper struct {
	Files *Store
	// Referenced returns the hashes of every file a record refers to.
	Referenced func(context.Context) (map[string]bool, error)
	// Now is the clock files' ages are measured on; time.Now when nil.
	Now func() time.Time
	// Age is how old a file must be to be removed; an hour when 0.
	Age time.Duration
	// Every is the interval between sweeps; an hour when 0.
	Every  time.Duration
	Logger *slog.Logger
}

// Run sweeps until ctx ends.
func (w *Sweeper) Run(ctx context.Context) {
	now := w.Now
	if now == nil {
		now = time.Now
	}
	age, every := w.Age, w.Every
	if age <= 0 {
		age = time.Hour
	}
	if every <= 0 {
		every = time.Hour
	}
	log := w.Logger
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rep, err := w.Files.Sweep(ctx, now(), age, w.Referenced, log)
		switch {
		case err != nil:
			log.Error("sweep uploads", "err", err)
		case rep.Temps+rep.Orphans > 0:
			log.Info("sweep uploads", "temporary", rep.Temps, "unreferenced", rep.Orphans, "bytes", rep.Bytes)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
