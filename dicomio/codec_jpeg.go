package dicomio

import (
	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/jpeg"
)

// JPEG Baseline and Extended (PS3.5 §A.4.1, processes 1, 2 and 4).
//
// Samples are returned as coded, without a YCbCr to RGB conversion, as
// pydicom with GDCM returns them: for YBR_FULL and YBR_FULL_422 the frame
// stays YBR (upsampled: YBR_FULL) and package render converts it for
// display (PS3.3 C.7.6.3.1.2). A frame labelled RGB whose codestream is
// YCbCr by libjpeg's own rules (JFIF marker, component IDs) keeps pydicom's
// values but is displayed as YBR_FULL, so its colours are right.
func init() {
	decode := func(data []byte, e codec.Expect, _ PixelInfo) (*codec.Image, error) {
		return jpeg.Decode(data, e, jpeg.Options{})
	}
	fix := func(data []byte, pi PixelInfo) string {
		if pi.SamplesPerPixel == 3 && pi.Photometric == "RGB" && jpeg.GuessYCbCr(data) {
			return "YBR_FULL"
		}
		return ""
	}
	for _, uid := range []string{JPEGBaseline8Bit, JPEGExtended12Bit} {
		decoders[uid] = decode
		photometricFixers[uid] = fix
	}
}
