package ui

import (
	"strings"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
)

// reformatView is the state of a coronal or sagittal view: the plane, the
// axial series it was cut from (whose store, vw.store, stays loaded) and
// the reformatted series on screen.
type reformatView struct {
	plane    string
	axial    *dicomio.Series
	reformat *dicomio.Series
	cut      *dicomio.Reformatting // carries the axial slices' masks into the reformat
}

// showPlane shows the series on screen in plane ("axial", "coronal" or
// "sagittal"). Reformats are cut from the axial slices once all are
// loaded, off the UI goroutine. The lesion overlay follows (its maps are
// reformatted too); the model runs, and the findings list lives, on the
// axial slices. The reader keeps their place (viewPlace): the new plane
// shows the slice through the point under the pointer (else at the
// view's centre), with the same window.
func (vw *Viewer) showPlane(plane string) {
	axial := vw.viewport.Series()
	if vw.reformat != nil {
		axial = vw.reformat.axial
	}
	if axial == nil || vw.store == nil {
		vw.status.SetMessage("Open a series first")
		return
	}
	place := vw.viewport.place()
	if plane == "axial" {
		if vw.reformat != nil {
			vw.leaveReformat()
			vw.viewport.SetSeries(axial, vw.store, len(axial.Frames)/2)
			vw.showSegmentations(axial)
			vw.viewport.goTo(place)
			vw.analysis.seriesChanged(axial)
			vw.updateTitle()
		}
		return
	}
	if vw.reformat != nil && vw.reformat.plane == plane {
		return
	}
	vol := vw.store.volume()
	if vol == nil {
		vw.status.SetMessage("The slices are still loading; reformat when they are all loaded")
		return
	}
	store := vw.store
	res := vw.analysis.results[axial] // immutable once made
	go func() {
		s, frames, rf, err := dicomio.Reformat(axial, vol.Frames, plane)
		var overlay *inference.Result
		if err == nil && res != nil {
			overlay = reformatResult(res, s, rf)
		}
		doOnUI(func() {
			if vw.store != store || vw.viewport.Series() == nil {
				return // another series was opened meanwhile
			}
			if err != nil {
				vw.showError("Reformat", err)
				return
			}
			vw.leaveReformat()
			vw.reformat = &reformatView{plane: plane, axial: axial, reformat: s, cut: rf}
			if overlay != nil {
				vw.analysis.results[s] = overlay
			}
			vw.cine.Pause()
			vw.viewport.SetSeries(s, newFrameStoreWith(s, frames), len(frames)/2)
			vw.viewport.goTo(place)
			vw.showSegmentations(axial) // cut for the reformat when read
			vw.analysis.seriesChanged(s)
			vw.updateTitle()
			vw.status.SetMessage(strings.ToUpper(plane[:1]) + plane[1:] + " reformat (View → Axial to go back)")
		})
	}()
}

// leaveReformat forgets the reformat on screen, if any, and its overlay.
func (vw *Viewer) leaveReformat() {
	if vw.reformat != nil {
		delete(vw.analysis.results, vw.reformat.reformat)
		vw.reformat = nil
	}
}

// reformatResult is the axial analysis res seen in reformat s: its
// probability maps cut like the frames, without findings (they are
// measured on the axial slices).
func reformatResult(res *inference.Result, s *dicomio.Series, rf *dicomio.Reformatting) *inference.Result {
	maps := rf.Bytes(res.Maps)
	if maps == nil {
		return nil
	}
	return &inference.Result{SeriesUID: res.SeriesUID, Provider: res.Provider, RuntimeVersion: res.RuntimeVersion,
		Model: res.Model, Threshold: res.Threshold, MinLesionMM: res.MinLesionMM, Cached: res.Cached,
		Slices: len(s.Frames), Rows: s.Rows(), Cols: s.Cols(), Maps: maps, Warnings: res.Warnings}
}

// cyclePlane shows the next plane: axial, coronal, sagittal, axial (V).
func (vw *Viewer) cyclePlane() {
	switch {
	case vw.reformat == nil:
		vw.showPlane("coronal")
	case vw.reformat.plane == "coronal":
		vw.showPlane("sagittal")
	default:
		vw.showPlane("axial")
	}
}
