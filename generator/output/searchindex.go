package output

import (
	"bytes"
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
	enc = appendBase36(enc, delta)
	switch {
	case c[1] != 0:
		enc = append(enc, '/')
		enc = appendBase36(enc, c[0])
		enc = append(enc, '/')
		enc = appendBase36(enc, c[1])
	case c[0] != 1:
		enc = append(enc, '/')
		enc = appendBase36(enc, c[0])
	}
	return enc
}

// appendBase36 is strconv.AppendInt(b, n, 36), the one digit of most
// postings' numbers (a gap to the next doc, a count) appended directly:
// a 10,000-page build appends some twelve million of them (issue 14).
func appendBase36(b []byte, n int) []byte {
	if 0 <= n && n < 36 {
		return append(b, "0123456789abcdefghijklmnopqrstuvwxyz"[n])
	}
	return strconv.AppendInt(b, int64(n), 36)
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

// Update makes the index the one of docs, numbered in the order given
// (newest first), from the docs it holds: from[j] is the number in the
// index of a doc with the same title and body as docs[j] (its URL, column
// and date may differ), whose tokens are taken as they are, or -1 for a
// doc to index afresh. The index's docs that no from names are taken out.
// Only the new docs' text is read; every token's postings are renumbered
// from their encoding, without reading the other docs again, and only the
// files whose bytes change are made again. The files are then those
// SearchIndex makes of docs.
func (x *EditableIndex) Update(docs []SearchDoc, from []int) {
	remap := make([]int, len(x.docs)) // old number → new, -1 when gone
	for i := range remap {
		remap[i] = -1
	}
	monotone, last := true, -1
	for j, k := range from {
		if k >= 0 {
			remap[k] = j
		}
	}
	for _, j := range remap {
		if j >= 0 {
			monotone = monotone && j > last
			last = j
		}
	}
	added := map[string][]posting{}
	for j, k := range from {
		if k >= 0 {
			continue
		}
		for tok, c := range docTokens(&docs[j]) {
			added[tok] = append(added[tok], posting{doc: j, c: c})
		}
	}
	oldDocs := x.docs
	x.docs = make([]SearchDoc, len(docs))
	for j := range docs {
		d := docs[j]
		if k := from[j]; k >= 0 {
			d.Body = oldDocs[k].Body
		} else {
			d.Body = searchText(d.Body)
		}
		x.docs[j] = d
	}
	changed := x.renumber(remap, monotone, added)
	x.reshard(changed)
	x.rechunk(oldDocs)
	x.manifest()
}

// renumber rewrites every token's postings with the doc numbers of remap
// and the postings of added merged in, and returns the tokens whose
// encoding changed (and those now gone).
func (x *EditableIndex) renumber(remap []int, monotone bool, added map[string][]posting) map[string]bool {
	changed := map[string]bool{}
	size := 0
	for _, enc := range x.post {
		size += len(enc) + 8
	}
	arena := make([]byte, 0, size+len(added)*16)
	var list []posting
	for tok, enc := range x.post {
		start := len(arena)
		if monotone {
			arena = remapPostings(arena, enc, remap, added[tok])
		} else {
			list = list[:0]
			for _, p := range decodePostings(enc) {
				if j := remap[p.doc]; j >= 0 {
					list = append(list, posting{doc: j, c: p.c})
				}
			}
			list = append(list, added[tok]...)
			slices.SortFunc(list, func(a, b posting) int { return a.doc - b.doc })
			arena = append(arena, encodePostings(list)...)
		}
		delete(added, tok)
		if len(arena) == start {
			delete(x.post, tok)
			changed[tok] = true
			continue
		}
		if string(arena[start:]) != string(enc) {
			changed[tok] = true
		}
		// In the new arena even when unchanged, so that no token keeps
		// the old one, and with it every old posting, alive.
		x.post[tok] = arena[start:len(arena):len(arena)]
	}
	for tok, list := range added {
		x.post[tok] = encodePostings(list)
		changed[tok] = true
	}
	return changed
}

// remapPostings appends enc, postings as SearchBuilder.Add writes them,
// with each doc renumbered by remap (which keeps their order; -1 drops a
// doc) and the postings of add merged in, to out. An entry whose delta
// does not change is copied as it is.
func remapPostings(out, enc []byte, remap []int, add []posting) []byte {
	last, lastNew := -1, -1
	base := len(out)
	emit := func(doc int, c [2]int) {
		if len(out) > base {
			out = append(out, ',')
		}
		out = appendPosting(out, doc-lastNew, c)
		lastNew = doc
	}
	for i := 0; i < len(enc); {
		start := i
		delta := 0
		for i < len(enc) && enc[i] != '/' && enc[i] != ',' {
			delta = delta*36 + base36(enc[i])
			i++
		}
		for i < len(enc) && enc[i] != ',' {
			i++
		}
		entry := enc[start:i]
		i++ // the comma
		last += delta
		doc := remap[last]
		if doc < 0 {
			continue
		}
		for len(add) > 0 && add[0].doc < doc {
			emit(add[0].doc, add[0].c)
			add = add[1:]
		}
		if doc-lastNew == delta {
			if len(out) > base {
				out = append(out, ',')
			}
			out = append(out, entry...)
			lastNew = doc
			continue
		}
		c := [2]int{1, 0}
		if j := bytes.IndexByte(entry, '/'); j >= 0 {
			c = entryCounts(entry[j+1:])
		}
		emit(doc, c)
	}
	for _, p := range add {
		emit(p.doc, p.c)
	}
	return out
}

// base36 is the value of one base-36 digit as strconv writes them.
func base36(c byte) int {
	if c <= '9' {
		return int(c - '0')
	}
	return int(c-'a') + 10
}

// entryCounts reads the counts of a posting after its delta's "/": the
// body's, then optionally "/" and the title's.
func entryCounts(b []byte) [2]int {
	c := [2]int{0, 0}
	k := 0
	for _, ch := range b {
		if ch == '/' {
			k++
			continue
		}
		c[k] = c[k]*36 + base36(ch)
	}
	return c
}

// reshard brings the shards' lists of tokens up to date after the tokens
// in changed changed, or were added or taken out, and makes again the
// shards that hold any: all of them when the number of docs changes the
// number of shards.
func (x *EditableIndex) reshard(changed map[string]bool) {
	n := SearchShards(len(x.docs))
	rels := SearchRels(len(x.docs))
	dirty := map[int]bool{}
	if n != len(x.shardToks) {
		x.shardToks = make([][]string, n)
		for tok := range x.post {
			k := SearchHash(tok) % uint32(n)
			x.shardToks[k] = append(x.shardToks[k], tok)
		}
		for k := range x.shardToks {
			slices.Sort(x.shardToks[k])
			dirty[k] = true
		}
	} else {
		for tok := range changed {
			k := int(SearchHash(tok) % uint32(n))
			toks := x.shardToks[k]
			j, had := slices.BinarySearch(toks, tok)
			_, now := x.post[tok]
			switch {
			case had && !now:
				x.shardToks[k] = slices.Delete(toks, j, j+1)
			case !had && now:
				x.shardToks[k] = slices.Insert(toks, j, tok)
			}
			dirty[k] = true
		}
	}
	keep := make(map[string]bool, len(rels))
	for _, rel := range rels {
		keep[rel] = true
	}
	for rel := range x.files {
		if !keep[rel] {
			delete(x.files, rel)
		}
	}
	x.rels = rels
	for k := range dirty {
		x.files[rels[k]] = x.shard(k)
	}
}

// rechunk makes again the files of docs whose docs differ from those the
// same file held of old.
func (x *EditableIndex) rechunk(old []SearchDoc) {
	n := len(x.shardToks)
	for j := 0; n+j < len(x.rels)-1; j++ {
		lo, hi := min(len(x.docs), j*SearchChunk), min(len(x.docs), (j+1)*SearchChunk)
		olo, ohi := min(len(old), j*SearchChunk), min(len(old), (j+1)*SearchChunk)
		if _, ok := x.files[x.rels[n+j]]; ok && slices.Equal(x.docs[lo:hi], old[olo:ohi]) {
			continue
		}
		x.files[x.rels[n+j]] = x.chunk(j)
	}
}
