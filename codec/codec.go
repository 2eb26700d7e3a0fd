// Package codec holds what every compressed pixel-data decoder shares: the
// decoded image type, the header expectations a decoder checks before it
// allocates, and the errors callers branch on with errors.Is.
//
// Decoders live in sub-packages, one codec each (PS3.5 Annex A.4 lists the
// encapsulated transfer syntaxes). They return raw sample bit patterns; the
// DICOM meaning of those bits (Bits Stored, Pixel Representation, Photometric
// Interpretation) is applied by package dicomio, exactly as for native data.
//
// Every decoder is safe for concurrent use: it keeps no state between calls.
package codec

import (
	"errors"
	"fmt"
)

// Errors returned (wrapped) by every decoder.
var (
	// ErrCorrupt: the codestream breaks its own syntax (bad marker, bad
	// Huffman code, impossible parameter).
	ErrCorrupt = errors.New("corrupt codestream")
	// ErrTruncated: the codestream ends before the image is complete.
	ErrTruncated = errors.New("truncated codestream")
	// ErrUnsupported: a valid codestream uses a feature this decoder lacks.
	ErrUnsupported = errors.New("unsupported codestream feature")
	// ErrMismatch: the codestream's dimensions disagree with the DICOM header.
	ErrMismatch = errors.New("codestream does not match the DICOM header")
	// ErrTooLarge: the declared image is larger than MaxSamples.
	ErrTooLarge = errors.New("declared image too large")
)

// MaxSamples bounds the samples (width × height × components) any decoder
// allocates for one frame, whatever a hostile header declares: 2^28 samples
// is 1 GiB as uint32, far above the largest real radiograph (about 2^24).
const MaxSamples = 1 << 28

// Expect is what the DICOM header says a frame holds. A decoder compares it
// with the codestream header before allocating anything and fails with
// ErrMismatch on disagreement. A zero field is not checked.
type Expect struct {
	Width, Height int // Columns, Rows
	Components    int // Samples per Pixel
}

// Image is one decoded frame.
type Image struct {
	Width, Height int
	Components    int  // samples per pixel
	Precision     int  // bits per sample declared by the codestream
	Signed        bool // the codestream declares signed samples (JPEG 2000)
	// Pix holds the raw sample bit patterns, row-major, components
	// interleaved pixel by pixel: len(Pix) == Width*Height*Components. A
	// signed sample is stored as its two's complement bit pattern.
	Pix []uint32
}

// Check validates the declared dimensions of a codestream against e and
// MaxSamples; decoders call it right after parsing their header.
func (e Expect) Check(width, height, components int) error {
	if width <= 0 || height <= 0 || components <= 0 {
		return fmt.Errorf("%w: %dx%d with %d components", ErrCorrupt, width, height, components)
	}
	if e.Width != 0 && e.Width != width || e.Height != 0 && e.Height != height {
		return fmt.Errorf("%w: codestream is %dx%d, header says %dx%d", ErrMismatch, width, height, e.Width, e.Height)
	}
	if e.Components != 0 && e.Components != components {
		return fmt.Errorf("%w: codestream has %d components, header says %d samples per pixel", ErrMismatch, components, e.Components)
	}
	if int64(width)*int64(height)*int64(components) > MaxSamples {
		return fmt.Errorf("%w: %dx%dx%d samples", ErrTooLarge, width, height, components)
	}
	return nil
}
