package dicomio

import (
	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/ljpeg"
	"github.com/myeloview/myeloview/codec/rle"
)

// The pure-Go codecs (PS3.5 §A.4.1 process 14, §A.4.2 Annex G).
func init() {
	lossless := func(data []byte, e codec.Expect, _ PixelInfo) (*codec.Image, error) { return ljpeg.Decode(data, e) }
	decoders[JPEGLossless] = lossless
	decoders[JPEGLosslessSV1] = lossless
	decoders[RLELossless] = func(data []byte, e codec.Expect, pi PixelInfo) (*codec.Image, error) {
		return rle.Decode(data, e, pi.BitsAllocated)
	}
	packedDecoders[RLELossless] = decodeRLEBitPacked
}
