package content

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// decoder converts front-matter values to typed fields, recording a
// diagnostic naming the file, the key's line and the key on each mistake.
type decoder struct {
	file   string
	p      *parsed
	loc    *time.Location
	diags  *Diagnostics
	failed bool
}

func (d *decoder) fail(key, format string, args ...any) {
	d.failed = true
	d.diags.Add(d.file, d.line(key), "%s: %s", key, fmt.Sprintf(format, args...))
}

func (d *decoder) line(key string) int {
	if n, ok := d.p.lines[key]; ok {
		return n
	}
	if d.p.bodyLine > 1 {
		return 1
	}
	return 0
}

func (d *decoder) has(key string) bool {
	_, ok := d.p.params[key]
	return ok
}

func (d *decoder) str(key string) string {
	v, ok := d.p.params[key]
	if !ok || v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case int, int64, float64, bool:
		return fmt.Sprint(x)
	}
	d.fail(key, msgNotText, describe(v))
	return ""
}

func (d *decoder) boolean(key string) bool {
	v, ok := d.p.params[key]
	if !ok || v == nil {
		return false
	}
	if b, ok := v.(bool); ok {
		return b
	}
	if s, ok := v.(string); ok {
		if b, err := strconv.ParseBool(s); err == nil {
			return b
		}
	}
	d.fail(key, msgNotBool, describe(v))
	return false
}

func (d *decoder) integer(key string) int {
	v, ok := d.p.params[key]
	if !ok || v == nil {
		return 0
	}
	n, ok := toInt(v)
	if !ok {
		d.fail(key, msgNotInt, describe(v))
	}
	return n
}

func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case uint64:
		return int(x), x <= math.MaxInt32
	case float64:
		return int(x), x == math.Trunc(x)
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(x))
		return n, err == nil
	}
	return 0, false
}

func (d *decoder) number(key string) float64 {
	v, ok := d.p.params[key]
	if !ok || v == nil {
		return 0
	}
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
			return f
		}
	}
	d.fail(key, msgNotNumber, describe(v))
	return 0
}

func (d *decoder) strings(key string) []string {
	v, ok := d.p.params[key]
	if !ok || v == nil {
		return nil
	}
	out, err := toStrings(v)
	if err != nil {
		d.fail(key, "%s", err.Error())
	}
	return out
}

func toStrings(v any) ([]string, error) {
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) == "" {
			return nil, nil
		}
		return []string{x}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, item := range x {
			switch s := item.(type) {
			case string:
				out = append(out, s)
			case int, int64, float64:
				out = append(out, fmt.Sprint(s))
			default:
				return nil, fmt.Errorf(msgNotListItem, describe(item))
			}
		}
		return out, nil
	case []string:
		return x, nil
	}
	return nil, fmt.Errorf(msgNotList, describe(v))
}

func (d *decoder) time(key string) time.Time {
	v, ok := d.p.params[key]
	if !ok || v == nil {
		return time.Time{}
	}
	t, err := toTime(v, d.loc)
	if err != nil {
		d.fail(key, "%s", err.Error())
	}
	return t
}

var timeLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02",
	"2006/1/2",
	"2006-1-2",
}

// toTime reads a date or time; one without an offset is in loc.
func toTime(v any, loc *time.Location) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		// TOML local dates and times carry a placeholder zone: they mean
		// the site's time zone.
		if strings.HasSuffix(x.Location().String(), "-local") {
			return time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), x.Nanosecond(), loc), nil
		}
		return x, nil
	case string:
		s := strings.TrimSpace(x)
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, nil
		}
		if t, err := time.Parse("2006-01-02 15:04:05 -0700", s); err == nil {
			return t, nil
		}
		for _, layout := range timeLayouts {
			if t, err := time.ParseInLocation(layout, s, loc); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf(msgNotTime, s, loc)
	}
	return time.Time{}, fmt.Errorf(msgNotDate, describe(v))
}

// describe names a value's kind in words an editor understands.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case bool:
		return fmt.Sprintf("%t", x)
	case int, int64, float64:
		return fmt.Sprint(x)
	case []any:
		return msgValueList
	case map[string]any:
		return msgValueMapping
	case time.Time:
		return msgValueDate
	}
	return fmt.Sprintf(msgValueOther, v)
}
