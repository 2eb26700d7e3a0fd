package dicomio

import (
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// frameDecoder decodes one encapsulated frame into raw sample patterns.
// pi is the instance's Image Pixel module, for codecs (RLE) whose
// codestream does not describe itself.
type frameDecoder func(data []byte, e codec.Expect, pi PixelInfo) (*codec.Image, error)

// photometricFixers correct, per transfer syntax, the Photometric
// Interpretation of decoded samples where the codestream proves the header
// wrong (see codec_jpeg.go). The stored values are not changed, only how
// they are displayed.
var photometricFixers = map[string]func(data []byte, pi PixelInfo) string{}

// decoders maps encapsulated transfer syntax UIDs to their decoder. Each
// codec registers itself from its own file (codec_*.go) in init.
var decoders = map[string]frameDecoder{}

// codecFor returns the decoder of an encapsulated transfer syntax, a
// non-nil no-op for native syntaxes, or nil when we cannot decode it.
func codecFor(uid string) frameDecoder {
	ts, known := LookupTransferSyntax(uid)
	if known && (!ts.Encapsulated || uid == DeflatedImageFrameCompression || uid == EncapsulatedUncompressed) {
		return nativeMarker
	}
	return decoders[uid]
}

func nativeMarker([]byte, codec.Expect, PixelInfo) (*codec.Image, error) {
	return nil, fmt.Errorf("native pixel data needs no codec")
}

// SupportedTransferSyntaxes lists the UIDs whose pixel data we decode.
func SupportedTransferSyntaxes() []string {
	var out []string
	for uid := range transferSyntaxes {
		if codecFor(uid) != nil {
			out = append(out, uid)
		}
	}
	return out
}
