package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

// engineState is what the viewer knows about inference: the analyzer once
// it is ready, or why there is none.
type engineState struct {
	analyzer  *inference.Analyzer
	preparing bool
	err       error  // why there is no analyzer
	runtime   string // ONNX Runtime version, "" when not installed
	checked   bool   // the runtime was looked for
}

// analysisPanel runs the lesion model on the series on screen and shows
// its results: the overlay controls (colour map, opacity, threshold,
// contours, on/off), the findings list, and the model's status. The
// analysis runs in the background with progress (slices, ETA) and Cancel
// in the status bar; without ONNX Runtime the viewer keeps working and
// the status bar says once why inference is unavailable.
//
// Methods run on the UI goroutine; background work reports through doOnUI.
type analysisPanel struct {
	vw *Viewer

	engine   engineState
	provider string

	cancel     context.CancelFunc
	running    *dicomio.Series
	results    map[*dicomio.Series]*inference.Result
	findings   []inference.Finding  // of the series on screen at the threshold
	findingsAt float64              // the threshold findings were found at
	selected   int                  // index in findings, -1 for none
	reviews    map[reviewKey]string // the reader's verdicts (review.go)
	// marks are the reader's lesion marks on the series on screen, matched
	// to findings, listed after them (readerlesions.go); set by ui.sync.
	marks []report.ReaderLesion
	gen   int // latest findings recomputation

	ui *overlayControls
}

func newAnalysisPanel(vw *Viewer) *analysisPanel {
	a := &analysisPanel{vw: vw, results: map[*dicomio.Series]*inference.Result{}, selected: -1}
	a.ui = newOverlayControls(a)
	return a
}

// prepare loads the model bundle and creates the analyzer in the
// background (finding ONNX Runtime, probing providers: seconds).
func (a *analysisPanel) prepare(modelDir, provider string) {
	if provider == "" {
		provider = inference.ProviderAuto
	}
	a.provider = provider
	a.engine.preparing = true
	a.vw.status.SetEngine("Model: loading…")
	go func() {
		st := engineState{checked: true}
		err := inference.Init()
		st.runtime = inference.RuntimeVersion()
		if err == nil {
			var b *inference.Bundle
			if modelDir != "" {
				b, err = inference.LoadBundle(modelDir)
			} else {
				b, err = inference.LoadDefaultBundle()
			}
			if err == nil {
				st.analyzer, err = inference.NewAnalyzer(b, provider)
			}
		}
		st.err = err
		doOnUI(func() { a.engineReady(st) })
	}()
}

// engineReady installs a prepared engine (UI goroutine).
func (a *analysisPanel) engineReady(st engineState) {
	if old := a.engine.analyzer; old != nil && old != st.analyzer {
		go old.Close() // waits for running inference
		a.results = map[*dicomio.Series]*inference.Result{}
		a.show(a.vw.viewport.Series())
	}
	a.engine = st
	switch {
	case errors.Is(st.err, inference.ErrRuntimeUnavailable):
		a.vw.status.SetEngine("Inference unavailable (ONNX Runtime not installed)")
		a.vw.status.SetMessage("inference unavailable: " + oneLine(st.err.Error()))
	case st.err != nil:
		a.vw.status.SetEngine("No model: " + oneLine(st.err.Error()))
		a.vw.status.SetMessage("inference unavailable: " + oneLine(st.err.Error()))
	default:
		a.vw.status.SetEngine(a.engineText())
		// The slider starts at the model's operating point, before any run.
		a.ui.threshold = st.analyzer.OperatingThreshold()
	}
	a.ui.sync()
}

// engineText describes the model and provider in use.
func (a *analysisPanel) engineText() string {
	an := a.engine.analyzer
	if an == nil {
		return ""
	}
	m := an.Bundle().Manifest
	s := fmt.Sprintf("Model %s %s · %s", m.Name, m.Version, an.Provider())
	if sk := an.Selection().Skipped; len(sk) > 0 {
		names := make([]string, len(sk))
		for i, k := range sk {
			names[i] = k.Provider
		}
		s += " (" + strings.Join(names, ", ") + " unavailable)"
	}
	return s
}

