package ui

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/myeloview/myeloview/internal/shareddata"
)

// TestViewerPlanes: View → Coronal / Sagittal reformat the loaded axial
// series, with their own geometry and direction letters; the model stays
// with the axial slices; Axial goes back to the same series.
func TestViewerPlanes(t *testing.T) {
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, smallSample(t))
	v := vw.viewport
	axial := v.Series()
	if axial.Geometry.Plane() != "axial" {
		t.Fatalf("the sample is %q, want axial", axial.Geometry.Plane())
	}
	for _, tc := range []struct {
		plane string
		edges [4]string
	}{
		{"coronal", [4]string{"H", "L", "F", "R"}},
		{"sagittal", [4]string{"H", "P", "F", "A"}},
	} {
		vw.showPlane(tc.plane)
		waitFor(t, tc.plane+" slices", 10*time.Second, func() bool {
			return v.Series() != nil && v.Series().Geometry.Plane() == tc.plane
		})
		s := v.Series()
		if got := v.overlayInfo().Edges; got != tc.edges {
			t.Errorf("%s: edge letters %q, want %q", tc.plane, got, tc.edges)
		}
		if want := axial.Rows(); tc.plane == "coronal" && v.Slices() != want {
			t.Errorf("coronal: %d slices, want one per axial row (%d)", v.Slices(), want)
		}
		if s.Rows() < len(axial.Frames) {
			t.Errorf("%s: %d rows for %d axial slices", tc.plane, s.Rows(), len(axial.Frames))
		}
		vw.analysis.Run()
		if vw.analysis.running != nil || !strings.Contains(vw.status.Message(), "axial") {
			t.Errorf("%s: Run gave %q, want a pointer to the axial slices", tc.plane, vw.status.Message())
		}
	}
	vw.showPlane("axial")
	if v.Series() != axial || vw.reformat != nil {
		t.Fatal("Axial did not bring back the series chosen in the browser")
	}
	// V cycles axial → coronal → sagittal → axial.
	for _, want := range []string{"coronal", "sagittal", "axial"} {
		vw.win.Canvas().OnTypedRune()('v')
		waitFor(t, "V to show "+want, 10*time.Second, func() bool { return v.Series().Geometry.Plane() == want })
	}
	if v.Series() != axial {
		t.Error("V did not come back to the axial series")
	}
}

// TestViewerPlanesOverlay: after an analysis, the reformat shows the
// heatmap cut like the slices (the probability under a voxel is the one
// of the axial voxel at the same patient position), lists no findings,
// and going back to axial brings the findings back.
func TestViewerPlanesOverlay(t *testing.T) {
	vw := bandViewer(t)
	openAndWait(t, vw, smallSample(t))
	v := vw.viewport
	axial := v.Series()
	vw.analysis.Run()
	waitFor(t, "the analysis", 120*time.Second, func() bool { return vw.analysis.current() != nil && vw.analysis.running == nil })
	res := vw.analysis.current()
	nFindings := len(vw.analysis.findings)
	if nFindings == 0 {
		t.Fatal("the band network found nothing; the test needs a heatmap")
	}

	vw.showPlane("sagittal")
	waitFor(t, "sagittal slices", 10*time.Second, func() bool { return vw.reformat != nil })
	sag := vw.analysis.current()
	if sag == nil || sag == res || len(sag.Maps) != v.Slices() {
		t.Fatalf("no reformatted heatmap on the sagittal slices")
	}
	if !v.Overlay().Visible || v.Overlay().Result != sag {
		t.Error("the overlay does not show the reformatted heatmap")
	}
	if len(vw.analysis.findings) != 0 {
		t.Errorf("%d findings listed on a reformat, want none", len(vw.analysis.findings))
	}
	s := v.Series()
	nonzero := 0
	for k := range s.Frames {
		for r := 0; r < s.Rows(); r++ {
			for c := 0; c < s.Cols(); c++ {
				p := s.Geometry.VoxelToPatient(float64(c), float64(r), float64(k))
				ci, ri, si := axial.Geometry.PatientToVoxel(p)
				want := res.Probability(int(math.Round(si)), int(math.Round(ri)), int(math.Round(ci)))
				if got := sag.Probability(k, r, c); got != want {
					t.Fatalf("sagittal voxel (%d, %d, %d): p %v, want %v from the axial voxel at %v", c, r, k, got, want, p)
				}
				if want > 0 {
					nonzero++
				}
			}
		}
	}
	if nonzero == 0 {
		t.Error("the reformatted heatmap is empty")
	}

	vw.showPlane("axial")
	if v.Series() != axial || vw.analysis.current() != res || len(vw.analysis.findings) != nFindings {
		t.Errorf("back on axial: %d findings, want %d and the axial result", len(vw.analysis.findings), nFindings)
	}
	if len(vw.analysis.results) != 1 {
		t.Errorf("%d results kept, want only the axial one", len(vw.analysis.results))
	}
}

