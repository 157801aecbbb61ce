package output

import (
	"bytes"
	"encoding/xml"
	"html"
	"regexp"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	AtomLink      atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	GUID        string `xml:"guid"`
	PubDate     string `xml:"pubDate,omitempty"`
	Category    string `xml:"category,omitempty"`
	Description string `xml:"description"`
}

// FeedSize is the number of newest pages a feed carries.
const FeedSize = 20

// RSS renders an RSS 2.0 feed of pages, newest first, at feedPath (relative
// to the site root); link is the channel's page.
func RSS(s *site.Site, title, description, link, feedPath string, pages []*site.Page) ([]byte, error) {
	cfg := &s.Config
	ch := rssChannel{
		Title:       title,
		Link:        cfg.AbsURL(link),
		Description: description,
		Language:    strings.ToLower(cfg.LanguageCode),
		AtomLink:    atomLink{Href: cfg.AbsURL(feedPath), Rel: "self", Type: "application/rss+xml"},
	}
	if len(pages) > FeedSize {
		pages = pages[:FeedSize]
	}
	for i, p := range pages {
		if i == 0 && !p.Date.IsZero() {
			ch.LastBuildDate = p.Date.Format(time.RFC1123Z)
		}
		item := rssItem{
			Title:       p.Title,
			Link:        cfg.AbsURL(p.Path),
			GUID:        cfg.AbsURL(p.Path),
			Description: string(p.Summary),
		}
		if !p.Date.IsZero() {
			item.PubDate = p.Date.Format(time.RFC1123Z)
		}
		if c := s.Column(p.Column); c != nil {
			item.Category = c.Title
		}
		ch.Items = append(ch.Items, item)
	}
	return marshalXML(rss{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: ch})
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod,omitempty"`
}

// SitemapEntry is one URL of the sitemap.
type SitemapEntry struct {
	Path    string
	Lastmod time.Time
}

// Sitemap renders sitemap.xml for the given entries, in order.
func Sitemap(cfg *site.Config, entries []SitemapEntry) ([]byte, error) {
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, e := range entries {
		u := sitemapURL{Loc: cfg.AbsURL(e.Path)}
		if !e.Lastmod.IsZero() {
			u.Lastmod = e.Lastmod.Format("2006-01-02")
		}
		set.URLs = append(set.URLs, u)
	}
	return marshalXML(set)
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// Robots renders robots.txt pointing at the sitemap.
func Robots(cfg *site.Config) []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + cfg.AbsURL("sitemap.xml") + "\n")
}

// PlainSummary is a page's summary as text, for meta descriptions.
func PlainSummary(p *site.Page) string {
	return html.UnescapeString(tags.ReplaceAllString(string(p.Summary), ""))
}

var tags = regexp.MustCompile(`<[^>]*>`)
