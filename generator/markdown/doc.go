// Package markdown turns page bodies written in Markdown into HTML, and
// extracts what the rest of the generator needs from them: the headings with
// their ids (for the table of contents), the text without markup (for search,
// summaries and word counts) and the relative links to other pages (for
// rewriting and for missing-link diagnostics).
//
// It is the only package of the module that imports goldmark. It is
// configured once, in [New], for a Chinese site: GFM, footnotes, CJK line
// breaks, no typographer, and no raw HTML. Soft line breaks between two
// Chinese characters render as nothing, so that a paragraph wrapped in the
// source shows no stray spaces.
//
// The text helpers [CountWords], [ReadingTime] and [Summarize] need no
// Markdown; they count and cut Chinese text by characters and sentences,
// not by spaces.
//
// Import rule: the standard library, goldmark and generator/site only.
package markdown
