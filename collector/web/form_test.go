package web

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// parseQueryThenFirst is what start did before parseForm: url.ParseQuery,
// then the first value of each name, all of them joined for a multi name.
func parseQueryThenFirst(body string, multi func(string) bool) (map[string]string, error) {
	form, err := url.ParseQuery(body)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range form {
		out[k] = v[0]
		if multi(k) {
			out[k] = strings.Join(v, "\n")
		}
	}
	return out, nil
}

func multiTags(name string) bool { return name == "tags" }

func checkParseForm(t *testing.T, body string) {
	t.Helper()
	want, wantErr := parseQueryThenFirst(body, multiTags)
	got := map[string]string{}
	err := parseForm([]byte(body), multiTags, got)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%q: error %v, url.ParseQuery's %v", body, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %q\nwant %q", body, got, want)
	}
}

// TestParseFormAsParseQuery: the same values and the same failures as
// url.ParseQuery followed by the first (or, multi, every) value.
func TestParseFormAsParseQuery(t *testing.T) {
	for _, body := range []string{
		"", "&", "a", "a=", "=b", "a=1&a=2", "tags=x&tags=y&tags=", "a=1&&b=2",
		"summary=%E5%85%A8%E5%B9%B4+%E5%B7%A5%E4%BD%9C&branch=yi&code=k7pq-3mz9",
		"a=1;b=2", "a=%zz", "%zz=1", "a=%", "a+b=c+d", "a=1&b=%E5%85",
	} {
		checkParseForm(t, body)
	}
}

func FuzzParseForm(f *testing.F) {
	for _, s := range []string{"a=1&a=2", "tags=x&tags=y", "a=%zz;", "summary=%E5%85%A8+x&&=&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) { checkParseForm(t, body) })
}

// BenchmarkUnescapeQuery: the wrk script's summary as a browser sends it,
// two thirds of it percent escapes.
func BenchmarkUnescapeQuery(b *testing.B) {
	s := []byte(url.QueryEscape(strings.Repeat("全年工作开展情况和主要成效。", 20)))
	dst := make([]byte, len(s))
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		unescapeQuery(dst, 0, s)
	}
}
