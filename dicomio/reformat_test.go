package dicomio

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// axialStack is an in-memory axial series: slices at the given z (mm),
// rows 0.5 mm apart along +y, columns 0.8 mm along +x, stored value
// 1000·slice + 10·row + column.
func axialStack(rows, cols int, z ...float64) (*Series, []*Frame) {
	g := Geometry{Rows: rows, Cols: cols, RowDir: Vec3{1, 0, 0}, ColDir: Vec3{0, 1, 0}, Normal: Vec3{0, 0, 1},
		PixelSpacing: [2]float64{0.5, 0.8}, Known: true}
	s := &Series{UID: "1.2.3", Modality: "CT", Description: "axial"}
	inst := &Instance{}
	var frames []*Frame
	for k, zk := range z {
		g.Origins = append(g.Origins, Vec3{-10, -20, zk})
		inst.Frames = append(inst.Frames, FrameInfo{})
		s.Frames = append(s.Frames, FrameRef{Instance: inst, Index: k})
		f := &Frame{Rows: rows, Cols: cols, Samples: 1, BitsStored: 16, Raw16: make([]uint16, rows*cols),
			Photometric: "MONOCHROME2", Modality: ModalityTransform{Slope: 1, Intercept: -1024}}
		for r := range rows {
			for c := range cols {
				f.Raw16[r*cols+c] = uint16(1000*k + 10*r + c)
			}
		}
		frames = append(frames, f)
	}
	s.Geometry = g
	return s, frames
}

