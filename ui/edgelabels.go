package ui

import (
	"fyne.io/fyne/v2"

	"github.com/myeloview/myeloview/dicomio"
)

// edgeLabels are the patient-direction letters shown at the middle of the
// top, right, bottom and left edges of the view (PS3.3 C.7.6.1.1.1), as
// reading viewers do: "A" at the top of an axial slice, "L" at its right.
// They follow the image axes (orientation.edges turns them with the view). Without a
// known geometry they come from the shown frame's Patient Orientation, as
// radiographs carry it (po; dicomio.OrientationEdges), else they are empty.
func edgeLabels(g dicomio.Geometry, po []string) [4]string {
	if !g.Known {
		edges, _ := dicomio.OrientationEdges(po)
		return edges
	}
	return [4]string{
		dicomio.PatientDirection(g.ColDir.Scale(-1)),
		dicomio.PatientDirection(g.RowDir),
		dicomio.PatientDirection(g.ColDir),
		dicomio.PatientDirection(g.RowDir.Scale(-1)),
	}
}

// edgeLayout is what edgePositions needs to know of a view: its size, the
// corner texts and how they are laid out, and the colour bar if shown.
type edgeLayout struct {
	Width, Height float32
	Corners       [4][]string // top left, top right, bottom left, bottom right
	TextWidth     func(string) float32
	LineHeight    float32
	Pad           float32 // distance of the corner texts from the edges
	// MarkRight is the right end of the research-use mark's box, bottom
	// left; MarkHeight is the height the bottom-left lines stand on.
	MarkRight, MarkHeight float32
	// BarTop is the top of the colour bar at the right edge, or 0 when
	// there is none.
	BarTop float32
}

// edgeGap is the least horizontal space between an edge label and a
// corner text on the same line.
const edgeGap = 4

// edgePositions places the four edge labels (top-left corners of their
// text). The top and bottom labels sit at the middle of their edge, moved
// inwards by whole lines while they would cover a corner text; the right
// label goes above the colour bar when one is shown.
func edgePositions(labels [4]string, l edgeLayout) [4]fyne.Position {
	var at [4]fyne.Position
	tl, tr, bl, br := l.Corners[0], l.Corners[1], l.Corners[2], l.Corners[3]
	lineEnd := func(lines []string, i int) float32 { // right end of a left text line
		if i < 0 || i >= len(lines) {
			return 0
		}
		return l.Pad + l.TextWidth(lines[i])
	}
	lineStart := func(lines []string, i int) float32 { // left end of a right text line
		if i < 0 || i >= len(lines) {
			return l.Width
		}
		return l.Width - l.Pad - l.TextWidth(lines[i])
	}
	fits := func(w, leftEnd, rightStart float32) bool {
		cx := l.Width / 2
		return leftEnd+edgeGap <= cx-w/2 && cx+w/2+edgeGap <= rightStart
	}

	w := l.TextWidth(labels[0])
	row := 0
	for row < max(len(tl), len(tr)) && !fits(w, lineEnd(tl, row), lineStart(tr, row)) {
		row++
	}
	at[0] = fyne.NewPos((l.Width-w)/2, l.Pad+float32(row)*l.LineHeight)

	// Bottom rows count up from the edge: row 0 holds the research mark
	// and the last bottom-right line; the bottom-left lines stand on the mark.
	w = l.TextWidth(labels[2])
	row = 0
	for ; row <= max(len(bl), len(br)); row++ {
		leftEnd := l.MarkRight
		if row > 0 {
			leftEnd = lineEnd(bl, len(bl)-row)
		}
		if fits(w, leftEnd, lineStart(br, len(br)-1-row)) {
			break
		}
	}
	y := l.Height - l.Pad - l.LineHeight*float32(row+1)
	if row > 0 {
		y -= l.MarkHeight - l.LineHeight
	}
	at[2] = fyne.NewPos((l.Width-w)/2, y)

	w = l.TextWidth(labels[1])
	y = (l.Height - l.LineHeight) / 2
	if l.BarTop > 0 {
		y = l.BarTop - l.LineHeight - edgeGap
	}
	at[1] = fyne.NewPos(l.Width-l.Pad-w, y)
	at[3] = fyne.NewPos(l.Pad, (l.Height-l.LineHeight)/2)
	return at
}

// clearOfMark returns the bottom-right lines, with an empty last line
// added when the real last one would run into the research-use mark
// (whose box ends at markRight) in a narrow view: the mark is drawn last,
// so it would hide that line.
func clearOfMark(br []string, width func(string) float32, viewW, pad, markRight float32) []string {
	if n := len(br); n > 0 && viewW-pad-width(br[n-1]) < markRight+edgeGap {
		return append(br[:n:n], "")
	}
	return br
}
