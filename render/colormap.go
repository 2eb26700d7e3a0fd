package render

//go:generate /usr/bin/python3 viridis_gen.py

import "strings"

// ColorMap maps a value in [0, 1], quantised to 256 levels, to a colour:
// Table[round(255·v)] is R, G, B. ColorMaps are values; the package's
// maps are read-only.
type ColorMap struct {
	Name  string
	Table [256][3]uint8
}

// The colour maps offered for heatmap overlays.
var (
	// Turbo is Google's improved rainbow map (Mikhailov, 2019), from its
	// published polynomial approximation (Ruofei Du's GLSL version, Apache
	// 2.0; https://gist.github.com/mikhailov-work/0d177465a8151eb6ede1768d51d476c7).
	Turbo = newColorMap("turbo", func(i int) [3]float64 { return turbo(float64(i) / 255) })
	// Jet is MATLAB's jet as its common piecewise-linear definition:
	// R = 1.5 - |4v - 3|, G = 1.5 - |4v - 2|, B = 1.5 - |4v - 1|, clamped.
	Jet = makeJet()
	// Hot is MATLAB's hot(256): red rises over the first 96 entries, green
	// over the next 96, blue over the last 64 (hot.m: n = fix(3/8·m)).
	Hot = makeHot()
	// Viridis is the perceptually uniform map of van der Walt and Smith
	// (BIDS/colormap, CC0), from its published 256-entry table.
	Viridis = newColorMap("viridis", func(i int) [3]float64 { return viridisData[i] })
)

// ColorMaps returns the overlay colour maps, Turbo first (the default).
func ColorMaps() []ColorMap { return []ColorMap{Turbo, Jet, Hot, Viridis} }

// ColorMapByName finds a colour map by name, ignoring case.
func ColorMapByName(name string) (ColorMap, bool) {
	for _, m := range ColorMaps() {
		if strings.EqualFold(m.Name, strings.TrimSpace(name)) {
			return m, true
		}
	}
	return ColorMap{}, false
}

// At returns the colour of v in [0, 1] (clamped; NaN is 0).
func (m *ColorMap) At(v float64) [3]uint8 { return m.Table[level(v)] }

// level is round(255·v) clamped to 0..255, NaN to 0.
func level(v float64) int {
	switch {
	case !(v > 0):
		return 0
	case v >= 1:
		return 255
	}
	return int(v*255 + 0.5)
}

// newColorMap quantises entry i of fn, R, G, B in [0, 1], to 8 bits.
func newColorMap(name string, fn func(i int) [3]float64) ColorMap {
	m := ColorMap{Name: name}
	for i := range m.Table {
		c := fn(i)
		for k, x := range c {
			m.Table[i][k] = quantise(min(max(x, 0), 1))
		}
	}
	return m
}

// turbo evaluates the polynomial approximation of the Turbo colour map.
func turbo(x float64) [3]float64 {
	x2 := x * x
	x3 := x2 * x
	x4 := x2 * x2
	x5 := x4 * x
	poly := func(k [6]float64) float64 {
		return k[0] + k[1]*x + k[2]*x2 + k[3]*x3 + k[4]*x4 + k[5]*x5
	}
	return [3]float64{
		poly([6]float64{0.13572138, 4.61539260, -42.66032258, 132.13108234, -152.94239396, 59.28637943}),
		poly([6]float64{0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604}),
		poly([6]float64{0.10667330, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973}),
	}
}

// makeJet builds jet in integers: at v = i/255, 255·(1.5 - |4v - k|) is
// 382.5 - |4i - 255k|, always half an integer, so floating point would
// round it either way by noise; rounding halves up exactly, the level is
// 383 - |4i - 255k|, clamped to 0..255.
func makeJet() ColorMap {
	m := ColorMap{Name: "jet"}
	for i := range m.Table {
		for c, k := range [3]int{3, 2, 1} {
			d := 4*i - 255*k
			m.Table[i][c] = uint8(min(max(383-max(d, -d), 0), 255))
		}
	}
	return m
}

// makeHot builds MATLAB's hot(256) exactly as hot.m does, entry i = 1..m:
// R = i/n for i <= n, else 1; G = 0 for i <= n, (i-n)/n for i <= 2n, else 1;
// B = 0 for i <= 2n, else (i-2n)/(m-2n); with m = 256, n = fix(3/8·m) = 96.
// Levels are round(255·fraction) in integers, halves up (255·16/96 is
// exactly 42.5, which floating point would round by noise).
func makeHot() ColorMap {
	const m, n = 256, 96
	level := func(num, den int) uint8 { return uint8((2*255*num + den) / (2 * den)) }
	c := ColorMap{Name: "hot"}
	for k := range c.Table {
		i := k + 1
		switch {
		case i <= n:
			c.Table[k] = [3]uint8{level(i, n), 0, 0}
		case i <= 2*n:
			c.Table[k] = [3]uint8{255, level(i-n, n), 0}
		default:
			c.Table[k] = [3]uint8{255, 255, level(i-2*n, m-2*n)}
		}
	}
	return c
}
