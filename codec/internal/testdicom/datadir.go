package testdicom

import (
	"os"
	"path/filepath"
	"testing"
)

// DataDir returns the shared test-data folder, ../shared/data beside the
// repository root (the folder holding go.mod), or skips tb when it is absent.
func DataDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Skipf("test data: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("test data: no go.mod above the working directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if info, err := os.Stat(data); err != nil || !info.IsDir() {
		tb.Skipf("test data folder %s is absent; skipping tests that need real DICOM files", data)
	}
	return data
}