// modelName is the bundle's name and version, or "".
func (a *analysisPanel) modelName() string {
	if an := a.engine.analyzer; an != nil {
		m := an.Bundle().Manifest
		return m.Name + " " + m.Version
	}
	return ""
}

// runtimeStatus is the ONNX Runtime version for the About dialog.
func (a *analysisPanel) runtimeStatus() string {
	switch {
	case a.engine.runtime != "":
		return a.engine.runtime
	case a.engine.preparing && !a.engine.checked:
		return "checking…"
	}
	return "not installed"
}

// Run analyses the series on screen.
func (a *analysisPanel) Run() {
	vw := a.vw
	s := vw.viewport.Series()
	switch {
	case s == nil:
		vw.status.SetMessage("Open a CT series first")
		return
	case a.running != nil:
		vw.status.SetMessage("An analysis is already running (Model → Cancel analysis)")
		return
	case !strings.EqualFold(s.Modality, "CT"):
		vw.status.SetMessage("The lesion model reads CT series only; this is " + nonEmpty(s.Modality, "an unknown modality"))
		return
	case vw.reformat != nil:
		vw.status.SetMessage("The lesion model reads axial slices: View → Axial, then run it")
		return
	case a.engine.analyzer == nil && a.engine.preparing && !a.engine.checked:
		vw.status.SetMessage("The model is still loading; try again in a moment")
		return
	case a.engine.analyzer == nil:
		err := a.engine.err
		if err == nil {
			err = errors.New("no model loaded")
		}
		vw.showError("Inference unavailable", err)
		return
	}
	if res := a.results[s]; res != nil {
		a.show(s) // already analysed: just show it
		vw.status.SetMessage("Already analysed; showing the result")
		return
	}
	an := a.engine.analyzer
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel, a.running = cancel, s
	vol := vw.store.volume() // nil until every slice is decoded
	t := vw.status.begin("Analysing slices", cancel)
	a.ui.sync()
	start := time.Now()
	go func() {
		res, err := an.AnalyzeSeries(ctx, s, vol, func(done, total int) {
			left, ok := inference.ETA(time.Since(start), done, total)
			t.detail(inference.FormatETA(left, ok))
			t.report(done, total)
		})
		elapsed := time.Since(start)
		switch {
		case errors.Is(err, context.Canceled):
			t.finish("Analysis cancelled")
		case err != nil:
			t.finish("Analysis failed")
		default:
			t.finish(resultSummary(res, elapsed))
		}
		doOnUI(func() {
			a.cancel, a.running = nil, nil
			a.ui.sync()
			if err != nil {
				if !errors.Is(err, context.Canceled) {
					vw.showError("Analysis failed", err)
				}
				return
			}
			if !vw.isOpen(s) {
				return // its study was closed meanwhile; the maps stay in the disk cache
			}
			a.results[s] = res
			if vw.viewport.Series() == s {
				a.ui.visible = true
				a.ui.threshold = res.Threshold
				a.show(s)
			}
		})
	}()
}

// resultSummary is the status line after an analysis.
func resultSummary(res *inference.Result, elapsed time.Duration) string {
	s := plural(len(res.Findings), "finding") + " at p ≥ " + trimFloat(res.Threshold, 2)
	if res.Cached {
		return s + " (from the cache)"
	}
	return s + fmt.Sprintf(" in %.1f s on %s", elapsed.Seconds(), res.Provider)
}

// studyChanged drops the results and verdicts of the study that a new one
// replaces: a whole-body CT's maps are over 100 MB, and re-opening a study
// reads them back from the disk cache in a moment.
func (a *analysisPanel) studyChanged() {
	a.results = map[*dicomio.Series]*inference.Result{}
	a.reviews = nil
}

// Cancel stops a running analysis.
func (a *analysisPanel) Cancel() {
	if a.cancel != nil {
		a.cancel()
	}
}

// close cancels work and releases the model when the window closes.
func (a *analysisPanel) close() {
	a.Cancel()
	if an := a.engine.analyzer; an != nil {
		a.engine.analyzer = nil
		go an.Close()
	}
}

// seriesChanged shows the analysis of s, if any.
func (a *analysisPanel) seriesChanged(s *dicomio.Series) {
	a.show(s)
}

