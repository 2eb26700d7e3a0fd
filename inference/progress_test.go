package inference

import (
	"errors"
	"testing"
	"time"
)

func TestETA(t *testing.T) {
	for _, tc := range []struct {
		elapsed     time.Duration
		done, total int
		left        time.Duration
		ok          bool
		text        string
	}{
		{10 * time.Second, 0, 100, 0, false, "ETA …"},
		{10 * time.Second, 25, 100, 30 * time.Second, true, "ETA 30 s"},
		{2 * time.Second, 1, 100, 198 * time.Second, true, "ETA 3 min 18 s"},
		{3 * time.Second, 100, 100, 0, true, "ETA 0 s"},
		{time.Second, 3, 4, time.Second / 3, true, "ETA 1 s"},
		{time.Second, 5, 0, 0, false, "ETA …"},
	} {
		left, ok := ETA(tc.elapsed, tc.done, tc.total)
		if ok != tc.ok || (left-tc.left).Abs() > time.Microsecond {
			t.Errorf("ETA(%v, %d, %d) = %v %v, want %v %v", tc.elapsed, tc.done, tc.total, left, ok, tc.left, tc.ok)
		}
		if got := FormatETA(left, ok); got != tc.text {
			t.Errorf("FormatETA(%v, %v) = %q, want %q", left, ok, got, tc.text)
		}
	}
}

func TestLoadDefaultBundle(t *testing.T) {
	saved := DefaultBundle
	t.Cleanup(func() { DefaultBundle = saved })
	DefaultBundle = nil
	if _, err := LoadDefaultBundle(); !errors.Is(err, ErrNoDefaultBundle) || err.Error() != "no default model bundle: pass --model DIR" {
		t.Fatalf("without a default bundle: %v", err)
	}
	want := &Bundle{Dir: "embedded"}
	DefaultBundle = func() (*Bundle, error) { return want, nil }
	if got, err := LoadDefaultBundle(); got != want || err != nil {
		t.Fatalf("with a default bundle: %v %v", got, err)
	}
}
