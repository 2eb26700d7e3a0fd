package jpeg

import (
	"archive/zip"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

var allowRounding = flag.Bool("allow-rounding", false,
	"accept samples within 1 of the references instead of requiring libjpeg-exact ones (for references not built on IJG libjpeg 6b)")

// expectedFile is one entry of testdata/expected.json, written by
// testdata/gen_expected.py from GDCM's and dcmtk's decodes.
type expectedFile struct {
	Name            string     `json:"name"`
	In              string     `json:"in"` // "shared" (../shared/data) or "testdata"
	Frames          int        `json:"frames"`
	Rows            int        `json:"rows"`
	Columns         int        `json:"columns"`
	SamplesPerPixel int        `json:"samples_per_pixel"`
	BitsStored      int        `json:"bits_stored"`
	Photometric     string     `json:"photometric"`
	FrameSHA256     []string   `json:"frame_sha256"`
	GDCM            *reference `json:"gdcm"`
	GDCMError       string     `json:"gdcm_error"`
	Dcmtk           *reference `json:"dcmtk"`
	DcmtkError      string     `json:"dcmtk_error"`
	DcmtkRawAgrees  bool       `json:"dcmtk_raw_agrees"`
}

// reference is one decoder's decode of every frame of a file.
type reference struct {
	PixelSHA256  []string  `json:"pixel_sha256"`
	Min          []int     `json:"min"`
	Max          []int     `json:"max"`
	Mean         []float64 `json:"mean"`
	SampleStride int       `json:"sample_stride"`
	Samples      string    `json:"samples"` // key in reference.npz; "" when equal to GDCM's
	Photometric  string    `json:"photometric"`
	Version      string    `json:"version"`
}

func loadExpected(tb testing.TB) []expectedFile {
	return codectest.LoadExpected[expectedFile](tb)
}

// loadSamples reads the strided reference samples of testdata/reference.npz
// (numpy's zip of .npy arrays, each uint16 of shape (frames, n)).
func loadSamples(tb testing.TB) map[string][][]uint16 {
	tb.Helper()
	z, err := zip.OpenReader(filepath.Join("testdata", "reference.npz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer z.Close()
	out := make(map[string][][]uint16)
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			tb.Fatal(err)
		}
		rows, err := parseNpyUint16(b)
		if err != nil {
			tb.Fatalf("%s: %v", f.Name, err)
		}
		out[strings.TrimSuffix(f.Name, ".npy")] = rows
	}
	return out
}

var npyShape = regexp.MustCompile(`'shape': \((\d+), (\d+)\)`)

// parseNpyUint16 reads a version 1 .npy file holding a C-ordered 2-D
// little-endian uint16 array.
func parseNpyUint16(b []byte) ([][]uint16, error) {
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" || b[6] != 1 {
		return nil, fmt.Errorf("not a version 1 .npy file")
	}
	n := int(binary.LittleEndian.Uint16(b[8:]))
	if 10+n > len(b) {
		return nil, fmt.Errorf("short .npy header")
	}
	header := string(b[10 : 10+n])
	m := npyShape.FindStringSubmatch(header)
	if !strings.Contains(header, "'descr': '<u2'") || !strings.Contains(header, "'fortran_order': False") || m == nil {
		return nil, fmt.Errorf("unexpected .npy header %q", header)
	}
	rows, _ := strconv.Atoi(m[1])
	cols, _ := strconv.Atoi(m[2])
	data := b[10+n:]
	if len(data) != 2*rows*cols {
		return nil, fmt.Errorf(".npy data of %d bytes for shape (%d, %d)", len(data), rows, cols)
	}
	out := make([][]uint16, rows)
	for r := range out {
		out[r] = make([]uint16, cols)
		for c := range out[r] {
			out[r][c] = binary.LittleEndian.Uint16(data[2*(r*cols+c):])
		}
	}
	return out, nil
}

// frames returns the compressed frames an expected.json entry names.
func (f *expectedFile) frames(tb testing.TB) [][]byte {
	tb.Helper()
	return codectest.EntryFrames(tb, f.In, f.Name)
}

// isYBR reports whether a Photometric Interpretation names YCbCr
// components that the viewer must convert to RGB (PS3.3 C.7.6.3.1.2).
func isYBR(photometric string) bool {
	return photometric == "YBR_FULL" || photometric == "YBR_FULL_422"
}

// pixelHash hashes all the bits of samples as gen_expected.py does.
func pixelHash(pix []uint32) string { return codectest.PixelHash(pix, 32) }

// comparison is how one decoded frame compares with a reference decode.
type comparison struct {
	exact   bool // all samples equal (equal SHA-256)
	maxDiff int  // over the strided sample and the frame's min and max
	sampled int  // samples compared one by one
	equal   int  // of which equal
}

