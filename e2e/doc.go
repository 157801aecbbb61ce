// Package e2e tests dangwu end to end in a real browser: it builds the dangwu
// binary, copies the example site into a temporary folder, starts
// `dangwu collect` on 127.0.0.1 and drives headless Chromium through the site
// with chromedp: the menu, search, a task's form with JavaScript on and off,
// the status tables, review in /admin/ and the assessment board. It also saves
// screenshots of the main page kinds on a phone and a desktop under
// e2e/artifacts/.
//
// The tests need Chromium (Debian's chromium; $DANGWU_CHROMIUM names another
// binary), so they are behind the build tag e2e:
//
//	cd e2e && go test -tags e2e -count=1 .
//
// The package is a module of its own so that chromedp stays out of dangwu's
// go.mod. It imports nothing from dangwu: it runs the binary, as a user would.
package e2e
