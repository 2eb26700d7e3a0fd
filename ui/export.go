package ui

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

// exportSnapshot is the view to export, captured on the UI goroutine so
// that the export can run off it while the user carries on.
type exportSnapshot struct {
	store    *frameStore
	params   viewParams
	info     overlayInfo // annotations; ShowPHI decides the patient lines
	measures []measurement
	spacing  [2]float64
	source   dicomio.SpacingSource // where spacing holds, for length labels
	unit     string                // of the modality values, for region labels
}

// snapshot captures the viewport for export; withPHI says whether the
// patient lines are burned in.
func (v *Viewport) snapshot(withPHI bool) exportSnapshot {
	info := v.overlayInfo()
	info.Cursor = nil
	info.Status = ""
	info.ShowPHI = withPHI
	var ms []measurement
	for _, m := range v.measures {
		if m.Slice == v.slice {
			ms = append(ms, m)
		}
	}
	p := v.params()
	return exportSnapshot{store: v.store, params: p, info: info, measures: ms, spacing: v.spacing(), source: v.spacingSource(), unit: v.valueUnit()}
}

// exportImage renders the snapshot as the viewer shows it, with the
// annotations burned in through package render: measurements, corner
// text (patient data only when snap.info.ShowPHI), the overlay's colour
// bar, and the research-use mark last, over everything. Off the UI
// goroutine.
func exportImage(snap exportSnapshot) (*image.RGBA, error) {
	if snap.store == nil {
		return nil, errors.New("no image to export")
	}
	f, slabErr, err := viewFrame(context.Background(), snap.store, snap.params, nil)
	if err != nil {
		return nil, err
	}
	if slabErr != nil { // the slice alone, as the view shows it
		snap.params.slab = slabView{}
		snap.info.Slab = "no slab: " + shortError(slabErr)
	}
	// Region statistics read the slice itself, as on screen (sliceFrame).
	slice := f
	if snap.params.slab.active() {
		if slice, err = snap.store.get(context.Background(), snap.params.slice); err != nil {
			return nil, err
		}
	}
	w, h := viewImageSize(snap.params)
	if w <= 0 || h <= 0 {
		return nil, errors.New("the view has no size")
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var fr frameRenderer
	fr.renderView(img, f, snap.params)
	s := float64(snap.params.pixScale)
	if s <= 0 {
		s = 1
	}
	toPx := func(x, y float64) (int, int) {
		p := snap.params.xf.ToView(x, y)
		return int(math.Round(float64(p.X) * s)), int(math.Round(float64(p.Y) * s))
	}

	for _, m := range snap.measures {
		c := m.colour()
		x0, y0 := toPx(m.X0, m.Y0)
		x1, y1 := toPx(m.X1, m.Y1)
		if m.Ellipse {
			render.DrawEllipse(img, float64(x0+x1)/2, float64(y0+y1)/2, math.Abs(float64(x1-x0))/2, math.Abs(float64(y1-y0))/2, c)
			text := m.regionLabel(slice, snap.unit, snap.spacing, snap.source)
			at := regionLabelAt(fyne.NewPos(float32(min(x0, x1)), float32(min(y0, y1))), fyne.NewPos(float32(max(x0, x1)), float32(max(y0, y1))),
				float32(render.TextWidth(text)), render.LineHeight, float32(w))
			labelText(img, int(at.X), int(at.Y), text, c)
			continue
		}
		render.DrawLine(img, x0, y0, x1, y1, c)
		if m.Arrow {
			tail, head := fyne.NewPos(float32(x0), float32(y0)), fyne.NewPos(float32(x1), float32(y1))
			for _, sg := range arrowHead(tail, head, arrowHeadSize*s) {
				render.DrawLine(img, x1, y1, int(math.Round(float64(sg[1].X))), int(math.Round(float64(sg[1].Y))), c)
			}
			if m.Text != "" {
				at := arrowLabelAt(tail, head, float32(render.TextWidth(m.Text)), render.LineHeight, float32(w))
				labelText(img, int(at.X), int(at.Y), m.Text, c)
			}
			continue
		}
		if m.Angle {
			x2, y2 := toPx(m.X2, m.Y2)
			render.DrawLine(img, x1, y1, x2, y2, c)
		}
		labelText(img, x1+6, y1-render.LineHeight/2, m.labelAt(snap.spacing, snap.source), c)
	}

	tl, tr, bl, br := cornerText(snap.info)
	const pad, lh = 6, render.LineHeight + 2
	markH := render.LineHeight + 8
	textWidth := func(t string) float32 { return float32(render.TextWidth(t)) }
	markRight := float32(render.ResearchMarkBox(img.Rect).Max.X)
	br = clearOfMark(br, textWidth, float32(w), pad, markRight)
	for i, t := range tl {
		labelText(img, pad, pad+i*lh, t, color.White)
	}
	for i, t := range tr {
		labelText(img, w-pad-render.TextWidth(t), pad+i*lh, t, color.White)
	}
	for i, t := range bl {
		labelText(img, pad, h-pad-markH-(len(bl)-i)*lh, t, color.White)
	}
	for i, t := range br {
		labelText(img, w-pad-render.TextWidth(t), h-pad-(len(br)-i)*lh, t, color.White)
	}

	barTop := float32(0)
	if snap.params.overlay.active(f.Rows, f.Cols) {
		barTop = float32((h - int(colourBarH*s)) / 2)
	}
	edges := snap.info.Edges
	at := edgePositions(edges, edgeLayout{
		Width: float32(w), Height: float32(h), Corners: [4][]string{tl, tr, bl, br},
		TextWidth: textWidth, LineHeight: lh, Pad: pad,
		MarkRight: markRight, MarkHeight: float32(markH), BarTop: barTop,
	})
	for i, t := range edges {
		if t != "" {
			labelText(img, int(at[i].X), int(at[i].Y), t, color.White)
		}
	}

	if o := snap.params.overlay; o.active(f.Rows, f.Cols) {
		bw, bh := int(colourBarW*s), int(colourBarH*s)
		bar := render.ColorBar(o.Map, bw, bh, o.Threshold)
		x, y := w-pad-bw, (h-bh)/2
		draw.Draw(img, image.Rect(x, y, x+bw, y+bh), bar, image.Point{}, draw.Src)
		for _, l := range colourBarLabels(float32(y), float32(bh), o.Threshold, render.LineHeight) {
			labelText(img, x-4-render.TextWidth(l.Text), int(l.Y)-render.LineHeight/2, l.Text, color.White)
		}
	}
	render.StampResearchMark(img)
	return img, nil
}

// labelText draws s with a one-pixel black outline so it reads on any
// image.
func labelText(img *image.RGBA, x, y int, s string, c color.Color) {
	for _, d := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}, {1, 1}} {
		render.DrawText(img, x+d[0], y+d[1], s, color.Black)
	}
	render.DrawText(img, x, y, s, c)
}

