package site

import (
	"math/big"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestFieldParse is the field table's table test: each kind with what it
// keeps (the canonical form of what was typed) and every rejected input of
// issue 15 with its Chinese message.
func TestFieldParse(t *testing.T) {
	count := Field{Label: "党员人数", Type: FieldInteger}
	money := Field{Label: "党费金额", Type: FieldNumber, Decimals: 2}
	big := Field{Label: "金额", Type: FieldNumber, Decimals: 2, MaxValue: "99999999999999999999"}
	signed := Field{Label: "增减", Type: FieldInteger, Min: "-100", MaxValue: "100"}
	ratio := Field{Label: "比例", Type: FieldNumber, Decimals: 1, Min: "0", MaxValue: "99.5"}
	day := Field{Label: "活动日期", Type: FieldDate}
	ranged := Field{Label: "活动日期", Type: FieldDate, Min: "2026-01-01", MaxValue: "2026-12-31"}
	name := Field{Label: "联系人", Type: FieldText, Max: 4}
	long := Field{Label: "总结", Type: FieldTextarea}
	pick := Field{Label: "自评", Type: FieldSelect, Options: []string{"好", "较好", "一般"}}
	many := Field{Label: "形式", Type: FieldMultiSelect, Options: []string{"集中学习", "参观", "研讨"}}
	req := Field{Label: "人数", Type: FieldInteger, Required: true}
	reqPick := Field{Label: "等次", Type: FieldSelect, Required: true, Options: []string{"好"}}
	tests := []struct {
		name  string
		f     Field
		in    string
		want  string
		wantP string
	}{
		{"integer", count, "36", "36", ""},
		{"integer full-width", count, "３６", "36", ""},
		{"integer full-width nine", count, "９", "9", ""},
		{"integer leading zeros", count, "007", "7", ""},
		{"integer plus", count, "+5", "5", ""},
		{"integer spaces", count, "  12 ", "12", ""},
		{"integer negative", count, "-1", "", "党员人数应在 0 至 999999999 之间（填写的是 -1）。"},
		{"integer decimal", count, "3.5", "", "党员人数应填写整数，不带小数。"},
		{"integer exponent", count, "1e3", "", "党员人数请直接写出数字，不要用科学计数法（如 1e3 请写 1000）。"},
		{"integer 26 digits", count, "12345678901234567890123456", "", "党员人数应在 0 至 999999999 之间（填写的是 12345678901234567890123456）。"},
		{"integer too long", count, "123456789012345678901234567890123456789012", "", "党员人数的数字太长。"},
		{"integer comma", count, "1,000", "", "党员人数请不要用逗号分隔数字（如 1,000 请写 1000）。"},
		{"integer words", count, "三十", "", "党员人数应填写整数。"},
		{"integer hex", count, "0x10", "", "党员人数应填写整数。"},
		{"integer signed", signed, "-0", "0", ""},
		{"integer signed negative", signed, "－７", "-7", ""},
		{"integer signed over", signed, "101", "", "增减应在 -100 至 100 之间（填写的是 101）。"},
		{"number keeps trailing zero", money, "1234.10", "1234.10", ""},
		{"number full-width point", money, "１２．５", "12.5", ""},
		{"number bare point", money, ".5", "0.5", ""},
		{"number trailing point", money, "5.", "5", ""},
		{"number too many decimals", money, "1.234", "", "党费金额最多保留 2 位小数。"},
		{"number exponent", money, "1E3", "", "党费金额请直接写出数字，不要用科学计数法（如 1e3 请写 1000）。"},
		{"number huge exact", big, "12345678901234567.89", "12345678901234567.89", ""},
		{"number default max", money, "12345678901234567.89", "", "党费金额应在 0 至 999999999999 之间（填写的是 12345678901234567.89）。"},
		{"number max decimal", ratio, "99.5", "99.5", ""},
		{"number over decimal max", ratio, "99.6", "", "比例应在 0 至 99.5 之间（填写的是 99.6）。"},
		{"number nan", money, "NaN", "", "党费金额应填写数字。"},
		{"number inf", money, "Inf", "", "党费金额应填写数字。"},
		{"number two points", money, "1.2.3", "", "党费金额应填写数字。"},
		{"number sign only", money, "-", "", "党费金额应填写数字。"},
		{"date", day, "2026-11-28", "2026-11-28", ""},
		{"date slashes", day, "2026/1/2", "2026-01-02", ""},
		{"date dots", day, "2026.1.2", "2026-01-02", ""},
		{"date chinese", day, "2026年11月28日", "2026-11-28", ""},
		{"date full-width", day, "２０２６－１１－２８", "2026-11-28", ""},
		{"date year 0000", day, "0000-01-01", "", "活动日期应在 1900-01-01 至 2099-12-31 之间（填写的是 0000-01-01）。"},
		{"date year 9999", day, "9999-12-31", "", "活动日期应在 1900-01-01 至 2099-12-31 之间（填写的是 9999-12-31）。"},
		{"date impossible", day, "2026-02-30", "", "活动日期应填写日期，如 2026-11-28。"},
		{"date words", day, "下周一", "", "活动日期应填写日期，如 2026-11-28。"},
		{"date range", ranged, "2025-12-31", "", "活动日期应在 2026-01-01 至 2026-12-31 之间（填写的是 2025-12-31）。"},
		{"text", name, " 张三 ", "张三", ""},
		{"text newline joined", name, "张\n三", "张 三", ""},
		{"text too long", name, "张三李四王", "", "联系人不能超过 4 字（现有 5 字）。"},
		{"text control", name, "张\x07三", "张三", ""},
		{"text invalid utf8", name, "\xff", "", "联系人含有无法识别的字符。"},
		{"text NUL", name, "a\x00", "", "联系人含有无法识别的字符。"},
		{"textarea crlf", long, "一\r\n二", "一\n二", ""},
		{"select", pick, "较好", "较好", ""},
		{"select other", pick, "很好", "", "请从列表中选择自评。"},
		{"multiselect ordered", many, "研讨\n集中学习\n研讨", "集中学习\n研讨", ""},
		{"multiselect other", many, "集中学习\n聚餐", "", "请从列表中选择形式，不要填写列表以外的内容。"},
		{"optional empty", count, "  ", "", ""},
		{"required empty", req, "", "", "请填写人数。"},
		{"required select empty", reqPick, "", "", "请选择等次。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problem := tt.f.Parse(tt.in)
			if got != tt.want || problem != tt.wantP {
				t.Errorf("Parse(%q) = %q, %q; want %q, %q", tt.in, got, problem, tt.want, tt.wantP)
			}
		})
	}
}

