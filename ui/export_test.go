package ui

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/render"
)

func TestExportImage(t *testing.T) {
	s, frames := ctSeries(t, 4)
	v, _ := newTestViewport(t, s, frames, 320, 240)
	v.SetContext(dicomio.Patient{Name: "Doe^Jane", ID: "MRN-0042", BirthDate: "19600102"},
		&dicomio.Study{Date: "20240305", Description: "CT whole body"})
	v.SetSlice(2)
	v.measures = []measurement{{Slice: 2, X0: 5, Y0: 5, X1: 40, Y1: 30}, {Slice: 1, X0: 1, Y0: 1, X1: 9, Y1: 9}}
	settle(t, v)

	export := func(withPHI bool) *image.RGBA {
		t.Helper()
		img, err := exportImage(v.snapshot(withPHI))
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	plain := export(false)
	if plain.Rect.Dx() != 320 || plain.Rect.Dy() != 240 {
		t.Fatalf("export %v, want the 320 × 240 view", plain.Rect)
	}
	// De-identified: the same pixels as for a patient without any data.
	v.SetContext(dicomio.Patient{}, &dicomio.Study{})
	anonymous := export(true)
	if !sameRGBA(plain, anonymous) {
		t.Error("the de-identified export differs from one without patient data: identifiers leaked")
	}
	v.SetContext(dicomio.Patient{Name: "Doe^Jane", ID: "MRN-0042", BirthDate: "19600102"},
		&dicomio.Study{Date: "20240305", Description: "CT whole body"})
	if withPHI := export(true); sameRGBA(plain, withPHI) {
		t.Error("patient data requested but not burned in")
	}
	// The research-use mark is on top: stamping it again changes nothing.
	again := cloneRGBA(plain)
	render.StampResearchMark(again)
	if !sameRGBA(again, plain) {
		t.Error("something covers the research-use mark")
	}
	// The measurement of this slice is burned in: ruler-yellow pixels.
	yellow := 0
	for i := 0; i < len(plain.Pix); i += 4 {
		if plain.Pix[i] == 255 && plain.Pix[i+1] == 214 && plain.Pix[i+2] == 0 {
			yellow++
		}
	}
	if yellow < 20 {
		t.Errorf("%d ruler pixels in the export", yellow)
	}

	// The patient-direction letters are burned in at the middle of each edge.
	snap := v.snapshot(false)
	if snap.info.Edges != [4]string{"A", "L", "P", "R"} {
		t.Fatalf("edge letters %q, want A L P R for the axial test series", snap.info.Edges)
	}
	bare := snap
	bare.info.Edges = [4]string{}
	withEdges, err := exportImage(snap)
	if err != nil {
		t.Fatal(err)
	}
	without, err := exportImage(bare)
	if err != nil {
		t.Fatal(err)
	}
	w, h := withEdges.Rect.Dx(), withEdges.Rect.Dy()
	for name, r := range map[string]image.Rectangle{
		"top": image.Rect(w/2-15, 0, w/2+15, 40), "right": image.Rect(w-25, h/2-15, w, h/2+15),
		"bottom": image.Rect(w/2-15, h-60, w/2+15, h), "left": image.Rect(0, h/2-15, 25, h/2+15),
	} {
		if sameIn(withEdges, without, r) {
			t.Errorf("no direction letter burned in at the %s edge", name)
		}
	}

	// Written atomically as a PNG that decodes to the same pixels.
	path := filepath.Join(t.TempDir(), "view.png")
	if err := render.WritePNG(path, plain); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec, err := png.Decode(f)
	if err != nil || dec.Bounds() != plain.Rect {
		t.Fatalf("decoded %v, %v", dec.Bounds(), err)
	}
}

// TestExportColourBarThreshold checks that the threshold's value is burned
// in beside its tick on the exported colour bar, as the viewer shows it.
func TestExportColourBarThreshold(t *testing.T) {
	s, frames := ctSeries(t, 4)
	v, _ := newTestViewport(t, s, frames, 320, 240)
	settle(t, v)
	maps := make([][]uint8, 4)
	for i := range maps {
		maps[i] = make([]uint8, 64*64) // p = 0: no heatmap pixel, only the bar
	}
	export := func(threshold float64) *image.RGBA {
		t.Helper()
		snap := v.snapshot(false)
		snap.params.overlay = overlayParams{
			Result:  &inference.Result{Slices: 4, Rows: 64, Cols: 64, Maps: maps},
			Visible: true, Map: render.Turbo, Opacity: 0.5, Threshold: threshold,
		}
		img, err := exportImage(snap)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	half, high := export(0.5), export(0.9625)
	w, h := half.Rect.Dx(), half.Rect.Dy()
	barLeft := w - 6 - colourBarW
	// Left of the bar's middle, where the tick of p = 0.5 is: "0.5" there
	// at threshold 0.5, nothing at 0.9625 (its tick is near the top).
	mid := image.Rect(barLeft-30, h/2-6, barLeft-2, h/2+6)
	if sameIn(half, high, mid) {
		t.Error("no threshold value burned in beside the tick at p = 0.5")
	}
}

// sameIn reports whether a and b have the same pixels inside r.
func sameIn(a, b *image.RGBA, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.RGBAAt(x, y) != b.RGBAAt(x, y) {
				return false
			}
		}
	}
	return true
}
