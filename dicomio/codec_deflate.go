package dicomio

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
)

// inflateFrame decodes one frame of Deflated Image Frame Compression
// (PS3.5 §A.4.12, DICOM Supplement 244): each fragment is the frame's native
// pixel data, byte-aligned, compressed with raw deflate (RFC 1951). The
// output is capped at the native frame size, so a deflate bomb cannot
// allocate more than the header justifies.
func inflateFrame(data []byte, pi PixelInfo) ([]byte, error) {
	want := (pi.nativeFrameBits() + 7) / 8
	out, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(data)), want+1))
	if err != nil {
		return nil, fmt.Errorf("%w: inflating frame: %v", ErrMalformed, err)
	}
	if int64(len(out)) < want {
		return nil, fmt.Errorf("%w: frame inflates to %d bytes, %d expected", ErrTruncated, len(out), want)
	}
	return out[:want], nil
}
