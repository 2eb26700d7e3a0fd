package inference

import "github.com/myeloview/myeloview/dicomio"

// MaskFindings measures the lesions of a reference mask over series s
// (masks: one rows×cols mask per sorted slice, non-zero inside, nil for an
// empty slice; from a reader's or another tool's segmentation) exactly as
// the model's findings are measured: 26-connected components (not across
// a wide gap between slices: sliceBreaks), their
// centres, extents and volumes through s's geometry, their mean HU from
// s's slices; components whose DiameterMM is under minMM are dropped.
// MaxProbability is 1 for every one. So that findings and a reference are
// compared on equal terms (Finding.Matches). It holds a byte per pixel of
// the slices with a mask.
func MaskFindings(s *dicomio.Series, masks [][]uint8, minMM float64) ([]Finding, error) {
	in := maskInput(s, masks)
	in.minMM = minMM
	return computeFindings(in, 0.5)
}

// MaskLesion measures every voxel of masks as one lesion, its pieces
// together (even across a wide gap between slices), as MaskFindings measures each component: for a segment that
// stands for one lesion, which partial volume or a breached cortex may cut
// in pieces. Its extent is that of the pieces' common bounding box. ok is
// false when the masks hold no voxel.
func MaskLesion(s *dicomio.Series, masks [][]uint8) (f Finding, ok bool, err error) {
	in := maskInput(s, masks)
	in.oneRegion = true
	fs, err := computeFindings(in, 0.5)
	if err != nil || len(fs) == 0 {
		return Finding{}, false, err
	}
	return fs[0], true, nil
}

// maskInput is masks over s as probability maps (255 inside) with s's
// geometry and pixels.
func maskInput(s *dicomio.Series, masks [][]uint8) findingInput {
	rows, cols := s.Rows(), s.Cols()
	maps := make([][]uint8, len(masks))
	empty := make([]uint8, rows*cols) // shared by the slices without a mask, never written
	for k, m := range masks {
		if m == nil {
			maps[k] = empty
			continue
		}
		maps[k] = make([]uint8, rows*cols)
		for i := 0; i < len(m) && i < len(maps[k]); i++ {
			if m[i] != 0 {
				maps[k][i] = 255
			}
		}
	}
	in := findingInput{maps: maps, rows: rows, cols: cols, geom: s.Geometry, frames: s.Frames, pixels: seriesFrames(s)}
	in.geom, _ = voxelSize(in.geom)
	return in
}
