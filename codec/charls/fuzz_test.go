package charls

import (
	"encoding/binary"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// Fuzz bounds: decode time grows with the declared image, so the target only
// decodes inputs up to 1 MiB whose frame header declares at most 2^21
// samples (Decode itself allows codec.MaxSamples, 2^28).
const (
	fuzzMaxInput   = 1 << 20
	fuzzMaxSamples = 1 << 21
	fuzzHang       = 30 * time.Second
)

// FuzzDecode feeds mutated real frames through Decode. CharLS is C++, so the
// target's value is catching crashes and hangs that reach it through this
// wrapper, and checking the wrapper's own contract: a consistent image with
// samples within their precision, or an error wrapping a codec sentinel.
func FuzzDecode(f *testing.F) {
	data := testdicom.DataDir(f)
	for _, name := range []string{
		"pydicom-data/emri_small_jpeg_ls_lossless.dcm",
		"pydicom-data/JLSL_08_07_0_1F.dcm",
		"pydicom-data/JLSL_16_15_1_1F.dcm",
		"pydicom-data/JLSL_RGB_ILV0.dcm",
		"pydicom-data/JLSL_RGB_ILV1.dcm",
		"pydicom-data/JLSL_RGB_ILV2.dcm",
		"pydicom-data/JLSN_RGB_ILV0.dcm",
		"pylibjpeg-data/JPEGLSLossless/MR_small_jpeg_ls_lossless.dcm",
		ctSlice,
	} {
		_, frames := readFrames(f, filepath.Join(data, name))
		f.Add(frames[0])
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > fuzzMaxInput || declaredSamples(in) > fuzzMaxSamples {
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
		mask := uint32(1)<<img.Precision - 1
		for i, v := range img.Pix {
			if v > mask {
				t.Fatalf("sample %d = %d exceeds %d bits", i, v, img.Precision)
			}
		}
	})
}

// declaredSamples returns Y*X*Nf of the first SOF55 frame header (T.87
// C.2.2: FFF7, Lf, P, Y, X, Nf), so the fuzz target can skip inputs too big
// to decode quickly. A zero Y or X, whose value an LSE segment supplies
// later (T.87 C.2.4.1.4), counts as too big; no header counts as empty.
func declaredSamples(in []byte) int {
	for i := 0; i+10 <= len(in); i++ {
		if in[i] == 0xFF && in[i+1] == 0xF7 {
			y := int(binary.BigEndian.Uint16(in[i+5:]))
			x := int(binary.BigEndian.Uint16(in[i+7:]))
			if y == 0 || x == 0 {
				return math.MaxInt
			}
			return y * x * int(in[i+9])
		}
	}
	return 0
}
