package dicomio

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// Overlay planes (PS3.3 C.9.2) are one-bit bitmaps in the repeating groups
// 6000–601E that a modality or a PACS draws over the image: graphics such as
// a marked lesion or a measurement, or a region of interest. A reading
// viewer shows them; this file reads their description with the header and
// their bits with each frame.

const (
	overlayFirstGroup = 0x6000
	overlayLastGroup  = 0x601E // 16 planes, even groups only (PS3.3 C.9.2)
)

// OverlayPlane describes one overlay plane of an instance.
type OverlayPlane struct {
	Group      uint16 // 0x6000, 0x6002, …
	Rows, Cols int
	// Origin is where the bitmap's first pixel lies on the image: row and
	// column, counting from 1 at the image's top-left pixel (C.9.2.1.2). It
	// may lie outside the image; pixels outside are not drawn.
	Origin      [2]int
	Type        string // "G" graphics or "R" region of interest
	Label       string
	Description string
	// The plane covers image frames FirstFrame … FirstFrame+Frames−1,
	// counting from 1 (Image Frame Origin, Number of Frames in Overlay;
	// both 1 when absent).
	FirstFrame, Frames int

	data overlayData
}

// overlayData is where a plane's Overlay Data (60xx,3000) is: its value
// when the header parse read it, else its place in the file (bulk values
// are located, not read; see bulkThreshold).
type overlayData struct {
	value    []byte
	offset   int64
	length   uint32
	swap16   bool   // OW in big endian: bytes of each word swapped (PS3.5 §8.1.2)
	inflated []byte // a deflated file's dataset, as pixelLocation.inflated
}

// OverlayBitmap is one plane's bitmap for one frame. Bits holds Rows × Cols
// bits, row by row, packed eight to a byte with the first pixel in the
// least significant bit (as Overlay Data packs them): a frame keeps its
// overlays at one sixteenth of the size of its 16-bit pixels.
type OverlayBitmap struct {
	Rows, Cols int
	Origin     [2]int // as OverlayPlane.Origin
	Type       string
	Bits       []byte
}

// At reports whether the overlay is drawn at (row, col) of the bitmap.
func (b *OverlayBitmap) At(row, col int) bool {
	i := row*b.Cols + col
	return b.Bits[i>>3]>>(i&7)&1 == 1
}

// PackOverlayBits packs one 0/1 value per pixel into OverlayBitmap.Bits.
func PackOverlayBits(vals []uint8) []byte {
	out := make([]byte, (len(vals)+7)/8)
	for i, v := range vals {
		out[i>>3] |= (v & 1) << (i & 7)
	}
	return out
}

// maxOverlayPixels bounds one plane's bitmap (Overlay Rows × Columns), so
// that a hostile size cannot exhaust memory; 8192² is far beyond any image.
const maxOverlayPixels = 8192 * 8192

// readOverlayPlanes reads the descriptions of the overlay planes in ds.
// Planes the viewer cannot draw are left out: overlays embedded in the
// pixel data's unused high bits (retired since 2004; Overlay Bits
// Allocated > 1, no Overlay Data) and planes without a valid size or data.
func readOverlayPlanes(ds *Dataset, syntax TransferSyntax, inflated []byte) []OverlayPlane {
	var planes []OverlayPlane
	for g := uint16(overlayFirstGroup); g <= overlayLastGroup; g += 2 {
		at := func(e uint16) tag.Tag { return tag.Tag{Group: g, Element: e} }
		data := ds.Get(at(0x3000))
		rows, cols := ds.Int(at(0x0010), 0), ds.Int(at(0x0011), 0)
		// Each side is US (PS3.3 C.9.2): bounding them one by one keeps a
		// malformed UL size from overflowing the product below.
		if data == nil || data.Length == undefinedLength || ds.Int(at(0x0100), 1) != 1 ||
			rows <= 0 || cols <= 0 || rows > 0xFFFF || cols > 0xFFFF || rows*cols > maxOverlayPixels {
			continue
		}
		p := OverlayPlane{
			Group: g, Rows: rows, Cols: cols, Origin: [2]int{1, 1},
			Type:        strings.ToUpper(ds.String(at(0x0040))),
			Label:       ds.Text(at(0x1500)),
			Description: ds.Text(at(0x0022)),
			FirstFrame:  max(ds.Int(at(0x0051), 1), 1),
			Frames:      max(ds.Int(at(0x0015), 1), 1),
			data: overlayData{value: data.Value, offset: data.Offset, length: data.Length,
				swap16: syntax.ByteOrder == binary.BigEndian && data.VR == "OW", inflated: inflated},
		}
		if o, ok := ds.Ints(at(0x0050)); ok && len(o) == 2 {
			p.Origin = [2]int{o[0], o[1]}
		}
		planes = append(planes, p)
	}
	return planes
}

