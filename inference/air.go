package inference

import "math"

// Air outside the patient fills much of a CT slice, and every window maps
// it to 0. Resampling with writeResampled writes those zeros without
// interpolating: a block of net columns whose source pixels all have HU at
// or below a limit A gives +0 in every channel, the value the full
// arithmetic gives there, as follows.
//
// Bilinear interpolation blends two values a, b in [−M, A] as
// fl(a + fl(fl(b−a)·f)), f in [0, 1): the exact blend is at most
// max(a, b) ≤ A, and the three roundings (unit u = 2⁻²⁴) add at most
// 2M·2.01u + (M+…)u < 5.1·M·u. The vertical pass blends two such results,
// so the net value is at most A + 10.2·M·u (M ≥ |every HU read|). Each
// channel's window, v·scale + offset in float32 (scale > 0), is monotone in
// v, so when it is negative at A + 11·M·u, with a margin for its own
// rounding, it is negative for every value the blocks can hold, and the
// clamp makes it +0.

// airBlock is the width in net columns of the blocks writeResampled checks
// for air.
const airBlock = 32

// airBelow returns the largest raw pattern r such that the HU of every
// pattern 0 … r is at most an air limit that every channel windows to +0
// (see above), or −1 when there is none or a channel does not clamp.
func airBelow(hu *[1 << 16]float32, channels []channelMap) int32 {
	if len(channels) == 0 {
		return -1
	}
	limit := math.Inf(1) // A: 1 HU below the lowest window's lower edge
	for _, m := range channels {
		if !m.clamp || !(float32(m.scale) > 0) {
			return -1
		}
		limit = min(limit, -float64(float32(m.offset))/float64(float32(m.scale))-1)
	}
	a := float32(limit)
	r, bound := int32(-1), 0.0 // the prefix 0 … r and M over it
	for raw, v := range hu {
		if !(v <= a) {
			break
		}
		r, bound = int32(raw), max(bound, math.Abs(float64(v)))
	}
	if r < 0 {
		return -1
	}
	top := float64(a) + 11*bound*0x1p-24 // the largest value a block can hold
	for _, m := range channels {
		scale, offset := float64(float32(m.scale)), float64(float32(m.offset))
		v := top*scale + offset
		// The float32 window rounds v·scale and the sum: each by at most
		// one part in 2²⁴ of its size.
		if !(v < -(math.Abs(top*scale)+math.Abs(offset)+1)*0x1p-20) {
			return -1
		}
	}
	return r
}

// airQuads sets hot[q] when a raw pattern of raw[4q : 4q+4] is above
// airRaw (≥ 0), for q < ⌈len(raw)/4⌉ (len(hot) at least that). Air rows are
// read whole, once per source row; the maximum of each quad keeps the loop
// free of data-dependent branches.
func airQuads(hot []bool, raw []uint16, airRaw int32) {
	full := len(raw) / 4
	for q := range full {
		r := raw[4*q : 4*q+4 : 4*q+4]
		hot[q] = int32(max(r[0], r[1], r[2], r[3])) > airRaw
	}
	if tail := raw[4*full:]; len(tail) > 0 {
		hot[full] = int32(max(tail[0], tail[len(tail)-1], tail[len(tail)/2])) > airRaw
	}
}

// allAir reports whether no quad of columns lo … hi is hot (see airQuads).
func allAir(hot []bool, lo, hi int32) bool {
	for _, h := range hot[lo/4 : hi/4+1] {
		if h {
			return false
		}
	}
	return true
}
