package dicomio_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/internal/sampletest"
	"github.com/myeloview/myeloview/report"
	"github.com/myeloview/myeloview/sample"
)

// TestScanGroupsAnonymousSEGWithItsStudy: a segmentation written without
// patient identifiers beside its study joins that study under its patient,
// whether it is read before the study's files or after, and no empty
// patient is left in the catalog.
func TestScanGroupsAnonymousSEGWithItsStudy(t *testing.T) {
	for _, name := range []string{"000_seg.dcm", "zzz_seg.dcm"} {
		t.Run(name, func(t *testing.T) {
			dir, s := sampletest.Series(t, sample.Options{Slices: 16, Size: 64, Seed: 2})
			res := &inference.Result{Slices: len(s.Frames), Rows: s.Rows(), Cols: s.Cols()}
			for range s.Frames {
				m := make([]uint8, s.Rows()*s.Cols())
				m[10*s.Cols()+10] = 255
				res.Maps = append(res.Maps, m)
			}
			findings, err := inference.Findings(res, 0.5)
			if err != nil || len(findings) == 0 {
				t.Fatalf("findings %v, %v", findings, err)
			}
			o := report.SEGOptions{Threshold: 0.5, Now: time.Unix(0, 0)}
			if _, err := report.WriteSEG(filepath.Join(dir, name), s, res, findings, o); err != nil {
				t.Fatal(err)
			}
			cat, err := dicomio.Scan(context.Background(), []string{dir}, dicomio.ScanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(cat.Patients) != 1 || cat.Patients[0].Patient.Name != s.Frames[0].Instance.Patient.Name ||
				len(cat.Patients[0].Studies) != 1 || len(cat.Patients[0].Studies[0].Series) != 2 {
				t.Fatalf("%d patients (%+v): want the phantom's alone, with one study of two series", len(cat.Patients), cat.Patients)
			}
		})
	}
}
