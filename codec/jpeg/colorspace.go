package jpeg

import (
	"errors"

	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
)

// Errors that end GuessYCbCr's walk early.
var (
	errFirstScan          = errors.New("first scan reached")
	errNotThreeComponents = errors.New("frame without three components")
)

// GuessYCbCr reports whether libjpeg would take the components of a
// three-component frame for YCbCr, from the codestream alone, as its
// default_decompress_parms (jdapimin.c, IJG 6b) decides: a JFIF APP0
// marker means YCbCr; otherwise an Adobe APP14 marker means RGB when its
// transform flag is 0 and YCbCr otherwise; with neither marker, component
// identifiers 'R', 'G', 'B' mean RGB and anything else (typically 1, 2, 3)
// YCbCr. Only markers before the first scan count. It returns false for
// frames that do not have three components and for data it cannot parse.
//
// DICOM says the Photometric Interpretation governs (PS3.5 8.2.1), and
// GDCM and dcmtk follow it, but some writers label YCbCr codestreams RGB;
// a viewer may use GuessYCbCr to decide Options.ConvertYCbCr for those.
func GuessYCbCr(data []byte) bool {
	var sawJFIF, sawAdobe bool
	var transform byte
	var ids []byte
	// The walk ends at the first scan or error; what it saw by then counts.
	jpegsyntax.Walk(data, func(marker byte, pos int) (int, error) {
		if marker == jpegsyntax.SOS {
			return 0, errFirstScan
		}
		seg, next, err := jpegsyntax.Segment(data, pos, marker)
		if err != nil {
			return 0, err
		}
		switch {
		case marker == 0xE0 && len(seg) >= 14 && string(seg[:5]) == "JFIF\x00":
			sawJFIF = true
		case marker == 0xEE && len(seg) >= 12 && string(seg[:5]) == "Adobe":
			sawAdobe, transform = true, seg[11]
		case marker == jpegsyntax.SOF0 || marker == jpegsyntax.SOF1 || marker >= jpegsyntax.SOF2 && marker <= jpegsyntax.SOF15 && marker != jpegsyntax.DHT && marker != jpegsyntax.JPG && marker != jpegsyntax.DAC:
			if len(seg) < 15 || seg[5] != 3 {
				ids = nil
				return 0, errNotThreeComponents
			}
			ids = []byte{seg[6], seg[9], seg[12]}
		}
		return next, nil
	}, nil)
	switch {
	case ids == nil:
		return false
	case sawJFIF:
		return true
	case sawAdobe:
		return transform != 0
	default:
		return !(ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B')
	}
}
