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
	ContentLabel  string // Content Label (C.10.9): what the writer calls it
	MaxFractional int    // Maximum Fractional Value, for FRACTIONAL
	Segments      []Segment
	// FrameSegment is each frame's Referenced Segment Number (0 when the
	// frame names none).
	FrameSegment []int
	// FrameSources are the images each frame derives from, as its
	// Derivation Image Sequences' Source Image items name them.
	FrameSources [][]SourceFrame
	// ReferencedSeries are the Series Instance UIDs of the Common Instance
	// Reference module's Referenced Series Sequence (C.12.2).
	ReferencedSeries []string
}

// SourceFrame names a frame of an image instance.
type SourceFrame struct {
	SOPInstanceUID string
	// Frame counts from 1; 0 when the reference names no frame, which
	// means all of them (PS3.3 Table 10-3, Referenced Frame Number 1C).
	Frame int
}

// Segment is one item of the Segment Sequence.
type Segment struct {
	Number int
	Label  string
	// Category and Type are the first items of the Segmented Property
	// Category and Type Code Sequences (C.8.20.2.4).
	Category, Type Code
	// Colour is the Recommended Display CIELab Value in sRGB; HasColour
	// is false when the file gives none.
	Colour    [3]uint8
	HasColour bool
}

// Code is a coded concept (PS3.3 8.8): Code Value, Coding Scheme
// Designator, Code Meaning.
type Code struct{ Value, Scheme, Meaning string }

// MorphologicallyAbnormal is the Segmented Property Category of lesions
// (CID 7150: SCT 49755003, Morphologically Abnormal Structure).
var MorphologicallyAbnormal = Code{"49755003", "SCT", "Morphologically Abnormal Structure"}

// Is reports whether c is the concept of o (value and scheme; SRT and SCT
// are one scheme, SNOMED CT, PS3.16 8).
func (c Code) Is(o Code) bool {
	scheme := func(s string) string {
		if s == "SRT" {
			return "SCT"
		}
		return s
	}
	return c.Value == o.Value && scheme(c.Scheme) == scheme(o.Scheme)
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
	segmentedPropertyCategoryTag  = tag.Tag{Group: 0x0062, Element: 0x0003}
	segmentedPropertyTypeTag      = tag.Tag{Group: 0x0062, Element: 0x000F}
)

// readCode reads the first item of code sequence t of ds.
func readCode(ds *Dataset, t tag.Tag) Code {
	items := ds.Seq(t)
	if len(items) == 0 {
		return Code{}
	}
	return Code{items[0].String(tag.CodeValue), items[0].String(tag.CodingSchemeDesignator), items[0].Text(tag.CodeMeaning)}
}

