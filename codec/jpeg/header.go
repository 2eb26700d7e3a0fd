package jpeg

import (
	"encoding/binary"
	"fmt"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
)

// maxComponents is the most components per frame this decoder accepts;
// DICOM uses 1 or 3 (PS3.5 8.2.1), T.81 allows 255.
const maxComponents = 4

// maxBlocksInMCU bounds the data units of an interleaved MCU (T.81
// B.2.3: the sum of Hi×Vi over the scan components is at most 10).
const maxBlocksInMCU = 10

// frame is a parsed frame header (T.81 B.2.2) and the component sample
// planes the scans fill.
type frame struct {
	precision     int // 8 or 12
	width, height int // X, Y
	comps         []component
	hmax, vmax    int // largest sampling factors
	mcusX, mcusY  int // MCUs of an interleaved scan (A.2.3)
	idct          idctParams
}

// component is one frame component with its reconstructed samples.
type component struct {
	id    byte
	h, v  int // sampling factors Hi, Vi (1..4)
	tq    int // quantization table selector
	quant quantTable
	// width, height: the component's own dimensions, ceil(X×Hi/Hmax) by
	// ceil(Y×Vi/Vmax) (A.1.1).
	width, height int
	// plane holds the samples of every data unit an interleaved scan
	// covers (MCU-padded), stride samples per line.
	plane   []uint16
	stride  int
	scanned bool // a scan has delivered its samples
}

// parseFrame reads SOF0 or SOF1 (T.81 B.2.2), checks it against the
// expectation and allocates the component planes.
func (d *decoder) parseFrame(seg []byte) error {
	if d.frame != nil {
		return fmt.Errorf("%w: second frame header", codec.ErrCorrupt)
	}
	h, err := jpegsyntax.ParseFrameHeader(seg)
	if err != nil {
		return err
	}
	switch {
	case h.Precision != 8 && h.Precision != 12:
		// T.81 B.2.2 allows only 8 and 12 bits for DCT frames. Baseline
		// (SOF0) is 8-bit only, but 12-bit SOF0 is decoded too.
		return fmt.Errorf("%w: DCT sample precision %d", codec.ErrCorrupt, h.Precision)
	case h.Height == 0:
		return fmt.Errorf("%w: frame height defined by a DNL marker", codec.ErrUnsupported)
	}
	if err := h.CheckComponents(seg, maxComponents); err != nil {
		return err
	}
	f := &frame{precision: h.Precision, height: h.Height, width: h.Width}
	nf := h.Components
	f.comps = make([]component, nf)
	for i := range f.comps {
		p := seg[6+3*i:]
		c := &f.comps[i]
		c.id, c.h, c.v, c.tq = p[0], int(p[1]>>4), int(p[1]&15), int(p[2])
		for j := 0; j < i; j++ {
			if f.comps[j].id == c.id {
				return fmt.Errorf("%w: component %d declared twice", codec.ErrCorrupt, c.id)
			}
		}
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
			return fmt.Errorf("%w: sampling factors %dx%d", codec.ErrCorrupt, c.h, c.v)
		}
		if c.tq > 3 {
			return fmt.Errorf("%w: quantization table %d", codec.ErrCorrupt, c.tq)
		}
		f.hmax, f.vmax = max(f.hmax, c.h), max(f.vmax, c.v)
	}
	if err := d.expect.Check(f.width, f.height, nf); err != nil {
		return err
	}
	if nf == 1 {
		// A single component is coded non-interleaved, whatever its
		// sampling factors (A.2.2): they do not scale it.
		f.comps[0].h, f.comps[0].v, f.hmax, f.vmax = 1, 1, 1, 1
	}
	f.mcusX = ceilDiv(f.width, 8*f.hmax)
	f.mcusY = ceilDiv(f.height, 8*f.vmax)
	// Every data unit takes at least two bits of code (a DC difference
	// and an end of block), so data too short for the frame is refused
	// before anything is allocated.
	var units int64
	for i := range f.comps {
		c := &f.comps[i]
		c.width = ceilDiv(f.width*c.h, f.hmax)
		c.height = ceilDiv(f.height*c.v, f.vmax)
		units += int64(ceilDiv(c.width, 8)) * int64(ceilDiv(c.height, 8))
	}
	if units > 4*int64(len(d.data)) {
		return fmt.Errorf("%w: %d data units cannot fit in %d bytes", codec.ErrTruncated, units, len(d.data))
	}
	for i := range f.comps {
		c := &f.comps[i]
		c.stride = f.mcusX * c.h * 8
		c.plane = make([]uint16, c.stride*f.mcusY*c.v*8)
	}
	f.idct = idctParamsFor(f.precision)
	d.frame = f
	return nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// parseDQT reads one or more quantization tables (T.81 B.2.4.1), stored
// in zig-zag order, into natural order. A scan uses the tables defined
// when it starts, as libjpeg latches them.
func (d *decoder) parseDQT(seg []byte) error {
	for len(seg) > 0 {
		pq, tq := seg[0]>>4, seg[0]&15
		if pq > 1 || tq > 3 {
			return fmt.Errorf("%w: quantization table precision %d destination %d", codec.ErrCorrupt, pq, tq)
		}
		n := 1 + 64<<pq
		if len(seg) < n {
			return fmt.Errorf("%w: short quantization table", codec.ErrCorrupt)
		}
		t := &d.quant[tq]
		for k := 0; k < 64; k++ {
			if pq == 0 {
				t.q[zigzag[k]] = int32(seg[1+k])
			} else {
				t.q[zigzag[k]] = int32(binary.BigEndian.Uint16(seg[1+2*k:]))
			}
		}
		t.defined = true
		seg = seg[n:]
	}
	return nil
}

// parseDHT reads one or more Huffman tables (T.81 B.2.4.2).
func (d *decoder) parseDHT(seg []byte) error {
	return jpegsyntax.ParseDHT(seg, func(s jpegsyntax.HuffmanSpec) error {
		t := &d.dc[s.Dest]
		if s.Class == 1 {
			t = &d.ac[s.Dest]
		}
		return t.build(&s)
	})
}

// zigzag maps the zig-zag sequence index of a coefficient to its natural
// (row-major) index (T.81 Figure A.6). The 16 extra entries absorb a run
// that overshoots the block in corrupt data, as libjpeg's
// jpeg_natural_order does.
var zigzag = [64 + 16]uint8{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
	63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63,
}
