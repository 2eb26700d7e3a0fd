package codectest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// LoadExpected reads the entries of testdata/expected.json in the
// package's directory: either a JSON array of entries or an object whose
// "files" member is one. It fails tb when the file is missing, malformed or
// lists nothing.
func LoadExpected[Entry any](tb testing.TB) []Entry {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "expected.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var entries []Entry
	if trimmed := bytes.TrimSpace(b); len(trimmed) > 0 && trimmed[0] == '{' {
		var doc struct {
			Files []Entry `json:"files"`
		}
		err = json.Unmarshal(b, &doc)
		entries = doc.Files
	} else {
		err = json.Unmarshal(b, &entries)
	}
	if err != nil {
		tb.Fatal(err)
	}
	if len(entries) == 0 {
		tb.Fatal("expected.json lists no files")
	}
	return entries
}

// InTestdata is the "in" value of an expected.json entry that names a raw
// codestream in the package's testdata folder; any other value names a
// DICOM file of the shared test data.
const InTestdata = "testdata"

// EntryFrames returns the compressed frames an expected.json entry names:
// the codestream testdata/name when in is InTestdata, else the frames of
// the shared DICOM file name, skipping tb when the shared data is absent.
func EntryFrames(tb testing.TB, in, name string) [][]byte {
	tb.Helper()
	if in == InTestdata {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			tb.Fatal(err)
		}
		return [][]byte{b}
	}
	_, frames := testdicom.ReadFrames(tb, filepath.Join(testdicom.DataDir(tb), name))
	return frames
}

// SeedFrame returns the fuzz seed for an expected.json entry: the
// codestream testdata/name when in is InTestdata, else the first frame of
// the shared DICOM file name cut to maxSeed bytes. The fuzzer minimizes
// every new input it finds, which takes minutes on a frame of hundreds of
// kilobytes, while the headers, tables and first lines of a frame hold all
// its syntax; a cut frame is a valid seed, whose decode must report
// codec.ErrTruncated. ok is false when the file cannot be read, the shared
// data being absent included, so that the target runs on without it.
func SeedFrame(in, name string, maxSeed int) (seed []byte, ok bool) {
	if in == InTestdata {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		return b, err == nil
	}
	dir, ok := testdicom.FindDataDir()
	if !ok {
		return nil, false
	}
	f, err := testdicom.Read(filepath.Join(dir, name))
	if err != nil {
		return nil, false
	}
	frames, err := f.Frames()
	if err != nil || len(frames) == 0 {
		return nil, false
	}
	return frames[0][:min(len(frames[0]), maxSeed)], true
}