// covers reports whether the plane is drawn on frame index (from 0).
func (p *OverlayPlane) covers(index int) bool {
	k := index + 1 - p.FirstFrame
	return k >= 0 && k < p.Frames
}

// bitmap unpacks the plane's bits for frame index (from 0) of the
// instance at path. Overlay Data packs the bits of all its frames one
// after another, the first pixel in the least significant bit of the first
// byte (PS3.5 §8.1.2, §8.2). It returns nil, nil when the plane does not
// cover the frame.
func (p *OverlayPlane) bitmap(path string, index int) (*OverlayBitmap, error) {
	if !p.covers(index) {
		return nil, nil
	}
	n := int64(p.Rows) * int64(p.Cols)
	startBit := int64(index+1-p.FirstFrame) * n
	// The bytes that hold the frame's bits; swapped words are read whole.
	first, last := startBit/8, (startBit+n+7)/8
	if p.data.swap16 {
		first, last = first&^1, (last+1)&^1
	}
	if last > int64(p.data.length) {
		return nil, fmt.Errorf("%w: overlay %04X: the %d × %d bits of frame %d end past its %d bytes of data",
			ErrTruncated, p.Group, p.Rows, p.Cols, index+1, p.data.length)
	}
	buf, err := p.data.read(path, first, last)
	if err != nil {
		return nil, fmt.Errorf("overlay %04X: %w", p.Group, err)
	}
	if p.data.swap16 {
		for i := 0; i+1 < len(buf); i += 2 {
			buf[i], buf[i+1] = buf[i+1], buf[i]
		}
	}
	out := &OverlayBitmap{Rows: p.Rows, Cols: p.Cols, Origin: p.Origin, Type: p.Type, Bits: buf[:(n+7)/8]}
	if shift := startBit - first*8; shift != 0 { // realign the frame's first bit to bit 0
		out.Bits = make([]byte, (n+7)/8)
		for i := int64(0); i < n; i++ {
			b := shift + i
			out.Bits[i>>3] |= buf[b>>3] >> (b & 7) & 1 << (i & 7)
		}
	} else if n%8 != 0 {
		out.Bits[len(out.Bits)-1] &= 1<<(n%8) - 1 // the next frame's bits
	}
	return out, nil
}

// read returns bytes [from, to) of the Overlay Data value, a fresh copy.
func (d *overlayData) read(path string, from, to int64) ([]byte, error) {
	if d.value != nil {
		if to > int64(len(d.value)) {
			return nil, fmt.Errorf("%w: overlay data is %d bytes", ErrTruncated, len(d.value))
		}
		return append([]byte(nil), d.value[from:to]...), nil
	}
	loc := pixelLocation{inflated: d.inflated}
	r, size, done, err := loc.open(path)
	if err != nil {
		return nil, err
	}
	defer done()
	if d.offset+to > size {
		return nil, fmt.Errorf("%w: overlay data ends past the end of the file", ErrTruncated)
	}
	buf := make([]byte, to-from)
	if _, err := r.ReadAt(buf, d.offset+from); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTruncated, err)
	}
	return buf, nil
}
