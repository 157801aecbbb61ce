//go:build !race

package generator

// raceSteps: see race_test.go.
const raceSteps = 1000
