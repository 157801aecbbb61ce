package generator

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/dangwu-org/dangwu/corpus"
	"github.com/dangwu-org/dangwu/generator/site"
)

// BenchmarkBuild builds the deterministic Chinese corpus of 1,000 and 10,000
// pages from scratch (load, Markdown, layouts, every output) and reports
// pages per second.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run("pages="+strconv.Itoa(n), func(b *testing.B) {
			src := b.TempDir()
			if err := corpus.Write(src, n, 1); err != nil {
				b.Fatal(err)
			}
			o := testOptions(b, src, filepath.Join(benchOut(b), "public"))
			o.Warn = nil
			g := New(o)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := g.Run(context.Background(), site.Snapshot{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// BenchmarkRenderPage renders one corpus page's Markdown.
func BenchmarkRenderPage(b *testing.B) {
	src := b.TempDir()
	if err := corpus.Write(src, 10, 1); err != nil {
		b.Fatal(err)
	}
	g := New(testOptions(b, src, filepath.Join(b.TempDir(), "public")))
	s, err := g.Load(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	p := s.Pages[0]
	links := g.newLinkResolver(s)
	// A one-off load leaves the Markdown on disk, read again to render.
	links.content = os.DirFS(filepath.Join(src, "content"))
	b.ReportAllocs()
	for b.Loop() {
		g.renderPage(s, links, p)
	}
}

// benchOut is where benchmarks write their output: $DANGWU_BENCH_OUT (for
// example /dev/shm, to keep disk noise out of the figures) or a temp folder.
func benchOut(b *testing.B) string {
	if dir := os.Getenv("DANGWU_BENCH_OUT"); dir != "" {
		d, err := os.MkdirTemp(dir, "dangwu-bench-")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(d) })
		return d
	}
	return b.TempDir()
}
