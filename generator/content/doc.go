// Package content loads a site's content/ folder and site.yaml into a
// *site.Site: it walks the tree, splits and decodes front matter (YAML between
// --- lines, TOML between +++ lines), recognises columns, bundles, branches and
// tasks, applies the draft, publish and expiry rules and the columns' required
// keys, and reports every problem as a Diagnostic with file and line.
//
// It is the only importer of github.com/adrg/frontmatter. It does not render
// Markdown: the generator does that on the loaded pages.
package content
