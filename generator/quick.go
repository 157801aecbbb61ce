package generator

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/generator/content"
	"github.com/dangwu-org/dangwu/generator/live"
	"github.com/dangwu-org/dangwu/generator/site"
)

// quickMax is the most files an update takes the quick way: a burst of
// more (git checkout) loads the site again.
const quickMax = 16

// quickUpdate brings in edits that changed the bodies of pages and
// nothing else, without loading the site again: an editor's save. Nothing
// else of a site depends on a page's body but the page's own render (its
// HTML, text, summary, headings), so the site the destination holds keeps
// its pages, columns, lists and order, and each edited page gets its new
// body and render. The outputs are then keyed and rendered as after any
// load, so the result is the same as a full Update's.
//
// ok is false, with nothing changed but the content cache's entries of
// the files (which hold what the files hold now), when an edit is more
// than that: a path outside content/ or not a page, a new or removed
// file, a front matter or title that changed, a problem in the page, its
// headings changed (other pages' #links check them), a clock transition
// due, or an update that failed since the last full one. Update then
// loads the site.
func (l *Live) quickUpdate(ctx context.Context, notify func(Change), paths []string) (ch Change, ok bool, err error) {
	start := time.Now()
	s, links := l.site, l.links
	if !l.built || s == nil || links == nil || len(paths) == 0 || len(paths) > quickMax {
		return Change{}, false, nil
	}
	now := l.g.opts.Now()
	if !l.next.IsZero() && !now.Before(l.next) || now.In(s.Location).Year() != l.year {
		return Change{}, false, nil
	}
	contentDir := absPath(filepath.Join(l.g.opts.Source, "content"))
	contentFS := os.DirFS(contentDir)
	opts := content.Options{Drafts: l.g.opts.Drafts, Future: l.g.opts.Future, Now: now, Prefix: "content"}
	type edit struct {
		p    *site.Page
		body []byte
		sum  uint64
		r    *pageRender
	}
	var edits []edit
	seen := map[string]bool{}
	be := &bodyEdits{pages: map[*site.Page]bool{}, old: map[*site.Page]string{}}
	for _, abs := range paths {
		rel, err := filepath.Rel(contentDir, absPath(abs))
		if err != nil || strings.HasPrefix(rel, "..") || filepath.Ext(rel) != ".md" {
			return Change{}, false, nil
		}
		src := filepath.ToSlash(rel)
		if seen[src] {
			continue
		}
		seen[src] = true
		p := s.All[src]
		if p == nil || l.own[p] == nil || p.Kind != site.KindPage || p.Task != nil {
			// A column's, section's or branch's page is in every key, a
			// task's in every key that reads the tasks.
			return Change{}, false, nil
		}
		np, same := l.content.Reread(contentFS, s.Config, opts, src)
		if !same {
			return Change{}, false, nil
		}
		// Rendered on a copy: the page stays as it is until every edit
		// rendered without problems.
		tmp := *p
		tmp.Body, tmp.Digest = np.Body, np.Digest
		r := l.g.renderPage(s, links, &tmp)
		if len(r.diags) > 0 || !sameHeadings(r.headings, p.Headings) {
			return Change{}, false, nil
		}
		r.apply(&tmp)
		if diags := l.g.checkLinks(s, []pageLinks{{page: &tmp, links: r.links}}); len(diags) > 0 {
			return Change{}, false, nil
		}
		edits = append(edits, edit{p: p, body: np.Body, sum: np.Digest, r: r})
		be.pages[p] = true
		be.tags = append(be.tags, p.Tags...)
		be.tags = append(be.tags, p.Categories...)
		if p.Branch != nil {
			be.branchPosts = true
		}
		be.columns = append(be.columns, p.Column)
	}
	for _, e := range edits {
		for _, w := range e.r.warnings {
			l.g.opts.Warn(w)
		}
		be.old[e.p] = e.p.Plain
		e.p.Body, e.p.Digest = e.body, e.sum
		e.r.apply(e.p)
		l.md.store(s, links, e.p, e.r)
		l.own[e.p] = e.r
	}
	// The site at this time: a copy, as Site's readers may hold the old.
	ns := *s
	ns.Now = now
	l.quickUpdates++
	ch, err = l.applyOnly(ctx, &ns, l.own, notify, nil, be, false)
	ch.Duration = time.Since(start)
	if err != nil {
		// The next update loads the site, and makes the search index
		// anew: this one may have taken the edits.
		l.links, l.search = nil, nil
	}
	return ch, true, err
}

// sameHeadings reports whether two pages' headings have the same anchors,
// which is what other pages' links check.
func sameHeadings(a, b []site.Heading) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			return false
		}
	}
	return true
}

// bodyEdits are the pages whose bodies an update changed, and what else
// of them outputs may read.
type bodyEdits struct {
	pages map[*site.Page]bool
	// tags are the names of their tags and categories, columns the names
	// of their columns.
	tags, columns []string
	// branchPosts is set when one is a branch's post.
	branchPosts bool
	// old holds their text before, which the kept search index has.
	old map[*site.Page]string
}

// affect reports whether o's key may read any of the edited pages (their
// fingerprints, or those of their listing fields), or the clock: an
// output that reads none of them has the key it had. What it can read is
// what keyer.Key hashes; what changed is pages of kind page that are no
// task's and whose front matter did not change, so neither the columns'
// and sections' meta nor the branches' and tasks' fingerprints did.
func (e *bodyEdits) affect(o *live.Output) bool {
	v := viewOf(o)
	switch {
	case o.Kind == live.File:
		return false // files copied as they are, none a page
	case v == nil || o.Kind == live.Data:
		return true // feeds, sitemap, search, calendars: cheap to key, or read the text
	}
	d := o.Reads
	if d&(depSite|depAllPages|depClock|depStatus) != 0 {
		return true
	}
	if e.pages[v.page] || v.task != nil && e.pages[v.task.Page] {
		return true
	}
	for _, p := range v.pages {
		if e.pages[p] {
			return true
		}
	}
	if v.tag != nil && v.pagerTotal > 1 && slices.Contains(e.tags, v.tag.Name) {
		return true
	}
	if d&depNeighbors != 0 && v.page != nil && (e.pages[v.page.Prev] || e.pages[v.page.Next]) {
		return true
	}
	if d&depBranchPosts != 0 && e.branchPosts {
		return true
	}
	return d&depColumnPages != 0 && v.column != nil && slices.Contains(e.columns, v.column.Name)
}
