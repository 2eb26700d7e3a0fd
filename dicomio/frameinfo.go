package dicomio

import (
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// Functional group sequences of enhanced multi-frame objects
// (PS3.3 C.7.6.16 and its macros).
var (
	sharedGroupsTag        = tag.SharedFunctionalGroupsSequence
	perFrameGroupsTag      = tag.PerFrameFunctionalGroupsSequence
	planePositionTag       = tag.PlanePositionSequence
	planeOrientationTag    = tag.PlaneOrientationSequence
	pixelMeasuresTag       = tag.PixelMeasuresSequence
	pixelValueTransformTag = tag.PixelValueTransformationSequence
	frameVOILUTTag         = tag.FrameVOILUTSequence
)

// readFrameInfos returns one FrameInfo per frame. Instance-level attributes
// apply to every frame; functional groups override them, shared first,
// then per frame (PS3.3 C.7.6.16.1).
func readFrameInfos(ds *Dataset, pi PixelInfo) []FrameInfo {
	base := FrameInfo{}
	applyFrameAttributes(&base, ds, pi)
	shared := ds.Seq(sharedGroupsTag)
	if len(shared) > 0 {
		applyFunctionalGroups(&base, shared[0], pi)
	}
	perFrame := ds.Seq(perFrameGroupsTag)
	frames := make([]FrameInfo, pi.NumberOfFrames)
	for i := range frames {
		frames[i] = base
		if i < len(perFrame) {
			applyFunctionalGroups(&frames[i], perFrame[i], pi)
		}
		// Where the frame's Pixel Spacing (from the instance or a Pixel
		// Measures item) holds is read from the instance's attributes.
		frames[i].PixelSpacing, frames[i].SpacingSource = resolveSpacing(ds, frames[i].PixelSpacing)
	}
	return frames
}

// applyFrameAttributes reads the attributes a frame needs from one dataset:
// the instance itself or a functional group macro's item.
func applyFrameAttributes(f *FrameInfo, ds *Dataset, pi PixelInfo) {
	if v, ok := ds.Floats(tag.ImagePositionPatient); ok && len(v) >= 3 {
		copy(f.Position[:], v)
		f.HasPosition = true
	}
	if v, ok := ds.Floats(tag.ImageOrientationPatient); ok && len(v) >= 6 {
		copy(f.Orientation[:], v)
		f.HasOrientation = true
	}
	if ps, ok := positivePair(ds, tag.PixelSpacing); ok {
		f.PixelSpacing = ps // qualified by resolveSpacing once the groups are applied
	}
	if v, ok := ds.Floats(tag.SliceThickness); ok {
		f.SliceThickness = v[0]
	}
	if f.Modality.Slope == 0 && f.Modality.LUT == nil {
		f.Modality.Slope = 1
	}
	if v, ok := ds.Floats(tag.RescaleSlope); ok && v[0] != 0 {
		f.Modality.Slope = v[0]
	}
	if v, ok := ds.Floats(tag.RescaleIntercept); ok {
		f.Modality.Intercept = v[0]
		f.HasRescale = true
	}
	if s := ds.String(tag.RescaleType); s != "" {
		f.Modality.Type = s
	}
	if items := ds.Seq(tag.ModalityLUTSequence); len(items) > 0 {
		if lut := readLUT(items[0], pi, true); lut != nil {
			f.Modality.LUT = lut
			f.Modality.Type = items[0].String(tag.ModalityLUTType)
			f.HasRescale = true
		}
	}
	readVOI(&f.VOI, ds, pi)
}

func applyFunctionalGroups(f *FrameInfo, group *Dataset, pi PixelInfo) {
	for _, t := range []tag.Tag{planePositionTag, planeOrientationTag, pixelMeasuresTag, pixelValueTransformTag, frameVOILUTTag} {
		if items := group.Seq(t); len(items) > 0 {
			applyFrameAttributes(f, items[0], pi)
		}
	}
}

// readVOI reads Window Center/Width (with VOI LUT Function and
// explanations) and the VOI LUT Sequence (PS3.3 C.11.2).
func readVOI(v *VOI, ds *Dataset, pi PixelInfo) {
	centers, okc := ds.Floats(tag.WindowCenter)
	widths, _ := ds.Floats(tag.WindowWidth)
	if okc {
		explanations := ds.Strings(tag.WindowCenterWidthExplanation)
		v.Windows = v.Windows[:0:0]
		for i, c := range centers {
			if i >= len(widths) {
				break
			}
			w := Window{Center: c, Width: widths[i]}
			if i < len(explanations) {
				w.Explanation = explanations[i]
			}
			v.Windows = append(v.Windows, w)
		}
	}
	if fn := strings.ToUpper(ds.String(tag.VOILUTFunction)); fn != "" {
		v.Function = fn
	}
	for _, item := range ds.Seq(tag.VOILUTSequence) {
		if lut := readLUT(item, pi, false); lut != nil {
			v.LUTs = append(v.LUTs, lut)
		}
	}
}

// readLUT decodes LUT Descriptor and LUT Data (PS3.3 C.11.1.1.1): the
// descriptor's first value is the entry count (0 means 65536), the second
// the first stored value mapped, signed when the pixel data is (its VR is
// "US or SS"), the third the bits per entry.
func readLUT(item *Dataset, pi PixelInfo, modality bool) *LUT {
	desc := item.Get(tag.LUTDescriptor)
	data := item.Get(tag.LUTData)
	if desc == nil || data == nil || len(desc.Value) < 6 || len(data.Value) == 0 {
		return nil
	}
	order := item.order
	n := int(order.Uint16(desc.Value[0:]))
	if n == 0 {
		n = 65536
	}
	first := int64(order.Uint16(desc.Value[2:]))
	if pi.PixelRepresentation == 1 {
		first = int64(int16(order.Uint16(desc.Value[2:])))
	}
	bits := int(order.Uint16(desc.Value[4:]))
	lut := &LUT{FirstMapped: first, Bits: bits, Explanation: item.Text(tag.LUTExplanation)}
	switch {
	case len(data.Value) == n: // 8-bit entries packed one per byte
		lut.Data = make([]int64, n)
		for i, b := range data.Value {
			lut.Data[i] = int64(b)
		}
	case len(data.Value) >= 2*n:
		lut.Data = make([]int64, n)
		for i := range lut.Data {
			lut.Data[i] = int64(order.Uint16(data.Value[2*i:]))
		}
	default:
		return nil
	}
	return lut
}
