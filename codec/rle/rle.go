package rle

import (
	"encoding/binary"
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// headerSize is the length of the RLE header: the number of segments and
// fifteen segment offsets, each a little-endian uint32 (PS3.5 G.5).
const headerSize = 64

// maxSegments is the most segments a header can list (PS3.5 G.5).
const maxSegments = 15

// maxExpansion is the most output bytes one input byte of a segment can
// produce: a replicate run turns 2 bytes into 128 (PS3.5 G.3.1).
const maxExpansion = 64

// Decode decodes one frame of DICOM RLE Lossless pixel data (transfer
// syntax 1.2.840.10008.1.2.5, PS3.5 Annex G): the RLE header followed by
// its segments. RLE carries no dimensions of its own, so e must give
// Width, Height and Components (Columns, Rows, Samples per Pixel), and
// bitsAllocated (8, 16 or 32) gives the bytes per sample.
//
// Segment k*B+j holds byte j (0 the most significant) of sample k, B being
// the bytes per sample (PS3.5 G.2); Decode combines them into one bit
// pattern per sample, interleaved per pixel in Image.Pix.
func Decode(data []byte, e codec.Expect, bitsAllocated int) (*codec.Image, error) {
	if e.Width == 0 || e.Height == 0 || e.Components == 0 {
		return nil, fmt.Errorf("%w: RLE needs Rows, Columns and Samples per Pixel from the header, got %dx%d with %d samples", codec.ErrMismatch, e.Width, e.Height, e.Components)
	}
	if err := e.Check(e.Width, e.Height, e.Components); err != nil {
		return nil, err
	}
	if bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32 {
		return nil, fmt.Errorf("%w: RLE with Bits Allocated %d", codec.ErrUnsupported, bitsAllocated)
	}
	bytesPerSample := bitsAllocated / 8
	segments := e.Components * bytesPerSample
	if segments > maxSegments {
		return nil, fmt.Errorf("%w: %d samples of %d bytes need %d RLE segments", codec.ErrUnsupported, e.Components, bytesPerSample, segments)
	}
	offsets, err := parseHeader(data, segments)
	if err != nil {
		return nil, err
	}
	pixels := e.Width * e.Height
	// Refuse, before allocating, segments too short to hold the frame.
	for i := range segments {
		if n := offsets[i+1] - offsets[i]; n*maxExpansion < pixels {
			return nil, fmt.Errorf("%w: segment %d has %d bytes for %d pixels", codec.ErrTruncated, i, n, pixels)
		}
	}
	img := &codec.Image{
		Width:      e.Width,
		Height:     e.Height,
		Components: e.Components,
		Precision:  bitsAllocated,
		Pix:        make([]uint32, pixels*e.Components),
	}
	for i := range segments {
		sample, byteIndex := i/bytesPerSample, i%bytesPerSample
		shift := uint(8 * (bytesPerSample - 1 - byteIndex))
		dst := img.Pix[sample:]
		if err := decodeSegment(data[offsets[i]:offsets[i+1]], dst, e.Components, pixels, shift); err != nil {
			return nil, fmt.Errorf("segment %d: %w", i, err)
		}
	}
	return img, nil
}

// parseHeader reads the RLE header (PS3.5 G.5) and returns the start of
// each of the want segments and, last, the end of the data: segment i is
// data[offsets[i]:offsets[i+1]], as pydicom reads it.
func parseHeader(data []byte, want int) ([]int, error) {
	if len(data) < headerSize {
		return nil, fmt.Errorf("%w: %d bytes, less than the RLE header", codec.ErrTruncated, len(data))
	}
	n := int(binary.LittleEndian.Uint32(data))
	switch {
	case n < 1 || n > maxSegments:
		return nil, fmt.Errorf("%w: RLE header lists %d segments", codec.ErrCorrupt, n)
	case n != want:
		return nil, fmt.Errorf("%w: %d RLE segments, the header needs %d", codec.ErrMismatch, n, want)
	}
	offsets := make([]int, n+1)
	for i := range n {
		offsets[i] = int(binary.LittleEndian.Uint32(data[4+4*i:]))
	}
	offsets[n] = len(data)
	for i := range n {
		switch {
		case offsets[i] < headerSize:
			return nil, fmt.Errorf("%w: segment %d starts at %d, inside the header", codec.ErrCorrupt, i, offsets[i])
		case offsets[i] > len(data):
			return nil, fmt.Errorf("%w: segment %d starts at %d, past the %d bytes of data", codec.ErrTruncated, i, offsets[i], len(data))
		case offsets[i] > offsets[i+1]:
			return nil, fmt.Errorf("%w: segment %d starts after segment %d", codec.ErrCorrupt, i, i+1)
		}
	}
	return offsets, nil
}

// decodeSegment expands one PackBits segment (PS3.5 G.3.2) into the byte
// at shift of n samples, dst[0], dst[stride], ... Output beyond n bytes is
// dropped and bytes after the frame is complete are ignored (Annex G pads
// an odd segment to even length), as pydicom does; fewer than n bytes is
// ErrTruncated.
func decodeSegment(src []byte, dst []uint32, stride, n int, shift uint) error {
	out, i := 0, 0
	for out < n {
		if i >= len(src) {
			return fmt.Errorf("%w: decodes to %d of %d bytes", codec.ErrTruncated, out, n)
		}
		h := int(int8(src[i]))
		i++
		switch {
		case h >= 0: // literal run of h+1 bytes
			count := min(h+1, len(src)-i, n-out)
			lit := src[i : i+count]
			if stride == 1 {
				d := dst[out : out+count]
				for j, b := range lit {
					d[j] |= uint32(b) << shift
				}
			} else {
				for j, b := range lit {
					dst[(out+j)*stride] |= uint32(b) << shift
				}
			}
			i += h + 1
			out += count
		case h != -128: // replicate run: the next byte 1-h times
			if i >= len(src) {
				return fmt.Errorf("%w: decodes to %d of %d bytes", codec.ErrTruncated, out, n)
			}
			count := min(1-h, n-out)
			v := uint32(src[i]) << shift
			i++
			if stride == 1 {
				d := dst[out : out+count]
				for j := range d {
					d[j] |= v
				}
			} else {
				for j := range count {
					dst[(out+j)*stride] |= v
				}
			}
			out += count
		}
		// h == -128 is a no-operation (PS3.5 G.3.2).
	}
	return nil
}
