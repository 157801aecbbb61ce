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

// splitYAML splits src the way adrg/frontmatter does when its first line
// is "---" and a later line is "---" (spaces around it aside): the front
// matter between, the body after; ok false for any other file, which
// adrg/frontmatter then splits. Reading the file line by line through a
// buffered reader was a fifth of loading a 10,000-page site's files
// (issue 14); FuzzSplitYAML holds the two together.
func splitYAML(src []byte) (raw rawFront, body []byte, ok bool) {
	rest, found := bytes.CutPrefix(src, []byte("---\n"))
	if !found {
		return rawFront{}, nil, false
	}
	for at := len(src) - len(rest); at < len(src); {
		line, _, _ := bytes.Cut(src[at:], []byte{'\n'})
		next := min(at+len(line)+1, len(src))
		if string(bytes.TrimSpace(line)) == "---" {
			return rawFront{format: "yaml", data: src[len(src)-len(rest) : at : at]}, src[next:], true
		}
		at = next
	}
	return rawFront{}, nil, false
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseFile splits src and decodes its front matter. Errors are returned as
// a line (in the file) and a message.
func parseFile(src []byte) (*parsed, int, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	raw, body, ok := splitYAML(src)
	if !ok {
		var err error
		if body, err = frontmatter.Parse(bytes.NewReader(src), &raw, formats...); err != nil {
			return nil, 1, fmt.Errorf(msgFrontMatter, err)
		}
	}
	p := &parsed{format: raw.format, body: body, params: map[string]any{}, lines: map[string]int{}}
	p.bodyLine = lineOf(src, len(src)-len(body))
	if raw.format == "" {
		if line, delim := openingDelimiter(src); delim != "" {
			return nil, line, fmt.Errorf(msgUnclosed, line, delim, delim, delim)
		}
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
		m, ok := quickYAML(raw.data)
		if !ok {
			if err := yaml.Unmarshal(raw.data, &m); err != nil {
				return nil, yamlErrLine(err, first), fmt.Errorf(msgFrontMatter, yamlMsg(err))
			}
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
			return nil, line, fmt.Errorf(msgFrontMatterTOML, tomlMsg(err))
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

// openingDelimiter returns the line and the delimiter ("---" or "+++")
// when src's first non-blank line opens front matter; "" when it does not.
// adrg/frontmatter takes a block that is never closed as body text.
func openingDelimiter(src []byte) (int, string) {
	line := 1
	for len(src) > 0 {
		first, rest, _ := bytes.Cut(src, []byte("\n"))
		t := strings.TrimSpace(string(first))
		switch t {
		case "":
			line++
			src = rest
			continue
		case "---", "+++":
			return line, t
		}
		return 0, ""
	}
	return 0, ""
}

// yamlMessages turn yaml.v2's parser messages into words an editor reads.
var yamlMessages = []struct{ en, zh string }{
	{"did not find expected ',' or ']'", "列表缺少结尾的 ]（或两项之间缺少逗号）"},
	{"did not find expected ',' or '}'", "映射缺少结尾的 }（或两项之间缺少逗号）"},
	{"did not find expected key", "此处应是一个键（多半是缩进不一致）"},
	{"mapping values are not allowed in this context", "此处不能出现“键: 值”（值里含“: ”时请给整个值加引号）"},
	{"found character that cannot start any token", "有不能出现在开头的字符（如用制表符缩进，请改用空格；或值以 @ ` 开头，请加引号）"},
	{"could not find expected ':'", "缺少冒号“:”"},
	{"did not find expected node content", "缺少值"},
	{"did not find expected '-' indicator", "列表项应以“- ”开头（多半是缩进不一致）"},
	{"found unexpected end of stream", "内容意外结束（引号或括号没有闭合）"},
	{"found unknown escape character", "双引号里有无效的转义字符（\\ 要写成 \\\\，或改用单引号）"},
	{"found undefined alias", "引用了未定义的锚点（* 开头的值请加引号）"},
	{"block sequence entries are not allowed in this context", "此处不能出现列表项“- ”"},
}

func yamlMsg(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.TrimSpace(yamlLine.ReplaceAllString(s, ""))
	for _, m := range yamlMessages {
		if strings.Contains(s, m.en) {
			return m.zh
		}
	}
	return "YAML 无法解析（" + s + "）"
}

func tomlMsg(err error) string {
	var perr toml.ParseError
	if errors.As(err, &perr) {
		return "TOML 无法解析（" + perr.Message + "）"
	}
	return "TOML 无法解析（" + err.Error() + "）"
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
