package testdicom

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
)

// FindDataDir returns the shared test-data folder, ../shared/data beside
// the repository root (the folder holding go.mod, found from the working
// directory up), and whether it exists. Fuzz targets use it to seed from
// real frames when they can and run on without them when they cannot.
func FindDataDir() (string, bool) {
	dir, err := os.Getwd()
	for err == nil {
		if _, statErr := os.Stat(filepath.Join(dir, "go.mod")); statErr == nil {
			data := filepath.Join(dir, "..", "shared", "data")
			info, err := os.Stat(data)
			return data, err == nil && info.IsDir()
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", false
}

// DataDir returns the shared test-data folder (see FindDataDir), or skips
// tb when it is absent.
func DataDir(tb testing.TB) string {
	tb.Helper()
	data, ok := FindDataDir()
	if !ok {
		if data == "" {
			data = "../shared/data beside the repository root"
		}
		tb.Skipf("test data folder %s is absent; skipping tests that need real DICOM files", data)
	}
	return data
}

// ReadFrames reads the Part 10 file at path and returns it with its
// compressed frames, failing tb on any error.
func ReadFrames(tb testing.TB, path string) (*File, [][]byte) {
	tb.Helper()
	f, err := Read(path)
	if err != nil {
		tb.Fatal(err)
	}
	frames, err := f.Frames()
	if err != nil {
		tb.Fatal(err)
	}
	return f, frames
}

// SharedFrames returns the compressed frames of the shared test files
// names (paths relative to DataDir), all frames of each in turn, skipping
// tb when the shared data is absent.
func SharedFrames(tb testing.TB, names ...string) [][]byte {
	tb.Helper()
	var all [][]byte
	for _, name := range names {
		_, frames := ReadFrames(tb, filepath.Join(DataDir(tb), name))
		all = append(all, frames...)
	}
	return all
}

// FirstFrame returns the first compressed frame of the shared test file
// name.
func FirstFrame(tb testing.TB, name string) []byte {
	tb.Helper()
	return SharedFrames(tb, name)[0]
}

// FirstFrames returns the first compressed frame of each of the shared
// test files names.
func FirstFrames(tb testing.TB, names ...string) [][]byte {
	tb.Helper()
	frames := make([][]byte, len(names))
	for i, name := range names {
		frames[i] = FirstFrame(tb, name)
	}
	return frames
}

// Expect returns what the file's image pixel module says a frame holds.
func (f *File) Expect() codec.Expect {
	return codec.Expect{Width: f.Columns, Height: f.Rows, Components: f.SamplesPerPixel}
}
