package ljpeg

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// maxSeed bounds the bytes of a real frame used as a fuzz seed: the fuzzer
// minimizes every new input it finds, which takes minutes on a frame of
// hundreds of kilobytes, and the headers, tables and first lines of a frame
// hold all its syntax. A cut frame is a valid seed: Decode must report
// ErrTruncated.
const maxSeed = 16 << 10

// sharedDataDir finds ../shared/data beside the repository root without
// skipping: the fuzz target runs with synthetic seeds alone when it is
// absent.
func sharedDataDir() (string, bool) {
	dir, err := os.Getwd()
	for err == nil {
		if _, statErr := os.Stat(filepath.Join(dir, "go.mod")); statErr == nil {
			data := filepath.Join(dir, "..", "shared", "data")
			st, err := os.Stat(data)
			return data, err == nil && st.IsDir()
		}
		if parent := filepath.Dir(dir); parent != dir {
			dir = parent
		} else {
			break
		}
	}
	return "", false
}

func FuzzDecode(f *testing.F) {
	for _, e := range loadExpected(f) {
		switch e.In {
		case "testdata":
			if b, err := os.ReadFile(filepath.Join("testdata", e.Name)); err == nil {
				f.Add(b)
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
				f.Add(frames[0][:min(len(frames[0]), maxSeed)])
			}
		}
	}
	p := encodeParams{width: 9, height: 5, precision: 12, components: 3, predictor: 6, restart: 18, fillBytes: true, separateScans: true, dhtPerScan: true}
	p.pix = testImage(p.width, p.height, p.components, p.precision, 1)
	f.Add(encodeLossless(p))
	p = encodeParams{width: 7, height: 3, precision: 16, components: 1, predictor: 7, skewedTable: true}
	p.pix = testImage(p.width, p.height, p.components, p.precision, 2)
	f.Add(encodeLossless(p))

	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Decode(data, codec.Expect{})
		if err != nil {
			if img != nil {
				t.Fatal("image returned with an error")
			}
			for _, sentinel := range []error{codec.ErrCorrupt, codec.ErrTruncated, codec.ErrUnsupported, codec.ErrTooLarge} {
				if errors.Is(err, sentinel) {
					return
				}
			}
			t.Fatalf("error wraps no codec sentinel: %v", err)
		}
		n := img.Width * img.Height * img.Components
		if len(img.Pix) != n || n > 8*len(data) || img.Components < 1 || img.Components > maxComponents {
			t.Fatalf("%dx%dx%d image with %d samples from %d bytes", img.Width, img.Height, img.Components, len(img.Pix), len(data))
		}
		for i, v := range img.Pix {
			if v>>img.Precision != 0 {
				t.Fatalf("sample %d = %d exceeds precision %d", i, v, img.Precision)
			}
		}
	})
}
