package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// textRenderer renders ast.Text the way goldmark's HTML renderer does with
// the CJK extension, except for soft line breaks: one renders as nothing
// exactly when the characters on both sides are CJK (isCJK), looking past
// inline markup. goldmark 1.8.7 drops the break whenever the next node is
// not plain text ("word\n**bold**" becomes "word<strong>"), and keeps it
// after fullwidth punctuation ("，\n继续" shows a space).
type textRenderer struct {
	writer html.Writer
}

func newTextRenderer() *textRenderer {
	return &textRenderer{writer: html.NewWriter(html.WithEscapedSpace())}
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *textRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindText, r.renderText)
}

func (r *textRenderer) renderText(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Text)
	value := n.Segment.Value(src)
	switch {
	case plainText(value):
		_, _ = w.Write(value)
	case n.IsRaw():
		r.writer.RawWrite(w, value)
	default:
		r.writer.Write(w, value)
	}
	if n.IsRaw() {
		return ast.WalkContinue, nil
	}
	switch {
	case n.HardLineBreak():
		_, _ = w.WriteString("<br>\n")
	case n.SoftLineBreak() && !joinsLines(n, src):
		_ = w.WriteByte('\n')
	}
	return ast.WalkContinue, nil
}

// plainText reports whether goldmark's HTML writer writes text as it is:
// it holds no byte the writer escapes (NUL, '"', '&', '<', '>') and no
// backslash, which may escape what follows. Most of a Chinese body's text
// is such, and copying it whole skips the writer's byte-by-byte steps, a
// sixth of the Markdown's time (issue 14).
func plainText(b []byte) bool {
	for _, c := range b {
		if writerSpecial[c] {
			return false
		}
	}
	return true
}

// writerSpecial are the bytes plainText looks for.
var writerSpecial = [256]bool{0: true, '"': true, '&': true, '<': true, '>': true, '\\': true}
