package web

import (
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/generator/site"
)

// exportTask handles GET /admin/tasks/{task}/export.{csv,json}: every
// version of the task, as dangwu export writes it, ending with the ledger
// head it was read at.
func (h *Handler) exportTask(w http.ResponseWriter, r *http.Request, _ collector.Session) error {
	s := h.opts.Site()
	t := s.Task(r.PathValue("task"))
	if t == nil {
		return collector.Errorf(collector.ENOTFOUND, "没有这项任务。")
	}
	versions, head, err := h.opts.Admin.Export(r.Context(), t.ID)
	if err != nil {
		return err
	}
	stamp := h.opts.Now().In(s.Location).Format("20060102-1504")
	switch r.PathValue("format") {
	case "export.csv":
		attachment(w, "text/csv; charset=utf-8", t.ID+"-"+stamp+".csv")
		return collector.WriteCSV(w, s, t, versions, head)
	case "export.json":
		attachment(w, "application/json; charset=utf-8", t.ID+"-"+stamp+".json")
		return collector.WriteJSON(w, t.ID, versions, head)
	}
	return collector.ErrNotFound
}

// filesZip handles GET /admin/tasks/{task}/files.zip?period=2026-10: the
// files of every version of one period (the task's only one when it does
// not recur), with a list of them.
func (h *Handler) filesZip(w http.ResponseWriter, r *http.Request, _ collector.Session) error {
	period := r.URL.Query().Get("period")
	if period != "" {
		if _, err := site.ParsePeriod(period); err != nil {
			return collector.Errorf(collector.EINVALID, "期次 %q 的写法不对，应为 2026-11、2026-Q4 或 2026。", period)
		}
	}
	s, t, versions, err := h.taskVersionsOf(r)
	if err != nil {
		return err
	}
	name := t.ID
	if period != "" {
		name += "-" + period
	}
	attachment(w, "application/zip", name+"-附件.zip")
	return collector.WriteZip(w, s, t, period, versions, func(sum string) (io.ReadCloser, error) { return h.opts.Files.Open(sum) })
}

func attachment(w http.ResponseWriter, typ, name string) {
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
}

// periodsOf lists the periods the versions answer, newest first.
func periodsOf(versions []collector.Version) []string {
	var out []string
	for _, v := range versions {
		if !slices.Contains(out, v.Period) {
			out = append(out, v.Period)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// dataSummary handles GET /admin/tasks/{task}/summary (数据汇总分析): per
// period, each branch's newest values of the task's number fields with
// their totals and averages, a bar chart (SVG) of the first field, and
// summary.csv, the same table for spreadsheets.
func (h *Handler) dataSummary(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	s, t, versions, err := h.taskVersionsOf(r)
	if err != nil {
		return err
	}
	ds := collector.Summarize(s, t, versions)
	if strings.HasSuffix(r.URL.Path, "/summary.csv") {
		attachment(w, "text/csv; charset=utf-8", t.ID+"-汇总-"+h.opts.Now().In(s.Location).Format("20060102-1504")+".csv")
		return collector.WriteSummaryCSV(w, ds)
	}
	return h.page(w, http.StatusOK, "summary.html", adminPage{Title: "数据汇总：" + t.Title, Base: adminBase(r), Admin: sess.Admin, CSRF: sess.CSRF,
		Data: map[string]any{"Task": t, "Summary": ds}})
}
