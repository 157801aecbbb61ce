// Package content loads a site's content/ folder and site.yaml into a
// *site.Site: it walks the tree, splits and decodes front matter (YAML between
// --- lines, TOML between +++ lines), recognises columns, bundles, branches and
// tasks, applies the draft, publish and expiry rules and the columns' required
// keys, and reports every problem as a Diagnostic with file and line.
//
// It splits front matter itself (splitFront), as github.com/adrg/frontmatter
// does, which its tests alone import to hold it to that. It does not render
// Markdown: the generator does that on the loaded pages.
package content
