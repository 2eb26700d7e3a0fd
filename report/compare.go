package report

import (
	"fmt"
	"slices"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
)

// How the lesions of a reference segmentation are told apart
// (Reference.LesionsBy).
const (
	// LesionsByComponent: each 26-connected component of the union of the
	// lesion segments (not across a wide gap between slices, as findings:
	// inference.MaskFindings) is a lesion, as component-based evaluations
	// (autoPET, say) count. A lesion that partial volume or a breached
	// cortex cuts in pieces counts as several; touching lesions of
	// different segments, as one.
	LesionsByComponent = "components"
	// LesionsBySegment: each lesion segment is one lesion, its pieces
	// measured together (inference.MaskLesion), for segmentations made
	// one segment per lesion (MyeloView's findings and its phantoms'
	// ground truth are). Two segmentations that mark the same lesion (two
	// readers) give it twice; components merge them.
	LesionsBySegment = "segments"
)

// CompareWithReference sets entry.Reference from the segmentations of cat
// that lie on series s (analysed as res): the lesions of their segments
// categorised as morphologically abnormal structures (all segments of a
// segmentation that categorises none so, with a warning), told apart as
// lesionsBy says (LesionsByComponent or LesionsBySegment), measured as
// findings are and compared with them (ScoreReference, which
// counts apart the lesions under the model's min_lesion_mm). What cannot
// be compared, or only in part, comes back as warnings: no segmentation
// on the series, frames that lie on none of its slices or cannot be read,
// MyeloView's own findings given as the reference. A segmentation of
// which no lesion frame could be read is not compared.
func CompareWithReference(entry *Series, cat *dicomio.Catalog, s *dicomio.Series, res *inference.Result, lesionsBy string) (warnings []string, err error) {
	if lesionsBy != LesionsByComponent && lesionsBy != LesionsBySegment {
		return nil, fmt.Errorf("reference lesions by %q: want %q or %q", lesionsBy, LesionsByComponent, LesionsBySegment)
	}
	segs := cat.SegmentationsOn(s)
	if len(segs) == 0 {
		return []string{"no reference segmentation lies on this series"}, nil
	}
	union := make([][]uint8, len(s.Frames))
	var bySegment []inference.Finding
	var sops, labels []string
	for _, seg := range segs {
		name := "reference segmentation " + seg.SOPInstanceUID
		sg := seg.Segmentation
		if sg.ContentLabel == SEGContentLabel {
			warnings = append(warnings, name+" holds MyeloView's own findings")
		}
		lesion := map[int]bool{}
		for _, sgm := range sg.Segments {
			if sgm.Category.Is(dicomio.MorphologicallyAbnormal) {
				lesion[sgm.Number] = true
			}
		}
		if len(lesion) == 0 && len(sg.Segments) > 0 {
			warnings = append(warnings, fmt.Sprintf("%s: no segment is categorised as a morphologically abnormal structure; all %d taken as lesions", name, len(sg.Segments)))
			for _, sgm := range sg.Segments {
				lesion[sgm.Number] = true
			}
		}
		placed, onSlices := s.SegmentationFrames(seg), 0
		for _, frames := range placed {
			onSlices += len(frames)
		}
		if onSlices < seg.Pixel.NumberOfFrames {
			warnings = append(warnings, fmt.Sprintf("%s: %d of its %d frames lie on no slice of this series", name, seg.Pixel.NumberOfFrames-onSlices, seg.Pixel.NumberOfFrames))
		}
		var read bool
		var unreadable int
		if lesionsBy == LesionsBySegment {
			var mine []inference.Finding
			if mine, read, unreadable, err = segmentLesions(s, seg, placed, lesion); err != nil {
				return warnings, err
			}
			bySegment = append(bySegment, mine...)
		} else {
			read, unreadable = unionMasks(s, seg, placed, lesion, union)
		}
		if unreadable > 0 {
			warnings = append(warnings, fmt.Sprintf("%s: %d frames could not be read", name, unreadable))
		}
		if !read {
			warnings = append(warnings, name+": no lesion frame of it was read on this series: not compared")
			continue
		}
		sops = append(sops, seg.SOPInstanceUID)
		for _, sgm := range sg.Segments {
			if lesion[sgm.Number] {
				labels = append(labels, sgm.Label)
			}
		}
	}
	if len(sops) == 0 {
		return append(warnings, "no reference segmentation could be compared on this series"), nil
	}
	lesions := bySegment // largest first across files, as MaskFindings numbers components
	slices.SortStableFunc(lesions, func(a, b inference.Finding) int { return b.Voxels - a.Voxels })
	if lesionsBy == LesionsByComponent {
		if lesions, err = inference.MaskFindings(s, union, 0); err != nil {
			return warnings, err
		}
	}
	entry.Reference = ScoreReference(res.Findings, lesions, res.MinLesionMM, sops)
	entry.Reference.LesionsBy = lesionsBy
	entry.Reference.Segments = append(entry.Reference.Segments, labels...)
	return warnings, nil
}

// unionMasks ORs the lesion segments of seg into union (one mask per
// slice of s); read is false when no frame of them was read.
func unionMasks(s *dicomio.Series, seg *dicomio.Instance, placed map[int][]int, lesion map[int]bool, union [][]uint8) (read bool, unreadable int) {
	masks, unreadable := s.SegmentationMasks(seg, placed, func(n int) bool { return lesion[n] })
	for k, m := range masks {
		switch {
		case m == nil:
		case union[k] == nil:
			union[k], read = m, true
		default:
			read = true
			for i, v := range m {
				union[k][i] |= v
			}
		}
	}
	return read, unreadable
}

// segmentLesions measures each lesion segment of seg that has a voxel on
// s as one lesion (inference.MaskLesion); read is false when no frame of
// a lesion segment was read, as for unionMasks.
func segmentLesions(s *dicomio.Series, seg *dicomio.Instance, placed map[int][]int, lesion map[int]bool) (lesions []inference.Finding, read bool, unreadable int, err error) {
	for _, sgm := range seg.Segmentation.Segments {
		if !lesion[sgm.Number] {
			continue
		}
		masks, n := s.SegmentationMasks(seg, placed, func(k int) bool { return k == sgm.Number })
		unreadable += n
		if !slices.ContainsFunc(masks, func(m []uint8) bool { return m != nil }) {
			continue // no frame of it on s
		}
		read = true
		f, ok, err := inference.MaskLesion(s, masks)
		if err != nil {
			return nil, read, unreadable, err
		}
		if ok {
			lesions = append(lesions, f)
		}
	}
	return lesions, read, unreadable, nil
}

// ReferenceSummary pools the series' comparisons with their references:
// lesions found, of all sizes and of 5 mm and more, and false positives
// per series compared.
func ReferenceSummary(series []Series) string {
	var n, lesions, found, lesions5, found5, fp int
	for _, s := range series {
		r := s.Reference
		if r == nil {
			continue
		}
		n++
		lesions, found, fp = lesions+len(r.Lesions), found+r.Found, fp+r.FalsePositives
		for _, l := range r.Lesions {
			if l.DiameterMM >= 5 {
				lesions5++
				if l.FindingID != 0 {
					found5++
				}
			}
		}
	}
	if n == 0 {
		return "reference: no series had a reference segmentation"
	}
	return fmt.Sprintf("reference: %d of %d lesions found (%d of %d of 5 mm or more), %d false positives in %d series (%.2f per series)",
		found, lesions, found5, lesions5, fp, n, float64(fp)/float64(n))
}
