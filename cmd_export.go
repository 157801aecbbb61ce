package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/generator/site"
)

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("export", "用法：dangwu export 任务编号 [-s 目录] [--db 文件] [--format csv|json] > 文件\n导出任务的全部提交版本。", stderr)
	var f storeFlags
	f.register(fs.FlagSet)
	format := fs.String("format", "csv", "`格式`：csv（带 UTF-8 BOM，Excel/WPS 可直接打开）或 json")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fs.fail("请给出一个任务编号")
	}
	task := pos[0]
	if *format != "csv" && *format != "json" {
		return fs.fail("--format 只能是 csv 或 json，不能是 %q", *format)
	}
	s, err := loadSite(ctx, f.source, stderr)
	if err != nil {
		return err
	}
	t := s.Task(task)
	if t == nil {
		return fmt.Errorf("export：%q 不是任务（没有 content/tasks/%s.md）", task, task)
	}
	db, _, err := f.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	versions, err := db.Versions(ctx, task)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if versions == nil {
			versions = []collector.Version{}
		}
		return enc.Encode(versions)
	}
	return writeCSV(stdout, s, t, versions)
}

// writeCSV writes one row per version with a UTF-8 BOM, so Excel and WPS
// open the Chinese correctly.
func writeCSV(w io.Writer, s *site.Site, t *site.Task, versions []collector.Version) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := []string{"回执编号", "支部编号", "支部名称", "期次", "版本", "接收时间", "是否逾期", "审核结果", "审核意见", "内容摘要(SHA-256)"}
	for _, f := range t.Fields {
		header = append(header, f.Label)
	}
	cw.Write(header)
	for _, v := range versions {
		name := v.Branch
		if b := s.Branch(v.Branch); b != nil {
			name = b.Title
		}
		late, review, comment := "按时", "", ""
		if v.Late {
			late = "逾期"
		}
		if v.Review != nil {
			review, comment = map[string]string{"approve": "已通过", "return": "退回修改"}[string(v.Review.Action)], v.Review.Comment
		}
		row := []string{v.ID, v.Branch, name, v.Period, fmt.Sprint(v.Version), v.Received.In(s.Location).Format(time.DateTime), late, review, comment, v.SHA256}
		for _, f := range t.Fields {
			val := ""
			for _, fv := range v.Fields {
				if fv.Name == f.Name {
					val = fv.Value
				}
			}
			for _, file := range v.Files {
				if file.Field == f.Name {
					val = file.Name + " (" + file.SHA256[:12] + ")"
				}
			}
			row = append(row, val)
		}
		for i := range row {
			row[i] = cellText(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// cellText keeps a spreadsheet from running what a branch typed as a
// formula: a cell starting with = + - @ or a tab gets a leading apostrophe.
func cellText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
