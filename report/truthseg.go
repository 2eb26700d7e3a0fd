package report

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/sample"
)

// WriteTruthSEG writes the true lesion masks of the sample study of opts,
// just written into dir with ground truth gt, as a DICOM Segmentation
// (sample.GroundTruthSEGFile): one segment per connected lesion, labelled
// by the ground truth's lesion, so that `analyze DIR --reference` measures
// the model on it. It renders the phantom once more (sample.Generate) for
// its lesion masks.
func WriteTruthSEG(dir string, opts sample.Options, gt *sample.GroundTruth, software string) error {
	vol, _, err := sample.Generate(opts)
	if err != nil {
		return err
	}
	cat, err := dicomio.Scan(context.Background(), []string{dir}, dicomio.ScanOptions{})
	if err != nil {
		return err
	}
	var s *dicomio.Series
	for _, x := range cat.AllSeries() {
		if x.UID == gt.SeriesInstanceUID && len(x.Frames) == vol.Slices {
			s = x
		}
	}
	if s == nil {
		return fmt.Errorf("%s: the sample series is not there to segment", dir)
	}
	n := vol.Rows * vol.Cols
	res := &inference.Result{Slices: vol.Slices, Rows: vol.Rows, Cols: vol.Cols}
	for k := range vol.Slices {
		m := make([]uint8, n)
		for i, id := range vol.LesionMask[k*n : (k+1)*n] {
			if id != 0 {
				m[i] = 255
			}
		}
		res.Maps = append(res.Maps, m)
	}
	components, err := inference.Findings(res, 0.5)
	if err != nil {
		return err
	}
	lesions := map[int]sample.Lesion{}
	for _, l := range gt.Lesions {
		lesions[l.ID] = l
	}
	truth := func(f inference.Finding) (string, string) {
		p := f.PeakVoxel
		l, ok := lesions[int(vol.LesionMask[p[2]*n+p[1]*vol.Cols+p[0]])]
		if !ok {
			return fmt.Sprintf("Lesion region %d", f.ID), "Inserted lytic lesion (synthetic phantom; research use only)"
		}
		return fmt.Sprintf("Lesion %d", l.ID), fmt.Sprintf("Inserted lytic lesion %d in the %s, %.1f mm across its bounding sphere (synthetic phantom; research use only)",
			l.ID, l.Bone, l.DiameterMM)
	}
	o := SEGOptions{Model: Model{Name: "MyeloView sample phantom"}, Threshold: 0.5, Software: software,
		Now: time.Now(), PatientData: true, Truth: truth} // the phantom's "patient" is synthetic
	_, err = WriteSEG(filepath.Join(dir, sample.GroundTruthSEGFile), s, res, components, o)
	return err
}
