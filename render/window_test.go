package render

import (
	"math"
	"testing"
)

// Expected values below are worked by hand from the formulas of PS3.3
// C.11.2.1.2.1 (LINEAR), C.11.2.1.3.2 (LINEAR_EXACT) and C.11.2.1.3.1
// (SIGMOID) with ymin = 0, ymax = 1.
func TestWindowApply(t *testing.T) {
	// Soft tissue, c = 40, w = 400.
	// LINEAR: lower bound c - 0.5 - (w-1)/2 = 40 - 0.5 - 199.5 = -160,
	// upper bound c - 0.5 + (w-1)/2 = 239; inside, y = (x - 39.5)/399 + 0.5.
	lin := Window{Center: 40, Width: 400}
	// LINEAR_EXACT: bounds c ± w/2 = -160 and 240; inside y = (x - 40)/400 + 0.5.
	exact := Window{Center: 40, Width: 400, Function: LinearExact}
	// SIGMOID: y = 1 / (1 + exp(-4 (x - 40) / 400)).
	sig := Window{Center: 40, Width: 400, Function: Sigmoid}
	tests := []struct {
		name string
		w    Window
		x    float64
		want float64
	}{
		{"linear/far below", lin, -3000, 0},
		{"linear/at lower bound", lin, -160, 0},
		{"linear/just above lower bound", lin, -159, 1.0 / 399}, // (-159 - 39.5)/399 + 0.5 = (-198.5 + 199.5)/399
		{"linear/c-0.5 is mid-grey", lin, 39.5, 0.5},
		{"linear/at centre", lin, 40, 0.5 + 0.5/399},
		{"linear/at upper bound", lin, 239, 1},
		{"linear/between upper bound and c+w/2", lin, 239.5, 1},
		{"linear/far above", lin, 3000, 1},
		{"linear/width 1 below threshold", Window{Center: 10, Width: 1}, 9.5, 0},
		{"linear/width 1 above threshold", Window{Center: 10, Width: 1}, 9.5000001, 1},
		{"linear/width 0.25 treated as 1", Window{Center: 10, Width: 0.25}, 9.6, 1},
		{"linear/width 0 treated as 1", Window{Center: 10, Width: 0}, 9.5, 0},
		{"linear/negative width treated as 1", Window{Center: 10, Width: -5}, 9.6, 1},
		{"linear/width 2", Window{Center: 10, Width: 2}, 10, 1},        // bounds 9 and 10: x <= 10 inside, (10 - 9.5)/1 + 0.5 = 1
		{"linear/width 2 mid", Window{Center: 10, Width: 2}, 9.5, 0.5}, // (9.5 - 9.5)/1 + 0.5
		{"linear_exact/at lower bound", exact, -160, 0},
		{"linear_exact/just above lower bound", exact, -159, 1.0 / 400},
		{"linear_exact/at centre", exact, 40, 0.5},
		{"linear_exact/at upper bound", exact, 240, 1},
		{"linear_exact/above", exact, 240.5, 1},
		{"linear_exact/width 0 step at c", Window{Center: 5, Width: 0, Function: LinearExact}, 5, 0},
		{"linear_exact/width 0 above c", Window{Center: 5, Width: 0, Function: LinearExact}, 5.001, 1},
		{"sigmoid/at centre", sig, 40, 0.5},
		{"sigmoid/c+w/4", sig, 140, 1 / (1 + math.Exp(-1))},
		{"sigmoid/c-w/4", sig, -60, 1 / (1 + math.Exp(1))},
		{"sigmoid/far above saturates", sig, 1e6, 1},
		{"sigmoid/far below saturates", sig, -1e6, 0},
		{"sigmoid/width 0 below", Window{Center: 5, Function: Sigmoid}, 4, 0},
		{"sigmoid/width 0 at c", Window{Center: 5, Function: Sigmoid}, 5, 0.5},
		{"sigmoid/width 0 above", Window{Center: 5, Function: Sigmoid}, 6, 1},
		{"NaN input", lin, math.NaN(), 0},
		{"NaN centre", Window{Center: math.NaN(), Width: 400}, 3, 0},
		{"NaN width", Window{Center: 0, Width: math.NaN(), Function: LinearExact}, 3, 1},
		{"+Inf input", lin, math.Inf(1), 1},
		{"-Inf input", sig, math.Inf(-1), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.w.Apply(tt.x)
			if math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("%+v.Apply(%v) = %.15g, want %.15g", tt.w, tt.x, got, tt.want)
			}
		})
	}
}

