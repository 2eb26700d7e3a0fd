package testdicom

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
)

// TestFramesStartWithCodestreamMarkers checks the fragment splitting against
// what every frame of these transfer syntaxes must start with: SOI (FFD8,
// ITU-T T.81 B.2.1) for JPEG-LS, SOC (FF4F, ITU-T T.800 A.4.1) or the JP2
// signature box for JPEG 2000.
func TestFramesStartWithCodestreamMarkers(t *testing.T) {
	data := DataDir(t)
	tests := []struct {
		file   string
		frames int
		magic  [][]byte
	}{
		{"pydicom-data/emri_small_jpeg_2k_lossless.dcm", 10, [][]byte{{0xFF, 0x4F}}},
		{"pydicom-data/emri_small_jpeg_ls_lossless.dcm", 10, [][]byte{{0xFF, 0xD8}}},
		{"pydicom-data/explicit_VR-UN.dcm", 1, [][]byte{{0xFF, 0x4F}}},
		{"pydicom-data/liver_j2k.dcm", 3, [][]byte{{0xFF, 0x4F}}},
		{"pylibjpeg-data/JPEG2000/MAROTECH_CT_JP2Lossy.dcm", 1, [][]byte{{0, 0, 0, 0x0C, 'j', 'P', ' ', ' '}}},
		{"pydicom-data/JLSL_RGB_ILV1.dcm", 1, [][]byte{{0xFF, 0xD8}}},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			f, err := Read(filepath.Join(data, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			frames, err := f.Frames()
			if err != nil {
				t.Fatal(err)
			}
			if len(frames) != tc.frames || f.NumberOfFrames != tc.frames {
				t.Fatalf("got %d frames (NumberOfFrames %d), want %d", len(frames), f.NumberOfFrames, tc.frames)
			}
			for i, frame := range frames {
				ok := false
				for _, m := range tc.magic {
					ok = ok || bytes.HasPrefix(frame, m)
				}
				if !ok {
					t.Errorf("frame %d starts % X", i, frame[:min(8, len(frame))])
				}
			}
		})
	}
}

// TestNativeLength checks the native Pixel Data length against the image
// pixel module (PS3.5 Section 8.1.1).
func TestNativeLength(t *testing.T) {
	data := DataDir(t)
	f, err := Read(filepath.Join(data, "pydicom-data/US1_UNCR.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	want := f.Rows * f.Columns * f.SamplesPerPixel * f.BitsAllocated / 8 * f.NumberOfFrames
	if f.Encapsulated || len(f.Native) != want || want != 640*480*3 {
		t.Fatalf("native length %d, want %d (rows %d cols %d)", len(f.Native), want, f.Rows, f.Columns)
	}
}

func TestParseRejectsGarbage(t *testing.T) {
	for _, in := range [][]byte{nil, make([]byte, 200), append(make([]byte, 128), "DICM\x02\x00\x10\x00UI\xff\xff"...)} {
		if _, err := Parse(in); !errors.Is(err, ErrFormat) {
			t.Errorf("Parse(%d bytes) = %v, want ErrFormat", len(in), err)
		}
	}
}
