package ui

import (
	"errors"

	"github.com/myeloview/myeloview/report"
)

// errNothingToExport: no analysis of the series on screen.
var errNothingToExport = errors.New("no analysis of this series to export: run the model first (R)")

// findingsDocument is what Model → Export findings writes: the analysis of
// the series on screen with the findings the list shows, at the threshold
// they were found at, and the reader's verdicts (review). The same files
// as `myeloview analyze`, without figures (the png fields are empty).
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

// exportFindings asks for a folder and writes findings.json and
// findings.csv into it, atomically and off the UI goroutine.
func (a *analysisPanel) exportFindings() {
	doc, err := a.findingsDocument()
	if err != nil {
		a.vw.showError("Export findings", err)
		return
	}
	a.vw.chooseFolder("Export findings", func(dir string) {
		go func() {
			err := report.WriteFolder(dir, doc)
			doOnUI(func() {
				if err != nil {
					a.vw.showError("Export findings", err)
					return
				}
				a.vw.status.SetMessage("Wrote " + report.JSONName + " and " + report.CSVName + " to " + dir)
			})
		}()
	}).Show()
}
