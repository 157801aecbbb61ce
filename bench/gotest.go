package main

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// result is one benchmark's line of `go test -bench` output.
type result struct {
	name    string // without the -GOMAXPROCS suffix
	n       int
	metrics []metric
}

// metric is one "value unit" pair of a benchmark line, such as 12.3 p50-ms.
type metric struct {
	value float64
	unit  string
}

// metric returns the value reported with unit.
func (r result) metric(unit string) (float64, bool) {
	for _, m := range r.metrics {
		if m.unit == unit {
			return m.value, true
		}
	}
	return 0, false
}

// goTest runs `go test -run '^$' -bench pattern -benchtime benchtime pkgs`
// in the repository and parses its benchmark lines. A failing run returns
// the results it printed and an error ending with its last lines.
// env adds variables, such as DANGWU_BENCH_OUT, to the environment.
func goTest(ctx context.Context, repo string, env []string, pattern, benchtime string, pkgs ...string) ([]result, error) {
	args := append([]string{"test", "-run", "^$", "-bench", pattern, "-benchtime", benchtime, "-timeout", "8m"}, pkgs...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	results := parseBench(string(out))
	if err != nil {
		return results, fmt.Errorf("go test -bench %s: %w\n%s", pattern, err, failure(string(out)))
	}
	return results, nil
}

// failure picks the lines that say why go test failed: the failing tests
// and benchmarks with their messages, or else the last lines.
func failure(out string) string {
	var keep []string
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		j := strings.Index(l, "--- FAIL")
		if j < 0 {
			j = strings.Index(l, "panic:")
		}
		if j >= 0 {
			keep = append(keep, l[j:])
			keep = append(keep, lines[i+1:min(i+4, len(lines))]...)
		}
	}
	if len(keep) == 0 {
		return lastLines(out, 8)
	}
	return strings.Join(keep[:min(len(keep), 12)], "\n")
}

var procsSuffix = regexp.MustCompile(`-\d+$`)

// parseBench reads the benchmark lines of `go test -bench` output, such as
//
//	BenchmarkSubmit-2   	   20000	     52345 ns/op	  12345 subs/s	 1.23 p50-ms
//
// A benchmark that prints while it runs splits its line: the name comes
// first, the figures on a later line of their own; both forms are read.
func parseBench(out string) []result {
	var (
		results []result
		pending string
	)
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 && strings.HasPrefix(f[0], "Benchmark") {
			pending = procsSuffix.ReplaceAllString(f[0], "")
			f = f[1:]
		}
		if pending == "" {
			continue
		}
		if r, ok := parseFigures(f); ok {
			r.name = pending
			results = append(results, r)
			pending = ""
		}
	}
	return results
}

// parseFigures reads "N value unit value unit …".
func parseFigures(f []string) (result, bool) {
	if len(f) < 3 || len(f)%2 == 0 {
		return result{}, false
	}
	n, err := strconv.Atoi(f[0])
	if err != nil {
		return result{}, false
	}
	r := result{n: n}
	for i := 1; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return result{}, false
		}
		r.metrics = append(r.metrics, metric{value: v, unit: f[i+1]})
	}
	return r, true
}

var benchFuncRE = regexp.MustCompile(`(?m)^func (Benchmark\w+)\(b \*testing\.B\)`)

// serveWords pick the dev server's benchmarks out of the generator's.
var serveWords = regexp.MustCompile(`(?i)serve|reload|edit|watch|live`)

// serveBenchmarks lists the benchmark functions under generator/ that
// measure the dev server's latency: those named Serve, Reload, Edit, Watch
// or Live. BenchmarkMemory (500 edits, several minutes on two cores) is
// not one of them; run it alone with go test.
func serveBenchmarks(repo string) ([]string, error) {
	var names []string
	root := filepath.Join(repo, "generator")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range benchFuncRE.FindAllStringSubmatch(string(b), -1) {
			if serveWords.MatchString(strings.TrimPrefix(m[1], "Benchmark")) {
				names = append(names, m[1])
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find serve benchmarks: %w", err)
	}
	return names, nil
}
