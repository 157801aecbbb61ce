package collector

import (
	"archive/zip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/dangwu-org/dangwu/generator/site"
)

// WriteJSON writes a task's versions as dangwu export --format json and
// the admin's download do, ending with the ledger head they were read at.
func WriteJSON(w io.Writer, task string, versions []Version, head []byte) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if versions == nil {
		versions = []Version{}
	}
	return enc.Encode(struct {
		Task     string    `json:"task"`
		Versions []Version `json:"versions"`
		// LedgerHead is the signed head the export was made at; last, so the file ends with it.
		LedgerHead string `json:"ledgerHead"`
	}{task, versions, string(head)})
}

// WriteCSV writes one row per version with a UTF-8 BOM, so Excel and WPS
// open the Chinese correctly, and ends with the ledger head the export was
// made at (a blank row, then 账本树头 and the signed head in one cell).
func WriteCSV(w io.Writer, s *site.Site, t *site.Task, versions []Version, head []byte) error {
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
					val = f.Display(fv.Value)
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

// WriteZip writes the files of the versions of one period (every version,
// so nothing a branch sent is left out) as a ZIP: a folder per branch,
// each file named 第N版-字段-原文件名, dated by when it was received, and
// a 清单.csv (BOM) listing each with its SHA-256. open reads a stored
// file by its SHA-256.
func WriteZip(w io.Writer, s *site.Site, t *site.Task, period string, versions []Version, open func(sha256 string) (io.ReadCloser, error)) error {
	zw := zip.NewWriter(w)
	var list strings.Builder
	list.WriteString("\ufeff文件,支部,期次,版本,接收时间,字段,原文件名,大小,SHA-256\r\n")
	lw := csv.NewWriter(&list)
	lw.UseCRLF = true
	labels := map[string]string{}
	for _, f := range t.Fields {
		labels[f.Name] = f.Label
	}
	for _, v := range versions {
		if v.Period != period {
			continue
		}
		branch := v.Branch
		if b := s.Branch(v.Branch); b != nil {
			branch = b.Title
		}
		for _, f := range v.Files {
			label := labels[f.Field]
			if label == "" {
				label = f.Field
			}
			name := path.Join(zipName(branch), zipName(fmt.Sprintf("第%d版-%s-%s", v.Version, label, f.Name)))
			hdr := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: v.Received.In(s.Location)}
			hdr.Flags |= 0x800 // names in UTF-8, for Windows' own unzip
			fw, err := zw.CreateHeader(hdr)
			if err != nil {
				return err
			}
			r, err := open(f.SHA256)
			if err != nil {
				return fmt.Errorf("文件 %s（%s）：%w", f.Name, f.SHA256, err)
			}
			_, err = io.Copy(fw, r)
			r.Close()
			if err != nil {
				return err
			}
			lw.Write([]string{name, branch, v.Period, fmt.Sprint(v.Version), v.Received.In(s.Location).Format(time.DateTime), label, cellText(f.Name), fmt.Sprint(f.Size), f.SHA256})
		}
	}
	lw.Flush()
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: "清单.csv", Method: zip.Deflate, Flags: 0x800})
	if err != nil {
		return err
	}
	if _, err := io.WriteString(fw, list.String()); err != nil {
		return err
	}
	return zw.Close()
}

// zipName keeps a path element of a ZIP entry safe to unpack: no slashes,
// no dot-only names, no characters Windows refuses.
func zipName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, s)
	if strings.Trim(s, ". ") == "" {
		return "_"
	}
	return s
}