// show puts the result of s (if any) on the viewport and in the list.
func (a *analysisPanel) show(s *dicomio.Series) {
	res := a.results[s]
	a.findings, a.selected = nil, -1
	if res != nil && a.vw.reformat == nil { // findings are measured on axial slices
		a.findings, a.findingsAt = res.Findings, res.Threshold
		if a.ui.threshold <= 0 || a.ui.threshold >= 1 {
			a.ui.threshold = res.Threshold
		}
		if a.ui.threshold != res.Threshold {
			a.recomputeFindings(res, a.ui.threshold)
		}
	}
	a.applyOverlay()
	a.ui.sync()
}

// current is the result of the series on screen, or nil.
func (a *analysisPanel) current() *inference.Result {
	return a.results[a.vw.viewport.Series()]
}

// applyOverlay hands the overlay settings to the viewport.
func (a *analysisPanel) applyOverlay() {
	m, ok := render.ColorMapByName(a.ui.mapName)
	if !ok {
		m = render.Turbo
	}
	a.vw.viewport.SetOverlay(overlayParams{
		Result:    a.current(),
		Visible:   a.ui.visible,
		Map:       m,
		Opacity:   a.ui.opacity,
		Threshold: a.ui.threshold,
		Contours:  a.ui.contours,
	})
}

// ToggleOverlay shows or hides the overlay (O).
func (a *analysisPanel) ToggleOverlay() {
	a.ui.visible = !a.ui.visible
	a.applyOverlay()
	a.ui.sync()
}

// ToggleContours switches between contours and filled (C).
func (a *analysisPanel) ToggleContours() {
	a.ui.contours = !a.ui.contours
	a.applyOverlay()
	a.ui.sync()
}

// thresholdChanged applies a new threshold: the overlay at once, the
// findings in the background (latest wins).
func (a *analysisPanel) thresholdChanged(t float64) {
	a.ui.threshold = t
	a.applyOverlay()
	if res := a.current(); res != nil && a.vw.reformat == nil {
		a.recomputeFindings(res, t)
	}
}

// recomputeFindings finds the regions of res at threshold t off the UI
// goroutine; only the newest request's answer is shown.
func (a *analysisPanel) recomputeFindings(res *inference.Result, t float64) {
	a.gen++
	gen := a.gen
	go func() {
		fs, err := inference.Findings(res, t)
		doOnUI(func() {
			if gen != a.gen || a.current() != res || err != nil {
				return
			}
			a.findings, a.findingsAt, a.selected = fs, t, -1
			a.ui.sync()
		})
	}()
}

// NextFinding jumps to the next (step 1) or previous (-1) finding.
func (a *analysisPanel) NextFinding(step int) {
	n := len(a.findings)
	if n == 0 {
		a.vw.status.SetMessage("No findings to go to")
		return
	}
	i := a.selected + step
	if a.selected < 0 && step < 0 {
		i = n - 1
	}
	i = ((i % n) + n) % n
	if i == a.selected {
		a.goTo(i) // the list does not report re-selecting its selection
		return
	}
	a.ui.list.Select(i) // calls goTo through OnSelected
}

// goTo shows finding i: its peak slice, centred on the lesion.
func (a *analysisPanel) goTo(i int) {
	if i < 0 || i >= len(a.findings) {
		return
	}
	a.selected = i
	f := a.findings[i]
	v := a.vw.viewport
	v.SetSlice(f.PeakVoxel[2])
	v.CentreOn(f.CenterVoxel[0]+0.5, f.CenterVoxel[1]+0.5)
	a.vw.status.SetMessage(fmt.Sprintf("Finding %d of %d: p %.2f, %.1f mm across, %.2f ml, mean %s HU, %s",
		i+1, len(a.findings), f.MaxProbability, f.DiameterMM, f.VolumeML, trimFloat(f.MeanHU, 0),
		sliceSpan(f, "slice", "slices")))
}

// findingLabel describes a finding in one line, with the mark of the
// reader's verdict (verdictMark) when it has one.
func findingLabel(f inference.Finding, verdict string) string {
	return fmt.Sprintf("#%d  %sp %.2f  %.0f mm  %s",
		f.ID, verdictMark(verdict), f.MaxProbability, f.DiameterMM, sliceSpan(f, "sl", "sl"))
}

