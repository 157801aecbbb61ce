package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

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

// taskVersions lists every version of one task, newest first.
func (h *Handler) taskVersions(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	s := h.opts.Site()
	t := s.Task(r.PathValue("task"))
	if t == nil {
		return collector.Errorf(collector.ENOTFOUND, "没有这项任务。")
	}
	versions, err := h.opts.Admin.Versions(r.Context(), t.ID)
	if err != nil {
		return err
	}
	for i, j := 0, len(versions)-1; i < j; i, j = i+1, j-1 {
		versions[i], versions[j] = versions[j], versions[i]
	}
	return h.page(w, http.StatusOK, "task.html", adminPage{Title: t.Title, Base: adminBase(r), Admin: sess.Admin, CSRF: sess.CSRF,
		Data: map[string]any{"Task": t, "Versions": versions, "Site": s}})
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

func (h *Handler) submissionPage(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	v, t, err := h.version(r, r.PathValue("receipt"))
	if err != nil {
		return err
	}
	s := h.opts.Site()
	labels := map[string]string{}
	if t != nil {
		for _, f := range t.Fields {
			labels[f.Name] = f.Label
		}
	}
	branch := v.Branch
	if b := s.Branch(v.Branch); b != nil {
		branch = b.Title
	}
	title := v.Task
	if t != nil {
		title = t.Title
	}
	return h.page(w, http.StatusOK, "submission.html", adminPage{Title: "报送材料 " + v.ID, Base: adminBase(r), Admin: sess.Admin, CSRF: sess.CSRF,
		Data: map[string]any{"V": v, "TaskTitle": title, "BranchName": branch, "Labels": labels, "Loc": s.Location}})
}

// review records an approval or a return and goes back to the version.
func (h *Handler) review(w http.ResponseWriter, r *http.Request, sess collector.Session) error {
	id := r.PathValue("receipt")
	action := collector.ReviewAction(r.PostFormValue("action"))
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	if action != collector.ActionApprove && action != collector.ActionReturn {
		return collector.Errorf(collector.EINVALID, "请选择“通过”或“退回修改”。")
	}
	if action == collector.ActionReturn && comment == "" {
		return &collector.Error{Code: collector.EINVALID, Message: "退回时请填写修改意见。", Fields: map[string]string{"comment": "请填写修改意见。"}}
	}
	if len([]rune(comment)) > 1000 {
		return collector.Errorf(collector.EINVALID, "审核意见不能超过 1000 字。")
	}
	rec, err := h.opts.Store.Receipt(r.Context(), id)
	if err != nil {
		return err
	}
	if err := h.opts.Admin.AddReview(r.Context(), id, collector.Review{Action: action, Comment: comment, Admin: sess.Admin}); err != nil {
		return err
	}
	if h.opts.OnChange != nil {
		key := rec.Task
		if rec.Period != "" {
			key += "/" + rec.Period
		}
		h.opts.OnChange(key)
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
