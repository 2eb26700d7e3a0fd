package jpegsyntax

import (
	"encoding/binary"
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// FrameHeader holds the fields of a frame header (T.81 B.2.2) before its
// component specifications.
type FrameHeader struct {
	Precision     int // P, bits per sample
	Height, Width int // Y (0: defined by a DNL segment), X
	Components    int // Nf
}

// ParseFrameHeader reads the fields of a SOFn segment's parameters before
// the component specifications; it checks only that they are there. The
// decoder checks what its process allows, then calls CheckComponents.
func ParseFrameHeader(params []byte) (FrameHeader, error) {
	if len(params) < 6 {
		return FrameHeader{}, fmt.Errorf("%w: short frame header", codec.ErrCorrupt)
	}
	return FrameHeader{
		Precision:  int(params[0]),
		Height:     int(binary.BigEndian.Uint16(params[1:])),
		Width:      int(binary.BigEndian.Uint16(params[3:])),
		Components: int(params[5]),
	}, nil
}

// CheckComponents checks that the frame has 1 to maxComponents components
// and that params, the frame header it was parsed from, holds exactly
// their specifications, three bytes each (Ci, Hi<<4|Vi, Tqi), from
// params[6].
func (h FrameHeader) CheckComponents(params []byte, maxComponents int) error {
	switch {
	case h.Components == 0:
		return fmt.Errorf("%w: frame without components", codec.ErrCorrupt)
	case h.Components > maxComponents:
		return fmt.Errorf("%w: %d components", codec.ErrUnsupported, h.Components)
	case len(params) != 6+3*h.Components:
		return fmt.Errorf("%w: frame header length %d for %d components", codec.ErrCorrupt, len(params), h.Components)
	}
	return nil
}

// ScanComponents returns Ns, the number of components of a scan header
// (T.81 B.2.3), after checking that it is 1 to frameComponents and that
// params holds exactly Ns component specifications, two bytes each (Csj,
// Tdj<<4|Taj, from params[1]), followed by Ss, Se and Ah<<4|Al.
func ScanComponents(params []byte, frameComponents int) (int, error) {
	if len(params) < 1 {
		return 0, fmt.Errorf("%w: empty scan header", codec.ErrCorrupt)
	}
	ns := int(params[0])
	if ns < 1 || ns > frameComponents || len(params) != 4+2*ns {
		return 0, fmt.Errorf("%w: scan header with %d components", codec.ErrCorrupt, ns)
	}
	return ns, nil
}