func TestFieldCheck(t *testing.T) {
	tests := []struct {
		name string
		f    Field
		want string
	}{
		{"integer ok", Field{Type: FieldInteger, Min: "-5", MaxValue: "5"}, ""},
		{"integer decimal bound", Field{Type: FieldInteger, MaxValue: "5.5"}, `max 应为整数，实际是 "5.5"`},
		{"min above max", Field{Type: FieldNumber, Decimals: 2, Min: "10", MaxValue: "9.99"}, "min 10 大于 max 9.99"},
		{"min above default max", Field{Type: FieldInteger, Min: "1000000000"}, "min 1000000000 大于 max 999999999"},
		{"decimals", Field{Type: FieldNumber, Decimals: 7}, "decimals 应为 0 到 6 之间的整数"},
		{"date bound", Field{Type: FieldDate, Min: "2026-13-01"}, `min 应为日期，如 2026-01-01，实际是 "2026-13-01"`},
		{"date order", Field{Type: FieldDate, Min: "2026-02-01", MaxValue: "2026-01-01"}, "min 2026-02-01 晚于 max 2026-01-01"},
		{"select none", Field{Type: FieldSelect}, "单选字段（select）须有 options"},
		{"multiselect dup", Field{Type: FieldMultiSelect, Options: []string{"a", "a"}}, `options 中的 "a" 重复`},
		{"option newline", Field{Type: FieldSelect, Options: []string{"a\nb"}}, `options 中的 "a\nb" 不能为空、不能以空格开头或结尾、不能换行`},
	}
	for _, tt := range tests {
		if got := tt.f.Check(); got != tt.want {
			t.Errorf("%s: Check() = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestFieldHint(t *testing.T) {
	tests := []struct {
		f    Field
		want string
	}{
		{Field{Type: FieldText}, "不超过 200 字。"},
		{Field{Type: FieldInteger}, "填写整数，0 至 999999999。"},
		{Field{Type: FieldNumber, Decimals: 2, MaxValue: "100"}, "填写数字，最多 2 位小数，0 至 100。"},
		{Field{Type: FieldDate, Min: "2026-01-01", MaxValue: "2026-12-31"}, "填写 2026-01-01 至 2026-12-31 之间的日期，如 2026-11-28。"},
		{Field{Type: FieldFile, Accept: []string{".pdf"}}, "可上传格式：.pdf。文件不超过 20 MB。"},
	}
	for _, tt := range tests {
		if got := tt.f.Hint(); got != tt.want {
			t.Errorf("Hint(%v) = %q; want %q", tt.f.Type, got, tt.want)
		}
	}
}

// FuzzFieldParse: Parse reads what anyone sends to the collector. It never
// panics, an accepted value is valid UTF-8 within its limits, and the
// canonical form is a fixed point (parsing a stored value keeps it).
func FuzzFieldParse(f *testing.F) {
	for _, s := range []string{"36", "３６", "-0", "1234.10", "1e3", ".5", "5.", "2026年11月28日", "0000-01-01", "集中学习\n研讨", "\xff", "+-1", "--1", "1..2", "９９９９９９９９９９"} {
		f.Add(s)
	}
	fields := []Field{
		{Label: "整数", Type: FieldInteger, Min: "-100"},
		{Label: "数字", Type: FieldNumber, Decimals: 2, Min: "-1"},
		{Label: "日期", Type: FieldDate},
		{Label: "文字", Type: FieldText},
		{Label: "多选", Type: FieldMultiSelect, Options: []string{"集中学习", "研讨"}},
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkPlain(t, in)
		for _, fl := range fields {
			v, problem := fl.Parse(in)
			if problem != "" {
				if v != "" {
					t.Fatalf("%s: %q rejected (%s) but returned %q", fl.Type, in, problem, v)
				}
				continue
			}
			again, p2 := fl.Parse(v)
			if p2 != "" || again != v {
				t.Fatalf("%s: %q stored as %q, which parses as %q, %q", fl.Type, in, v, again, p2)
			}
		}
	})
}

// checkPlain fails when plainText says in needs no cleaning and cleanText
// would change more than its ends, or miscounts it, or when it says in
// needs cleaning and in is valid UTF-8 without a control character.
func checkPlain(t *testing.T, in string) {
	t.Helper()
	n, ok := plainText(in)
	switch {
	case ok && (cleanText(in) != strings.TrimSpace(in) || n != utf8.RuneCountInString(in)):
		t.Errorf("plainText(%q) = %d, true; cleanText gives %q, %d runes", in, n, cleanText(in), utf8.RuneCountInString(in))
	case !ok && utf8.ValidString(in) && strings.IndexFunc(in, func(r rune) bool { return r != '\n' && r != '\t' && unicode.IsControl(r) }) < 0:
		t.Errorf("plainText(%q) = false, but it has no control character", in)
	}
}

// TestPlainText: Parse's one-pass check of typed text agrees with
// cleanText on controls (C0, DEL, C1), CR, NUL, invalid UTF-8 and the
// text a branch usually sends (issue 11).
func TestPlainText(t *testing.T) {
	for _, in := range []string{"", "全年工作开展情况和主要成效。", " 张三\n李四\t ", "a\rb", "a\r\nb", "\x00", "a\x1fb", "\x7f", "\u0085", "\u009f",
		"\u00a0好\u00a0", "\ufffd", "\xff", "\xe5\x85", "\u2028", "😀"} {
		checkPlain(t, in)
	}
	fl := Field{Label: "总结", Type: FieldTextarea, Max: 3}
	for in, want := range map[string]string{" 好好好 ": "", "好好好好": "总结不能超过 3 字（现有 4 字）。", "好\u0085好好": "", "好\x00": "总结含有无法识别的字符。"} {
		if _, problem := fl.Parse(in); problem != want {
			t.Errorf("Parse(%q): %q, want %q", in, problem, want)
		}
	}
}

// checkCmp fails when cmpPlainDecimal takes a and b and orders them
// otherwise than big.Rat does.
func checkCmp(t *testing.T, a, b string) {
	t.Helper()
	c, ok := cmpPlainDecimal(a, b)
	if !ok {
		return
	}
	x, okx := new(big.Rat).SetString(a)
	y, oky := new(big.Rat).SetString(b)
	if !okx || !oky {
		t.Fatalf("cmpPlainDecimal(%q, %q) took what big.Rat refuses", a, b)
	}
	if want := x.Cmp(y); c != want {
		t.Errorf("cmpPlainDecimal(%q, %q) = %d, big.Rat says %d", a, b, c, want)
	}
}

// TestCmpDecimal: numbers are compared with their bounds without math/big
// (issue 11), exactly as big.Rat compares them, signs, zeros and
// fractions of other lengths included; what is not a plain decimal is
// left to big.Rat.
func TestCmpDecimal(t *testing.T) {
	vals := []string{"0", "-0", "00", "0.0", "4", "04", "-4", "10", "9", "999999999", "99999999999999999999", "-99999999999999999999",
		"1.5", "1.50", "1.05", "-1.5", "-1.05", "0.5", "-0.5", "12.345", "12.35"}
	for _, a := range vals {
		for _, b := range vals {
			checkCmp(t, a, b)
		}
	}
	for _, s := range []string{"", "-", ".5", "5.", "1e3", "+1", "1/2", "１", "1.2.3", "--1"} {
		if _, ok := cmpPlainDecimal(s, "0"); ok {
			t.Errorf("cmpPlainDecimal took %q", s)
		}
	}
	if cmpDecimal("1e3", "999") <= 0 {
		t.Errorf("cmpDecimal(1e3, 999): big.Rat's answer lost")
	}
}

func FuzzCmpDecimal(f *testing.F) {
	f.Add("12.50", "-3")
	f.Add("-0", "0.000")
	f.Fuzz(checkCmp)
}
