package dicomio

import (
	"math"
	"sort"
)

// obliqueLetterMin is the smallest component of a unit direction that
// still earns a letter: below it (about 14.5° off an axis) the direction
// is named by its main axis alone.
const obliqueLetterMin = 0.25

// PatientDirection names the patient direction of v with the letters of
// Patient Orientation (PS3.3 C.7.6.1.1.1): L or R along x, P or A along
// y, H or F along z, main direction first, then the other axes whose
// share exceeds obliqueLetterMin ("LP" for a direction mostly left, a
// little posterior). It is "" for a zero vector. Viewers show these at
// the edges of the image; the right edge shows the row direction.
func PatientDirection(v Vec3) string {
	length := v.Norm()
	if length == 0 || math.IsNaN(length) || math.IsInf(length, 0) {
		return ""
	}
	letters := [3][2]byte{{'L', 'R'}, {'P', 'A'}, {'H', 'F'}}
	type part struct {
		share  float64
		letter byte
	}
	var parts []part
	for axis, c := range v {
		share := math.Abs(c) / length
		if share <= obliqueLetterMin {
			continue
		}
		l := letters[axis][0]
		if c < 0 {
			l = letters[axis][1]
		}
		parts = append(parts, part{share, l})
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].share > parts[j].share })
	out := make([]byte, len(parts))
	for i, p := range parts {
		out[i] = p.letter
	}
	return string(out)
}
