package site

import (
	"cmp"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FieldType is the kind of input a task field asks for.
type FieldType string

// The field types a task may use.
const (
	FieldText        FieldType = "text"
	FieldTextarea    FieldType = "textarea"
	FieldInteger     FieldType = "integer"
	FieldNumber      FieldType = "number"
	FieldDate        FieldType = "date"
	FieldSelect      FieldType = "select"
	FieldMultiSelect FieldType = "multiselect"
	FieldFile        FieldType = "file"
)

// Defaults of the limits a task's front matter leaves out.
const (
	DefaultTextMax     = 200
	DefaultTextareaMax = 20000
	DefaultFileMax     = 20 << 20
	DefaultDecimals    = 2
	// MaxDecimals bounds a number field's decimals.
	MaxDecimals = 6
	// maxNumberLen bounds what a number field reads at all, in bytes.
	maxNumberLen = 40
)

// FieldKind is one row of the field table: a field type, its Chinese name, the
// front-matter keys it takes besides name, label, type, required and help,
// and the default bounds of its values.
type FieldKind struct {
	Type FieldType
	// Name is the type in Chinese, for messages: 整数.
	Name string
	// Keys are the limit keys the type takes: max, min, decimals, options, accept.
	Keys []string
	// Min and Max are the default bounds of an integer, a number (decimal
	// text) or a date (YYYY-MM-DD).
	Min, Max string
}

// Kinds is the field table, in the order the README lists it.
func FieldKinds() []FieldKind {
	out := make([]FieldKind, len(fieldKinds))
	for i, k := range fieldKinds {
		k.Keys = append([]string(nil), k.Keys...)
		out[i] = k
	}
	return out
}

// fieldKinds is the table itself, read-only: FieldKinds hands out copies,
// FieldKindOf reads it in place (it runs for every field of every post the
// collector checks, where building the table each time was visible).
var fieldKinds = []FieldKind{
	{Type: FieldText, Name: "单行文字", Keys: []string{"max"}},
	{Type: FieldTextarea, Name: "多行文字", Keys: []string{"max"}},
	{Type: FieldInteger, Name: "整数", Keys: []string{"min", "max"}, Min: "0", Max: "999999999"},
	{Type: FieldNumber, Name: "数字", Keys: []string{"min", "max", "decimals"}, Min: "0", Max: "999999999999"},
	{Type: FieldDate, Name: "日期", Keys: []string{"min", "max"}, Min: "1900-01-01", Max: "2099-12-31"},
	{Type: FieldSelect, Name: "单选", Keys: []string{"options"}},
	{Type: FieldMultiSelect, Name: "多选", Keys: []string{"options"}},
	{Type: FieldFile, Name: "文件", Keys: []string{"max", "accept"}},
}

// KindOf returns the row of t in the field table (its Keys must not be
// changed).
func FieldKindOf(t FieldType) (FieldKind, bool) {
	for _, k := range fieldKinds {
		if k.Type == t {
			return k, true
		}
	}
	return FieldKind{}, false
}

// Valid reports whether t is one of the known field types.
func (t FieldType) Valid() bool {
	_, ok := FieldKindOf(t)
	return ok
}

// Takes reports whether a field of type t may set the limit key.
func (t FieldType) Takes(key string) bool {
	k, _ := FieldKindOf(t)
	for _, x := range k.Keys {
		if x == key {
			return true
		}
	}
	return false
}

// Field is one input of a task's form.
type Field struct {
	Name     string
	Label    string
	Type     FieldType
	Required bool
	// Max is the maximum length in characters of text, or size in bytes of
	// a file; zero means the type's default.
	Max int64
	// Min and MaxValue bound an integer or a number (canonical decimal
	// text, "0", "99.5") or a date ("2026-01-01"); empty means the type's
	// default.
	Min, MaxValue string
	// Decimals is how many digits a number may have after the point.
	Decimals int
	// Options are the choices of a select or multiselect field.
	Options []string
	// Accept lists the file extensions a file field takes, such as ".pdf".
	Accept []string
	// Help is a line of guidance shown under the input.
	Help string
}

// WithDefaults returns f with every limit its front matter left out set to
// its type's default. Content fills them at load; Parse applies them too,
// so that a Field made in code behaves the same.
func (f Field) WithDefaults() Field {
	k, _ := FieldKindOf(f.Type)
	switch f.Type {
	case FieldText:
		if f.Max == 0 {
			f.Max = DefaultTextMax
		}
	case FieldTextarea:
		if f.Max == 0 {
			f.Max = DefaultTextareaMax
		}
	case FieldFile:
		if f.Max == 0 {
			f.Max = DefaultFileMax
		}
	case FieldInteger, FieldNumber, FieldDate:
		if f.Min == "" {
			f.Min = k.Min
		}
		if f.MaxValue == "" {
			f.MaxValue = k.Max
		}
	}
	return f
}

// Check validates a field's limits as an editor wrote them (before
// WithDefaults): a Chinese message naming the key, or "".
func (f Field) Check() string {
	k, ok := FieldKindOf(f.Type)
	if !ok {
		return ""
	}
	d := f.WithDefaults()
	switch f.Type {
	case FieldInteger, FieldNumber:
		lo, hi := d.Min, d.MaxValue
		for _, b := range []struct{ key, v string }{{"min", f.Min}, {"max", f.MaxValue}} {
			if b.v == "" {
				continue
			}
			dec := 0
			if f.Type == FieldNumber {
				dec = MaxDecimals
			}
			if _, msg := parseDecimal(b.v, dec, "值"); msg != "" {
				return fmt.Sprintf("%s 应为%s，实际是 %q", b.key, k.Name, b.v)
			}
		}
		if cmpDecimal(lo, hi) > 0 {
			return fmt.Sprintf("min %s 大于 max %s", lo, hi)
		}
		if f.Decimals < 0 || f.Decimals > MaxDecimals {
			return fmt.Sprintf("decimals 应为 0 到 %d 之间的整数", MaxDecimals)
		}
	case FieldDate:
		for _, b := range []struct{ key, v string }{{"min", f.Min}, {"max", f.MaxValue}} {
			if b.v == "" {
				continue
			}
			if _, err := time.Parse(time.DateOnly, b.v); err != nil {
				return fmt.Sprintf("%s 应为日期，如 2026-01-01，实际是 %q", b.key, b.v)
			}
		}
		if d.Min > d.MaxValue {
			return fmt.Sprintf("min %s 晚于 max %s", d.Min, d.MaxValue)
		}
	case FieldSelect, FieldMultiSelect:
		if len(f.Options) == 0 {
			return fmt.Sprintf("%s字段（%s）须有 options", k.Name, f.Type)
		}
		seen := map[string]bool{}
		for _, o := range f.Options {
			if strings.TrimSpace(o) != o || o == "" || strings.ContainsAny(o, "\r\n") {
				return fmt.Sprintf("options 中的 %q 不能为空、不能以空格开头或结尾、不能换行", o)
			}
			if seen[o] {
				return fmt.Sprintf("options 中的 %q 重复", o)
			}
			seen[o] = true
		}
	}
	return ""
}

// TypeName is the field's type in Chinese.
func (f Field) TypeName() string {
	k, _ := FieldKindOf(f.Type)
	return k.Name
}

// Hint is the limits the collector enforces, in Chinese, for the form:
// "填写整数，0 至 999999999。".
func (f Field) Hint() string {
	d := f.WithDefaults()
	switch f.Type {
	case FieldText, FieldTextarea:
		return fmt.Sprintf("不超过 %d 字。", d.Max)
	case FieldInteger:
		return fmt.Sprintf("填写整数，%s 至 %s。", d.Min, d.MaxValue)
	case FieldNumber:
		if d.Decimals == 0 {
			return fmt.Sprintf("填写数字，不带小数，%s 至 %s。", d.Min, d.MaxValue)
		}
		return fmt.Sprintf("填写数字，最多 %d 位小数，%s 至 %s。", d.Decimals, d.Min, d.MaxValue)
	case FieldDate:
		return fmt.Sprintf("填写 %s 至 %s 之间的日期，如 %s。", d.Min, d.MaxValue, exampleDate(d.Min, d.MaxValue))
	case FieldMultiSelect:
		return "可选多项。"
	case FieldFile:
		s := ""
		if len(f.Accept) > 0 {
			s = "可上传格式：" + strings.Join(f.Accept, "、") + "。"
		}
		return s + "文件不超过 " + ByteSize(d.Max) + "。"
	}
	return ""
}

func exampleDate(lo, hi string) string {
	if lo <= "2026-11-28" && "2026-11-28" <= hi {
		return "2026-11-28"
	}
	return lo
}

// ByteSize writes n bytes as 20 MB, 512 KB or 100 字节.
func ByteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// Parse turns what a user typed into a field into the value to store: the
// canonical form of exactly what was typed (no float round trip), or a
// Chinese message saying what is wrong. A multiselect's values come joined
// by "\n" and are stored in the order of its options, joined by "\n". An
// empty value of a field that is not required is "" with no message.
func (f Field) Parse(raw string) (value, problem string) {
	f = f.WithDefaults()
	label := f.Label
	var v string
	runes, plain := plainText(raw)
	if plain {
		// What cleanText would do to it: only the trimming.
		if v = strings.TrimSpace(raw); len(v) != len(raw) {
			runes = -1
		}
	} else {
		if !utf8.ValidString(raw) || strings.ContainsRune(raw, 0) {
			return "", label + "含有无法识别的字符。"
		}
		v, runes = cleanText(raw), -1
	}
	if v == "" {
		if f.Required {
			switch f.Type {
			case FieldSelect, FieldMultiSelect:
				return "", "请选择" + label + "。"
			}
			return "", "请填写" + label + "。"
		}
		return "", ""
	}
	switch f.Type {
	case FieldText, FieldTextarea:
		if runes < 0 {
			runes = utf8.RuneCountInString(v)
		}
		if n := runes; int64(n) > f.Max {
			return "", fmt.Sprintf("%s不能超过 %d 字（现有 %d 字）。", label, f.Max, n)
		}
		if f.Type == FieldText && strings.ContainsRune(v, '\n') {
			v = strings.Join(strings.Fields(v), " ")
		}
		return v, ""
	case FieldInteger, FieldNumber:
		return f.parseNumber(v)
	case FieldDate:
		return f.parseDate(v)
	case FieldSelect:
		for _, o := range f.Options {
			if o == v {
				return v, ""
			}
		}
		return "", "请从列表中选择" + label + "。"
	case FieldMultiSelect:
		chosen := map[string]bool{}
		for _, c := range strings.Split(v, "\n") {
			if c = strings.TrimSpace(c); c != "" {
				chosen[c] = true
			}
		}
		var out []string
		for _, o := range f.Options {
			if chosen[o] {
				out = append(out, o)
				delete(chosen, o)
			}
		}
		if len(chosen) > 0 {
			return "", "请从列表中选择" + label + "，不要填写列表以外的内容。"
		}
		return strings.Join(out, "\n"), ""
	}
	return v, ""
}

// Display is a stored value as a reader sees it: a multiselect's choices
// joined with 、.
func (f Field) Display(v string) string {
	if f.Type == FieldMultiSelect {
		return strings.ReplaceAll(v, "\n", "、")
	}
	return v
}

// Chosen reports whether a multiselect's stored (or typed) value includes option o.
func (f Field) Chosen(v, o string) bool {
	for _, c := range strings.Split(v, "\n") {
		if c == o {
			return true
		}
	}
	return false
}

// plainText reports whether raw is valid UTF-8 without a control
// character other than newline and tab (so without CR and NUL), which
// cleanText leaves as it is but for trimming, and its length in runes.
// It is two quick passes over what a branch typed (validity, then a
// rune's lead byte is enough to step over it) where Parse made four
// (validity, NUL, cleanText's Map decoding every rune, the count): a
// tenth of a post's handling under wrk (issue 11). TestPlainText and
// FuzzFieldParse hold it to cleanText.
func plainText(raw string) (runes int, ok bool) {
	if !utf8.ValidString(raw) {
		return 0, false
	}
	for i := 0; i < len(raw); runes++ {
		c := raw[i]
		switch {
		case c < 0x20 && c != '\n' && c != '\t' || c == 0x7f:
			return 0, false
		case c < utf8.RuneSelf:
			i++
		case c < 0xE0:
			// U+0080 to U+009F, the C1 controls, are C2 80 to C2 9F.
			if c == 0xC2 && raw[i+1] <= 0x9F {
				return 0, false
			}
			i += 2
		case c < 0xF0:
			i += 3
		default:
			i += 4
		}
	}
	return runes, true
}

// cleanText drops control characters other than newline and tab, turns
// CRLF into LF and trims the ends.
func cleanText(raw string) string {
	v := strings.ReplaceAll(raw, "\r\n", "\n")
	v = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, v)
	return strings.TrimSpace(v)
}

