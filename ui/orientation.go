package ui

import "strings"

// orientation is one of the eight ways to put an image on screen, as
// reading viewers offer for radiographs hung the wrong way: mirrored left
// to right first when Flip, then turned Quarter × 90° clockwise. The zero
// value shows the image as stored.
type orientation struct {
	Quarter int // 0–3 clockwise quarter turns
	Flip    bool
}

// matrix is the map from image offsets (x right, y down, in units of
// the scale) to view offsets: [a b; c d], entries 0 and ±1.
func (o orientation) matrix() (a, b, c, d float64) {
	a, b, c, d = 1, 0, 0, 1
	if o.Flip {
		a = -1
	}
	for range ((o.Quarter % 4) + 4) % 4 {
		// a clockwise quarter turn on screen (y down): (x, y) → (−y, x)
		a, b, c, d = -c, -d, a, b
	}
	return a, b, c, d
}

// toView maps an image offset to a view offset.
func (o orientation) toView(x, y float64) (float64, float64) {
	a, b, c, d := o.matrix()
	return a*x + b*y, c*x + d*y
}

// toImage maps a view offset to an image offset (the matrix is
// orthogonal: its inverse is its transpose).
func (o orientation) toImage(x, y float64) (float64, float64) {
	a, b, c, d := o.matrix()
	return a*x + c*y, b*x + d*y
}

// transposed reports a quarter or three-quarter turn: image columns run
// down the screen.
func (o orientation) transposed() bool { return o.Quarter%2 != 0 }

// rotated returns o turned by quarters × 90° clockwise on screen
// (negative: anticlockwise).
func (o orientation) rotated(quarters int) orientation {
	o.Quarter = ((o.Quarter+quarters)%4 + 4) % 4
	return o
}

// flippedHorizontally returns o mirrored left to right on screen: F·R^q =
// R^−q·F.
func (o orientation) flippedHorizontally() orientation {
	return orientation{Quarter: (4 - o.Quarter%4) % 4, Flip: !o.Flip}
}

// flippedVertically returns o mirrored top to bottom on screen: a
// half turn after a left–right mirror.
func (o orientation) flippedVertically() orientation {
	return o.flippedHorizontally().rotated(2)
}

// edges permutes the patient-direction letters of the image's top, right,
// bottom and left edges to those of the view's.
func (o orientation) edges(image [4]string) [4]string {
	// outward directions of the view's edges: top, right, bottom, left
	dirs := [4][2]float64{{0, -1}, {1, 0}, {0, 1}, {-1, 0}}
	var out [4]string
	for i, e := range dirs {
		x, y := o.toImage(e[0], e[1])
		for j, d := range dirs {
			if x == d[0] && y == d[1] {
				out[i] = image[j]
			}
		}
	}
	return out
}

// String describes o for the corner text ("Rotated 90°, flipped"); "" as
// stored.
func (o orientation) String() string {
	q := ((o.Quarter % 4) + 4) % 4
	turn := []string{"", "rotated 90° right", "rotated 180°", "rotated 90° left"}[q]
	switch {
	case o.Flip && q == 2:
		return "Flipped top–bottom"
	case o.Flip && q == 0:
		return "Flipped left–right"
	case o.Flip:
		return "Flipped left–right, " + turn
	case q != 0:
		return strings.ToUpper(turn[:1]) + turn[1:]
	}
	return ""
}
