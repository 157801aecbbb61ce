package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// target is a goal a figure must meet, from issue 6 or the issue it names.
type target struct {
	op    string // "≤", "<" or "≥"
	limit float64
	text  string // the limit as the table shows it: "0.5", "50 ms"
}

func (t target) String() string { return t.op + " " + t.text }

// met reports whether v meets the target.
func (t target) met(v float64) bool {
	switch t.op {
	case "≤":
		return v <= t.limit
	case "<":
		return v < t.limit
	case "≥":
		return v >= t.limit
	}
	return false
}

// judge returns the target and check cells for a figure: ✓ or ✗, 未测 when
// the figure is missing, and nothing when there is no target.
func judge(t *target, v float64, have bool) (goal, check string) {
	switch {
	case t == nil:
		return "", ""
	case !have:
		return t.String(), "未测"
	case t.met(v):
		return t.String(), "✓"
	}
	return t.String(), "✗"
}

// seconds shows a duration as "850 ms" or "3.58 s".
func seconds(d time.Duration) string {
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// thousands rounds v and groups its digits: 12345.6 → "12,346".
func thousands(v float64) string {
	s := strconv.FormatInt(int64(math.Round(math.Abs(v))), 10)
	var b strings.Builder
	if v <= -0.5 {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// mebibytes shows a size as "378 MiB" or "1.21 GiB".
func mebibytes(n int64) string {
	const mib = 1 << 20
	if n >= 1<<30 {
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/mib)
}

// formatMetric shows a benchmark metric with a short unit: "12.3 ms" for
// milliseconds (-ms, ms/…), "12,345 /s" for rates, "3.2%" for shares,
// "41.5 MB" for sizes, the bare number otherwise (the row names the unit).
func formatMetric(m metric) string {
	switch {
	case isMillis(m.unit):
		return decimal(m.value) + " ms"
	case strings.HasSuffix(m.unit, "/s"):
		return thousands(m.value) + " /s"
	case strings.HasPrefix(m.unit, "%"):
		return decimal(m.value) + "%"
	case strings.HasPrefix(m.unit, "MB"):
		return decimal(m.value) + " MB"
	}
	return decimal(m.value)
}

// isMillis reports whether a benchmark unit is milliseconds: p50-ms,
// ms/save-median.
func isMillis(unit string) bool {
	return strings.HasSuffix(unit, "-ms") || strings.HasPrefix(unit, "ms/")
}

// decimal shows a number with three significant figures or so.
func decimal(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return thousands(v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
