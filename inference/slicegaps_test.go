package inference

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

// axialGeometry is a known axial geometry of 1 mm pixels whose slices lie
// at positions z (mm).
func axialGeometry(rows, cols int, z ...float64) dicomio.Geometry {
	g := dicomio.Geometry{Rows: rows, Cols: cols, RowDir: dicomio.Vec3{1, 0, 0}, ColDir: dicomio.Vec3{0, 1, 0},
		Normal: dicomio.Vec3{0, 0, 1}, PixelSpacing: [2]float64{1, 1}, Known: true}
	for _, v := range z {
		g.Origins = append(g.Origins, dicomio.Vec3{0, 0, v})
	}
	return g
}

func TestSliceBreaks(t *testing.T) {
	guessed := axialGeometry(4, 4, 0, 50, 100)
	guessed.Known = false
	for _, tc := range []struct {
		name  string
		geom  dicomio.Geometry
		depth float64
		want  []int // slices that do not join the slice before
	}{
		{"regular 5 mm", axialGeometry(4, 4, 0, 5, 10, 15), 5, nil},
		{"one slice missing", axialGeometry(4, 4, 0, 5, 15, 20), 5, nil},
		{"two slices missing", axialGeometry(4, 4, 0, 5, 20, 25), 5, []int{2}},
		{"thin slices 2.5 mm apart", axialGeometry(4, 4, 0, 2.5, 5, 7.5), 1, nil},
		{"thin slice missing beyond 5 mm", axialGeometry(4, 4, 0, 4, 12, 16), 2, []int{2}},
		{"positions rounded in the string", axialGeometry(4, 4, 0, 4, 8.0004), 4, nil},
		{"sparse slices at 5.0004 mm", axialGeometry(4, 4, 0, 5.0004, 10.0008), 1, nil},
		{"sparse slices at 5.1 mm", axialGeometry(4, 4, 0, 5.1, 10.2), 1, []int{1, 2}},
		{"sparse thin slices (ct-kits)", axialGeometry(4, 4, -512.5, -400, -382.5, -365, -352.5), 2.5, []int{1, 2, 3, 4}},
		{"duplicate position", axialGeometry(4, 4, 0, 0, 5), 2.5, nil},
		{"descending positions", axialGeometry(4, 4, 30, 25, 0), 5, []int{2}},
		{"positions guessed", guessed, 5, nil},
		{"one slice", axialGeometry(4, 4, 0), 5, nil},
		{"no depth", axialGeometry(4, 4, 0, 100), 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.geom.Origins)
			got := sliceBreaks(&tc.geom, n, tc.depth)
			var at []int
			for s, b := range got {
				if b {
					at = append(at, s)
				}
			}
			if !slices.Equal(at, tc.want) {
				t.Errorf("breaks at %v, want %v", at, tc.want)
			}
			if got != nil && len(got) != n {
				t.Errorf("%d entries for %d slices", len(got), n)
			}
		})
	}
}

// TestLabelComponentsBreaks: with breaks, the labelling is that of each
// run of joined slices labelled on its own (the reference flood fill per
// run), on random volumes.
func TestLabelComponentsBreaks(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for trial := range 60 {
		v := newTestVolume(2+r.IntN(6), 1+r.IntN(10), 1+r.IntN(10))
		for s := range v.slices {
			for i := range v.maps[s] {
				if r.Float64() < 0.4 {
					v.maps[s][i] = 200
				}
			}
		}
		breaks := make([]bool, v.slices)
		for s := 1; s < v.slices; s++ {
			breaks[s] = r.IntN(2) == 0
		}
		c, err := labelComponents(v.maps, v.rows, v.cols, 128, breaks)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for lo := 0; lo < v.slices; {
			hi := lo + 1
			for hi < v.slices && !breaks[hi] {
				hi++
			}
			run := &testVolume{slices: hi - lo, rows: v.rows, cols: v.cols, maps: v.maps[lo:hi]}
			_, n := floodLabels(run, 128)
			want += n
			lo = hi
		}
		if c.count != want {
			t.Fatalf("trial %d (breaks %v): %d components, flood fill per run %d", trial, breaks, c.count, want)
		}
		// No component spans a break.
		first := map[int32]int{}
		for s := range v.slices {
			for row := range v.rows {
				rr := c.rowRange(s, row)
				for i := rr[0]; i < rr[1]; i++ {
					l := c.label[i]
					if s0, ok := first[l]; !ok {
						first[l] = s
					} else {
						for k := s0 + 1; k <= s; k++ {
							if breaks[k] {
								t.Fatalf("trial %d: component %d spans the break before slice %d", trial, l, k)
							}
						}
					}
				}
			}
		}
	}
}

// TestFindingRunsSparseSeries: on a sparse series (2.5 mm slices 17.5 mm
// apart) a blob at one place on two slices is two findings, and
// FindingRuns, which labels the maps again, finds each of them with its
// own voxels.
func TestFindingRunsSparseSeries(t *testing.T) {
	const rows, cols = 8, 8
	v := newTestVolume(2, rows, cols)
	v.box(2, 2, 0, 5, 5, 1, 230)
	info := &dicomio.Instance{Frames: []dicomio.FrameInfo{{SliceThickness: 2.5}}}
	series := &dicomio.Series{Geometry: axialGeometry(rows, cols, -400, -382.5),
		Frames: []dicomio.FrameRef{{Instance: info}, {Instance: info}}}
	series.Geometry.SliceSpacing = 17.5
	res := &Result{Slices: 2, Rows: rows, Cols: cols, Maps: v.maps, MinLesionMM: 3, series: series}
	fs, err := Findings(res, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 {
		t.Fatalf("%d findings, want one per slice", len(fs))
	}
	voxels := map[int]int{}
	err = FindingRuns(res, 0.5, fs, func(id, s, r, c0, c1 int) {
		voxels[id] += c1 - c0
		for _, f := range fs {
			if f.ID == id && (s != f.SliceRange[0] || s != f.SliceRange[1]) {
				t.Errorf("finding %d (slice %d) has a run on slice %d", id, f.SliceRange[0], s)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if voxels[f.ID] != 16 || f.Voxels != 16 {
			t.Errorf("finding %d: %d voxels reported, %d measured, want 16", f.ID, voxels[f.ID], f.Voxels)
		}
		if f.ExtentMM[2] != 2.5 {
			t.Errorf("finding %d: %v mm deep, want one 2.5 mm slice", f.ID, f.ExtentMM[2])
		}
	}
}
