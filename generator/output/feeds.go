package output

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"regexp"
	"slices"
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

// SearchDoc is one page in search.json. The short keys keep the index small.
type SearchDoc struct {
	Title  string `json:"t"`
	URL    string `json:"u"`
	Column string `json:"c"`
	Date   string `json:"d"`
	Body   string `json:"b"`
}

var spaces = regexp.MustCompile(`\s+`)

// SearchIndex renders search.json: every published page's title, URL,
// column, date and full text. Matching happens in the browser by substring,
// which finds Chinese words of any length without a segmenter.
func SearchIndex(s *site.Site) ([]byte, error) {
	docs := make([][]byte, len(s.Pages))
	for i, p := range s.Pages {
		b, err := SearchEntry(s, p)
		if err != nil {
			return nil, err
		}
		docs[i] = b
	}
	return JoinSearchIndex(docs), nil
}

// SearchEntry is one page's entry of search.json, encoded, so that a
// rebuild can encode again only the pages that changed.
func SearchEntry(s *site.Site, p *site.Page) ([]byte, error) {
	d := SearchDoc{Title: p.Title, URL: s.Config.RelURL(p.Path), Body: spaces.ReplaceAllString(strings.TrimSpace(p.Plain), " ")}
	if c := s.Column(p.Column); c != nil {
		d.Column = c.Title
	}
	if !p.Date.IsZero() {
		d.Date = p.Date.In(s.Location).Format("2006-01-02")
	}
	return json.Marshal(d)
}

// JoinSearchIndex assembles search.json from encoded entries, in order.
func JoinSearchIndex(docs [][]byte) []byte {
	return AppendSearchIndex(nil, docs)
}

// AppendSearchIndex appends search.json assembled from encoded entries to
// buf and returns the extended buffer.
func AppendSearchIndex(buf []byte, docs [][]byte) []byte {
	n := len(`{"pages":[]}`) + 1 + len(docs)
	for _, d := range docs {
		n += len(d)
	}
	buf = slices.Grow(buf, n)
	buf = append(buf, `{"pages":[`...)
	for i, d := range docs {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, d...)
	}
	return append(buf, "]}\n"...)
}

// PlainSummary is a page's summary as text, for meta descriptions.
func PlainSummary(p *site.Page) string {
	return html.UnescapeString(tags.ReplaceAllString(string(p.Summary), ""))
}

var tags = regexp.MustCompile(`<[^>]*>`)
