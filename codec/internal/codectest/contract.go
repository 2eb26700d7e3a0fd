package codectest

import (
	"errors"
	"testing"
	"time"

	"github.com/myeloview/myeloview/codec"
)

// Sentinels are the errors of package codec; every Decode error wraps one.
var Sentinels = []error{codec.ErrCorrupt, codec.ErrTruncated, codec.ErrUnsupported, codec.ErrMismatch, codec.ErrTooLarge}

// WrapsSentinel reports whether err wraps one of allowed, or of Sentinels
// when allowed is empty.
func WrapsSentinel(err error, allowed ...error) bool {
	if len(allowed) == 0 {
		allowed = Sentinels
	}
	for _, s := range allowed {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// CheckDecoded checks one Decode result against the contract every
// decoder keeps: an error wraps a sentinel (one of allowed, when given)
// and comes without an image; an image holds Width×Height×Components
// samples, none wider than its Precision. It reports whether an image was
// decoded, for the caller to check more.
func CheckDecoded(t *testing.T, img *codec.Image, err error, allowed ...error) bool {
	t.Helper()
	if err != nil {
		if img != nil {
			t.Fatalf("image returned with error %v", err)
		}
		if !WrapsSentinel(err, allowed...) {
			t.Fatalf("error wraps no allowed codec sentinel: %v", err)
		}
		return false
	}
	if img.Width < 1 || img.Height < 1 || img.Components < 1 || len(img.Pix) != img.Width*img.Height*img.Components {
		t.Fatalf("%dx%dx%d image with %d samples", img.Width, img.Height, img.Components, len(img.Pix))
	}
	if img.Precision < 1 {
		t.Fatalf("precision %d", img.Precision)
	}
	if img.Precision < 32 {
		for i, v := range img.Pix {
			if v>>img.Precision != 0 {
				t.Fatalf("sample %d = %#x exceeds precision %d", i, v, img.Precision)
			}
		}
	}
	return true
}

// Watchdog panics after d unless the returned stop is called first. Go
// fuzzing has no per-input time limit: without it a stuck decode would
// stall the run silently instead of failing with its input.
func Watchdog(d time.Duration) (stop func() bool) {
	return time.AfterFunc(d, func() { panic("Decode ran longer than " + d.String()) }).Stop
}

// BadInput is a frame Decode must refuse with an error that wraps Want.
type BadInput struct {
	Name   string
	Data   []byte
	Expect codec.Expect
	Want   error
}

// CheckBadInputs decodes each input in a subtest of its name: each must
// give an error that wraps its Want, and no image.
func CheckBadInputs(t *testing.T, inputs []BadInput, decode Decoder) {
	for _, tc := range inputs {
		t.Run(tc.Name, func(t *testing.T) {
			img, err := decode(tc.Data, tc.Expect)
			if img != nil || !errors.Is(err, tc.Want) {
				t.Fatalf("Decode = %v, %v; want error %v", img != nil, err, tc.Want)
			}
			t.Log(err)
		})
	}
}

// EveryPrefixFails decodes every prefix of frame shorter than end bytes:
// each must fail with an error that wraps one of allowed (any sentinel
// when none is given) and return no image, never panic.
func EveryPrefixFails(t *testing.T, frame []byte, end int, decode Decoder, allowed ...error) {
	t.Helper()
	for n := 0; n < end; n++ {
		img, err := decode(frame[:n], codec.Expect{})
		if err == nil || img != nil || !WrapsSentinel(err, allowed...) {
			t.Fatalf("prefix of %d/%d bytes: Decode = %v, %v", n, len(frame), img != nil, err)
		}
	}
}

// CheckExpect decodes frame, a width×height image of components samples
// per pixel, with expectations that each disagree with it in one
// dimension, which must fail with codec.ErrMismatch, and with a matching
// and an empty one, which must succeed.
func CheckExpect(t *testing.T, frame []byte, width, height, components int, decode Decoder) {
	otherComponents := 3
	if components != 1 {
		otherComponents = 1
	}
	tests := []struct {
		name string
		e    codec.Expect
		want error
	}{
		{"width", codec.Expect{Width: width + 1, Height: height, Components: components}, codec.ErrMismatch},
		{"height", codec.Expect{Width: width, Height: 2 * height}, codec.ErrMismatch},
		{"components", codec.Expect{Components: otherComponents}, codec.ErrMismatch},
		{"match", codec.Expect{Width: width, Height: height, Components: components}, nil},
		{"unchecked", codec.Expect{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := decode(frame, tc.e); !errors.Is(err, tc.want) {
				t.Fatalf("Decode = %v, want %v", err, tc.want)
			}
		})
	}
}

// CheckHostileSize decodes frame, whose header the caller has patched to
// declare an image beyond codec.MaxSamples: Decode must refuse it from the
// header, with codec.ErrTooLarge, or with codec.ErrMismatch when the DICOM
// header says width×height, instead of allocating it.
func CheckHostileSize(t *testing.T, frame []byte, width, height int, decode Decoder) {
	t.Helper()
	if _, err := decode(frame, codec.Expect{}); !errors.Is(err, codec.ErrTooLarge) {
		t.Fatalf("Decode = %v, want ErrTooLarge", err)
	}
	if _, err := decode(frame, codec.Expect{Width: width, Height: height}); !errors.Is(err, codec.ErrMismatch) {
		t.Fatalf("Decode = %v, want ErrMismatch", err)
	}
}