// TestReformatKeepsPatientPositions: every voxel of a reformat holds the
// value of the input voxel nearest to the same patient position, so
// positions, lengths and directions mean the same in every plane.
func TestReformatKeepsPatientPositions(t *testing.T) {
	for _, tc := range []struct {
		name  string
		plane string
		z     []float64
		shear Vec3 // sideways move of each slice's origin per slice: a gantry tilt
	}{
		{"coronal", "coronal", []float64{0, 2, 4, 6}, Vec3{}},
		{"sagittal", "sagittal", []float64{0, 2, 4, 6}, Vec3{}},
		{"coronal, stack stored head first", "coronal", []float64{6, 4, 2, 0}, Vec3{}},
		{"sagittal, uneven spacing", "sagittal", []float64{0, 2, 4, 7, 10}, Vec3{}},
		{"coronal, tilted: a row per slice", "coronal", []float64{0, 2, 4, 6}, Vec3{0, 0.5, 0}},
		{"sagittal, tilted: a row per slice", "sagittal", []float64{0, 2, 4, 6}, Vec3{0, 0.5, 0}},
		{"coronal, sheared both ways, not by whole pixels", "coronal", []float64{0, 2, 4, 6, 8}, Vec3{-0.65, 0.3, 0}},
		{"sagittal, sheared both ways, not by whole pixels", "sagittal", []float64{0, 2, 4, 6, 8}, Vec3{-0.65, 0.3, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, frames := axialStack(7, 9, tc.z...)
			for k := range in.Geometry.Origins {
				in.Geometry.Origins[k] = in.Geometry.Origins[k].Add(tc.shear.Scale(float64(k)))
			}
			if tc.z[0] > tc.z[1] { // a stack sorted along −z
				in.Geometry.Normal = Vec3{0, 0, -1}
				in.Geometry.ColDir = Vec3{0, -1, 0}
				for k := range in.Geometry.Origins {
					in.Geometry.Origins[k][1] = -20 + 6*0.5 // first row now the most posterior
				}
			}
			out, outFrames, rf, err := Reformat(in, frames, tc.plane)
			if err != nil {
				t.Fatal(err)
			}
			if got := out.Geometry.Plane(); got != tc.plane {
				t.Fatalf("plane %q, want %q", got, tc.plane)
			}
			if out.Geometry.ColDir != (Vec3{0, 0, -1}) {
				t.Errorf("rows run along %v, want head to feet", out.Geometry.ColDir)
			}
			if len(outFrames) != len(out.Frames) || len(out.Geometry.Origins) != len(outFrames) {
				t.Fatalf("%d frames, %d refs, %d origins", len(outFrames), len(out.Frames), len(out.Geometry.Origins))
			}
			for k := 1; k < len(out.Geometry.Origins); k++ {
				if d := out.Geometry.Origins[k].Sub(out.Geometry.Origins[k-1]).Dot(out.Geometry.Normal); d <= 0 {
					t.Fatalf("frames %d and %d are not in order along the normal (step %v)", k-1, k, d)
				}
			}
			// Byte maps aligned with the slices follow the frames: the low
			// byte of each stored value.
			maps := make([][]uint8, len(frames))
			for k, f := range frames {
				maps[k] = make([]uint8, len(f.Raw16))
				for i, v := range f.Raw16 {
					maps[k][i] = uint8(v)
				}
			}
			outMaps := rf.Bytes(maps)
			if len(outMaps) != len(outFrames) {
				t.Fatalf("%d reformatted maps for %d frames", len(outMaps), len(outFrames))
			}
			for k, f := range outFrames {
				for i, v := range f.Raw16 {
					if outMaps[k][i] != uint8(v) {
						t.Fatalf("map %d byte %d: %d, want %d as the frame", k, i, outMaps[k][i], uint8(v))
					}
				}
			}
			if rf.Bytes(maps[:1]) != nil {
				t.Error("maps of another series were reformatted")
			}
			for k, f := range outFrames {
				if info := out.Frames[k].Info(); info.Position != out.Geometry.Origins[k] || info.PixelSpacing != f.PixelSpacing {
					t.Fatalf("frame %d: info %+v disagrees with the geometry", k, info)
				}
				for r := range f.Rows {
					for c := range f.Cols {
						p := out.Geometry.VoxelToPatient(float64(c), float64(r), float64(k))
						// nearest input slice by position, then the voxel of that
						// slice at p; none (the lowest value) outside it
						best := 0
						for j, o := range in.Geometry.Origins {
							if math.Abs(o[2]-p[2]) < math.Abs(in.Geometry.Origins[best][2]-p[2]) {
								best = j
							}
						}
						d := p.Sub(in.Geometry.Origins[best])
						ci := int(math.Round(d.Dot(in.Geometry.RowDir) / in.Geometry.PixelSpacing[1]))
						ri := int(math.Round(d.Dot(in.Geometry.ColDir) / in.Geometry.PixelSpacing[0]))
						want := uint16(0) // slice 0's value at (0, 0), the stack's lowest
						if ci >= 0 && ci < in.Geometry.Cols && ri >= 0 && ri < in.Geometry.Rows {
							want = frames[best].Raw16[ri*in.Geometry.Cols+ci]
						}
						if got := f.Raw16[r*f.Cols+c]; got != want {
							t.Fatalf("frame %d voxel (%d, %d) at %v: %d, want %d", k, c, r, p, got, want)
						}
					}
				}
			}
		})
	}
}

func TestReformatRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Series, []*Frame) []*Frame
	}{
		{"one slice", func(s *Series, f []*Frame) []*Frame {
			s.Frames, s.Geometry.Origins = s.Frames[:1], s.Geometry.Origins[:1]
			return f[:1]
		}},
		{"not decoded", func(_ *Series, f []*Frame) []*Frame { f[1] = nil; return f }},
		{"another rescale", func(_ *Series, f []*Frame) []*Frame { f[2].Modality.Intercept = 0; return f }},
		{"coronal input", func(s *Series, f []*Frame) []*Frame {
			s.Geometry.ColDir, s.Geometry.Normal = Vec3{0, 0, -1}, Vec3{0, 1, 0}
			return f
		}},
		{"geometry unknown", func(s *Series, f []*Frame) []*Frame { s.Geometry.Known = false; return f }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, frames := axialStack(4, 4, 0, 2, 4)
			frames = tc.edit(s, frames)
			if _, _, _, err := Reformat(s, frames, "coronal"); !errors.Is(err, ErrReformat) {
				t.Errorf("err %v, want ErrReformat", err)
			}
		})
	}
	s, frames := axialStack(4, 4, 0, 2, 4)
	if _, _, _, err := Reformat(s, frames, "oblique"); !errors.Is(err, ErrReformat) {
		t.Errorf("unknown plane: %v", err)
	}
}

