package content

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

var identRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

func (l *loader) pageDecoder(p *site.Page) *decoder {
	return &decoder{
		file:  l.file(p.Source),
		p:     &parsed{params: p.Params, lines: p.ParamLines, bodyLine: p.BodyLine},
		loc:   l.loc,
		diags: &l.diags,
	}
}

func (l *loader) decodeBranch(p *site.Page) *site.Branch {
	d := l.pageDecoder(p)
	id := p.Slug
	if !identRE.MatchString(id) {
		l.diags.Add(l.file(p.Source), 0, msgBranchID, id)
	}
	b := &site.Branch{
		ID:          id,
		Kind:        l.branchKind(d),
		ParentID:    d.str("parent"),
		Title:       p.Title,
		Secretary:   d.str("secretary"),
		Members:     d.integer("members"),
		Established: d.time("established"),
		Index:       p,
	}
	p.Branch = b
	return b
}

func (l *loader) attachToBranch(s *site.Site, p *site.Page) {
	parts := strings.Split(p.Source, "/")
	if len(parts) < 3 {
		return // branches/x.md: a post of the column, not of a branch
	}
	b := s.Branch(parts[1])
	if b == nil && len(parts) == 3 && parts[2] == "index.md" {
		return // branches/x/index.md: the column's page bundle
	}
	if b == nil {
		l.diags.Add(l.file(p.Source), 0, msgBranchNoIndex, parts[1])
		return
	}
	p.Branch = b // its posts are gathered once the pages are sorted
}

func sortBranches(bs []*site.Branch) {
	sort.SliceStable(bs, func(i, j int) bool {
		a, b := bs[i].Index, bs[j].Index
		if (a.Weight == 0) != (b.Weight == 0) {
			return a.Weight != 0
		}
		if a.Weight != b.Weight {
			return a.Weight < b.Weight
		}
		return bs[i].ID < bs[j].ID
	})
}

// decodeTask reads a task's front matter: deadline, fields and recurrence.
func (l *loader) decodeTask(p *site.Page) *site.Task {
	d := l.pageDecoder(p)
	t := &site.Task{
		ID:                 p.Slug,
		Title:              p.Title,
		Deadline:           d.time("deadline"),
		Opens:              d.time("opens"),
		Branches:           d.strings("branches"),
		Units:              d.strings("units"),
		Score:              d.number("score"),
		CloseAfterDeadline: d.boolean("closeAfterDeadline"),
		Public:             d.boolean("public"),
		PublicAfterReview:  !d.has("publicAfterReview") || d.boolean("publicAfterReview"),
		Every:              site.Every(d.str("every")),
		Due:                d.integer("due"),
		Page:               p,
	}
	if !identRE.MatchString(t.ID) {
		d.fail("slug", msgTaskID, t.ID)
	}
	t.Start = t.Opens
	if t.Start.IsZero() {
		t.Start = p.Date
	}
	switch t.Every {
	case site.Once:
		if !d.has("deadline") {
			d.fail("deadline", msgTaskDeadline)
		}
	case site.Monthly, site.Quarter, site.Yearly:
		if d.has("deadline") {
			d.fail("deadline", msgTaskRecurring)
		}
		if t.Due < 0 || t.Due > 366 {
			d.fail("due", msgTaskDue, t.Due)
		}
	default:
		d.fail("every", msgTaskEvery, string(t.Every))
	}
	if t.Score < 0 {
		d.fail("score", msgTaskScore, t.Score)
	}
	// summary: public on a task publishes its totals; it is not the page's
	// summary text (the renderer skips it). Params stay as loaded: they
	// are cached between builds.
	t.SummaryPublic = d.str("summary") == "public"
	switch kind := d.str("kind"); kind {
	case "", "task":
	case "notice":
		t.Notice = true
	default:
		d.fail("kind", msgTaskKind, kind)
	}
	if t.Notice && !d.has("fields") {
		// A sign-off (签收) carries at most a comment.
		t.Fields = []site.Field{site.Field{Name: "comment", Label: "签收意见", Type: site.FieldTextarea, Max: 500}.WithDefaults()}
		return t
	}
	t.Fields = l.decodeFields(d)
	return t
}

// reservedFields are used by the form itself, or shadow properties of a
// browser form element that the form script relies on.
var reservedFields = map[string]bool{"branch": true, "code": true, "submission_id": true, "website": true, "period": true,
	"reset": true, "submit": true, "action": true, "elements": true, "method": true, "target": true, "length": true, "id": true, "name": true}

