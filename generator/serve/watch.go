package serve

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fsnotify/fsnotify"
)

// source is where changes come from: a watcher of the file system, or a
// test. Paths are absolute.
type source interface {
	Changes() <-chan string
	// Lost receives a value when changes may have been missed.
	Lost() <-chan struct{}
	Close() error
}

// watcher reports changes to the files of a site: everything under the
// watched folders, recursively, including folders created later, and the
// site folder's own files that matter (site.yaml, and folders such as
// static/ when they appear).
type watcher struct {
	w *fsnotify.Watcher
	// site is the site folder, watched alone; top are the names in it
	// that matter.
	site    string
	top     map[string]bool
	changes chan string
	lost    chan struct{}
	stop    chan struct{} // closed by Close
	done    chan struct{} // closed when run returns
	errs    func(error)
}

// watchSite starts watching site (for its files named in top, and for
// folders named in top when they appear) and every folder in deep that
// exists, recursively. report receives errors the watcher cannot handle.
func watchSite(site string, top []string, deep []string, report func(error)) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{
		w: fw, site: site, top: map[string]bool{}, changes: make(chan string, 1024),
		lost: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}), errs: report,
	}
	for _, name := range top {
		w.top[name] = true
	}
	if err := fw.Add(site); err != nil {
		fw.Close()
		return nil, err
	}
	for _, dir := range deep {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			if err := w.addTree(dir, false); err != nil {
				fw.Close()
				return nil, err
			}
		}
	}
	go w.run()
	return w, nil
}

func (w *watcher) Changes() <-chan string { return w.changes }
func (w *watcher) Lost() <-chan struct{}  { return w.lost }

// Close stops watching and waits for the watcher's goroutine to end.
func (w *watcher) Close() error {
	close(w.stop)
	err := w.w.Close()
	<-w.done
	return err
}

// addTree watches dir and every folder under it. With report set, every
// file found is reported as changed: they were created before the watch
// could see them.
func (w *watcher) addTree(dir string, report bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone again already
			}
			return err
		}
		if ignored(d.Name()) && p != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if err := w.w.Add(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			return nil
		}
		if report {
			w.send(p)
		}
		return nil
	})
}

// ignored reports names the site loader skips as well: hidden files and
// editors' backups.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx")
}

func (w *watcher) send(p string) {
	select {
	case w.changes <- p:
	case <-w.stop:
	}
}

func (w *watcher) run() {
	defer close(w.done)
	for {
		select {
		case <-w.stop:
			return
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			w.event(ev)
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				select {
				case w.lost <- struct{}{}:
				default:
				}
				continue
			}
			w.errs(err)
		}
	}
}

func (w *watcher) event(ev fsnotify.Event) {
	if ev.Op == fsnotify.Chmod || ignored(filepath.Base(ev.Name)) {
		return
	}
	if filepath.Dir(ev.Name) == w.site && !w.top[filepath.Base(ev.Name)] {
		return // a file of the site folder that is no input, such as README.md
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
			if err := w.addTree(ev.Name, true); err != nil {
				w.errs(err)
			}
		}
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// The kernel drops the watch of a removed folder; a renamed one
		// comes back as a Create under its new name.
		w.w.Remove(ev.Name)
	}
	w.send(ev.Name)
}
