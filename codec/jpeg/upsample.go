package jpeg

// Upsampling follows libjpeg 6b's jdsample.c with its default
// do_fancy_upsampling, so that subsampled chroma matches GDCM and dcmtk,
// which embed that library. What matters is each component's ratio to the
// largest sampling factors (Hmax/Hi, Vmax/Vi), not the factors themselves:
//
//   - 1×1: the samples are copied;
//   - 2×1 (e.g. 4:2:2) and 2×2 (4:2:0): "fancy" triangular interpolation,
//     each output sample 3/4 of the nearer input sample and 1/4 of the
//     further one in each direction, with libjpeg's alternating rounding
//     (h2v1_fancy_upsample, h2v2_fancy_upsample); a component at most two
//     samples wide is replicated instead, as libjpeg does;
//   - any other integral ratio (1×2, 4×1, 4×4, ...): each sample is
//     replicated (int_upsample);
//   - a non-integral ratio (say Hmax 3, Hi 2), which libjpeg refuses
//     (JERR_FRACT_SAMPLE_NOTIMPL): the nearest sample to the left and
//     above, x×Hi/Hmax, is taken. No reference decoder exists for those.
//
// Edges are handled as libjpeg handles them: the line above the first
// line is the first line itself, the line below the last is the
// component's last real line (not the MCU padding), and horizontal
// interpolation stops at the component's real width.

// upsampleMethod says how one component reaches the frame's resolution.
type upsampleMethod int

const (
	upsampleCopy upsampleMethod = iota
	upsampleH2V1Fancy
	upsampleH2V2Fancy
	upsampleNearest
)

func (f *frame) upsampleMethod(c *component) upsampleMethod {
	hIntegral, vIntegral := f.hmax%c.h == 0, f.vmax%c.v == 0
	hx, vx := f.hmax/c.h, f.vmax/c.v
	switch {
	case hIntegral && vIntegral && hx == 1 && vx == 1:
		return upsampleCopy
	case hIntegral && vIntegral && hx == 2 && vx == 1 && c.width > 2:
		return upsampleH2V1Fancy
	case hIntegral && vIntegral && hx == 2 && vx == 2 && c.width > 2:
		return upsampleH2V2Fancy
	default:
		return upsampleNearest
	}
}

// upsampleRow computes line y of component c at the frame's resolution
// into out, which holds at least max(frame width, 2×c.width) samples.
func (f *frame) upsampleRow(c *component, m upsampleMethod, y int, out []uint16) {
	switch m {
	case upsampleCopy:
		copy(out[:f.width], c.plane[y*c.stride:])
	case upsampleH2V1Fancy:
		h2v1Fancy(c.plane[y*c.stride:y*c.stride+c.width], out)
	case upsampleH2V2Fancy:
		in := y / 2
		near := c.plane[in*c.stride : in*c.stride+c.width]
		other := in - 1 // the line above for an even output line
		if y&1 == 1 {
			other = in + 1 // below for an odd one
		}
		other = min(max(other, 0), c.height-1)
		h2v2Fancy(near, c.plane[other*c.stride:other*c.stride+c.width], out)
	default:
		src := c.plane[(y*c.v/f.vmax)*c.stride:]
		if f.hmax%c.h == 0 {
			hx := f.hmax / c.h
			for x := range out[:f.width] {
				out[x] = src[x/hx]
			}
			return
		}
		for x := range out[:f.width] {
			out[x] = src[x*c.h/f.hmax]
		}
	}
}

// h2v1Fancy doubles a line (len(in) > 2) as jdsample.c's
// h2v1_fancy_upsample: 3/4 nearer + 1/4 further sample, rounding
// alternately down and up.
func h2v1Fancy(in, out []uint16) {
	n := len(in)
	out = out[:2*n]
	out[0] = in[0]
	out[1] = uint16((int(in[0])*3 + int(in[1]) + 2) >> 2)
	for i := 1; i < n-1; i++ {
		v := int(in[i]) * 3
		out[2*i] = uint16((v + int(in[i-1]) + 1) >> 2)
		out[2*i+1] = uint16((v + int(in[i+1]) + 2) >> 2)
	}
	out[2*n-2] = uint16((int(in[n-1])*3 + int(in[n-2]) + 1) >> 2)
	out[2*n-1] = in[n-1]
}

// h2v2Fancy doubles a line horizontally as jdsample.c's
// h2v2_fancy_upsample, given the nearer input line and the further one
// (above or below): weights 9/16, 3/16, 3/16 and 1/16.
func h2v2Fancy(near, far, out []uint16) {
	n := len(near)
	out = out[:2*n]
	far = far[:n]
	colsum := func(i int) int { return int(near[i])*3 + int(far[i]) }
	this, next := colsum(0), colsum(1)
	out[0] = uint16((this*4 + 8) >> 4)
	out[1] = uint16((this*3 + next + 7) >> 4)
	last := this
	this = next
	for i := 1; i < n-1; i++ {
		next = colsum(i + 1)
		out[2*i] = uint16((this*3 + last + 8) >> 4)
		out[2*i+1] = uint16((this*3 + next + 7) >> 4)
		last, this = this, next
	}
	out[2*n-2] = uint16((this*3 + last + 8) >> 4)
	out[2*n-1] = uint16((this*4 + 7) >> 4)
}