func (l *loader) decodeFields(d *decoder) []site.Field {
	v, ok := d.p.params["fields"]
	if !ok || v == nil {
		d.fail("fields", msgFieldsNone)
		return nil
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		d.fail("fields", msgFieldsList, describe(v))
		return nil
	}
	var out []site.Field
	seen := map[string]bool{}
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			d.fail("fields", msgFieldsEntry, i+1, describe(item))
			continue
		}
		f, err := decodeField(m)
		if err != "" {
			d.fail("fields", msgFieldsEntryErr, i+1, f.Name, err)
			continue
		}
		if seen[f.Name] {
			d.fail("fields", msgFieldsDuplicate, i+1, f.Name)
			continue
		}
		seen[f.Name] = true
		out = append(out, f)
	}
	return out
}

var fieldKeys = map[string]bool{"name": true, "label": true, "type": true, "required": true, "help": true,
	"max": true, "min": true, "decimals": true, "options": true, "accept": true}

// decodeField reads one entry of fields: the keys every field has, then the
// limit keys its type takes (site.FieldKinds), checked by site.Field.Check
// and completed with the type's defaults.
func decodeField(m map[string]any) (site.Field, string) {
	var f site.Field
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !fieldKeys[k] {
			return f, fmt.Sprintf(msgFieldUnknownKey, k)
		}
	}
	f.Name, _ = m["name"].(string)
	f.Label, _ = m["label"].(string)
	f.Help, _ = m["help"].(string)
	typ, _ := m["type"].(string)
	f.Type = site.FieldType(typ)
	switch {
	case !identRE.MatchString(f.Name):
		return f, msgFieldName
	case reservedFields[f.Name]:
		return f, fmt.Sprintf(msgFieldReserved, f.Name)
	case f.Label == "":
		return f, msgFieldLabel
	case !f.Type.Valid():
		return f, fmt.Sprintf(msgFieldType, typ)
	}
	if r, ok := m["required"]; ok {
		b, isBool := r.(bool)
		if !isBool {
			return f, msgFieldRequired
		}
		f.Required = b
	}
	for _, k := range keys {
		if fieldKeys[k] && !commonFieldKeys[k] && !f.Type.Takes(k) {
			return f, fmt.Sprintf(msgFieldKeyType, k, f.TypeName(), f.Type)
		}
	}
	if f.Type == site.FieldNumber {
		f.Decimals = site.DefaultDecimals
	}
	var err error
	switch f.Type {
	case site.FieldText, site.FieldTextarea, site.FieldFile:
		if mx, ok := m["max"]; ok {
			n, isInt := toInt(mx)
			if !isInt || n <= 0 {
				return f, msgFieldMax
			}
			f.Max = int64(n)
		}
	case site.FieldInteger, site.FieldNumber, site.FieldDate:
		if f.Min, err = boundText(m["min"]); err != nil {
			return f, "min " + err.Error()
		}
		if f.MaxValue, err = boundText(m["max"]); err != nil {
			return f, "max " + err.Error()
		}
	}
	if dv, ok := m["decimals"]; ok {
		n, isInt := toInt(dv)
		if !isInt {
			return f, fmt.Sprintf(msgFieldDecimals, site.MaxDecimals)
		}
		f.Decimals = n
	}
	if o, ok := m["options"]; ok {
		if f.Options, err = toStrings(o); err != nil {
			return f, fmt.Sprintf(msgFieldOptions, err)
		}
	}
	if a, ok := m["accept"]; ok {
		if f.Accept, err = toStrings(a); err != nil {
			return f, fmt.Sprintf(msgFieldAccept, err)
		}
		for i, ext := range f.Accept {
			ext = strings.ToLower(strings.TrimSpace(ext))
			if !strings.HasPrefix(ext, ".") {
				ext = "." + ext
			}
			f.Accept[i] = ext
		}
	}
	if msg := f.Check(); msg != "" {
		return f, msg
	}
	return f.WithDefaults(), ""
}

var commonFieldKeys = map[string]bool{"name": true, "label": true, "type": true, "required": true, "help": true}

// boundText is a min or max as text: a number as the editor wrote it, or a
// date; "" when absent. site.Field.Check decides whether it fits the type.
func boundText(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case time.Time:
		return x.Format(time.DateOnly), nil
	}
	return "", fmt.Errorf(msgFieldBound, describe(v))
}

func sortTasks(ts []*site.Task) {
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i], ts[j]
		if !a.Deadline.Equal(b.Deadline) {
			return a.Deadline.Before(b.Deadline)
		}
		return a.ID < b.ID
	})
}
