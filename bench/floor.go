package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// floorCommand is the hidden subcommand the bench binary re-executes itself
// with, so the floor's time and memory are measured like a generator's.
const floorCommand = "floor"

// cmdFloor runs `floor SRC OUT`: it converts every Markdown file under
// SRC/content with a default goldmark and GFM, and writes one HTML file per
// page under OUT. It reads no front matter, applies no layout and writes no
// lists or feeds: the floor no generator can beat. It uses one worker per
// CPU, as a generator may.
func cmdFloor(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: bench floor SRC OUT")
	}
	content := filepath.Join(args[0], "content")
	files, err := markdownFiles(content)
	if err != nil {
		return err
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	jobs := make(chan string)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for rel := range jobs {
				if err := convertFile(md, content, args[1], rel); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, rel := range files {
		jobs <- rel
	}
	close(jobs)
	wg.Wait()
	return errors.Join(errs...)
}

// markdownFiles lists the .md files under dir, relative to it.
func markdownFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".md" {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files = append(files, rel)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", dir, err)
	}
	return files, nil
}

// convertFile writes content/rel as out/rel with .html for .md.
func convertFile(md goldmark.Markdown, content, out, rel string) error {
	src, err := os.ReadFile(filepath.Join(content, rel))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := md.Convert(stripFrontMatter(src), &buf); err != nil {
		return fmt.Errorf("convert %s: %w", rel, err)
	}
	dst := filepath.Join(out, strings.TrimSuffix(rel, ".md")+".html")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, buf.Bytes(), 0o644)
}

// stripFrontMatter returns the body after a leading YAML (---) or TOML
// (+++) front matter block; text without one is returned whole.
func stripFrontMatter(src []byte) []byte {
	for _, delim := range []string{"---", "+++"} {
		open := delim + "\n"
		if !bytes.HasPrefix(src, []byte(open)) {
			continue
		}
		rest := src[len(open):]
		if bytes.HasPrefix(rest, []byte(open)) {
			return rest[len(open):]
		}
		i := bytes.Index(rest, []byte("\n"+delim+"\n"))
		if i < 0 {
			if bytes.HasSuffix(rest, []byte("\n"+delim)) {
				return nil
			}
			return src
		}
		return rest[i+len(delim)+2:]
	}
	return src
}
