package sample

import (
	"errors"
	"math"
	"testing"
)

func TestWithDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Options
		want Options
	}{
		{"zero", Options{}, Options{Slices: 120, Size: 256, Seed: 1}},
		{"explicit", Options{Slices: 500, Size: 512, Seed: 7}, Options{Slices: 500, Size: 512, Seed: 7}},
		{"partial", Options{Size: 64}, Options{Slices: 120, Size: 64, Seed: 1}},
		{"negative seed kept", Options{Seed: -3}, Options{Slices: 120, Size: 256, Seed: -3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.WithDefaults(); got != tt.want {
				t.Errorf("WithDefaults() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestInvalidOptions(t *testing.T) {
	tests := []struct {
		name string
		o    Options
	}{
		{"negative slices", Options{Slices: -1}},
		{"too few slices", Options{Slices: MinSlices - 1}},
		{"too many slices", Options{Slices: MaxSlices + 1}},
		{"negative size", Options{Size: -256}},
		{"too small", Options{Size: MinSize - 1}},
		{"too large", Options{Size: MaxSize + 1}},
		{"negative breach fraction", Options{BreachFraction: -0.1}},
		{"breach fraction above 1", Options{BreachFraction: 1.5}},
		{"breach fraction NaN", Options{BreachFraction: math.NaN()}},
		{"negative texture", Options{TextureHU: -1}},
		{"texture too strong", Options{TextureHU: MaxTextureHU + 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := Generate(tt.o); !errors.Is(err, ErrInvalidOptions) {
				t.Errorf("Generate: error %v, want ErrInvalidOptions", err)
			}
			dir := t.TempDir()
			if _, err := Write(dir, tt.o); !errors.Is(err, ErrInvalidOptions) {
				t.Errorf("Write: error %v, want ErrInvalidOptions", err)
			}
		})
	}
	// Within each limit but too large to hold in memory: refused before
	// allocating anything.
	if _, _, err := Generate(Options{Slices: MaxSlices, Size: MaxSize}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("Generate(max): error %v, want ErrInvalidOptions", err)
	}
}
