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
	fs := newCommand("export", "用法：dangwu export 任务编号 [-s 目录] [--db 文件或网址] [--format csv|json] > 文件\n导出任务的全部提交版本。", stderr)
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
	db, _, err := f.openExisting()
	if err != nil {
		return err
	}
	defer db.Close()
	versions, head, err := db.Export(ctx, task)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if versions == nil {
			versions = []collector.Version{}
		}
		return enc.Encode(struct {
			Task     string              `json:"task"`
			Versions []collector.Version `json:"versions"`
			// LedgerHead is the signed head the export was made at; last, so the file ends with it.
			LedgerHead string `json:"ledgerHead"`
		}{task, versions, string(head)})
	}
	return writeCSV(stdout, s, t, versions, head)
}

// writeCSV writes one row per version with a UTF-8 BOM, so Excel and WPS
// open the Chinese correctly, and ends with the ledger head the export was
// made at (a blank row, then 账本树头 and the signed head in one cell).
func writeCSV(w io.Writer, s *site.Site, t *site.Task, versions []collector.Version, head []byte) error {
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
	if err := cw.Error(); err != nil {
		return err
	}
	// The head's own bytes, LF line ends and all (csv.Writer would turn
	// them into CRLF), so the cell can be saved as head.txt and verified.
	_, err := fmt.Fprintf(w, "\r\n账本树头,\"%s\"\r\n", strings.ReplaceAll(string(head), `"`, `""`))
	return err
}

// cellText keeps a spreadsheet from running what a branch typed as a
// formula: a cell starting with = + - @ or a tab gets a leading apostrophe.
func cellText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
