package ui

import (
	"context"
	"errors"
	"fmt"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/report"
)

// errNothingToExport: no analysis of the series on screen.
var errNothingToExport = errors.New("no analysis of this series to export: run the model first (R)")

// findingsDocument is what Model → Export findings writes: the analysis of
// the series on screen with the findings the list shows, at the threshold
// they were found at, and the reader's verdicts (review): the same
// document as `myeloview analyze` writes (its figures are written, and
// named, on export).
func (a *analysisPanel) findingsDocument() (*report.Document, error) {
	s, res, an := a.vw.viewport.Series(), a.current(), a.engine.analyzer
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
	return &doc, nil
}

// exportFindings asks for a folder and writes into it findings.json,
// findings.csv and a figure per finding (report.WriteFigures, from the
// decoded slices), atomically and off the UI goroutine.
func (a *analysisPanel) exportFindings() {
	doc, err := a.findingsDocument()
	if err != nil {
		a.vw.showError("Export findings", err)
		return
	}
	res, findings, store := a.current(), a.findings, a.vw.store
	a.vw.chooseFolder("Export findings", func(dir string) {
		go func() {
			err := writeFindingsFolder(dir, doc, res, findings, store)
			doOnUI(func() {
				if err != nil {
					a.vw.showError("Export findings", err)
					return
				}
				a.vw.status.SetMessage(fmt.Sprintf("Wrote %s, %s and %s to %s", report.JSONName, report.CSVName,
					plural(len(findings), "figure"), dir))
			})
		}()
	}).Show()
}

// writeFindingsFolder writes the findings' figures, then findings.json and
// findings.csv, which name them, into dir.
func writeFindingsFolder(dir string, doc *report.Document, res *inference.Result, findings []inference.Finding, store *frameStore) error {
	frame := func(i int) (*dicomio.Frame, error) { return store.get(context.Background(), i) }
	if err := report.WriteFigures(dir, 1, &doc.Series[0], res, findings, frame); err != nil {
		return err
	}
	return report.WriteFolder(dir, doc)
}
