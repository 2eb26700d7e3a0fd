package ui

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/internal/sampletest"
	"github.com/myeloview/myeloview/internal/segtest"
	"github.com/myeloview/myeloview/sample"
)

// TestViewerSegmentations: a DICOM Segmentation written beside a study
// (here report.WriteSEG's, a blob on slices 2–4) is drawn over the slices
// it lies on, in its segment's colour, on screen and in exports, is named
// in the corner text, hides with G, and stays away from other slices.
func TestViewerSegmentations(t *testing.T) {
	dir, s := studyWithSEG(t, 4)
	other, _ := studyWithSEG(t, 6) // another study, for the comparison view

	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, dir)
	v := vw.viewport
	if v.Series() == nil || v.Series().UID != s.UID {
		t.Fatalf("showing %+v, want the CT", v.Series())
	}
	waitFor(t, "the segmentation", 10*time.Second, func() bool { return len(v.segs) > 0 })
	c := segmentPalette[0] // our export recommends no colour
	colour := [4]uint8{c.R, c.G, c.B, c.A}
	v.SetSlice(3)
	settle(t, v)
	exported, err := exportImage(v.snapshot(false))
	if err != nil {
		t.Fatal(err)
	}
	if n, e := countColour(v.shown, colour), countColour(exported, colour); n == 0 || e == 0 {
		t.Fatalf("segment pixels on slice 4: %d in the view, %d in the export; want some in both", n, e)
	}
	if got := v.overlayInfo().Segments; got != "Segmentation: Finding 1 (G)" {
		t.Errorf("corner line %q", got)
	}
	vw.win.Canvas().OnTypedRune()('g')
	settle(t, v)
	if n, got := countColour(v.shown, colour), v.overlayInfo().Segments; n != 0 || !strings.Contains(got, "hidden") {
		t.Errorf("after G: %d segment pixels, corner line %q", n, got)
	}
	vw.win.Canvas().OnTypedRune()('g')
	v.SetSlice(8)
	settle(t, v)
	if n, got := countColour(v.shown, colour), v.overlayInfo().Segments; n != 0 || got != "" {
		t.Errorf("slice 9, no segment: %d segment pixels, corner line %q", n, got)
	}

	// Another study's series beside it (B): its own segmentation, read
	// now, reaches the comparison view.
	openAndWait(t, vw, dir, other)
	var first, second *dicomio.Series
	for _, x := range vw.catalog.AllSeries() {
		switch {
		case x.Modality != "CT":
		case x.UID == s.UID:
			first = x
		default:
			second = x
		}
	}
	if first == nil || second == nil {
		t.Fatal("the two studies' CT series are not both open")
	}
	if vw.viewport.Series() != first {
		vw.showSeries(first)
	}
	vw.compareWith(second)
	waitFor(t, "the comparison's segmentation", 10*time.Second, func() bool {
		return vw.compare != nil && vw.compare.vp.masksAt(3) != nil && vw.viewport.masksAt(3) != nil
	})
	if vw.compare.vp.masksAt(8) != nil || vw.compare.vp.Series() != second {
		t.Fatal("the comparison view has a segmentation on slice 9, or another series")
	}
	vw.win.Canvas().OnTypedRune()('g') // G hides them in both views
	if vw.viewport.OverlayPlanes() || vw.compare.vp.OverlayPlanes() || vw.compare.vp.masksAt(3) != nil {
		t.Error("G left the segmentation shown in a view")
	}
}

// studyWithSEG writes a 16-slice sample study (of seed) and beside it a
// segmentation of a blob on slices 2–4 (report.WriteSEG's, one segment).
func studyWithSEG(t *testing.T, seed int64) (string, *dicomio.Series) {
	t.Helper()
	dir, s := sampletest.Series(t, sample.Options{Slices: 16, Size: 64, Seed: seed})
	segtest.SEG(t, dir, "seg.dcm", s, segtest.Box{K0: 2, K1: 4, R0: 20, R1: 30, C0: 20, C1: 30})
	return dir, s
}

