package content

import (
	"sort"

	"github.com/dangwu-org/dangwu/generator/site"
)

// pageKeys are the front-matter keys every page, column and home page may
// have (Hugo's names).
var pageKeys = []string{"title", "description", "date", "lastmod", "draft", "publishDate", "expiryDate",
	"summary", "tags", "categories", "weight", "aliases", "slug", "url", "author", "cover", "attachments",
	"video", "audio", "duration", "layout", "menu"}

// The keys of the special pages, besides pageKeys.
var (
	columnKeys = []string{"require"}
	branchKeys = []string{"secretary", "members", "established", "parent", "kind"}
	taskKeys   = []string{"deadline", "opens", "branches", "score", "closeAfterDeadline", "public", "publicAfterReview", "every", "due", "fields", "kind", "units"}
)

// hugoKeys are Hugo front-matter keys dangwu does not act on: they are
// warned about as such, not as misspellings.
var hugoKeys = map[string]bool{"keywords": true, "linkTitle": true, "images": true, "menus": true,
	"toc": true, "type": true, "isCJKLanguage": true, "markup": true, "outputs": true, "resources": true,
	"build": true, "sitemap": true, "headless": true, "cascade": true, "translationKey": true, "series": true,
	"expirydate": false, "publishdate": false}

// commonKeys are pageKeys, to look up.
var commonKeys = func() map[string]bool {
	m := make(map[string]bool, len(pageKeys))
	for _, k := range pageKeys {
		m[k] = true
	}
	return m
}()

// checkKeys warns about every front-matter key of p that no part of dangwu
// reads, with the known key it is nearest to. Keys that are not plain ASCII
// (文号, 发文单位) are the site's own and never warned about. A page whose
// keys are all every page's (nearly all of a site's) is looked at no
// further: a load of ten thousand pages would otherwise list and sort the
// keys of each.
func (l *loader) checkKeys(p *site.Page, column *site.Column) {
	for k := range p.Params {
		if !commonKeys[k] && isASCII(k) {
			l.warnKeys(p, column)
			return
		}
	}
}

// warnKeys warns about p's keys, as checkKeys says.
func (l *loader) warnKeys(p *site.Page, column *site.Column) {
	known := append([]string(nil), pageKeys...)
	switch {
	case p.Kind == site.KindSection && p.Column == columnBranches && p.Path != columnBranches+"/":
		known = append(known, branchKeys...)
	case p.Kind != site.KindPage:
		known = append(known, columnKeys...)
	case p.Column == columnTasks:
		known = append(known, taskKeys...)
	}
	if column != nil {
		known = append(known, column.Require...)
	}
	keys := make([]string, 0, len(p.Params))
	for k := range p.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !isASCII(k) || contains(known, k) {
			continue
		}
		line := p.ParamLines[k]
		switch near := suggest(k, known); {
		case hugoKeys[k]:
			l.diags.Warn(l.file(p.Source), line, msgHugoKey, k)
		case near != "":
			l.diags.Warn(l.file(p.Source), line, msgUnknownKeyNear, k, near)
		default:
			l.diags.Warn(l.file(p.Source), line, msgUnknownKey, k)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
