package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/dangwu-org/dangwu/collector"
)

func cmdAdmin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("admin passwd", "用法：dangwu admin passwd [-s 目录] [--db 文件或网址] [--stdin] 用户名\n创建管理员或重设密码（默认随机生成并显示一次）。", stderr)
	var f storeFlags
	f.register(fs.FlagSet)
	fromStdin := fs.Bool("stdin", false, "从标准输入读取密码，而不是随机生成")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || pos[0] != "passwd" {
		return fs.fail("admin 只有一个子命令 passwd")
	}
	if len(pos) != 2 || strings.TrimSpace(pos[1]) == "" {
		return fs.fail("请给出一个用户名")
	}
	name := pos[1]
	password := collector.NewCode() + "-" + collector.NewCode()[:4]
	if *fromStdin {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
		if utf8.RuneCountInString(password) < 10 {
			return errors.New("admin passwd：密码至少要有 10 个字符")
		}
	}
	hash, err := collector.HashSecret(password, 0)
	if err != nil {
		return err
	}
	db, _, err := f.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetAdminPassword(ctx, name, hash); err != nil {
		return err
	}
	if *fromStdin {
		fmt.Fprintf(stdout, "已设置管理员 %s 的密码。\n", name)
		return nil
	}
	fmt.Fprintf(stdout, "管理员 %s 的密码：\n\n    %s\n\n请妥善保管。系统只保存它的摘要，无法再次查看。\n", name, password)
	return nil
}
