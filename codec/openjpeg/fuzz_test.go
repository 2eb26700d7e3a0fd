package openjpeg

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// Fuzz bounds: OpenJPEG's run time grows with the declared image, so the
// target only decodes inputs up to 1 MiB that declare (through the Expect it
// is given) at most 2^21 samples.
const (
	fuzzMaxInput   = 1 << 20
	fuzzMaxSamples = 1 << 21
	fuzzHang       = 30 * time.Second
)

// FuzzDecode feeds mutated real frames through Decode. OpenJPEG is C, so the
// target's value is catching crashes, hangs and leaks that reach it through
// this wrapper, and checking the wrapper's own contract: an image of the
// expected shape or an error wrapping a codec sentinel.
func FuzzDecode(f *testing.F) {
	data := testdicom.DataDir(f)
	for _, name := range []string{
		"pydicom-data/emri_small_jpeg_2k_lossless.dcm",
		"pylibjpeg-data/JPEG2000Lossless/MR_small_jp2klossless.dcm",
		"pylibjpeg-data/JPEG2000/SC_rgb_gdcm_KY.dcm",
		"pylibjpeg-data/JPEG2000/JPEG2000.dcm",
		"pylibjpeg-data/JPEG2000/MAROTECH_CT_JP2Lossy.dcm",
		"pydicom-data/HTJ2KLossless_08_RGB.dcm",
		"pydicom-data/US1_J2KI.dcm",
		ctSlice,
	} {
		file, frames := readFrames(f, filepath.Join(data, name))
		f.Add(frames[0], uint16(file.Columns), uint16(file.Rows), uint8(file.SamplesPerPixel))
	}
	f.Fuzz(func(t *testing.T, in []byte, width, height uint16, components uint8) {
		samples := int(width) * int(height) * int(components)
		if len(in) > fuzzMaxInput || samples == 0 || samples > fuzzMaxSamples {
			return
		}
		e := codec.Expect{Width: int(width), Height: int(height), Components: int(components)}
		// Go fuzzing has no per-input time limit: a stuck decode would
		// stall the run silently instead of failing with its input.
		watchdog := time.AfterFunc(fuzzHang, func() { panic("Decode ran longer than " + fuzzHang.String()) })
		img, err := Decode(in, e)
		watchdog.Stop()
		if err != nil {
			if img != nil || !isCodecError(err) {
				t.Fatalf("Decode = %v, %v: want nil and a codec error", img != nil, err)
			}
			return
		}
		if img.Width != e.Width || img.Height != e.Height || img.Components != e.Components || len(img.Pix) != samples {
			t.Fatalf("Decode gave %dx%dx%d with %d samples, Expect %+v", img.Width, img.Height, img.Components, len(img.Pix), e)
		}
	})
}
