package openjpeg

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// Fuzz bounds: OpenJPEG's run time grows with the declared image, so the
// target only decodes inputs up to 1 MiB whose SIZ marker declares at most
// 2^21 samples (Decode itself allows codec.MaxSamples, 2^28).
const (
	fuzzMaxInput   = 1 << 20
	fuzzMaxSamples = 1 << 21
	fuzzHang       = 30 * time.Second
)

// FuzzDecode feeds mutated real frames through Decode. OpenJPEG is C, so the
// target's value is catching crashes and hangs that reach it through this
// wrapper, and checking the wrapper's own contract: a consistent image with
// samples within their precision, or an error wrapping a codec sentinel.
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
		_, frames := readFrames(f, filepath.Join(data, name))
		f.Add(frames[0])
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > fuzzMaxInput {
			return
		}
		codestream := in
		if len(in) > 0 && in[0] == 0 {
			codestream, _ = jp2Codestream(in)
		}
		if siz, err := parseSIZ(codestream); err == nil && siz.width*siz.height*siz.components > fuzzMaxSamples {
			return
		}
		// Go fuzzing has no per-input time limit: a stuck decode would
		// stall the run silently instead of failing with its input.
		watchdog := time.AfterFunc(fuzzHang, func() { panic("Decode ran longer than " + fuzzHang.String()) })
		img, err := Decode(in, codec.Expect{})
		watchdog.Stop()
		if err != nil {
			if img != nil || !isCodecError(err) {
				t.Fatalf("Decode = %v, %v: want nil and a codec error", img != nil, err)
			}
			return
		}
		if len(img.Pix) != img.Width*img.Height*img.Components || len(img.Pix) > fuzzMaxSamples {
			t.Fatalf("Decode gave %dx%dx%d with %d samples", img.Width, img.Height, img.Components, len(img.Pix))
		}
		if img.Precision < 32 {
			for i, v := range img.Pix {
				if v>>img.Precision != 0 {
					t.Fatalf("sample %d = %#x exceeds %d bits", i, v, img.Precision)
				}
			}
		}
	})
}
