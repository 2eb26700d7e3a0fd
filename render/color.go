package render

import (
	"encoding/binary"
	"image"
	"math"

	"github.com/myeloview/myeloview/dicomio"
)

// RenderColor renders a colour frame (Samples per Pixel 3, interleaved)
// into dst, reused when its size is Cols × Rows, and returns it. Samples
// are scaled from Bits Stored to 8 bits as round(v · 255 / (2^bits - 1)).
//
// By Photometric Interpretation (PS3.3 C.7.6.3.1.2):
//   - RGB is shown as is. So are YBR_RCT and YBR_ICT: their JPEG 2000
//     decoder has already undone the component transform (PS3.5 8.2.4).
//   - YBR_FULL, and YBR_FULL_422, which dicomio delivers already expanded
//     and renamed YBR_FULL, is converted with the JPEG/JFIF full-range
//     equations (ITU-T T.871 clause 7), offsetting Cb and Cr by 2^(bits-1):
//     R = Y + 1.402 (Cr - h), G = Y - 0.344136 (Cb - h) - 0.714136 (Cr - h),
//     B = Y + 1.772 (Cb - h).
//   - YBR_PARTIAL_422 and YBR_PARTIAL_420 are converted with the exact
//     inverse of the standard's partial-range equations.
//
// Other values are shown as RGB. Signedness is ignored: colour data is
// unsigned (PS3.3 C.7.6.3.1.1). A frame that is not colour, or whose
// samples do not fill Rows × Cols × 3, renders as an empty image.
func RenderColor(f *dicomio.Frame, dst *image.RGBA) *image.RGBA {
	_, ok := sampleCount(f)
	if !ok || f.Samples != 3 {
		return image.NewRGBA(image.Rectangle{})
	}
	dst = sizedRGBA(dst, f.Cols, f.Rows)
	bits := storedBits(f)
	if f.Raw16 != nil && bits == 8 && !isYBR(f.Photometric) {
		copyRGB8(f, dst)
		return dst
	}
	top := float64(uint64(1)<<bits - 1)
	scale := 255 / top
	var conv *[3][3]float64
	var offset [3]float64
	half := float64(uint64(1) << (bits - 1))
	switch f.Photometric {
	case "YBR_FULL", "YBR_FULL_422":
		conv, offset = &ybrFullToRGB, [3]float64{0, half, half}
	case "YBR_PARTIAL_422", "YBR_PARTIAL_420":
		conv = &ybrPartialToRGB
		// The 8-bit offsets 16, 128, 128 scaled to the bit depth.
		offset = [3]float64{16 * (top + 1) / 256, half, half}
	}
	if conv == &ybrFullToRGB && f.Raw16 != nil && bits == 8 {
		ybrFull8(f, dst)
		return dst
	}
	cols := f.Cols
	for y := range f.Rows {
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*cols]
		for x := range cols {
			i := 3 * (y*cols + x)
			c := [3]float64{colourSample(f, bits, top, i), colourSample(f, bits, top, i+1), colourSample(f, bits, top, i+2)}
			if conv != nil {
				a, b, d := c[0]-offset[0], c[1]-offset[1], c[2]-offset[2]
				for k := range c {
					c[k] = min(max(conv[k][0]*a+conv[k][1]*b+conv[k][2]*d, 0), top)
				}
			}
			px := row[4*x : 4*x+4 : 4*x+4]
			px[0] = uint8(math.Floor(c[0]*scale + 0.5))
			px[1] = uint8(math.Floor(c[1]*scale + 0.5))
			px[2] = uint8(math.Floor(c[2]*scale + 0.5))
			px[3] = 255
		}
	}
	return dst
}

// crR, cbG, crG and cbB hold the products of the T.871 coefficients with
// every 8-bit chroma offset: crR[v] = 1.402·(v-128), cbG[v] =
// -0.344136·(v-128), crG[v] = -0.714136·(v-128), cbB[v] = 1.772·(v-128).
var crR, cbG, crG, cbB = func() (r, g1, g2, b [256]float64) {
	for v := range 256 {
		d := float64(v) - 128
		r[v] = ybrFullToRGB[0][2] * d
		g1[v] = ybrFullToRGB[1][1] * d
		g2[v] = ybrFullToRGB[1][2] * d
		b[v] = ybrFullToRGB[2][1] * d
	}
	return
}()

