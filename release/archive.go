package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"
)

// editors holds what an archive carries besides the binary: the README for
// editors and the script to double-click.
//
//go:embed editors/README.txt editors/serve.bat editors/serve.sh
var editors embed.FS

// entry is one file of an archive.
type entry struct {
	name string
	mode fs.FileMode
	data []byte
}

// exampleSite lists the example site the archives ship (site.yaml,
// content/, themes/) as git has it, so that an untracked file in the
// checkout never slips into a release.
func exampleSite(ctx context.Context) ([]entry, error) {
	out, err := gitOut(ctx, "ls-files", "--", "site.yaml", "content", "themes")
	if err != nil {
		return nil, err
	}
	var files []entry
	for _, name := range strings.Split(out, "\n") {
		if name == "" {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		files = append(files, entry{name: name, mode: 0o644, data: b})
	}
	return files, nil
}

// entries are the files of t's archive, sorted, under one top folder.
func entries(t target, st stamp, bin []byte, site []entry) ([]entry, error) {
	readme, err := editors.ReadFile("editors/README.txt")
	if err != nil {
		return nil, err
	}
	files := []entry{{name: t.Exe(), mode: 0o755, data: bin}}
	if t.GOOS == "windows" {
		// Notepad on older Windows needs the BOM to read UTF-8, and CRLF.
		readme = append([]byte("\ufeff"), bytes.ReplaceAll(readme, []byte("\n"), []byte("\r\n"))...)
		bat, err := editors.ReadFile("editors/serve.bat")
		if err != nil {
			return nil, err
		}
		files = append(files, entry{name: "serve.bat", mode: 0o644, data: bytes.ReplaceAll(bat, []byte("\n"), []byte("\r\n"))})
	} else {
		sh, err := editors.ReadFile("editors/serve.sh")
		if err != nil {
			return nil, err
		}
		files = append(files, entry{name: "serve.sh", mode: 0o755, data: sh})
	}
	readme = bytes.ReplaceAll(readme, []byte("{{version}}"), []byte(st.Version))
	files = append(files, entry{name: "README.txt", mode: 0o644, data: readme})
	files = append(files, site...)
	top := fmt.Sprintf("dangwu-%s-%s-%s", st.Version, t.GOOS, t.GOARCH)
	for i := range files {
		files[i].name = path.Join(top, files[i].name)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, nil
}

// pack makes t's archive: a zip for Windows, a tar.gz otherwise. The same
// entries and date always give the same bytes.
func pack(t target, st stamp, bin []byte, site []entry) (string, []byte, error) {
	files, err := entries(t, st, bin, site)
	if err != nil {
		return "", nil, err
	}
	base := fmt.Sprintf("dangwu-%s-%s-%s", st.Version, t.GOOS, t.GOARCH)
	if t.GOOS == "windows" {
		data, err := zipOf(files, st.Date)
		return base + ".zip", data, err
	}
	data, err := tarGzOf(files, st.Date)
	return base + ".tar.gz", data, err
}

func zipOf(files []entry, date time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: date}
		h.SetMode(f.mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func tarGzOf(files []entry, date time.Time) ([]byte, error) {
	var buf bytes.Buffer
	gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(gz)
	dirs := map[string]bool{}
	for _, f := range files {
		for d := path.Dir(f.name); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	names := make([]string, 0, len(dirs))
	for d := range dirs {
		names = append(names, d)
	}
	sort.Strings(names)
	for _, d := range names {
		h := &tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: date, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		h := &tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: int64(f.mode), Size: int64(len(f.data)), ModTime: date, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
