package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"fyne.io/fyne/v2/dialog"

	"github.com/myeloview/myeloview/render"
)

// snapshotsOfSeries captures the view of every slice of the series on
// screen as it would be exported from that slice: the window, overlay,
// slab (centred on each slice), turn, zoom and each slice's own
// measurements and corner text. UI goroutine; the slice on screen is left
// as it was.
func (v *Viewport) snapshotsOfSeries(withPHI bool) []exportSnapshot {
	if v.series == nil {
		return nil
	}
	shown := v.slice
	defer func() { v.slice = shown }()
	snaps := make([]exportSnapshot, len(v.series.Frames))
	for k := range snaps {
		v.slice = k
		snaps[k] = v.snapshot(withPHI)
	}
	return snaps
}

// seriesExportName is the file name of slice k (from 0) of a series
// export: series number and slice, no patient data; numbered so that the
// files sort in slice order.
func seriesExportName(series, k, n int) string {
	digits := max(len(strconv.Itoa(n)), 3)
	return fmt.Sprintf("myeloview-series%d-slice%0*d.png", series, digits, k+1)
}

// exportSeries asks for a folder and writes every slice of the series on
// screen there as a PNG, as File → Export PNG writes one (patient data
// left out unless the user agrees), in the background with progress and
// Cancel. Each file is written atomically; files already there are
// replaced only under the same names.
func (vw *Viewer) exportSeries() {
	v := vw.viewport
	if v.Series() == nil {
		vw.status.SetMessage("Nothing to export: open a study first")
		return
	}
	choose := func(withPHI bool) {
		snaps := v.snapshotsOfSeries(withPHI)
		number := v.Series().Number
		vw.chooseFolder("Export all slices as PNGs into", func(dir string) { vw.writeSeriesExport(snaps, number, dir) }).Show()
	}
	if !vw.showPHI {
		choose(false)
		return
	}
	dialog.ShowConfirm("Export with patient data?",
		"Patient data is shown. Burn the patient's name, ID and dates into every PNG?\n"+
			"Choose No to export de-identified images.", choose, vw.win)
}

// writeSeriesExport renders and writes snaps into dir in the background.
func (vw *Viewer) writeSeriesExport(snaps []exportSnapshot, series int, dir string) {
	ctx, cancel := context.WithCancel(context.Background())
	t := vw.status.begin("Exporting slices", cancel)
	go func() {
		n, err := writeSeriesPNGs(ctx, snaps, series, dir, func(done int) { t.report(done, len(snaps)) })
		switch {
		case errors.Is(err, context.Canceled):
			t.finish(fmt.Sprintf("Export cancelled after %d of %d slices", n, len(snaps)))
		case err != nil:
			t.finish("Export failed")
			doOnUI(func() { vw.showError("Export all slices", err) })
		default:
			t.finish(fmt.Sprintf("Exported %d slices into %s", n, filepath.Base(dir)))
		}
	}()
}

// writeSeriesPNGs writes one PNG per snapshot into dir (which must exist)
// and returns how many it wrote; it stops at the first error or when ctx
// ends (context.Canceled). progress, if set, is called after each file.
func writeSeriesPNGs(ctx context.Context, snaps []exportSnapshot, series int, dir string, progress func(done int)) (int, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return 0, fmt.Errorf("%s: not a folder", dir)
	}
	for k, snap := range snaps {
		if ctx.Err() != nil {
			return k, context.Canceled
		}
		img, err := exportImage(snap)
		if err == nil {
			err = render.WritePNG(filepath.Join(dir, seriesExportName(series, k, len(snaps))), img)
		}
		if err != nil {
			return k, fmt.Errorf("slice %d: %w", k+1, err)
		}
		if progress != nil {
			progress(k + 1)
		}
	}
	return len(snaps), nil
}
