package site

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Config is site.yaml, decoded strictly: an unknown key is an error.
type Config struct {
	// Title is the site's name, shown in the header and in <title>.
	Title string `yaml:"title"`
	// Description is the site's one-line description for feeds and meta tags.
	Description string `yaml:"description"`
	// BaseURL is the absolute URL the site is served from; it may carry a
	// sub-path such as http://intranet/dangwu/.
	BaseURL string `yaml:"baseURL"`
	// LanguageCode is the HTML lang attribute and RSS language; zh-CN by default.
	LanguageCode string `yaml:"languageCode"`
	// TimeZone is the IANA zone dates without an offset are read in.
	TimeZone string `yaml:"timeZone"`
	// Theme is the folder under themes/ whose layouts and static files are used.
	Theme string `yaml:"theme"`
	// Paginate is the number of pages on one page of a column list.
	Paginate int `yaml:"paginate"`
	// SummaryLength is the target length, in characters, of automatic summaries.
	SummaryLength int `yaml:"summaryLength"`
	// Organization is the committee that runs the site (shown in the footer).
	Organization string `yaml:"organization"`
	// Address, Phone and Copyright are shown in the footer.
	Address   string `yaml:"address"`
	Phone     string `yaml:"phone"`
	Copyright string `yaml:"copyright"`
	// Footer is an extra line under the footer, such as a filing number.
	Footer string `yaml:"footer"`
	// TOCMinHeadings is the number of headings from which a page shows a table of contents.
	TOCMinHeadings int `yaml:"tocMinHeadings"`
	// Assessment holds the weights of the assessment board (党建目标考核).
	Assessment Assessment `yaml:"assessment"`
	// Collector configures where task forms post and which origins may post.
	Collector CollectorConfig `yaml:"collector"`
	// Markup configures how page bodies are rendered.
	Markup Markup `yaml:"markup"`
}

// Markup configures the rendering of page bodies.
type Markup struct {
	// HTML is what becomes of raw HTML in Markdown: "safe" (the default)
	// keeps what an allow-list permits and warns about the rest, "strip"
	// drops every tag, "unsafe" keeps it all (only for trusted editors).
	HTML string `yaml:"html"`
}

// Assessment holds the fractions of a task's score that a late or missing
// answer earns on the assessment board.
type Assessment struct {
	Late    float64 `yaml:"late"`
	Missing float64 `yaml:"missing"`
}

// CollectorConfig says where forms post and which other origins may post.
type CollectorConfig struct {
	// URL is the collector's base URL as seen from a browser; empty means
	// the site's own origin (the collector embedded under /api/).
	URL string `yaml:"url"`
	// AllowedOrigins are extra origins allowed to post besides the site's own.
	AllowedOrigins []string `yaml:"allowedOrigins"`
	// TrustedProxies are the addresses or networks (10.0.0.0/8) of the
	// reverse proxies in front of the collector: only from them is
	// X-Forwarded-For believed as the client's address.
	TrustedProxies []string `yaml:"trustedProxies"`
}

// Proxies returns TrustedProxies as networks (an address is a /32 or /128);
// Validate has reported the entries it leaves out.
func (c CollectorConfig) Proxies() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range c.TrustedProxies {
		if p, ok := parseProxy(s); ok {
			out = append(out, p)
		}
	}
	return out
}

func parseProxy(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

// DefaultConfig returns the configuration used for keys site.yaml leaves out.
func DefaultConfig() Config {
	return Config{
		Title:          "党务网站",
		BaseURL:        "http://127.0.0.1:1313/",
		LanguageCode:   "zh-CN",
		TimeZone:       "Asia/Shanghai",
		Theme:          "default",
		Paginate:       10,
		SummaryLength:  120,
		TOCMinHeadings: 4,
		Assessment:     Assessment{Late: 0.5, Missing: 0},
		Markup:         Markup{HTML: "safe"},
	}
}

// Validate checks values that decoding alone cannot, and normalises BaseURL
// to end with a slash.
func (c *Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.Title) == "" {
		errs = append(errs, errors.New("title: 网站名称不能为空"))
	}
	u, err := url.Parse(c.BaseURL)
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("baseURL: 不是有效的网址（%w）", err))
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		errs = append(errs, fmt.Errorf("baseURL: %q 不是以 http:// 或 https:// 开头的完整网址", c.BaseURL))
	}
	if !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		errs = append(errs, fmt.Errorf("timeZone: 未知的时区 %q（如 Asia/Shanghai）", c.TimeZone))
	}
	if c.Paginate < 1 {
		errs = append(errs, fmt.Errorf("paginate: %d 不是正整数", c.Paginate))
	}
	if c.SummaryLength < 1 {
		errs = append(errs, fmt.Errorf("summaryLength: %d 不是正整数", c.SummaryLength))
	}
	if c.Theme == "" || strings.ContainsAny(c.Theme, `/\`) || c.Theme == ".." {
		errs = append(errs, fmt.Errorf("theme: %q 不是目录名", c.Theme))
	}
	for _, a := range []struct {
		name string
		v    float64
	}{{"assessment.late", c.Assessment.Late}, {"assessment.missing", c.Assessment.Missing}} {
		if a.v < 0 || a.v > 1 {
			errs = append(errs, fmt.Errorf("%s: %v 不在 0 到 1 之间", a.name, a.v))
		}
	}
	for _, p := range c.Collector.TrustedProxies {
		if _, ok := parseProxy(p); !ok {
			errs = append(errs, fmt.Errorf("collector.trustedProxies: %q 不是 IP 地址或网段（应写作 127.0.0.1 或 10.0.0.0/8）", p))
		}
	}
	switch c.Markup.HTML {
	case "safe", "strip", "unsafe":
	default:
		errs = append(errs, fmt.Errorf("markup.html: %q 不是 safe、strip 或 unsafe", c.Markup.HTML))
	}
	return errors.Join(errs...)
}

// Location returns the configured time zone; Validate has checked it.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// BasePath is the path part of BaseURL, always starting and ending with "/".
func (c *Config) BasePath() string {
	// Pages ask for it for every link: a plain URL needs no parser.
	if rest, ok := strings.CutPrefix(c.BaseURL, "http://"); ok && !strings.ContainsAny(rest, "?#%@\\") {
		return plainPath(rest)
	}
	if rest, ok := strings.CutPrefix(c.BaseURL, "https://"); ok && !strings.ContainsAny(rest, "?#%@\\") {
		return plainPath(rest)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	p := u.Path
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// plainPath is the path of host/path, with a slash at each end.
func plainPath(hostPath string) string {
	i := strings.IndexByte(hostPath, '/')
	if i < 0 {
		return "/"
	}
	p := hostPath[i:]
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// RelURL returns the site-root-relative URL of a path inside the site,
// carrying the base path: RelURL("news/") is "/dangwu/news/" under
// http://intranet/dangwu/.
func (c *Config) RelURL(p string) string {
	return c.BasePath() + strings.TrimPrefix(p, "/")
}

// AbsURL returns the absolute URL of a path inside the site.
func (c *Config) AbsURL(p string) string {
	return c.BaseURL + strings.TrimPrefix(p, "/")
}

// Origin is the scheme and host of BaseURL, e.g. http://intranet.
func (c *Config) Origin() string {
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
