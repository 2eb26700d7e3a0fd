package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
)

// comparison is a second viewport beside the main one, showing another
// series of the catalogue (the prior study of a follow-up, another
// reconstruction) that follows the main view: it shows its slice nearest
// the main slice's position, shifted by an offset the reader sets by
// scrolling the comparison itself (two studies rarely start at the same
// table position), takes the main view's window when the main view has
// one of its own choosing and its thick slab, and shows its own series'
// heatmap, when the reader has analysed it, with the main view's overlay
// settings. A comparison cut in another plane (a
// localizer, a sagittal series) instead shows a line where the main
// slice cuts it. Zoom, pan and the tools work in each view
// separately; the keyboard drives the main view. UI goroutine.
type comparison struct {
	vp     *Viewport
	series *dicomio.Series
	store  *frameStore
	cancel func()
	// offset (mm, along the main stack's normal) from the main slice's
	// position to the comparison slice's, for the main series main (a new
	// main series starts from initialOffset again).
	offset float64
	main   *dicomio.Series
	// lastSlice is the comparison's slice as follow left it: a change
	// from it is the reader's own scrolling, not zoom, pan or window.
	lastSlice int
	syncing   bool // the comparison is being moved by follow, not by the reader
	note      string
	// resultOf is the analysis of a series, if the reader ran one: the
	// comparison shows its own series' heatmap with the main view's
	// overlay settings.
	resultOf func(*dicomio.Series) *inference.Result
}

// follow moves the comparison to the main view's place and window.
func (c *comparison) follow(main *Viewport) {
	if c == nil || c.series == nil {
		return
	}
	c.syncing = true
	defer func() { c.syncing = false }()
	s := main.Series()
	c.note = ""
	if s == nil {
		return
	}
	if s != c.main {
		c.main, c.offset = s, initialOffset(s, c.series)
	}
	switch {
	case !parallelStacks(s, c.series):
		// Crossing planes (a localizer, another plane): the comparison
		// shows where the main slice cuts it.
		c.note = "the line shows where the main slice cuts it"
		var line *[4]float64
		if g, cg := &s.Geometry, &c.series.Geometry; g.Known && cg.Known && main.Slice() < len(g.Origins) {
			if c0, r0, c1, r1, ok := cg.PlaneCut(c.vp.Slice(), g.Origins[main.Slice()], g.Normal); ok {
				line = &[4]float64{c0 + 0.5, r0 + 0.5, c1 + 0.5, r1 + 0.5} // voxel centres at c + 0.5 on screen
			}
		}
		c.vp.SetReferenceLine(line)
	default:
		c.vp.SetReferenceLine(nil)
		g := &s.Geometry
		target := g.Origins[main.Slice()].Add(g.Normal.Normalized().Scale(c.offset))
		if k, _ := c.series.Geometry.NearestSlice(target); k >= 0 && k != c.vp.Slice() {
			c.vp.SetSlice(k)
		}
	}
	c.lastSlice = c.vp.Slice()
	if w, ok := main.Window(); ok && main.mode == windowExplicit && strings.EqualFold(s.Modality, c.series.Modality) {
		if cw, _ := c.vp.Window(); cw != w {
			c.vp.SetWindow(w, main.WindowLabel())
		}
	}
	if mode, mm := main.Slab(); mode != c.vp.slabMode || mm != c.vp.slabMM {
		c.vp.SetSlab(mode, mm) // the same thickness in mm: slice counts follow each series' spacing
	}
	o := main.Overlay()
	o.Result = nil
	if c.resultOf != nil {
		o.Result = c.resultOf(c.series)
	}
	if co := c.vp.Overlay(); co.Result != o.Result || co.Visible != o.Visible || co.Opacity != o.Opacity ||
		co.Threshold != o.Threshold || co.Contours != o.Contours || co.Map.Name != o.Map.Name {
		c.vp.SetOverlay(o)
	}
}

