package main

import "testing"

func TestParseHugoVersion(t *testing.T) {
	v, minor := parseHugoVersion("hugo v0.111.3+extended linux/amd64 BuildDate=2023-03-16T08:41:31Z VendorInfo=debian:0.111.3-1\n")
	if v != "v0.111.3" || minor != 111 {
		t.Errorf("got %q, %d", v, minor)
	}
}