func (f Field) parseNumber(v string) (string, string) {
	label := f.Label
	if len(v) > maxNumberLen*3 {
		return "", label + "太长，不是一个数字。"
	}
	v = strings.TrimSpace(HalfWidth(v))
	dec := 0
	if f.Type == FieldNumber {
		dec = f.Decimals
	}
	n, msg := parseDecimal(v, dec, label)
	if msg != "" {
		return "", msg
	}
	if cmpDecimal(n, f.Min) < 0 || cmpDecimal(n, f.MaxValue) > 0 {
		return "", fmt.Sprintf("%s应在 %s 至 %s 之间（填写的是 %s）。", label, f.Min, f.MaxValue, n)
	}
	return n, ""
}

// parseDecimal reads a decimal written with ASCII digits: an optional sign,
// digits, and at most dec digits after a point. It returns the canonical
// text: no +, no leading zeros, 0 before a bare point, no point without
// digits, no minus on zero; the digits after the point are kept as typed
// (1234.10 stays 1234.10).
func parseDecimal(v string, dec int, label string) (string, string) {
	if len(v) > maxNumberLen {
		return "", label + "的数字太长。"
	}
	neg := false
	switch {
	case strings.HasPrefix(v, "-"):
		neg, v = true, v[1:]
	case strings.HasPrefix(v, "+"):
		v = v[1:]
	}
	intPart, frac, hasPoint := strings.Cut(v, ".")
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	switch {
	case scientific(v):
		return "", label + "请直接写出数字，不要用科学计数法（如 1e3 请写 1000）。"
	case strings.ContainsAny(v, ",，"):
		return "", label + "请不要用逗号分隔数字（如 1,000 请写 1000）。"
	case !digits(intPart) || !digits(frac) || intPart == "" && frac == "":
		if dec == 0 {
			return "", label + "应填写整数。"
		}
		return "", label + "应填写数字。"
	case hasPoint && dec == 0:
		return "", label + "应填写整数，不带小数。"
	case len(frac) > dec:
		return "", fmt.Sprintf("%s最多保留 %d 位小数。", label, dec)
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && strings.Trim(intPart+frac, "0") != "" {
		out = "-" + out
	}
	return out, ""
}

// scientific reports whether v looks like 1e3 or 2.5E-2.
func scientific(v string) bool {
	m, e, ok := strings.Cut(strings.ToLower(v), "e")
	e = strings.TrimLeft(e, "+-")
	return ok && m != "" && e != "" && strings.Trim(m, "0123456789.") == "" && strings.Trim(e, "0123456789") == ""
}

// cmpDecimal compares two canonical decimals exactly.
func cmpDecimal(a, b string) int {
	if c, ok := cmpPlainDecimal(a, b); ok {
		return c
	}
	x, okx := new(big.Rat).SetString(a)
	y, oky := new(big.Rat).SetString(b)
	if !okx || !oky {
		return strings.Compare(a, b)
	}
	return x.Cmp(y)
}

// cmpPlainDecimal is cmpDecimal for two decimals written plainly (an
// optional minus, digits, optionally a point and digits), which is all a
// value and a bound ever are, without math/big: two big.Rat a bound, a
// dozen allocations for every number a branch sent (issue 11). ok is
// false for anything else. TestCmpDecimal and FuzzCmpDecimal hold it to
// big.Rat.
func cmpPlainDecimal(a, b string) (int, bool) {
	na, ia, fa, oka := splitDecimal(a)
	nb, ib, fb, okb := splitDecimal(b)
	if !oka || !okb {
		return 0, false
	}
	if ia == "" && fa == "" {
		na = false // -0 is 0
	}
	if ib == "" && fb == "" {
		nb = false
	}
	if na != nb {
		if na {
			return -1, true
		}
		return 1, true
	}
	c := cmp.Or(cmp.Compare(len(ia), len(ib)), strings.Compare(ia, ib), strings.Compare(fa, fb))
	if na {
		c = -c
	}
	return c, true
}

// splitDecimal splits a plain decimal into its sign, its integer digits
// without leading zeros and its fraction digits without trailing zeros;
// ok is false when s is not one.
func splitDecimal(s string) (neg bool, whole, frac string, ok bool) {
	if neg = strings.HasPrefix(s, "-"); neg {
		s = s[1:]
	}
	whole, frac, point := strings.Cut(s, ".")
	if whole == "" || point && frac == "" || !allDigits(whole) || !allDigits(frac) {
		return false, "", "", false
	}
	return neg, strings.TrimLeft(whole, "0"), strings.TrimRight(frac, "0"), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (f Field) parseDate(v string) (string, string) {
	label := f.Label
	v = HalfWidth(v)
	v = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-", " ", "").Replace(v)
	d, err := time.Parse("2006-1-2", v)
	if err != nil || len(v) > 10 {
		return "", label + "应填写日期，如 2026-11-28。"
	}
	s := d.Format(time.DateOnly)
	if s < f.Min || s > f.MaxValue {
		return "", fmt.Sprintf("%s应在 %s 至 %s 之间（填写的是 %s）。", label, f.Min, f.MaxValue, s)
	}
	return s, ""
}

// HalfWidth turns full-width digits, letters and punctuation typed with a
// Chinese input method into ASCII: "１２．５" → "12.5", and the ideographic
// space into a space.
func HalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - '！' + '!'
		}
		if r == '　' {
			return ' '
		}
		return r
	}, s)
}
