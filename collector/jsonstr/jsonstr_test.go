package jsonstr

import (
	"encoding/json"
	"strings"
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
	for _, s := range []string{"", "plain", "党费 <b>&amp;</b>", "\"\\/", "\b\f\n\r\t\x00\x1f\x7f", "\u2028\u2029", "\xff\xfe", "a\xe5\x85", "😀",
		"末尾\u2028", "\u2027\u202a\u2029x", "\xe2\x80", "好\xe2\x80\xa8\xff"} {
		check(t, s)
	}
}

// FuzzAppend: any string is written as json.Marshal writes it.
func FuzzAppend(f *testing.F) {
	f.Add("全年<b>工作</b>&\u2028\x00\"\\\xff")
	f.Fuzz(check)
}

// BenchmarkAppend: the wrk script's summary (280 Chinese characters), by
// Append (valid UTF-8, looked at a byte at a time) and by appendAny
// (every rune decoded, as Append did before; issue 11).
func BenchmarkAppend(b *testing.B) {
	s := strings.Repeat("全年工作开展情况和主要成效。", 20)
	buf := make([]byte, 0, 2*len(s))
	b.Run("Append", func(b *testing.B) {
		for b.Loop() {
			buf = Append(buf[:0], s)
		}
	})
	b.Run("appendAny", func(b *testing.B) {
		for b.Loop() {
			buf = appendAny(buf[:0], s)
		}
	})
}
