package content

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v2"
)

// parsed is a content file split into its front matter and body.
type parsed struct {
	format string // "yaml", "toml" or "" when the file has no front matter
	params map[string]any
	lines  map[string]int // top-level key → line in the file
	body   []byte
	// bodyLine is the file line the body starts on.
	bodyLine int
}

// rawFront receives the front matter's bytes from adrg/frontmatter, so that
// decoding happens here, where line numbers can be corrected.
type rawFront struct {
	format string
	data   []byte
}

func capture(format string) frontmatter.UnmarshalFunc {
	return func(data []byte, v any) error {
		r := v.(*rawFront)
		r.format = format
		r.data = append([]byte(nil), data...)
		return nil
	}
}

var formats = []*frontmatter.Format{
	frontmatter.NewFormat("---", "---", capture("yaml")),
	frontmatter.NewFormat("+++", "+++", capture("toml")),
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseFile splits src and decodes its front matter. Errors are returned as
// a line (in the file) and a message.
func parseFile(src []byte) (*parsed, int, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var raw rawFront
	body, err := frontmatter.Parse(bytes.NewReader(src), &raw, formats...)
	if err != nil {
		return nil, 1, fmt.Errorf("front matter: %w", err)
	}
	p := &parsed{format: raw.format, body: body, params: map[string]any{}, lines: map[string]int{}}
	p.bodyLine = lineOf(src, len(src)-len(body))
	if raw.format == "" {
		p.bodyLine = 1
		return p, 0, nil
	}
	// The front matter's first line is the line after the opening delimiter.
	start := bytes.Index(src, raw.data)
	first := 2
	if start >= 0 && len(raw.data) > 0 {
		first = lineOf(src, start)
	}
	switch raw.format {
	case "yaml":
		var m yaml.MapSlice
		if err := yaml.Unmarshal(raw.data, &m); err != nil {
			return nil, yamlErrLine(err, first), fmt.Errorf("front matter: %s", yamlMsg(err))
		}
		for _, item := range m {
			k, ok := item.Key.(string)
			if !ok {
				k = fmt.Sprint(item.Key)
			}
			p.params[k] = normalize(item.Value)
		}
	case "toml":
		md, err := toml.Decode(string(raw.data), &p.params)
		if err != nil {
			line := first
			var perr toml.ParseError
			if errors.As(err, &perr) {
				line = first + perr.Position.Line - 1
			}
			return nil, line, fmt.Errorf("front matter: %s", tomlMsg(err))
		}
		_ = md
		for k, v := range p.params {
			p.params[k] = normalize(v)
		}
	}
	keyLines(raw.data, raw.format, first, p.lines)
	return p, 0, nil
}

func yamlErrLine(err error, first int) int {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return first + n - 1
	}
	return first
}

func yamlMsg(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	return yamlLine.ReplaceAllString(s, "")
}

func tomlMsg(err error) string {
	var perr toml.ParseError
	if errors.As(err, &perr) {
		return perr.Message
	}
	return err.Error()
}

// keyLines finds the line of each top-level key.
func keyLines(data []byte, format string, first int, out map[string]int) {
	for i, line := range strings.Split(string(data), "\n") {
		if line == "" || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-' {
			continue
		}
		sep := ":"
		if format == "toml" {
			if line[0] == '[' {
				k := strings.Trim(strings.TrimSpace(line), "[]")
				if _, ok := out[k]; !ok {
					out[k] = first + i
				}
				continue
			}
			sep = "="
		}
		k, _, ok := strings.Cut(line, sep)
		if !ok {
			continue
		}
		k = strings.Trim(strings.TrimSpace(k), `"'`)
		if _, seen := out[k]; !seen {
			out[k] = first + i
		}
	}
}

// normalize turns yaml.v2's map[interface{}]interface{} and MapSlice into
// map[string]any, recursively, so every later step sees one shape.
func normalize(v any) any {
	switch x := v.(type) {
	case yaml.MapSlice:
		m := make(map[string]any, len(x))
		for _, item := range x {
			m[fmt.Sprint(item.Key)] = normalize(item.Value)
		}
		return m
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, v := range x {
			m[fmt.Sprint(k)] = normalize(v)
		}
		return m
	case map[string]any:
		for k, v := range x {
			x[k] = normalize(v)
		}
		return x
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
		return x
	case []map[string]any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = normalize(x[i])
		}
		return out
	}
	return v
}
