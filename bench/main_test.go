package main

import "testing"

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("1000, 10000")
	if err != nil || len(got) != 2 || got[0] != 1000 || got[1] != 10000 {
		t.Errorf("parseSizes = %v, %v", got, err)
	}
	for _, bad := range []string{"", "1000,", "0", "十"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q) accepted", bad)
		}
	}
}