// readingCounts are what the reader did on the findings on screen: the
// findings marked as lesions and as not (Y, X), the lesion marks (J) and
// those of them a finding found.
type readingCounts struct{ lesions, notLesions, marked, markedFound int }

// findingsSummary is the line under the findings list once a series is
// analysed: how many findings the threshold gives, the model's own
// operating point beside it, and what the reader did (rc). The analysis'
// warnings are shown under it (warningsText).
func findingsSummary(findings int, threshold, operating float64, rc readingCounts) string {
	var s string
	switch findings {
	case 0:
		s = fmt.Sprintf("No findings at p ≥ %.2f (model operating point %.2f).", threshold, operating)
	case 1:
		s = fmt.Sprintf("1 finding at p ≥ %.2f (model operating point %.2f). Click it to go there.", threshold, operating)
	default:
		s = fmt.Sprintf("%d findings at p ≥ %.2f (model operating point %.2f). Click one to go to it.", findings, threshold, operating)
	}
	if rc.lesions+rc.notLesions > 0 {
		s += fmt.Sprintf(" Reviewed: %s, %d not.", plural(rc.lesions, "lesion"), rc.notLesions)
	}
	if rc.marked > 0 {
		s += fmt.Sprintf(" Marked by the reader (J): %s, %d of them found.", plural(rc.marked, "lesion"), rc.markedFound)
	}
	return s
}

// maxWarningLines bounds the warnings shown under the findings, so that a
// series with many undecodable slices (a warning each) leaves room for
// the findings list.
const maxWarningLines = 4

// warningsText shows an analysis' warnings in full, one per line: they
// say when findings are unreliable (slices not axial, thinner than the
// model's limit, slices that failed to decode), which a reader must see
// beside the findings, not only count. Past maxWarningLines, the rest are
// counted (findings.json, from Export findings, lists them all).
func warningsText(warnings []string) string {
	var lines []string
	for i, w := range warnings {
		if i == maxWarningLines && len(warnings) > maxWarningLines+1 {
			lines = append(lines, fmt.Sprintf("And %d more warnings (Model → Export findings lists them).", len(warnings)-i))
			break
		}
		lines = append(lines, "Warning: "+w+".")
	}
	return strings.Join(lines, "\n")
}

// sliceSpan names the slices a finding spans, numbered from 1 as the
// viewer numbers them: "slice 28" for one, "slices 28–30" for several.
func sliceSpan(f inference.Finding, one, many string) string {
	first, last := f.SliceRange[0]+1, f.SliceRange[1]+1
	if first == last {
		return fmt.Sprintf("%s %d", one, first)
	}
	return fmt.Sprintf("%s %d–%d", many, first, last)
}

// showLoadBundle asks for another model bundle folder.
func (a *analysisPanel) showLoadBundle() {
	a.vw.chooseFolder("Load model bundle", func(dir string) {
		if a.running != nil {
			a.Cancel()
		}
		a.prepare(dir, a.provider)
	}).Show()
}

// showInfo describes the model in use.
func (a *analysisPanel) showInfo() {
	an := a.engine.analyzer
	if an == nil {
		err := a.engine.err
		if err == nil {
			err = errors.New("the model is still loading")
		}
		a.vw.showError("Model information", err)
		return
	}
	m := an.Bundle().Manifest
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s)\n\n%s\n\nIntended use: %s\nLicence: %s\n", m.Name, m.Version, m.Task,
		m.Description, m.IntendedUse, m.License)
	fmt.Fprintf(&b, "Operating threshold: %s   Minimum lesion: %s mm\n",
		trimFloat(m.Postprocessing.OperatingThreshold, 3), trimFloat(m.Postprocessing.MinLesionMM, 1))
	fmt.Fprintf(&b, "SHA-256: %s\nExecution provider: %s (requested %s)\nONNX Runtime: %s\n",
		strings.ToLower(m.SHA256), an.Provider(), a.provider, inference.RuntimeVersion())
	for _, sk := range an.Selection().Skipped {
		fmt.Fprintf(&b, "Skipped %s\n", sk.String())
	}
	a.vw.showProblems("Model information", strings.Split(strings.TrimSpace(b.String()), "\n"))
}

// oneLine keeps a message on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
