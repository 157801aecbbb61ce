package output

import (
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
)

// EditableIndex is a made search index that keeps what it was made of, so
// that a change to one doc's body rewrites only the files that show it:
// the shards of the tokens whose postings change, the doc's chunk and the
// manifest. Its files are always those SearchIndex (the function) makes of
// the same docs.
type EditableIndex struct {
	docs []SearchDoc
	// post holds each token's encoded postings; shardToks each shard's
	// tokens, sorted.
	post      map[string][]byte
	shardToks [][]string
	rels      []string
	files     map[string][]byte
}

// Index makes the index of the docs added, to keep.
func (b *SearchBuilder) Index() *EditableIndex {
	n := SearchShards(len(b.docs))
	x := &EditableIndex{docs: b.docs, post: make(map[string][]byte, len(b.bigrams)+len(b.words)),
		shardToks: make([][]string, n), rels: SearchRels(len(b.docs))}
	for key, p := range b.bigrams {
		x.post[string([]rune{rune(key >> 16), rune(key & 0xFFFF)})] = p.enc
	}
	for w, p := range b.words {
		x.post[w] = p.enc
	}
	for tok := range x.post {
		k := SearchHash(tok) % uint32(n)
		x.shardToks[k] = append(x.shardToks[k], tok)
	}
	x.files = make(map[string][]byte, len(x.rels))
	for k := range x.shardToks {
		slices.Sort(x.shardToks[k])
		x.files[x.rels[k]] = x.shard(k)
	}
	for j := 0; n+j < len(x.rels)-1; j++ {
		x.files[x.rels[n+j]] = x.chunk(j)
	}
	x.manifest()
	return x
}

// Files are the index's files, the manifest last.
func (x *EditableIndex) Files() []SearchFile {
	out := make([]SearchFile, len(x.rels))
	for i, rel := range x.rels {
		out[i] = SearchFile{Rel: rel, Data: x.files[rel]}
	}
	return out
}

// Replace puts d in place of doc i, which was indexed as old: d must
// differ from old in its body at most (the same title, URL, column and
// date, so the same place in the order). The postings of the tokens whose
// counts in doc i change, and the files that hold them, are made again.
func (x *EditableIndex) Replace(i int, old, d *SearchDoc) {
	oldCounts := docTokens(old)
	newCounts := docTokens(d)
	dirty := map[int]bool{}
	n := uint32(len(x.shardToks))
	for tok, c := range newCounts {
		if oldCounts[tok] != c {
			x.setPosting(tok, i, c)
			dirty[int(SearchHash(tok)%n)] = true
		}
	}
	for tok := range oldCounts {
		if _, ok := newCounts[tok]; !ok {
			x.setPosting(tok, i, [2]int{})
			dirty[int(SearchHash(tok)%n)] = true
		}
	}
	for k := range dirty {
		x.files[x.rels[k]] = x.shard(k)
	}
	x.docs[i].Body = searchText(d.Body)
	x.files[x.rels[len(x.shardToks)+i/SearchChunk]] = x.chunk(i / SearchChunk)
	x.manifest()
}

// docTokens counts each token of a doc in its body and its title.
func docTokens(d *SearchDoc) map[string][2]int {
	counts := map[string][2]int{}
	for which, text := range [2]string{d.Body, d.Title} {
		SearchTokens(text, func(tok []byte) {
			c := counts[string(tok)]
			c[which]++
			counts[string(tok)] = c
		})
	}
	return counts
}

// posting is one doc of a token's postings, with its counts in the body
// and the title.
type posting struct {
	doc int
	c   [2]int
}

// setPosting sets the counts of doc i in tok's postings; zero counts take
// the doc out, and a token left with no doc out of the index.
func (x *EditableIndex) setPosting(tok string, i int, c [2]int) {
	list := decodePostings(x.post[tok])
	at, found := slices.BinarySearchFunc(list, i, func(p posting, i int) int { return p.doc - i })
	switch {
	case c == [2]int{} && found:
		list = slices.Delete(list, at, at+1)
	case c == [2]int{}:
		return
	case found:
		list[at].c = c
	default:
		list = slices.Insert(list, at, posting{doc: i, c: c})
	}
	k := SearchHash(tok) % uint32(len(x.shardToks))
	toks := x.shardToks[k]
	j, had := slices.BinarySearch(toks, tok)
	switch {
	case len(list) == 0:
		delete(x.post, tok)
		if had {
			x.shardToks[k] = slices.Delete(toks, j, j+1)
		}
		return
	case !had:
		x.shardToks[k] = slices.Insert(toks, j, tok)
	}
	x.post[tok] = encodePostings(list)
}

// decodePostings reads postings encoded as SearchBuilder.Add writes them.
func decodePostings(enc []byte) []posting {
	if len(enc) == 0 {
		return nil
	}
	var list []posting
	last := -1
	for _, e := range strings.Split(string(enc), ",") {
		parts := strings.Split(e, "/")
		delta, _ := strconv.ParseInt(parts[0], 36, 64)
		p := posting{doc: last + int(delta), c: [2]int{1, 0}}
		for k := 1; k < len(parts) && k <= 2; k++ {
			v, _ := strconv.ParseInt(parts[k], 36, 64)
			p.c[k-1] = int(v)
		}
		list = append(list, p)
		last = p.doc
	}
	return list
}

// encodePostings writes postings as SearchBuilder.Add does.
func encodePostings(list []posting) []byte {
	var enc []byte
	last := -1
	for _, p := range list {
		if len(enc) > 0 {
			enc = append(enc, ',')
		}
		enc = appendPosting(enc, p.doc-last, p.c)
		last = p.doc
	}
	return enc
}

// appendPosting appends one doc's entry: the difference from the previous
// doc number, then the counts that are not the default (body 1, title 0).
func appendPosting(enc []byte, delta int, c [2]int) []byte {
	enc = strconv.AppendInt(enc, int64(delta), 36)
	switch {
	case c[1] != 0:
		enc = append(enc, '/')
		enc = strconv.AppendInt(enc, int64(c[0]), 36)
		enc = append(enc, '/')
		enc = strconv.AppendInt(enc, int64(c[1]), 36)
	case c[0] != 1:
		enc = append(enc, '/')
		enc = strconv.AppendInt(enc, int64(c[0]), 36)
	}
	return enc
}

// shard encodes shard k.
func (x *EditableIndex) shard(k int) []byte {
	buf := []byte{'{'}
	for j, tok := range x.shardToks[k] {
		if j > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, tok)
		buf = append(buf, ':', '"')
		buf = append(buf, x.post[tok]...)
		buf = append(buf, '"')
	}
	return append(buf, "}\n"...)
}

// chunk encodes the docs of chunk j.
func (x *EditableIndex) chunk(j int) []byte {
	return docChunk(x.docs[min(len(x.docs), j*SearchChunk):min(len(x.docs), (j+1)*SearchChunk)])
}

// manifest makes the manifest, whose id changes whenever a file does, so
// that a browser holding an older file in its cache asks for the new one.
func (x *EditableIndex) manifest() {
	h := fnv.New64a()
	for _, rel := range x.rels[:len(x.rels)-1] {
		h.Write(x.files[rel])
	}
	x.files["search/index.json"] = []byte(`{"v":1,"id":"` + strconv.FormatUint(h.Sum64(), 36) + `","shards":` +
		strconv.Itoa(len(x.shardToks)) + `,"chunk":` + strconv.Itoa(SearchChunk) + `,"docs":` + strconv.Itoa(len(x.docs)) + "}\n")
}
