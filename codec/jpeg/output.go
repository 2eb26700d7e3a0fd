package jpeg

// output writes the reconstructed frame into pix: components upsampled
// to full resolution (upsample.go), converted from YCbCr to RGB when
// ycc is set (color.go), interleaved per pixel.
func (f *frame) output(pix []uint32, ycc bool) {
	width, nc := f.width, len(f.comps)
	if nc == 1 {
		c := &f.comps[0]
		for y := 0; y < f.height; y++ {
			src := c.plane[y*c.stride : y*c.stride+width]
			dst := pix[y*width : y*width+width]
			for x, v := range src {
				dst[x] = uint32(v)
			}
		}
		return
	}
	methods := make([]upsampleMethod, nc)
	rows := make([][]uint16, nc)
	for k := range f.comps {
		c := &f.comps[k]
		methods[k] = f.upsampleMethod(c)
		rows[k] = make([]uint16, max(width, 2*c.width))
	}
	for y := 0; y < f.height; y++ {
		for k := range f.comps {
			f.upsampleRow(&f.comps[k], methods[k], y, rows[k])
		}
		dst := pix[y*width*nc : (y+1)*width*nc]
		if ycc {
			yccToRGB(rows[0][:width], rows[1][:width], rows[2][:width], dst, f.idct.maxSample)
			continue
		}
		for k, row := range rows {
			for x, v := range row[:width] {
				dst[x*nc+k] = uint32(v)
			}
		}
	}
}
