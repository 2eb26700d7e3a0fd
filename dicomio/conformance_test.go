package dicomio

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
)

// conformanceEntry is one file of testdata/conformance.json, written by
// testdata/gen_conformance.py from pydicom's decode of ../shared/data.
type conformanceEntry struct {
	Path            string       `json:"path"`
	TransferSyntax  string       `json:"transfer_syntax"`
	Status          string       `json:"status"`
	Reason          string       `json:"reason"`
	Frames          int          `json:"frames"`
	Rows            int          `json:"rows"`
	Cols            int          `json:"cols"`
	Samples         int          `json:"samples"`
	StoredSHA256    []string     `json:"stored_sha256"`
	ModalitySamples [][2]float64 `json:"modality_samples"`
}

func loadConformance(t *testing.T) []conformanceEntry {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "conformance.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Files []conformanceEntry `json:"files"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Files
}

// storedHash is the SHA-256 of a frame's stored values as little-endian
// int64 (float64 for float pixel data): the generator's canonical form.
func storedHash(f *Frame) string {
	h := sha256.New()
	buf := make([]byte, 8)
	for i := 0; i < f.Len(); i++ {
		if f.Float != nil {
			binary.LittleEndian.PutUint64(buf, math.Float64bits(f.Float[i]))
		} else {
			binary.LittleEndian.PutUint64(buf, uint64(f.Stored(i)))
		}
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestConformance decodes every file pydicom decodes and requires the same
// stored values, exactly, and modality values within 1e-3. Files whose
// transfer syntax we have no codec for yet must fail with
// ErrUnsupportedSyntax (never a panic or garbage) and are listed.
func TestConformance(t *testing.T) {
	root := shareddata.Dir(t)
	var matched, pending, refFailed int
	for _, e := range loadConformance(t) {
		t.Run(e.Path, func(t *testing.T) {
			path := filepath.Join(root, filepath.FromSlash(e.Path))
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("listed file missing: %v", err)
			}
			inst, err := OpenFile(path)
			switch e.Status {
			case "unreadable":
				refFailed++
				t.Logf("pydicom cannot read it (%s); we say: %v", e.Reason, err)
				return
			case "no_pixels", "error":
				refFailed++
				if err == nil && inst.HasPixels() {
					_, ferr := inst.ReadFrame(0)
					t.Logf("pydicom fails (%s); we say: %v", e.Reason, ferr)
				}
				return
			}
			if err != nil {
				t.Fatalf("OpenFile: %v", err)
			}
			if inst.Pixel.NumberOfFrames != e.Frames || inst.Pixel.Rows != e.Rows || inst.Pixel.Columns != e.Cols || inst.Pixel.SamplesPerPixel != e.Samples {
				t.Fatalf("geometry %d frames %dx%dx%d, pydicom %d frames %dx%dx%d",
					inst.Pixel.NumberOfFrames, inst.Pixel.Rows, inst.Pixel.Columns, inst.Pixel.SamplesPerPixel, e.Frames, e.Rows, e.Cols, e.Samples)
			}
			for i := 0; i < e.Frames; i++ {
				f, err := inst.ReadFrame(i)
				if errors.Is(err, ErrUnsupportedSyntax) && !inst.SyntaxSupported {
					pending++
					t.Logf("not supported yet: %v", err)
					return
				}
				if err != nil {
					t.Fatalf("ReadFrame(%d): %v", i, err)
				}
				if got := storedHash(f); got != e.StoredSHA256[i] {
					t.Fatalf("frame %d: stored values differ from pydicom (sha256 %s, want %s)", i+1, got[:12], e.StoredSHA256[i][:12])
				}
				if i == 0 {
					for _, s := range e.ModalitySamples {
						idx, want := int(s[0]), s[1]
						if got := f.Value(idx); math.Abs(got-want) > 1e-3 {
							t.Fatalf("modality value at sample %d = %v, pydicom %v", idx, got, want)
						}
					}
				}
			}
			matched++
		})
	}
	t.Logf("conformance: %d files match pydicom, %d pending a codec, %d that pydicom itself cannot decode", matched, pending, refFailed)
}
