package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

// Defaults of the overlay controls.
const (
	defaultOpacity   = 0.45
	defaultThreshold = 0.5 // until a result gives the model's operating point
)

// overlayControls is the right-hand panel: the lesion overlay's settings
// (on/off, colour map, opacity, threshold, contours or filled, with a
// colour bar of the probability scale) above the findings list. UI
// goroutine only.
type overlayControls struct {
	a *analysisPanel

	visible   bool
	mapName   string
	opacity   float64
	threshold float64
	contours  bool

	show      *widget.Check
	maps      *widget.Select
	opacityS  *widget.Slider
	thrS      *widget.Slider
	thrLabel  *widget.Label
	contourC  *widget.Check
	bar       *canvas.Image
	summary   *widget.Label
	warnings  *widget.Label  // the analysis' warnings, in the warning colour; hidden when none
	markTool  *widget.Button // the lesion mark tool (J), highlighted while on
	list      *widget.List
	content   fyne.CanvasObject
	syncing   bool
	barMap    string
	barThresh float64
}

func newOverlayControls(a *analysisPanel) *overlayControls {
	o := &overlayControls{a: a, visible: true, mapName: render.Turbo.Name, opacity: defaultOpacity,
		threshold: defaultThreshold}
	o.show = widget.NewCheck("Show overlay (O)", func(b bool) {
		if !o.syncing && b != o.visible {
			a.ToggleOverlay()
			a.vw.refocus()
		}
	})
	var names []string
	for _, m := range render.ColorMaps() {
		names = append(names, m.Name)
	}
	o.maps = widget.NewSelect(names, func(s string) {
		if !o.syncing {
			o.mapName = s
			a.applyOverlay()
			o.sync()
			a.vw.refocus()
		}
	})
	o.opacityS = widget.NewSlider(0, 1)
	o.opacityS.Step = 0.05
	o.opacityS.OnChanged = func(f float64) {
		if !o.syncing {
			o.opacity = f
			a.applyOverlay()
		}
	}
	o.opacityS.OnChangeEnded = func(float64) { a.vw.refocus() }
	o.thrS = widget.NewSlider(0.01, 0.99)
	o.thrS.Step = 0.01
	o.thrLabel = widget.NewLabel("")
	o.thrS.OnChanged = func(f float64) {
		if !o.syncing {
			o.thrLabel.SetText(thresholdText(f))
			a.thresholdChanged(f)
		}
	}
	o.thrS.OnChangeEnded = func(float64) { a.vw.refocus() }
	o.contourC = widget.NewCheck("Contours (C)", func(b bool) {
		if !o.syncing && b != o.contours {
			a.ToggleContours()
			a.vw.refocus()
		}
	})
	o.bar = canvas.NewImageFromImage(nil)
	o.bar.FillMode = canvas.ImageFillStretch
	o.bar.ScaleMode = canvas.ImageScalePixels
	o.bar.SetMinSize(fyne.NewSize(200, 14))
	barLabels := container.NewBorder(nil, nil, small("0"), small("1"), container.NewCenter(small("lesion probability")))
	o.summary = widget.NewLabel("")
	o.summary.Wrapping = fyne.TextWrapWord
	o.warnings = widget.NewLabel("")
	o.warnings.Wrapping = fyne.TextWrapWord
	o.warnings.Importance = widget.WarningImportance
	o.warnings.Hide()

	o.list = widget.NewList(
		func() int { return len(a.findings) + len(a.marks) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, c fyne.CanvasObject) {
			switch {
			case i < len(a.findings):
				c.(*widget.Label).SetText(findingLabel(a.findings[i], a.verdict(a.findings[i])))
			case i < len(a.findings)+len(a.marks):
				c.(*widget.Label).SetText(markLabel(a.marks[i-len(a.findings)]))
			}
		})
	o.list.OnSelected = func(i widget.ListItemID) {
		if !o.syncing {
			if i < len(a.findings) {
				a.goTo(i)
			} else {
				a.goToMark(i - len(a.findings))
			}
			a.vw.refocus()
		}
	}
	prev := widget.NewButtonWithIcon("Prev (P)", theme.NavigateBackIcon(), func() { a.NextFinding(-1) })
	next := widget.NewButtonWithIcon("Next (N)", theme.NavigateNextIcon(), func() { a.NextFinding(1) })
	lesion := widget.NewButtonWithIcon("Lesion (Y)", theme.ConfirmIcon(), func() { a.Review(report.ReviewLesion); a.vw.refocus() })
	notLesion := widget.NewButtonWithIcon("Not (X)", theme.CancelIcon(), func() { a.Review(report.ReviewNotLesion); a.vw.refocus() })
	o.markTool = widget.NewButtonWithIcon("Mark a missed lesion (J)", LesionTool{}.Icon(), func() { a.vw.toggleLesion(); a.vw.refocus() })
	o.markTool.Importance = widget.LowImportance

	heading := func(s string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	form := container.NewVBox(
		heading("Lesion overlay"),
		o.show,
		container.NewBorder(nil, nil, widget.NewLabel("Colours"), nil, o.maps),
		container.NewBorder(nil, nil, widget.NewLabel("Opacity"), nil, o.opacityS),
		container.NewBorder(nil, nil, widget.NewLabel("Threshold"), o.thrLabel, o.thrS),
		o.contourC,
		o.bar, barLabels,
		widget.NewSeparator(),
		container.NewBorder(nil, nil, heading("Findings"), container.NewHBox(prev, next)),
		container.NewGridWithColumns(2, lesion, notLesion),
		o.markTool,
	)
	mark := canvas.NewText(render.ResearchMark, color.NRGBA{R: 255, G: 200, B: 80, A: 255})
	mark.TextSize = 11
	o.content = container.NewBorder(form, container.NewVBox(o.summary, o.warnings, mark), nil, nil, o.list)
	o.sync()
	return o
}

// syncTool highlights the lesion mark button while its tool is on: cheap,
// for every change of the viewport.
func (o *overlayControls) syncTool() {
	_, on := o.a.vw.viewport.Tool().(LesionTool)
	setActive(o.markTool, on)
}

// small is a caption-sized label.
func small(s string) fyne.CanvasObject {
	t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	t.TextSize = 11
	return t
}

func thresholdText(t float64) string { return fmt.Sprintf("p ≥ %.2f", t) }

// sync shows the settings, the findings and the model status.
func (o *overlayControls) sync() {
	o.syncing = true
	defer func() { o.syncing = false }()
	a := o.a
	res := a.current()
	o.show.SetChecked(o.visible)
	o.maps.SetSelected(o.mapName)
	o.opacityS.SetValue(o.opacity)
	o.thrS.SetValue(o.threshold)
	o.thrLabel.SetText(thresholdText(o.threshold))
	o.contourC.SetChecked(o.contours)
	if o.barMap != o.mapName || o.barThresh != o.threshold || o.bar.Image == nil {
		m, ok := render.ColorMapByName(o.mapName)
		if !ok {
			m = render.Turbo
		}
		o.bar.Image = render.ColorBar(m, 256, 14, o.threshold)
		o.barMap, o.barThresh = o.mapName, o.threshold
		o.bar.Refresh()
	}
	for _, w := range []fyne.Disableable{o.show, o.maps, o.opacityS, o.thrS, o.contourC} {
		if res == nil {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	a.marks = nil
	if res != nil && a.vw.reformat == nil {
		a.marks = a.readerMarks()
	}
	switch {
	case res != nil && a.vw.reformat != nil:
		o.summary.SetText("Heatmap of the axial analysis. Findings are on the axial slices (View → Axial).")
	case res != nil:
		var rc readingCounts
		rc.lesions, rc.notLesions = a.reviewCounts()
		rc.marked, rc.markedFound = a.markCounts()
		o.summary.SetText(findingsSummary(len(a.findings), o.threshold, res.Threshold, rc))
	case a.running != nil:
		o.summary.SetText("Analysing…")
	case a.vw.viewport.Series() == nil:
		o.summary.SetText("")
	default:
		o.summary.SetText("Not analysed. Press R or Run model.")
	}
	var warnings []string
	if res != nil {
		warnings = res.Warnings
	}
	o.warnings.SetText(warningsText(warnings))
	if len(warnings) == 0 {
		o.warnings.Hide()
	} else {
		o.warnings.Show()
	}
	o.list.UnselectAll()
	if a.selected >= 0 && a.selected < len(a.findings) {
		o.list.Select(a.selected)
	}
	o.list.Refresh()
}