// scrolled takes the reader's own move of the comparison as the new
// offset between the two series.
func (c *comparison) scrolled(main *Viewport) {
	if c == nil || c.series == nil || main.Series() == nil || !parallelStacks(main.Series(), c.series) {
		return
	}
	g := &main.Series().Geometry
	k := c.vp.Slice()
	if k < 0 || k >= len(c.series.Geometry.Origins) {
		return
	}
	c.offset = c.series.Geometry.Origins[k].Sub(g.Origins[main.Slice()]).Dot(g.Normal.Normalized())
}

// initialOffset is the offset a comparison of b with a starts at (see
// comparison.offset): 0 when they share a frame of reference (PS3.3
// C.7.4.1: the same patient coordinates), else the distance between the
// stacks' centres, since two studies' table positions differ arbitrarily.
func initialOffset(a, b *dicomio.Series) float64 {
	if a == nil || b == nil || !parallelStacks(a, b) {
		return 0
	}
	if fa, fb := frameOfReference(a), frameOfReference(b); fa != "" && fa == fb {
		return 0
	}
	n := a.Geometry.Normal.Normalized()
	centre := func(g *dicomio.Geometry) float64 {
		return (g.Origins[0].Dot(n) + g.Origins[len(g.Origins)-1].Dot(n)) / 2
	}
	return centre(&b.Geometry) - centre(&a.Geometry)
}

// frameOfReference is the Frame of Reference UID of s's first instance.
func frameOfReference(s *dicomio.Series) string {
	if len(s.Frames) == 0 || s.Frames[0].Instance == nil {
		return ""
	}
	return s.Frames[0].Instance.FrameOfReference
}

// parallelStacks reports two series whose slices are parallel planes with
// known positions, so that positions along one's normal place the other's
// slices.
func parallelStacks(a, b *dicomio.Series) bool {
	if a == nil || b == nil {
		return false
	}
	ga, gb := &a.Geometry, &b.Geometry
	if !ga.Known || !gb.Known || len(ga.Origins) != len(a.Frames) || len(gb.Origins) != len(b.Frames) || len(ga.Origins) == 0 || len(gb.Origins) == 0 {
		return false
	}
	return math.Abs(ga.Normal.Normalized().Dot(gb.Normal.Normalized())) > 0.99
}

// compareWith shows s beside the main view, loading its frames in the
// background, and keeps it in step with the main view.
func (vw *Viewer) compareWith(s *dicomio.Series) { vw.showComparison(s, nil) }

// showComparison is compareWith for a series whose frames are given
// (decoded already, or built in memory), or read from its files when
// frames is nil.
func (vw *Viewer) showComparison(s *dicomio.Series, frames []*dicomio.Frame) {
	vw.closeComparison()
	if s == nil {
		return
	}
	c := &comparison{vp: NewViewport(), series: s, resultOf: func(s *dicomio.Series) *inference.Result { return vw.analysis.results[s] }}
	first := len(s.Frames) / 2
	if frames != nil {
		c.store = newFrameStoreWith(s, frames)
	} else {
		c.store = newFrameStore(s)
		c.store.startLoading(first)
	}
	c.vp.calibrations = vw.viewport.calibrations // a calibrated series reads the same beside the main view
	c.vp.SetSeries(s, c.store, first)
	if pg, st := vw.contextOf(s); pg != nil {
		c.vp.SetContext(pg.Patient, st)
	}
	c.vp.SetShowPatientData(vw.showPHI)
	c.vp.OnChanged = func() {
		if c.syncing || c.vp.Slice() == c.lastSlice {
			return // follow's own move, or zoom, pan, window: the offset stays
		}
		c.lastSlice = c.vp.Slice()
		c.scrolled(vw.viewport)
		if !parallelStacks(vw.viewport.Series(), s) {
			c.follow(vw.viewport) // the reference line on the slice now shown
		}
	}
	if frames == nil {
		c.cancel = vw.loadInBackground(s, c.store, first, "Loading the comparison")
	}
	vw.compare = c
	c.vp.SetOverlayPlanes(vw.viewport.OverlayPlanes())
	vw.showSegmentations(s) // the comparison's too, from the same cache
	vw.centre.Leading = container.NewGridWithColumns(2, vw.viewport, c.vp)
	vw.centre.Refresh()
	// Start in step (follow sets the offset for the main series: see
	// initialOffset); the reader shifts the comparison by scrolling it.
	c.follow(vw.viewport)
	msg := "Comparing with " + s.Label() + ": scroll it to align, the main view leads (B closes)"
	if c.note != "" {
		msg = "Comparing with " + s.Label() + ": " + c.note
	}
	vw.status.SetMessage(msg)
}

