package web

import (
	"github.com/dangwu-org/dangwu/generator/site"
)

// formState is what a browser user sent, to render the form again on an
// error page so no typed text is lost when JavaScript is off.
type formState struct {
	Action    string
	TaskTitle string
	TaskURL   string
	Key       string
	Period    string
	Branches  []branchOption
	Fields    []fieldState
	Errors    map[string]string
}

type branchOption struct {
	ID, Title string
	Selected  bool
}

type fieldState struct {
	site.Field
	Value string
}

// Error returns the message for a field, "" when none.
func (f *formState) Error(name string) string { return f.Errors[name] }

func newFormState(s *site.Site, t *site.Task, in *input, action string) *formState {
	if in == nil {
		return nil
	}
	f := &formState{Action: action, TaskTitle: t.Title, TaskURL: s.Config.RelURL(t.Page.Path), Key: in.values["submission_id"], Period: in.values["period"]}
	for _, id := range t.Branches {
		title := id
		if b := s.Branch(id); b != nil {
			title = b.Title
		}
		f.Branches = append(f.Branches, branchOption{ID: id, Title: title, Selected: id == in.values["branch"]})
	}
	for _, fl := range t.Fields {
		f.Fields = append(f.Fields, fieldState{Field: fl, Value: in.values[fl.Name]})
	}
	return f
}
