package jpeg

import (
	"fmt"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
)

// Options controls what Decode does after reconstructing the components.
type Options struct {
	// ConvertYCbCr converts a three-component frame from YCbCr to RGB
	// with libjpeg's fixed-point equations (jdcolor.c), after upsampling.
	// The caller decides, from the DICOM Photometric Interpretation (PS3.3
	// C.7.6.3.1.2), whether the components are YCbCr; the codestream's own
	// hints (JFIF, Adobe markers, component identifiers) are not used.
	// It has no effect on frames of one, two or four components.
	ConvertYCbCr bool
}

// Decode decodes one JPEG frame of the DCT-based sequential processes with
// Huffman coding: process 1 (baseline, 8-bit, DICOM transfer syntax
// 1.2.840.10008.1.2.4.50) and processes 2 and 4 (extended, 8- or 12-bit,
// 1.2.840.10008.1.2.4.51); PS3.5 A.4.1 and 8.2.1.
//
// It checks the frame header against e before it allocates anything. The
// image has the frame's precision (8 or 12); every component is upsampled
// to the full frame size and the samples are interleaved per pixel in the
// component order of the frame header, converted to RGB when opt asks for
// it. Decode is safe for concurrent use.
func Decode(data []byte, e codec.Expect, opt Options) (*codec.Image, error) {
	d := decoder{data: data, expect: e, opt: opt}
	if err := jpegsyntax.Walk(data, d.segment, d.finish); err != nil {
		return nil, err
	}
	return d.img, nil
}

// decoder holds the state of one Decode call.
type decoder struct {
	data   []byte
	expect codec.Expect
	opt    Options
	img    *codec.Image

	frame   *frame
	quant   [4]quantTable
	dc, ac  [4]huffTable // by destination Th (B.2.4.2)
	restart int          // restart interval in MCUs (B.2.4.4); 0: none
}

// quantTable is one DQT table (T.81 B.2.4.1) in natural (row-major) order.
type quantTable struct {
	q       [64]int32
	defined bool
}

// segment reads the marker segment after marker, whose length field
// starts at pos, and returns where the next marker search starts.
func (d *decoder) segment(marker byte, pos int) (int, error) {
	if marker == jpegsyntax.SOI {
		return 0, fmt.Errorf("%w: second SOI marker", codec.ErrCorrupt)
	}
	seg, next, err := jpegsyntax.Segment(d.data, pos, marker)
	if err != nil {
		return 0, err
	}
	switch {
	case marker == jpegsyntax.SOF0 || marker == jpegsyntax.SOF1:
		err = d.parseFrame(seg)
	case marker == jpegsyntax.DHT:
		err = d.parseDHT(seg)
	case marker == jpegsyntax.DQT:
		err = d.parseDQT(seg)
	case marker == jpegsyntax.DRI:
		d.restart, err = jpegsyntax.ParseDRI(seg)
	case marker == jpegsyntax.SOS:
		return d.parseAndDecodeScan(seg, next)
	case marker == jpegsyntax.DHP || marker == jpegsyntax.EXP:
		err = fmt.Errorf("%w: hierarchical JPEG (T.81 Annex J) not supported", codec.ErrUnsupported)
	case marker == jpegsyntax.DAC:
		err = fmt.Errorf("%w: arithmetic-coded JPEG not supported", codec.ErrUnsupported)
	case marker >= jpegsyntax.SOF2 && marker <= jpegsyntax.SOF15 && marker != jpegsyntax.DHT && marker != jpegsyntax.JPG:
		err = unsupportedFrame(marker)
	}
	// APPn, COM, DNL, JPG, JPGn and reserved markers carry segments
	// this decoder does not need; they are skipped. A DNL (B.2.5) only
	// matters for a frame of height 0, which parseFrame refuses.
	return next, err
}

// unsupportedFrame names the process of a SOFn this decoder does not
// handle (T.81 Table B.1).
func unsupportedFrame(marker byte) error {
	var what string
	switch marker {
	case jpegsyntax.SOF2:
		what = "progressive JPEG (process 10/12, SOF2)"
	case jpegsyntax.SOF3:
		what = "lossless JPEG (process 14, SOF3; see package ljpeg)"
	case 0xC5, 0xC6, 0xC7:
		what = fmt.Sprintf("hierarchical (differential) JPEG (SOF%d)", marker-jpegsyntax.SOF0)
	default: // C9-CB, CD-CF
		what = fmt.Sprintf("arithmetic-coded JPEG (SOF%d)", marker-jpegsyntax.SOF0)
	}
	return fmt.Errorf("%w: %s not supported", codec.ErrUnsupported, what)
}

// finish checks every component was decoded, then upsamples, converts
// and interleaves them into the image. A missing EOI is tolerated, as
// libjpeg tolerates it, once every component is complete.
func (d *decoder) finish(sawEOI bool) error {
	f := d.frame
	if f == nil {
		if sawEOI {
			return fmt.Errorf("%w: no frame header", codec.ErrCorrupt)
		}
		return fmt.Errorf("%w: no frame header", codec.ErrTruncated)
	}
	for i := range f.comps {
		if !f.comps[i].scanned {
			if sawEOI {
				return fmt.Errorf("%w: component %d has no scan", codec.ErrCorrupt, f.comps[i].id)
			}
			return fmt.Errorf("%w: component %d has no scan", codec.ErrTruncated, f.comps[i].id)
		}
	}
	d.img = &codec.Image{
		Width:      f.width,
		Height:     f.height,
		Components: len(f.comps),
		Precision:  f.precision,
		Pix:        make([]uint32, f.width*f.height*len(f.comps)),
	}
	f.output(d.img.Pix, d.opt.ConvertYCbCr && len(f.comps) == 3)
	return nil
}
