package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/myeloview/myeloview/inference"
)

// bench times the bare network (Session.Run) on one slice-sized input.
// It reads model.onnx directly so that candidate models can be timed
// before a manifest exists.
func bench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	modelPath := fs.String("onnx", "", "ONNX file")
	in := fs.String("input", "image", "input name")
	out := fs.String("output", "lesion_prob", "output name")
	ch := fs.Int("channels", 2, "input channels")
	size := fs.Int("size", 512, "input rows = cols")
	runs := fs.Int("runs", 30, "timed runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	model, err := os.ReadFile(*modelPath)
	if err != nil {
		return err
	}
	s, err := inference.NewSession(model, []string{*in}, []string{*out}, "cpu")
	if err != nil {
		return err
	}
	defer s.Close()
	n := *ch * *size * *size
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(i%97) / 97
	}
	shape := []int64{1, int64(*ch), int64(*size), int64(*size)}
	for range 3 {
		if _, _, err := s.Run(x, shape); err != nil {
			return err
		}
	}
	var ds []time.Duration
	for range *runs {
		t0 := time.Now()
		if _, _, err := s.Run(x, shape); err != nil {
			return err
		}
		ds = append(ds, time.Since(t0))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	fmt.Printf("%s %d×%d×%d: median %.1f ms, min %.1f ms, threads %d\n", filepath.Base(*modelPath), *ch, *size, *size,
		float64(ds[len(ds)/2].Microseconds())/1000, float64(ds[0].Microseconds())/1000, inference.IntraOpThreads())
	return nil
}
