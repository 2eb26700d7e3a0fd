package dicomio

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// ReadFrame decodes frame index (counting from 0) of the instance. It opens
// the file read-only, reads only that frame's bytes, and closes it. It is
// safe to call concurrently. Errors are *FileError values naming the file
// and the frame.
func (in *Instance) ReadFrame(index int) (f *Frame, err error) {
	defer func() {
		if err != nil {
			err = fileErr(in.Path, fmt.Errorf("frame %d: %w", index+1, err))
		}
	}()
	defer recoverAs(&err)
	if !in.HasPixels() {
		return nil, ErrNoPixelData
	}
	pi := in.Pixel
	if index < 0 || index >= pi.NumberOfFrames {
		return nil, fmt.Errorf("%w: the file has %d frames", ErrFrameRange, pi.NumberOfFrames)
	}
	fi := in.Frames[index]
	f = &Frame{
		Rows: pi.Rows, Cols: pi.Columns, Samples: pi.SamplesPerPixel,
		BitsStored: pi.BitsStored, Signed: pi.Signed(),
		Photometric:   pi.Photometric,
		Modality:      fi.Modality,
		VOI:           fi.VOI,
		PixelSpacing:  fi.PixelSpacing,
		Number:        index + 1,
		SpacingSource: fi.SpacingSource,
		Padding:       pi.Padding,
	}
	f.PresentationInverse = pi.PresentationInverse
	if pi.Subsampled422() {
		f.Photometric = "YBR_FULL" // expanded to one Cb, Cr per pixel
	}
	if in.pixelData.encapsulated {
		err = in.readEncapsulated(f, index)
	} else {
		err = in.readNative(f, index)
	}
	if err == nil {
		in.readOverlays(f, index)
	}
	return f, err
}

// readOverlays unpacks the overlay bitmaps of frame index into f. A plane
// that cannot be read is reported in f.OverlayErr, naming the file, and
// left out; the frame stays good.
func (in *Instance) readOverlays(f *Frame, index int) {
	for i := range in.Overlays {
		bm, err := in.Overlays[i].bitmap(in.Path, index)
		switch {
		case err != nil && f.OverlayErr == nil:
			f.OverlayErr = fileErr(in.Path, fmt.Errorf("frame %d: %w", index+1, err))
		case bm != nil:
			f.Overlays = append(f.Overlays, bm)
		}
	}
}

func (in *Instance) readNative(f *Frame, index int) error {
	pi, loc := in.Pixel, &in.pixelData
	startBit := int64(index) * pi.nativeFrameBits()
	byteOff, bitOff := startBit/8, int(startBit%8)
	n := (int64(bitOff) + pi.nativeFrameBits() + 7) / 8
	if byteOff+n > int64(loc.length) {
		return fmt.Errorf("%w: frame ends past the pixel data", ErrTruncated)
	}
	words := owWords(pi, loc)
	lead := int64(0) // bytes read before the frame's first, to start on a word
	if words {
		lead = byteOff % 2
		byteOff -= lead
		n = min(n+lead+(n+lead)%2, int64(loc.length)-byteOff)
	}
	r, size, done, err := loc.open(in.Path)
	if err != nil {
		return err
	}
	defer done()
	if loc.offset+byteOff+n > size {
		return fmt.Errorf("%w: frame ends past the end of the file", ErrTruncated)
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, loc.offset+byteOff); err != nil {
		return fmt.Errorf("%w: %v", ErrTruncated, err)
	}
	if words {
		for i := 0; i+1 < len(buf); i += 2 {
			buf[i], buf[i+1] = buf[i+1], buf[i]
		}
		return unpackNative(f, pi, buf[lead:], bitOff, binary.LittleEndian)
	}
	return unpackNative(f, pi, buf, bitOff, loc.order)
}

