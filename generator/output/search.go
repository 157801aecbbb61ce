package output

// The search index is sharded, so that a query downloads kilobytes, not the
// whole site's text (issue 14). It is made of three kinds of files, all
// JSON, under search/:
//
//	search/index.json   the manifest: {"v":1,"id":I,"shards":S,"chunk":C,"docs":N},
//	                    I identifying this version of the files
//	search/s/<k>.json   shard k of S: {"<token>":"<postings>",…}, the tokens
//	                    whose FNV-1a 32-bit hash of their UTF-8 bytes is k
//	                    modulo S, in byte order
//	search/d/<j>.json   docs j·C … j·C+C-1: [["title","url","column",
//	                    "date","text"],…], text being the start of the body
//
// Tokens are what the browser's search.js makes of a query: the text is
// folded (full-width ASCII to half-width, Latin capitals to small), then
// every two adjacent CJK characters make a token (a bigram, so that a
// two-character word such as 党费 is one token) and every run of Latin
// letters and digits is a token. Other characters separate tokens; a CJK
// character standing alone makes none.
//
// Docs are numbered newest first (by date, then in the site's order), so
// that a smaller number ranks first among equal hits. A token's postings
// are its docs in that order, comma-separated; each is the base-36
// difference from the previous doc number (from -1 for the first), then
// optionally "/" and the base-36 count in the body and "/" and the count in
// the title: "1,3/2,1/0/1" is doc 0 (body 1, title 0), doc 3 (body 2), doc
// 4 (body 0, title 1). A count is left out when it is the default (body 1,
// title 0), from the right.

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SearchDoc is one page of the search index.
type SearchDoc struct {
	Title, URL, Column, Date string
	// Body is the page's text, without markup.
	Body string
}

// SearchChunk is the number of docs in one file of search/d/.
const SearchChunk = 10

// SearchText is the number of characters of a doc's body kept for its
// result's snippet.
const SearchText = 120

// docsPerShard sets the number of shards: the smallest power of two that
// gives each shard at most this many docs' worth of tokens, on average. At
// 10,000 pages of the benchmark corpus a shard is then about 15 kB.
const docsPerShard = 8

// maxShards bounds the number of shard files.
const maxShards = 4096

// SearchShards is the number of shards of an index of n docs. It depends
// on n alone, so the files of an index are known before it is made.
func SearchShards(n int) int {
	s := 1
	for s < maxShards && s*docsPerShard < n {
		s *= 2
	}
	return s
}

// SearchRels are the paths of the files of an index of n docs: the shards,
// the docs and, last, the manifest.
func SearchRels(n int) []string {
	shards := SearchShards(n)
	chunks := max(1, (n+SearchChunk-1)/SearchChunk)
	rels := make([]string, 0, shards+chunks+1)
	for k := 0; k < shards; k++ {
		rels = append(rels, "search/s/"+strconv.Itoa(k)+".json")
	}
	for j := 0; j < chunks; j++ {
		rels = append(rels, "search/d/"+strconv.Itoa(j)+".json")
	}
	return append(rels, "search/index.json")
}

// SearchFile is one file of the search index.
type SearchFile struct {
	Rel  string
	Data []byte
}

// SearchIndex makes the files of the search index for docs, numbered in
// the order given (newest first). The manifest comes last.
func SearchIndex(docs []SearchDoc) []SearchFile {
	b := NewSearchBuilder()
	for i := range docs {
		b.Add(&docs[i])
	}
	return b.Files()
}

// SearchBuilder makes a search index one doc at a time, keeping of each
// doc's body only what its snippet shows.
type SearchBuilder struct {
	// bigrams are keyed by their two characters, words by themselves.
	bigrams map[uint32]*postings
	words   map[string]*postings
	// order is the current doc's tokens, in the order first seen.
	order []*postings
	docs  []SearchDoc
	// recent holds bigrams looked up lately, in front of the map: a
	// page's text repeats its bigrams, and most of a site's text is made
	// of a few thousand of them (issue 14).
	recent [1 << 12]struct {
		key uint32
		p   *postings
	}
}

// NewSearchBuilder returns an empty index.
func NewSearchBuilder() *SearchBuilder {
	return &SearchBuilder{bigrams: map[uint32]*postings{}, words: map[string]*postings{}}
}

// Files makes the files of the index, the manifest last.
func (b *SearchBuilder) Files() []SearchFile { return b.Index().Files() }

// postings are one token's docs, encoded as they are added.
type postings struct {
	tok  string
	last int
	enc  []byte
	// doc is the body and title counts in doc cur, the one being added.
	cur int
	doc [2]int
}

