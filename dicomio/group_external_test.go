package dicomio_test

import (
	"context"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/internal/sampletest"
	"github.com/myeloview/myeloview/internal/segtest"
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
			segtest.SEG(t, dir, name, s, segtest.Box{K0: 0, K1: 15, R0: 10, R1: 11, C0: 10, C1: 11})
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
