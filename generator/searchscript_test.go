package generator

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// TestSearchJS runs the theme's search tests under Node: two-character
// Chinese queries, ranking, snippets, and that page text is never parsed as
// HTML. Node ships with the development machines and CI.
func TestSearchJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to test themes/default/static/js/search.js: install Debian's nodejs")
	}
	out, err := exec.Command(node, filepath.Join("..", "themes", "default", "static", "js", "search_test.js")).CombinedOutput()
	if err != nil {
		t.Fatalf("search_test.js: %v\n%s", err, out)
	}
}
