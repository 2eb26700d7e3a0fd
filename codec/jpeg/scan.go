package jpeg

import (
	"fmt"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
)

// scanComponent is one component of a scan with its entropy tables.
type scanComponent struct {
	comp   *component
	dc, ac *huffTable
	pred   int32 // DC predictor (F.2.1.3.1)
}

// parseAndDecodeScan reads a scan header (T.81 B.2.3), decodes the
// entropy-coded data that follows at pos and returns the position after
// it.
func (d *decoder) parseAndDecodeScan(seg []byte, pos int) (int, error) {
	f := d.frame
	if f == nil {
		return 0, fmt.Errorf("%w: scan before the frame header", codec.ErrCorrupt)
	}
	ns, err := jpegsyntax.ScanComponents(seg, len(f.comps))
	if err != nil {
		return 0, err
	}
	// Ss, Se, Ah and Al must be 0, 63, 0, 0 in a sequential scan; libjpeg
	// only warns when they are not and decodes the scan as sequential,
	// and so does this decoder.
	scomps := make([]scanComponent, ns)
	units := 0
	for j := range scomps {
		id, td, ta := seg[1+2*j], int(seg[2+2*j]>>4), int(seg[2+2*j]&15)
		var c *component
		for k := range f.comps {
			if f.comps[k].id == id {
				c = &f.comps[k]
			}
		}
		switch {
		case c == nil:
			return 0, fmt.Errorf("%w: scan names unknown component %d", codec.ErrCorrupt, id)
		case c.scanned:
			return 0, fmt.Errorf("%w: component %d in two scans", codec.ErrCorrupt, id)
		case td > 3 || !d.dc[td].defined:
			return 0, fmt.Errorf("%w: scan uses undefined DC Huffman table %d", codec.ErrCorrupt, td)
		case ta > 3 || !d.ac[ta].defined:
			return 0, fmt.Errorf("%w: scan uses undefined AC Huffman table %d", codec.ErrCorrupt, ta)
		case !d.quant[c.tq].defined:
			return 0, fmt.Errorf("%w: component %d uses undefined quantization table %d", codec.ErrCorrupt, id, c.tq)
		}
		// The DC table's symbols are difference categories 0..15 (F.1.2.1;
		// libjpeg refuses larger ones when it builds the table).
		for _, s := range d.dc[td].codes.Symbols() {
			if s > 15 {
				return 0, fmt.Errorf("%w: DC Huffman table %d has category %d", codec.ErrCorrupt, td, s)
			}
		}
		c.scanned = true
		c.quant = d.quant[c.tq]
		scomps[j] = scanComponent{comp: c, dc: &d.dc[td], ac: &d.ac[ta]}
		units += c.h * c.v
	}
	if ns > 1 && units > maxBlocksInMCU {
		return 0, fmt.Errorf("%w: %d data units in an MCU", codec.ErrCorrupt, units)
	}
	br := bitReader{jpegsyntax.NewBitReader(d.data, pos)}
	if ns == 1 {
		err = d.decodeNonInterleaved(scomps, &br)
	} else {
		err = d.decodeInterleaved(scomps, &br)
	}
	if err != nil {
		return 0, err
	}
	return br.Pos(), nil
}

// decodeNonInterleaved decodes a scan of one component (T.81 A.2.2): its
// MCU is one data unit and the units cover the component itself, not the
// MCU-padded area.
func (d *decoder) decodeNonInterleaved(scomps []scanComponent, br *bitReader) error {
	sc := &scomps[0]
	c := sc.comp
	unitsX, unitsY := ceilDiv(c.width, 8), ceilDiv(c.height, 8)
	var blk [64]int32
	mcu := 0
	for by := 0; by < unitsY; by++ {
		for bx := 0; bx < unitsX; bx++ {
			if err := d.restartIfDue(mcu, br, scomps); err != nil {
				return err
			}
			mcu++
			if err := d.decodeUnit(sc, br, &blk, c.plane[by*8*c.stride+bx*8:], c.stride); err != nil {
				return err
			}
		}
		if br.Overrun() {
			return fmt.Errorf("%w: scan data ends in block row %d of %d", codec.ErrTruncated, by+1, unitsY)
		}
	}
	return nil
}

// decodeInterleaved decodes a scan of several components (T.81 A.2.3):
// each MCU holds Hi×Vi data units of every scan component, in scan order.
func (d *decoder) decodeInterleaved(scomps []scanComponent, br *bitReader) error {
	f := d.frame
	var blk [64]int32
	mcu := 0
	for my := 0; my < f.mcusY; my++ {
		for mx := 0; mx < f.mcusX; mx++ {
			if err := d.restartIfDue(mcu, br, scomps); err != nil {
				return err
			}
			mcu++
			for j := range scomps {
				sc := &scomps[j]
				c := sc.comp
				for v := 0; v < c.v; v++ {
					row := (my*c.v + v) * 8 * c.stride
					for h := 0; h < c.h; h++ {
						if err := d.decodeUnit(sc, br, &blk, c.plane[row+(mx*c.h+h)*8:], c.stride); err != nil {
							return err
						}
					}
				}
			}
		}
		if br.Overrun() {
			return fmt.Errorf("%w: scan data ends in MCU row %d of %d", codec.ErrTruncated, my+1, f.mcusY)
		}
	}
	return nil
}

// restartIfDue reads the RSTm marker that ends every restart interval
// before MCU number mcu (T.81 B.2.4.4, F.2.1.3.1) and resets the DC
// predictors of the scan components.
func (d *decoder) restartIfDue(mcu int, br *bitReader, scomps []scanComponent) error {
	if d.restart == 0 || mcu == 0 || mcu%d.restart != 0 {
		return nil
	}
	if err := br.Restart((mcu/d.restart - 1) & 7); err != nil {
		return err
	}
	for j := range scomps {
		scomps[j].pred = 0
	}
	return nil
}

// decodeUnit decodes one data unit (T.81 F.2.2), dequantizes it, and
// writes its inverse DCT to dst.
func (d *decoder) decodeUnit(sc *scanComponent, br *bitReader, blk *[64]int32, dst []uint16, stride int) error {
	if br.N < 32 {
		br.Refill()
	}
	s, err := br.decodeSymbol(sc.dc)
	if err != nil {
		return err
	}
	if s != 0 {
		sc.pred += br.ReceiveExtend(uint(s))
	}
	q := &sc.comp.quant.q
	// libjpeg keeps the predictor in an int but stores the coefficient
	// in a 16-bit JCOEF before dequantizing it.
	blk[0] = int32(int16(sc.pred)) * q[0]
	ac := sc.ac
	for k := 1; k < 64; k++ {
		if br.N < 32 {
			br.Refill()
		}
		if e := ac.fastAC[br.Acc>>(64-lutBits)]; e != 0 {
			// Code and extra bits in the table (F.2.2.2).
			n := uint(e & 15)
			br.Acc <<= n
			br.N -= n
			k += int(e>>4) & 15
			z := zigzag[k]
			blk[z] = e >> 8 * q[z]
			continue
		}
		rs, err := br.decodeSymbol(ac)
		if err != nil {
			return err
		}
		r, s := int(rs>>4), uint(rs&15)
		if s == 0 {
			if r != 15 {
				break // EOB
			}
			k += 15 // ZRL
			continue
		}
		k += r
		z := zigzag[k]
		blk[z] = br.ReceiveExtend(s) * q[z]
	}
	d.frame.idct.idct(blk, dst, stride)
	*blk = [64]int32{}
	return nil
}