// ybrFull8 is RenderColor for 8-bit YBR_FULL. It adds the same float64
// products in the same order as the general loop (whose terms with
// coefficients 1 and 0 are exact), so its results are identical.
func ybrFull8(f *dicomio.Frame, dst *image.RGBA) {
	cols := f.Cols
	round := func(v float64) uint8 { return uint8(math.Floor(min(max(v, 0), 255) + 0.5)) }
	for y := range f.Rows {
		src := f.Raw16[3*y*cols : 3*(y+1)*cols]
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*cols]
		for x := range cols {
			s, px := src[3*x:3*x+3:3*x+3], row[4*x:4*x+4:4*x+4]
			lum, cb, cr := float64(s[0]&0xff), s[1]&0xff, s[2]&0xff
			px[0] = round(lum + crR[cr])
			px[1] = round(lum + cbG[cb] + crG[cr])
			px[2] = round(lum + cbB[cb])
			px[3] = 255
		}
	}
}

func isYBR(photometric string) bool {
	return len(photometric) >= 8 && photometric[:8] == "YBR_FULL" || len(photometric) >= 11 && photometric[:11] == "YBR_PARTIAL"
}

// colourSample returns sample i as a value in [0, top].
func colourSample(f *dicomio.Frame, bits int, top float64, i int) float64 {
	switch {
	case f.Raw16 != nil:
		return float64(storedValue(uint32(f.Raw16[i]), bits, false))
	case f.Raw32 != nil:
		return float64(storedValue(f.Raw32[i], bits, false))
	}
	v := f.Float[i]
	if !(v > 0) {
		return 0
	}
	return min(v, top)
}

// copyRGB8 is RenderColor for 8-bit RGB.
func copyRGB8(f *dicomio.Frame, dst *image.RGBA) {
	cols := f.Cols
	for y := range f.Rows {
		src := f.Raw16[3*y*cols : 3*(y+1)*cols]
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*cols]
		for len(src) >= 3 && len(row) >= 4 {
			binary.LittleEndian.PutUint32(row, uint32(src[0]&0xff)|uint32(src[1]&0xff)<<8|uint32(src[2]&0xff)<<16|0xff000000)
			src, row = src[3:], row[4:]
		}
	}
}

// ybrFullToRGB holds the JFIF inverse equations (ITU-T T.871 clause 7),
// rows R, G, B and columns Y, Cb, Cr; PS3.3 C.7.6.3.1.2 gives the forward
// ones for YBR_FULL.
var ybrFullToRGB = [3][3]float64{
	{1, 0, 1.402},
	{1, -0.344136, -0.714136},
	{1, 1.772, 0},
}

// ybrPartialToRGB is the inverse of the YBR_PARTIAL_422 equations of PS3.3
// C.7.6.3.1.2 (Y = .2568R + .5041G + .0979B + 16, Cb = -.1482R - .2910G
// + .4392B + 128, Cr = .4392R - .3678G - .0714B + 128), computed once.
var ybrPartialToRGB = invert3([3][3]float64{
	{0.2568, 0.5041, 0.0979},
	{-0.1482, -0.2910, 0.4392},
	{0.4392, -0.3678, -0.0714},
})

// invert3 inverts a non-singular 3×3 matrix by its adjugate.
func invert3(m [3][3]float64) [3][3]float64 {
	var adj [3][3]float64
	for r := range 3 {
		for c := range 3 {
			r1, r2 := (c+1)%3, (c+2)%3
			c1, c2 := (r+1)%3, (r+2)%3
			adj[r][c] = m[r1][c1]*m[r2][c2] - m[r1][c2]*m[r2][c1]
		}
	}
	det := m[0][0]*adj[0][0] + m[0][1]*adj[1][0] + m[0][2]*adj[2][0]
	for r := range 3 {
		for c := range 3 {
			adj[r][c] /= det
		}
	}
	return adj
}
