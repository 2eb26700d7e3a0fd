package dicomio

import (
	"fmt"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// PixelInfo is the Image Pixel module (PS3.3 C.7.6.3) of an instance.
type PixelInfo struct {
	Rows, Columns       int
	SamplesPerPixel     int
	BitsAllocated       int
	BitsStored          int
	HighBit             int
	PixelRepresentation int // 0 unsigned, 1 two's complement
	PlanarConfiguration int // 0 colour-by-pixel, 1 colour-by-plane
	Photometric         string
	NumberOfFrames      int
	// FloatBits is 32 or 64 for Float / Double Float Pixel Data
	// (PS3.3 C.7.6.24), whose values are modality values already; else 0.
	FloatBits int
	// Padding is the range of stored values that pad a greyscale image and
	// are not part of it, such as the corners outside a CT's circular field
	// of view (Pixel Padding Value and Range Limit, PS3.3 C.7.5.1.1.2); nil
	// when there are none.
	Padding *[2]int64
	// PresentationInverse is a Presentation LUT Shape (2050,0020) of
	// INVERSE: the minimum value is displayed white (PS3.3 C.11.6.1.2).
	PresentationInverse bool
}

// maxFrames bounds Number of Frames whatever the frames' size: each is
// described (FrameInfo, a couple of hundred bytes) when the file is
// opened, so a hostile count of tiny frames, which maxFrameSamples allows,
// could otherwise claim gigabytes. A million frames is beyond any CT, MR or
// radiograph, and a cine loop.
const maxFrames = 1 << 20

// maxFrameSamples bounds Rows × Columns × Samples × Frames from the header
// (2^32 samples); a larger claim is hostile, not an image.
const maxFrameSamples = 1 << 32

func readPixelInfo(ds *Dataset, pixel *Element) (PixelInfo, error) {
	pi := PixelInfo{
		Rows:                ds.Int(tag.Rows, 0),
		Columns:             ds.Int(tag.Columns, 0),
		SamplesPerPixel:     ds.Int(tag.SamplesPerPixel, 1),
		BitsAllocated:       ds.Int(tag.BitsAllocated, 0),
		BitsStored:          ds.Int(tag.BitsStored, 0),
		HighBit:             ds.Int(tag.HighBit, -1),
		PixelRepresentation: ds.Int(tag.PixelRepresentation, 0),
		PlanarConfiguration: ds.Int(tag.PlanarConfiguration, 0),
		Photometric:         strings.ToUpper(ds.String(tag.PhotometricInterpretation)),
		NumberOfFrames:      ds.Int(tag.NumberOfFrames, 1),
	}
	switch pixel.Tag {
	case tag.FloatPixelData:
		pi.FloatBits, pi.BitsAllocated, pi.BitsStored = 32, 32, 32
	case tag.DoubleFloatPixelData:
		pi.FloatBits, pi.BitsAllocated, pi.BitsStored = 64, 64, 64
	}
	if pi.BitsStored == 0 {
		pi.BitsStored = pi.BitsAllocated
	}
	if pi.HighBit < 0 {
		pi.HighBit = pi.BitsStored - 1
	}
	if pi.Photometric == "" {
		pi.Photometric = "MONOCHROME2"
		if pi.SamplesPerPixel == 3 {
			pi.Photometric = "RGB"
		}
	}
	if pi.NumberOfFrames < 1 {
		pi.NumberOfFrames = 1
	}
	pi.PresentationInverse = strings.EqualFold(ds.String(tag.PresentationLUTShape), "INVERSE")
	if strings.HasPrefix(pi.Photometric, "MONOCHROME") && pi.FloatBits == 0 {
		if v, ok := paddingValue(ds, tag.PixelPaddingValue, pi); ok {
			lo, hi := v, v
			if l, ok := paddingValue(ds, tag.PixelPaddingRangeLimit, pi); ok {
				lo, hi = min(v, l), max(v, l)
			}
			pi.Padding = &[2]int64{lo, hi}
		}
	}
	return pi, pi.validate()
}

// paddingValue reads a Pixel Padding Value or Range Limit as a stored
// value. Its VR is US or SS as Pixel Representation says (PS3.3
// C.7.5.1.1.2), but files write a signed image's padding as US too (63536
// for −2000), so the 16 bits are read in the pixels' own signedness.
func paddingValue(ds *Dataset, t tag.Tag, pi PixelInfo) (int64, bool) {
	el := ds.Get(t)
	if el == nil || len(el.Value) < 2 {
		return 0, false
	}
	raw := ds.order.Uint16(el.Value)
	if pi.PixelRepresentation == 1 {
		return int64(int16(raw)), true
	}
	return int64(raw), true
}

func (pi PixelInfo) validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrBadPixelModule}, a...)...)
	}
	switch {
	case pi.Rows <= 0 || pi.Columns <= 0:
		return bad("Rows %d, Columns %d", pi.Rows, pi.Columns)
	case pi.SamplesPerPixel != 1 && pi.SamplesPerPixel != 3 && pi.SamplesPerPixel != 4:
		return bad("Samples per Pixel %d", pi.SamplesPerPixel)
	case pi.BitsAllocated != 1 && pi.BitsAllocated%8 != 0 || pi.BitsAllocated > 64 || pi.BitsAllocated <= 0:
		return bad("Bits Allocated %d", pi.BitsAllocated)
	case pi.FloatBits == 0 && pi.BitsAllocated > 32:
		return bad("Bits Allocated %d for integer pixel data", pi.BitsAllocated)
	case pi.BitsStored < 1 || pi.BitsStored > pi.BitsAllocated:
		return bad("Bits Stored %d with Bits Allocated %d", pi.BitsStored, pi.BitsAllocated)
	case pi.HighBit < pi.BitsStored-1 || pi.HighBit >= pi.BitsAllocated:
		return bad("High Bit %d with Bits Stored %d", pi.HighBit, pi.BitsStored)
	case pi.PixelRepresentation != 0 && pi.PixelRepresentation != 1:
		return bad("Pixel Representation %d", pi.PixelRepresentation)
	case int64(pi.Rows)*int64(pi.Columns)*int64(pi.SamplesPerPixel)*int64(pi.NumberOfFrames) > maxFrameSamples:
		return fmt.Errorf("%w: %d frames of %dx%dx%d samples", ErrTooLarge, pi.NumberOfFrames, pi.Rows, pi.Columns, pi.SamplesPerPixel)
	case pi.NumberOfFrames > maxFrames:
		return fmt.Errorf("%w: %d frames", ErrTooLarge, pi.NumberOfFrames)
	}
	return nil
}

