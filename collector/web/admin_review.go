package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/generator/site"
)

// overviewRow is one task's current obligation with every branch's state.
type overviewRow struct {
	Task     *site.Task
	Label    string
	Deadline string
	Cells    []overviewCell
}

type overviewCell struct {
	Branch *site.Branch
	Entry  site.Entry
}

// overview is the task × branch board of /admin/.
func (h *Handler) overview(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	s := h.opts.Site()
	sums, err := h.opts.Store.Summaries(r.Context())
	if err != nil {
		return err
	}
	now := h.opts.Now()
	view := buildOverview(s, collector.Statuses(s, sums, now), now, parseOverviewFilter(r.URL.Query()))
	pending, err := h.opts.Admin.Opinions(r.Context(), collector.OpinionPending)
	if err != nil {
		return err
	}
	return h.page(w, http.StatusOK, "overview.html", adminPage{Title: "报送总览", Base: adminBase(r), Admin: sess.Admin, CSRF: sess.CSRF,
		Data: map[string]any{"View": view, "Rows": view.Rows, "Branches": view.Branches, "Pending": len(pending)}})
}

// taskVersionsOf is the site, the task named in the path and every version
// of it, oldest first.
func (h *Handler) taskVersionsOf(r *http.Request) (*site.Site, *site.Task, []collector.Version, error) {
	s := h.opts.Site()
	t := s.Task(r.PathValue("task"))
	if t == nil {
		return nil, nil, nil, collector.Errorf(collector.ENOTFOUND, "没有这项任务。")
	}
	versions, err := h.opts.Admin.Versions(r.Context(), t.ID)
	return s, t, versions, err
}

// taskVersions lists every version of one task, newest first.
func (h *Handler) taskVersions(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	s, t, versions, err := h.taskVersionsOf(r)
	if err != nil {
		return err
	}
	for i, j := 0, len(versions)-1; i < j; i, j = i+1, j-1 {
		versions[i], versions[j] = versions[j], versions[i]
	}
	return h.page(w, http.StatusOK, "task.html", adminPage{Title: t.Title, Base: adminBase(r), Admin: sess.Admin, CSRF: sess.CSRF,
		Data: map[string]any{"Task": t, "Versions": versions, "Site": s, "Periods": periodsOf(versions), "Numbers": len(collector.NumberFields(t)) > 0}})
}

// version finds one version by receipt, with the task it answers.
func (h *Handler) version(r *http.Request, id string) (collector.Version, *site.Task, error) {
	rec, err := h.opts.Store.Receipt(r.Context(), id)
	if err != nil {
		return collector.Version{}, nil, err
	}
	versions, err := h.opts.Admin.Versions(r.Context(), rec.Task)
	if err != nil {
		return collector.Version{}, nil, err
	}
	for _, v := range versions {
		if v.ID == id {
			return v, h.opts.Site().Task(rec.Task), nil
		}
	}
	return collector.Version{}, nil, collector.ErrNotFound
}

// reviewView is what the submission page and the review confirmation
// show: the version, its task and branch, and the newest version of the
// same (task, period, branch) when this one is older.
type reviewView struct {
	V          collector.Version
	TaskTitle  string
	BranchName string
	Labels     map[string]string
	// Newest is the latest version when V is not it (审核旧版本的警告).
	Newest *collector.Version
	// Action and Comment are what the confirmation confirms.
	Action  collector.ReviewAction
	Comment string
}

func (h *Handler) reviewView(r *http.Request, id string) (reviewView, error) {
	rec, err := h.opts.Store.Receipt(r.Context(), id)
	if err != nil {
		return reviewView{}, err
	}
	versions, err := h.opts.Admin.Versions(r.Context(), rec.Task)
	if err != nil {
		return reviewView{}, err
	}
	s := h.opts.Site()
	t := s.Task(rec.Task)
	var rv reviewView
	found := false
	for _, v := range versions {
		switch {
		case v.ID == id:
			rv.V, found = v, true
		case v.Period == rec.Period && v.Branch == rec.Branch && v.Version > rec.Version && (rv.Newest == nil || v.Version > rv.Newest.Version):
			rv.Newest = &v
		}
	}
	if !found {
		return reviewView{}, collector.ErrNotFound
	}
	rv.Labels = map[string]string{}
	rv.TaskTitle = rv.V.Task
	if t != nil {
		rv.TaskTitle = t.Title
		for _, f := range t.Fields {
			rv.Labels[f.Name] = f.Label
		}
		for i, fv := range rv.V.Fields {
			for _, f := range t.Fields {
				if f.Name == fv.Name {
					rv.V.Fields[i].Value = f.Display(fv.Value)
				}
			}
		}
	}
	rv.BranchName = rv.V.Branch
	if b := s.Branch(rv.V.Branch); b != nil {
		rv.BranchName = b.Title
	}
	if rv.V.Period != "" {
		if p, err := site.ParsePeriod(rv.V.Period); err == nil {
			rv.V.Period = p.Label()
		}
	}
	return rv, nil
}

