package web

import (
	"net/http"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/generator/site"
)

// receiptJSON is a receipt as the API answers it.
type receiptJSON struct {
	collector.Receipt
	TaskTitle  string `json:"taskTitle"`
	BranchName string `json:"branchName"`
	URL        string `json:"url"`
}

func (h *Handler) receiptJSON(s *site.Site, rec collector.Receipt) receiptJSON {
	out := receiptJSON{Receipt: rec, URL: s.Config.RelURL("api/receipts/" + rec.ID)}
	out.Received = rec.Received.In(s.Location)
	if t := s.Task(rec.Task); t != nil {
		out.TaskTitle = t.Title
	}
	if b := s.Branch(rec.Branch); b != nil {
		out.BranchName = b.Title
	}
	return out
}

// receipt handles GET /api/receipts/{id}: JSON for tools and the form
// script, a printable Chinese page for browsers.
func (h *Handler) receipt(w http.ResponseWriter, r *http.Request) error {
	rec, err := h.opts.Store.Receipt(r.Context(), r.PathValue("id"))
	if err != nil {
		if collector.ErrorCode(err) == collector.ENOTFOUND {
			return collector.Errorf(collector.ENOTFOUND, "没有找到这份回执，请核对回执编号。")
		}
		return err
	}
	s := h.opts.Site()
	data := h.receiptJSON(s, rec)
	if wantsJSON(r) {
		return writeJSON(w, http.StatusOK, data)
	}
	page := receiptPage{R: data, Site: s}
	if t := s.Task(rec.Task); t != nil {
		page.TaskURL = s.Config.RelURL(t.Page.Path)
		if rec.Period != "" {
			if p, err := site.ParsePeriod(rec.Period); err == nil {
				page.Period = p.Label()
			}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	return h.pages.ExecuteTemplate(w, "receipt.html", page)
}

type receiptPage struct {
	R       receiptJSON
	Site    *site.Site
	TaskURL string
	Period  string
}

var funcs = map[string]any{
	"datetime": func(t time.Time) string { return t.Format("2006年1月2日 15:04:05") },
}