// BenchmarkReformat cuts a 512² × 300-slice axial stack (the size of a
// whole-spine CT at 1 mm) into the coronal and sagittal planes.
func BenchmarkReformat(b *testing.B) {
	z := make([]float64, 300)
	for k := range z {
		z[k] = float64(k)
	}
	s, frames := axialStack(512, 512, z...)
	for _, plane := range []string{"coronal", "sagittal"} {
		b.Run(plane, func(b *testing.B) {
			b.SetBytes(int64(len(frames)) * 512 * 512 * 2)
			for b.Loop() {
				if _, _, _, err := Reformat(s, frames, plane); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestReformatBitmapsMatchesBytes: the sparse bitmap path gives, bit for
// bit, what the byte-map path (Bytes, the one the probability maps take)
// gives for the same masks, in both planes and for a stack stored either
// way, and leaves out what it cannot place.
func TestReformatBitmapsMatchesBytes(t *testing.T) {
	const rows, cols = 7, 9
	for _, tc := range []struct {
		plane string
		z     []float64
		shear Vec3
	}{
		{"coronal", []float64{0, 2, 4, 7, 10}, Vec3{}},
		{"sagittal", []float64{0, 2, 4, 7, 10}, Vec3{}},
		{"sagittal", []float64{10, 7, 4, 2, 0}, Vec3{}},
		{"coronal", []float64{0, 2, 4, 7, 10}, Vec3{-0.8, 1, 0}},
		{"sagittal", []float64{0, 2, 4, 7, 10}, Vec3{0.8, -1, 0}},
	} {
		t.Run(tc.plane, func(t *testing.T) {
			in, frames := axialStack(rows, cols, tc.z...)
			for k := range in.Geometry.Origins {
				in.Geometry.Origins[k] = in.Geometry.Origins[k].Add(tc.shear.Scale(float64(k)))
			}
			_, outFrames, rf, err := Reformat(in, frames, tc.plane)
			if err != nil {
				t.Fatal(err)
			}
			maps := make([][]uint8, len(tc.z))
			bitmaps := map[int]*OverlayBitmap{}
			for k := range maps {
				maps[k] = make([]uint8, rows*cols)
				if k == 2 {
					continue // a slice without a mask
				}
				for i := range maps[k] {
					if (i*7+k*13)%11 < 3 {
						maps[k][i] = 1
					}
				}
				bitmaps[k] = &OverlayBitmap{Rows: rows, Cols: cols, Origin: [2]int{1, 1}, Bits: PackOverlayBits(maps[k])}
			}
			bitmaps[len(tc.z)] = bitmaps[0]                                                                  // no such slice
			bitmaps[2] = &OverlayBitmap{Rows: rows, Cols: cols, Origin: [2]int{2, 1}, Bits: bitmaps[0].Bits} // not the whole slice: left out
			want := rf.Bytes(maps)
			if want == nil {
				t.Fatal("Bytes refused the maps")
			}
			got := rf.Bitmaps(bitmaps)
			for k, w := range want {
				bm, any := got[k], false
				for i, v := range w {
					if v == 1 {
						any = true
					}
					if bm != nil && (bm.Rows != outFrames[k].Rows || bm.Cols != outFrames[k].Cols) {
						t.Fatalf("frame %d: bitmap %d×%d, frame %d×%d", k, bm.Rows, bm.Cols, outFrames[k].Rows, outFrames[k].Cols)
					}
					if has := bm != nil && bm.At(i/outFrames[k].Cols, i%outFrames[k].Cols); has != (v == 1) {
						t.Fatalf("frame %d pixel %d: bitmap %v, bytes %d", k, i, has, v)
					}
				}
				if any != (bm != nil) {
					t.Errorf("frame %d: bitmap present %v, set bits %v", k, bm != nil, any)
				}
			}
			if len(got) > len(want) {
				t.Errorf("%d bitmaps for %d frames", len(got), len(want))
			}
		})
	}
}

// TestReformatBitmapsLeavesOutWhatItCannotPlace: bitmaps of another size,
// with too few bits, or empty give no frame, and nothing panics.
func TestReformatBitmapsLeavesOutWhatItCannotPlace(t *testing.T) {
	const rows, cols = 7, 9
	in, frames := axialStack(rows, cols, 0, 2, 4)
	_, _, rf, err := Reformat(in, frames, "sagittal")
	if err != nil {
		t.Fatal(err)
	}
	full := PackOverlayBits(make([]uint8, rows*cols))
	for i := range full {
		full[i] = 0xff
	}
	for name, bm := range map[string]*OverlayBitmap{
		"another size":  {Rows: rows + 1, Cols: cols, Origin: [2]int{1, 1}, Bits: append(full, 0xff, 0xff)},
		"too few bits":  {Rows: rows, Cols: cols, Origin: [2]int{1, 1}, Bits: full[:len(full)-2]},
		"empty":         {Rows: rows, Cols: cols, Origin: [2]int{1, 1}, Bits: make([]byte, len(full))},
		"nil bitmap":    nil,
		"offset origin": {Rows: rows, Cols: cols, Origin: [2]int{1, 3}, Bits: full},
	} {
		if got := rf.Bitmaps(map[int]*OverlayBitmap{1: bm}); len(got) != 0 {
			t.Errorf("%s: %d frames, want none", name, len(got))
		}
	}
	if got := rf.Bitmaps(map[int]*OverlayBitmap{1: {Rows: rows, Cols: cols, Origin: [2]int{1, 1}, Bits: full}}); len(got) != cols {
		t.Errorf("a full slice: %d frames, want every sagittal frame (%d)", len(got), cols)
	}
}

// TestReformatUndoesARealShear shears a real CT series (20 slices of
// ct-totalseg-native) by moving each slice's content and origin sideways by
// k rows and 2k columns, as a steep gantry tilt would place them,
// and requires its coronal and sagittal reformats to equal the unsheared
// series' wherever the shear left image, and the lowest value elsewhere.
func TestReformatUndoesARealShear(t *testing.T) {
	s, vol := loadSharedSeries(t, "ct-totalseg-native")
	g := s.Geometry
	sheared := *s
	sheared.Geometry.Origins = slices.Clone(g.Origins)
	shearedFrames := make([]*Frame, len(vol.Frames))
	for k, f := range vol.Frames {
		dr, dc := k, 2*k // rows and columns slice k's content moves by
		sheared.Geometry.Origins[k] = g.Origins[k].Sub(g.ColDir.Scale(float64(dr) * g.PixelSpacing[0])).Sub(g.RowDir.Scale(float64(dc) * g.PixelSpacing[1]))
		c := *f
		c.Raw16 = make([]uint16, len(f.Raw16))
		for r := range f.Rows {
			for col := range f.Cols {
				if sr, sc := r-dr, col-dc; sr >= 0 && sc >= 0 {
					c.Raw16[r*f.Cols+col] = f.Raw16[sr*f.Cols+sc]
				} else {
					c.Raw16[r*f.Cols+col] = f.Raw16[0] // outside the scan: air
				}
			}
		}
		shearedFrames[k] = &c
	}
	if tilt := stackTilt(sheared.Geometry.Origins, g.Normal, g.PixelSpacing); tilt < 10 {
		t.Fatalf("tilt %.1f°: the shear was not measured", tilt)
	}
	pad := lowestPattern(shearedFrames)
	for _, plane := range []string{"coronal", "sagittal"} {
		_, want, _, err := Reformat(s, vol.Frames, plane)
		if err != nil {
			t.Fatal(err)
		}
		_, got, _, err := Reformat(&sheared, shearedFrames, plane)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d frames, unsheared %d", plane, len(got), len(want))
		}
		same, padded := 0, 0
		for k := range want {
			for i, v := range want[k].Raw16 {
				switch got[k].Raw16[i] {
				case v:
					same++
				case pad:
					padded++
				default:
					t.Fatalf("%s frame %d pixel %d: %d, unsheared %d", plane, k, i, got[k].Raw16[i], v)
				}
			}
		}
		if same < padded*4 {
			t.Errorf("%s: %d pixels equal, %d padded: the shear was not undone", plane, same, padded)
		}
	}
}