// compare checks img against frame i of ref; samples holds the strided
// reference values (nil when the reference equals GDCM's, whose samples
// then stand in).
func compare(img *codec.Image, ref *reference, i int, samples [][]uint16, stride int) comparison {
	var c comparison
	c.exact = pixelHash(img.Pix) == ref.PixelSHA256[i]
	lo, hi, sum := img.Pix[0], img.Pix[0], 0.0
	for _, v := range img.Pix {
		lo, hi, sum = min(lo, v), max(hi, v), sum+float64(v)
	}
	c.maxDiff = max(abs(int(lo)-ref.Min[i]), abs(int(hi)-ref.Max[i]))
	if d := sum/float64(len(img.Pix)) - ref.Mean[i]; d > 1 || d < -1 {
		c.maxDiff = max(c.maxDiff, 2) // a mean off by more than 1: some sample is
	}
	if samples != nil {
		want := samples[i]
		for k, j := 0, 0; k < len(img.Pix) && j < len(want); k, j = k+stride, j+1 {
			d := abs(int(img.Pix[k]) - int(want[j]))
			c.maxDiff = max(c.maxDiff, d)
			c.sampled++
			if d == 0 {
				c.equal++
			}
		}
		if want := (len(img.Pix) + stride - 1) / stride; len(samples[i]) != want {
			c.maxDiff = 1 << 30 // the reference describes another image size
		}
	}
	return c
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// TestReferenceFiles decodes every JPEG Baseline and Extended file of the
// shared test data and every synthetic stream in testdata/synth, and
// compares each frame with two reference decoders:
//
//   - GDCM as pydicom calls it, which never converts colour: Decode with
//     ConvertYCbCr false must match it for every Photometric
//     Interpretation;
//   - dcmtk's dcmdjpeg with its default colour handling, which converts
//     YBR_FULL and YBR_FULL_422 to RGB: Decode with ConvertYCbCr set for
//     exactly those must match it.
//
// No sample may differ by more than 1 (lossy decoders may round
// differently). Beyond that, since Decode reproduces libjpeg 6b's
// arithmetic, which both references embed, every frame must match
// exactly unless the test runs with -allow-rounding.
func TestReferenceFiles(t *testing.T) {
	samples := loadSamples(t)
	var report []string
	for _, f := range loadExpected(t) {
		t.Run(f.Name, func(t *testing.T) {
			frames := f.frames(t)
			if len(frames) != f.Frames || len(f.FrameSHA256) != f.Frames {
				t.Fatalf("got %d frames, expected.json says %d", len(frames), f.Frames)
			}
			e := codec.Expect{Width: f.Columns, Height: f.Rows, Components: f.SamplesPerPixel}
			checks := []struct {
				label string
				ref   *reference
				opt   Options
			}{
				{"GDCM", f.GDCM, Options{}},
				{"dcmtk", f.Dcmtk, Options{ConvertYCbCr: isYBR(f.Photometric)}},
			}
			if f.GDCM == nil {
				t.Logf("GDCM cannot decode this file (%s)", f.GDCMError)
			}
			if f.Dcmtk == nil {
				t.Logf("dcmtk cannot decode this file (%s)", f.DcmtkError)
			}
			if f.GDCM == nil && f.Dcmtk == nil {
				t.Fatal("no reference decode")
			}
			for _, ch := range checks {
				if ch.ref == nil {
					continue
				}
				stride, key := ch.ref.SampleStride, ch.ref.Samples
				if key == "" && f.GDCM != nil {
					stride, key = f.GDCM.SampleStride, f.GDCM.Samples
				}
				refSamples, ok := samples[key]
				if !ok || stride < 1 {
					t.Fatalf("%s: reference.npz has no samples %q", ch.label, key)
				}
				for i, frame := range frames {
					if got := codectest.SHA256(frame); got != f.FrameSHA256[i] {
						t.Fatalf("frame %d: compressed bytes differ from pydicom's (sha256 %s, want %s)", i, got, f.FrameSHA256[i])
					}
					img, err := Decode(frame, e, ch.opt)
					if err != nil {
						t.Fatalf("frame %d: %v", i, err)
					}
					if img.Width != f.Columns || img.Height != f.Rows || img.Components != f.SamplesPerPixel || len(img.Pix) != f.Rows*f.Columns*f.SamplesPerPixel {
						t.Fatalf("frame %d: got %dx%dx%d with %d samples", i, img.Width, img.Height, img.Components, len(img.Pix))
					}
					if img.Precision != 8 && img.Precision != 12 || img.Precision < f.BitsStored {
						t.Errorf("frame %d: precision %d for Bits Stored %d", i, img.Precision, f.BitsStored)
					}
					c := compare(img, ch.ref, i, refSamples, stride)
					if c.maxDiff > 1 {
						t.Errorf("%s, frame %d, ConvertYCbCr %v: max |difference| %d over %d sampled values", ch.label, i, ch.opt.ConvertYCbCr, c.maxDiff, c.sampled)
					} else if !c.exact && !*allowRounding {
						t.Errorf("%s, frame %d, ConvertYCbCr %v: not bit-exact (max |difference| %d, %d of %d sampled values equal)", ch.label, i, ch.opt.ConvertYCbCr, c.maxDiff, c.equal, c.sampled)
					}
					report = append(report, fmt.Sprintf("%-58s %-12s %-5s convert=%-5v exact=%-5v maxdiff=%d equal=%d/%d",
						f.Name, f.Photometric, ch.label, ch.opt.ConvertYCbCr, c.exact, c.maxDiff, c.equal, c.sampled))
				}
			}
		})
	}
	t.Log("per-file comparison (exact: all samples equal; equal: of the strided reference samples)\n" + strings.Join(report, "\n"))
}

// TestReferenceColourRule checks the Photometric Interpretation rule the
// package documents against the references: GDCM's samples equal the
// unconverted components (ConvertYCbCr false) for every file, and
// ConvertYCbCr changes the result exactly for the three-component files.
func TestReferenceColourRule(t *testing.T) {
	for _, f := range loadExpected(t) {
		if f.GDCM == nil || f.Dcmtk == nil || f.SamplesPerPixel != 3 {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			frame := f.frames(t)[0]
			raw, err := Decode(frame, codec.Expect{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			rgb, err := Decode(frame, codec.Expect{}, Options{ConvertYCbCr: true})
			if err != nil {
				t.Fatal(err)
			}
			rawHash, rgbHash := pixelHash(raw.Pix), pixelHash(rgb.Pix)
			if rawHash == rgbHash {
				t.Fatal("ConvertYCbCr made no difference")
			}
			if rgbHash == f.GDCM.PixelSHA256[0] {
				t.Errorf("GDCM (%s) returned converted samples", f.Photometric)
			}
			dcmtkConverts := f.Dcmtk.PixelSHA256[0] != f.GDCM.PixelSHA256[0]
			if dcmtkConverts != isYBR(f.Photometric) {
				t.Errorf("dcmtk converts %s: %v", f.Photometric, dcmtkConverts)
			}
		})
	}
}

// TestGuessYCbCr checks libjpeg's colour-space guess on the reference
// files: every YBR file looks YCbCr; of the RGB ones, the dcmtk file
// written with +cr (Adobe marker, transform 0, ids R, G, B) does not,
// while SC_rgb_jpeg_lossy_gdcm.dcm (ids 1, 2, 3, 4:2:0) does.
func TestGuessYCbCr(t *testing.T) {
	want := map[string]bool{
		"pylibjpeg-data/JPEGBaseline/SC_rgb_dcmtk_+eb+cr.dcm":    false,
		"pylibjpeg-data/JPEGBaseline/SC_rgb_jpeg_lossy_gdcm.dcm": true,
		"synth/go_rgb_ids.jpg":                                   false,
	}
	for _, f := range loadExpected(t) {
		t.Run(f.Name, func(t *testing.T) {
			w, ok := want[f.Name]
			if !ok {
				w = isYBR(f.Photometric)
			}
			if got := GuessYCbCr(f.frames(t)[0]); got != w {
				t.Errorf("GuessYCbCr = %v, want %v (%s, %d components)", got, w, f.Photometric, f.SamplesPerPixel)
			}
		})
	}
}

// TestMislabelledRGB decodes SC_rgb_jpeg_lossy_gdcm.dcm, whose header
// says RGB over a YCbCr codestream, and compares both decodes with the
// uncompressed original, pydicom-data/SC_rgb.dcm: converting, as
// GuessYCbCr suggests, gives the original colours (within JPEG loss);
// the unconverted samples, which GDCM and dcmtk return, do not.
func TestMislabelledRGB(t *testing.T) {
	data := testdicom.DataDir(t)
	orig, err := testdicom.Read(filepath.Join(data, "pydicom-data", "SC_rgb.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	lossy, err := testdicom.Read(filepath.Join(data, "pylibjpeg-data", "JPEGBaseline", "SC_rgb_jpeg_lossy_gdcm.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	frames, err := lossy.Frames()
	if err != nil {
		t.Fatal(err)
	}
	if orig.BitsAllocated != 8 || len(orig.Native) != 100*100*3 {
		t.Fatalf("unexpected original: %d bits, %d bytes", orig.BitsAllocated, len(orig.Native))
	}
	meanDiff := func(convert bool) float64 {
		img, err := Decode(frames[0], codec.Expect{Width: 100, Height: 100, Components: 3}, Options{ConvertYCbCr: convert})
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for i, v := range img.Pix {
			sum += abs(int(v) - int(orig.Native[i]))
		}
		return float64(sum) / float64(len(img.Pix))
	}
	converted, raw := meanDiff(true), meanDiff(false)
	t.Logf("mean |difference| from the original: converted %.1f, unconverted %.1f", converted, raw)
	if converted > 5 || raw < 50 {
		t.Errorf("converted %.1f, unconverted %.1f", converted, raw)
	}
}
