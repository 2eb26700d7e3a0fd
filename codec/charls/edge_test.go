package charls

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// ctSlice is a 512x512 CT slice, 16 bits, near-lossless JPEG-LS.
const ctSlice = "pylibjpeg-data/JPEGLS/CT1_JLSN.dcm"

func TestDecodeRejectsBadInput(t *testing.T) {
	frame := testdicom.FirstFrame(t, ctSlice)
	// A baseline JPEG (SOF0, T.81) is valid JPEG but not JPEG-LS; CharLS
	// calls its SOF0 an unknown marker.
	baseline := testdicom.FirstFrame(t, "pylibjpeg-data/JPEGBaseline/JPEGBaseline_1s_1f_u_08_08.dcm")
	codectest.CheckBadInputs(t, []codectest.BadInput{
		{Name: "empty", Data: nil, Want: codec.ErrTruncated},
		{Name: "garbage", Data: []byte(strings.Repeat("not a codestream ", 64)), Want: codec.ErrCorrupt},
		{Name: "SOI only", Data: frame[:2], Want: codec.ErrTruncated},
		{Name: "header cut", Data: frame[:20], Want: codec.ErrTruncated},
		{Name: "header and a little scan data", Data: frame[:80], Want: codec.ErrTruncated},
		{Name: "scan cut", Data: frame[:len(frame)/2], Want: codec.ErrTruncated},
		{Name: "EOI missing", Data: frame[:len(frame)-2], Want: codec.ErrTruncated},
		{Name: "baseline JPEG", Data: baseline, Want: codec.ErrCorrupt},
	}, Decode)
}

func TestDecodeChecksHeaderAgainstExpect(t *testing.T) {
	codectest.CheckExpect(t, testdicom.FirstFrame(t, ctSlice), 512, 512, 1, Decode)
}

// TestHostileSizeRejectedBeforeDecoding patches the SOF55 frame header
// (T.87 C.2.2: marker, Lf, P, Y, X) to declare 65535x65535 samples: Decode
// must refuse it from the header instead of allocating 8 GiB.
func TestHostileSizeRejectedBeforeDecoding(t *testing.T) {
	frame := append([]byte{}, testdicom.FirstFrame(t, ctSlice)...)
	sof := strings.Index(string(frame), "\xFF\xF7")
	if sof < 0 {
		t.Fatal("no SOF55 marker")
	}
	copy(frame[sof+5:], []byte{0xFF, 0xFF, 0xFF, 0xFF}) // Y, X
	codectest.CheckHostileSize(t, frame, 512, 512, Decode)
}

// TestEveryPrefixFails cuts a small real frame at every length: each prefix
// must give a codec error, never a panic or an image.
func TestEveryPrefixFails(t *testing.T) {
	frame := testdicom.FirstFrame(t, "pydicom-data/emri_small_jpeg_ls_lossless.dcm")
	codectest.EveryPrefixFails(t, frame, len(frame)-2, Decode)
}

func TestVersion(t *testing.T) {
	if v := Version(); !strings.HasPrefix(v, "2.") {
		t.Fatalf("Version() = %q, want CharLS 2.x", v)
	}
}

// TestTruncatedScanFailsFast guards against CharLS 2.4.1 spinning for
// seconds on scan data that stops without a marker after it (measured:
// 13 s for this 64x64 frame cut 80 bytes in).
func TestTruncatedScanFailsFast(t *testing.T) {
	frame := testdicom.FirstFrame(t, "pydicom-data/emri_small_jpeg_ls_lossless.dcm")
	for _, n := range []int{67, 80, len(frame) / 2} {
		start := time.Now()
		_, err := Decode(frame[:n], codec.Expect{})
		if elapsed := time.Since(start); elapsed > 2*time.Second || !errors.Is(err, codec.ErrTruncated) {
			t.Errorf("prefix of %d bytes: %v after %v, want ErrTruncated at once", n, err, elapsed)
		}
	}
}

// TestDecodeAcceptsAnyPadByteAfterEOI: a fragment padded to even length
// with a byte other than 00 or FF after EOI (dcmtk 3.6.7's near-lossless
// encoder leaves whatever its buffer held) is a whole codestream and
// decodes as the unpadded one; without the EOI it is still refused.
func TestDecodeAcceptsAnyPadByteAfterEOI(t *testing.T) {
	frame := testdicom.FirstFrame(t, ctSlice)
	end := strings.LastIndex(string(frame), "\xFF\xD9")
	if end < 0 {
		t.Fatal("no EOI marker")
	}
	whole := frame[:end+2]
	want, err := Decode(whole, codec.Expect{})
	if err != nil {
		t.Fatalf("unpadded: %v", err)
	}
	for _, pad := range []byte{0x00, 0x24, 0xD9, 0xFF} {
		padded := append(append([]byte{}, whole...), pad)
		got, err := Decode(padded, codec.Expect{})
		if err != nil {
			t.Errorf("pad %02X: %v", pad, err)
			continue
		}
		if !slices.Equal(got.Pix, want.Pix) {
			t.Errorf("pad %02X: samples differ from the unpadded decode", pad)
		}
	}
	cut := append(append([]byte{}, whole[:len(whole)-2]...), 0x24)
	if _, err := Decode(cut, codec.Expect{}); !errors.Is(err, codec.ErrTruncated) {
		t.Errorf("EOI missing, one pad byte: %v, want ErrTruncated", err)
	}
}
