package output

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestICS(t *testing.T) {
	deadline := time.Date(2026, 12, 20, 17, 0, 0, 0, time.FixedZone("CST", 8*3600))
	b := ICS("江州市交通运输局机关党委 工作任务", []Event{{
		UID: "2026-zhibu-zongjie@intranet", Start: deadline,
		Summary:     "截止：报送2026年度党支部工作总结，含附件；请按时",
		Description: strings.Repeat("各党支部要认真总结全年工作。", 10),
		URL:         "http://intranet/tasks/2026-zhibu-zongjie/",
	}}, deadline)
	s := string(b)
	unfolded := strings.ReplaceAll(s, "\r\n ", "")
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "DTSTART:20261220T090000Z\r\n", `截止：报送2026年度党支部工作总结，含附件；请按时`, "END:VCALENDAR\r\n"} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("missing %q", want)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("fold split a character: %q", line)
		}
		if strings.Contains(line, "\n") {
			t.Errorf("bare newline in %q", line)
		}
	}
	if got := escapeText("a,b;c\\d\ne"); got != `a\,b\;c\\d\ne` {
		t.Errorf("escape: %q", got)
	}
}

// TestEscapeTextAsReplacer holds escapeText to the RFC 5545 replacements
// it used to make with a strings.Replacer.
func TestEscapeTextAsReplacer(t *testing.T) {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	for _, s := range []string{"", "第1党支部：待提交", "a,b;c\\d\ne", "一\r\n二\r三\n\n四\r\r\n", "报送范围：5,020 个党支部；", `\\,;`} {
		if got, want := escapeText(s), r.Replace(s); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", s, got, want)
		}
	}
}
