package ui

import (
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

func TestSeriesDetail(t *testing.T) {
	axial := dicomio.Geometry{Rows: 512, Cols: 512, RowDir: dicomio.Vec3{1, 0, 0}, ColDir: dicomio.Vec3{0, 1, 0},
		Normal: dicomio.Vec3{0, 0, 1}, Known: true}
	coronal := axial
	coronal.ColDir, coronal.Normal = dicomio.Vec3{0, 0, -1}, dicomio.Vec3{0, 1, 0}
	frames := func(n int) []dicomio.FrameRef { return make([]dicomio.FrameRef, n) }
	scout := &dicomio.Instance{ImageType: []string{"ORIGINAL", "PRIMARY", "LOCALIZER"}}
	for _, tc := range []struct {
		name     string
		series   *dicomio.Series
		problems int
		want     string
	}{
		{"axial CT", &dicomio.Series{Modality: "CT", Geometry: axial, Frames: frames(120)}, 0, "CT · 120 slices · 512×512"},
		{"one slice, two problems", &dicomio.Series{Modality: "CT", Geometry: axial, Frames: frames(1)}, 2, "CT · 1 slice · 512×512 · 2 problems"},
		{"coronal reformat", &dicomio.Series{Modality: "CT", Geometry: coronal, Frames: frames(40)}, 1, "CT · coronal · 40 slices · 512×512 · 1 problem"},
		{"scout", &dicomio.Series{Modality: "CT", Geometry: coronal, Frames: frames(1), Instances: []*dicomio.Instance{scout}}, 0, "CT · scout · 1 slice · 512×512"},
		{"no modality, geometry unknown", &dicomio.Series{Frames: frames(3)}, 0, "? · 3 slices · 0×0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := seriesDetail(tc.series, tc.problems); got != tc.want {
				t.Errorf("seriesDetail = %q, want %q", got, tc.want)
			}
		})
	}
}
