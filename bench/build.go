package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/dangwu-org/dangwu/corpus"
)

// Names of the generators, as the table's columns show them.
const (
	genDangwu = "dangwu"
	genHugo   = "Hugo"
	genFloor  = "goldmark 下限"
)

// corpusSeed is the corpus's seed, the one the package benchmarks use.
const corpusSeed = 1

// generator is a program that builds the corpus as a child process.
type generator struct {
	name string
	path string
	args func(site, out string) []string
	hugo *hugo // the Hugo version, for Hugo's site files
}

// buildCase is one corpus size built into one kind of folder by every
// generator.
type buildCase struct {
	pages  int
	memory bool   // the output folder is memory-backed
	folder string // where the output went, for the table
	out    map[string]outcome
}

// outcome is one generator's figures, or why there are none.
type outcome struct {
	figures
	err error
}

// runBuilds writes the corpus at every size and builds it with every
// generator into the memory-backed folder (when there is one) and into the
// disk folder.
func runBuilds(ctx context.Context, o options, repo string, ws *workspace, gens []generator, say func(string, ...any)) ([]buildCase, error) {
	var cases []buildCase
	for _, n := range o.pages {
		say("生成语料：%s 页…", thousands(float64(n)))
		site := filepath.Join(ws.disk, fmt.Sprintf("site-%d", n))
		if err := prepareSite(ctx, o.corpusScript, site, repo, n, gens); err != nil {
			return nil, err
		}
		for _, dest := range destinations(ws, o.skipDisk) {
			c := buildCase{pages: n, memory: dest.memory, folder: dest.label}
			c.out = measureCase(ctx, gens, site, dest.dir, o.runs, func(g string, run int, s sample) {
				say("  %s 页 → %s，%s 第 %d/%d 次：%s", thousands(float64(n)), dest.label, g, run, o.runs, seconds(s.wall))
			})
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			cases = append(cases, c)
		}
		if o.keep {
			continue
		}
		if err := os.RemoveAll(site); err != nil {
			return nil, err
		}
	}
	return cases, nil
}

// destination is a folder the builds write into.
type destination struct {
	dir, label string
	memory     bool
}

func destinations(ws *workspace, skipDisk bool) []destination {
	var d []destination
	if ws.shm != "" {
		d = append(d, destination{dir: ws.shm, label: filepath.Dir(ws.shm) + "（内存）", memory: true})
	}
	if skipDisk && len(d) > 0 {
		return d
	}
	return append(d, destination{dir: ws.disk, label: filepath.Dir(ws.disk) + "（磁盘）"})
}

// prepareSite writes the corpus of n pages into site, links the repo's
// themes, and adds Hugo's configuration and layouts when Hugo runs.
//
// With a corpus script, the script writes content/ and the site gets a
// site.yaml like package corpus's; Hugo reads the content from its own
// site folder.
func prepareSite(ctx context.Context, script, site, repo string, n int, gens []generator) error {
	if script != "" {
		out, err := exec.CommandContext(ctx, "python3", script, site, strconv.Itoa(n)).CombinedOutput()
		if err != nil {
			return fmt.Errorf("python3 %s: %w\n%s", script, err, out)
		}
		if err := os.WriteFile(filepath.Join(site, "site.yaml"), []byte(corpus.SiteYAML), 0o644); err != nil {
			return err
		}
	} else if err := corpus.Write(site, n, corpusSeed); err != nil {
		return fmt.Errorf("write corpus: %w", err)
	}
	if err := os.Symlink(filepath.Join(repo, "themes"), filepath.Join(site, "themes")); err != nil {
		return fmt.Errorf("link themes: %w", err)
	}
	for _, g := range gens {
		if g.hugo == nil {
			continue
		}
		if err := g.hugo.writeSite(site); err != nil {
			return fmt.Errorf("hugo site files: %w", err)
		}
	}
	return nil
}

// measureCase builds site runs times with each generator into a fresh
// folder under dir, taking turns so that a slow moment of the machine
// does not fall on one generator only. A generator that fails is not run
// again.
func measureCase(ctx context.Context, gens []generator, site, dir string, runs int, progress func(string, int, sample)) map[string]outcome {
	samples := map[string][]sample{}
	failed := map[string]error{}
	for run := 1; run <= runs; run++ {
		for _, g := range gens {
			if failed[g.name] != nil || ctx.Err() != nil {
				continue
			}
			out := filepath.Join(dir, "out")
			if err := os.RemoveAll(out); err != nil {
				failed[g.name] = err
				continue
			}
			s, err := measure(ctx, g.path, g.args(site, out)...)
			if err != nil {
				failed[g.name] = err
				continue
			}
			progress(g.name, run, s)
			samples[g.name] = append(samples[g.name], s)
		}
	}
	os.RemoveAll(filepath.Join(dir, "out"))
	results := map[string]outcome{}
	for _, g := range gens {
		if err := failed[g.name]; err != nil {
			results[g.name] = outcome{err: err}
			continue
		}
		results[g.name] = outcome{figures: summarize(samples[g.name])}
	}
	return results
}
