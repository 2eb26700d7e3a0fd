package ui

import (
	"strings"

	"github.com/myeloview/myeloview/dicomio"
)

// reformatView is the state of a coronal or sagittal view: the plane and
// the axial series it was cut from (whose store, vw.store, stays loaded).
type reformatView struct {
	plane string
	axial *dicomio.Series
}

// showPlane shows the series on screen in plane ("axial", "coronal" or
// "sagittal"). Reformats are cut from the axial slices once all are
// loaded, off the UI goroutine; the lesion overlay and the model stay with
// the axial slices.
func (vw *Viewer) showPlane(plane string) {
	axial := vw.viewport.Series()
	if vw.reformat != nil {
		axial = vw.reformat.axial
	}
	if axial == nil || vw.store == nil {
		vw.status.SetMessage("Open a series first")
		return
	}
	if plane == "axial" {
		if vw.reformat != nil {
			vw.reformat = nil
			vw.viewport.SetSeries(axial, vw.store, len(axial.Frames)/2)
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
	go func() {
		s, frames, err := dicomio.Reformat(axial, vol.Frames, plane)
		doOnUI(func() {
			if vw.store != store || vw.viewport.Series() == nil {
				return // another series was opened meanwhile
			}
			if err != nil {
				vw.showError("Reformat", err)
				return
			}
			vw.reformat = &reformatView{plane: plane, axial: axial}
			vw.cine.Pause()
			vw.viewport.SetSeries(s, newFrameStoreWith(s, frames), len(frames)/2)
			vw.analysis.seriesChanged(s)
			vw.updateTitle()
			vw.status.SetMessage(strings.ToUpper(plane[:1]) + plane[1:] + " reformat (View → Axial to go back)")
		})
	}()
}
