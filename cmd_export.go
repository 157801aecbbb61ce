package main

import (
	"context"
	"fmt"
	"io"

	"github.com/dangwu-org/dangwu/collector"
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
		return collector.WriteJSON(stdout, task, versions, head)
	}
	return collector.WriteCSV(stdout, s, t, versions, head)
}
