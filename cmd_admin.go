package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/dangwu-org/dangwu/collector"
)

func cmdAdmin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dangwu admin passwd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f storeFlags
	f.register(fs)
	fromStdin := fs.Bool("stdin", false, "read the password from standard input instead of generating one")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "用法：dangwu admin passwd [-s 目录] [--db 文件] [--stdin] 用户名")
		fs.PrintDefaults()
	}
	if len(args) == 0 || args[0] != "passwd" {
		fs.Usage()
		return errors.New("admin: the only subcommand is passwd")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 || strings.TrimSpace(fs.Arg(0)) == "" {
		fs.Usage()
		return errors.New("admin passwd: give one user name")
	}
	name := fs.Arg(0)
	password := collector.NewCode() + "-" + collector.NewCode()[:4]
	if *fromStdin {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
		if utf8.RuneCountInString(password) < 10 {
			return errors.New("admin passwd: the password must have at least 10 characters")
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
