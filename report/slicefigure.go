package report

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/render"
)

// SliceFigureName is the file name of slice (from 0) of series k (from 1)
// when every analysed slice is written (myeloview analyze --slices):
// numbered from 1, with at least three digits and as many as the series'
// slice count needs, so that the files sort in slice order.
func SliceFigureName(k, slice, slices int) string {
	digits := max(len(strconv.Itoa(slices)), 3)
	return fmt.Sprintf("series%d_slice%0*d.png", k, digits, slice+1)
}

// SliceLabel is what SliceFigure writes in its top-left corner: the slice
// number and, when known, the slice position along the normal (the
// viewer's "Pos"). No patient data.
func SliceLabel(slice, slices int, positionMM float64, known bool) string {
	s := fmt.Sprintf("Slice %d/%d", slice+1, slices)
	if known {
		s += fmt.Sprintf("  Pos %.1f mm", positionMM)
	}
	return s
}

// SliceFigure draws one analysed slice for a series export: the slice in
// window w, the probability overlay at the threshold (Turbo, opacity 0.45,
// as the findings' figures), a yellow circle and ID around every finding
// whose slices include this one (onSlice), label in the top-left corner
// and the research-use mark. Small slices are enlarged as the findings'
// figures are. It draws no patient data.
func SliceFigure(frame *dicomio.Frame, probs []float32, rows, cols int, w render.Window, threshold float64,
	onSlice []inference.Finding, label string) *image.RGBA {
	img, scale := overlaidSlice(frame, probs, rows, cols, w, threshold)
	for _, f := range onSlice {
		cx, cy, r := circleFinding(img, f, scale)
		render.DrawText(img, cx+r+3, cy-r, strconv.Itoa(f.ID), findingMarker)
	}
	drawCaption(img, label)
	render.StampResearchMark(img)
	return img
}

// WriteSliceFigures writes every slice of the analysed series s as
// SliceFigure draws it, in window w, into dir as SliceFigureName(k, …),
// each file atomically. Slices are drawn and encoded on GOMAXPROCS
// goroutines (PNG encoding is most of the time), so frame must be safe for
// concurrent use (dicomio.Series.LoadFrame is); progress is called after
// each slice, one call at a time. A slice frame cannot read gets no PNG
// and an error in unreadable ("slice N: …"), as the analysis itself gives
// it no probabilities and goes on. It stops at the first other error (a
// PNG that cannot be written), or when ctx is cancelled, and returns how
// many files it wrote.
func WriteSliceFigures(ctx context.Context, dir string, k int, s *dicomio.Series, res *inference.Result, w render.Window,
	frame func(slice int) (*dicomio.Frame, error), progress func(done, total int)) (written int, unreadable []error, err error) {
	n := len(res.Maps)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu      sync.Mutex
		done    int
		next    = make(chan int)
		wg      sync.WaitGroup
		skipped = map[int]error{} // unreadable slices
	)
	one := func(slice int, probs []float32) ([]float32, error) {
		fr, err := frame(slice)
		if errors.Is(err, dicomio.ErrFrameRange) {
			return probs, err // the result does not match the series: a bug, not a bad file
		}
		if err != nil {
			mu.Lock()
			skipped[slice] = err
			mu.Unlock()
			// no PNG: not one left from an earlier export either
			if rmErr := os.Remove(filepath.Join(dir, SliceFigureName(k, slice, n))); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) {
				return probs, rmErr
			}
			return probs, errUnreadable
		}
		probs = res.ProbabilityMap(slice, probs)
		var onSlice []inference.Finding
		for _, f := range res.Findings {
			if f.SliceRange[0] <= slice && slice <= f.SliceRange[1] {
				onSlice = append(onSlice, f)
			}
		}
		g := &s.Geometry
		label := SliceLabel(slice, n, g.SlicePosition(slice), g.Known && slice < len(g.Origins))
		img := SliceFigure(fr, probs, res.Rows, res.Cols, w, res.Threshold, onSlice, label)
		return probs, render.WritePNG(filepath.Join(dir, SliceFigureName(k, slice, n)), img)
	}
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var probs []float32
			for slice := range next {
				if ctx.Err() != nil {
					return
				}
				var err error
				probs, err = one(slice, probs)
				if err != nil && err != errUnreadable {
					cancel(err)
					return
				}
				mu.Lock()
				done++
				if err == nil {
					written++
				}
				if progress != nil {
					progress(done, n)
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for slice := range n {
		if ctx.Err() != nil {
			break
		}
		select {
		case next <- slice:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, slice := range slices.Sorted(maps.Keys(skipped)) {
		unreadable = append(unreadable, fmt.Errorf("slice %d: %w", slice+1, skipped[slice]))
	}
	if err := context.Cause(ctx); err != nil {
		return written, unreadable, err
	}
	return written, unreadable, nil
}

// errUnreadable marks a slice WriteSliceFigures skipped.
var errUnreadable = errors.New("slice not readable")
