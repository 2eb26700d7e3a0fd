package dicomio

import (
	"math"
	"slices"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// SegmentationStorage is the SOP Class of DICOM Segmentations (PS3.4 B.5).
const SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4"

// Segmentation is what a DICOM Segmentation instance (PS3.3 C.8.20) says
// beyond its frames' pixels and geometry: its segments, the segment each
// frame belongs to, and the images each frame derives from, so that a
// viewer can draw it over those images. Frame values are stored values:
// 0/1 for BINARY, 0…MaxFractional for FRACTIONAL.
type Segmentation struct {
	Type          string // BINARY or FRACTIONAL (C.8.20.2.3)
	MaxFractional int    // Maximum Fractional Value, for FRACTIONAL
	Segments      []Segment
	// FrameSegment is each frame's Referenced Segment Number (0 when the
	// frame names none).
	FrameSegment []int
	// FrameSource is the SOP Instance UID and frame number (from 1; 1 for
	// a single-frame source) of the image each frame derives from, when
	// its Derivation Image Sequence names one.
	FrameSource []SourceFrame
	// ReferencedSeries are the Series Instance UIDs of the Common Instance
	// Reference module's Referenced Series Sequence (C.12.2).
	ReferencedSeries []string
}

// SourceFrame names a frame of an image instance.
type SourceFrame struct {
	SOPInstanceUID string
	Frame          int // from 1
}

// Segment is one item of the Segment Sequence.
type Segment struct {
	Number int
	Label  string
	// Colour is the Recommended Display CIELab Value in sRGB; HasColour
	// is false when the file gives none.
	Colour    [3]uint8
	HasColour bool
}

// SEG tags not in the dictionary under these names.
var (
	segmentationTypeTag           = tag.Tag{Group: 0x0062, Element: 0x0001}
	segmentSequenceTag            = tag.Tag{Group: 0x0062, Element: 0x0002}
	segmentNumberTag              = tag.Tag{Group: 0x0062, Element: 0x0004}
	segmentLabelTag               = tag.Tag{Group: 0x0062, Element: 0x0005}
	recommendedDisplayCIELabTag   = tag.Tag{Group: 0x0062, Element: 0x000D}
	segmentIdentificationTag      = tag.Tag{Group: 0x0062, Element: 0x000A}
	referencedSegmentNumberTag    = tag.Tag{Group: 0x0062, Element: 0x000B}
	maximumFractionalValueTag     = tag.Tag{Group: 0x0062, Element: 0x000E}
	derivationImageSequenceTag    = tag.Tag{Group: 0x0008, Element: 0x9124}
	sourceImageSequenceTag        = tag.Tag{Group: 0x0008, Element: 0x2112}
	referencedSeriesSequenceTag   = tag.Tag{Group: 0x0008, Element: 0x1115}
	referencedSOPInstanceUIDTag   = tag.Tag{Group: 0x0008, Element: 0x1155}
	referencedFrameNumberTag      = tag.Tag{Group: 0x0008, Element: 0x1160}
	referencedSeriesInstanceUIDTg = tag.Tag{Group: 0x0020, Element: 0x000E}
)

// readSegmentation reads the Segmentation-specific attributes of ds, an
// instance of frames frames; nil when ds is not a segmentation.
func readSegmentation(ds *Dataset, sopClass string, frames int) *Segmentation {
	if sopClass != SegmentationStorage {
		return nil
	}
	sg := &Segmentation{Type: strings.ToUpper(ds.String(segmentationTypeTag)), MaxFractional: ds.Int(maximumFractionalValueTag, 0)}
	for _, item := range ds.Seq(segmentSequenceTag) {
		s := Segment{Number: item.Int(segmentNumberTag, 0), Label: item.Text(segmentLabelTag)}
		if lab, ok := item.Ints(recommendedDisplayCIELabTag); ok && len(lab) == 3 {
			s.Colour, s.HasColour = dicomLabToSRGB(lab[0], lab[1], lab[2]), true
		}
		sg.Segments = append(sg.Segments, s)
	}
	perFrame := ds.Seq(perFrameGroupsTag)
	shared := ds.Seq(sharedGroupsTag)
	sg.FrameSegment = make([]int, frames)
	sg.FrameSource = make([]SourceFrame, frames)
	for i := range frames {
		var groups []*Dataset
		if i < len(perFrame) {
			groups = append(groups, perFrame[i])
		}
		if len(shared) > 0 {
			groups = append(groups, shared[0]) // one segment for every frame goes here
		}
		for _, g := range groups {
			if id := g.Seq(segmentIdentificationTag); len(id) > 0 && sg.FrameSegment[i] == 0 {
				sg.FrameSegment[i] = id[0].Int(referencedSegmentNumberTag, 0)
			}
			if sg.FrameSource[i].SOPInstanceUID != "" {
				continue
			}
			for _, d := range g.Seq(derivationImageSequenceTag) {
				if src := d.Seq(sourceImageSequenceTag); len(src) > 0 {
					sg.FrameSource[i] = SourceFrame{src[0].String(referencedSOPInstanceUIDTag), src[0].Int(referencedFrameNumberTag, 1)}
					break
				}
			}
		}
	}
	for _, item := range ds.Seq(referencedSeriesSequenceTag) {
		if uid := item.String(referencedSeriesInstanceUIDTg); uid != "" {
			sg.ReferencedSeries = append(sg.ReferencedSeries, uid)
		}
	}
	return sg
}

// dicomLabToSRGB converts a DICOM CIELab value (PS3.3 C.10.7.1.1: L*, a*,
// b* scaled to 0…65535, the ICC profile connection space, D50) to 8-bit
// sRGB (IEC 61966-2-1, D65), adapting the white point with the Bradford
// transform and clipping what sRGB cannot show.
func dicomLabToSRGB(l16, a16, b16 int) [3]uint8 {
	L := float64(l16) * 100 / 65535
	a := float64(a16)*255/65535 - 128
	b := float64(b16)*255/65535 - 128
	fy := (L + 16) / 116
	fx, fz := fy+a/500, fy-b/200
	finv := func(t float64) float64 {
		if t > 6.0/29 {
			return t * t * t
		}
		return 3 * (6.0 / 29) * (6.0 / 29) * (t - 4.0/29)
	}
	// D50 white
	x, y, z := 0.9642*finv(fx), finv(fy), 0.8249*finv(fz)
	// Bradford-adapted D50 → D65, then XYZ → linear sRGB.
	X := 0.9555766*x - 0.0230393*y + 0.0631636*z
	Y := -0.0282895*x + 1.0099416*y + 0.0210077*z
	Z := 0.0122982*x - 0.0204830*y + 1.3299098*z
	lin := [3]float64{
		3.2404542*X - 1.5371385*Y - 0.4985314*Z,
		-0.9692660*X + 1.8760108*Y + 0.0415560*Z,
		0.0556434*X - 0.2040259*Y + 1.0572252*Z,
	}
	var out [3]uint8
	for i, c := range lin {
		c = math.Max(0, math.Min(1, c))
		if c <= 0.0031308 {
			c *= 12.92
		} else {
			c = 1.055*math.Pow(c, 1/2.4) - 0.055
		}
		out[i] = uint8(math.Round(c * 255))
	}
	return out
}

// SegmentationFrames places the frames of seg, a segmentation instance, on
// the slices of s: for each slice, the frames drawn over it, in frame
// order. A frame lies on the slice it derives from when its Derivation
// Image Sequence names one of s's frames; otherwise, when seg shares s's
// frame of reference and the frame is parallel to s's slices, on the
// slice its position is nearest, within half a slice spacing (PS3.3
// C.7.6.2.1.1). Frames of another size than s's are left out: they would
// need resampling. Empty when seg is not a segmentation.
func (s *Series) SegmentationFrames(seg *Instance) map[int][]int {
	out := map[int][]int{}
	sg := seg.Segmentation
	if sg == nil || len(s.Frames) == 0 || seg.Pixel.Rows != s.Rows() || seg.Pixel.Columns != s.Cols() {
		return out
	}
	type ref struct {
		sop   string
		frame int
	}
	slice := map[ref]int{}
	for k, f := range s.Frames {
		if f.Instance != nil && f.Instance.SOPInstanceUID != "" {
			slice[ref{f.Instance.SOPInstanceUID, f.Index + 1}] = k
		}
	}
	g := &s.Geometry
	sameFrame := seg.FrameOfReference != "" && s.Frames[0].Instance != nil && seg.FrameOfReference == s.Frames[0].Instance.FrameOfReference
	tolerance := math.Max(g.SliceSpacing/2, 0.01)
	for i := range seg.Frames {
		k, ok := -1, false
		if i < len(sg.FrameSource) && sg.FrameSource[i].SOPInstanceUID != "" {
			k, ok = slice[ref{sg.FrameSource[i].SOPInstanceUID, sg.FrameSource[i].Frame}]
		}
		if fi := seg.Frames[i]; !ok && sameFrame && g.Known && fi.HasPosition && parallel(fi, g) {
			var d float64
			if k, d = g.NearestSlice(Vec3(fi.Position)); k >= 0 && d <= tolerance {
				ok = true
			}
		}
		if ok {
			out[k] = append(out[k], i)
		}
	}
	return out
}

// parallel reports whether frame f's rows and columns run as g's do.
func parallel(f FrameInfo, g *Geometry) bool {
	if !f.HasOrientation {
		return true // shared orientation not given per frame: assume the stack's
	}
	row, col := Vec3{f.Orientation[0], f.Orientation[1], f.Orientation[2]}, Vec3{f.Orientation[3], f.Orientation[4], f.Orientation[5]}
	return row.Normalized().Dot(g.RowDir.Normalized()) > 0.999 && col.Normalized().Dot(g.ColDir.Normalized()) > 0.999
}

// SegmentationsOn are the segmentation instances of c that lie on series
// s: those that name s in their Referenced Series Sequence, or name no
// series and share its frame of reference.
func (c *Catalog) SegmentationsOn(s *Series) []*Instance {
	if c == nil || s == nil || len(s.Frames) == 0 || s.Frames[0].Instance == nil {
		return nil
	}
	frameOfReference := s.Frames[0].Instance.FrameOfReference
	var out []*Instance
	for _, other := range c.AllSeries() {
		for _, inst := range other.Instances {
			sg := inst.Segmentation
			if sg == nil {
				continue
			}
			if s.UID != "" && slices.Contains(sg.ReferencedSeries, s.UID) ||
				len(sg.ReferencedSeries) == 0 && inst.FrameOfReference != "" && inst.FrameOfReference == frameOfReference {
				out = append(out, inst)
			}
		}
	}
	return out
}

// Inside reports whether pixel i of frame f, a frame of this
// segmentation, is inside its segment: 1 in a BINARY frame, at least half
// the Maximum Fractional Value in a FRACTIONAL one (C.8.20.2.3).
func (sg *Segmentation) Inside(f *Frame, i int) bool {
	if sg.Type == "FRACTIONAL" && sg.MaxFractional > 1 {
		return f.Stored(i) >= int64(sg.MaxFractional+1)/2
	}
	return f.Stored(i) >= 1
}

// SegmentationMasks reads the frames of seg that lie on s
// (SegmentationFrames) into one mask per slice of s, 1 where any segment
// covers the pixel; nil for slices without frames. It reads seg's frames
// and holds one byte per pixel of the slices it covers.
func (s *Series) SegmentationMasks(seg *Instance) ([][]uint8, error) {
	masks := make([][]uint8, len(s.Frames))
	for k, frames := range s.SegmentationFrames(seg) {
		for _, i := range frames {
			f, err := seg.ReadFrame(i)
			if err != nil {
				return nil, err
			}
			if masks[k] == nil {
				masks[k] = make([]uint8, f.Rows*f.Cols)
			}
			for j := range masks[k] {
				if seg.Segmentation.Inside(f, j) {
					masks[k][j] = 1
				}
			}
		}
	}
	return masks, nil
}
