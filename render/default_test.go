package render

import (
	"image"
	"math"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

func TestDefaultWindow(t *testing.T) {
	withVOI := func(f *dicomio.Frame, voi dicomio.VOI) *dicomio.Frame { f.VOI = voi; return f }
	withModality := func(f *dicomio.Frame, m dicomio.ModalityTransform) *dicomio.Frame { f.Modality = m; return f }
	ramp := func() *dicomio.Frame { return greyFrame(1, 4, 12, false, []uint16{100, 4000, 7, 2048}) }
	tests := []struct {
		name string
		f    *dicomio.Frame
		want Window
	}{
		{"file window", withVOI(ramp(), dicomio.VOI{Windows: []dicomio.Window{{Center: 40, Width: 300}, {Center: 300, Width: 1500}}}),
			Window{Center: 40, Width: 300}},
		{"file window with function", withVOI(ramp(), dicomio.VOI{Windows: []dicomio.Window{{Center: 40, Width: 300}}, Function: "SIGMOID"}),
			Window{Center: 40, Width: 300, Function: Sigmoid}},
		{"invalid widths skipped", withVOI(ramp(), dicomio.VOI{Windows: []dicomio.Window{{Center: 1, Width: 0}, {Center: 2, Width: math.Inf(1)}, {Center: 3, Width: 5}}}),
			Window{Center: 3, Width: 5}},
		// VOI LUT mapping values 10..1009: LINEAR c = (10 + 1009 + 1)/2, w = 1000.
		{"VOI LUT range", withVOI(ramp(), dicomio.VOI{LUTs: []*dicomio.LUT{{FirstMapped: 10, Bits: 8, Data: make([]int64, 1000)}}}),
			Window{Center: 510, Width: 1000}},
		// Stored 7..4000, intercept -1024: values -1017..2976, so
		// c = (-1017 + 2976 + 1)/2 = 980, w = 2976 + 1017 + 1 = 3994.
		{"min-max integral rescale", withModality(ramp(), dicomio.ModalityTransform{Slope: 1, Intercept: -1024}),
			Window{Center: 980, Width: 3994}},
		// Negative slope swaps the ends: values -8000..-14 → c = (-8000 - 14 + 1)/2, w = 7987.
		{"min-max negative slope", withModality(ramp(), dicomio.ModalityTransform{Slope: -2}),
			Window{Center: -4006.5, Width: 7987}},
		// Slope 0.5: values 3.5..2000, LINEAR_EXACT c = 1001.75, w = 1996.5.
		{"min-max fractional rescale", withModality(ramp(), dicomio.ModalityTransform{Slope: 0.5}),
			Window{Center: 1001.75, Width: 1996.5, Function: LinearExact}},
		// Signed 12-bit: 4000 is -96, 2048 is -2048; values -2048..100.
		{"min-max signed", func() *dicomio.Frame { f := ramp(); f.Signed = true; return f }(),
			Window{Center: -973.5, Width: 2149}},
		// Modality LUT 5, 9, 1 from stored 7: stored 7 → 5, and 100, 2048,
		// 4000 clamp to the last entry, 1. Range 1..5 → c = 3.5, w = 5.
		{"min-max modality LUT", withModality(ramp(), dicomio.ModalityTransform{LUT: &dicomio.LUT{FirstMapped: 7, Data: []int64{5, 9, 1}}}),
			Window{Center: 3.5, Width: 5}},
		{"min-max float", &dicomio.Frame{Rows: 1, Cols: 4, Samples: 1, Float: []float64{0.25, math.NaN(), math.Inf(1), 0.75}},
			Window{Center: 0.5, Width: 0.5, Function: LinearExact}},
		{"nil", nil, Window{Center: 0.5, Width: 1}},
		{"all NaN", &dicomio.Frame{Rows: 1, Cols: 1, Samples: 1, Float: []float64{math.NaN()}}, Window{Center: 0.5, Width: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DefaultWindow(tt.f); got != tt.want {
				t.Errorf("DefaultWindow = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// The full-range window maps the darkest pixel to 0 and the brightest to
// 255, whatever the rescale.
func TestDefaultWindowSpansRange(t *testing.T) {
	for _, m := range []dicomio.ModalityTransform{{Slope: 1}, {Slope: 1, Intercept: -1024}, {Slope: 0.37, Intercept: 12.5}, {Slope: -3}} {
		f := greyFrame(1, 3, 16, false, []uint16{5, 60000, 300})
		f.Modality = m
		got := DefaultGreyLUT(f, false).RenderGray(f, nil).Pix
		lo, hi := 0, 1
		if m.Slope < 0 {
			lo, hi = 1, 0
		}
		if got[lo] != 0 || got[hi] != 255 {
			t.Errorf("%+v: rendered %v", m, got)
		}
	}
}

func TestDefaultGreyLUTUsesVOILUT(t *testing.T) {
	f := greyFrame(1, 3, 8, false, []uint16{0, 1, 2})
	f.VOI.LUTs = []*dicomio.LUT{{FirstMapped: 0, Bits: 8, Data: []int64{255, 0, 128}}}
	l := DefaultGreyLUT(f, false)
	if !l.FromVOILUT() {
		t.Fatal("VOI LUT not used")
	}
	if got := l.RenderGray(f, nil).Pix; string(got) != string([]uint8{255, 0, 128}) {
		t.Errorf("got %v", got)
	}
	// A window takes precedence over the LUT.
	f.VOI.Windows = []dicomio.Window{{Center: 128, Width: 256}}
	if DefaultGreyLUT(f, false).FromVOILUT() {
		t.Error("window ignored")
	}
}

// TestDefaultWindowLeavesOutPadding: the full-range window spans the image,
// not the padding around it (stored −2000, HU −3024, as CT scanners pad
// the corners outside the field of view).
func TestDefaultWindowLeavesOutPadding(t *testing.T) {
	f := &dicomio.Frame{Rows: 1, Cols: 4, Samples: 1, BitsStored: 16, Signed: true, Photometric: "MONOCHROME2",
		Raw16: []uint16{uint16(0xF830) /* −2000 */, 1000, 1100, 1024}, Modality: dicomio.ModalityTransform{Slope: 1, Intercept: -1024}}
	if w := DefaultWindow(f); w.Center != (-3024+76+1)/2.0 || w.Width != 3101 {
		t.Fatalf("without padding: %+v, want the range −3024…76", w)
	}
	f.Padding = &[2]int64{-2000, -2000}
	if w := DefaultWindow(f); w.Center != (-24+76+1)/2.0 || w.Width != 101 {
		t.Errorf("with padding: %+v, want the range −24…76: centre 26.5, width 101", w)
	}
	f.Raw16 = []uint16{uint16(0xF830)}
	f.Cols = 1
	if w := DefaultWindow(f); w.Center != 0.5 || w.Width != 1 {
		t.Errorf("nothing but padding: %+v, want the empty window", w)
	}
}

// TestRenderPresentationInverse: a MONOCHROME2 frame with Presentation LUT
// Shape INVERSE shows its minimum white, as MONOCHROME1 does, on both the
// table and the generic path.
func TestRenderPresentationInverse(t *testing.T) {
	for _, path := range []string{"table (Raw16)", "generic (Raw32)"} {
		f := &dicomio.Frame{Rows: 1, Cols: 2, Samples: 1, BitsStored: 8, Photometric: "MONOCHROME2",
			Modality: dicomio.ModalityTransform{Slope: 1}, PresentationInverse: true}
		if path == "table (Raw16)" {
			f.Raw16 = []uint16{0, 200}
		} else {
			f.BitsStored = 20
			f.Raw32 = []uint32{0, 200}
		}
		g, ok := Render(f, Window{Center: 100, Width: 200}, false).(*image.Gray)
		if !ok || g.Pix[0] != 255 || g.Pix[1] != 0 {
			t.Errorf("%s: %v, want the minimum white and the maximum black", path, g.Pix)
		}
	}
}
