package theme

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

// Funcs returns the template functions for a site. They are the only helpers
// layouts have; each is pure.
func Funcs(cfg *site.Config, loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"relURL": cfg.RelURL,
		"absURL": cfg.AbsURL,
		// date formats a time in the site's zone as 2026年11月28日.
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("2006年1月2日")
		},
		// datetime formats a time as 2026年11月28日 17:00; midnight is
		// written as 24:00 of the day before, as Chinese notices say a
		// deadline (12月10日24:00, not 12月11日00:00).
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			t = t.In(loc)
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
				return t.AddDate(0, 0, -1).Format("2006年1月2日") + " 24:00"
			}
			return t.Format("2006年1月2日 15:04")
		},
		// shortDate formats a time as 2026-11-28, for list columns.
		"shortDate": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("2006-01-02")
		},
		// isoDate formats a time for <time datetime> and feeds.
		"isoDate": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format(time.RFC3339)
		},
		"year":     func(t time.Time) int { return t.In(loc).Year() },
		"bytesize": ByteSize,
		"add":      func(a, b int) int { return a + b },
		"sub":      func(a, b int) int { return a - b },
		"join":     strings.Join,
		"first": func(n int, pages []*site.Page) []*site.Page {
			if n < len(pages) {
				return pages[:n]
			}
			return pages
		},
		// indexOf is the place of page p in pages, from 0, or -1: a lesson's
		// number without ranging over every lesson on every lesson's page.
		"indexOf": func(pages []*site.Page, p *site.Page) int {
			for i, x := range pages {
				if x == p {
					return i
				}
			}
			return -1
		},
		// cnDate shows a date written in front matter as text (2026-03-02)
		// as 2026年3月2日, and any other value as it is.
		"cnDate": func(v any) string {
			switch x := v.(type) {
			case time.Time:
				return x.In(loc).Format("2006年1月2日")
			case string:
				if t, err := time.Parse("2006-01-02", x); err == nil {
					return t.Format("2006年1月2日")
				}
				return x
			case nil:
				return ""
			}
			return fmt.Sprint(v)
		},
		// pct formats a percentage for widths and labels: 87.5.
		"pct": func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
		// score formats a score with one decimal, a whole number without
		// ".0" (17.5, 20): what _partials/num.html prints, in Go, as
		// boards of many rows print it four times a row.
		"score": func(f float64) string { return strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0") },
		// tagPath is a tag page's path relative to the site root.
		"tagPath": func(name string) string { return "tags/" + name + "/" },
		"str": func(v any) string {
			if v == nil {
				return ""
			}
			if t, ok := v.(time.Time); ok {
				return t.In(loc).Format("2006年1月2日")
			}
			return fmt.Sprint(v)
		},
	}
}

// ByteSize formats a size in bytes as 12 KB or 1.5 MB.
func ByteSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.0f KB", float64(n)/1024)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1024/1024)
	}
}
