//go:build race

package generator

// raceSteps bounds TestLiveMatchesFullBuild's steps under the race
// detector, which makes every full build ten times slower; the plain test
// run goes through all of them.
const raceSteps = 20
