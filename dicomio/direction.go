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

// OrientationEdges turns Patient Orientation (0020,0020) into the letters
// of the top, right, bottom and left edges of the image: its first value
// is the direction of the rows (towards the right edge), its second that
// of the columns (towards the bottom edge), each one to three of the
// letters A, P, L, R, H, F (PS3.3 C.7.6.1.1.1); the opposite edges take
// the opposite letters. Radiographs carry no Image Orientation (Patient),
// and this is how a viewer labels them. ok is false for anything else.
func OrientationEdges(po []string) (edges [4]string, ok bool) {
	if len(po) != 2 {
		return edges, false
	}
	opposite := map[rune]rune{'A': 'P', 'P': 'A', 'L': 'R', 'R': 'L', 'H': 'F', 'F': 'H'}
	flip := func(s string) (string, bool) {
		if s == "" || len(s) > 3 {
			return "", false
		}
		out := make([]rune, 0, len(s))
		for _, r := range s {
			o, known := opposite[r]
			if !known {
				return "", false
			}
			out = append(out, o)
		}
		return string(out), true
	}
	row, col := po[0], po[1]
	left, ok1 := flip(row)
	top, ok2 := flip(col)
	if !ok1 || !ok2 {
		return edges, false
	}
	return [4]string{top, row, col, left}, true
}
