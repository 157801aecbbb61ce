package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

var testStamp = stamp{Version: "1.2.3", Commit: "abc", Date: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}

var testSite = []entry{
	{name: "site.yaml", mode: 0o644, data: []byte("title: 示例\n")},
	{name: "content/news/a.md", mode: 0o644, data: []byte("# 标题\n")},
}

// TestPackReproducible: the same binary and site always give the same
// archive bytes, whatever the day it is packed (issue 16).
func TestPackReproducible(t *testing.T) {
	for _, tg := range allTargets {
		t.Run(tg.GOOS+"-"+tg.GOARCH, func(t *testing.T) {
			name1, a, err := pack(tg, testStamp, []byte("binary"), testSite)
			if err != nil {
				t.Fatal(err)
			}
			name2, b, err := pack(tg, testStamp, []byte("binary"), slices.Clone(testSite))
			if err != nil {
				t.Fatal(err)
			}
			if name1 != name2 || !bytes.Equal(a, b) {
				t.Errorf("two packs differ: %s %d bytes, %s %d bytes", name1, len(a), name2, len(b))
			}
			want := "dangwu-1.2.3-" + tg.GOOS + "-" + tg.GOARCH
			if !strings.HasPrefix(name1, want) {
				t.Errorf("archive name %q, want %s.*", name1, want)
			}
		})
	}
}

// TestPackWindows: the zip holds dangwu.exe, serve.bat and a README that
// Notepad reads (UTF-8 BOM, CRLF), all under one folder, dated from the commit.
func TestPackWindows(t *testing.T) {
	name, data, err := pack(allTargets[0], testStamp, []byte("MZ"), testSite)
	if err != nil {
		t.Fatal(err)
	}
	if name != "dangwu-1.2.3-windows-amd64.zip" {
		t.Fatalf("name %q", name)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		if !f.Modified.Equal(testStamp.Date) {
			t.Errorf("%s dated %v, want %v", f.Name, f.Modified, testStamp.Date)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
	}
	top := "dangwu-1.2.3-windows-amd64/"
	for _, n := range []string{"dangwu.exe", "serve.bat", "README.txt", "site.yaml", "content/news/a.md"} {
		if _, ok := files[top+n]; !ok {
			t.Errorf("zip lacks %s%s; has %v", top, n, files)
		}
	}
	readme := files[top+"README.txt"]
	if !strings.HasPrefix(readme, "\ufeff") || !strings.Contains(readme, "\r\n") || strings.Contains(strings.ReplaceAll(readme, "\r\n", ""), "\n") {
		t.Errorf("README.txt is not UTF-8 with BOM and CRLF: %q", readme[:40])
	}
	if !strings.Contains(readme, "dangwu 电子党务网站 1.2.3") {
		t.Errorf("README.txt lacks the version: %q", readme[:80])
	}
}

// TestPackLinux: the tar.gz keeps the executable bits and owns nothing.
func TestPackLinux(t *testing.T) {
	_, data, err := pack(allTargets[2], testStamp, []byte("\x7fELF"), testSite)
	if err != nil {
		t.Fatal(err)
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	modes := map[string]int64{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Uid != 0 || h.Gid != 0 || !h.ModTime.Equal(testStamp.Date) {
			t.Errorf("%s: uid %d gid %d time %v", h.Name, h.Uid, h.Gid, h.ModTime)
		}
		modes[h.Name] = h.Mode
	}
	top := "dangwu-1.2.3-linux-arm64/"
	if modes[top+"dangwu"] != 0o755 || modes[top+"serve.sh"] != 0o755 || modes[top+"README.txt"] != 0o644 {
		t.Errorf("modes %o %o %o", modes[top+"dangwu"], modes[top+"serve.sh"], modes[top+"README.txt"])
	}
}

// TestBuildArgsReproducible: what makes two builds identical is on the
// command line, not in the builder's environment.
func TestBuildArgsReproducible(t *testing.T) {
	for _, tg := range allTargets {
		args := strings.Join(buildArgs(tg, testStamp, "out"), " ")
		for _, want := range []string{"-trimpath", "-buildvcs=false", "-buildid=", "-X main.version=1.2.3", "-X main.commit=abc", "sqlite_omit_load_extension"} {
			if !strings.Contains(args, want) {
				t.Errorf("%s: go %s lacks %s", tg.Name(), args, want)
			}
		}
		env := strings.Join(buildEnv(tg, ""), "\n")
		if !strings.Contains(env, "\nCGO_ENABLED=1\n") || !strings.Contains(env, "\nCC="+tg.CC+"\n") {
			t.Errorf("%s: environment lacks CGO_ENABLED=1 or CC", tg.Name())
		}
	}
	if args := strings.Join(buildArgs(allTargets[0], testStamp, "out"), " "); !strings.Contains(args, "--no-insert-timestamp") {
		t.Errorf("windows build keeps the PE timestamp: %s", args)
	}
}
