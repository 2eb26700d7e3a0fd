package inference

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

// volume is a test helper: maps[s][r*cols+c] with a setter.
type testVolume struct {
	slices, rows, cols int
	maps               [][]uint8
}

func newTestVolume(slices, rows, cols int) *testVolume {
	v := &testVolume{slices: slices, rows: rows, cols: cols, maps: make([][]uint8, slices)}
	for s := range v.maps {
		v.maps[s] = make([]uint8, rows*cols)
	}
	return v
}

func (v *testVolume) set(s, r, c int, q uint8) { v.maps[s][r*v.cols+c] = q }

// box sets every voxel of the inclusive box [c0..c1]×[r0..r1]×[s0..s1].
func (v *testVolume) box(c0, r0, s0, c1, r1, s1 int, q uint8) {
	for s := s0; s <= s1; s++ {
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				v.set(s, r, c, q)
			}
		}
	}
}

// floodLabels is the reference labelling: a breadth-first flood fill over
// a dense label array with an explicit queue, visiting all 26 neighbours.
func floodLabels(v *testVolume, qt uint8) ([]int, int) {
	n := v.slices * v.rows * v.cols
	labels := make([]int, n)
	for i := range labels {
		labels[i] = -1
	}
	count := 0
	for s := range v.slices {
		for r := range v.rows {
			for c := range v.cols {
				i := (s*v.rows+r)*v.cols + c
				if labels[i] >= 0 || v.maps[s][r*v.cols+c] < qt {
					continue
				}
				queue := [][3]int{{s, r, c}}
				labels[i] = count
				for len(queue) > 0 {
					p := queue[0]
					queue = queue[1:]
					for ds := -1; ds <= 1; ds++ {
						for dr := -1; dr <= 1; dr++ {
							for dc := -1; dc <= 1; dc++ {
								ss, rr, cc := p[0]+ds, p[1]+dr, p[2]+dc
								if ss < 0 || ss >= v.slices || rr < 0 || rr >= v.rows || cc < 0 || cc >= v.cols {
									continue
								}
								j := (ss*v.rows+rr)*v.cols + cc
								if labels[j] < 0 && v.maps[ss][rr*v.cols+cc] >= qt {
									labels[j] = count
									queue = append(queue, [3]int{ss, rr, cc})
								}
							}
						}
					}
				}
				count++
			}
		}
	}
	return labels, count
}

// denseLabels expands the run labelling to one label per voxel (−1 for
// background).
func denseLabels(c *components, v *testVolume) []int {
	out := make([]int, v.slices*v.rows*v.cols)
	for i := range out {
		out[i] = -1
	}
	for s := range v.slices {
		for r := range v.rows {
			rr := c.rowRange(s, r)
			for i := rr[0]; i < rr[1]; i++ {
				for x := c.runs[i].start; x < c.runs[i].end; x++ {
					out[(s*v.rows+r)*v.cols+int(x)] = int(c.label[i])
				}
			}
		}
	}
	return out
}

func TestLabelComponentsHandMade(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(v *testVolume)
		want  int
	}{
		{"empty", func(v *testVolume) {}, 0},
		{"two blobs", func(v *testVolume) {
			v.box(1, 1, 1, 3, 3, 2, 200)
			v.box(6, 5, 3, 7, 7, 4, 200)
		}, 2},
		{"corner across slices", func(v *testVolume) { v.set(1, 2, 2, 200); v.set(2, 3, 3, 200) }, 1},
		{"anti-diagonal corner across slices", func(v *testVolume) { v.set(1, 2, 5, 200); v.set(2, 3, 4, 200) }, 1},
		{"edge in plane", func(v *testVolume) { v.set(0, 2, 2, 200); v.set(0, 3, 3, 200) }, 1},
		{"one voxel apart", func(v *testVolume) { v.set(0, 2, 2, 200); v.set(0, 2, 4, 200) }, 2},
		{"two slices apart", func(v *testVolume) { v.set(0, 2, 2, 200); v.set(2, 2, 2, 200) }, 2},
		{"below threshold bridge", func(v *testVolume) {
			v.box(0, 0, 0, 2, 0, 0, 200)
			v.set(0, 0, 3, 100)
			v.box(4, 0, 0, 6, 0, 0, 200)
		}, 2},
		{"U joined at the bottom slice", func(v *testVolume) {
			v.box(1, 1, 0, 1, 1, 4, 200)
			v.box(6, 6, 0, 6, 6, 4, 200)
			v.box(1, 1, 4, 6, 6, 4, 200)
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newTestVolume(5, 8, 8)
			tc.build(v)
			c, err := labelComponents(v.maps, v.rows, v.cols, 128, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.count != tc.want {
				t.Fatalf("%d components, want %d", c.count, tc.want)
			}
			if _, ref := floodLabels(v, 128); ref != tc.want {
				t.Fatalf("reference flood fill finds %d, the case expects %d", ref, tc.want)
			}
		})
	}
}

