package dicomio

import (
	"encoding/binary"
	"fmt"
	"math"
)

// unpackNative turns one native frame into raw stored-value patterns
// (PS3.5 §8.1.1, PS3.3 C.7.6.3.1). data starts at the frame's first byte;
// bitOffset (0..7) is where the frame starts within it, which is non-zero
// only for Bits Allocated 1 with frames packed back to back.
func unpackNative(f *Frame, pi PixelInfo, data []byte, bitOffset int, order binary.ByteOrder) error {
	n := pi.samplesPerFrame()
	if pi.Subsampled422() {
		return unpackYBR422(f, pi, data)
	}
	if need := (int64(n)*int64(pi.BitsAllocated) + int64(bitOffset) + 7) / 8; int64(len(data)) < need {
		return fmt.Errorf("%w: frame needs %d bytes, %d remain", ErrTruncated, need, len(data))
	}
	if pi.FloatBits != 0 {
		return unpackFloat(f, pi, data, order)
	}
	shift := uint(pi.HighBit + 1 - pi.BitsStored)
	mask := uint32(1<<pi.BitsStored - 1)
	if pi.BitsStored == 32 {
		mask = math.MaxUint32
	}
	if pi.BitsStored <= 16 {
		raw := make([]uint16, n)
		switch pi.BitsAllocated {
		case 1:
			for i := range raw {
				bit := bitOffset + i
				raw[i] = uint16(data[bit>>3]>>(bit&7)) & 1
			}
		case 8:
			for i := range raw {
				raw[i] = uint16((uint32(data[i]) >> shift) & mask)
			}
		case 16:
			if order == binary.LittleEndian {
				for i := range raw {
					raw[i] = uint16((uint32(data[2*i]) | uint32(data[2*i+1])<<8) >> shift & mask)
				}
			} else {
				for i := range raw {
					raw[i] = uint16((uint32(order.Uint16(data[2*i:])) >> shift) & mask)
				}
			}
		case 32:
			for i := range raw {
				raw[i] = uint16((order.Uint32(data[4*i:]) >> shift) & mask)
			}
		default:
			return fmt.Errorf("%w: Bits Allocated %d", ErrBadPixelModule, pi.BitsAllocated)
		}
		f.Raw16 = deplanarize(raw, pi)
		return nil
	}
	if pi.BitsAllocated != 32 {
		return fmt.Errorf("%w: Bits Stored %d needs Bits Allocated 32, not %d", ErrBadPixelModule, pi.BitsStored, pi.BitsAllocated)
	}
	raw := make([]uint32, n)
	for i := range raw {
		raw[i] = (order.Uint32(data[4*i:]) >> shift) & mask
	}
	f.Raw32 = deplanarize(raw, pi)
	return nil
}

// deplanarize reorders colour-by-plane samples (Planar Configuration 1:
// RRR…GGG…BBB…) into colour-by-pixel order (RGBRGB…).
func deplanarize[T any](raw []T, pi PixelInfo) []T {
	if pi.SamplesPerPixel == 1 || pi.PlanarConfiguration != 1 {
		return raw
	}
	spp := pi.SamplesPerPixel
	pixels := len(raw) / spp
	out := make([]T, len(raw))
	for s := 0; s < spp; s++ {
		plane := raw[s*pixels : (s+1)*pixels]
		for i, v := range plane {
			out[i*spp+s] = v
		}
	}
	return out
}

// unpackYBR422 expands native YBR_FULL_422 (Y1 Y2 Cb Cr per pixel pair,
// PS3.3 C.7.6.3.1.2) to three samples per pixel, Cb and Cr repeated, as
// pydicom does. Only 8-bit data exists in practice.
func unpackYBR422(f *Frame, pi PixelInfo, data []byte) error {
	if pi.BitsAllocated != 8 {
		return fmt.Errorf("%w: YBR_FULL_422 with Bits Allocated %d", ErrBadPixelModule, pi.BitsAllocated)
	}
	pixels := pi.Rows * pi.Columns
	if len(data) < pixels*2 {
		return fmt.Errorf("%w: YBR_FULL_422 frame needs %d bytes, %d remain", ErrTruncated, pixels*2, len(data))
	}
	raw := make([]uint16, pixels*3)
	for p := 0; p+1 < pixels; p += 2 {
		in := data[p*2 : p*2+4]
		out := raw[p*3 : p*3+6]
		out[0], out[3] = uint16(in[0]), uint16(in[1])
		out[1], out[4] = uint16(in[2]), uint16(in[2])
		out[2], out[5] = uint16(in[3]), uint16(in[3])
	}
	f.Raw16 = raw
	return nil
}

func unpackFloat(f *Frame, pi PixelInfo, data []byte, order binary.ByteOrder) error {
	n := pi.samplesPerFrame()
	f.Float = make([]float64, n)
	for i := range f.Float {
		if pi.FloatBits == 32 {
			f.Float[i] = float64(math.Float32frombits(order.Uint32(data[4*i:])))
		} else {
			f.Float[i] = math.Float64frombits(order.Uint64(data[8*i:]))
		}
	}
	f.Float = deplanarize(f.Float, pi)
	return nil
}
