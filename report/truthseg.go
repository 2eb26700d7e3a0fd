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
// (sample.GroundTruthSEGFile): one segment per lesion of the ground truth
// (a lesion breaching the cortex may lie in pieces), labelled by it, so
// that `analyze DIR --reference` measures the model on it. It renders the
// phantom once more (sample.Generate, within sample.MaxVoxels) for its
// lesion masks, and writes the same bytes for the same options (its time
// is the Unix epoch, so its UIDs too are the options').
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
	rows, cols := vol.Rows, vol.Cols
	mask := func(k, r int) []uint8 { return vol.LesionMask[(k*rows+r)*cols : (k*rows+r+1)*cols] }
	// Each lesion's slices and voxels, from the mask (IDs are the ground
	// truth's, 1-based).
	byID := map[int]*inference.Finding{}
	for k := range vol.Slices {
		for r := range rows {
			for c, id := range mask(k, r) {
				if id == 0 {
					continue
				}
				f := byID[int(id)]
				if f == nil {
					f = &inference.Finding{ID: int(id), SliceRange: [2]int{k, k}, PeakVoxel: [3]int{c, r, k}}
					byID[int(id)] = f
				}
				f.SliceRange[1], f.Voxels = k, f.Voxels+1
			}
		}
	}
	var segments []inference.Finding
	for _, l := range gt.Lesions {
		if f := byID[l.ID]; f != nil {
			segments = append(segments, *f)
		}
	}
	lesions := map[int]sample.Lesion{}
	for _, l := range gt.Lesions {
		lesions[l.ID] = l
	}
	truth := &TruthSegments{
		Label: func(f inference.Finding) (string, string) {
			l := lesions[f.ID]
			return fmt.Sprintf("Lesion %d", l.ID), fmt.Sprintf("Inserted lytic lesion %d in the %s, %.1f mm across its bounding sphere (synthetic phantom; research use only)",
				l.ID, l.Bone, l.DiameterMM)
		},
		Runs: func(fn func(id, slice, row, c0, c1 int)) {
			for k := range vol.Slices {
				for r := range rows {
					m := mask(k, r)
					for c := 0; c < cols; {
						id := m[c]
						end := c + 1
						for end < cols && m[end] == id {
							end++
						}
						if id != 0 {
							fn(int(id), k, r, c, end)
						}
						c = end
					}
				}
			}
		},
	}
	res := &inference.Result{Slices: vol.Slices, Rows: rows, Cols: cols, Maps: make([][]uint8, vol.Slices)} // the sizes WriteSEG checks; Runs gives the voxels
	o := SEGOptions{Model: Model{Name: "MyeloView sample phantom"}, Software: software,
		Now: time.Unix(0, 0).UTC(), PatientData: true, Truth: truth} // the phantom's "patient" is synthetic
	_, err = WriteSEG(filepath.Join(dir, sample.GroundTruthSEGFile), s, res, segments, o)
	return err
}