// closeComparison removes the comparison view, if any.
func (vw *Viewer) closeComparison() {
	c := vw.compare
	if c == nil {
		return
	}
	if c.cancel != nil {
		c.cancel()
	}
	c.vp.Close()
	vw.compare = nil
	if vw.centre != nil {
		vw.centre.Leading = vw.viewport
		vw.centre.Refresh()
	}
}

// toggleComparison closes the comparison, or asks which series to compare
// the main view with (B).
func (vw *Viewer) toggleComparison() {
	if vw.compare != nil {
		vw.closeComparison()
		vw.status.SetMessage("Comparison closed")
		return
	}
	main := vw.viewport.Series()
	var others []*dicomio.Series
	if vw.catalog != nil {
		for _, s := range vw.catalog.AllSeries() {
			if s != main && (vw.reformat == nil || s != vw.reformat.axial) {
				others = append(others, s)
			}
		}
	}
	if main == nil || len(others) == 0 {
		vw.status.SetMessage("Nothing to compare with: open a study with another series (a prior study's folder too)")
		return
	}
	labels := make([]string, len(others))
	for i, s := range others {
		labels[i] = vw.comparisonLabel(s, i)
	}
	choice := newSubmitSelect(labels)
	choice.SetSelectedIndex(0)
	d := dialog.NewCustomConfirm("Compare with", "Compare", "Cancel", choice, func(ok bool) {
		if i := choice.SelectedIndex(); ok && i >= 0 {
			vw.compareWith(others[i])
		}
		vw.refocus()
	}, vw.win)
	choice.onSubmit, choice.onEscape = d.Confirm, d.Hide
	d.Resize(fyne.NewSize(480, d.MinSize().Height))
	d.Show()
	vw.win.Canvas().Focus(choice)
	vw.comparePrompt = d
}

// submitSelect is a drop-down whose Enter confirms the dialog it is in
// and Esc dismisses it (arrows change the choice, as in widget.Select).
type submitSelect struct {
	widget.Select
	onSubmit, onEscape func()
}

func newSubmitSelect(options []string) *submitSelect {
	s := &submitSelect{}
	s.Options = options
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey confirms on Enter, else acts as widget.Select does.
func (s *submitSelect) TypedKey(ev *fyne.KeyEvent) {
	switch {
	case (ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter) && s.onSubmit != nil:
		s.onSubmit()
		return
	case ev.Name == fyne.KeyEscape && s.onEscape != nil:
		s.onEscape()
		return
	}
	s.Select.TypedKey(ev)
}

// comparisonLabel names series s of the catalogue for the choice: its
// label, slices and study (its number in the catalogue; its date and
// description only when patient data are shown, as the corner text does).
func (vw *Viewer) comparisonLabel(s *dicomio.Series, i int) string {
	label := fmt.Sprintf("%d. %s · %s", i+1, s.Label(), plural(len(s.Frames), "slice"))
	n := 0
	for _, p := range vw.catalog.Patients {
		for _, st := range p.Studies {
			n++
			if !slices.Contains(st.Series, s) {
				continue
			}
			label += fmt.Sprintf(" · study %d", n)
			if vw.showPHI {
				if d := formatDA(st.Date); d != "" {
					label += " of " + d
				}
				if st.Description != "" {
					label += ", " + st.Description
				}
			}
		}
	}
	return label
}
