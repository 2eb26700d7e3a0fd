package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/myeloview/myeloview/dicomio"
)

func TestEdgeLabels(t *testing.T) {
	for _, tc := range []struct {
		name           string
		rowDir, colDir dicomio.Vec3
		known          bool
		po             []string  // Patient Orientation
		want           [4]string // top, right, bottom, left
	}{
		{"axial", dicomio.Vec3{1, 0, 0}, dicomio.Vec3{0, 1, 0}, true, nil, [4]string{"A", "L", "P", "R"}},
		{"axial, rows stored anterior-up", dicomio.Vec3{1, 0, 0}, dicomio.Vec3{0, -1, 0}, true, nil, [4]string{"P", "L", "A", "R"}},
		{"coronal", dicomio.Vec3{1, 0, 0}, dicomio.Vec3{0, 0, -1}, true, nil, [4]string{"H", "L", "F", "R"}},
		{"sagittal", dicomio.Vec3{0, 1, 0}, dicomio.Vec3{0, 0, -1}, true, nil, [4]string{"H", "P", "F", "A"}},
		{"orientation guessed", dicomio.Vec3{1, 0, 0}, dicomio.Vec3{0, 1, 0}, false, nil, [4]string{}},
		{"a PA chest radiograph: Patient Orientation", dicomio.Vec3{1, 0, 0}, dicomio.Vec3{0, 1, 0}, false,
			[]string{"L", "F"}, [4]string{"H", "L", "F", "R"}},
		{"geometry known: Patient Orientation not needed", dicomio.Vec3{1, 0, 0}, dicomio.Vec3{0, 1, 0}, true,
			[]string{"L", "F"}, [4]string{"A", "L", "P", "R"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := dicomio.Geometry{RowDir: tc.rowDir, ColDir: tc.colDir, Known: tc.known}
			if got := edgeLabels(g, tc.po); got != tc.want {
				t.Errorf("edgeLabels = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEdgePositions(t *testing.T) {
	// every character 10 wide, lines 15 high, a 400×300 view
	layout := func(corners [4][]string, barTop float32) edgeLayout {
		return edgeLayout{Width: 400, Height: 300, Corners: corners,
			TextWidth:  func(s string) float32 { return float32(10 * len(s)) },
			LineHeight: 15, Pad: 6, MarkRight: 100, MarkHeight: 19, BarTop: barTop}
	}
	labels := [4]string{"A", "L", "P", "R"}
	long := "0123456789012345678901" // 220 wide: reaches past the middle from either side

	t.Run("free corners: middle of each edge", func(t *testing.T) {
		at := edgePositions(labels, layout([4][]string{}, 0))
		want := [4]fyne.Position{{X: 195, Y: 6}, {X: 384, Y: 142.5}, {X: 195, Y: 279}, {X: 6, Y: 142.5}}
		if at != want {
			t.Errorf("positions %v, want %v", at, want)
		}
	})
	t.Run("long corner lines push top and bottom labels inwards", func(t *testing.T) {
		corners := [4][]string{
			{long, "short"},      // top left: the first line covers the middle
			{"x", long, "x"},     // top right: so does its second
			{long, "short"},      // bottom left, above the mark: the lower line is short
			{"short", "x", long}, // bottom right: its last line is on the bottom row
		}
		at := edgePositions(labels, layout(corners, 0))
		if at[0].Y != 6+2*15 {
			t.Errorf("top label at y %v, want on the third line (%v)", at[0].Y, 6+2*15)
		}
		// bottom rows: 0 = mark + "long" (covered), 1 = "short" + "x" (clear)
		if want := float32(300 - 6 - 19 - 15); at[2].Y != want {
			t.Errorf("bottom label at y %v, want on the first line above the mark (%v)", at[2].Y, want)
		}
	})
	t.Run("colour bar: the right label goes above it", func(t *testing.T) {
		at := edgePositions(labels, layout([4][]string{}, 70))
		if want := float32(70 - 15 - edgeGap); at[1].Y != want {
			t.Errorf("right label at y %v, want %v", at[1].Y, want)
		}
	})
}

func TestClearOfMark(t *testing.T) {
	width := func(s string) float32 { return float32(10 * len(s)) }
	br := []string{"W 400 L 40", "Zoom 1.00x"} // 100 wide
	// A 400-wide view: the last line starts at 294, clear of a mark ending at 250.
	if got := clearOfMark(br, width, 400, 6, 250); len(got) != 2 {
		t.Errorf("wide view: %q, want the lines as they are", got)
	}
	// A 320-wide view: it would start at 214, under the mark.
	got := clearOfMark(br, width, 320, 6, 250)
	if len(got) != 3 || got[2] != "" || got[1] != "Zoom 1.00x" {
		t.Errorf("narrow view: %q, want the lines lifted by one empty line", got)
	}
	if len(br) != 2 {
		t.Error("the caller's slice was changed")
	}
}