// TestViewerPlanesKeepThePlace: switching planes shows the slice through
// the point under the pointer, with the reader's window; a zoomed view
// stays zoomed, centred on that point; and back in axial the reader is on
// the slice they left.
func TestViewerPlanesKeepThePlace(t *testing.T) {
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, shareddata.File(t, "ct-totalseg-native"))
	v := vw.viewport
	axial := v.Series()
	vw.win.Canvas().OnTypedRune()('3') // soft tissue
	want, _ := v.Window()
	v.SetSlice(6)
	settle(t, v)
	const col, row = 300, 280 // in the vertebral body's neighbourhood
	v.hovering, v.cursor = true, v.xf.ToView(col+0.5, row+0.5)
	axialValue := v.sliceFrame().Stored(row*axial.Cols() + col)
	for _, plane := range []string{"coronal", "sagittal"} {
		vw.showPlane(plane)
		waitFor(t, plane, 10*time.Second, func() bool { return v.Series().Geometry.Plane() == plane })
		settle(t, v)
		s := v.Series()
		p := axial.Geometry.VoxelToPatient(col, row, 6)
		c, r, k := s.Geometry.PatientToVoxel(p)
		if v.Slice() != int(math.Round(k)) {
			t.Errorf("%s: slice %d, want %d (the one through the point)", plane, v.Slice(), int(math.Round(k)))
		}
		f := v.sliceFrame()
		if got := f.Stored(int(math.Round(r))*s.Cols() + int(math.Round(c))); got != axialValue {
			t.Errorf("%s: the point reads %d, the axial voxel %d", plane, got, axialValue)
		}
		if w, _ := v.Window(); w != want {
			t.Errorf("%s: window %v, want the reader's %v", plane, w, want)
		}
		v.hovering, v.cursor = true, v.xf.ToView(c+0.5, r+0.5)
	}
	// Zoomed in about the point: back in axial, on the slice left, with
	// the zoom kept and the point centred.
	v.ZoomAbout(v.cursor, 2)
	zoom := v.Zoom()
	vw.showPlane("axial")
	if v.Series() != axial || v.Slice() != 6 {
		t.Fatalf("back in axial on slice %d of %p, want slice 6 of the axial series", v.Slice(), v.Series())
	}
	if v.Zoom() != zoom {
		t.Errorf("zoom %v, want %v kept", v.Zoom(), zoom)
	}
	if !near(v.xf.CX, col+0.5, 0.5) || !near(v.xf.CY, row+0.5, 0.5) {
		t.Errorf("centred on (%v, %v), want the point (%v, %v)", v.xf.CX, v.xf.CY, col+0.5, row+0.5)
	}
	// Not hovering: the view's centre is the place.
	v.hovering = false
	vw.showPlane("coronal")
	waitFor(t, "coronal", 10*time.Second, func() bool { return v.Series().Geometry.Plane() == "coronal" })
	_, _, k := v.Series().Geometry.PatientToVoxel(axial.Geometry.VoxelToPatient(col, row, 6))
	if v.Slice() != int(math.Round(k)) {
		t.Errorf("coronal from the centre: slice %d, want %d", v.Slice(), int(math.Round(k)))
	}
}
