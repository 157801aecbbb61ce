package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/dangwu-org/dangwu/collector/sqlite"
)

// version and commit are stamped by the release build (go run ./release)
// with -ldflags "-X main.version=… -X main.commit=…". Left empty, the
// commit comes from the build information go build records in a checkout.
var (
	version string
	commit  string
)

// versionText is what dangwu version prints: version, commit, Go and SQLite.
func versionText(info *debug.BuildInfo, ok bool) string {
	v, c := version, commit
	if v == "" {
		v = "开发版"
	}
	if c == "" && ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				c = s.Value
			}
		}
	}
	if c == "" {
		c = "未知"
	}
	return fmt.Sprintf("dangwu %s\n提交：%s\nGo：%s（%s/%s）\nSQLite：%s\n",
		v, c, runtime.Version(), runtime.GOOS, runtime.GOARCH, sqlite.Version())
}

func cmdVersion(stdout io.Writer) error {
	info, ok := debug.ReadBuildInfo()
	fmt.Fprint(stdout, versionText(info, ok))
	return nil
}
