package inference

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

// memSpec describes an in-memory greyscale series for tests.
type memSpec struct {
	slices, rows, cols int
	spacing            [2]float64 // row, column spacing (mm)
	gap                float64    // distance between slices along the normal (mm)
	rowDir, colDir     dicomio.Vec3
	origin             dicomio.Vec3
	modality           string
	hu                 func(s, r, c int) float64 // rounded to whole HU
	files              bool                      // create one small file per slice (for cache keys)
}

// memSeries builds a sorted series and its decoded volume. Frames store
// HU + 1024 as unsigned 16-bit values with Rescale Intercept −1024, as CT
// scanners do.
func memSeries(tb testing.TB, sp memSpec) (*dicomio.Series, *dicomio.Volume) {
	tb.Helper()
	if sp.rowDir == (dicomio.Vec3{}) {
		sp.rowDir, sp.colDir = dicomio.Vec3{1, 0, 0}, dicomio.Vec3{0, 1, 0}
	}
	if sp.spacing == [2]float64{} {
		sp.spacing = [2]float64{1, 1}
	}
	if sp.gap == 0 {
		sp.gap = 1
	}
	if sp.modality == "" {
		sp.modality = "CT"
	}
	normal := sp.rowDir.Cross(sp.colDir)
	g := dicomio.Geometry{Rows: sp.rows, Cols: sp.cols, RowDir: sp.rowDir, ColDir: sp.colDir, Normal: normal,
		PixelSpacing: sp.spacing, SliceSpacing: math.Abs(sp.gap), Known: true}
	s := &dicomio.Series{UID: "1.2.826.0.1.3680043.2.1125.99.1", StudyUID: "1.2.826.0.1.3680043.2.1125.99",
		Modality: sp.modality, Description: "test series"}
	vol := &dicomio.Volume{Series: s}
	dir := ""
	if sp.files {
		dir = tb.TempDir()
	}
	for k := range sp.slices {
		in := &dicomio.Instance{SOPInstanceUID: fmt.Sprintf("1.2.826.0.1.3680043.2.1125.99.1.%d", k+1),
			SeriesInstanceUID: s.UID, Modality: sp.modality, InstanceNumber: k + 1,
			Frames: []dicomio.FrameInfo{{}}}
		if dir != "" {
			in.Path = filepath.Join(dir, fmt.Sprintf("IM%04d.dcm", k+1))
			if err := os.WriteFile(in.Path, []byte(in.SOPInstanceUID), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
		s.Instances = append(s.Instances, in)
		s.Frames = append(s.Frames, dicomio.FrameRef{Instance: in, Index: 0})
		g.Origins = append(g.Origins, sp.origin.Add(normal.Scale(float64(k)*sp.gap)))
		f := &dicomio.Frame{Rows: sp.rows, Cols: sp.cols, Samples: 1, BitsStored: 16,
			Raw16: make([]uint16, sp.rows*sp.cols), Photometric: "MONOCHROME2",
			Modality: dicomio.ModalityTransform{Slope: 1, Intercept: -1024, Type: "HU"}, PixelSpacing: sp.spacing, Number: 1}
		for r := range sp.rows {
			for c := range sp.cols {
				v := math.Round(sp.hu(k, r, c)) + 1024
				f.Raw16[r*sp.cols+c] = uint16(min(max(v, 0), 65535))
			}
		}
		vol.Frames = append(vol.Frames, f)
	}
	s.Geometry = g
	return s, vol
}
