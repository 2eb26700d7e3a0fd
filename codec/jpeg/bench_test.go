package jpeg

import (
	"bytes"
	"encoding/binary"
	"image"
	stdjpeg "image/jpeg"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// grey512 returns a 512x512 8-bit JPEG Baseline stream of a real CT
// slice (ct-kits, abdomen window 40/400 mapped to 0..255) written by Go's
// image/jpeg at quality 90: the shared data has no 8-bit grey JPEG of
// that size. It also returns the image Go's own decoder reads back.
func grey512(tb testing.TB) ([]byte, *image.Gray) {
	tb.Helper()
	f, err := testdicom.Read(filepath.Join(testdicom.DataDir(tb), "ct-kits", "CT2.dcm"))
	if err != nil {
		tb.Fatal(err)
	}
	if f.Rows != 512 || f.Columns != 512 || f.BitsAllocated != 16 || len(f.Native) != 512*512*2 {
		tb.Fatalf("unexpected CT slice %dx%d, %d bits, %d bytes", f.Columns, f.Rows, f.BitsAllocated, len(f.Native))
	}
	src := image.NewGray(image.Rect(0, 0, 512, 512))
	for i := range src.Pix {
		hu := int(int16(binary.LittleEndian.Uint16(f.Native[2*i:]))) - 1024 // Rescale Intercept -1024
		src.Pix[i] = uint8(min(max((hu+160)*255/400, 0), 255))
	}
	var buf bytes.Buffer
	if err := stdjpeg.Encode(&buf, src, &stdjpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	back, err := stdjpeg.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), back.(*image.Gray)
}

// TestGrey512AgainstImageJPEG compares the benchmark stream's decode with
// Go's image/jpeg, an independent decoder whose IDCT rounds differently:
// they may differ by a level or two, never more.
func TestGrey512AgainstImageJPEG(t *testing.T) {
	stream, want := grey512(t)
	img, err := Decode(stream, codec.Expect{Width: 512, Height: 512, Components: 1}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	maxDiff, equal := 0, 0
	for i, v := range img.Pix {
		d := abs(int(v) - int(want.Pix[i]))
		maxDiff = max(maxDiff, d)
		if d == 0 {
			equal++
		}
	}
	t.Logf("max |difference| from image/jpeg %d, %d of %d samples equal", maxDiff, equal, len(img.Pix))
	if maxDiff > 2 {
		t.Errorf("max |difference| from image/jpeg is %d", maxDiff)
	}
}

// BenchmarkDecodeGrey512 decodes a 512x512 8-bit grey CT slice, the
// frame a clinician scrolls through by the hundred.
func BenchmarkDecodeGrey512(b *testing.B) {
	stream, _ := grey512(b)
	benchmarkStream(b, stream, codec.Expect{Width: 512, Height: 512, Components: 1}, Options{})
}

// BenchmarkDecodeGrey512ImageJPEG decodes the same stream with Go's
// image/jpeg, for comparison.
func BenchmarkDecodeGrey512ImageJPEG(b *testing.B) {
	stream, _ := grey512(b)
	b.SetBytes(512 * 512)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := stdjpeg.Decode(bytes.NewReader(stream)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode12BitCR decodes a 2140x1760 12-bit computed radiograph
// (JPEG Extended, process 4).
func BenchmarkDecode12BitCR(b *testing.B) {
	benchmarkFile(b, "pylibjpeg-data/JPEGExtended/RG2_JPLY.dcm", Options{})
}

// BenchmarkDecodeYBR decodes a 768x576 YBR_FULL ultrasound frame and
// converts it to RGB.
func BenchmarkDecodeYBR(b *testing.B) {
	benchmarkFile(b, "pylibjpeg-data/JPEGExtended/JPEGExtended_3s_1f_u_08_08.dcm", Options{ConvertYCbCr: true})
}

func benchmarkFile(b *testing.B, name string, opt Options) {
	f, frames := testdicom.ReadFrames(b, filepath.Join(testdicom.DataDir(b), name))
	benchmarkStream(b, frames[0], f.Expect(), opt)
}

func benchmarkStream(b *testing.B, stream []byte, e codec.Expect, opt Options) {
	codectest.BenchmarkFrames(b, [][]byte{stream}, e, int64(e.Width*e.Height*e.Components),
		func(stream []byte, e codec.Expect) (*codec.Image, error) { return Decode(stream, e, opt) })
}
