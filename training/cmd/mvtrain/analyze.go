package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
)

// finding is the JSON form of inference.Finding that evaluate_app.py reads.
type finding struct {
	ID             int        `json:"id"`
	CenterVoxel    [3]float64 `json:"center_voxel"`
	CenterMM       [3]float64 `json:"center_mm"`
	DiameterMM     float64    `json:"diameter_mm"`
	Voxels         int        `json:"voxels"`
	MaxProbability float64    `json:"max_probability"`
	BoxMin         [3]int     `json:"box_min"`
	BoxMax         [3]int     `json:"box_max"`
}

type seriesResult struct {
	Dir         string               `json:"dir"`
	SeriesUID   string               `json:"series_uid"`
	Slices      int                  `json:"slices"`
	Rows        int                  `json:"rows"`
	Cols        int                  `json:"cols"`
	Threshold   float64              `json:"threshold"`
	MinLesionMM float64              `json:"min_lesion_mm"`
	InferenceMS float64              `json:"inference_ms"`
	TotalMS     float64              `json:"total_ms"`
	Findings    []finding            `json:"findings"`
	Sweep       map[string][]finding `json:"sweep,omitempty"`
	Warnings    []string             `json:"warnings,omitempty"`
	// SliceZ is each map slice's Image Position (Patient) z in the app's
	// slice order, so that evaluate_app.py aligns its labels by position.
	SliceZ []float64 `json:"slice_z"`
}

func convert(fs []inference.Finding) []finding {
	out := make([]finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, finding{f.ID, f.CenterVoxel, f.CenterMM, f.DiameterMM, f.Voxels, f.MaxProbability, f.BoxMin, f.BoxMax})
	}
	return out
}

func analyze(args []string) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	modelDir := fs.String("model", "", "bundle folder (model.json + model.onnx)")
	out := fs.String("out", "", "output JSON file")
	sweep := fs.String("thresholds", "", "comma-separated extra thresholds")
	maps := fs.String("maps", "", "folder to write each series' probability maps as <n>.npy (uint8, q/255)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := inference.LoadBundle(*modelDir)
	if err != nil {
		return err
	}
	a, err := inference.NewAnalyzer(b, "cpu")
	if err != nil {
		return err
	}
	defer a.Close()
	a.Cache = nil
	var ts []float64
	for _, s := range strings.Split(*sweep, ",") {
		if s = strings.TrimSpace(s); s != "" {
			t, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return err
			}
			ts = append(ts, t)
		}
	}
	var results []seriesResult
	for i, dir := range fs.Args() {
		cat, err := dicomio.Scan(context.Background(), []string{dir}, dicomio.ScanOptions{})
		if err != nil {
			return err
		}
		all := cat.AllSeries()
		if len(all) != 1 {
			return fmt.Errorf("%s: %d series, want 1", dir, len(all))
		}
		res, err := a.AnalyzeSeries(context.Background(), all[0], nil, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
		r := seriesResult{Dir: dir, SeriesUID: res.SeriesUID, Slices: res.Slices, Rows: res.Rows, Cols: res.Cols,
			Threshold: res.Threshold, MinLesionMM: res.MinLesionMM,
			InferenceMS: float64(res.Timings.Inference.Microseconds()) / 1000,
			TotalMS:     float64(res.Timings.Total.Microseconds()) / 1000,
			Findings:    convert(res.Findings), Warnings: res.Warnings, Sweep: map[string][]finding{}}
		for _, f := range all[0].Frames {
			r.SliceZ = append(r.SliceZ, f.Info().Position[2])
		}
		for _, t := range ts {
			f, err := inference.Findings(res, t)
			if err != nil {
				return err
			}
			r.Sweep[strconv.FormatFloat(t, 'g', -1, 64)] = convert(f)
		}
		if *maps != "" {
			flat := make([]uint8, 0, res.Slices*res.Rows*res.Cols)
			for _, m := range res.Maps {
				flat = append(flat, m...)
			}
			if err := os.MkdirAll(*maps, 0o755); err != nil {
				return err
			}
			if err := writeNPY(fmt.Sprintf("%s/%d.npy", *maps, i), []int{res.Slices, res.Rows, res.Cols}, flat); err != nil {
				return err
			}
		}
		for j := range r.Findings {
			if math.IsNaN(r.Findings[j].MaxProbability) {
				r.Findings[j].MaxProbability = 0
			}
		}
		results = append(results, r)
		fmt.Fprintf(os.Stderr, "%s: %d slices, %d findings, inference %.0f ms\n", dir, res.Slices, len(res.Findings), r.InferenceMS)
	}
	js, err := json.MarshalIndent(results, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(*out, js, 0o644)
}
