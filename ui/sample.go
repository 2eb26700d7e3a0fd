package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/sample"
)

// sampleDir is where the bundled sample study with options o lives:
// <cache>/sample-<slices>x<size>-seed<seed>, where <cache> is
// $MYELOVIEW_CACHE_DIR when set (as for the analysis cache), else
// os.UserCacheDir()/myeloview.
func sampleDir(o sample.Options) (string, error) {
	o = o.WithDefaults()
	base := os.Getenv(inference.EnvCacheDir)
	if base == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no cache folder for the sample study: %w", err)
		}
		base = filepath.Join(dir, "myeloview")
	}
	return filepath.Join(base, fmt.Sprintf("sample-%dx%d-seed%d", o.Slices, o.Size, o.Seed)), nil
}

// sampleComplete reports whether dir holds every file of the sample study
// with options o: each slice and the ground truth, which sample.Write
// writes atomically, so a present file is a whole one.
func sampleComplete(dir string, o sample.Options) bool {
	o = o.WithDefaults()
	if _, err := os.Stat(filepath.Join(dir, sample.GroundTruthFile)); err != nil {
		return false
	}
	for i := 1; i <= o.Slices; i++ {
		if st, err := os.Stat(filepath.Join(dir, sample.FileName(i))); err != nil || st.Size() == 0 {
			return false
		}
	}
	return true
}

// ensureSample returns the folder of the sample study with options o,
// generating it (a few seconds) unless a complete copy exists. It runs in
// the caller's goroutine: never call it on the UI goroutine.
func ensureSample(o sample.Options) (dir string, generated bool, err error) {
	dir, err = sampleDir(o)
	if err != nil {
		return "", false, err
	}
	if sampleComplete(dir, o) {
		return dir, false, nil
	}
	if _, err := sample.Write(dir, o); err != nil {
		return "", false, fmt.Errorf("generating the sample study: %w", err)
	}
	if !sampleComplete(dir, o) {
		return "", false, errors.New("generating the sample study: files missing after writing")
	}
	return dir, true, nil
}
