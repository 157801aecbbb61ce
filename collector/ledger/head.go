package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// headPrefix is the first line of a head's text: what the note is, and the
// version of its format.
const headPrefix = "dangwu ledger v1\n"

// Head is a tree head (树头): the size of the tree, its root hash and the
// server time of the commit that made it.
type Head struct {
	Size int64
	Root tlog.Hash
	Time time.Time
}

// Text is the head as the signed note's text:
//
//	dangwu ledger v1
//	<size>
//	<root hash, base64>
//	<time, UTC>
func (h Head) Text() string {
	return fmt.Sprintf("%s%d\n%s\n%s\n", headPrefix, h.Size, h.Root, FormatTime(h.Time))
}

// parseHeadText parses a head's note text.
func parseHeadText(text string) (Head, error) {
	var h Head
	rest, ok := strings.CutPrefix(text, headPrefix)
	if !ok {
		return h, errors.New("不是 dangwu 账本树头（第一行应为 dangwu ledger v1）")
	}
	lines := strings.Split(rest, "\n")
	if len(lines) != 4 || lines[3] != "" {
		return h, errors.New("树头应有四行：标识、记录数、根哈希、时间")
	}
	n, err := strconv.ParseInt(lines[0], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[0] {
		return h, fmt.Errorf("树头的记录数 %q 不是非负整数", lines[0])
	}
	root, err := tlog.ParseHash(lines[1])
	if err != nil || root.String() != lines[1] {
		return h, fmt.Errorf("树头的根哈希 %q 格式不对", lines[1])
	}
	t, err := time.Parse(TimeFormat, lines[2])
	if err != nil || FormatTime(t) != lines[2] {
		return h, fmt.Errorf("树头的时间 %q 格式不对", lines[2])
	}
	return Head{Size: n, Root: root, Time: t}, nil
}

// ParseHead parses a signed head (the note text with its signatures, as
// /ledger/head.txt serves it) without checking the signature; OpenHead
// checks it.
func ParseHead(msg []byte) (Head, error) {
	text, _, ok := bytes.Cut(msg, []byte("\n\n"))
	if !ok {
		return Head{}, errors.New("树头没有签名（正文后应有空行和签名行）")
	}
	return parseHeadText(string(text) + "\n")
}

// OpenHead checks a signed head's signature with v and parses it.
func OpenHead(msg []byte, v note.Verifier) (Head, error) {
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			return Head{}, fmt.Errorf("树头不是由本账本的密钥（%s）签名的", v.Name())
		case errors.As(err, &invalid):
			return Head{}, errors.New("树头的签名无效：正文在签名后被改动过")
		}
		return Head{}, fmt.Errorf("树头格式不对：%w", err)
	}
	return parseHeadText(n.Text)
}

// Sign returns h as a note signed by s.
func (h Head) Sign(s note.Signer) ([]byte, error) {
	return note.Sign(&note.Note{Text: h.Text()}, s)
}
