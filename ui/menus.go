package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/myeloview/myeloview/dicomio"
)

// mainMenu builds the menu bar: File, View, Model, Help. It is rebuilt
// when the recent list or a checked item changes. UI goroutine.
func (vw *Viewer) mainMenu() *fyne.MainMenu {
	openFolder := fyne.NewMenuItem("Open folder…", vw.showOpenFolder)
	openFolder.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	openFile := fyne.NewMenuItem("Open file…", vw.showOpenFile)
	openFile.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}

	recent := fyne.NewMenuItem("Recent studies", nil)
	var items []*fyne.MenuItem
	for _, paths := range vw.recent.Items() {
		items = append(items, fyne.NewMenuItem(recentLabel(paths), func() { vw.Open(paths) }))
	}
	if len(items) == 0 {
		none := fyne.NewMenuItem("(none)", nil)
		none.Disabled = true
		items = append(items, none)
	} else {
		items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Clear list", func() {
			vw.recent.Clear()
			vw.win.SetMainMenu(vw.mainMenu())
		}))
	}
	recent.ChildMenu = fyne.NewMenu("", items...)

	export := fyne.NewMenuItem("Export PNG…", vw.exportPNG)
	export.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}
	quit := fyne.NewMenuItem("Quit", vw.quit)
	quit.IsQuit = true
	quit.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
	file := fyne.NewMenu("File", openFolder, openFile, recent,
		fyne.NewMenuItem("Open sample study", vw.OpenSample),
		fyne.NewMenuItemSeparator(), export,
		fyne.NewMenuItem("Export all slices (PNG)…", vw.exportSeries),
		fyne.NewMenuItem("Export measurements (CSV)…", vw.exportMeasurements),
		fyne.NewMenuItemSeparator(), quit)

	undo := fyne.NewMenuItem("Remove the last measurement", vw.removeLastMeasurement)
	undo.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault}
	showPHI := fyne.NewMenuItem("Show patient data", func() { vw.SetShowPatientData(!vw.showPHI) })
	showPHI.Checked = vw.showPHI
	sub := func(label string, items ...*fyne.MenuItem) *fyne.MenuItem {
		m := fyne.NewMenuItem(label, nil)
		m.ChildMenu = fyne.NewMenu("", items...)
		return m
	}
	turn := func(o func(orientation) orientation) func() {
		return func() { vw.viewport.SetOrientation(o(vw.viewport.Orientation())) }
	}
	var slabItems []*fyne.MenuItem
	for _, mode := range dicomio.SlabModes {
		label := "Off: single slices"
		if mode != dicomio.SlabOff {
			label = map[dicomio.SlabMode]string{dicomio.SlabMean: "Average", dicomio.SlabMax: "MIP", dicomio.SlabMin: "MinIP"}[mode]
		}
		slabItems = append(slabItems, fyne.NewMenuItem(label, func() { _, mm := vw.viewport.Slab(); vw.setSlab(mode, mm) }))
	}
	slabItems = append(slabItems, fyne.NewMenuItemSeparator())
	for _, mm := range slabThicknesses {
		slabItems = append(slabItems, fyne.NewMenuItem(trimFloat(mm, 0)+" mm", func() {
			mode, _ := vw.viewport.Slab()
			if mode == dicomio.SlabOff {
				mode = dicomio.SlabMean
			}
			vw.setSlab(mode, mm)
		}))
	}
	view := fyne.NewMenu("View",
		fyne.NewMenuItem("Fit (F)", vw.viewport.Fit),
		fyne.NewMenuItem("Invert (I)", func() { vw.viewport.SetInvert(!vw.viewport.Invert()) }),
		sub("Turn and flip",
			fyne.NewMenuItem("Rotate 90° right (.)", turn(func(o orientation) orientation { return o.rotated(1) })),
			fyne.NewMenuItem("Rotate 90° left (,)", turn(func(o orientation) orientation { return o.rotated(-1) })),
			fyne.NewMenuItem("Flip left–right (H)", turn(orientation.flippedHorizontally)),
			fyne.NewMenuItem("Flip top–bottom (U)", turn(orientation.flippedVertically)),
			fyne.NewMenuItem("Upright (as stored)", turn(func(orientation) orientation { return orientation{} }))),
		fyne.NewMenuItem("File window (0)", vw.viewport.ResetWindow),
		fyne.NewMenuItem("Type a window… (W)", vw.askWindow),
		fyne.NewMenuItem("DICOM tags… (T)", vw.showTags),
		fyne.NewMenuItem("Overlay planes and segmentations on/off (G)", vw.toggleOverlayPlanes),
		fyne.NewMenuItemSeparator(),
		sub("Plane (V cycles)",
			fyne.NewMenuItem("Axial", func() { vw.showPlane("axial") }),
			fyne.NewMenuItem("Coronal reformat", func() { vw.showPlane("coronal") }),
			fyne.NewMenuItem("Sagittal reformat", func() { vw.showPlane("sagittal") })),
		sub("Thick slab (S mode, D thickness)", slabItems...),
		fyne.NewMenuItem("Compare with another series… (B)", vw.toggleComparison),
		fyne.NewMenuItemSeparator(),
		sub("Measure",
			fyne.NewMenuItem("Ruler (M)", vw.toggleRuler),
			fyne.NewMenuItem("Elliptical ROI (E)", vw.toggleRegion),
			fyne.NewMenuItem("Angle (A)", vw.toggleAngle),
			fyne.NewMenuItem("Arrow with a note (L)", vw.toggleArrow),
			fyne.NewMenuItem("Mark a lesion (J)", vw.toggleLesion),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Calibrate lengths on an object of known size (K)", vw.toggleCalibrate),
			fyne.NewMenuItem("Clear the calibration", vw.clearCalibration)),
		undo,
		fyne.NewMenuItem("Remove measurements (Delete)", vw.viewport.ClearMeasurements),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Cine play/pause (Space)", func() { vw.cine.Toggle() }),
		fyne.NewMenuItemSeparator(),
		showPHI)

	model := fyne.NewMenu("Model",
		fyne.NewMenuItem("Run model on this series (R)", func() { vw.analysis.Run() }),
		fyne.NewMenuItem("Cancel analysis", func() { vw.analysis.Cancel() }),
		fyne.NewMenuItem("Export findings (JSON, CSV)…", vw.analysis.exportFindings),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Load model bundle…", vw.analysis.showLoadBundle),
		fyne.NewMenuItem("Model information", vw.analysis.showInfo))

	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Shortcuts (F1)", vw.showShortcuts),
		fyne.NewMenuItem("About MyeloView", vw.showAbout))
	return fyne.NewMainMenu(file, view, model, help)
}
