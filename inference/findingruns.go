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
// PeakVoxel; ErrFindingNotInMaps when there is none, when two findings
// name one component, or when the component's voxel count or slices are
// not the finding's (a finding of another result or threshold), and then
// fn is not called. Costs a labelling of the maps, as Findings does; safe
// to call concurrently.
func FindingRuns(res *Result, t float64, findings []Finding, fn func(id, slice, row, c0, c1 int)) error {
	if !(t > 0 && t < 1) {
		return fmt.Errorf("%w: %v", ErrThreshold, t)
	}
	in := res.findingInput()
	comps, err := labelComponents(in.maps, in.rows, in.cols, quantThreshold(t), in.sliceBreaks())
	if err != nil {
		return err
	}
	idOf := map[int32]int{}
	claimed := map[int32]Finding{}
	for _, f := range findings {
		s, r, c := f.PeakVoxel[2], f.PeakVoxel[1], f.PeakVoxel[0]
		found := false
		if s >= 0 && s < comps.slices && r >= 0 && r < comps.rows {
			rr := comps.rowRange(s, r)
			for i := rr[0]; i < rr[1]; i++ {
				if ru := comps.runs[i]; int(ru.start) <= c && c < int(ru.end) {
					if other, dup := claimed[comps.label[i]]; dup {
						return fmt.Errorf("%w: findings %d and %d are one component", ErrFindingNotInMaps, other.ID, f.ID)
					}
					idOf[comps.label[i]], claimed[comps.label[i]], found = f.ID, f, true
				}
			}
		}
		if !found {
			return fmt.Errorf("%w: finding %d at voxel %v", ErrFindingNotInMaps, f.ID, f.PeakVoxel)
		}
	}
	// Check each claimed component against its finding, then report.
	voxels := map[int32]int{}
	for s := range comps.slices {
		for r := range comps.rows {
			rr := comps.rowRange(s, r)
			for i := rr[0]; i < rr[1]; i++ {
				l := comps.label[i]
				f, ok := claimed[l]
				if !ok {
					continue
				}
				if s < f.SliceRange[0] || s > f.SliceRange[1] {
					return fmt.Errorf("%w: finding %d has voxels on slice %d, outside its slices %v", ErrFindingNotInMaps, f.ID, s, f.SliceRange)
				}
				voxels[l] += int(comps.runs[i].end - comps.runs[i].start)
			}
		}
	}
	for l, f := range claimed {
		if voxels[l] != f.Voxels {
			return fmt.Errorf("%w: finding %d holds %d voxels, its component here %d", ErrFindingNotInMaps, f.ID, f.Voxels, voxels[l])
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
