package dicomio

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// FrameRef is one displayable frame of a series: a frame of an instance.
type FrameRef struct {
	Instance *Instance
	Index    int // frame index in the instance, from 0
}

// Info returns the frame's geometry and transforms.
func (r FrameRef) Info() FrameInfo { return r.Instance.Frames[r.Index] }

// Read decodes the frame.
func (r FrameRef) Read() (*Frame, error) { return r.Instance.ReadFrame(r.Index) }

// Series is one stack of frames with a common geometry, sorted along the
// slice normal. A DICOM series whose frames differ in size or orientation
// (a scout beside axial slices, say) is split into several Series with the
// same UID and a Part number.
type Series struct {
	UID         string
	Part        int // 1.. when a DICOM series was split, else 0
	StudyUID    string
	Modality    string
	Description string
	Number      int
	Instances   []*Instance // distinct files, in frame order
	Frames      []FrameRef  // sorted
	Geometry    Geometry
	// Warnings say what is odd but not fatal: gaps, duplicate positions,
	// missing positions, mixed orientations, a gantry tilt, a CT image
	// without Rescale Intercept, pixel data beyond what the header
	// declares, unsupported syntaxes.
	Warnings []string
	// Errors are the files of this series that could not be read.
	Errors []*FileError
}

// Rows and Cols of every frame.
func (s *Series) Rows() int { return s.Geometry.Rows }
func (s *Series) Cols() int { return s.Geometry.Cols }

// Label is a short human-readable name: number and description.
func (s *Series) Label() string {
	label := strings.TrimSpace(s.Description)
	// "CT CT Body 3.0" reads badly: the modality goes first only when the
	// description does not already start with it as a word.
	if first, _, _ := strings.Cut(label, " "); s.Modality != "" && !strings.EqualFold(first, s.Modality) {
		label = strings.TrimSpace(s.Modality + " " + label)
	}
	if s.Number != 0 {
		label = fmt.Sprintf("#%d %s", s.Number, label)
	}
	if s.Part > 0 {
		label += fmt.Sprintf(" (part %d)", s.Part)
	}
	return label
}

// TransferSyntaxes lists the distinct transfer syntax UIDs of the series.
func (s *Series) TransferSyntaxes() []string {
	seen := map[string]bool{}
	var out []string
	for _, in := range s.Instances {
		if uid := in.TransferSyntax.UID; !seen[uid] {
			seen[uid] = true
			out = append(out, uid)
		}
	}
	sort.Strings(out)
	return out
}

// LoadFrame decodes sorted frame i. Safe for concurrent use.
func (s *Series) LoadFrame(i int) (*Frame, error) {
	if i < 0 || i >= len(s.Frames) {
		return nil, fmt.Errorf("%w: frame %d of %d", ErrFrameRange, i+1, len(s.Frames))
	}
	return s.Frames[i].Read()
}

// stackKey separates frames that cannot share one geometry.
type stackKey struct {
	rows, cols, samples int
	orientation         string
}

func keyOf(ref FrameRef) stackKey {
	fi, pi := ref.Info(), ref.Instance.Pixel
	o := ""
	if fi.HasOrientation {
		// Rounded so that float noise between slices does not split them.
		o = fmt.Sprintf("%.3f", fi.Orientation)
	}
	return stackKey{pi.Rows, pi.Columns, pi.SamplesPerPixel, o}
}

// buildSeries groups the image instances of one Series Instance UID into
// stacks and sorts each.
func buildSeries(instances []*Instance) []*Series {
	var order []stackKey
	stacks := map[stackKey][]FrameRef{}
	for _, in := range instances {
		for i := range in.Frames {
			ref := FrameRef{in, i}
			k := keyOf(ref)
			if _, ok := stacks[k]; !ok {
				order = append(order, k)
			}
			stacks[k] = append(stacks[k], ref)
		}
	}
	// Largest stack first: it is "the" series; scouts become later parts.
	sort.SliceStable(order, func(a, b int) bool { return len(stacks[order[a]]) > len(stacks[order[b]]) })
	var out []*Series
	for i, k := range order {
		s := newSeries(stacks[k])
		if len(order) > 1 {
			s.Part = i + 1
			s.Warnings = append(s.Warnings, fmt.Sprintf("series split in %d parts by image size or orientation", len(order)))
		}
		out = append(out, s)
	}
	return out
}