// Signed reports whether stored values are two's complement.
func (pi PixelInfo) Signed() bool { return pi.PixelRepresentation == 1 }

// samplesPerFrame is Rows × Columns × Samples per Pixel.
func (pi PixelInfo) samplesPerFrame() int {
	return pi.Rows * pi.Columns * pi.SamplesPerPixel
}

// frameBits is the size of one native frame in bits (PS3.5 §8.1.1; with
// Bits Allocated 1, frames are packed without byte alignment).
func (pi PixelInfo) frameBits() int64 {
	return int64(pi.samplesPerFrame()) * int64(pi.BitsAllocated)
}

// Subsampled422 reports YBR_FULL_422 native data, whose two pixels share
// one Cb and Cr (PS3.3 C.7.6.3.1.2): a frame is 2 bytes per pixel, not 3.
func (pi PixelInfo) Subsampled422() bool {
	return pi.Photometric == "YBR_FULL_422" && pi.SamplesPerPixel == 3
}

// nativeFrameBits is the length in bits one native frame occupies.
func (pi PixelInfo) nativeFrameBits() int64 {
	if pi.Subsampled422() {
		return pi.frameBits() * 2 / 3
	}
	return pi.frameBits()
}

// nativeLength is the bytes every declared frame of native Pixel Data
// takes, packed back to back (PS3.5 §8.1.1), without the pad byte.
func (pi PixelInfo) nativeLength() int64 {
	return (pi.nativeFrameBits()*int64(pi.NumberOfFrames) + 7) / 8
}

// extraNativeFrames is the number of whole frames that native Pixel Data
// of length bytes holds beyond the declared ones (0 when it holds just
// them, with the pad byte PS3.5 §8.1.1 allows).
func (pi PixelInfo) extraNativeFrames(length int64) int {
	frameBits, want := pi.nativeFrameBits(), pi.nativeLength()
	if frameBits <= 0 || length <= want+1 {
		return 0
	}
	return int((length - want) * 8 / frameBits)
}

// checkNativeLength compares the Pixel Data length with what the header
// implies. Shorter is an error; longer (padding) is allowed, as
// PS3.5 §8.1.1 and pydicom allow.
func (pi PixelInfo) checkNativeLength(length int64) error {
	if want := pi.nativeLength(); length < want {
		return fmt.Errorf("%w: pixel data holds %d bytes, %d frames of %dx%d need %d", ErrTruncated, length, pi.NumberOfFrames, pi.Rows, pi.Columns, want)
	}
	return nil
}
