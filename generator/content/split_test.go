package content

import (
	"bytes"
	"testing"

	"github.com/adrg/frontmatter"
)

// libraryFormats make adrg/frontmatter split as splitFront does, for
// FuzzSplitFront.
func libraryFormats() []*frontmatter.Format {
	capture := func(format string) frontmatter.UnmarshalFunc {
		return func(data []byte, v any) error {
			r := v.(*rawFront)
			r.format = format
			r.data = append([]byte(nil), data...)
			return nil
		}
	}
	return []*frontmatter.Format{
		frontmatter.NewFormat("---", "---", capture("yaml")),
		frontmatter.NewFormat("+++", "+++", capture("toml")),
	}
}

// FuzzSplitFront checks that splitFront splits every file as
// adrg/frontmatter's Parse, which it replaces on the load's hot path
// (issue 14: Parse copied each file twice through a reader and a buffer).
func FuzzSplitFront(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: 一\n---\n正文\n", "\n\n  ---  \r\na: 1\r\n --- \r\nbody", "+++\ntitle = \"x\"\n+++\n",
		"---\nno end\n", "---", "---\n---", "---\n---\n", "text\n---\na\n---\n", "+++\n---\n+++\nb",
		"\u3000---\na\n---\n", "---\n-\n---\n", "", "\n", "---\r\n+++\r\n---",
	} {
		f.Add([]byte(s))
	}
	formats := libraryFormats()
	f.Fuzz(func(t *testing.T, src []byte) {
		var raw rawFront
		want, err := frontmatter.Parse(bytes.NewReader(src), &raw, formats...)
		if err != nil {
			t.Fatalf("frontmatter.Parse: %v", err)
		}
		format, data, body := splitFront(src)
		if format != raw.format || !bytes.Equal(data, raw.data) || !bytes.Equal(body, want) {
			t.Errorf("splitFront(%q) = %q, %q, %q; adrg/frontmatter: %q, %q, %q", src, format, data, body, raw.format, raw.data, want)
		}
	})
}
