package ljpeg

import (
	"encoding/binary"
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// Marker codes (T.81 Table B.1).
const (
	markerSOF3 = 0xC3 // lossless, Huffman, non-differential
	markerDHT  = 0xC4
	markerRST0 = 0xD0
	markerRST7 = 0xD7
	markerSOI  = 0xD8
	markerEOI  = 0xD9
	markerSOS  = 0xDA
	markerDNL  = 0xDC
	markerDRI  = 0xDD
	markerDHP  = 0xDE
	markerEXP  = 0xDF
	markerTEM  = 0x01
)

// maxComponents is the most components per frame this decoder accepts;
// DICOM uses 1 or 3 (PS3.5 8.2.1).
const maxComponents = 4

// component is one frame component (T.81 B.2.2).
type component struct {
	id      byte
	decoded bool // a scan has delivered its samples
	pt      uint // point transform of the scan that coded it
}

// decoder holds the state of one Decode call.
type decoder struct {
	data       []byte
	expect     codec.Expect
	img        *codec.Image
	comps      []component
	tables     [4]*huffTable // DC tables by destination Th (B.2.4.2)
	restart    int           // restart interval in MCUs (B.2.4.4); 0: none
	tableStore [4]huffTable
}

// Decode decodes one JPEG Lossless frame (T.81 Annex H, process 14), as
// stored in one frame of DICOM transfer syntaxes 1.2.840.10008.1.2.4.57 and
// .70. It checks the frame header against e before it allocates the
// image. Samples are returned as decoded (after undoing the point
// transform), interleaved per pixel in the component order of the frame
// header.
func Decode(data []byte, e codec.Expect) (*codec.Image, error) {
	d := decoder{data: data, expect: e}
	if err := d.decode(); err != nil {
		return nil, err
	}
	return d.img, nil
}

func (d *decoder) decode() error {
	if len(d.data) < 2 {
		return fmt.Errorf("%w: %d bytes", codec.ErrTruncated, len(d.data))
	}
	if d.data[0] != 0xFF || d.data[1] != markerSOI {
		return fmt.Errorf("%w: no SOI marker", codec.ErrCorrupt)
	}
	pos := 2
	for {
		marker, after, ok := nextMarker(d.data, pos)
		if !ok {
			return d.finish(false)
		}
		pos = after
		switch {
		case marker == markerEOI:
			return d.finish(true)
		case marker == markerTEM || marker >= markerRST0 && marker <= markerRST7:
			continue // markers without a segment; a stray RSTn is ignored as libjpeg does
		}
		seg, err := d.segment(pos, marker)
		if err != nil {
			return err
		}
		pos += 2 + len(seg)
		switch {
		case marker == markerSOF3:
			err = d.parseFrame(seg)
		case marker == markerDHT:
			err = d.parseDHT(seg)
		case marker == markerDRI:
			err = d.parseDRI(seg)
		case marker == markerSOS:
			pos, err = d.parseAndDecodeScan(seg, pos)
		case marker == markerDNL:
			err = fmt.Errorf("%w: DNL marker (image height defined after the scan)", codec.ErrUnsupported)
		case marker == markerDHP || marker == markerEXP:
			err = fmt.Errorf("%w: hierarchical JPEG", codec.ErrUnsupported)
		case marker >= 0xC0 && marker <= 0xCF && marker != 0xC8 && marker != 0xCC:
			// Other SOFn (B.1.1.3): DCT, arithmetic or differential.
			err = fmt.Errorf("%w: SOF%d frame; only lossless Huffman SOF3 is decoded", codec.ErrUnsupported, marker-0xC0)
		case marker == 0xCC:
			err = fmt.Errorf("%w: arithmetic coding", codec.ErrUnsupported)
		}
		// APPn, COM, DQT, JPG and reserved markers carry segments this
		// decoder does not need; they are skipped.
		if err != nil {
			return err
		}
	}
}

// segment returns the parameters of the marker segment whose length field
// starts at pos (T.81 B.1.1.4).
func (d *decoder) segment(pos int, marker byte) ([]byte, error) {
	if pos+2 > len(d.data) {
		return nil, fmt.Errorf("%w: marker %02X without length", codec.ErrTruncated, marker)
	}
	n := int(binary.BigEndian.Uint16(d.data[pos:]))
	if n < 2 {
		return nil, fmt.Errorf("%w: marker %02X segment length %d", codec.ErrCorrupt, marker, n)
	}
	if pos+n > len(d.data) {
		return nil, fmt.Errorf("%w: marker %02X segment runs past the data", codec.ErrTruncated, marker)
	}
	return d.data[pos+2 : pos+n], nil
}

// finish checks every component was decoded and undoes the point
// transform, shifting the samples left by Pt as libjpeg does, within the
// frame's precision.
func (d *decoder) finish(sawEOI bool) error {
	if d.img == nil {
		return fmt.Errorf("%w: no frame header", codec.ErrTruncated)
	}
	for _, c := range d.comps {
		if !c.decoded {
			if sawEOI {
				return fmt.Errorf("%w: component %d has no scan", codec.ErrCorrupt, c.id)
			}
			return fmt.Errorf("%w: component %d has no scan", codec.ErrTruncated, c.id)
		}
	}
	outMask := uint32(1)<<d.img.Precision - 1
	nc := len(d.comps)
	for k, c := range d.comps {
		pix := d.img.Pix[k:]
		for i := 0; i < len(pix); i += nc {
			pix[i] = pix[i] << c.pt & outMask
		}
	}
	return nil
}

// parseFrame reads SOF3 (T.81 B.2.2), checks it against the expectation and
// allocates the image.
func (d *decoder) parseFrame(seg []byte) error {
	if d.img != nil {
		return fmt.Errorf("%w: second frame header", codec.ErrCorrupt)
	}
	if len(seg) < 6 {
		return fmt.Errorf("%w: short frame header", codec.ErrCorrupt)
	}
	precision := int(seg[0])
	height := int(binary.BigEndian.Uint16(seg[1:]))
	width := int(binary.BigEndian.Uint16(seg[3:]))
	nf := int(seg[5])
	switch {
	case precision < 2 || precision > 16:
		return fmt.Errorf("%w: sample precision %d (lossless allows 2 to 16)", codec.ErrCorrupt, precision)
	case height == 0:
		return fmt.Errorf("%w: frame height 0 (defined by a DNL marker)", codec.ErrUnsupported)
	case nf == 0:
		return fmt.Errorf("%w: frame without components", codec.ErrCorrupt)
	case nf > maxComponents:
		return fmt.Errorf("%w: %d components", codec.ErrUnsupported, nf)
	case len(seg) != 6+3*nf:
		return fmt.Errorf("%w: frame header length %d for %d components", codec.ErrCorrupt, len(seg), nf)
	}
	comps := make([]component, nf)
	for i := range comps {
		c := seg[6+3*i:]
		comps[i].id = c[0]
		for j := 0; j < i; j++ {
			if comps[j].id == c[0] {
				return fmt.Errorf("%w: component %d declared twice", codec.ErrCorrupt, c[0])
			}
		}
		h, v := c[1]>>4, c[1]&15
		if h == 0 || v == 0 {
			return fmt.Errorf("%w: sampling factor 0", codec.ErrCorrupt)
		}
		// With one component the sampling factors do not matter
		// (A.2.2); with more, subsampled lossless is not used by DICOM.
		if nf > 1 && (h != 1 || v != 1) {
			return fmt.Errorf("%w: sampling factors %dx%d", codec.ErrUnsupported, h, v)
		}
	}
	if err := d.expect.Check(width, height, nf); err != nil {
		return err
	}
	// Every sample takes at least one bit of Huffman code, so a stream
	// shorter than that cannot hold the frame: refuse before allocating.
	if samples := int64(width) * int64(height) * int64(nf); samples > 8*int64(len(d.data)) {
		return fmt.Errorf("%w: %d samples cannot fit in %d bytes", codec.ErrTruncated, samples, len(d.data))
	}
	d.comps = comps
	d.img = &codec.Image{
		Width:      width,
		Height:     height,
		Components: nf,
		Precision:  precision,
		Pix:        make([]uint32, width*height*nf),
	}
	return nil
}

// parseDHT reads one or more Huffman tables (T.81 B.2.4.2). Lossless scans
// use the tables named by the scan header's Td (B.2.3); AC tables are
// checked and ignored.
func (d *decoder) parseDHT(seg []byte) error {
	for len(seg) > 0 {
		if len(seg) < 17 {
			return fmt.Errorf("%w: short Huffman table", codec.ErrCorrupt)
		}
		class, dest := seg[0]>>4, seg[0]&15
		if class > 1 || dest > 3 {
			return fmt.Errorf("%w: Huffman table class %d destination %d", codec.ErrCorrupt, class, dest)
		}
		var counts [16]uint8
		copy(counts[:], seg[1:17])
		total := 0
		for _, n := range counts {
			total += int(n)
		}
		if total > 256 || len(seg) < 17+total {
			return fmt.Errorf("%w: Huffman table with %d codes", codec.ErrCorrupt, total)
		}
		vals := seg[17 : 17+total]
		seg = seg[17+total:]
		if class != 0 {
			continue
		}
		t := &d.tableStore[dest]
		if err := t.build(&counts, vals); err != nil {
			return err
		}
		d.tables[dest] = t
	}
	return nil
}

// parseDRI reads the restart interval (T.81 B.2.4.4).
func (d *decoder) parseDRI(seg []byte) error {
	if len(seg) != 2 {
		return fmt.Errorf("%w: DRI length", codec.ErrCorrupt)
	}
	d.restart = int(binary.BigEndian.Uint16(seg))
	return nil
}

// parseAndDecodeScan reads a scan header (T.81 B.2.3, which gives Ss the
// meaning of the predictor and Al of the point transform), decodes the
// entropy-coded data that follows at pos and returns the position after it.
func (d *decoder) parseAndDecodeScan(seg []byte, pos int) (int, error) {
	if d.img == nil {
		return 0, fmt.Errorf("%w: scan before the frame header", codec.ErrCorrupt)
	}
	if len(seg) < 1 {
		return 0, fmt.Errorf("%w: empty scan header", codec.ErrCorrupt)
	}
	ns := int(seg[0])
	if ns < 1 || ns > len(d.comps) || len(seg) != 4+2*ns {
		return 0, fmt.Errorf("%w: scan header with %d components", codec.ErrCorrupt, ns)
	}
	s := scan{
		predictor: int(seg[1+2*ns]),
		pt:        uint(seg[3+2*ns] & 15),
	}
	if s.predictor < 1 || s.predictor > 7 {
		// Ss 0 is for differential frames only (H.1.2.1).
		return 0, fmt.Errorf("%w: predictor %d", codec.ErrCorrupt, s.predictor)
	}
	if int(s.pt) >= d.img.Precision {
		return 0, fmt.Errorf("%w: point transform %d for precision %d", codec.ErrCorrupt, s.pt, d.img.Precision)
	}
	for j := 0; j < ns; j++ {
		id, td := seg[1+2*j], seg[2+2*j]>>4
		k := d.componentIndex(id)
		if k < 0 {
			return 0, fmt.Errorf("%w: scan names unknown component %d", codec.ErrCorrupt, id)
		}
		if d.comps[k].decoded {
			return 0, fmt.Errorf("%w: component %d in two scans", codec.ErrCorrupt, id)
		}
		if td > 3 || d.tables[td] == nil {
			return 0, fmt.Errorf("%w: scan uses undefined Huffman table %d", codec.ErrCorrupt, td)
		}
		d.comps[k].decoded = true
		d.comps[k].pt = s.pt
		s.comps = append(s.comps, scanComponent{offset: k, table: d.tables[td]})
	}
	br := bitReader{data: d.data, pos: pos}
	if err := d.decodeScan(&s, &br); err != nil {
		return 0, err
	}
	return br.pos, nil
}

func (d *decoder) componentIndex(id byte) int {
	for k := range d.comps {
		if d.comps[k].id == id {
			return k
		}
	}
	return -1
}