func TestWindowApply8(t *testing.T) {
	lin := Window{Center: 40, Width: 400}
	tests := []struct {
		name string
		w    Window
		x    float64
		want uint8
	}{
		{"black", lin, -160, 0},
		// y = 0.5 exactly: 255·0.5 = 127.5 rounds up.
		{"mid", lin, 39.5, 128},
		{"white", lin, 239, 255},
		// y = (x - 39.5)/399 + 0.5 = 1/255 at x = 39.5 + 399·(1/255 - 0.5) = -158.435...:
		// one unit above reaches y8 = 1 at 255·y >= 0.5, i.e. x >= 39.5 + 399·(0.5/255 - 0.5).
		{"first level below", lin, 39.5 + 399*(0.5/255-0.5) - 1e-9, 0},
		{"first level", lin, 39.5 + 399*(0.5/255-0.5) + 1e-9, 1},
		// LINEAR_EXACT c = 0, w = 255: y = x/255 + 0.5, so y8 = round(x + 127.5).
		{"exact/x=0", Window{Width: 255, Function: LinearExact}, 0, 128},
		{"exact/x=-1", Window{Width: 255, Function: LinearExact}, -1, 127},
		{"exact/x=-0.6", Window{Width: 255, Function: LinearExact}, -0.6, 127},
		{"exact/x=-0.4", Window{Width: 255, Function: LinearExact}, -0.4, 127},
		{"exact/x=-0.3", Window{Width: 255, Function: LinearExact}, -0.3, 127},
		{"exact/x=0.4", Window{Width: 255, Function: LinearExact}, 0.4, 128},
		{"exact/x=0.6", Window{Width: 255, Function: LinearExact}, 0.6, 128},
		{"exact/x=1", Window{Width: 255, Function: LinearExact}, 1, 129},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.w.Apply8(tt.x); got != tt.want {
				t.Errorf("%+v.Apply8(%v) = %d, want %d", tt.w, tt.x, got, tt.want)
			}
		})
	}
}

func TestParseFunction(t *testing.T) {
	tests := []struct {
		in   string
		want Function
	}{
		{"LINEAR", Linear},
		{"LINEAR_EXACT", LinearExact},
		{"SIGMOID", Sigmoid},
		{"sigmoid", Sigmoid},
		{" LINEAR_EXACT ", LinearExact},
		{"", Linear},
		{"GAMMA", Linear},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ParseFunction(tt.in); got != tt.want {
				t.Errorf("ParseFunction(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	for _, fn := range []Function{Linear, LinearExact, Sigmoid} {
		if got := ParseFunction(fn.String()); got != fn {
			t.Errorf("ParseFunction(%v.String()) = %v", fn, got)
		}
	}
}

// The window functions never leave [0, 1] and never decrease.
func TestWindowMonotone(t *testing.T) {
	for _, fn := range []Function{Linear, LinearExact, Sigmoid} {
		for _, w := range []Window{{Center: 40, Width: 400}, {Center: 0.3, Width: 0.2}, {Center: -600, Width: 1500}, {Center: 7, Width: 1}} {
			w.Function = fn
			prev := -1.0
			for x := w.Center - w.Width; x <= w.Center+w.Width; x += w.Width / 97 {
				y := w.Apply(x)
				if y < 0 || y > 1 || y < prev {
					t.Fatalf("%+v: Apply(%v) = %v after %v", w, x, y, prev)
				}
				prev = y
			}
		}
	}
}
