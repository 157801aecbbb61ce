package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/collector"
	"github.com/dangwu-org/dangwu/collector/ledger"
)

// listFlag is a flag that may be given many times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("verify", "用法：dangwu verify [-s 目录] [--db 文件或网址] [--ledger-key 文件] [--head 文件或网址]... [--receipt 文件]...\n从数据库重建账本的默克尔树，核对每条记录、每个上传文件和最新树头的签名，并证明账本与给出的每个树头、每份回执一致。", stderr)
	var f storeFlags
	f.register(fs.FlagSet)
	var heads, receipts listFlag
	fs.Var(&heads, "head", "用来核验账本的签名树头：`文件`或 /ledger/head.txt 的 http(s) 网址（可多次给出）")
	fs.Var(&receipts, "receipt", "要核对的回执`文件`（JSON，可多次给出）")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fs.fail("多余的参数 %q", pos[0])
	}
	var o ledger.Options
	for _, h := range heads {
		data, err := readWitness(ctx, h)
		if err != nil {
			return fmt.Errorf("verify --head %s: %w", h, err)
		}
		o.Heads = append(o.Heads, ledger.Witness{Name: h, Data: data})
	}
	for _, r := range receipts {
		data, err := readWitness(ctx, r)
		if err != nil {
			return fmt.Errorf("verify --receipt %s: %w", r, err)
		}
		o.Receipts = append(o.Receipts, ledger.Witness{Name: r, Data: data})
	}
	db, files, err := f.openExisting()
	if err != nil {
		return err
	}
	defer db.Close()
	o.Files = files
	rep, err := db.Verify(ctx, o)
	if err != nil {
		var ve *ledger.Problems
		if errors.As(err, &ve) {
			fmt.Fprintf(stderr, "校验失败：\n%s\n", ve)
			return errReported
		}
		return err
	}
	fmt.Fprintf(stdout, "校验通过：账本 %d 条记录（最新树头签于 %s），%d 份提交、%d 条审核、%d 个文件均与账本一致",
		rep.Records, rep.Head.Time.Local().Format(time.DateTime), rep.Submissions, rep.Reviews, rep.Files)
	if len(o.Heads)+len(o.Receipts) > 0 {
		fmt.Fprintf(stdout, "；今天的账本与你给出的 %d 个树头、%d 份回执一致（只有追加，没有改写）", rep.Heads, rep.Receipts)
	}
	fmt.Fprintln(stdout, "。")
	return nil
}

// maxWitness caps a head or receipt read from a file or URL.
const maxWitness = 1 << 20

// readWitness reads a head or receipt from a file or an http(s) URL.
func readWitness(ctx context.Context, name string) ([]byte, error) {
	if !strings.HasPrefix(name, "http://") && !strings.HasPrefix(name, "https://") {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readCapped(f)
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, name, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("服务器答复 %s", resp.Status)
	}
	return readCapped(resp.Body)
}

func readCapped(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxWitness+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxWitness {
		return nil, fmt.Errorf("超过 %d 字节，不是树头或回执", maxWitness)
	}
	return data, nil
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newCommand("backup", "用法：dangwu backup [-s 目录] [--db 文件或网址] 备份文件\n收集器运行时在线备份数据库。", stderr)
	var f storeFlags
	f.register(fs.FlagSet)
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fs.fail("请给出备份文件")
	}
	dest := pos[0]
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup：%s 已存在", dest)
	}
	db, files, err := f.openExisting()
	if err != nil {
		return err
	}
	defer db.Close()
	b, ok := db.(collector.Backuper)
	if !ok {
		return fmt.Errorf("backup：%s 是 PostgreSQL 数据库，请用 PostgreSQL 自己的工具备份（pg_basebackup 或 pg_dump，见 README“多台机器”），上传文件目录 %s 照常复制", db.Name(), files.Dir())
	}
	// The manifest is read from the backup itself: exactly the files it needs.
	head, need, err := b.Backup(ctx, dest)
	if err != nil {
		return err
	}
	if err := os.WriteFile(dest+".head.txt", head, 0o600); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	sums := make([]string, len(need))
	for i, f := range need {
		sums[i] = f.SHA256
	}
	manifest := dest + ".manifest"
	missing, err := files.WriteManifest(manifest, sums)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份数据库到 %s，上传文件清单（%d 个文件）写入 %s。\n", dest, len(sums), manifest)
	fmt.Fprintf(stdout, "备份时的账本树头（另存为 %s.head.txt）：\n\n%s", dest, head)
	fmt.Fprintf(stdout, "请接着复制上传文件目录 %s（可跳过其中的 tmp/），然后在副本的 uploads 目录里运行 sha256sum -c %s 核对。\n", files.Dir(), manifest)
	if len(missing) > 0 {
		return fmt.Errorf("备份引用的 %d 个上传文件在 %s 中不存在（如 %s）：请运行 dangwu verify 检查", len(missing), files.Dir(), missing[0])
	}
	return nil
}
