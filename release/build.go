package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// stamp is what a release build writes into package main of dangwu.
type stamp struct {
	Version, Commit string
	// Date dates every archive entry: the commit's time, or SOURCE_DATE_EPOCH.
	Date time.Time
}

// readStamp asks git for the commit; a checkout with uncommitted changes
// gets "-dirty" after both the commit and the default version.
func readStamp(ctx context.Context, version string) (stamp, error) {
	commit, err := gitOut(ctx, "rev-parse", "HEAD")
	if err != nil {
		return stamp{}, err
	}
	status, err := gitOut(ctx, "status", "--porcelain", "--untracked-files=no")
	if err != nil {
		return stamp{}, err
	}
	if status != "" {
		commit += "-dirty"
	}
	if version == "" {
		if version, err = gitOut(ctx, "describe", "--tags", "--always", "--dirty"); err != nil {
			return stamp{}, err
		}
	}
	epoch := os.Getenv("SOURCE_DATE_EPOCH")
	if epoch == "" {
		if epoch, err = gitOut(ctx, "log", "-1", "--format=%ct"); err != nil {
			return stamp{}, err
		}
	}
	sec, err := strconv.ParseInt(epoch, 10, 64)
	if err != nil {
		return stamp{}, fmt.Errorf("SOURCE_DATE_EPOCH %q：不是秒数：%w", epoch, err)
	}
	return stamp{Version: version, Commit: commit, Date: time.Unix(sec, 0).UTC()}, nil
}

func gitOut(ctx context.Context, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "git", args...).Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// buildArgs are go build's arguments for t: everything that could differ
// between two machines or two runs is fixed or left out.
func buildArgs(t target, st stamp, out string) []string {
	ldflags := []string{"-s", "-w", "-buildid=",
		"-X", "main.version=" + st.Version, "-X", "main.commit=" + st.Commit}
	tags := "sqlite_omit_load_extension"
	switch t.GOOS {
	case "windows":
		// GNU ld writes the link time into the PE header unless told not to.
		ldflags = append(ldflags, "-extldflags=-Wl,--no-insert-timestamp")
	case "linux":
		// Static, so that one binary runs on any glibc: Kylin V10 and UOS 20
		// have glibc 2.28, and a dynamic build on Debian 12 needs 2.34.
		// netgo and osusergo keep the resolver and user lookups in Go.
		ldflags = append(ldflags, "-linkmode=external", "-extldflags=-static")
		tags += ",netgo,osusergo"
	}
	return []string{"build", "-trimpath", "-buildvcs=false",
		"-tags", tags,
		"-ldflags", strings.Join(ldflags, " "), "-o", out, "."}
}

// buildEnv is the environment of go build for t; cache, when set, is a
// GOCACHE of its own.
func buildEnv(t target, cache string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOFLAGS", "CGO_CFLAGS", "CGO_LDFLAGS", "CGO_CPPFLAGS", "CC", "CXX", "GOOS", "GOARCH", "GOAMD64", "GOARM64", "CGO_ENABLED", "GOCACHE":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "CGO_ENABLED=1", "GOOS="+t.GOOS, "GOARCH="+t.GOARCH, "CC="+t.CC,
		"CGO_CFLAGS=-O2", "GOFLAGS=", "GOAMD64=v1", "GOARM64=v8.0")
	if cache != "" {
		env = append(env, "GOCACHE="+cache)
	}
	return env
}

func goBuild(ctx context.Context, t target, st stamp, out, cache string, stderr io.Writer) error {
	cmd := exec.CommandContext(ctx, "go", buildArgs(t, st, out)...)
	cmd.Env = buildEnv(t, cache)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	return nil
}

// sum is one line of SHA256SUMS.
type sum struct{ hash, name string }

// release builds t into out/<os>-<arch>/, packs its archive and returns
// both files' sums. With check, it builds once more in a new, empty build
// cache and fails unless both binaries are byte-identical.
func release(ctx context.Context, t target, st stamp, site []entry, out string, check bool, stdout io.Writer) ([]sum, error) {
	dir := t.GOOS + "-" + t.GOARCH
	exe := filepath.Join(out, dir, t.Exe())
	start := time.Now()
	if err := goBuild(ctx, t, st, exe, "", stdout); err != nil {
		return nil, err
	}
	bin, err := os.ReadFile(exe)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "%-14s %s  %s，%.1f MiB，用时 %s\n", t.Name(), hashOf(bin)[:16], filepath.ToSlash(filepath.Join(dir, t.Exe())), float64(len(bin))/(1<<20), time.Since(start).Round(time.Second))
	if check {
		if err := checkReproducible(ctx, t, st, bin, stdout); err != nil {
			return nil, err
		}
	}
	name, data, err := pack(t, st, bin, site)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "%-14s %s  %s，%.1f MiB\n", "", hashOf(data)[:16], name, float64(len(data))/(1<<20))
	return []sum{{hashOf(data), name}, {hashOf(bin), filepath.ToSlash(filepath.Join(dir, t.Exe()))}}, nil
}

func checkReproducible(ctx context.Context, t target, st stamp, want []byte, stdout io.Writer) error {
	tmp, err := os.MkdirTemp("", "dangwu-release-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	exe := filepath.Join(tmp, "out", t.Exe())
	start := time.Now()
	if err := goBuild(ctx, t, st, exe, filepath.Join(tmp, "cache"), stdout); err != nil {
		return err
	}
	got, err := os.ReadFile(exe)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("不可重现：两次构建的二进制不同（%s 与 %s）", hashOf(want), hashOf(got))
	}
	fmt.Fprintf(stdout, "%-14s %s  在全新的构建缓存中再次构建，逐字节相同（用时 %s）\n", "", hashOf(got)[:16], time.Since(start).Round(time.Second))
	return nil
}

func hashOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// writeSums writes SHA256SUMS in the format sha256sum -c reads.
func writeSums(out string, sums []sum) error {
	var b strings.Builder
	for _, s := range sums {
		fmt.Fprintf(&b, "%s  %s\n", s.hash, s.name)
	}
	return os.WriteFile(filepath.Join(out, "SHA256SUMS"), []byte(b.String()), 0o644)
}