// exportPNG asks where to save the view as a PNG, confirming first when
// patient data is shown (it is left out unless the user agrees), and
// writes it atomically in the background.
func (vw *Viewer) exportPNG() {
	if vw.viewport.Series() == nil {
		vw.status.SetMessage("Nothing to export: open a study first")
		return
	}
	if !vw.showPHI {
		vw.chooseExportPath(false)
		return
	}
	dialog.ShowConfirm("Export with patient data?",
		"Patient data is shown. Burn the patient's name, ID and dates into the PNG?\n"+
			"Choose No to export a de-identified image.",
		func(yes bool) { vw.chooseExportPath(yes) }, vw.win)
}

func (vw *Viewer) chooseExportPath(withPHI bool) {
	snaps := []exportSnapshot{vw.viewport.snapshot(withPHI)}
	if c := vw.compare; c != nil { // the comparison beside it, as on screen
		snaps = append(snaps, c.vp.snapshot(withPHI))
	}
	vw.chooseSavePath("Export PNG", exportName(vw.viewport), ".png", func(path string) { vw.writeExport(snaps, path) })
}

// chooseSavePath asks where to save a file of extension ext (".png"),
// suggesting name, and calls write with the path, ext added when the user
// left it off. The dialog creates the file it returns, but every writer
// here writes atomically through its own temporary file: the file is
// closed at once, and removed when empty and the write goes elsewhere.
func (vw *Viewer) chooseSavePath(title, name, ext string, write func(path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			vw.showError(title, err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		if !strings.EqualFold(filepath.Ext(path), ext) {
			if st, err := os.Stat(path); err == nil && st.Size() == 0 {
				os.Remove(path)
			}
			path += ext
		}
		write(path)
	}, vw.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// exportImages renders each snapshot (exportImage) and puts them side by
// side, left to right, on black, separated by a gap: the main view and
// its comparison as the reader sees them.
func exportImages(snaps []exportSnapshot) (*image.RGBA, error) {
	const gap = 4
	var imgs []*image.RGBA
	w, h := 0, 0
	for _, s := range snaps {
		img, err := exportImage(s)
		if err != nil {
			return nil, err
		}
		if len(imgs) > 0 {
			w += gap
		}
		imgs = append(imgs, img)
		w += img.Rect.Dx()
		h = max(h, img.Rect.Dy())
	}
	if len(imgs) == 1 {
		return imgs[0], nil
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	clearRGBA(out)
	x := 0
	for _, img := range imgs {
		draw.Draw(out, image.Rect(x, 0, x+img.Rect.Dx(), img.Rect.Dy()), img, image.Point{}, draw.Src)
		x += img.Rect.Dx() + gap
	}
	return out, nil
}

// writeExport renders and writes snaps (the main view, and the comparison
// when there is one) to path in the background.
func (vw *Viewer) writeExport(snaps []exportSnapshot, path string) {
	t := vw.status.begin("Exporting PNG", nil)
	go func() {
		img, err := exportImages(snaps)
		if err == nil {
			err = render.WritePNG(path, img)
		}
		if err != nil {
			t.finish("Export failed")
			doOnUI(func() { vw.showError("Export PNG", err) })
			return
		}
		t.finish("Exported " + filepath.Base(path))
	}()
}

// exportName suggests a file name without patient data: series number
// and slice.
func exportName(v *Viewport) string {
	s := v.Series()
	if s == nil {
		return "myeloview.png"
	}
	return "myeloview-series" + strconv.Itoa(s.Number) + "-slice" + strconv.Itoa(v.Slice()+1) + ".png"
}
