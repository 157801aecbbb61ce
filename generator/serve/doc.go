// Package serve is the development server of `dangwu serve`: it builds the
// site with a generator.Live, serves the output folder over HTTP, watches
// the site's files, brings the output up to date after every burst of
// changes, and makes open browsers reload.
//
//   - Watching: every folder under content/, static/, layouts/ and the
//     themes folder is watched (folders created later too), and the site
//     folder itself for site.yaml. Bursts of events are debounced into one
//     update, which reads again only the files reported.
//   - Live reload: pages served get a small script (livereload.js, ES5)
//     right after <head>, never in the built files. It follows a
//     Server-Sent Events stream from a hub the Server owns: "reload" lists
//     the URLs that changed, and a browser reloads only when its own page
//     or a file it uses changed, keeping its scroll position; "problems"
//     shows every error of a failed update, with file and line, over the
//     page, and "ok" removes it. A failed update keeps the last good site.
//   - The clock: the server wakes up at the next instant a page's
//     publishDate arrives, its expiryDate passes or a task's deadline
//     passes, and updates the site then.
//   - The collector's API, when given, is served on the same origin under
//     <base path>api/.
//
// It is the only importer of github.com/fsnotify/fsnotify. It imports the
// generator, never the collector: main wires the collector in through
// Options.API.
package serve
