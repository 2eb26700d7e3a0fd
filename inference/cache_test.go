package inference

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func cacheTestBundle(version, sha string) *Bundle {
	return &Bundle{Manifest: Manifest{Name: "m", Version: version, SHA256: sha}}
}

const shaA = "53ef1ac028dd1b05554b8da28d9159eb3876f99868193d2aaa6e67f0243c23d4"
const shaB = "63ef1ac028dd1b05554b8da28d9159eb3876f99868193d2aaa6e67f0243c23d4"

func TestCacheKey(t *testing.T) {
	s, _ := memSeries(t, memSpec{slices: 3, rows: 2, cols: 2, files: true, hu: func(s, r, c int) float64 { return 0 }})
	c := &Cache{Dir: t.TempDir()}
	key := func(b *Bundle) string {
		t.Helper()
		k, err := c.Key(b, s)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	base := key(cacheTestBundle("1", shaA))
	if len(base) != 64 || base != key(cacheTestBundle("1", shaA)) {
		t.Fatalf("key %q is not a stable hex SHA-256", base)
	}
	if base != key(cacheTestBundle("1", "53EF1AC028DD1B05554B8DA28D9159EB3876F99868193D2AAA6E67F0243C23D4")) {
		t.Error("key depends on the case of the model checksum")
	}
	if base == key(cacheTestBundle("2", shaA)) {
		t.Error("key ignores the model version")
	}
	if base == key(cacheTestBundle("1", shaB)) {
		t.Error("key ignores the model checksum")
	}
	// Touching one file changes the key.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(s.Instances[1].Path, later, later); err != nil {
		t.Fatal(err)
	}
	touched := key(cacheTestBundle("1", shaA))
	if touched == base {
		t.Error("key ignores modification times")
	}
	// So does a change of size.
	if err := os.WriteFile(s.Instances[2].Path, []byte("longer content"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(s.Instances[2].Path, later, later)
	if key(cacheTestBundle("1", shaA)) == touched {
		t.Error("key ignores file sizes")
	}
	// A missing file means no key.
	os.Remove(s.Instances[0].Path)
	if _, err := c.Key(cacheTestBundle("1", shaA), s); err == nil {
		t.Error("key computed for a missing file")
	}
}

func cacheTestResult(slices, rows, cols int) *Result {
	res := &Result{SeriesUID: "1.2.3", Model: ModelInfo{Name: "m", Version: "1", SHA256: shaA},
		Slices: slices, Rows: rows, Cols: cols, Provider: "cpu", RuntimeVersion: "1.24.1"}
	for k := range slices {
		m := make([]uint8, rows*cols)
		for i := range m {
			m[i] = uint8(k*31 + i*7)
		}
		res.Maps = append(res.Maps, m)
	}
	return res
}

// emptyLike is res without the maps and provenance, as AnalyzeSeries
// prepares it before reading the cache.
func emptyLike(res *Result) *Result {
	return &Result{SeriesUID: res.SeriesUID, Model: res.Model, Slices: res.Slices, Rows: res.Rows, Cols: res.Cols}
}

func TestCacheStoreLoad(t *testing.T) {
	c := &Cache{Dir: filepath.Join(t.TempDir(), "nested", "analysis")}
	res := cacheTestResult(3, 4, 5)
	const key = "k1"
	if hit, err := c.load(key, emptyLike(res)); hit || err != nil {
		t.Fatalf("load before store: hit %v err %v", hit, err)
	}
	if err := c.store(key, res); err != nil {
		t.Fatal(err)
	}
	got := emptyLike(res)
	if hit, err := c.load(key, got); !hit || err != nil {
		t.Fatalf("load after store: hit %v err %v", hit, err)
	}
	for k := range res.Maps {
		if !bytes.Equal(got.Maps[k], res.Maps[k]) {
			t.Fatalf("slice %d differs after the round trip", k)
		}
	}
	if got.Provider != "cpu" || got.RuntimeVersion != "1.24.1" {
		t.Errorf("provenance %q %q", got.Provider, got.RuntimeVersion)
	}

	// Another size, model or series is a miss with an error (treated as one).
	for name, mutate := range map[string]func(r *Result){
		"rows":    func(r *Result) { r.Rows++ },
		"slices":  func(r *Result) { r.Slices-- },
		"version": func(r *Result) { r.Model.Version = "2" },
		"model":   func(r *Result) { r.Model.SHA256 = shaB },
		"series":  func(r *Result) { r.SeriesUID = "1.2.4" },
	} {
		other := emptyLike(res)
		mutate(other)
		if hit, err := c.load(key, other); hit || !errors.Is(err, errCache) || other.Maps != nil {
			t.Errorf("%s changed: hit %v err %v", name, hit, err)
		}
	}
}

func TestCacheCorruptFiles(t *testing.T) {
	res := cacheTestResult(2, 3, 3)
	var good bytes.Buffer
	if err := writeCacheEntry(&good, res); err != nil {
		t.Fatal(err)
	}
	valid := good.Bytes()
	flipped := bytes.Clone(valid)
	flipped[len(flipped)-6] ^= 0xff // inside the CRC-32 / size trailer
	var extra bytes.Buffer
	zw := gzip.NewWriter(&extra)
	zr, _ := gzip.NewReader(bytes.NewReader(valid))
	raw := new(bytes.Buffer)
	raw.ReadFrom(zr)
	zw.Write(append(raw.Bytes(), 0))
	zw.Close()
	for name, data := range map[string][]byte{
		"empty":           {},
		"not gzip":        []byte("hello, world"),
		"truncated":       valid[:len(valid)/2],
		"bad checksum":    flipped,
		"trailing byte":   extra.Bytes(),
		"gzip of garbage": gzipBytes([]byte("MVANLYS1\xff\xff\xff\xff")),
	} {
		t.Run(name, func(t *testing.T) {
			got := emptyLike(res)
			if err := readCacheEntry(bytes.NewReader(data), got); !errors.Is(err, errCache) {
				t.Fatalf("err = %v, want errCache", err)
			}
			if got.Maps != nil {
				t.Fatal("maps set from a corrupt file")
			}
		})
	}
	if err := readCacheEntry(bytes.NewReader(valid), emptyLike(res)); err != nil {
		t.Fatalf("valid entry: %v", err)
	}
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestDefaultCacheHonoursEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvCacheDir, dir)
	c, err := DefaultCache()
	if err != nil {
		t.Fatal(err)
	}
	if c.Dir != filepath.Join(dir, "analysis") {
		t.Fatalf("cache dir %q", c.Dir)
	}
}

// FuzzReadCacheEntry checks that no file content makes the cache reader
// panic, hang or return maps of the wrong size.
func FuzzReadCacheEntry(f *testing.F) {
	res := cacheTestResult(2, 3, 3)
	var good bytes.Buffer
	writeCacheEntry(&good, res)
	f.Add(good.Bytes())
	f.Add(good.Bytes()[:20])
	f.Add(gzipBytes([]byte("MVANLYS1\x10\x00\x00\x00{}")))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := emptyLike(res)
		if err := readCacheEntry(bytes.NewReader(data), got); err == nil {
			if len(got.Maps) != res.Slices {
				t.Fatalf("%d maps", len(got.Maps))
			}
			for _, m := range got.Maps {
				if len(m) != res.Rows*res.Cols {
					t.Fatalf("map of %d bytes", len(m))
				}
			}
		}
	})
}
