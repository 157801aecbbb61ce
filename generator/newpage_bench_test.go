package generator

import (
	"context"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dangwu-org/dangwu/corpus"
)

// BenchmarkLiveNewPage builds the 10,000-page corpus with a Live, then
// times an Update after each new page written into a column, in process
// (no watcher, no HTTP), and the median time to the pages being written
// (before the search index): the CPU a new page costs, for a profile with
// $DANGWU_BENCH_PROFILE (issue 14, item 4), which holds the updates
// alone, not the first build:
// DANGWU_BENCH_PROFILE=cpu.out go test ./generator -run '^$' -bench LiveNewPage -benchtime 20x
func BenchmarkLiveNewPage(b *testing.B) {
	src := filepath.Join(benchOut(b), "site")
	if err := corpus.Write(src, 10000, 1); err != nil {
		b.Fatal(err)
	}
	o := testOptions(b, src, filepath.Join(filepath.Dir(src), "public"))
	o.Warn = nil
	live := New(o).NewLive()
	ctx := context.Background()
	if _, err := live.Update(ctx, nil); err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(src, "content", "news")
	if out := os.Getenv("DANGWU_BENCH_PROFILE"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	// early are the times to the pages being written, before the search
	// index and the other data files (notify).
	var early []time.Duration
	i := 0
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		i++
		name := filepath.Join(dir, "new-"+strconv.Itoa(i)+".md")
		page := "---\ntitle: 新建页面" + strconv.Itoa(i) + "\ndate: 2026-06-15\ntags: [党支部]\n---\n\n新建页面的正文。\n"
		if err := os.WriteFile(name, []byte(page), 0o644); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		notified := func(Change) { early = append(early, time.Since(start)) }
		if _, err := live.Update(ctx, notified, name); err != nil {
			b.Fatal(err)
		}
	}
	slices.Sort(early)
	b.ReportMetric(float64(early[len(early)/2])/float64(time.Millisecond), "ms/pages-median")
}
