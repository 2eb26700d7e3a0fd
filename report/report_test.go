package report

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
)

func TestSeriesOf(t *testing.T) {
	s := &dicomio.Series{UID: "1.2.3", StudyUID: "1.2", Description: "CT body", Modality: "CT"}
	res := &inference.Result{Provider: "cpu", Slices: 40, Warnings: []string{"gap"},
		Timings: inference.Timings{Inference: 1234567 * time.Nanosecond, Total: 2 * time.Millisecond}}
	found := []inference.Finding{
		{ID: 1, CenterMM: [3]float64{1.23456789, -2, 3}, DiameterMM: 12.3456789, MaxProbability: 0.999999999, MeanHU: 41.00000049},
		{ID: 2, MeanHU: math.NaN()},
	}
	got := SeriesOf(s, res, found)
	if got.SeriesUID != "1.2.3" || got.StudyUID != "1.2" || got.Slices != 40 || got.Provider != "cpu" {
		t.Errorf("series fields %+v", got)
	}
	if got.TimingsMS.Inference != 1.234 || got.TimingsMS.Total != 2 {
		t.Errorf("timings %+v ms, want inference 1.234 (whole microseconds) and total 2", got.TimingsMS)
	}
	res.Warnings[0] = "changed"
	if got.Warnings[0] != "gap" {
		t.Error("warnings share the result's slice")
	}
	f := got.Findings
	if len(f) != 2 || f[0].CenterMM[0] != 1.234568 || f[0].DiameterMM != 12.345679 || f[0].MaxProbability != 1 {
		t.Errorf("finding 1 %+v, want values rounded to 6 decimals", f[0])
	}
	if f[0].MeanHU == nil || *f[0].MeanHU != 41 || f[1].MeanHU != nil {
		t.Errorf("mean HU %v and %v, want 41 and null for NaN", f[0].MeanHU, f[1].MeanHU)
	}
	if none := SeriesOf(s, res, nil); none.Findings == nil {
		t.Error("no findings must be an empty list (JSON []), not null")
	}
}

func TestWriteFolder(t *testing.T) {
	m := &inference.Manifest{Name: "net", Version: "1.0", SHA256: "ABC"}
	doc := NewDocument(m, "cpu", 0.5)
	doc.Series = append(doc.Series, SeriesOf(&dicomio.Series{UID: "1.2.3"}, &inference.Result{},
		[]inference.Finding{{ID: 7, MeanHU: math.NaN()}}))
	if doc.FindingCount() != 1 || doc.Model.SHA256 != "abc" {
		t.Fatalf("count %d, sha %q", doc.FindingCount(), doc.Model.SHA256)
	}
	dir := t.TempDir()
	if err := WriteFolder(dir, &doc); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, JSONName))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"mean_hu": null`, `"research_use_only": "Research use only: not for diagnosis"`, `"errors": []`, `"reader_lesions": []`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("findings.json lacks %s", want)
		}
	}
	f, err := os.Open(filepath.Join(dir, CSVName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != 2 || len(rows[1]) != len(CSVHeader) {
		t.Fatalf("csv %v, %v", rows, err)
	}
	if rows[1][0] != "1.2.3" || rows[1][1] != "7" || rows[1][15] != "" {
		t.Errorf("csv row %q: want series UID, id 7 and an empty mean_hu", rows[1])
	}
}
