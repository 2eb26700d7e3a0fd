package ui

import (
	"encoding/binary"
	"image"
	"math"
	"unsafe"
)

// blitter copies a rendered frame onto the viewport's device pixels
// through a viewTransform, nearest neighbour: each device pixel shows the
// frame pixel under its centre, and pixels outside the frame are opaque
// black. It is the last, purely geometric, step of the frame path; the
// greyscale and overlay pixels come from package render.
//
// Nearest neighbour keeps every displayed value a value of the frame (no
// interpolated grey levels a reader could mistake for tissue) and costs one
// 32-bit load and store per device pixel (through package unsafe's view of
// the pixel bytes as words: the one hot loop where it pays); rows that
// repeat a frame row under magnification are copied whole. Minified images
// alias, as in most viewers' "fast" mode.
//
// A blitter holds scratch index tables and belongs to one goroutine (the
// render loop's).
type blitter struct {
	colOf, rowOf []int32     // frame column / row of each device column / row, -1 outside
	transposed   *image.RGBA // the frame turned a quarter, for quarter-turn views
}

// blit draws src (the rendered frame, t.Cols × t.Rows) into dst, whose
// bounds are the viewport in device pixels at canvas scale pixScale.
func (b *blitter) blit(dst, src *image.RGBA, t viewTransform, pixScale float32) {
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	if w <= 0 || h <= 0 {
		return
	}
	s := float64(pixScale)
	if s <= 0 {
		s = 1
	}
	// Which image axis runs across the device columns: x, or for a
	// quarter turn y, when the transposed frame (whose rows are the
	// frame's columns) is blitted upright instead.
	xOf := func(x, _ float64) float64 { return x }
	yOf := func(_, y float64) float64 { return y }
	across, down := xOf, yOf
	if t.Orient.transposed() {
		b.transposed = transposeRGBA(b.transposed, src)
		src = b.transposed
		across, down = yOf, xOf
	}
	b.colOf = indexTable(b.colOf, w, func(px int) float64 { return across(t.imageXY((float64(px)+0.5)/s, 0)) }, src.Rect.Dx())
	b.rowOf = indexTable(b.rowOf, h, func(py int) float64 { return down(t.imageXY(0, (float64(py)+0.5)/s)) }, src.Rect.Dy())

	// The visible columns form one run (the table is monotonic), so the
	// inner loop needs no test; the rest of each row is black.
	first, last := -1, -1
	for px, c := range b.colOf {
		if c >= 0 {
			if first < 0 {
				first = px
			}
			last = px
		}
	}
	const black = 0xff000000 // little-endian R, G, B, A = 0, 0, 0, 255
	var visible []int32
	if first >= 0 {
		visible = b.colOf[first : last+1]
	}
	sw := 4 * src.Rect.Dx()
	prev := int32(-2)
	for py := 0; py < h; py++ {
		row := dst.Pix[py*dst.Stride : py*dst.Stride+4*w]
		r := b.rowOf[py]
		switch {
		case r == prev && py > 0:
			copy(row, dst.Pix[(py-1)*dst.Stride:(py-1)*dst.Stride+4*w])
			continue
		case r < 0 || first < 0:
			fillRow(row, black)
		default:
			srow := src.Pix[int(r)*src.Stride : int(r)*src.Stride+sw]
			fillRow(row[:4*first], black)
			copyColumns(row[4*first:4*(last+1)], srow, visible)
			fillRow(row[4*(last+1):], black)
		}
		prev = r
	}
}

// transposeRGBA writes src with rows and columns exchanged into dst
// (reused when its size fits) and returns it. It works in 32 × 32 pixel
// tiles so that both the reads and the writes stay in cache: a 512² frame
// takes a fraction of a millisecond, where gathering each device pixel
// from its own frame row took several.
func transposeRGBA(dst, src *image.RGBA) *image.RGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if dst == nil || dst.Rect.Dx() != h || dst.Rect.Dy() != w {
		dst = image.NewRGBA(image.Rect(0, 0, h, w))
	}
	const tile = 32
	d32, okd := words(dst.Pix)
	s32, oks := words(src.Pix)
	fast := okd && oks && dst.Stride%4 == 0 && src.Stride%4 == 0
	ds, ss := dst.Stride/4, src.Stride/4
	for y0 := 0; y0 < h; y0 += tile {
		for x0 := 0; x0 < w; x0 += tile {
			for y := y0; y < min(y0+tile, h); y++ {
				for x := x0; x < min(x0+tile, w); x++ {
					if fast {
						d32[x*ds+y] = s32[y*ss+x]
					} else {
						copy(dst.Pix[x*dst.Stride+4*y:x*dst.Stride+4*y+4], src.Pix[y*src.Stride+4*x:])
					}
				}
			}
		}
	}
	return dst
}

// copyColumns sets pixel i of dst to pixel cols[i] of src (4 bytes each).
// It reads and writes whole 32-bit pixels through a []uint32 view of the
// byte slices, two to three times faster than assembling them byte-wise,
// when both are 4-byte aligned (image.NewRGBA's are); otherwise it copies
// bytes.
func copyColumns(dst, src []byte, cols []int32) {
	dst = dst[:4*len(cols)]
	d32, okd := words(dst)
	s32, oks := words(src)
	if okd && oks {
		d32 = d32[:len(cols)]
		for i, c := range cols {
			d32[i] = s32[c]
		}
		return
	}
	for i, c := range cols {
		binary.LittleEndian.PutUint32(dst[4*i:], binary.LittleEndian.Uint32(src[4*c:]))
	}
}

// words views b as 32-bit words (native byte order, which is fine for a
// copy), when b's length is a multiple of 4 and its start is aligned.
func words(b []byte) ([]uint32, bool) {
	if len(b) == 0 || len(b)%4 != 0 || uintptr(unsafe.Pointer(&b[0]))%4 != 0 {
		return nil, false
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), len(b)/4), true
}

// indexTable fills dst[i] with the frame index under device index i, or
// -1 when that lies outside [0, n).
func indexTable(dst []int32, size int, coord func(int) float64, n int) []int32 {
	if cap(dst) < size {
		dst = make([]int32, size)
	}
	dst = dst[:size]
	for i := range dst {
		v := math.Floor(coord(i))
		if v >= 0 && v < float64(n) {
			dst[i] = int32(v)
		} else {
			dst[i] = -1
		}
	}
	return dst
}

func fillRow(row []byte, v uint32) {
	for i := 0; i+4 <= len(row); i += 4 {
		binary.LittleEndian.PutUint32(row[i:], v)
	}
}
