package report

import (
	"fmt"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
)

// CompareWithReference sets entry.Reference from the segmentations of cat
// that lie on series s (analysed as res): the lesions of their segments
// categorised as morphologically abnormal structures (all segments of a
// segmentation that categorises none so, with a warning), measured as
// findings are and compared with them (ScoreReference, which
// counts apart the lesions under the model's min_lesion_mm). What cannot
// be compared, or only in part, comes back as warnings: no segmentation
// on the series, frames that lie on none of its slices or cannot be read,
// MyeloView's own findings given as the reference. A segmentation of
// which no lesion frame could be read is not compared.
func CompareWithReference(entry *Series, cat *dicomio.Catalog, s *dicomio.Series, res *inference.Result) (warnings []string, err error) {
	segs := cat.SegmentationsOn(s)
	if len(segs) == 0 {
		return []string{"no reference segmentation lies on this series"}, nil
	}
	union := make([][]uint8, len(s.Frames))
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
		masks, unreadable := s.SegmentationMasks(seg, placed, func(n int) bool { return lesion[n] })
		if unreadable > 0 {
			warnings = append(warnings, fmt.Sprintf("%s: %d frames could not be read", name, unreadable))
		}
		read := false
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
	lesions, err := inference.MaskFindings(s, union, 0)
	if err != nil {
		return warnings, err
	}
	entry.Reference = ScoreReference(res.Findings, lesions, res.MinLesionMM, sops)
	entry.Reference.Segments = append(entry.Reference.Segments, labels...)
	return warnings, nil
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
