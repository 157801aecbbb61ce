package jsonstr

import (
	"encoding/json"
	"testing"
)

func check(t *testing.T, s string) {
	t.Helper()
	want, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := Append([]byte("x"), s); string(got) != "x"+string(want) {
		t.Errorf("%q:\n got %s\nwant x%s", s, got, want)
	}
}

func TestAppendAsMarshal(t *testing.T) {
	for _, s := range []string{"", "plain", "党费 <b>&amp;</b>", "\"\\/", "\b\f\n\r\t\x00\x1f\x7f", "\u2028\u2029", "\xff\xfe", "a\xe5\x85", "😀"} {
		check(t, s)
	}
}

// FuzzAppend: any string is written as json.Marshal writes it.
func FuzzAppend(f *testing.F) {
	f.Add("全年<b>工作</b>&\u2028\x00\"\\\xff")
	f.Fuzz(check)
}