// owWords reports whether native pixel data must be read as 16-bit words
// first: OW in Explicit VR Big Endian is a stream of big-endian words
// (PS3.5 §7.3, A.3) into which pixel cells are packed from each word's
// least significant bit (PS3.5 §8.1.1), so with Bits Allocated other than
// 16 the word order is not the pixels' own byte order. 8-bit pixels come in
// swapped pairs and a 32-bit pixel is its low word, then its high word, as
// dcmtk and GDCM read and write them (pydicom before 2.4 did not swap
// 8-bit OW). OB is a byte stream and needs nothing.
func owWords(pi PixelInfo, loc *pixelLocation) bool {
	return loc.order == binary.BigEndian && loc.vr == "OW" && pi.BitsAllocated != 16 && pi.FloatBits == 0
}

func (in *Instance) readEncapsulated(f *Frame, index int) error {
	ts := in.TransferSyntax
	dec := decoders[ts.UID]
	unwrap := nativeFragments[ts.UID]
	if dec == nil && unwrap == nil {
		return fmt.Errorf("%w yet: %s (%s)", ErrUnsupportedSyntax, ts.Name, ts.UID)
	}
	table, err := in.frameTable()
	if err != nil {
		return err
	}
	if index >= len(table) {
		return fmt.Errorf("%w: pixel data holds %d frames", ErrFrameRange, len(table))
	}
	data, err := in.readFragments(table[index])
	if err != nil {
		return err
	}
	pi := in.Pixel
	if unwrap != nil {
		native, err := unwrap(data, pi)
		if err != nil {
			return err
		}
		return unpackNative(f, pi, native, 0, binary.LittleEndian)
	}
	if packed := packedDecoders[ts.UID]; packed != nil && pi.BitsAllocated == 1 {
		native, err := packed(data, pi)
		if err != nil {
			return fmt.Errorf("%s: %w", ts.Name, err)
		}
		return unpackNative(f, pi, native, 0, binary.LittleEndian)
	}
	img, err := dec(data, codec.Expect{Width: pi.Columns, Height: pi.Rows, Components: pi.SamplesPerPixel}, pi)
	if err != nil {
		if errors.Is(err, codec.ErrUnsupported) {
			return fmt.Errorf("%w: %s: %v", ErrUnsupportedSyntax, ts.Name, err)
		}
		return fmt.Errorf("%s: %w", ts.Name, err)
	}
	if fix := photometricFixers[ts.UID]; fix != nil {
		if p := fix(data, pi); p != "" {
			f.Photometric = p
		}
	}
	return fromCodecImage(f, pi, img)
}

// fromCodecImage stores decoded samples as raw patterns masked to Bits
// Stored, so that sign extension follows Pixel Representation exactly as
// for native data.
func fromCodecImage(f *Frame, pi PixelInfo, img *codec.Image) error {
	if img.Width != pi.Columns || img.Height != pi.Rows || img.Components != pi.SamplesPerPixel {
		return fmt.Errorf("%w: decoded %dx%dx%d, header says %dx%dx%d", codec.ErrMismatch,
			img.Width, img.Height, img.Components, pi.Columns, pi.Rows, pi.SamplesPerPixel)
	}
	mask := uint32(1)<<pi.BitsStored - 1
	if pi.BitsStored >= 32 {
		mask = ^uint32(0)
	}
	// A signed codestream sample (JPEG 2000) is a two's complement pattern
	// of the codestream's precision, which may be narrower than Bits
	// Stored: widen it first so negative values stay negative.
	widen := func(v uint32) uint32 { return v }
	if img.Signed && img.Precision > 0 && img.Precision < 32 {
		shift := 32 - uint(img.Precision)
		widen = func(v uint32) uint32 { return uint32(int32(v<<shift) >> shift) }
	}
	if pi.BitsStored <= 16 {
		raw := make([]uint16, len(img.Pix))
		for i, v := range img.Pix {
			raw[i] = uint16(widen(v) & mask)
		}
		f.Raw16 = raw
		return nil
	}
	raw := make([]uint32, len(img.Pix))
	for i, v := range img.Pix {
		raw[i] = widen(v) & mask
	}
	f.Raw32 = raw
	return nil
}
