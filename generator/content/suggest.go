package content

import "strings"

// suggest returns the known key nearest to key when it is near enough to
// be a misspelling of it ("titel" → "title", "tag" → "tags",
// "publishdate" → "publishDate"), else "".
func suggest(key string, known []string) string {
	lower := strings.ToLower(key)
	best, bestDist := "", 0
	for _, k := range known {
		d := distance(lower, strings.ToLower(k))
		if best == "" || d < bestDist {
			best, bestDist = k, d
		}
	}
	n := len([]rune(key))
	switch {
	case best == "":
		return ""
	case bestDist == 0:
		return best // differs in case only
	case bestDist == 1 && n >= 2:
		return best
	case bestDist == 2 && n >= 5:
		return best
	}
	return ""
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours count one.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
