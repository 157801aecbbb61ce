package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"

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
	// Values are the stored values as a reader sees them: what the
	// SHA-256 covers, so a branch sees 12 where it typed １２.
	Values []storedValue `json:"values,omitempty"`
}

type storedValue struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Value string `json:"value"`
	// quoted, when set, is Value as a JSON string, quotes included:
	// the bytes the ledger record holds, which appendReceipt copies.
	quoted []byte
}

// receiptJSON is the receipt rec as the collector answers it. from, when
// not nil, is the post that rec answers, whose Fields are rec.Fields: its
// values shown as stored are copied from the record it prepared.
func (h *Handler) receiptJSON(s *site.Site, rec collector.Receipt, from *collector.Submission) receiptJSON {
	out := receiptJSON{Receipt: rec, URL: s.Config.RelURL("api/receipts/" + rec.ID)}
	out.Received = rec.Received.In(s.Location)
	if t := s.Task(rec.Task); t != nil {
		out.TaskTitle = t.Title
		out.Values = make([]storedValue, 0, len(rec.Fields))
		for i, v := range rec.Fields {
			sv := storedValue{Name: v.Name, Label: v.Name, Value: v.Value}
			for _, f := range t.Fields {
				if f.Name == v.Name {
					sv.Label, sv.Value = f.Label, f.Display(v.Value)
				}
			}
			if from != nil && sv.Value == v.Value {
				sv.quoted = from.QuotedValue(i)
			}
			if sv.Value != "" {
				out.Values = append(out.Values, sv)
			}
		}
	}
	if b := s.Branch(rec.Branch); b != nil {
		out.BranchName = b.Title
	}
	return out
}

// writeReceipt answers with the receipt as JSON: what writeJSON writes,
// encoded by appendReceipt into a reused buffer.
func (h *Handler) writeReceipt(w http.ResponseWriter, status int, r *receiptJSON) error {
	bp, _ := h.receiptBufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	defer h.receiptBufs.Put(bp)
	b, ok := appendReceipt((*bp)[:0], r)
	if !ok {
		return writeJSON(w, status, r)
	}
	*bp = b
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// Said, not left to net/http: it only counts a body of up to 2 KB
	// itself and sends a larger one chunked, and a receipt grows past
	// that with the ledger's proof and a long text (issue 11).
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, err := w.Write(b)
	return err
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
	data := h.receiptJSON(s, rec, nil)
	if r.URL.Query().Get("download") != "" {
		// The receipt as a file to keep: dangwu verify --receipt checks it.
		w.Header().Set("Content-Disposition", `attachment; filename="receipt-`+rec.ID+`.json"`)
		return h.writeReceipt(w, http.StatusOK, &data)
	}
	if wantsJSON(r) {
		return h.writeReceipt(w, http.StatusOK, &data)
	}
	page := receiptPage{R: data, Site: s, DownloadURL: data.URL + "?download=1"}
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
	R           receiptJSON
	Site        *site.Site
	TaskURL     string
	Period      string
	DownloadURL string
}

// funcs are the page templates' functions; times show in the site's zone.
func (h *Handler) funcs() template.FuncMap {
	return template.FuncMap{
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			loc := time.Local
			if s := h.opts.Site(); s != nil && s.Location != nil {
				loc = s.Location
			}
			return t.In(loc).Format("2006年1月2日 15:04:05")
		},
		// The data summary's bar chart: 26 px a bar.
		"barsHeight": func(n int) int { return n*26 + 4 },
		"barY":       func(i, off int) int { return i*26 + off },
		"barWidth":   func(share float64, full int) int { return int(share*float64(full) + 0.5) },
		"barLabelX":  func(share float64, full int) int { return 180 + int(share*float64(full)+0.5) + 6 },
		"bytesize": func(n int64) string {
			switch {
			case n < 1024:
				return fmt.Sprintf("%d B", n)
			case n < 1<<20:
				return fmt.Sprintf("%.0f KB", float64(n)/1024)
			}
			return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		},
		"label": func(labels map[string]string, name string) string {
			if l := labels[name]; l != "" {
				return l
			}
			return name
		},
	}
}
