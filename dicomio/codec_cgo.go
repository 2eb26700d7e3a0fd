package dicomio

import (
	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/charls"
	"github.com/myeloview/myeloview/codec/openjpeg"
)

// The C-library codecs: JPEG 2000 and HTJ2K through OpenJPEG (PS3.5
// §A.4.4, §A.4.9), JPEG-LS through CharLS (§A.4.3).
func init() {
	j2k := func(data []byte, e codec.Expect, _ PixelInfo) (*codec.Image, error) { return openjpeg.Decode(data, e) }
	for _, uid := range []string{JPEG2000Lossless, JPEG2000, HTJ2KLossless, HTJ2KLosslessRPCL, HTJ2K} {
		decoders[uid] = j2k
	}
	jls := func(data []byte, e codec.Expect, _ PixelInfo) (*codec.Image, error) { return charls.Decode(data, e) }
	decoders[JPEGLSLossless] = jls
	decoders[JPEGLSNearLossless] = jls
}
