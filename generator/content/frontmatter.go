package content

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
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

// rawFront is a file's front matter as split off (splitFront), decoded
// here, where line numbers can be corrected.
type rawFront struct {
	format string
	data   []byte
}

// splitFront splits src into its front matter's format ("yaml", "toml" or
// "" when it has none), the front matter between the delimiter lines, and
// the body after them, exactly as adrg/frontmatter's Parse with formats
// does (FuzzSplitFront compares them), without copying the file twice
// through a reader and a buffer: the first line that is not blank must be
// "---" or "+++" followed by a line end, and the block runs to the first
// line that is the same delimiter; lines are compared with their spaces
// trimmed. A block that is never closed is body text.
func splitFront(src []byte) (format string, data, body []byte) {
	pos := 0
	var delim string
	for {
		line, next, eof := frontLine(src, pos)
		pos = next
		if eof {
			return "", nil, src
		}
		if len(line) == 0 {
			continue
		}
		switch string(line) {
		case "---":
			format, delim = "yaml", "---"
		case "+++":
			format, delim = "toml", "+++"
		default:
			return "", nil, src
		}
		break
	}
	start := pos
	for {
		before := pos
		line, next, eof := frontLine(src, pos)
		pos = next
		if string(line) == delim {
			return format, src[start:before], src[pos:]
		}
		if eof {
			return "", nil, src
		}
	}
}

// frontLine is the line of src at pos, trimmed, and where the next one
// starts; eof is set when the line has no line end (bufio's ReadBytes).
func frontLine(src []byte, pos int) (line []byte, next int, eof bool) {
	i := bytes.IndexByte(src[pos:], '\n')
	if i < 0 {
		return bytes.TrimSpace(src[pos:]), len(src), true
	}
	return bytes.TrimSpace(src[pos : pos+i+1]), pos + i + 1, false
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseFile splits src and decodes its front matter. Errors are returned as
// a line (in the file) and a message.
func parseFile(src []byte) (*parsed, int, error) {
	var body []byte
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var raw rawFront
	raw.format, raw.data, body = splitFront(src)
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
		var m yaml.MapSlice
		if err := yaml.Unmarshal(raw.data, &m); err != nil {
			return nil, yamlErrLine(err, first), fmt.Errorf(msgFrontMatter, yamlMsg(err))
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
