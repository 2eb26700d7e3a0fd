package ui

import (
	"fmt"
	"math"
	"strings"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

// cursorInfo is what lies under the mouse pointer.
type cursorInfo struct {
	Col, Row, Slice int
	// Value is the modality value (HU for CT) or, for modalities without
	// a rescale to physical units, the stored value; NaN when the frame is
	// not decoded. Colour frames give RGB instead.
	Value   float64
	Padding bool // the pixel pads the image (outside the scanned field)
	RGB     [3]int64
	Colour  bool
	Unit    string     // "HU" for CT, else ""
	MM      [3]float64 // patient position (LPS)
	HasMM   bool
	Prob    float64 // lesion probability, when an analysis is shown
	HasProb bool
	// Slab names the thick slab whose value Value is ("MIP", "Avg",
	// "MinIP"; Prob is then the slab's highest); "" for a single slice.
	Slab string
}

// overlayInfo is the state the corner annotations describe. Patient
// fields are only read when ShowPHI is set.
type overlayInfo struct {
	ShowPHI   bool
	Patient   dicomio.Patient
	StudyDate string
	StudyDesc string

	Modality    string
	SeriesLabel string
	Rows, Cols  int

	Slice, Slices int // Slice counts from 0
	Position      float64
	HasPosition   bool
	Thickness     float64
	Spacing       [2]float64
	SpacingNote   string // where Spacing holds on a radiograph (dicomio.SpacingSource.Describe); "" in the patient
	Slab          string // the thick slab shown ("MIP 5 mm slab (5 slices)"), or why none

	Window      render.Window
	HasWindow   bool
	WindowLabel string // preset name, "file", "custom"
	Colour      bool   // colour image: no window
	Zoom        float64
	Invert      bool
	Orientation string // how the image is turned or mirrored (orientation.String)

	// Edges are the patient-direction letters of the top, right, bottom
	// and left edges (edgeLabels).
	Edges [4]string

	Cursor  *cursorInfo
	Status  string // "loading…", a decode error
	Overlay string // description of the analysis overlay, when shown
	Planes  string // the frame's DICOM overlay planes (planesLine)
	// Segments names the segmentation segments over the slice (segmentsLine).
	Segments string
	Tool     string // the left-button tool when not window/level
}

// cornerText lays out the annotations of the four corners of the
// viewport, one string per line, each list read top down. No patient
// identifier appears unless ShowPHI is set.
func cornerText(in overlayInfo) (topLeft, topRight, bottomLeft, bottomRight []string) {
	if in.ShowPHI {
		if s := formatPersonName(in.Patient.Name); s != "" {
			topLeft = append(topLeft, s)
		}
		id := in.Patient.ID
		if id != "" {
			id = "ID " + id
		}
		if b := formatDA(in.Patient.BirthDate); b != "" {
			id = strings.TrimSpace(id + "  born " + b)
		}
		if id != "" {
			topLeft = append(topLeft, id)
		}
		if d := formatDA(in.StudyDate); d != "" {
			topLeft = append(topLeft, "Study "+d)
		}
		if in.StudyDesc != "" {
			topLeft = append(topLeft, in.StudyDesc)
		}
	}
	if in.SeriesLabel != "" {
		topLeft = append(topLeft, in.SeriesLabel)
	}
	if in.Rows > 0 {
		topLeft = append(topLeft, fmt.Sprintf("%d × %d", in.Cols, in.Rows))
	}

	if in.Slices > 0 {
		topRight = append(topRight, fmt.Sprintf("Slice %d/%d", in.Slice+1, in.Slices))
	}
	if in.HasPosition {
		topRight = append(topRight, fmt.Sprintf("Pos %.1f mm", in.Position))
	}
	if in.Thickness > 0 {
		topRight = append(topRight, fmt.Sprintf("Thick %s mm", trimFloat(in.Thickness, 2)))
	}
	if in.Slab != "" {
		topRight = append(topRight, in.Slab)
	}
	if in.Spacing[0] > 0 && in.Spacing[1] > 0 {
		topRight = append(topRight, fmt.Sprintf("Pixel %s × %s mm", trimFloat(in.Spacing[1], 3), trimFloat(in.Spacing[0], 3)))
		if in.SpacingNote != "" {
			topRight = append(topRight, in.SpacingNote)
		}
	}
	if in.Status != "" {
		topRight = append(topRight, in.Status)
	}

	if c := in.Cursor; c != nil {
		bottomLeft = append(bottomLeft, fmt.Sprintf("Voxel (%d, %d, %d)", c.Col, c.Row, c.Slice))
		switch {
		case c.Colour:
			bottomLeft = append(bottomLeft, fmt.Sprintf("RGB %d %d %d", c.RGB[0], c.RGB[1], c.RGB[2]))
		case c.Padding:
			bottomLeft = append(bottomLeft, "Padding (outside the image)")
		case !math.IsNaN(c.Value):
			v := trimFloat(c.Value, 1)
			line := "Value " + v
			if c.Unit != "" {
				line = fmt.Sprintf("%s %s", v, c.Unit)
			}
			if c.Slab != "" {
				line = c.Slab + " " + line
			}
			bottomLeft = append(bottomLeft, line)
		}
		if c.HasMM {
			bottomLeft = append(bottomLeft, fmt.Sprintf("LPS %.1f, %.1f, %.1f mm", c.MM[0], c.MM[1], c.MM[2]))
		}
		if c.HasProb {
			line := fmt.Sprintf("Lesion p %.2f", c.Prob)
			if c.Slab != "" {
				line += " (slab max)"
			}
			bottomLeft = append(bottomLeft, line)
		}
	}

	switch {
	case in.Colour:
		bottomRight = append(bottomRight, "Colour")
	case in.HasWindow:
		wl := fmt.Sprintf("W %s L %s", trimFloat(in.Window.Width, 1), trimFloat(in.Window.Center, 1))
		if in.WindowLabel != "" {
			wl += " (" + in.WindowLabel + ")"
		}
		bottomRight = append(bottomRight, wl)
	}
	if in.Zoom > 0 {
		bottomRight = append(bottomRight, fmt.Sprintf("Zoom %.2f×", in.Zoom))
	}
	if in.Invert {
		bottomRight = append(bottomRight, "Inverted")
	}
	if in.Orientation != "" {
		bottomRight = append(bottomRight, in.Orientation)
	}
	if in.Segments != "" {
		bottomRight = append(bottomRight, in.Segments)
	}
	if in.Planes != "" {
		bottomRight = append(bottomRight, in.Planes)
	}
	if in.Tool != "" {
		bottomRight = append(bottomRight, "Tool: "+in.Tool)
	}
	if in.Overlay != "" {
		bottomRight = append(bottomRight, in.Overlay)
	}
	return topLeft, topRight, bottomLeft, bottomRight
}

// trimFloat formats v with at most prec decimals, without trailing zeros.
func trimFloat(v float64, prec int) string {
	s := fmt.Sprintf("%.*f", prec, v)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// formatDA turns a DICOM date (DA, YYYYMMDD; PS3.5 Table 6.2-1) into
// YYYY-MM-DD, leaving other text as it is.
func formatDA(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" {
		return s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	return s
}

// formatPersonName turns a DICOM person name (PN: family^given^middle^
// prefix^suffix, PS3.5 §6.2.1) into "family, given middle".
func formatPersonName(pn string) string {
	if i := strings.IndexByte(pn, '='); i >= 0 {
		pn = pn[:i] // alphabetic group only
	}
	parts := strings.Split(pn, "^")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	family := parts[0]
	var given []string
	for _, p := range parts[1:min(len(parts), 3)] {
		if p != "" {
			given = append(given, p)
		}
	}
	switch {
	case family == "" && len(given) == 0:
		return ""
	case len(given) == 0:
		return family
	case family == "":
		return strings.Join(given, " ")
	}
	return family + ", " + strings.Join(given, " ")
}

// segmentsLine names the segments of DICOM Segmentations drawn over the
// slice (at most three, then how many more), or says they are hidden (G);
// "" when none lies on it.
func segmentsLine(sm *sliceMasks, shown bool) string {
	if sm == nil || len(sm.masks) == 0 {
		return ""
	}
	if !shown {
		return "Segmentation hidden (G)"
	}
	names := sm.labels
	if len(names) > 3 {
		names = append(names[:3:3], fmt.Sprintf("%d more", len(sm.labels)-3))
	}
	if len(names) == 0 {
		return "Segmentation (G)"
	}
	return "Segmentation: " + strings.Join(names, ", ") + " (G)"
}

// planesLine tells the reader that the frame carries DICOM overlay planes
// (PS3.3 C.9.2), and whether they are drawn (G switches them), or that
// one could not be read; "" when there are none.
func planesLine(f *dicomio.Frame, shown bool) string {
	n := len(f.Overlays)
	switch {
	case f.OverlayErr != nil:
		return "Overlay plane unreadable"
	case n == 0:
		return ""
	case shown:
		return plural(n, "overlay plane") + " (G)"
	default:
		return plural(n, "overlay plane") + " hidden (G)"
	}
}
