package generator

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// TestThemeScripts runs the theme's script tests under Node: search
// (two-character Chinese queries, ranking, snippets, page text never parsed
// as HTML) and the task form (drafts kept, submission ids, messages per
// answer code, ES5 only). Node ships with the development machines and CI.
func TestThemeScripts(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to test the theme's scripts: install Debian's nodejs")
	}
	for _, script := range []string{"search_test.js", "form_test.js", "opinion_test.js", "filter_test.js"} {
		out, err := exec.Command(node, filepath.Join("..", "themes", "default", "static", "js", script)).CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", script, err, out)
		}
	}
}
