package main

import (
	"bytes"
	"context"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersion: dangwu version names the version, the commit, Go and the
// SQLite built in (issue 16).
func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, re := range []string{`^dangwu \S+\n`, `\n提交：\S+\n`, `\nGo：go1\.\d+`, `\nSQLite：3\.\d+\.\d+\n`} {
		if !regexp.MustCompile(re).MatchString(out.String()) {
			t.Errorf("dangwu version printed %q, want it to match %s", out.String(), re)
		}
	}
}

func TestVersionText(t *testing.T) {
	info := &debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abc"}}}
	if got := versionText(info, true); !strings.Contains(got, "dangwu 开发版\n提交：0123abc\n") {
		t.Errorf("unstamped build: %q", got)
	}
	version, commit = "1.0.0", "feed"
	defer func() { version, commit = "", "" }()
	if got := versionText(info, true); !strings.HasPrefix(got, "dangwu 1.0.0\n提交：feed\n") {
		t.Errorf("stamped build: %q", got)
	}
}
