package ui

import (
	"strings"
	"testing"
	"time"
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
}
