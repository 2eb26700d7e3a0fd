package codectest

import (
	"testing"

	"github.com/myeloview/myeloview/codec"
)

// HashedFile is one entry of the expected.json that the gen_expected.py of
// packages ljpeg and rle write: the hashes of a file's compressed frames,
// as pydicom splits them, and of one reference decoder's decoded frames
// (PixelHash masked to Bits Stored, or to MaskBits where a package says
// so), or the reference decoder's error.
type HashedFile struct {
	Name string `json:"name"`
	// In is InTestdata for a raw codestream in the package's testdata,
	// else the file is in the shared test data.
	In                  string   `json:"in"`
	Frames              int      `json:"frames"`
	Rows                int      `json:"rows"`
	Columns             int      `json:"columns"`
	Samples             int      `json:"samples"`
	BitsStored          int      `json:"bits_stored"`
	PixelRepresentation int      `json:"pixel_representation"`
	FrameSHA256         []string `json:"frame_sha256"`
	PixelSHA256         []string `json:"pixel_sha256"`
	Reference           string   `json:"reference"`
	// DcmtkAgrees records whether dcmtk, a second decoder, gives the
	// reference's samples.
	DcmtkAgrees bool   `json:"dcmtk_agrees"`
	Error       string `json:"error"`
}

// Hashed returns the entry's HashedFile; it makes HashedFile, and any
// entry type that embeds it, a HashedEntry.
func (f HashedFile) Hashed() *HashedFile { return &f }

// HashedEntry is an expected.json entry built on HashedFile.
type HashedEntry interface {
	Hashed() *HashedFile
}

// HashedCheck says how CheckHashedFiles decodes an entry's frames and
// what more it checks.
type HashedCheck[E HashedEntry] struct {
	Decode func(entry E, frame []byte, e codec.Expect) (*codec.Image, error)
	// MaskBits, when set, gives the bits the pixel hash keeps of each
	// sample; else Bits Stored.
	MaskBits func(entry E) int
	// OnReferenceError, when set, checks Decode's error on a file the
	// reference decoder cannot decode.
	OnReferenceError func(t *testing.T, entry E, err error)
}

// CheckHashedFiles decodes every frame of every entry, in subtests named
// by file, and compares it with the reference decoding: the compressed
// frames must be pydicom's, the image must have the header's size and its
// samples the reference's hash. An entry the reference cannot decode is
// only logged (and given to OnReferenceError).
func CheckHashedFiles[E HashedEntry](t *testing.T, entries []E, check HashedCheck[E]) {
	for _, entry := range entries {
		f := entry.Hashed()
		t.Run(f.Name, func(t *testing.T) {
			frames := EntryFrames(t, f.In, f.Name)
			if len(frames) != f.Frames || len(f.FrameSHA256) != f.Frames {
				t.Fatalf("got %d frames, expected.json says %d", len(frames), f.Frames)
			}
			e := codec.Expect{Width: f.Columns, Height: f.Rows, Components: f.Samples}
			maskBits := f.BitsStored
			if check.MaskBits != nil {
				maskBits = check.MaskBits(entry)
			}
			for i, frame := range frames {
				if got := SHA256(frame); got != f.FrameSHA256[i] {
					t.Fatalf("frame %d: compressed bytes differ from pydicom's (sha256 %s, want %s)", i, got, f.FrameSHA256[i])
				}
				img, err := check.Decode(entry, frame, e)
				if f.Error != "" {
					t.Logf("reference decoder fails (%s); Decode gives error %v", f.Error, err)
					if check.OnReferenceError != nil {
						check.OnReferenceError(t, entry, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if err := checkSize(img, f.Columns, f.Rows, f.Samples); err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if got := PixelHash(img.Pix, maskBits); got != f.PixelSHA256[i] {
					t.Errorf("frame %d: pixels differ from %s (sha256 %s, want %s)", i, f.Reference, got, f.PixelSHA256[i])
				}
			}
			if !f.DcmtkAgrees && f.Error == "" {
				t.Logf("note: dcmtk decodes this file differently from %s", f.Reference)
			}
		})
	}
}
