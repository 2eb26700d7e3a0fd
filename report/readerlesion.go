package report

import (
	"math"
	"sort"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
)

// ReaderLesion is a lesion the reader marked in the viewer (J: an ellipse
// drawn around it on an acquired slice), most often one the model missed.
// With the findings' verdicts (Finding.Review: true and false positives)
// the marks complete a reader study's record: the false negatives. Voxel
// coordinates and Slice count from 0, as Finding.CenterVoxel and
// SliceRange do; mm are patient coordinates (LPS).
type ReaderLesion struct {
	ID          int        `json:"id"` // 1 … N in slice order
	CenterMM    [3]float64 `json:"center_mm"`
	CenterVoxel [3]float64 `json:"center_voxel"`
	// AxesMM are the drawn ellipse's axes, along the rows (across the
	// columns) and along the columns; DiameterMM is the larger.
	AxesMM         [2]float64 `json:"axes_mm"`
	DiameterMM     float64    `json:"diameter_mm"`
	MeanHU         *float64   `json:"mean_hu"` // inside the ellipse; null when the slice could not be read
	Slice          int        `json:"slice"`
	SOPInstanceUID string     `json:"sop_instance_uid"`
	Frame          int        `json:"frame"` // in that instance, from 1
	// FindingID is the model finding that found this lesion by the rule the
	// model was evaluated with (inference.MatchRadiusMM), the nearest when
	// several did; 0 when none did, at the export's threshold.
	FindingID int `json:"finding_id"`
}

// LesionMark is a lesion mark as the viewer holds it: the box of its
// ellipse on slice Slice (continuous image coordinates: pixel (c, r) spans
// c…c+1, r…r+1), the slice's pixel spacing (rows, columns; mm) and the
// mean modality value inside (NaN when unknown).
type LesionMark struct {
	Slice          int
	X0, Y0, X1, Y1 float64
	Spacing        [2]float64
	MeanHU         float64
}

// nearestMatch is the ID of the finding nearest the lesion at centerMM,
// diameterMM across, among those that found it (Finding.Matches); 0 when
// none did. found, when set, is called with the index of each that did.
func nearestMatch(findings []inference.Finding, centerMM [3]float64, diameterMM float64, found func(i int)) int {
	id, nearest := 0, math.Inf(1)
	for i, f := range findings {
		if !f.Matches(centerMM, diameterMM) {
			continue
		}
		if found != nil {
			found(i)
		}
		if d := dicomio.Vec3(f.CenterMM).Sub(dicomio.Vec3(centerMM)).Norm(); d < nearest {
			id, nearest = f.ID, d
		}
	}
	return id
}

// AxesMM are the axes of m's ellipse in millimetres, along the rows (across
// the columns) and along the columns, and its diameter, the larger; false
// when the spacing is unknown.
func (m LesionMark) AxesMM() (axes [2]float64, diameter float64, ok bool) {
	if !(m.Spacing[0] > 0) || !(m.Spacing[1] > 0) {
		return axes, 0, false
	}
	axes = [2]float64{math.Abs(m.X1-m.X0) * m.Spacing[1], math.Abs(m.Y1-m.Y0) * m.Spacing[0]}
	return axes, max(axes[0], axes[1]), true
}

// ReaderLesionsOf describes the lesion marks on series s, matched to the
// model's findings on it, in slice order (drawing order within a slice).
// Marks on no slice of s, or on a slice without a pixel spacing, whose
// size in mm is unknown, are left out.
func ReaderLesionsOf(s *dicomio.Series, marks []LesionMark, findings []inference.Finding) []ReaderLesion {
	marks = append([]LesionMark(nil), marks...)
	sort.SliceStable(marks, func(i, j int) bool { return marks[i].Slice < marks[j].Slice })
	out := []ReaderLesion{}
	for _, m := range marks {
		axes, diameter, ok := m.AxesMM()
		if m.Slice < 0 || m.Slice >= len(s.Frames) || !ok {
			continue
		}
		// The voxel index of the box's centre: pixel c's centre is at c + ½.
		col, row := (m.X0+m.X1)/2-0.5, (m.Y0+m.Y1)/2-0.5
		l := ReaderLesion{
			ID:          len(out) + 1,
			CenterMM:    round3([3]float64(s.Geometry.VoxelToPatient(col, row, float64(m.Slice)))),
			CenterVoxel: round3([3]float64{col, row, float64(m.Slice)}),
			AxesMM:      [2]float64{round6(axes[0]), round6(axes[1])},
			DiameterMM:  round6(diameter),
			MeanHU:      finiteOrNil(round6(m.MeanHU)),
			Slice:       m.Slice,
		}
		if ref := s.Frames[m.Slice]; ref.Instance != nil {
			l.SOPInstanceUID, l.Frame = ref.Instance.SOPInstanceUID, ref.Index+1
		}
		l.FindingID = nearestMatch(findings, l.CenterMM, l.DiameterMM, nil)
		out = append(out, l)
	}
	return out
}
