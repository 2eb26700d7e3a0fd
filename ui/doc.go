// Package ui is MyeloView's desktop viewer: the Fyne widgets and the
// wiring between them. It holds no imaging logic: window/level, lookup
// tables, colour maps, overlay compositing and burned-in annotations come
// from package render, geometry (pixel spacing, slice positions, voxel ↔
// patient coordinates) from package dicomio, analysis from package
// inference. Only package main imports fyne.io/fyne/v2/app, so everything
// here runs headless under fyne.io/fyne/v2/test.
//
// # Parts
//
// The layout follows fyne-io/pixeledit: main only wires, the image is a
// custom widget with its own renderer, and mouse gestures are Tools
// behind a small interface.
//
//   - Viewer (app.go, menus.go, open.go, dialogs.go, shortcuts.go,
//     export.go, measureexport.go, tags.go): the window, menus, keyboard
//     shortcuts (one table for the handlers and Help → Shortcuts), opening
//     studies (paths, dialogs, drag and drop, Recent studies, the bundled
//     sample study), PNG and measurement export, the DICOM tags window.
//   - Browser (browser.go): patient → study → series with thumbnails and
//     load problems, and the files that could not be read.
//   - Viewport (viewport*.go, tools.go, measure.go, overlaytext.go,
//     edgelabels.go, colourbarlabels.go): the image with its corner
//     annotations, patient-direction letters, measurements (lines, regions,
//     angles), DICOM overlay planes, colour bar and the research-use mark;
//     viewTransform maps viewport positions to voxels (zoom, pan, true
//     pixel aspect, HiDPI canvas scale).
//   - The frame path (framerenderer.go, blit.go, renderloop.go, frames.go):
//     decoded frame → render.GreyLUT → frame-sized RGBA → overlay → the
//     viewport-sized image in device pixels that Fyne draws unscaled.
//   - Analysis (analysis.go, overlayctl.go, review.go, analysis_export.go):
//     the model run, overlay settings, findings and the reader's verdicts
//     on them.
//   - Status bar, toolbar, cine, theme, recent list, command line.
//
// # Goroutines
//
// Fyne's UI goroutine (the main goroutine since Fyne 2.6) owns every widget
// and every exported method here; call them only there. Work that can take
// more than a few milliseconds runs elsewhere and comes back through
// fyne.Do:
//
//   - scanning and decoding (dicomio.Scan, Series.Load with First and
//     OnFrame, on-demand LoadFrame) on loader goroutines;
//   - rendering on the viewport's render loop, one goroutine per viewport,
//     latest wins: a new request replaces one not yet started and a new
//     view replaces one the UI goroutine has not yet shown, so fast
//     window/level drags and scrolling drop stale frames instead of
//     queueing them;
//   - thumbnails, the analysis (inference.Analyzer.AnalyzeSeries), finding
//     recomputation at a new threshold, PNG and measurement export and the
//     DICOM tags listing on goroutines of their own, each cancellable where
//     the user can cancel it.
//
// Shared data is immutable (dicomio.Series and Frame, inference.Result) or
// guarded (frameStore, the render loop's slots, status tasks).
//
// # Privacy
//
// Patient names, IDs and dates appear only while View → Show patient data
// is on (off by default), and go into an exported PNG only when the user
// confirms. Nothing here logs patient identifiers; error messages name
// files, and file paths stay in the local preferences (Recent studies).
package ui