// readSegmentation reads the Segmentation-specific attributes of ds, an
// instance of frames frames; nil when ds is not a segmentation.
func readSegmentation(ds *Dataset, sopClass string, frames int) *Segmentation {
	if sopClass != SegmentationStorage {
		return nil
	}
	sg := &Segmentation{Type: strings.ToUpper(ds.String(segmentationTypeTag)), MaxFractional: ds.Int(maximumFractionalValueTag, 0),
		ContentLabel: ds.String(tag.ContentLabel)}
	for _, item := range ds.Seq(segmentSequenceTag) {
		s := Segment{Number: item.Int(segmentNumberTag, 0), Label: item.Text(segmentLabelTag),
			Category: readCode(item, segmentedPropertyCategoryTag), Type: readCode(item, segmentedPropertyTypeTag)}
		if lab, ok := item.Ints(recommendedDisplayCIELabTag); ok && len(lab) == 3 {
			s.Colour, s.HasColour = dicomLabToSRGB(lab[0], lab[1], lab[2]), true
		}
		sg.Segments = append(sg.Segments, s)
	}
	perFrame := ds.Seq(perFrameGroupsTag)
	shared := ds.Seq(sharedGroupsTag)
	sg.FrameSegment = make([]int, frames)
	sg.FrameSources = make([][]SourceFrame, frames)
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
			if len(sg.FrameSources[i]) > 0 {
				continue // a per-frame group's sources win over the shared group's
			}
			for _, d := range g.Seq(derivationImageSequenceTag) {
				for _, src := range d.Seq(sourceImageSequenceTag) {
					if uid := src.String(referencedSOPInstanceUIDTag); uid != "" {
						sg.FrameSources[i] = append(sg.FrameSources[i], SourceFrame{uid, src.Int(referencedFrameNumberTag, 0)})
					}
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
// order. A frame lies on the slice it derives from when a Source Image
// item names one of s's frames (by frame number, or an instance of one
// frame when the item names none); otherwise, when seg shares s's frame of
// reference, on the slice whose plane holds its pixels: parallel, within
// half a slice spacing along the normal and half a pixel across, with the
// slice's pixel spacing (PS3.3 C.7.6.2.1.1). Frames of another size than
// s's are left out: they would need resampling. Empty when seg is not a
// segmentation. Callers compare the frames placed with seg's count.
func (s *Series) SegmentationFrames(seg *Instance) map[int][]int {
	out := map[int][]int{}
	sg := seg.Segmentation
	if sg == nil || len(s.Frames) == 0 || seg.Pixel.Rows != s.Rows() || seg.Pixel.Columns != s.Cols() {
		return out
	}
	byFrame := map[SourceFrame]int{} // SOP Instance UID and frame (from 1) → slice
	for k, f := range s.Frames {
		if f.Instance == nil || f.Instance.SOPInstanceUID == "" {
			continue
		}
		byFrame[SourceFrame{f.Instance.SOPInstanceUID, f.Index + 1}] = k
		if len(f.Instance.Frames) == 1 {
			byFrame[SourceFrame{f.Instance.SOPInstanceUID, 0}] = k
		}
	}
	g := &s.Geometry
	sameFrame := seg.FrameOfReference != "" && s.Frames[0].Instance != nil && seg.FrameOfReference == s.Frames[0].Instance.FrameOfReference
	for i := range seg.Frames {
		k, ok := -1, false
		if i < len(sg.FrameSources) {
			for _, src := range sg.FrameSources[i] {
				if k, ok = byFrame[src]; ok {
					break
				}
			}
		}
		if !ok && sameFrame && g.Known {
			k, ok = s.sliceHolding(seg.Frames[i])
		}
		if ok {
			out[k] = append(out[k], i)
		}
	}
	return out
}

// sliceHolding is the slice of s whose pixels frame f's are: parallel,
// with the same pixel spacing, its first pixel within half a slice spacing
// along the normal and half a pixel across.
func (s *Series) sliceHolding(f FrameInfo) (int, bool) {
	g := &s.Geometry
	if !f.HasPosition || g.Normal.Norm() < 0.5 || !parallel(f, g) {
		return -1, false // no position, no orientation to measure along, or another plane
	}
	k, d := g.NearestSlice(Vec3(f.Position))
	if k < 0 || d > math.Max(g.SliceSpacing/2, 0.01) {
		return -1, false
	}
	sp := s.Frames[k].Info().PixelSpacing
	if f.PixelSpacing[0] > 0 && sp[0] > 0 && (math.Abs(f.PixelSpacing[0]-sp[0]) > 1e-3*sp[0] || math.Abs(f.PixelSpacing[1]-sp[1]) > 1e-3*sp[1]) {
		return -1, false
	}
	off := Vec3(f.Position).Sub(g.Origins[k])
	if math.Abs(off.Dot(g.RowDir.Normalized())) > sp[1]/2 || math.Abs(off.Dot(g.ColDir.Normalized())) > sp[0]/2 {
		return -1, false
	}
	return k, true
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

// SegmentationMasks reads the frames of seg placed on s's slices by
// placed (SegmentationFrames) that belong to the segments keep accepts
// into one mask per slice of s, 1 where any of them covers the pixel; nil
// for slices without such frames. Frames that cannot be read are left out
// and counted. It reads seg's frames and holds one byte per pixel of the
// slices it covers.
func (s *Series) SegmentationMasks(seg *Instance, placed map[int][]int, keep func(segment int) bool) (masks [][]uint8, unreadable int) {
	masks = make([][]uint8, len(s.Frames))
	for k, frames := range placed {
		for _, i := range frames {
			if !keep(seg.Segmentation.FrameSegment[i]) {
				continue
			}
			f, err := seg.ReadFrame(i)
			if err != nil {
				unreadable++
				continue
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
	return masks, unreadable
}
