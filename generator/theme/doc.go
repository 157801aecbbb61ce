// Package theme parses a theme's html/template layouts and executes them with
// typed page data.
//
// Layouts are read through fs.FS layers: the site's layouts/ folder first, then
// the theme's layouts/, so a site overrides the theme file by file. Every layout
// other than baseof.html and the files under _partials/ is parsed once, at
// Parse, into its own set together with baseof.html and every partial; Execute
// only runs them. Lookup follows Hugo's names: front matter `layout`, then
// <column>/<kind>.html, then <kind>.html.
//
// Parse also works out, from the static types of PageData and the template
// functions, what each layout can read (Reach) and which files it is made of,
// so an incremental build knows which outputs an edit can change.
//
// The package imports generator/site and the standard library only.
package theme
