package main

import (
	"fmt"
	"os/exec"
	"strings"
)

// target is one platform we ship, with the C compiler cgo uses for it.
type target struct {
	GOOS, GOARCH string
	CC           string
	// Debian is the Debian package that provides CC.
	Debian string
}

var allTargets = []target{
	{GOOS: "windows", GOARCH: "amd64", CC: "x86_64-w64-mingw32-gcc", Debian: "gcc-mingw-w64-x86-64"},
	{GOOS: "linux", GOARCH: "amd64", CC: "gcc", Debian: "gcc"},
	{GOOS: "linux", GOARCH: "arm64", CC: "aarch64-linux-gnu-gcc", Debian: "gcc-aarch64-linux-gnu"},
}

// Name is GOOS/GOARCH.
func (t target) Name() string { return t.GOOS + "/" + t.GOARCH }

// Exe is the binary's file name.
func (t target) Exe() string {
	if t.GOOS == "windows" {
		return "dangwu.exe"
	}
	return "dangwu"
}

func targetNames(ts []target) []string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name()
	}
	return names
}

// selectTargets parses -targets; every target when list is empty. A
// target whose C compiler is missing is an error saying what to install.
func selectTargets(list string) ([]target, error) {
	sel := allTargets
	if list != "" {
		sel = nil
		for _, name := range strings.Split(list, ",") {
			found := false
			for _, t := range allTargets {
				if t.Name() == strings.TrimSpace(name) {
					sel, found = append(sel, t), true
				}
			}
			if !found {
				return nil, fmt.Errorf("-targets: 不支持的平台 %q（可选：%s）", name, strings.Join(targetNames(allTargets), ", "))
			}
		}
	}
	for _, t := range sel {
		if _, err := exec.LookPath(t.CC); err != nil {
			return nil, fmt.Errorf("%s 需要 C 交叉编译器 %s（Debian：apt-get install %s）：%w", t.Name(), t.CC, t.Debian, err)
		}
	}
	return sel, nil
}
