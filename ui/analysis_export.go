package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/myeloview/myeloview/cli"
	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/report"
)

// errNothingToExport: no analysis of the series on screen.
var errNothingToExport = errors.New("no analysis of this series to export: run the model first (R)")

// errExportOnReformat: findings and lesion marks are on the axial slices.
var errExportOnReformat = errors.New("findings are exported from the axial slices: View → Axial first")

// findingsExport is what Model → Export findings writes, taken on the UI
// goroutine and written off it: the analysis of the series on screen with
// the findings the list shows, at the threshold they were found at, the
// reader's verdicts (review) and lesion marks; the same document as
// `myeloview analyze` writes (its figures are written, and named, by
// write).
type findingsExport struct {
	doc      *report.Document
	series   *dicomio.Series
	res      *inference.Result
	findings []inference.Finding
	marks    []report.LesionMark
	store    *frameStore
}

// findingsExport takes the export of the series on screen. UI goroutine.
func (a *analysisPanel) findingsExport() (*findingsExport, error) {
	v := a.vw.viewport
	if a.vw.reformat != nil {
		return nil, errExportOnReformat
	}
	s, res, an := v.Series(), a.current(), a.engine.analyzer
	if s == nil || res == nil || an == nil {
		return nil, errNothingToExport
	}
	m := an.Bundle().Manifest
	doc := report.NewDocument(&m, res.Provider, a.findingsAt)
	series := report.SeriesOf(s, res, a.findings)
	for i, f := range a.findings {
		series.Findings[i].Review = a.verdict(f)
	}
	doc.Series = append(doc.Series, series)
	return &findingsExport{doc: &doc, series: s, res: res, findings: a.findings, marks: v.lesionMarks(), store: a.vw.store}, nil
}

// exportFindings asks for a folder and writes the export into it, off the
// UI goroutine.
func (a *analysisPanel) exportFindings() {
	e, err := a.findingsExport()
	if err != nil {
		a.vw.showError("Export findings", err)
		return
	}
	a.vw.chooseFolder("Export findings", func(dir string) {
		go func() {
			warning, err := e.write(dir)
			doOnUI(func() {
				if err != nil {
					a.vw.showError("Export findings", err)
					return
				}
				marked := ""
				if n := len(e.doc.Series[0].ReaderLesions); n > 0 {
					marked = " (with " + plural(n, "lesion") + " marked by the reader)"
				}
				seg := ""
				switch {
				case e.doc.Series[0].SEG != "":
					seg = ", a DICOM segmentation"
				case warning != "":
					seg = " (" + warning + ")"
				}
				a.vw.status.SetMessage(fmt.Sprintf("Wrote %s%s, %s%s and %s to %s", report.JSONName, marked, report.CSVName,
					seg, plural(len(e.findings), "figure"), dir))
			})
		}()
	}).Show()
}

// write writes into dir the findings' figures and their DICOM
// segmentation (report.WriteSEG, without patient identifiers, as every
// export here), then findings.json, with the reader's lesion marks (their
// mean values read from the slices), and findings.csv, which name them.
// A series that cannot carry a segmentation gets a warning instead, also
// returned. Any goroutine, once.
func (e *findingsExport) write(dir string) (warning string, err error) {
	frame := func(i int) (*dicomio.Frame, error) { return e.store.get(context.Background(), i) }
	entry := &e.doc.Series[0]
	entry.ReaderLesions = readerLesions(e.series, e.marks, e.findings, frame)
	if err := report.WriteFigures(dir, 1, entry, e.res, e.findings, frame); err != nil {
		return "", err
	}
	segOptions := report.SEGOptions{Model: e.doc.Model, Threshold: e.doc.Threshold, Software: cli.Software(), Now: time.Now()}
	warning, err = report.WriteSeriesSEG(dir, 1, entry, e.series, e.res, e.findings, segOptions)
	if err != nil {
		return "", err
	}
	return warning, report.WriteFolder(dir, e.doc)
}
