package charls

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// ctSlice is a 512x512 CT slice, 16 bits, near-lossless JPEG-LS.
const ctSlice = "pylibjpeg-data/JPEGLS/CT1_JLSN.dcm"

func firstFrame(t testing.TB, name string) []byte {
	t.Helper()
	_, frames := readFrames(t, filepath.Join(testdicom.DataDir(t), name))
	return frames[0]
}

// isCodecError reports whether err wraps one of the codec sentinels, as
// every Decode error must.
func isCodecError(err error) bool {
	for _, sentinel := range []error{codec.ErrCorrupt, codec.ErrTruncated, codec.ErrUnsupported, codec.ErrMismatch, codec.ErrTooLarge} {
		if errors.Is(err, sentinel) {
			return true
		}
	}
	return false
}

func TestDecodeRejectsBadInput(t *testing.T) {
	frame := firstFrame(t, ctSlice)
	// A baseline JPEG (SOF0, T.81) is valid JPEG but not JPEG-LS; CharLS
	// calls its SOF0 an unknown marker.
	baseline := firstFrame(t, "pylibjpeg-data/JPEGBaseline/JPEGBaseline_1s_1f_u_08_08.dcm")
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, codec.ErrTruncated},
		{"garbage", []byte(strings.Repeat("not a codestream ", 64)), codec.ErrCorrupt},
		{"SOI only", frame[:2], codec.ErrTruncated},
		{"header cut", frame[:20], codec.ErrTruncated},
		{"header and a little scan data", frame[:80], codec.ErrTruncated},
		{"scan cut", frame[:len(frame)/2], codec.ErrTruncated},
		{"EOI missing", frame[:len(frame)-2], codec.ErrTruncated},
		{"baseline JPEG", baseline, codec.ErrCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := Decode(tc.data, codec.Expect{})
			if img != nil || !errors.Is(err, tc.want) {
				t.Fatalf("Decode = %v, %v; want error %v", img != nil, err, tc.want)
			}
			t.Log(err)
		})
	}
}

func TestDecodeChecksHeaderAgainstExpect(t *testing.T) {
	frame := firstFrame(t, ctSlice)
	tests := []struct {
		name string
		e    codec.Expect
		want error
	}{
		{"width", codec.Expect{Width: 511, Height: 512, Components: 1}, codec.ErrMismatch},
		{"height", codec.Expect{Width: 512, Height: 1024}, codec.ErrMismatch},
		{"components", codec.Expect{Components: 3}, codec.ErrMismatch},
		{"match", codec.Expect{Width: 512, Height: 512, Components: 1}, nil},
		{"unchecked", codec.Expect{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(frame, tc.e)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Decode = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestHostileSizeRejectedBeforeDecoding patches the SOF55 frame header
// (T.87 C.2.2: marker, Lf, P, Y, X) to declare 65535x65535 samples: Decode
// must refuse it from the header instead of allocating 8 GiB.
func TestHostileSizeRejectedBeforeDecoding(t *testing.T) {
	frame := append([]byte{}, firstFrame(t, ctSlice)...)
	sof := strings.Index(string(frame), "\xFF\xF7")
	if sof < 0 {
		t.Fatal("no SOF55 marker")
	}
	copy(frame[sof+5:], []byte{0xFF, 0xFF, 0xFF, 0xFF}) // Y, X
	if _, err := Decode(frame, codec.Expect{}); !errors.Is(err, codec.ErrTooLarge) {
		t.Fatalf("Decode = %v, want ErrTooLarge", err)
	}
	if _, err := Decode(frame, codec.Expect{Width: 512, Height: 512}); !errors.Is(err, codec.ErrMismatch) {
		t.Fatalf("Decode = %v, want ErrMismatch", err)
	}
}

// TestEveryPrefixFails cuts a small real frame at every length: each prefix
// must give a codec error, never a panic or an image.
func TestEveryPrefixFails(t *testing.T) {
	frame := firstFrame(t, "pydicom-data/emri_small_jpeg_ls_lossless.dcm")
	for n := 0; n < len(frame)-2; n++ {
		img, err := Decode(frame[:n], codec.Expect{})
		if err == nil || img != nil || !isCodecError(err) {
			t.Fatalf("prefix of %d/%d bytes: Decode = %v, %v", n, len(frame), img != nil, err)
		}
	}
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
	frame := firstFrame(t, "pydicom-data/emri_small_jpeg_ls_lossless.dcm")
	for _, n := range []int{67, 80, len(frame) / 2} {
		start := time.Now()
		_, err := Decode(frame[:n], codec.Expect{})
		if elapsed := time.Since(start); elapsed > 2*time.Second || !errors.Is(err, codec.ErrTruncated) {
			t.Errorf("prefix of %d bytes: %v after %v, want ErrTruncated at once", n, err, elapsed)
		}
	}
}
