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

// nativeFragments maps the encapsulated syntaxes whose fragments hold
// native frames to what turns one frame's fragments into its native,
// little-endian bytes (Deflated Image Frame Compression inflates them,
// Encapsulated Uncompressed takes them as they are); unpackNative reads
// the result like uncompressed Pixel Data.
var nativeFragments = map[string]func(data []byte, pi PixelInfo) ([]byte, error){
	DeflatedImageFrameCompression: inflateFrame,
	// PS3.5 §A.4.11: one frame per fragment, byte-aligned even for Bits
	// Allocated 1, padded to even length; unpackNative refuses a fragment
	// shorter than a frame.
	EncapsulatedUncompressed: func(data []byte, _ PixelInfo) ([]byte, error) { return data, nil },
}

// codecFor returns the decoder of an encapsulated transfer syntax, a
// non-nil no-op for native syntaxes (and those whose fragments hold native
// frames), or nil when we cannot decode it.
func codecFor(uid string) frameDecoder {
	ts, known := LookupTransferSyntax(uid)
	if known && (!ts.Encapsulated || nativeFragments[uid] != nil) {
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