func (h *Handler) submissionPage(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	return h.showSubmission(w, r, sess, http.StatusOK, "", "")
}

// showSubmission renders a version with its review forms; errMsg and
// comment give a refused review back to the reviewer on the same page.
func (h *Handler) showSubmission(w http.ResponseWriter, r *http.Request, sess collector.Session, status int, errMsg, comment string) error {
	rv, err := h.reviewView(r, r.PathValue("receipt"))
	if err != nil {
		return err
	}
	rv.Comment = comment
	return h.page(w, status, "submission.html", adminPage{Title: "报送材料 " + rv.V.ID, Base: adminBase(r), Admin: sess.Admin, CSRF: sess.CSRF,
		Error: errMsg, Data: rv})
}

// review records an approval or a return and goes back to the version.
// The first post shows a confirmation (no script runs on admin pages);
// only a post with confirm=1 records the review. A return needs a comment:
// without one the reviewer is back on the version's page with the message.
func (h *Handler) review(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	id := r.PathValue("receipt")
	action := collector.ReviewAction(r.PostFormValue("action"))
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	switch {
	case action != collector.ActionApprove && action != collector.ActionReturn:
		return h.showSubmission(w, r, sess, http.StatusBadRequest, "请选择“通过”或“退回修改”。", comment)
	case action == collector.ActionReturn && comment == "":
		return h.showSubmission(w, r, sess, http.StatusBadRequest, "退回时请填写修改意见：支部会在回执和支部页面上看到它。", comment)
	case utf8.RuneCountInString(comment) > 1000:
		return h.showSubmission(w, r, sess, http.StatusBadRequest, "审核意见不能超过 1000 字。", comment)
	}
	if r.PostFormValue("confirm") != "1" {
		rv, err := h.reviewView(r, id)
		if err != nil {
			return err
		}
		rv.Action, rv.Comment = action, comment
		title := "确认通过"
		if action == collector.ActionReturn {
			title = "确认退回修改"
		}
		return h.page(w, http.StatusOK, "confirm.html", adminPage{Title: title, Base: adminBase(r), Admin: sess.Admin, CSRF: sess.CSRF, Data: rv})
	}
	rec, err := h.opts.Store.Receipt(r.Context(), id)
	if err != nil {
		return err
	}
	if err := h.opts.Admin.AddReview(r.Context(), id, collector.Review{Action: action, Comment: comment, Admin: sess.Admin}); err != nil {
		return err
	}
	if h.opts.OnChange != nil {
		h.opts.OnChange(collector.Change{Task: rec.Task, Period: rec.Period, Branch: rec.Branch})
	}
	http.Redirect(w, r, adminBase(r)+"submissions/"+id, http.StatusSeeOther)
	return nil
}

// download sends one uploaded file as an attachment with its original name.
func (h *Handler) download(w http.ResponseWriter, r *http.Request, _ collector.Session) error {
	v, _, err := h.version(r, r.PathValue("receipt"))
	if err != nil {
		return err
	}
	for _, f := range v.Files {
		if f.Field != r.PathValue("field") {
			continue
		}
		file, err := h.opts.Files.Open(f.SHA256)
		if err != nil {
			return collector.Errorf(collector.ENOTFOUND, "文件不存在：%s", f.Name)
		}
		defer file.Close()
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
		w.Header().Set("Content-Length", fmt.Sprint(f.Size))
		_, err = io.Copy(w, file)
		return err
	}
	return collector.Errorf(collector.ENOTFOUND, "这份材料没有该附件。")
}
