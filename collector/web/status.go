package web

import (
	"github.com/dangwu-org/dangwu/generator/site"
)

type statusRow struct {
	Task     string `json:"task"`
	Period   string `json:"period,omitempty"`
	Title    string `json:"title"`
	Deadline string `json:"deadline,omitempty"`
	Branch   string `json:"branch"`
	Status   string `json:"status"`
	Label    string `json:"label"`
	Versions int    `json:"versions"`
	Latest   string `json:"latest,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// statusJSON lists every obligation × branch with its status, for the
// current obligation of each task and every earlier one this year.
func statusJSON(s *site.Site, snap site.Snapshot) map[string]any {
	var rows []statusRow
	for _, t := range s.Tasks {
		since := snap.Now.AddDate(0, -11, 0)
		for _, ob := range t.Obligations(since, snap.Now, s.Location) {
			for _, b := range t.Branches {
				e := snap.Entry(ob, b)
				row := statusRow{Task: t.ID, Period: ob.Period.String(), Title: ob.Label(), Branch: b,
					Status: e.Status.Class(), Label: e.Status.Label(), Versions: e.Versions, Comment: e.Comment}
				if !ob.Deadline.IsZero() {
					row.Deadline = ob.Deadline.In(s.Location).Format("2006-01-02T15:04:05Z07:00")
				}
				if !e.Latest.IsZero() {
					row.Latest = e.Latest.In(s.Location).Format("2006-01-02T15:04:05Z07:00")
				}
				rows = append(rows, row)
			}
		}
	}
	return map[string]any{"now": snap.Now.In(s.Location).Format("2006-01-02T15:04:05Z07:00"), "statuses": rows}
}
