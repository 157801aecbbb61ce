package collector

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/big"
	"sort"

	"github.com/dangwu-org/dangwu/generator/site"
)

// DataSummary is the 数据汇总 of a task's number fields: per period, each
// branch's newest values, and their count, total and average, computed
// exactly from the stored decimal text (no float).
type DataSummary struct {
	Fields  []site.Field
	Periods []PeriodSummary
}

// PeriodSummary is one period's table.
type PeriodSummary struct {
	Period string
	// Label is the period in Chinese; "" for a task that does not recur.
	Label string
	Rows  []BranchValues
	// Count, Total and Average are per field, in Fields order; Total and
	// Average are "" where no branch gave a value.
	Count          []int
	Total, Average []string
	// Bars are the chart's bars of the first field, one per row.
	Bars []Bar
}

// BranchValues is one branch's newest values of a period, "" where none.
type BranchValues struct {
	Branch, Title string
	Version       int
	Values        []string
}

// Bar is one bar of a period's chart: its share of the largest value, 0–1.
type Bar struct {
	Title, Value string
	Share        float64
}

// NumberFields are the integer and number fields of t.
func NumberFields(t *site.Task) []site.Field {
	var out []site.Field
	for _, f := range t.Fields {
		if f.Type == site.FieldInteger || f.Type == site.FieldNumber {
			out = append(out, f)
		}
	}
	return out
}

// Summarize computes the data summary of t from its versions (oldest
// first, as the store lists them): the newest version of each branch in
// each period counts. Periods come newest first, branches in site order.
func Summarize(s *site.Site, t *site.Task, versions []Version) DataSummary {
	ds := DataSummary{Fields: NumberFields(t)}
	if len(ds.Fields) == 0 {
		return ds
	}
	newest := map[string]map[string]Version{}
	for _, v := range versions {
		if newest[v.Period] == nil {
			newest[v.Period] = map[string]Version{}
		}
		newest[v.Period][v.Branch] = v
	}
	var periods []string
	for p := range newest {
		periods = append(periods, p)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(periods)))
	for _, p := range periods {
		ps := PeriodSummary{Period: p, Count: make([]int, len(ds.Fields)), Total: make([]string, len(ds.Fields)), Average: make([]string, len(ds.Fields))}
		if pp, err := site.ParsePeriod(p); err == nil {
			ps.Label = pp.Label()
		}
		vals := make([][]string, len(ds.Fields))
		for _, id := range t.Branches {
			v, ok := newest[p][id]
			if !ok {
				continue
			}
			row := BranchValues{Branch: id, Title: id, Version: v.Version, Values: make([]string, len(ds.Fields))}
			if b := s.Branch(id); b != nil {
				row.Title = b.Title
			}
			for i, f := range ds.Fields {
				for _, fv := range v.Fields {
					if fv.Name == f.Name && fv.Value != "" {
						row.Values[i] = fv.Value
						vals[i] = append(vals[i], fv.Value)
					}
				}
			}
			ps.Rows = append(ps.Rows, row)
		}
		for i, f := range ds.Fields {
			dec := 0
			if f.Type == site.FieldNumber {
				dec = f.Decimals
			}
			ps.Count[i], ps.Total[i], ps.Average[i] = site.SumDecimals(vals[i], dec)
		}
		ps.Bars = bars(ps.Rows)
		ds.Periods = append(ds.Periods, ps)
	}
	return ds
}

// bars scales the first field's values against the largest.
func bars(rows []BranchValues) []Bar {
	largest := 0.0
	vals := make([]float64, len(rows))
	for i, r := range rows {
		if x, ok := new(big.Rat).SetString(r.Values[0]); ok && r.Values[0] != "" {
			vals[i], _ = x.Float64() // for drawing only
			largest = max(largest, vals[i])
		}
	}
	out := make([]Bar, len(rows))
	for i, r := range rows {
		out[i] = Bar{Title: r.Title, Value: r.Values[0]}
		if largest > 0 && vals[i] > 0 {
			out[i].Share = vals[i] / largest
		}
	}
	return out
}

// WriteSummaryCSV writes the summary as CSV with a UTF-8 BOM (Excel and
// WPS open it as it is): per period a row per branch, then 合计 and 平均.
func WriteSummaryCSV(w io.Writer, ds DataSummary) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := []string{"期次", "支部", "版本"}
	for _, f := range ds.Fields {
		header = append(header, f.Label)
	}
	cw.Write(header)
	for _, p := range ds.Periods {
		label := p.Label
		if label == "" {
			label = "—"
		}
		for _, r := range p.Rows {
			cw.Write(append([]string{label, cellText(r.Title), fmt.Sprint(r.Version)}, r.Values...))
		}
		cw.Write(append([]string{label, "合计", ""}, p.Total...))
		cw.Write(append([]string{label, "平均", ""}, p.Average...))
	}
	cw.Flush()
	return cw.Error()
}