// ctImageStorage: the SOP classes whose modules make Rescale Intercept
// Type 1 (PS3.3 C.8.2.1; the Pixel Value Transformation macro of the
// enhanced ones): CT, Enhanced CT, Legacy Converted Enhanced CT. A
// Secondary Capture with Modality CT (a dose report, a 3D snapshot) needs
// none.
var ctImageStorage = map[string]bool{
	"1.2.840.10008.5.1.4.1.1.2":   true,
	"1.2.840.10008.5.1.4.1.1.2.1": true,
	"1.2.840.10008.5.1.4.1.1.2.2": true,
}

// RescaleMissing reports a series of CT images (isCTImage) with a
// frame that has neither Rescale Intercept nor a Modality LUT: its stored
// values are taken as HU, which may be off by the missing intercept.
func (s *Series) RescaleMissing() bool {
	for _, r := range s.Frames {
		if r.Instance != nil && isCTImage(r.Instance) && !r.Info().HasRescale {
			return true
		}
	}
	return false
}

// isCTImage: a CT image SOP class, or (converted files often leave the
// SOP Class UID empty) greyscale pixels of Modality CT.
func isCTImage(in *Instance) bool {
	if in.SOPClassUID == "" {
		return in.Modality == "CT" && in.Pixel.SamplesPerPixel == 1
	}
	return ctImageStorage[in.SOPClassUID]
}

func newSeries(frames []FrameRef) *Series {
	first := frames[0].Instance
	s := &Series{
		UID:         first.SeriesInstanceUID,
		StudyUID:    first.StudyInstanceUID,
		Modality:    first.Modality,
		Description: first.SeriesDescription,
		Number:      first.SeriesNumber,
	}
	s.Frames = frames
	s.sortFrames()
	seen := map[*Instance]bool{}
	undercounted := 0
	for _, r := range s.Frames {
		if !seen[r.Instance] {
			seen[r.Instance] = true
			s.Instances = append(s.Instances, r.Instance)
			if r.Instance.ExtraFrames > 0 {
				undercounted++
			}
		}
		if !r.Instance.SyntaxSupported && !seen[nil] {
			seen[nil] = true
			s.Warnings = append(s.Warnings, fmt.Sprintf("transfer syntax %s is not supported yet", r.Instance.TransferSyntax.Name))
		}
	}
	if s.RescaleMissing() {
		s.Warnings = append(s.Warnings, "CT without Rescale Intercept (PS3.3 C.8.2.1, Type 1): stored values are taken as HU")
	}
	if undercounted > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d file(s) hold more pixel data than their header describes (a wrong Number of Frames, Rows or Columns, or frames padded apart): only the declared frames are shown", undercounted))
	}
	return s
}