// TestLabelComponentsMatchesFloodFill compares partitions on random
// volumes of varying density (sparse dots to a nearly full volume).
func TestLabelComponentsMatchesFloodFill(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for trial := range 60 {
		v := newTestVolume(1+r.IntN(6), 1+r.IntN(12), 1+r.IntN(12))
		density := r.Float64()
		for s := range v.slices {
			for i := range v.maps[s] {
				if r.Float64() < density {
					v.maps[s][i] = uint8(r.IntN(256))
				}
			}
		}
		qt := uint8(1 + r.IntN(255))
		c, err := labelComponents(v.maps, v.rows, v.cols, qt, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := denseLabels(c, v)
		want, count := floodLabels(v, qt)
		if c.count != count {
			t.Fatalf("trial %d: %d components, flood fill %d", trial, c.count, count)
		}
		// Same partition: a bijection between labels.
		fwd, back := map[int]int{}, map[int]int{}
		for i := range got {
			if (got[i] < 0) != (want[i] < 0) {
				t.Fatalf("trial %d: voxel %d foreground mismatch", trial, i)
			}
			if got[i] < 0 {
				continue
			}
			if g, ok := fwd[got[i]]; ok && g != want[i] {
				t.Fatalf("trial %d: label %d spans flood components %d and %d", trial, got[i], g, want[i])
			}
			if w, ok := back[want[i]]; ok && w != got[i] {
				t.Fatalf("trial %d: flood component %d split into labels %d and %d", trial, want[i], w, got[i])
			}
			fwd[got[i]], back[want[i]] = want[i], got[i]
		}
	}
}

// obliqueGeometry is a series tilted about two axes with anisotropic
// pixels and a slice gap different from the pixel size.
func obliqueGeometry(slices, rows, cols int) dicomio.Geometry {
	a, b := 0.3, -0.2
	rowDir := dicomio.Vec3{math.Cos(a), math.Sin(a), 0}
	colDir := dicomio.Vec3{-math.Sin(a) * math.Cos(b), math.Cos(a) * math.Cos(b), math.Sin(b)}
	g := dicomio.Geometry{Rows: rows, Cols: cols, RowDir: rowDir, ColDir: colDir, Normal: rowDir.Cross(colDir).Normalized(),
		PixelSpacing: [2]float64{0.8, 0.6}, SliceSpacing: 2.5, Known: true}
	origin := dicomio.Vec3{-100, 50, 300}
	for k := range slices {
		g.Origins = append(g.Origins, origin.Add(g.Normal.Scale(-2.5*float64(k))))
	}
	return g
}

func TestFindingsMetrics(t *testing.T) {
	const slices, rows, cols = 6, 10, 12
	v := newTestVolume(slices, rows, cols)
	// A 3 (columns) × 4 (rows) × 2 (slices) box at columns 2–4, rows 3–6,
	// slices 1–2, probability 200/255 except a peak of 250 at (3, 5, 2).
	v.box(2, 3, 1, 4, 6, 2, 200)
	v.set(2, 5, 3, 250)
	g := obliqueGeometry(slices, rows, cols)
	frames := make([]dicomio.FrameRef, slices)
	for k := range frames {
		frames[k] = dicomio.FrameRef{Instance: &dicomio.Instance{SOPInstanceUID: fmt.Sprintf("1.2.3.%d", k)}}
	}
	// HU = 10·slice + row − column, stored unsigned with intercept −1024
	// on even slices (the fast path of sumModality) and as signed patterns
	// on odd ones (the generic path).
	pixels := func(k int) *dicomio.Frame {
		f := &dicomio.Frame{Rows: rows, Cols: cols, Samples: 1, BitsStored: 16, Raw16: make([]uint16, rows*cols),
			Modality: dicomio.ModalityTransform{Slope: 1, Intercept: -1024}}
		if k%2 == 1 {
			f.Signed, f.Modality.Intercept = true, 0
		}
		for r := range rows {
			for c := range cols {
				hu := 10*k + r - c
				if f.Signed {
					f.Raw16[r*cols+c] = uint16(int16(hu))
				} else {
					f.Raw16[r*cols+c] = uint16(hu + 1024)
				}
			}
		}
		return f
	}
	fs, err := computeFindings(findingInput{maps: v.maps, rows: rows, cols: cols, geom: g, frames: frames, pixels: pixels}, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1", len(fs))
	}
	f := fs[0]
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*max(1, math.Abs(want)) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	near("voxels", float64(f.Voxels), 24)
	near("volume ml", f.VolumeML, 24*0.8*0.6*2.5/1000)
	near("equivalent diameter", f.EquivalentDiameterMM, math.Cbrt(6*24*0.8*0.6*2.5/math.Pi))
	// Centre: mean column 3, mean row 4.5, mean slice 1.5; patient position
	// from the definition (PS3.3 C.7.6.2.1-1): origin of the slice (here
	// interpolated halfway) + column·Δc·RowDir + row·Δr·ColDir.
	wantVoxel := [3]float64{3, 4.5, 1.5}
	for i := range 3 {
		near(fmt.Sprintf("center voxel[%d]", i), f.CenterVoxel[i], wantVoxel[i])
	}
	o := g.Origins[1].Add(g.Origins[2]).Scale(0.5)
	want := o.Add(g.RowDir.Scale(3 * 0.6)).Add(g.ColDir.Scale(4.5 * 0.8))
	for i := range 3 {
		near(fmt.Sprintf("center mm[%d]", i), f.CenterMM[i], want[i])
	}
	near("extent along rows", f.ExtentMM[0], 3*0.6)
	near("extent along columns", f.ExtentMM[1], 4*0.8)
	near("extent along normal", f.ExtentMM[2], 2*2.5)
	near("diameter", f.DiameterMM, 5)
	near("max probability", f.MaxProbability, 250.0/255)
	near("mean probability", f.MeanProbability, (23*200.0+250)/24/255)
	near("mean HU", f.MeanHU, 10*1.5+4.5-3)
	if f.SliceRange != [2]int{1, 2} || f.PeakVoxel != [3]int{3, 5, 2} || f.PeakSOPInstanceUID != "1.2.3.2" || f.ID != 1 {
		t.Errorf("slice range %v peak %v uid %q id %d", f.SliceRange, f.PeakVoxel, f.PeakSOPInstanceUID, f.ID)
	}
	if f.BoxMin != [3]int{2, 3, 1} || f.BoxMax != [3]int{4, 6, 2} {
		t.Errorf("box %v–%v", f.BoxMin, f.BoxMax)
	}
}

func TestFindingsMinSizeAndOrder(t *testing.T) {
	const slices, rows, cols = 4, 16, 16
	v := newTestVolume(slices, rows, cols)
	v.box(1, 1, 0, 3, 3, 1, 180)  // 3×3×2 voxels: extent 3 mm, max 180
	v.set(0, 10, 10, 255)         // a single voxel: extent 1 mm (slices 1 mm), max 255
	v.box(8, 1, 2, 12, 2, 3, 220) // 5×2×2: extent 5 mm, max 220
	v.box(1, 8, 2, 2, 9, 3, 220)  // 2×2×2: extent 2 mm, max 220, fewer voxels
	g := dicomio.Geometry{Rows: rows, Cols: cols, RowDir: dicomio.Vec3{1, 0, 0}, ColDir: dicomio.Vec3{0, 1, 0},
		Normal: dicomio.Vec3{0, 0, 1}, PixelSpacing: [2]float64{1, 1}, SliceSpacing: 1,
		Origins: []dicomio.Vec3{{0, 0, 0}, {0, 0, 1}, {0, 0, 2}, {0, 0, 3}}}
	for _, tc := range []struct {
		minMM float64
		want  []string // max q and voxels, in order
	}{
		{0, []string{"255/1", "220/20", "220/8", "180/18"}},
		{2, []string{"220/20", "220/8", "180/18"}},
		{3, []string{"220/20", "180/18"}},
		{4, []string{"220/20"}},
		{6, nil},
	} {
		t.Run(fmt.Sprint("min ", tc.minMM), func(t *testing.T) {
			fs, err := computeFindings(findingInput{maps: v.maps, rows: rows, cols: cols, geom: g, minMM: tc.minMM}, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, f := range fs {
				if f.ID != i+1 {
					t.Errorf("finding %d has ID %d", i, f.ID)
				}
				got = append(got, fmt.Sprintf("%d/%d", int(math.Round(f.MaxProbability*255)), f.Voxels))
				if !math.IsNaN(f.MeanHU) {
					t.Errorf("MeanHU %v without an HU source, want NaN", f.MeanHU)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("findings %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := computeFindings(findingInput{maps: v.maps, rows: rows, cols: cols, geom: g}, 1); err == nil {
		t.Fatal("threshold 1 accepted")
	}
}

func TestQuantThreshold(t *testing.T) {
	for _, tc := range []struct {
		t    float64
		want uint8
	}{{0.5, 128}, {1.0 / 255, 1}, {128.0 / 255, 128}, {0.999, 255}, {1e-9, 1}, {0.25, 64}} {
		if got := quantThreshold(tc.t); got != tc.want {
			t.Errorf("quantThreshold(%v) = %d, want %d", tc.t, got, tc.want)
		}
		// The defining property: q passes iff q/255 ≥ t.
		q := quantThreshold(tc.t)
		if float64(q)/255 < tc.t-1e-9 || (q > 1 && float64(q-1)/255 >= tc.t+1e-9) {
			t.Errorf("quantThreshold(%v) = %d violates q/255 ≥ t minimality", tc.t, q)
		}
	}
	for _, tc := range []struct {
		p    float32
		want uint8
	}{{0, 0}, {-1, 0}, {float32(math.NaN()), 0}, {1, 255}, {2, 255}, {0.5, 128}, {0.498, 127}, {1.0 / 255, 1}} {
		if got := quantise(tc.p); got != tc.want {
			t.Errorf("quantise(%v) = %d, want %d", tc.p, got, tc.want)
		}
	}
}

func TestPostprocessCropsPadding(t *testing.T) {
	g, err := newGrid(3, 4, [2]float64{1, 1}, 0, [2]int{}, 8)
	if err != nil {
		t.Fatal(err)
	}
	// The net grid sits at (top, left) = (2, 2) in the 8×8 plane; write 1
	// there and the probability k/255 for map pixel k, 0.9 elsewhere.
	out := make([]float32, 64)
	for i := range out {
		out[i] = 0.9
	}
	for r := range 3 {
		for c := range 4 {
			out[(g.top+r)*8+g.left+c] = float32(r*4+c) / 255
		}
	}
	dst := make([]uint8, 12)
	g.postprocess(out, false, dst, &postScratch{})
	for i, q := range dst {
		if int(q) != i {
			t.Fatalf("map %v, want 0…11 (crop misplaced)", dst)
		}
	}
	// Logits: sigmoid(0) = 0.5 → 128.
	clear(out)
	g.postprocess(out, true, dst, &postScratch{})
	if dst[5] != 128 {
		t.Fatalf("sigmoid(0) quantised to %d, want 128", dst[5])
	}
}

// TestMayHoldAtLeast checks the word test never misses a byte ≥ qt, and is
// exact for qt ≤ 128 (the thresholds up to 0.5).
func TestMayHoldAtLeast(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for range 200000 {
		var b [8]byte
		for i := range b {
			switch r.IntN(3) {
			case 0:
				b[i] = uint8(r.IntN(256))
			case 1:
				b[i] = 0
			default:
				b[i] = uint8(120 + r.IntN(16))
			}
		}
		qt := uint8(1 + r.IntN(255))
		want := false
		for _, v := range b {
			want = want || v >= qt
		}
		w := uint64(0)
		for i := 7; i >= 0; i-- {
			w = w<<8 | uint64(b[i])
		}
		got := mayHoldAtLeast(w, qt)
		if want && !got {
			t.Fatalf("missed: bytes %v, qt %d", b, qt)
		}
		if qt <= 128 && got != want {
			t.Fatalf("false report: bytes %v, qt %d", b, qt)
		}
	}
}

// TestFindingsSparseSlices: in a series of 2.5 mm slices 30 mm apart (a
// sparse series, such as key images), a region on one slice is 2.5 mm deep,
// not 30 mm, and its volume counts 2.5 mm per voxel; a region at one place
// on two such slices is two findings, since the gap is over two slice
// depths (sliceBreaks). When the thickness is unknown, or larger than the
// spacing (overlapping slices), the spacing stands for a slice, and a
// region over two slices is one finding spanning the 30 mm between their
// centres plus one depth.
func TestFindingsSparseSlices(t *testing.T) {
	const slices, rows, cols = 3, 8, 8
	v := newTestVolume(slices, rows, cols)
	v.box(1, 1, 0, 2, 2, 0, 230) // 2×2 voxels on slice 0
	v.box(5, 5, 1, 6, 6, 2, 230) // 2×2 voxels on slices 1–2
	g := dicomio.Geometry{Rows: rows, Cols: cols, RowDir: dicomio.Vec3{1, 0, 0}, ColDir: dicomio.Vec3{0, 1, 0},
		Normal: dicomio.Vec3{0, 0, 1}, PixelSpacing: [2]float64{1, 1}, SliceSpacing: 30, Known: true,
		Origins: []dicomio.Vec3{{0, 0, 0}, {0, 0, 30}, {0, 0, 60}}}
	framesOf := func(thickness float64) []dicomio.FrameRef {
		in := &dicomio.Instance{Frames: []dicomio.FrameInfo{{SliceThickness: thickness}}}
		return []dicomio.FrameRef{{Instance: in}, {Instance: in}, {Instance: in}}
	}
	for _, tc := range []struct {
		name     string
		frames   []dicomio.FrameRef
		depth    float64
		findings int
	}{
		{"thin slices far apart", framesOf(2.5), 2.5, 3},
		{"thickness unknown", framesOf(0), 30, 2},
		{"overlapping slices", framesOf(40), 30, 2},
		{"no frames", nil, 30, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := computeFindings(findingInput{maps: v.maps, rows: rows, cols: cols, geom: g, frames: tc.frames}, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != tc.findings {
				t.Fatalf("%d findings, want %d", len(fs), tc.findings)
			}
			for _, f := range fs {
				n := f.SliceRange[1] - f.SliceRange[0] + 1
				want := float64(n-1)*30 + tc.depth
				if math.Abs(f.ExtentMM[2]-want) > 1e-9 {
					t.Errorf("slices %v: extent along the normal %v mm, want %v", f.SliceRange, f.ExtentMM[2], want)
				}
				if wantML := float64(f.Voxels) * tc.depth / 1000; math.Abs(f.VolumeML-wantML) > 1e-12 {
					t.Errorf("slices %v: volume %v ml, want %v", f.SliceRange, f.VolumeML, wantML)
				}
			}
		})
	}
}

// TestFindingsDuplicatePositions: ct-kits holds one slice twice (two
// instances at one Image Position). A blob on both copies is one slice
// deep; it used to get the median spacing (32.5 mm there) added, so a
// 2 mm speck was reported as 35 mm across and passed min_lesion_mm. A blob
// on two 2.5 mm slices 30 mm apart is two findings (sliceBreaks); when the
// positions are a guess, nothing is split and the spacing is kept.
func TestFindingsDuplicatePositions(t *testing.T) {
	const slices, rows, cols = 3, 8, 8
	v := newTestVolume(slices, rows, cols)
	v.box(1, 1, 0, 2, 2, 1, 230) // slices 0–1: the same position
	v.box(5, 5, 1, 6, 6, 2, 230) // slices 1–2: 30 mm apart
	in := &dicomio.Instance{Frames: []dicomio.FrameInfo{{SliceThickness: 2.5}}}
	frames := []dicomio.FrameRef{{Instance: in}, {Instance: in}, {Instance: in}}
	for _, tc := range []struct {
		name  string
		known bool
		want  map[int]float64 // first slice of the finding → extent along the normal
	}{
		{"known positions", true, map[int]float64{0: 2.5, 1: 2.5, 2: 2.5}},
		// guessed geometry: equal positions say nothing, keep the spacing
		{"guessed positions", false, map[int]float64{0: 32.5, 1: 32.5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := dicomio.Geometry{Rows: rows, Cols: cols, RowDir: dicomio.Vec3{1, 0, 0}, ColDir: dicomio.Vec3{0, 1, 0},
				Normal: dicomio.Vec3{0, 0, 1}, PixelSpacing: [2]float64{1, 1}, SliceSpacing: 30, Known: tc.known,
				Origins: []dicomio.Vec3{{0, 0, 0}, {0, 0, 0}, {0, 0, 30}}}
			fs, err := computeFindings(findingInput{maps: v.maps, rows: rows, cols: cols, geom: g, frames: frames}, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != len(tc.want) {
				t.Fatalf("%d findings, want %d", len(fs), len(tc.want))
			}
			for _, f := range fs {
				want, ok := tc.want[f.SliceRange[0]]
				if !ok {
					t.Fatalf("unexpected finding on slices %v", f.SliceRange)
				}
				if math.Abs(f.ExtentMM[2]-want) > 1e-9 {
					t.Errorf("slices %v: extent along the normal %v mm, want %v", f.SliceRange, f.ExtentMM[2], want)
				}
			}
		})
	}
}
