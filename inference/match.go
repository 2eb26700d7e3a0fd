package inference

import (
	"math"

	"github.com/myeloview/myeloview/dicomio"
)

// MatchRadiusMM is how far a finding's centre may lie from the centre of a
// lesion diameterMM across for the finding to have found it: half the
// lesion's diameter, and never under 5 mm. It is the rule the bundled
// model was selected and evaluated with (training/mv/metrics.py, "Lesion-
// level matching" in training/README.md), so that a reader's lesion marks
// are matched to findings as the model's test lesions were.
func MatchRadiusMM(diameterMM float64) float64 { return math.Max(5, diameterMM/2) }

// Matches reports whether finding f found the lesion centred at centerMM
// (patient coordinates, as Finding.CenterMM) and diameterMM across.
func (f Finding) Matches(centerMM [3]float64, diameterMM float64) bool {
	return dicomio.Vec3(f.CenterMM).Sub(dicomio.Vec3(centerMM)).Norm() <= MatchRadiusMM(diameterMM)
}
