package ui

import (
	"fmt"
	"math"
)

// measurement is a ruler line on one slice, its ends in image coordinates
// (continuous column, row), so it stays on the anatomy when the view is
// zoomed or panned.
type measurement struct {
	Slice  int
	X0, Y0 float64
	X1, Y1 float64
}

// lengthMM is the measurement's length in millimetres through the pixel
// spacing (row spacing, column spacing; PS3.3 10.7.1.3), and false when the
// spacing is unknown.
func (m measurement) lengthMM(spacing [2]float64) (float64, bool) {
	if !(spacing[0] > 0) || !(spacing[1] > 0) {
		return 0, false
	}
	dx := (m.X1 - m.X0) * spacing[1]
	dy := (m.Y1 - m.Y0) * spacing[0]
	return math.Hypot(dx, dy), true
}

// lengthPixels is the length in image pixels.
func (m measurement) lengthPixels() float64 { return math.Hypot(m.X1-m.X0, m.Y1-m.Y0) }

// label is the text drawn beside the measurement.
func (m measurement) label(spacing [2]float64) string {
	if mm, ok := m.lengthMM(spacing); ok {
		return fmt.Sprintf("%.1f mm", mm)
	}
	return fmt.Sprintf("%.1f px", m.lengthPixels())
}
