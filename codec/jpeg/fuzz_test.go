package jpeg

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// maxSeed bounds the bytes of a real frame used as a fuzz seed: the
// fuzzer minimizes every new input it finds, which takes minutes on a
// frame of hundreds of kilobytes, and the headers, tables and first MCU
// rows hold all the syntax. A cut frame is a valid seed: Decode must
// report ErrTruncated.
const maxSeed = 32 << 10

// sharedDataDir finds ../shared/data beside the repository root without
// skipping: the fuzz target runs with the synthetic seeds alone when it
// is absent.
func sharedDataDir() (string, bool) {
	dir, err := os.Getwd()
	for err == nil {
		if _, statErr := os.Stat(filepath.Join(dir, "go.mod")); statErr == nil {
			data := filepath.Join(dir, "..", "shared", "data")
			st, err := os.Stat(data)
			return data, err == nil && st.IsDir()
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", false
}

func FuzzDecode(f *testing.F) {
	for _, e := range loadExpected(f) {
		switch e.In {
		case "testdata":
			if b, err := os.ReadFile(filepath.Join("testdata", e.Name)); err == nil {
				f.Add(b, false)
			}
		case "shared":
			dir, ok := sharedDataDir()
			if !ok {
				continue
			}
			df, err := testdicom.Read(filepath.Join(dir, e.Name))
			if err != nil {
				continue
			}
			if frames, err := df.Frames(); err == nil {
				f.Add(frames[0][:min(len(frames[0]), maxSeed)], e.SamplesPerPixel == 3)
			}
		}
	}
	f.Add(segmentStream(seg(markerSOF2, sofPayload(8, 16, 16)...)), false)

	f.Fuzz(func(t *testing.T, data []byte, convert bool) {
		GuessYCbCr(data) // must not panic
		img, err := Decode(data, codec.Expect{}, Options{ConvertYCbCr: convert})
		if err != nil {
			if img != nil {
				t.Fatal("image returned with an error")
			}
			if !wrapsSentinel(err) {
				t.Fatalf("error wraps no codec sentinel: %v", err)
			}
			return
		}
		n := img.Width * img.Height * img.Components
		if len(img.Pix) != n || img.Components < 1 || img.Components > maxComponents {
			t.Fatalf("%dx%dx%d image with %d samples from %d bytes", img.Width, img.Height, img.Components, len(img.Pix), len(data))
		}
		if img.Precision != 8 && img.Precision != 12 {
			t.Fatalf("precision %d", img.Precision)
		}
		for i, v := range img.Pix {
			if v>>img.Precision != 0 {
				t.Fatalf("sample %d = %d exceeds precision %d", i, v, img.Precision)
			}
		}
	})
}
