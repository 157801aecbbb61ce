// Package importer brings existing content into a dangwu site: a Hugo
// site's content/ and static/ (Hugo), a Hexo site's source/ (Hexo), and
// Word documents (Docx), each with a Report of what it changed and what
// needs an editor's eye.
//
// It writes only new files under the site's content/ and static/, never
// over an existing one. It reads front matter and shortcodes as the
// generator does (packages content and markdown) and imports nothing of
// the collector.
package importer
