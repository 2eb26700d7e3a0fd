package dicomio

import (
	"fmt"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/rle"
)

// packedDecoders decode frames of Bits Allocated 1 to the frame's native,
// bit-packed bytes, for the codecs that can carry them.
var packedDecoders = map[string]func(data []byte, pi PixelInfo) ([]byte, error){}

// decodeRLEBitPacked decodes RLE Lossless with Bits Allocated 1 (binary
// segmentations): PS3.5 Annex G compresses the frame's bytes as one byte
// segment, so the decoded segment is the native bit-packed frame
// (PS3.5 §8.1.1), one byte per 8 pixels.
func decodeRLEBitPacked(data []byte, pi PixelInfo) ([]byte, error) {
	if pi.SamplesPerPixel != 1 {
		return nil, fmt.Errorf("%w: RLE with Bits Allocated 1 and %d samples", ErrBadPixelModule, pi.SamplesPerPixel)
	}
	n := int((pi.nativeFrameBits() + 7) / 8)
	img, err := rle.Decode(data, codec.Expect{Width: n, Height: 1, Components: 1}, 8)
	if err != nil {
		return nil, err
	}
	out := make([]byte, n)
	for i, v := range img.Pix {
		out[i] = byte(v)
	}
	return out, nil
}
