package ljpeg

import (
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// scanComponent is one component of a scan.
type scanComponent struct {
	offset int // index of the component within a pixel of Image.Pix
	table  *huffTable
}

// scan is a parsed scan header (T.81 B.2.3 as used by Annex H).
type scan struct {
	comps     []scanComponent
	predictor int  // selection value Ss, 1..7 (Table H.1)
	pt        uint // point transform Al
}

// decodeScan reconstructs the samples of the scan's components into
// d.img.Pix (T.81 Annex H). With all sampling factors 1, every MCU holds
// one sample of each scan component. Samples are stored without the point
// transform, modulo 2^16 (H.1.2.1); finish scales them.
//
// Prediction follows H.1.2.1: the first line of the scan and of every
// restart interval is predicted by Ra, except its first sample, predicted
// by 2^(P-Pt-1); the first sample of every other line by Rb; all other
// samples by the selected predictor. Restart intervals must span whole
// lines, as libjpeg (and so GDCM and dcmtk) requires.
func (d *decoder) decodeScan(s *scan, br *bitReader) error {
	width, height, nc := d.img.Width, d.img.Height, d.img.Components
	stride := width * nc
	pix := d.img.Pix
	initial := int32(1) << (d.img.Precision - int(s.pt) - 1)
	linesPerInterval := height // lines between restart markers
	if d.restart > 0 {
		if d.restart%width != 0 {
			return fmt.Errorf("%w: restart interval of %d MCUs is not a multiple of the %d-sample line", codec.ErrUnsupported, d.restart, width)
		}
		linesPerInterval = d.restart / width
	}
	for y := 0; y < height; y++ {
		row := y * stride
		first := y%linesPerInterval == 0 // first line of the scan or of a restart interval
		if first && y > 0 {
			if err := br.Restart((y/linesPerInterval - 1) & 7); err != nil {
				return err
			}
		}
		for _, c := range s.comps {
			diff, err := br.decodeDiff(c.table)
			if err != nil {
				return err
			}
			i := row + c.offset
			pred := initial
			if !first {
				pred = int32(pix[i-stride]) // Rb
			}
			pix[i] = uint32(pred+diff) & 0xFFFF
		}
		predictor := s.predictor
		if first {
			predictor = 1 // Ra
		}
		if err := d.decodeRun(s, br, predictor, row, 1, width); err != nil {
			return err
		}
		if br.Overrun() {
			return fmt.Errorf("%w: scan data ends in line %d of %d", codec.ErrTruncated, y+1, height)
		}
	}
	return nil
}

// decodeRun decodes the MCUs x0 to x1-1 (x0 > 0) of the line starting at
// Pix[row] with one predictor.
func (d *decoder) decodeRun(s *scan, br *bitReader, predictor, row, x0, x1 int) error {
	pix := d.img.Pix
	nc := d.img.Components
	stride := d.img.Width * nc
	if len(s.comps) == 1 {
		c := s.comps[0]
		return decodeSamples(br, c.table, pix, predictor, row+x0*nc+c.offset, row+x1*nc+c.offset, nc, stride)
	}
	// Interleaved components: the same steps as decodeSamples, MCU by MCU,
	// written out again rather than shared: the Huffman fast paths must stay
	// inline in both loops (a call per sample costs about a quarter of the
	// decoding time), and a function holding them is too large for Go to
	// inline.
	acc, n := br.Acc, br.N
	for x := x0; x < x1; x++ {
		base := row + x*nc
		for _, c := range s.comps {
			if n < 32 {
				br.Acc, br.N = acc, n
				br.Refill()
				acc, n = br.Acc, br.N
			}
			t := c.table
			var diff int32
			e := t.lut[acc>>(64-lutBits)]
			k := uint(e & 0xFF)
			if s := uint(e >> 16); e&lutComplete != 0 {
				acc <<= k
				n -= k
				diff = e >> 16
			} else if k != 0 && s < 16 {
				// Code in the table, its s extra bits after it (EXTEND, F.2.2.1).
				acc <<= k
				v := int32(acc >> (64 - s))
				acc <<= s
				n -= k + s
				diff = v + (v>>(s-1)&1-1)&(1-1<<s)
			} else {
				br.Acc, br.N = acc, n
				var err error
				if diff, err = br.decodeSlow(t, e); err != nil {
					return err
				}
				acc, n = br.Acc, br.N
			}
			i := base + c.offset
			var pred int32
			switch predictor {
			case 1:
				pred = int32(pix[i-nc])
			case 2:
				pred = int32(pix[i-stride])
			default:
				pred = predict(predictor, pix, i, nc, stride)
			}
			pix[i] = uint32(pred+diff) & 0xFFFF
		}
	}
	br.Acc, br.N = acc, n
	return nil
}

// decodeSamples decodes the samples Pix[i0], Pix[i0+nc], ... before
// Pix[i1] of one component, none first in its line.
// It is the hot loop: the bit reader lives in locals and the two Huffman
// fast paths (whole difference in the table; code in the table, extra bits
// after it) are written out inline, as a function call per sample costs
// about a quarter of the decoding time.
func decodeSamples(br *bitReader, t *huffTable, pix []uint32, predictor, i0, i1, nc, stride int) error {
	acc, n := br.Acc, br.N
	for i := i0; i < i1; i += nc {
		if n < 32 {
			br.Acc, br.N = acc, n
			br.Refill()
			acc, n = br.Acc, br.N
		}
		var diff int32
		e := t.lut[acc>>(64-lutBits)]
		k := uint(e & 0xFF)
		if s := uint(e >> 16); e&lutComplete != 0 {
			acc <<= k
			n -= k
			diff = e >> 16
		} else if k != 0 && s < 16 {
			// Code in the table, its s extra bits after it (EXTEND, F.2.2.1).
			acc <<= k
			v := int32(acc >> (64 - s))
			acc <<= s
			n -= k + s
			diff = v + (v>>(s-1)&1-1)&(1-1<<s)
		} else {
			br.Acc, br.N = acc, n
			var err error
			if diff, err = br.decodeSlow(t, e); err != nil {
				return err
			}
			acc, n = br.Acc, br.N
		}
		var pred int32
		switch predictor {
		case 1:
			pred = int32(pix[i-nc])
		case 2:
			pred = int32(pix[i-stride])
		default:
			pred = predict(predictor, pix, i, nc, stride)
		}
		pix[i] = uint32(pred+diff) & 0xFFFF
	}
	br.Acc, br.N = acc, n
	return nil
}

// predict computes the prediction of T.81 Table H.1 for the sample at
// Pix[i] from its left (Ra), upper (Rb) and upper-left (Rc) neighbours.
// Halving is an arithmetic right shift, as in libjpeg.
func predict(predictor int, pix []uint32, i, nc, stride int) int32 {
	ra := int32(pix[i-nc])
	rb := int32(pix[i-stride])
	rc := int32(pix[i-stride-nc])
	switch predictor {
	case 1:
		return ra
	case 2:
		return rb
	case 3:
		return rc
	case 4:
		return ra + rb - rc
	case 5:
		return ra + (rb-rc)>>1
	case 6:
		return rb + (ra-rc)>>1
	default: // 7
		return (ra + rb) >> 1
	}
}

// decodeDiff decodes one difference (T.81 H.1.2.2).
func (r *bitReader) decodeDiff(t *huffTable) (int32, error) {
	if r.N < 32 {
		r.Refill()
	}
	e := t.lut[r.Acc>>(64-lutBits)]
	if e&lutComplete != 0 {
		n := uint(e & 0xFF)
		r.Acc <<= n
		r.N -= n
		return e >> 16, nil
	}
	return r.decodeSlow(t, e)
}

// decodeSlow finishes decoding a difference whose code or extra bits do
// not fit in the lookup table. On entry at least 32 bits are buffered.
func (r *bitReader) decodeSlow(t *huffTable, e int32) (int32, error) {
	var s int
	if n := uint(e & 0xFF); n != 0 {
		r.Acc <<= n
		r.N -= n
		s = int(e >> 16)
	} else {
		// Canonical decoding of a code longer than lutBits (F.2.2.3).
		ssss, l, ok := t.codes.DecodeLong(r.Acc, lutBits+1)
		if !ok {
			return 0, fmt.Errorf("%w: invalid Huffman code", codec.ErrCorrupt)
		}
		s = int(ssss)
		r.Acc <<= l
		r.N -= l
	}
	switch {
	case s == 0:
		return 0, nil
	case s == 16:
		return 32768, nil // no extra bits follow SSSS 16 (H.1.2.2)
	case s > 16:
		return 0, fmt.Errorf("%w: difference category %d", codec.ErrCorrupt, s)
	}
	return r.ReceiveExtend(uint(s)), nil
}
