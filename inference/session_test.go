package inference

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/myeloview/myeloview/inference/internal/testmodel"
)

const testSeed = 20240611

func testNet(tb testing.TB) (testmodel.Weights, []byte) {
	tb.Helper()
	w := testmodel.NewWeights(testSeed)
	return w, testmodel.Model(w, testmodel.Options{
		InputName: "image", OutputName: "probabilities",
		Metadata: map[string]string{"myeloview.name": "testmodel"},
	})
}

func randomInput(seed uint64, n int) []float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	in := make([]float32, n)
	for i := range in {
		in[i] = r.Float32()*4 - 2
	}
	return in
}

func newCPUSession(tb testing.TB) (*Session, testmodel.Weights) {
	tb.Helper()
	requireORT(tb)
	w, model := testNet(tb)
	s, err := NewSession(model, []string{"image"}, []string{"probabilities"}, ProviderCPU)
	if err != nil {
		tb.Fatalf("NewSession: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, w
}

func TestSessionMatchesReference(t *testing.T) {
	s, w := newCPUSession(t)
	if got := s.Provider(); got != ProviderCPU {
		t.Fatalf("Provider() = %q, want %q", got, ProviderCPU)
	}
	for _, tc := range []struct{ n, h, w int }{
		{1, 1, 1}, {1, 5, 7}, {2, 16, 9}, {1, 64, 64}, {3, 31, 17},
	} {
		t.Run(fmt.Sprintf("%dx2x%dx%d", tc.n, tc.h, tc.w), func(t *testing.T) {
			shape := []int64{int64(tc.n), testmodel.InChannels, int64(tc.h), int64(tc.w)}
			input := randomInput(uint64(tc.h*1000+tc.w), tc.n*testmodel.InChannels*tc.h*tc.w)
			saved := slices.Clone(input)
			got, gotShape, err := s.Run(input, shape)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			wantShape := []int64{int64(tc.n), testmodel.OutChannels, int64(tc.h), int64(tc.w)}
			if !slices.Equal(gotShape, wantShape) {
				t.Fatalf("output shape %v, want %v", gotShape, wantShape)
			}
			want := referenceConvNet(w, input, tc.n, tc.h, tc.w)
			if len(got) != len(want) {
				t.Fatalf("output has %d values, want %d", len(got), len(want))
			}
			for i := range want {
				if d := math.Abs(float64(got[i] - want[i])); !(d <= 1e-5) {
					t.Fatalf("output[%d] = %v, reference %v (|diff| %g > 1e-5)", i, got[i], want[i], d)
				}
			}
			if !slices.Equal(input, saved) {
				t.Fatalf("Run modified its input")
			}
		})
	}
}

func TestSessionConcurrentRun(t *testing.T) {
	s, w := newCPUSession(t)
	const h, wd = 24, 20
	shape := []int64{1, testmodel.InChannels, h, wd}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			input := randomInput(uint64(g), testmodel.InChannels*h*wd)
			want := referenceConvNet(w, input, 1, h, wd)
			for range 5 {
				got, _, err := s.Run(input, shape)
				if err != nil {
					errs <- err
					return
				}
				for i := range want {
					if math.Abs(float64(got[i]-want[i])) > 1e-5 {
						errs <- fmt.Errorf("goroutine %d: output[%d] = %v, want %v", g, i, got[i], want[i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSessionRunRejectsBadShapes(t *testing.T) {
	s, _ := newCPUSession(t)
	for _, tc := range []struct {
		name  string
		n     int
		shape []int64
	}{
		{"too few values", 10, []int64{1, 2, 4, 4}},
		{"too many values", 40, []int64{1, 2, 4, 4}},
		{"zero dim", 0, []int64{1, 2, 0, 4}},
		{"negative dim", 8, []int64{1, 2, -2, -2}},
		{"empty shape", 1, nil},
		{"overflowing dims", 8, []int64{1 << 40, 1 << 40, 1 << 40, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := s.Run(make([]float32, tc.n), tc.shape)
			if !errors.Is(err, ErrShape) {
				t.Fatalf("Run(len %d, %v) = %v, want ErrShape", tc.n, tc.shape, err)
			}
		})
	}
	// Wrong channel count passes the length check but ORT must refuse it.
	if _, _, err := s.Run(make([]float32, 3*4*4), []int64{1, 3, 4, 4}); err == nil {
		t.Fatalf("Run with 3 channels on a 2-channel model succeeded")
	}
}

func TestSessionClose(t *testing.T) {
	s, _ := newCPUSession(t)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, _, err := s.Run(make([]float32, 2), []int64{1, 2, 1, 1}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Run after Close = %v, want ErrClosed", err)
	}
}

func TestNewSessionRejectsMultipleNames(t *testing.T) {
	_, model := testNet(t)
	_, err := NewSession(model, []string{"image", "extra"}, []string{"probabilities"}, ProviderCPU)
	if !errors.Is(err, ErrShape) {
		t.Fatalf("NewSession with two inputs = %v, want ErrShape", err)
	}
}

func TestIntraOpThreads(t *testing.T) {
	got := IntraOpThreads()
	want := min(runtime.NumCPU(), 8)
	if got != want || got < 1 {
		t.Fatalf("IntraOpThreads() = %d, want %d (min(NumCPU=%d, 8), at least 1)", got, want, runtime.NumCPU())
	}
}

func BenchmarkRun512(b *testing.B) {
	s, _ := newCPUSession(b)
	shape := []int64{1, testmodel.InChannels, 512, 512}
	input := randomInput(1, testmodel.InChannels*512*512)
	if _, _, err := s.Run(input, shape); err != nil { // warm-up
		b.Fatal(err)
	}
	b.SetBytes(int64(4 * len(input)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := s.Run(input, shape); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSessionRunInto: the output written into the caller's buffer equals
// Run's, the buffer is the one returned, and a buffer or output shape that
// does not fit the run is refused.
func TestSessionRunInto(t *testing.T) {
	s, _ := newCPUSession(t)
	shape := []int64{2, testmodel.InChannels, 16, 9}
	input := randomInput(7, 2*testmodel.InChannels*16*9)
	want, outShape, err := s.Run(input, shape)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float32, len(want))
	for i := range dst {
		dst[i] = float32(math.NaN()) // every value must be written
	}
	got, gotShape, err := s.RunInto(input, shape, dst, outShape)
	if err != nil {
		t.Fatal(err)
	}
	if &got[0] != &dst[0] || !slices.Equal(got, want) || !slices.Equal(gotShape, outShape) {
		t.Errorf("RunInto: shape %v (want %v), same buffer %v, equal to Run %v", gotShape, outShape, &got[0] == &dst[0], slices.Equal(got, want))
	}
	// A second batch into the same buffer: its own output, not the first's.
	input2 := randomInput(8, len(input))
	want2, _, _ := s.Run(input2, shape)
	if got2, _, err := s.RunInto(input2, shape, dst, outShape); err != nil || !slices.Equal(got2, want2) {
		t.Errorf("second batch: err %v, equal %v", err, slices.Equal(got2, want2))
	}
	if _, _, err := s.RunInto(input, shape, dst[:len(dst)-1], outShape); !errors.Is(err, ErrShape) {
		t.Errorf("short buffer: %v, want ErrShape", err)
	}
	wrong := slices.Clone(outShape)
	wrong[0], wrong[2] = 1, wrong[2]*2 // same element count, another shape
	if _, _, err := s.RunInto(input, shape, dst, wrong); err == nil {
		t.Error("an output shape the network does not produce was accepted")
	}
}
