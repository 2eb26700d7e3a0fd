package dicomio

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/suyashkumar/dicom/pkg/tag"
)

func TestScanRealSeries(t *testing.T) {
	tests := []struct {
		dir    string
		frames int
		// warnings expected: ct-kits is a sparse pick of slices, two of
		// them at the same position.
		warnings []string
	}{
		{"ct-totalseg-native", 20, nil},
		{"ct-kits", 11, []string{"gap of", "share a position"}},
		{"ct-totalseg-j2k", 20, nil},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			cat, err := Scan(context.Background(), []string{shareddata.File(t, tc.dir)}, ScanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(cat.Errors) > 0 {
				t.Fatalf("errors: %v", cat.Errors)
			}
			all := cat.AllSeries()
			if len(all) != 1 {
				t.Fatalf("%d series, want 1", len(all))
			}
			s := all[0]
			if len(s.Frames) != tc.frames {
				t.Fatalf("%d frames, want %d", len(s.Frames), tc.frames)
			}
			if !s.Geometry.Known || s.Geometry.SliceSpacing <= 0 {
				t.Fatalf("geometry unknown or spacing %v", s.Geometry.SliceSpacing)
			}
			// Positions move monotonically, by the slice spacing unless a
			// gap or duplicate is reported.
			step := s.Geometry.SlicePosition(len(s.Frames)-1) - s.Geometry.SlicePosition(0)
			for k := 1; k < len(s.Frames); k++ {
				d := s.Geometry.SlicePosition(k) - s.Geometry.SlicePosition(k-1)
				if d*step < 0 || tc.warnings == nil && math.Abs(math.Abs(d)-s.Geometry.SliceSpacing) > 0.01 {
					t.Fatalf("slice %d moves %.3f mm, spacing %.3f", k, d, s.Geometry.SliceSpacing)
				}
			}
			joined := strings.Join(s.Warnings, "; ")
			for _, w := range tc.warnings {
				if !strings.Contains(joined, w) {
					t.Errorf("warnings %q lack %q", joined, w)
				}
			}
			// Instance Numbers increase along the sorted order.
			first, last := s.Frames[0].Instance.InstanceNumber, s.Frames[len(s.Frames)-1].Instance.InstanceNumber
			if first > last {
				t.Fatalf("sorted against Instance Number: first %d, last %d", first, last)
			}
		})
	}
}

// TestScanSurvivesBadFiles puts truncated, hostile and foreign files beside
// a real series: each bad file is reported by name, the series still opens.
func TestScanSurvivesBadFiles(t *testing.T) {
	src := shareddata.Dir(t)
	dir := t.TempDir()
	good := copyDir(t, filepath.Join(src, "ct-kits"), dir, ".dcm")
	truncated := filepath.Join(dir, "truncated.dcm")
	data, _ := os.ReadFile(good[0])
	data = append([]byte(nil), data[:len(data)/2]...)
	os.WriteFile(truncated, data, 0o644)
	hostile := filepath.Join(dir, "hostile.dcm")
	b := newBuilder(binary.LittleEndian, true)
	imageBody(b, 2, 2, 8, 8, 0)
	b.header(privateBlob, "OB", 0xFFFFFFF0)
	os.WriteFile(hostile, fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes()), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not an image"), 0o644)

	cat, err := Scan(context.Background(), []string{dir}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cat.AllSeries()); n != 1 {
		t.Fatalf("%d series, want 1", n)
	}
	if got := len(cat.AllSeries()[0].Frames); got != len(good) {
		t.Fatalf("series has %d frames, want %d", got, len(good))
	}
	named := map[string]error{}
	for _, e := range cat.Errors {
		named[e.Path] = e
	}
	if err := named[hostile]; !errors.Is(err, ErrBadLength) {
		t.Errorf("hostile file: %v, want ErrBadLength", err)
	}
	if err := named[truncated]; err == nil {
		t.Errorf("truncated file not reported; errors: %v", cat.Errors)
	}
	if cat.Skipped != 1 {
		t.Errorf("skipped %d foreign files, want 1 (notes.txt)", cat.Skipped)
	}
}

