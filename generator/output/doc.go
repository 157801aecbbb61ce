// Package output writes a build's files: a staging folder beside the
// destination that replaces it only when the whole build succeeded, single
// files replaced atomically (write, sync, rename) for partial re-renders, and
// the machine-readable outputs (RSS 2.0 feeds, sitemap.xml, robots.txt,
// the sharded search index under search/).
//
// Paths are resolved inside an os.Root, so no page slug, tag or alias can
// write outside the destination. It imports generator/site and the standard
// library only.
package output
