package dcmwrite

import (
	"math"
	"strconv"
	"testing"
)

func TestFormatDS(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{1, "1"},
		{-1024, "-1024"},
		{0.9375, "0.9375"},
		{1.875, "1.875"},
		{600.0 / 7, "85.7142857142857"}, // 17 characters shortened to 16
		{-239.53125, "-239.53125"},
		{-1e-20, "0"}, // never "-0"
		{1.0 / 3, "0.33333333333333"},
		{123456789012345.6, "123456789012346"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatDS(tt.in); got != tt.want {
				t.Errorf("FormatDS(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzFormatDS checks the Decimal String contract (PS3.5 Table 6.2-1): at
// most 16 characters from "0-9+-Ee.", parseable, and close to the input.
func FuzzFormatDS(f *testing.F) {
	for _, v := range []float64{0, 1, -1, 0.9375, 600.0 / 7, 480.0 / 333, -239.53125, 1e-9, -123456.789012345, 9.999999999999999e14} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1e15 {
			return
		}
		s := FormatDS(v)
		if len(s) > 16 || len(s) == 0 {
			t.Fatalf("FormatDS(%v) = %q: %d characters", v, s, len(s))
		}
		for _, c := range s {
			if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
				t.Fatalf("FormatDS(%v) = %q: character %q not allowed in DS", v, s, c)
			}
		}
		got, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("FormatDS(%v) = %q: %v", v, s, err)
		}
		if math.Abs(got-v) > 1e-12+1e-13*math.Abs(v) {
			t.Fatalf("FormatDS(%v) = %q: off by %g", v, s, got-v)
		}
	})
}
