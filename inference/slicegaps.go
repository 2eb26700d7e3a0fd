package inference

import "github.com/myeloview/myeloview/dicomio"

// maxLinkGapDepths is how many slice depths (sliceDepth) apart two adjacent
// slices' centres may lie for a finding to continue from one to the other:
// two, so that a series of slices as thick as their spacing still joins
// across one missing slice (a file that would not decode), while a sparse
// series, whose thin slices lie centimetres apart, is measured slice by
// slice. Thin slices spaced more than twice their thickness apart are
// split wherever they lie over minLinkGapMM apart.
const maxLinkGapDepths = 2

// minLinkGapMM: slices whose centres lie at most this far apart always
// join, however thin (say 1 mm slices every 2.5 mm): 5 mm is the widest
// reconstruction interval of routine body CT and of the training
// phantoms, so such a series is a volume, not a set of separate images.
const minLinkGapMM = 5.0

// gapTolerance absorbs rounding of Image Position (Patient), which is a
// decimal string (PS3.5 6.2, DS).
const gapTolerance = 1e-3

// sliceBreaks reports, for each of the n sorted slices, whether its voxels
// must not connect to those of the slice before: true where the two
// slices' positions along the normal lie more than maxLinkGapDepths slice
// depths and more than minLinkGapMM apart. Without it a sparse series (say ten 2.5 mm slices from the
// pelvis to the neck, 7.5 to 115 mm apart) joins a blob on one slice with
// one at the same place on a slice 10 cm away into one "finding" with a
// centre on neither slice and a 100 mm extent. nil means every slice links
// to the one before: positions unknown (the geometry is a guess), fewer
// than two slices, or no gap wide enough.
func sliceBreaks(g *dicomio.Geometry, n int, depth float64) []bool {
	if !g.Known || n < 2 || len(g.Origins) < n || !(depth > 0) {
		return nil
	}
	lo, _ := contiguousRuns(g, n, max(maxLinkGapDepths*depth, minLinkGapMM)+gapTolerance)
	var breaks []bool
	for s := 1; s < n; s++ {
		if lo[s] == s { // s starts a run: the gap before it is too wide
			if breaks == nil {
				breaks = make([]bool, n)
			}
			breaks[s] = true
		}
	}
	return breaks
}
