package cli

import (
	"fmt"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/report"
)

// compareWithReference sets entry.Reference from the segmentations of cat
// that lie on series s (analysed as res): their lesions against the
// findings (report.ScoreReference). Without one it returns a warning; an
// unreadable segmentation is an error of the series.
func compareWithReference(entry *report.Series, cat *dicomio.Catalog, s *dicomio.Series, res *inference.Result) (warning string, err error) {
	segs := cat.SegmentationsOn(s)
	if len(segs) == 0 {
		return "no reference segmentation lies on this series", nil
	}
	union := make([][]uint8, len(s.Frames))
	var sops []string
	for _, seg := range segs {
		masks, err := s.SegmentationMasks(seg)
		if err != nil {
			return "", fmt.Errorf("reference segmentation %s: %w", seg.Path, err)
		}
		for k, m := range masks {
			if m == nil {
				continue
			}
			if union[k] == nil {
				union[k] = m
				continue
			}
			for i, v := range m {
				union[k][i] |= v
			}
		}
		sops = append(sops, seg.SOPInstanceUID)
	}
	lesions, err := inference.MaskFindings(s, union, 0)
	if err != nil {
		return "", err
	}
	entry.Reference = report.ScoreReference(res.Findings, lesions, sops)
	return "", nil
}

// referenceSummary pools the series' comparisons with their references:
// lesions found, of all sizes and of 5 mm and more, and false positives
// per series compared.
func referenceSummary(series []report.Series) string {
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