func TestScanDICOMDIR(t *testing.T) {
	src := shareddata.Dir(t)
	requireTool(t, "dcmmkdir")
	dir := t.TempDir()
	sub := filepath.Join(dir, "SUB")
	os.Mkdir(sub, 0o755)
	files := copyDir(t, filepath.Join(src, "ct-kits"), sub, ".dcm")
	for i, f := range files {
		os.Rename(f, filepath.Join(sub, fmt.Sprintf("IM%d", i+1)))
	}
	cmd := exec.Command("dcmmkdir", "+I", "--recurse", "SUB")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("dcmmkdir: %v\n%s", err, out)
	}
	// Patient CDs copied to Linux often end up lower case.
	os.Rename(sub, filepath.Join(dir, "sub"))
	for i := range files {
		os.Rename(filepath.Join(dir, "sub", fmt.Sprintf("IM%d", i+1)), filepath.Join(dir, "sub", fmt.Sprintf("im%d", i+1)))
	}
	cat, err := Scan(context.Background(), []string{filepath.Join(dir, "DICOMDIR")}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Errors) > 0 {
		t.Fatalf("errors: %v", cat.Errors)
	}
	if s := cat.AllSeries(); len(s) != 1 || len(s[0].Frames) != len(files) {
		t.Fatalf("DICOMDIR gave %d series, want 1 with %d frames", len(s), len(files))
	}
}

// TestDeflatedDataset converts a real slice to Deflated Explicit VR Little
// Endian (PS3.5 §A.5) with dcmconv and requires identical pixels.
func TestDeflatedDataset(t *testing.T) {
	orig := shareddata.File(t, "ct-kits/CT2.dcm")
	requireTool(t, "dcmconv")
	deflated := filepath.Join(t.TempDir(), "deflated.dcm")
	if out, err := exec.Command("dcmconv", "+td", orig, deflated).CombinedOutput(); err != nil {
		t.Fatalf("dcmconv: %v\n%s", err, out)
	}
	a := mustFrame(t, orig)
	b := mustFrame(t, deflated)
	inst, _ := OpenFile(deflated)
	if inst.TransferSyntax.UID != DeflatedExplicitVRLittleEndian {
		t.Fatalf("dcmconv wrote %s", inst.TransferSyntax.UID)
	}
	if storedHash(a) != storedHash(b) || a.Modality != b.Modality {
		t.Fatal("deflated copy decodes differently")
	}
}