// Add indexes the next doc, numbered from 0 in the order added.
func (b *SearchBuilder) Add(d *SearchDoc) {
	i := len(b.docs)
	b.docs = append(b.docs, SearchDoc{Title: d.Title, URL: d.URL, Column: d.Column, Date: d.Date, Body: searchText(d.Body)})
	b.order = b.order[:0]
	for which, text := range [2]string{d.Body, d.Title} {
		scanTokens(text, func(r1, r2 rune) {
			key := uint32(r1)<<16 | uint32(r2) // CJK characters are in the BMP
			slot := &b.recent[(key*2654435761)>>20]
			p := slot.p
			if p == nil || slot.key != key {
				var ok bool
				if p, ok = b.bigrams[key]; !ok {
					p = &postings{last: -1, cur: -1}
					b.bigrams[key] = p
				}
				slot.key, slot.p = key, p
			}
			b.see(p, i, which)
		}, func(w []byte) {
			p, ok := b.words[string(w)]
			if !ok {
				p = &postings{tok: string(w), last: -1, cur: -1}
				b.words[p.tok] = p
			}
			b.see(p, i, which)
		})
	}
	for _, p := range b.order {
		c := &p.doc
		if len(p.enc) > 0 {
			p.enc = append(p.enc, ',')
		}
		p.enc = appendPosting(p.enc, i-p.last, *c)
		p.last = i
	}
}

// see counts a token of doc i in its body (which 0) or title (1).
func (b *SearchBuilder) see(p *postings, i, which int) {
	if p.cur != i {
		p.cur, p.doc = i, [2]int{}
		b.order = append(b.order, p)
	}
	p.doc[which]++
}

func docChunk(docs []SearchDoc) []byte {
	rows := make([][5]string, len(docs))
	for i, d := range docs {
		rows[i] = [5]string{d.Title, d.URL, d.Column, d.Date, d.Body}
	}
	b, _ := json.Marshal(rows) // strings only: cannot fail
	return append(b, '\n')
}

// searchText is the start of a body for a snippet: spaces collapsed, at
// most SearchText characters.
func searchText(body string) string {
	var sb strings.Builder
	n := 0
	space := false
	for _, r := range strings.TrimSpace(body) {
		if n == SearchText {
			break
		}
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\v' {
			space = true
			continue
		}
		if space {
			sb.WriteByte(' ')
			n++
			space = false
			if n == SearchText {
				break
			}
		}
		sb.WriteRune(r)
		n++
	}
	return sb.String()
}

func appendJSONString(buf []byte, s string) []byte {
	b, _ := json.Marshal(s)
	return append(buf, b...)
}

// SearchHash is FNV-1a, 32 bits, of the token's UTF-8 bytes: the shard a
// token is in is SearchHash(token) modulo the shard count.
func SearchHash(tok string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(tok); i++ {
		h ^= uint32(tok[i])
		h *= 16777619
	}
	return h
}

// SearchTokens calls fn with each token of text, in order, as search.js
// makes them of a query (see the top of this file). The token's bytes are
// valid only during the call.
func SearchTokens(text string, fn func(tok []byte)) {
	var pair [2 * utf8.UTFMax]byte
	scanTokens(text, func(a, b rune) {
		n := utf8.EncodeRune(pair[:], a)
		n += utf8.EncodeRune(pair[n:], b)
		fn(pair[:n])
	}, fn)
}

// scanTokens calls bigram with the two characters of each CJK bigram of
// text and word with each Latin word, folded, in order.
func scanTokens(text string, bigram func(a, b rune), word func(w []byte)) {
	var buf [64]byte
	w := buf[:0]
	prev := rune(-1) // the previous character, when it was CJK
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		r = foldRune(r)
		switch {
		case isCJK(r):
			if len(w) > 0 {
				word(w)
				w = w[:0]
			}
			if prev >= 0 {
				bigram(prev, r)
			}
			prev = r
		case isWordRune(r):
			prev = -1
			w = utf8.AppendRune(w, r)
		default:
			prev = -1
			if len(w) > 0 {
				word(w)
				w = w[:0]
			}
		}
	}
	if len(w) > 0 {
		word(w)
	}
}

// foldRune is search.js's fold: full-width ASCII to half-width, Latin
// capitals (ASCII and Latin-1) to small letters.
func foldRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	if r >= 'A' && r <= 'Z' || r >= 0xC0 && r <= 0xDE && r != 0xD7 {
		r += 32
	}
	return r
}

// isCJK is the characters search.js pairs into bigrams: CJK ideographs
// (and their extension A and compatibility forms), kana and Hangul
// syllables, all in the Basic Multilingual Plane.
func isCJK(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r >= 0xF900 && r <= 0xFAFF ||
		r >= 0x3040 && r <= 0x30FF || r >= 0xAC00 && r <= 0xD7AF
}

// isWordRune is the characters of a Latin word: ASCII letters and digits,
// and the letters of Latin-1 and Latin Extended-A/B.
func isWordRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 0xC0 && r <= 0x24F && r != 0xD7 && r != 0xF7
}
