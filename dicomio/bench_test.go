package dicomio

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/sample"
)

func BenchmarkReadFrameNativeCT512(b *testing.B) {
	dir := shareddata.File(b, "ct-totalseg-native")
	entries, _ := os.ReadDir(dir)
	inst, err := OpenFile(filepath.Join(dir, entries[0].Name()))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(512 * 512 * 2)
	for b.Loop() {
		if _, err := inst.ReadFrame(0); err != nil {
			b.Fatal(err)
		}
	}
}

// benchStudy writes the benchmark input of the foundation issue once: the
// sample phantom at 500 slices of 512², in a fixed temp folder reused by
// later runs (sample.Write is deterministic; ground_truth.json is written
// last, so its presence means the folder is complete).
var benchStudy = sync.OnceValues(func() (string, error) {
	dir := filepath.Join(os.TempDir(), "myeloview-bench-sample-500x512-seed1")
	if _, err := os.Stat(filepath.Join(dir, sample.GroundTruthFile)); err == nil {
		return dir, nil
	}
	_, err := sample.Write(dir, sample.Options{Slices: 500, Size: 512, Seed: 1})
	return dir, err
})

func BenchmarkScanSample500(b *testing.B) {
	dir, err := benchStudy()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cat, err := Scan(context.Background(), []string{dir}, ScanOptions{})
		if err != nil || len(cat.AllSeries()) != 1 {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadSample500(b *testing.B) {
	dir, err := benchStudy()
	if err != nil {
		b.Fatal(err)
	}
	cat, err := Scan(context.Background(), []string{dir}, ScanOptions{})
	if err != nil {
		b.Fatal(err)
	}
	s := cat.AllSeries()[0]
	b.SetBytes(500 * 512 * 512 * 2)
	for b.Loop() {
		v, err := s.Load(context.Background(), LoadOptions{})
		if err != nil || len(v.Errors) > 0 {
			b.Fatal(err, v.Errors)
		}
	}
}

// BenchmarkLoadJ2KSeries loads the 20-slice JPEG 2000 CT as the viewer
// does: frames decoded in parallel, bounded by GOMAXPROCS. bench/j2k.sh
// compares its ms/slice with pydicom+GDCM's on the same files.
func BenchmarkLoadJ2KSeries(b *testing.B) {
	cat, err := Scan(context.Background(), []string{shareddata.File(b, "ct-totalseg-j2k")}, ScanOptions{})
	if err != nil {
		b.Fatal(err)
	}
	s := cat.AllSeries()[0]
	for b.Loop() {
		v, err := s.Load(context.Background(), LoadOptions{})
		if err != nil || len(v.Errors) > 0 {
			b.Fatal(err, v.Errors)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(len(s.Frames)), "ms/slice")
}