// TestInputsNeverModified scans and loads a read-only copy of real data and
// checks that no byte, size or modification time changed.
func TestInputsNeverModified(t *testing.T) {
	src := shareddata.Dir(t)
	dir := t.TempDir()
	files := copyDir(t, filepath.Join(src, "ct-kits"), dir, ".dcm")
	type stamp struct {
		sum   [32]byte
		mtime time.Time
	}
	before := map[string]stamp{}
	for _, f := range files {
		os.Chmod(f, 0o444)
		data, _ := os.ReadFile(f)
		st, _ := os.Stat(f)
		before[f] = stamp{sha256.Sum256(data), st.ModTime()}
	}
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	cat, err := Scan(context.Background(), []string{dir}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range cat.AllSeries() {
		if _, err := s.Load(context.Background(), LoadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		st, _ := os.Stat(f)
		if got := (stamp{sha256.Sum256(data), st.ModTime()}); got != before[f] {
			t.Fatalf("%s changed", f)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(files) {
		t.Fatalf("folder now holds %d entries, had %d", len(entries), len(files))
	}
}

// TestSorting builds series whose files are in random order, with Instance
// Numbers running against or along the normal, gaps, duplicates and
// missing positions.
func TestSorting(t *testing.T) {
	type slice struct {
		number int
		z      float64
		noPos  bool
		y      float64 // sideways shift: a sheared (gantry-tilted) stack
	}
	tests := []struct {
		name     string
		slices   []slice
		wantZ    []float64 // sorted order
		spacing  float64
		warnings []string
	}{
		{"numbers run head to feet", []slice{{1, 30, false, 0}, {2, 27.5, false, 0}, {3, 25, false, 0}, {4, 22.5, false, 0}},
			[]float64{30, 27.5, 25, 22.5}, 2.5, nil},
		{"numbers run feet to head", []slice{{1, 0, false, 0}, {2, 2.5, false, 0}, {3, 5, false, 0}},
			[]float64{0, 2.5, 5}, 2.5, nil},
		{"numbers scrambled: position wins", []slice{{3, 5, false, 0}, {1, 0, false, 0}, {2, 10, false, 0}},
			[]float64{0, 5, 10}, 5, nil},
		{"gap", []slice{{1, 0, false, 0}, {2, 1, false, 0}, {3, 2, false, 0}, {4, 6, false, 0}},
			[]float64{0, 1, 2, 6}, 1, []string{"gap of 4.00 mm"}},
		{"duplicate", []slice{{1, 0, false, 0}, {2, 1, false, 0}, {3, 1, false, 0}},
			[]float64{0, 1, 1}, 1, []string{"share a position"}},
		{"missing position", []slice{{2, 5, false, 0}, {1, 0, true, 0}, {3, 9, false, 0}},
			[]float64{0, 5, 9}, 2, []string{"ordered by Instance Number"}},
		{"sheared stack: gantry tilt", []slice{{1, 0, false, 0}, {2, 5, false, -1.3397}, {3, 10, false, -2.6795}},
			[]float64{0, 5, 10}, 5, []string{"gantry tilt of 15.0°"}},
		{"CT without rescale", []slice{{1, 0, false, 0}, {2, 1, false, 0}},
			[]float64{0, 1}, 1, []string{"CT without Rescale Intercept"}},
		{"secondary capture without rescale", []slice{{1, 0, false, 0}, {2, 1, false, 0}},
			[]float64{0, 1}, 1, nil},

		{"sideways positions without orientation", []slice{{1, 0, false, 0}, {2, 1, false, 5}, {3, 2, false, 10}},
			[]float64{0, 1, 2}, 1, nil},
		{"position rounding is no tilt", []slice{{1, 0, false, 0}, {2, 1, false, 0.01}, {3, 2, false, -0.01}},
			[]float64{0, 1, 2}, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			order := rand.Perm(len(tc.slices))
			for i, k := range order {
				s := tc.slices[k]
				b := newBuilder(binary.LittleEndian, true)
				sopClass := "1.2.840.10008.5.1.4.1.1.2" // CT Image Storage
				if tc.name == "secondary capture without rescale" {
					sopClass = "1.2.840.10008.5.1.4.1.1.7"
				}
				b.str(tag.SOPClassUID, "UI", sopClass)
				b.str(tag.SOPInstanceUID, "UI", fmt.Sprintf("1.2.3.4.%d", k))
				b.str(tag.StudyInstanceUID, "UI", "1.2.3")
				b.str(tag.SeriesInstanceUID, "UI", "1.2.3.1")
				b.str(tag.Modality, "CS", "CT")
				b.str(tag.InstanceNumber, "IS", fmt.Sprint(s.number))
				if !s.noPos {
					b.str(tag.ImagePositionPatient, "DS", fmt.Sprintf(`-10\%g\%g`, -10+s.y, s.z))
				}
				if tc.name != "sideways positions without orientation" {
					b.str(tag.ImageOrientationPatient, "DS", `1\0\0\0\1\0`)
				}
				b.str(tag.SliceThickness, "DS", "2")
				if !strings.Contains(tc.name, "without rescale") {
					b.str(tag.RescaleIntercept, "DS", "-1024")
					b.str(tag.RescaleSlope, "DS", "1")
				}
				b.us(tag.SamplesPerPixel, 1)
				b.str(tag.PhotometricInterpretation, "CS", "MONOCHROME2")
				b.us(tag.Rows, 1)
				b.us(tag.Columns, 1)
				b.str(tag.PixelSpacing, "DS", `0.5\0.5`)
				b.us(tag.BitsAllocated, 16)
				b.us(tag.BitsStored, 16)
				b.us(tag.HighBit, 15)
				b.us(tag.PixelRepresentation, 0)
				b.raw(tag.PixelData, "OW", le16(uint16(k)))
				os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.dcm", i)), fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes()), 0o644)
			}
			cat, err := Scan(context.Background(), []string{dir}, ScanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			s := cat.AllSeries()[0]
			for i, want := range tc.wantZ {
				got := s.Geometry.Origins[i][2]
				if tc.name == "missing position" {
					got = float64(s.Frames[i].Instance.InstanceNumber)
					want = float64(i + 1)
				}
				if got != want {
					t.Fatalf("sorted slice %d at %v, want %v", i, got, want)
				}
			}
			if s.Geometry.SliceSpacing != tc.spacing {
				t.Errorf("spacing %v, want %v", s.Geometry.SliceSpacing, tc.spacing)
			}
			joined := strings.Join(s.Warnings, "; ")
			for _, w := range tc.warnings {
				if !strings.Contains(joined, w) {
					t.Errorf("warnings %q lack %q", joined, w)
				}
			}
			if tc.warnings == nil && len(s.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", joined)
			}
		})
	}
}

func TestLoadFirstFrameFirst(t *testing.T) {
	cat, err := Scan(context.Background(), []string{shareddata.File(t, "ct-totalseg-native")}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := cat.AllSeries()[0]
	var mu sync.Mutex
	var seen []int
	v, err := s.Load(context.Background(), LoadOptions{First: 10, Workers: 1, OnFrame: func(i int, f *Frame, err error) {
		mu.Lock()
		seen = append(seen, i)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	if seen[0] != 10 || len(seen) != len(s.Frames) {
		t.Fatalf("load order %v, want 10 first and all %d", seen, len(s.Frames))
	}
	for i, f := range v.Frames {
		if f == nil || f.Rows != 512 {
			t.Fatalf("frame %d not loaded", i)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Load(ctx, LoadOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled load returned %v", err)
	}
}

func TestGeometryRoundTrip(t *testing.T) {
	cat, err := Scan(context.Background(), []string{shareddata.File(t, "ct-kits")}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g := cat.AllSeries()[0].Geometry
	for _, v := range [][3]float64{{0, 0, 0}, {511, 511, 10}, {100.5, 200.25, 3.5}} {
		p := g.VoxelToPatient(v[0], v[1], v[2])
		c, r, s := g.PatientToVoxel(p)
		if math.Abs(c-v[0]) > 1e-6 || math.Abs(r-v[1]) > 1e-6 || math.Abs(s-v[2]) > 1e-6 {
			t.Fatalf("voxel %v → %v → %v %v %v", v, p, c, r, s)
		}
	}
	// Voxel (0,0,k) is Image Position (Patient) of sorted slice k.
	p := g.VoxelToPatient(0, 0, 3)
	if p != g.Origins[3] {
		t.Fatalf("origin of slice 3 = %v, want %v", p, g.Origins[3])
	}
}

func mustFrame(t *testing.T, path string) *Frame {
	t.Helper()
	inst, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := inst.ReadFrame(0)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func requireTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not installed: run `make test`, which installs dcmtk", name)
	}
}

// copyDir copies the files of src whose names end in ext into dst.
func copyDir(t *testing.T, src, dst, ext string) []string {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ext) {
			continue
		}
		in, err := os.Open(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, e.Name())
		o, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(o, in)
		in.Close()
		o.Close()
		out = append(out, p)
	}
	return out
}

// requireSameFrames fails t unless got has want's frame count and every
// frame's stored values equal want's.
func requireSameFrames(t *testing.T, got, want *Instance) {
	t.Helper()
	if got.Pixel.NumberOfFrames != want.Pixel.NumberOfFrames {
		t.Fatalf("%s: %d frames, the reference %d", got.TransferSyntax.Name, got.Pixel.NumberOfFrames, want.Pixel.NumberOfFrames)
	}
	for i := range want.Pixel.NumberOfFrames {
		a, err := got.ReadFrame(i)
		if err != nil {
			t.Fatal(err)
		}
		b, err := want.ReadFrame(i)
		if err != nil {
			t.Fatal(err)
		}
		if storedHash(a) != storedHash(b) {
			t.Fatalf("%s: frame %d differs from the reference", got.TransferSyntax.Name, i+1)
		}
	}
}

// TestBitPackedCompressedFrames decodes binary segmentations (Bits
// Allocated 1) in Deflated Image Frame Compression (PS3.5 §A.4.12) and RLE
// Lossless, which pydicom 2.3 cannot, and requires the frames of the
// uncompressed copies of the same images.
func TestBitPackedCompressedFrames(t *testing.T) {
	for _, name := range []string{"liver_deflate", "liver_nonbyte_aligned_deflate", "liver_rle", "liver_nonbyte_aligned_rle"} {
		t.Run(name, func(t *testing.T) {
			deflated, err := OpenFile(shareddata.File(t, "pydicom-data/"+name+".dcm"))
			if err != nil {
				t.Fatal(err)
			}
			base := strings.TrimSuffix(strings.TrimSuffix(name, "_deflate"), "_rle")
			native, err := OpenFile(shareddata.File(t, "pydicom-data/"+base+".dcm"))
			if err != nil {
				t.Fatal(err)
			}
			requireSameFrames(t, deflated, native)
		})
	}
}

// TestUndercountedFramesWarned: native Pixel Data holding whole frames
// beyond the header's (Number of Frames left out of a multi-frame file)
// is read as declared and named in the series' warnings; the pad byte of
// an odd-length frame is no extra frame.
func TestUndercountedFramesWarned(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cols  uint16
		pixel []byte
		extra int
	}{
		{"three frames' data, Number of Frames missing", 2, []byte{1, 2, 3, 4, 5, 6}, 2},
		{"one odd frame and its pad byte", 3, []byte{1, 2, 3, 0}, 0},
		{"half a frame more", 4, []byte{1, 2, 3, 4, 5, 6}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBuilder(binary.LittleEndian, true)
			imageBody(b, 1, tc.cols, 8, 8, 0)
			b.raw(tag.PixelData, "OB", tc.pixel)
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "x.dcm"), fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes()), 0o644)
			cat, err := Scan(context.Background(), []string{dir}, ScanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			s := cat.AllSeries()[0]
			if got := s.Instances[0].ExtraFrames; got != tc.extra {
				t.Errorf("ExtraFrames %d, want %d", got, tc.extra)
			}
			warned := strings.Contains(strings.Join(s.Warnings, "; "), "more pixel data than their header")
			if warned != (tc.extra > 0) {
				t.Errorf("warnings %q", s.Warnings)
			}
			if f, err := s.Instances[0].ReadFrame(0); err != nil || f.Stored(0) != 1 {
				t.Errorf("frame 1: %v, %v", f, err)
			}
		})
	}
}

// TestIsCTImage: the SOP classes that require a rescale, and files that
// name none (converted data) but are greyscale CT.
func TestIsCTImage(t *testing.T) {
	grey, rgb := PixelInfo{SamplesPerPixel: 1}, PixelInfo{SamplesPerPixel: 3}
	for _, tc := range []struct {
		name string
		in   *Instance
		want bool
	}{
		{"CT Image Storage", &Instance{SOPClassUID: "1.2.840.10008.5.1.4.1.1.2", Modality: "CT", Pixel: grey}, true},
		{"Enhanced CT", &Instance{SOPClassUID: "1.2.840.10008.5.1.4.1.1.2.1", Modality: "CT", Pixel: grey}, true},
		{"Secondary Capture of a CT", &Instance{SOPClassUID: "1.2.840.10008.5.1.4.1.1.7", Modality: "CT", Pixel: grey}, false},
		{"no SOP class, greyscale CT", &Instance{Modality: "CT", Pixel: grey}, true},
		{"no SOP class, colour CT snapshot", &Instance{Modality: "CT", Pixel: rgb}, false},
		{"no SOP class, MR", &Instance{Modality: "MR", Pixel: grey}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isCTImage(tc.in); got != tc.want {
				t.Errorf("isCTImage = %v, want %v", got, tc.want)
			}
		})
	}
}
