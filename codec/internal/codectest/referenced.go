package codectest

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// ReferencedFile is one entry of the expected.json that the
// gen_expected.py of packages charls and openjpeg write: per-frame hashes
// (ImageHash masked to Bits Stored) from each reference decoder that could
// decode the shared file Path.
type ReferencedFile struct {
	Path            string      `json:"path"`
	TransferSyntax  string      `json:"transfer_syntax"`
	Rows            int         `json:"rows"`
	Columns         int         `json:"columns"`
	SamplesPerPixel int         `json:"samples_per_pixel"`
	BitsStored      int         `json:"bits_stored"`
	Frames          int         `json:"frames"`
	References      []Reference `json:"references"`
	// Unavailable says why a reference decoder gave no hashes.
	Unavailable []string `json:"unavailable"`
	// Near, for a lossy file without a bit-exact reference, bounds the
	// difference from the lossless encoding of the same image.
	Near *NearReference `json:"near"`
}

// Reference is one decoder's hashes of every frame of a file.
type Reference struct {
	Decoder string   `json:"decoder"`
	SHA256  []string `json:"sha256"`
}

// NearReference is the largest difference a reference decoder finds
// between a lossy file and the Lossless encoding of the same image.
type NearReference struct {
	Decoder    string `json:"decoder"`
	Lossless   string `json:"lossless"`
	MaxAbsDiff int    `json:"max_abs_diff"`
}

// ReferenceCheck says how CheckReferences decodes and what more it checks.
type ReferenceCheck struct {
	Decode Decoder
	// CheckImage, when set, checks a decoded image beyond its size and
	// returns what is wrong with it.
	CheckImage func(img *codec.Image) error
	// Near, when set, checks frame i of a file that has a Near bound
	// instead of hashes; img and err are Decode's result.
	Near func(t *testing.T, img *codec.Image, err error, frame int, want *ReferencedFile)
}

// CheckReferences decodes every frame of every file, in parallel subtests
// named by path, and compares it with each reference decoding. A file
// without references is only logged.
func CheckReferences(t *testing.T, files []ReferencedFile, check ReferenceCheck) {
	data := testdicom.DataDir(t)
	for _, want := range files {
		t.Run(want.Path, func(t *testing.T) {
			t.Parallel()
			f, frames := testdicom.ReadFrames(t, filepath.Join(data, want.Path))
			if len(frames) != want.Frames {
				t.Fatalf("got %d frames, want %d", len(frames), want.Frames)
			}
			for i, frame := range frames {
				img, err := check.Decode(frame, f.Expect())
				if want.Near != nil && check.Near != nil {
					check.Near(t, img, err, i, &want)
					continue
				}
				if len(want.References) == 0 {
					t.Logf("frame %d: no reference decoding; ours returned error %v", i, err)
					continue
				}
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if err := checkSize(img, want.Columns, want.Rows, want.SamplesPerPixel); err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if check.CheckImage != nil {
					if err := check.CheckImage(img); err != nil {
						t.Fatalf("frame %d: %v", i, err)
					}
				}
				got := ImageHash(img, want.BitsStored)
				for _, ref := range want.References {
					if got != ref.SHA256[i] {
						t.Errorf("frame %d differs from %s", i, ref.Decoder)
					}
				}
			}
			for _, why := range want.Unavailable {
				t.Log("reference unavailable:", why)
			}
		})
	}
}

// checkSize checks an image's dimensions and its number of samples.
func checkSize(img *codec.Image, width, height, components int) error {
	if img.Width != width || img.Height != height || img.Components != components {
		return fmt.Errorf("got %dx%dx%d, want %dx%dx%d", img.Width, img.Height, img.Components, width, height, components)
	}
	if len(img.Pix) != width*height*components {
		return fmt.Errorf("len(Pix) = %d for %dx%dx%d", len(img.Pix), width, height, components)
	}
	return nil
}
