package collector

import (
	"bytes"
	"fmt"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dangwu-org/dangwu/generator/site"
)

// Default limits for fields whose task sets no max: the field table's
// (site.FieldKinds), which content fills at load.
const (
	DefaultTextMax     = site.DefaultTextMax
	DefaultTextareaMax = site.DefaultTextareaMax
	DefaultFileMax     = site.DefaultFileMax
)

// ValidateFields checks submitted text values against a task's fields with
// the field table (site.Field.Parse, the same rules the form shows) and
// returns their canonical values in field order. A multiselect's values
// come joined by "\n". hasFile tells whether a file field received a file.
// The error is an EINVALID *Error whose Fields name every problem.
func ValidateFields(t *site.Task, values map[string]string, hasFile func(name string) bool) ([]FieldValue, error) {
	// Made when first needed, and the values at their size: a post
	// with no problem allocates only the list (issue 11).
	var problems map[string]string
	problem := func(name, msg string) {
		if problems == nil {
			problems = map[string]string{}
		}
		problems[name] = msg
	}
	out := make([]FieldValue, 0, len(t.Fields))
	for _, f := range t.Fields {
		if f.Type == site.FieldFile {
			if f.Required && !hasFile(f.Name) {
				problem(f.Name, "请上传"+f.Label+"。")
			}
			continue
		}
		v, msg := f.Parse(values[f.Name])
		if msg != "" {
			problem(f.Name, msg)
			continue
		}
		out = append(out, FieldValue{Name: f.Name, Value: v})
	}
	if len(problems) > 0 {
		return nil, &Error{Code: EINVALID, Message: "提交内容有误，请按提示修改后重新提交。", Fields: problems}
	}
	if len(out) == 0 {
		return nil, nil // as before: a record of files only lists no fields as null
	}
	return out, nil
}

// DefaultAccept are the file types a file field takes when it lists none.
var DefaultAccept = []string{".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".txt", ".jpg", ".jpeg", ".png"}

// sniffed maps an extension to the content types its files may sniff as.
var sniffed = map[string][]string{
	".pdf":  {"application/pdf"},
	".jpg":  {"image/jpeg"},
	".jpeg": {"image/jpeg"},
	".png":  {"image/png"},
	".gif":  {"image/gif"},
	".webp": {"image/webp"},
	".txt":  {"text/plain"},
	".csv":  {"text/plain"},
	".docx": {"application/zip"},
	".xlsx": {"application/zip"},
	".pptx": {"application/zip"},
	".zip":  {"application/zip"},
	".mp3":  {"audio/mpeg"},
	".mp4":  {"video/mp4"},
	".wav":  {"audio/wave"},
	".doc":  {"ole"},
	".xls":  {"ole"},
	".ppt":  {"ole"},
	".wps":  {"ole"},
}

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// CheckFileType decides whether a file named name whose content begins with
// head may be stored for a field: its extension must be accepted and its
// content must look like that extension. It returns the content type to
// store, or an EUNSUPPORTED *Error.
func CheckFileType(f site.Field, name string, head []byte) (string, error) {
	ext := strings.ToLower(path.Ext(name))
	accept := f.Accept
	if len(accept) == 0 {
		accept = DefaultAccept
	}
	ok := false
	for _, a := range accept {
		if a == ext {
			ok = true
		}
	}
	if !ok {
		return "", &Error{Code: EUNSUPPORTED, Message: "文件类型不被接受。",
			Fields: map[string]string{f.Name: fmt.Sprintf("%s只接受 %s 格式的文件。", f.Label, strings.Join(accept, "、"))}}
	}
	detected := http.DetectContentType(head)
	if i := strings.IndexByte(detected, ';'); i >= 0 {
		detected = detected[:i]
	}
	if bytes.HasPrefix(head, oleMagic) {
		detected = "ole"
	}
	want, known := sniffed[ext]
	if !known {
		return detected, nil
	}
	for _, w := range want {
		if w == detected {
			if detected == "ole" {
				return "application/octet-stream", nil
			}
			return detected, nil
		}
	}
	return "", &Error{Code: EUNSUPPORTED, Message: "文件内容与扩展名不符。",
		Fields: map[string]string{f.Name: fmt.Sprintf("%s的内容不是有效的 %s 文件。", f.Label, ext)}}
}

// CleanFileName keeps a file's display name safe to show and store: the last
// path element of what the browser sent, without control characters, at most
// 100 characters. It is never used as a path on disk.
func CleanFileName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' {
			return -1
		}
		return r
	}, name)
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "")
	}
	if r := []rune(name); len(r) > 100 {
		ext := path.Ext(name)
		name = string(r[:100-utf8.RuneCountInString(ext)]) + ext
	}
	if name == "" || name == "." || name == ".." {
		name = "file"
	}
	return name
}
