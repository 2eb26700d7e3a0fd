package jpeg

import "encoding/binary"

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
	if len(data) < 2 || data[0] != 0xFF || data[1] != markerSOI {
		return false
	}
	var sawJFIF, sawAdobe bool
	var transform byte
	var ids []byte
	for pos := 2; ; {
		marker, after, ok := nextMarker(data, pos)
		if !ok || marker == markerSOS || marker == markerEOI {
			break
		}
		pos = after
		if marker == markerTEM || marker >= markerRST0 && marker <= markerRST7 {
			continue
		}
		if pos+2 > len(data) {
			break
		}
		n := int(binary.BigEndian.Uint16(data[pos:]))
		if n < 2 || pos+n > len(data) {
			break
		}
		seg := data[pos+2 : pos+n]
		pos += n
		switch {
		case marker == 0xE0 && len(seg) >= 14 && string(seg[:5]) == "JFIF\x00":
			sawJFIF = true
		case marker == 0xEE && len(seg) >= 12 && string(seg[:5]) == "Adobe":
			sawAdobe, transform = true, seg[11]
		case marker == markerSOF0 || marker == markerSOF1 || marker >= markerSOF2 && marker <= 0xCF && marker != markerDHT && marker != markerJPG && marker != markerDAC:
			if len(seg) >= 15 && seg[5] == 3 {
				ids = []byte{seg[6], seg[9], seg[12]}
			} else {
				return false
			}
		}
	}
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
