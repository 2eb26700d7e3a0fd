package ljpeg

import (
	"fmt"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
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
	if err := jpegsyntax.Walk(data, d.segment, d.finish); err != nil {
		return nil, err
	}
	return d.img, nil
}

// segment reads the marker segment after marker, whose length field
// starts at pos, and returns where the next marker search starts.
func (d *decoder) segment(marker byte, pos int) (int, error) {
	seg, next, err := jpegsyntax.Segment(d.data, pos, marker)
	if err != nil {
		return 0, err
	}
	switch {
	case marker == jpegsyntax.SOF3:
		err = d.parseFrame(seg)
	case marker == jpegsyntax.DHT:
		err = d.parseDHT(seg)
	case marker == jpegsyntax.DRI:
		d.restart, err = jpegsyntax.ParseDRI(seg)
	case marker == jpegsyntax.SOS:
		return d.parseAndDecodeScan(seg, next)
	case marker == jpegsyntax.DNL:
		err = fmt.Errorf("%w: DNL marker (image height defined after the scan)", codec.ErrUnsupported)
	case marker == jpegsyntax.DHP || marker == jpegsyntax.EXP:
		err = fmt.Errorf("%w: hierarchical JPEG", codec.ErrUnsupported)
	case marker >= jpegsyntax.SOF0 && marker <= jpegsyntax.SOF15 && marker != jpegsyntax.JPG && marker != jpegsyntax.DAC:
		// Other SOFn (B.1.1.3): DCT, arithmetic or differential.
		err = fmt.Errorf("%w: SOF%d frame; only lossless Huffman SOF3 is decoded", codec.ErrUnsupported, marker-jpegsyntax.SOF0)
	case marker == jpegsyntax.DAC:
		err = fmt.Errorf("%w: arithmetic coding", codec.ErrUnsupported)
	}
	// APPn, COM, DQT, JPG and reserved markers carry segments this
	// decoder does not need; they are skipped. A second SOI is read as a
	// segment too.
	return next, err
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
	h, err := jpegsyntax.ParseFrameHeader(seg)
	if err != nil {
		return err
	}
	precision, height, width, nf := h.Precision, h.Height, h.Width, h.Components
	switch {
	case precision < 2 || precision > 16:
		return fmt.Errorf("%w: sample precision %d (lossless allows 2 to 16)", codec.ErrCorrupt, precision)
	case height == 0:
		return fmt.Errorf("%w: frame height 0 (defined by a DNL marker)", codec.ErrUnsupported)
	}
	if err := h.CheckComponents(seg, maxComponents); err != nil {
		return err
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
	return jpegsyntax.ParseDHT(seg, func(s jpegsyntax.HuffmanSpec) error {
		if s.Class != 0 {
			return nil
		}
		t := &d.tableStore[s.Dest]
		if err := t.build(&s); err != nil {
			return err
		}
		d.tables[s.Dest] = t
		return nil
	})
}

// parseAndDecodeScan reads a scan header (T.81 B.2.3, which gives Ss the
// meaning of the predictor and Al of the point transform), decodes the
// entropy-coded data that follows at pos and returns the position after it.
func (d *decoder) parseAndDecodeScan(seg []byte, pos int) (int, error) {
	if d.img == nil {
		return 0, fmt.Errorf("%w: scan before the frame header", codec.ErrCorrupt)
	}
	ns, err := jpegsyntax.ScanComponents(seg, len(d.comps))
	if err != nil {
		return 0, err
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
	br := bitReader{jpegsyntax.NewBitReader(d.data, pos)}
	if err := d.decodeScan(&s, &br); err != nil {
		return 0, err
	}
	return br.Pos(), nil
}

func (d *decoder) componentIndex(id byte) int {
	for k := range d.comps {
		if d.comps[k].id == id {
			return k
		}
	}
	return -1
}
