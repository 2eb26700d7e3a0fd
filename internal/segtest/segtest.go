// Package segtest writes DICOM Segmentations of made-up analyses over a
// series, for tests outside package report that need such files (report's
// own tests cannot import it: it imports report). Test helpers only.
package segtest

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/report"
)

// Box is a block of voxels: slices K0…K1, rows R0…R1−1, columns C0…C1−1.
type Box struct{ K0, K1, R0, R1, C0, C1 int }

// SEG writes into dir, as name, the segmentation (report.WriteSEG, one
// segment per component) of an analysis of s whose maps are 1 inside the
// boxes, and returns that analysis and its findings.
func SEG(t testing.TB, dir, name string, s *dicomio.Series, boxes ...Box) (*inference.Result, []inference.Finding) {
	t.Helper()
	res := &inference.Result{Slices: len(s.Frames), Rows: s.Rows(), Cols: s.Cols()}
	for k := range s.Frames {
		m := make([]uint8, s.Rows()*s.Cols())
		for _, b := range boxes {
			if k < b.K0 || k > b.K1 {
				continue
			}
			for r := b.R0; r < b.R1; r++ {
				for c := b.C0; c < b.C1; c++ {
					m[r*s.Cols()+c] = 255
				}
			}
		}
		res.Maps = append(res.Maps, m)
	}
	findings, err := inference.Findings(res, 0.5)
	if err != nil || len(findings) == 0 {
		t.Fatalf("findings %v, %v", findings, err)
	}
	o := report.SEGOptions{Model: report.Model{Name: "test", Version: "1"}, Threshold: 0.5, Software: "test", Now: time.Unix(0, 0)}
	if _, err := report.WriteSEG(filepath.Join(dir, name), s, res, findings, o); err != nil {
		t.Fatal(err)
	}
	return res, findings
}