// TestReadSegmentationMasksMerges: two frames of one segment on one slice
// make one mask, the union of both; a segment the Segment Sequence does
// not describe gets a palette colour, not black.
func TestReadSegmentationMasksMerges(t *testing.T) {
	dir, s := sampletest.Series(t, sample.Options{Slices: 16, Size: 64, Seed: 5})
	// two blobs on slice 6, far apart: two findings
	_, findings := segtest.SEG(t, dir, "seg.dcm", s, segtest.Box{K0: 6, K1: 6, R0: 10, R1: 14, C0: 10, C1: 14},
		segtest.Box{K0: 6, K1: 6, R0: 10, R1: 14, C0: 40, C1: 44})
	if len(findings) != 2 {
		t.Fatalf("%d findings, want 2", len(findings))
	}
	path := dir + "/seg.dcm"
	inst, err := dicomio.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Both frames made segment 1's; segment 1 left undescribed.
	inst.Segmentation.FrameSegment = []int{1, 1}
	inst.Segmentation.Segments = inst.Segmentation.Segments[1:]
	bySlice, partial := readSegmentationMasks(context.Background(), s, []*dicomio.Instance{inst})
	sm := bySlice[6]
	if partial || len(bySlice) != 1 || sm == nil || len(sm.masks) != 1 {
		t.Fatalf("masks %+v (partial %v): want one mask on slice 7", bySlice, partial)
	}
	m := sm.masks[0]
	if !m.Bits.At(11, 11) || !m.Bits.At(11, 41) || m.Bits.At(11, 30) {
		t.Error("the merged mask is not the union of the two frames")
	}
	if m.Colour.A != 255 || m.Colour.R == 0 && m.Colour.G == 0 && m.Colour.B == 0 {
		t.Errorf("undescribed segment drawn in %v", m.Colour)
	}
}

// TestViewerSegmentationsOnReformat: in a coronal or sagittal reformat the
// segmentation is cut like the slices: a reformat voxel is inside the
// segment exactly when the axial voxel at the same patient position is,
// in the segment's colour and with its label in the corner text; back in
// axial the axial masks return.
func TestViewerSegmentationsOnReformat(t *testing.T) {
	dir, _ := studyWithSEG(t, 4)
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, dir)
	v := vw.viewport
	axial := v.Series()
	waitFor(t, "the segmentation", 10*time.Second, func() bool { return len(v.segs) > 0 })
	axialMasks := v.segs
	inside := func(k, r, c int) bool {
		sm := axialMasks[k]
		return sm != nil && sm.masks[0].Bits.At(r, c)
	}
	for _, plane := range []string{"coronal", "sagittal"} {
		vw.showPlane(plane)
		waitFor(t, plane+" masks", 10*time.Second, func() bool { return vw.reformat != nil && vw.reformat.plane == plane && len(v.segs) > 0 })
		s := v.Series()
		set := 0
		for k := range s.Frames {
			sm := v.segs[k]
			if sm != nil && (len(sm.masks) != 1 || sm.masks[0].Colour != segmentPalette[0] || len(sm.labels) != 1 || sm.labels[0] != "Finding 1") {
				t.Fatalf("%s frame %d: masks %+v, want one in the segment's colour and label", plane, k, sm)
			}
			for r := range s.Rows() {
				for c := range s.Cols() {
					ci, ri, si := axial.Geometry.PatientToVoxel(s.Geometry.VoxelToPatient(float64(c), float64(r), float64(k)))
					want := inside(int(math.Round(si)), int(math.Round(ri)), int(math.Round(ci)))
					if got := sm != nil && sm.masks[0].Bits.At(r, c); got != want {
						t.Fatalf("%s voxel (%d, %d, %d): inside %v, want %v as the axial voxel", plane, c, r, k, got, want)
					}
					if want {
						set++
					}
				}
			}
		}
		if set == 0 {
			t.Errorf("%s: the reformatted segmentation is empty", plane)
		}
		for k := range s.Frames {
			if v.segs[k] != nil {
				v.SetSlice(k)
				break
			}
		}
		if got := v.overlayInfo().Segments; got != "Segmentation: Finding 1 (G)" {
			t.Errorf("%s: corner line %q on frame %d", plane, got, v.Slice()+1)
		}
	}
	vw.showPlane("axial")
	waitFor(t, "the axial masks back", 10*time.Second, func() bool { return v.Series() == axial && v.masksAt(3) != nil })
}
