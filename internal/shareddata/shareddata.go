// Package shareddata locates the real public DICOM files that tests read
// from ../shared/data beside the checkout (never copied into the repo).
package shareddata

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Root returns the repository root: the directory holding go.mod above
// this source file.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Path returns ../shared/data, or "" when it is absent.
func Path() string {
	dir := filepath.Join(Root(), "..", "shared", "data")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}

// Dir returns ../shared/data, or skips the test with a clear message when
// it is absent (a user's clone without the shared test data).
func Dir(tb testing.TB) string {
	tb.Helper()
	dir := Path()
	if dir == "" {
		tb.Skipf("skipping: real DICOM test data not found at %s (it lives beside the checkout in ../shared/data)",
			filepath.Join(Root(), "..", "shared", "data"))
	}
	return dir
}

// File returns the path of rel inside ../shared/data, skipping as Dir does.
func File(tb testing.TB, rel string) string {
	tb.Helper()
	return filepath.Join(Dir(tb), filepath.FromSlash(rel))
}
