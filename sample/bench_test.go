package sample

import (
	"testing"
)

// BenchmarkGenerate512x500 generates the benchmark study: 500 slices of 512²
// (131 M voxels) on GOMAXPROCS workers.
func BenchmarkGenerate512x500(b *testing.B) {
	o := Options{Slices: 500, Size: 512, Seed: 1}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, err := Generate(o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N*o.Slices)*1e3, "ms/slice")
}

// BenchmarkRenderSlice512 renders single 512² slices through the thorax,
// abdomen and pelvis on one goroutine: the hot path.
func BenchmarkRenderSlice512(b *testing.B) {
	o := Options{Slices: 500, Size: 512, Seed: 1}
	ph, err := newPhantom(o)
	if err != nil {
		b.Fatal(err)
	}
	c := newCanvas(&ph.geom)
	n := o.Size * o.Size
	hu, label := make([]int16, n), make([]uint8, n)
	ks := []int{100, 200, 300, 420, 460}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ph.renderSlice(c, ks[i%len(ks)], hu, label)
	}
}

// BenchmarkNewPhantom measures the per-study set-up: anatomy, vessel trees,
// bowel and lesion placement.
func BenchmarkNewPhantom(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := newPhantom(Options{Slices: 500, Size: 512, Seed: int64(i + 1)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrite256x120 writes the default study to disk.
func BenchmarkWrite256x120(b *testing.B) {
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		if _, err := Write(dir, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
