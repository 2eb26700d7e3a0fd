package render

import (
	"encoding/binary"
	"image"
	"unsafe"

	"github.com/myeloview/myeloview/dicomio"
)

// opaqueGrey is the RGBA pixel of grey level 0 as a little-endian uint32
// (R, G, B, A in memory order); multiplying a grey level by greySpread
// copies it into R, G and B.
const (
	opaqueGrey = 0xff000000
	greySpread = 0x010101
)

// nativeOpaque and nativeSpread are opaqueGrey and greySpread for a uint32
// stored in the machine's own byte order.
var nativeOpaque, nativeSpread = func() (uint32, uint32) {
	probe := uint32(1)
	if *(*byte)(unsafe.Pointer(&probe)) == 1 {
		return opaqueGrey, greySpread
	}
	return 0x000000ff, 0x01010100
}()

// greyRowRGBA writes the opaque grey pixels of one row through the table.
// It stores each pixel as one native uint32 when the row is 4-byte
// aligned (always, for images from image.NewRGBA), which is about twice
// as fast as storing bytes.
func greyRowRGBA(row []byte, src []uint16, t *[1 << 16]uint8, mask uint16) {
	if len(src) == 0 {
		return
	}
	row = row[:4*len(src)]
	if uintptr(unsafe.Pointer(&row[0]))%4 == 0 {
		words := unsafe.Slice((*uint32)(unsafe.Pointer(&row[0])), len(src))
		opaque, spread := nativeOpaque, nativeSpread
		for x, r := range src {
			words[x] = uint32(t[r&mask])*spread | opaque
		}
		return
	}
	for x, r := range src {
		binary.LittleEndian.PutUint32(row[4*x:4*x+4:4*x+4], uint32(t[r&mask])*greySpread|opaqueGrey)
	}
}

// RenderGray renders a frame into dst, which is reused when its size is
// Cols × Rows and replaced otherwise, and returns it. Colour frames render
// as their luma (ITU-R BT.601 weights). A frame whose sample slice does not
// hold Rows × Cols × Samples values renders as an empty image.
func (l *GreyLUT) RenderGray(f *dicomio.Frame, dst *image.Gray) *image.Gray {
	n, ok := sampleCount(f)
	if !ok {
		return image.NewGray(image.Rectangle{})
	}
	dst = sizedGray(dst, f.Cols, f.Rows)
	if f.Samples == 3 {
		lumaOf(l.RenderRGBA(f, nil), dst)
		return dst
	}
	cols := f.Cols
	l = l.forFrame(f, n)
	if l.Fits(f) {
		t, mask := l.table, l.mask
		for y := range f.Rows {
			src := f.Raw16[y*cols : (y+1)*cols]
			row := dst.Pix[y*dst.Stride : y*dst.Stride+cols]
			for x, r := range src {
				row[x] = t[r&mask]
			}
		}
		return dst
	}
	inv, bits := l.invert != f.Inverted(), storedBits(f)
	for y := range f.Rows {
		row := dst.Pix[y*dst.Stride : y*dst.Stride+cols]
		for x := range row {
			row[x] = l.display(sampleValue(f, bits, y*cols+x), inv)
		}
	}
	return dst
}

// RenderRGBA renders a frame as opaque pixels into dst, which is reused
// when its size is Cols × Rows and replaced otherwise, and returns it:
// the image the viewer draws. Greyscale frames become grey pixels; colour
// frames render as RenderColor does, inverted when the table's invert is
// set. A frame whose sample slice does not hold Rows × Cols × Samples
// values renders as an empty image.
func (l *GreyLUT) RenderRGBA(f *dicomio.Frame, dst *image.RGBA) *image.RGBA {
	n, ok := sampleCount(f)
	if !ok {
		return image.NewRGBA(image.Rectangle{})
	}
	if f.Samples == 3 {
		dst = RenderColor(f, dst)
		if l.invert {
			invertRGB(dst)
		}
		return dst
	}
	dst = sizedRGBA(dst, f.Cols, f.Rows)
	cols := f.Cols
	l = l.forFrame(f, n)
	if l.Fits(f) {
		for y := range f.Rows {
			greyRowRGBA(dst.Pix[y*dst.Stride:y*dst.Stride+4*cols], f.Raw16[y*cols:(y+1)*cols], l.table, l.mask)
		}
		return dst
	}
	inv, bits := l.invert != f.Inverted(), storedBits(f)
	for y := range f.Rows {
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*cols]
		for x := range cols {
			v := l.display(sampleValue(f, bits, y*cols+x), inv)
			binary.LittleEndian.PutUint32(row[4*x:4*x+4:4*x+4], uint32(v)*greySpread|opaqueGrey)
		}
	}
	return dst
}

// forFrame returns l when f fits it; else, when f could have a table and
// has enough pixels (n) for building one to pay, a table with l's display
// transform built for f; else l, whose generic path then renders f. Both
// give the same pixels.
func (l *GreyLUT) forFrame(f *dicomio.Frame, n int) *GreyLUT {
	if l.Fits(f) || f.Raw16 == nil || f.Samples != 1 || f.BitsStored < 1 || f.BitsStored > 16 || n < 1<<f.BitsStored/4 {
		return l
	}
	own := &GreyLUT{window: l.window, voi: l.voi, invert: l.invert}
	own.build(f)
	return own
}

// sizedGray returns dst when it is cols × rows, else a new image.
func sizedGray(dst *image.Gray, cols, rows int) *image.Gray {
	if dst != nil && dst.Rect.Dx() == cols && dst.Rect.Dy() == rows && dst.Stride >= cols && len(dst.Pix) >= (rows-1)*dst.Stride+cols {
		return dst
	}
	return image.NewGray(image.Rect(0, 0, cols, rows))
}

// sizedRGBA returns dst when it is cols × rows, else a new image.
func sizedRGBA(dst *image.RGBA, cols, rows int) *image.RGBA {
	if dst != nil && dst.Rect.Dx() == cols && dst.Rect.Dy() == rows && dst.Stride >= 4*cols && len(dst.Pix) >= (rows-1)*dst.Stride+4*cols {
		return dst
	}
	return image.NewRGBA(image.Rect(0, 0, cols, rows))
}

// lumaOf writes the BT.601 luma of src into dst, of the same size.
func lumaOf(src *image.RGBA, dst *image.Gray) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	for y := range h {
		s := src.Pix[y*src.Stride : y*src.Stride+4*w]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		for x := range d {
			r, g, b := uint32(s[4*x]), uint32(s[4*x+1]), uint32(s[4*x+2])
			// Weights 0.299, 0.587, 0.114 in 16.16 fixed point, as image/color.
			d[x] = uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
		}
	}
}

// invertRGB replaces every colour of an opaque image by its complement.
func invertRGB(m *image.RGBA) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+1], row[i+2] = 255-row[i], 255-row[i+1], 255-row[i+2]
		}
	}
}