// sortFrames orders frames by the projection of Image Position (Patient) on
// the slice normal, in the direction in which Instance Numbers increase
// (so slice 1 is where the scanner started), falling back to Instance
// Number and frame order; then it derives the geometry and warns about
// gaps, duplicates and missing positions.
func (s *Series) sortFrames() {
	frames := s.Frames
	fi0 := frames[0].Info()
	g := Geometry{Rows: frames[0].Instance.Pixel.Rows, Cols: frames[0].Instance.Pixel.Columns,
		PixelSpacing: fi0.PixelSpacing, SpacingSource: fi0.SpacingSource}
	g.RowDir, g.ColDir = Vec3{1, 0, 0}, Vec3{0, 1, 0}
	if fi0.HasOrientation {
		g.RowDir = Vec3{fi0.Orientation[0], fi0.Orientation[1], fi0.Orientation[2]}.Normalized()
		g.ColDir = Vec3{fi0.Orientation[3], fi0.Orientation[4], fi0.Orientation[5]}.Normalized()
	}
	g.Normal = g.RowDir.Cross(g.ColDir).Normalized()

	allPositions := true
	for _, r := range frames {
		allPositions = allPositions && r.Info().HasPosition
	}
	byNumber := func(a, b FrameRef) bool {
		if a.Instance.InstanceNumber != b.Instance.InstanceNumber {
			return a.Instance.InstanceNumber < b.Instance.InstanceNumber
		}
		if a.Instance != b.Instance {
			return a.Instance.Path < b.Instance.Path
		}
		return a.Index < b.Index
	}
	sort.SliceStable(frames, func(i, j int) bool { return byNumber(frames[i], frames[j]) })

	g.Known = allPositions && fi0.HasOrientation
	if !allPositions {
		if len(frames) > 1 {
			s.Warnings = append(s.Warnings, "no Image Position (Patient) on every frame: ordered by Instance Number")
		}
		g.SliceSpacing = fi0.SliceThickness
		for k := range frames {
			o := Vec3{}
			if fi := frames[k].Info(); fi.HasPosition {
				o = fi.Position
			}
			g.Origins = append(g.Origins, o.Add(g.Normal.Scale(float64(k)*g.SliceSpacing)))
		}
		s.Geometry = g
		return
	}

	proj := func(r FrameRef) float64 { return Vec3(r.Info().Position).Dot(g.Normal) }
	// Direction: follow increasing Instance Numbers (frames are in that
	// order now) if they run against the normal.
	descending := len(frames) > 1 && proj(frames[len(frames)-1]) < proj(frames[0])
	sort.SliceStable(frames, func(i, j int) bool {
		pi, pj := proj(frames[i]), proj(frames[j])
		if descending {
			return pi > pj
		}
		return pi < pj
	})
	var gaps []float64
	duplicates := 0
	for k, r := range frames {
		g.Origins = append(g.Origins, r.Info().Position)
		if k > 0 {
			d := math.Abs(proj(r) - proj(frames[k-1]))
			if d < 1e-3 {
				duplicates++
			} else {
				gaps = append(gaps, d)
			}
		}
	}
	// A segmentation's frames lie only where its segments are, several on
	// one plane when segments meet there: gaps and shared positions are
	// its nature, not a fault worth a warning.
	segmentation := len(frames) > 0 && frames[0].Instance != nil && frames[0].Instance.Segmentation != nil
	if segmentation {
		duplicates = 0
	}
	if len(gaps) > 0 {
		sorted := append([]float64(nil), gaps...)
		sort.Float64s(sorted)
		g.SliceSpacing = sorted[len(sorted)/2]
		for k, d := range gaps {
			if d > 1.5*g.SliceSpacing && !segmentation {
				s.Warnings = append(s.Warnings, fmt.Sprintf("gap of %.2f mm after slice %d (spacing %.2f mm)", d, k+1, g.SliceSpacing))
			}
		}
	} else {
		g.SliceSpacing = fi0.SliceThickness
	}
	if duplicates > 0 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%d frames share a position with their neighbour (duplicates or several acquisitions)", duplicates))
	}
	mixed := false
	for _, r := range frames {
		if fi := r.Info(); fi.HasOrientation && !sameOrientation(fi.Orientation, fi0.Orientation) {
			mixed = true
		}
	}
	if mixed {
		s.Warnings = append(s.Warnings, "frames have slightly different orientations (gantry tilt or mixed stacks)")
	}
	// Without an orientation the normal is a guess, and so would a tilt be.
	if tilt := stackTilt(g.Origins, g.Normal, g.PixelSpacing); tilt > 0 && fi0.HasOrientation && !segmentation {
		s.Warnings = append(s.Warnings, fmt.Sprintf("gantry tilt of %.1f°: the slices are stacked obliquely (sheared); reformats correct for it, thick slabs do not", tilt))
	}
	s.Geometry = g
}

func sameOrientation(a, b [6]float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-4 {
			return false
		}
	}
	return true
}
