package dicomio

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Volume is a series with its frames decoded, in sorted order. A frame
// that failed to decode is nil and its error is in Errors; the rest of the
// series is still usable.
type Volume struct {
	Series *Series
	Frames []*Frame
	Errors []error
}

// LoadOptions tune Series.Load.
type LoadOptions struct {
	// First is the frame to decode first (the one on screen), so it appears
	// before the whole series is loaded; the rest follow outwards from it.
	First int
	// OnFrame, if set, is called from decoding goroutines as each frame is
	// ready (concurrently: it must be safe for that).
	OnFrame func(index int, f *Frame, err error)
	// Workers bounds parallel decoding; 0 means GOMAXPROCS.
	Workers int
}

// Load decodes every frame of the series in parallel. Each worker holds one
// frame's compressed bytes at a time, so memory is the decoded volume plus
// Workers compressed frames. It stops early, returning ctx.Err(), when ctx
// is cancelled.
func (s *Series) Load(ctx context.Context, opt LoadOptions) (*Volume, error) {
	n := len(s.Frames)
	v := &Volume{Series: s, Frames: make([]*Frame, n)}
	errs := make([]error, n)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	order := outwardOrder(n, opt.First)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if ctx.Err() != nil {
					return
				}
				k := int(next.Add(1) - 1)
				if k >= n {
					return
				}
				i := order[k]
				f, err := s.LoadFrame(i)
				v.Frames[i], errs[i] = f, err
				if opt.OnFrame != nil {
					opt.OnFrame(i, f, err)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			v.Errors = append(v.Errors, err)
		}
	}
	return v, nil
}

// outwardOrder lists 0..n-1 starting at first and alternating outwards.
func outwardOrder(n, first int) []int {
	if first < 0 || first >= n {
		first = 0
	}
	order := make([]int, 0, n)
	order = append(order, first)
	for d := 1; len(order) < n; d++ {
		if first+d < n {
			order = append(order, first+d)
		}
		if first-d >= 0 {
			order = append(order, first-d)
		}
	}
	return order
}
