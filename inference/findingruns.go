package inference

import (
	"errors"
	"fmt"
)

// ErrFindingNotInMaps: a finding given to FindingRuns is not a component of
// the result's maps at the threshold given (it came from another result or
// threshold).
var ErrFindingNotInMaps = errors.New("finding not in the maps at this threshold")

// FindingRuns calls fn with the voxels of each of findings, which
// Findings(res, t) returned (or a subset): for every horizontal run of a
// finding's voxels, its ID, slice, row and columns [c0, c1), slice by
// slice, row by row. A finding is the connected component holding its
// PeakVoxel. Costs a labelling of the maps, as Findings does; safe to call
// concurrently.
func FindingRuns(res *Result, t float64, findings []Finding, fn func(id, slice, row, c0, c1 int)) error {
	if !(t > 0 && t < 1) {
		return fmt.Errorf("%w: %v", ErrThreshold, t)
	}
	comps, err := labelComponents(res.Maps, res.Rows, res.Cols, quantThreshold(t))
	if err != nil {
		return err
	}
	idOf := map[int32]int{}
	for _, f := range findings {
		s, r, c := f.PeakVoxel[2], f.PeakVoxel[1], f.PeakVoxel[0]
		found := false
		if s >= 0 && s < comps.slices && r >= 0 && r < comps.rows {
			rr := comps.rowRange(s, r)
			for i := rr[0]; i < rr[1]; i++ {
				if ru := comps.runs[i]; int(ru.start) <= c && c < int(ru.end) {
					idOf[comps.label[i]], found = f.ID, true
				}
			}
		}
		if !found {
			return fmt.Errorf("%w: finding %d at voxel %v", ErrFindingNotInMaps, f.ID, f.PeakVoxel)
		}
	}
	for s := range comps.slices {
		for r := range comps.rows {
			rr := comps.rowRange(s, r)
			for i := rr[0]; i < rr[1]; i++ {
				if id, ok := idOf[comps.label[i]]; ok {
					fn(id, s, r, int(comps.runs[i].start), int(comps.runs[i].end))
				}
			}
		}
	}
	return nil
}
