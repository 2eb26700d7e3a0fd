package ui

import (
	"context"
	"sync"

	"github.com/myeloview/myeloview/dicomio"
)

// frameStore holds the decoded frames of the series on screen as they
// arrive from the background loader (Series.Load's OnFrame), and decodes a
// frame on demand when the viewer needs one the loader has not reached yet.
//
// All methods are safe for concurrent use: the loader's decoding
// goroutines put frames, the render loop gets them, and the UI goroutine
// peeks at them (for the value under the cursor) without ever decoding.
type frameStore struct {
	series *dicomio.Series

	mu      sync.Mutex
	frames  []*dicomio.Frame
	errs    []error
	loaded  int
	first   int           // the frame the loader decodes first
	loading bool          // a loader is filling the store
	arrived chan struct{} // closed and replaced on every put or loader end
}

// newFrameStore returns an empty store for s.
func newFrameStore(s *dicomio.Series) *frameStore {
	n := len(s.Frames)
	return &frameStore{series: s, frames: make([]*dicomio.Frame, n), errs: make([]error, n),
		arrived: make(chan struct{}), first: -1}
}

// newFrameStoreWith returns a store holding frames already decoded (tests,
// and series built in memory).
func newFrameStoreWith(s *dicomio.Series, frames []*dicomio.Frame) *frameStore {
	fs := newFrameStore(s)
	for i, f := range frames {
		if i < len(fs.frames) && f != nil {
			fs.frames[i] = f
			fs.loaded++
		}
	}
	return fs
}

// Len is the number of frames of the series.
func (fs *frameStore) Len() int { return len(fs.frames) }

// Loaded is how many frames are decoded (or failed).
func (fs *frameStore) Loaded() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.loaded
}

// put records frame i (or its error). Safe from any goroutine.
func (fs *frameStore) put(i int, f *dicomio.Frame, err error) {
	if i < 0 || i >= len(fs.frames) {
		return
	}
	fs.mu.Lock()
	if fs.frames[i] == nil && fs.errs[i] == nil {
		fs.loaded++
	}
	if f != nil {
		fs.frames[i], fs.errs[i] = f, nil
	} else if fs.frames[i] == nil {
		fs.errs[i] = err
	}
	fs.signalLocked()
	fs.mu.Unlock()
}

func (fs *frameStore) signalLocked() {
	close(fs.arrived)
	fs.arrived = make(chan struct{})
}

// startLoading marks the store as being filled by a loader that decodes
// frame first before the others.
func (fs *frameStore) startLoading(first int) {
	fs.mu.Lock()
	fs.loading, fs.first = true, first
	fs.mu.Unlock()
}

// stopLoading marks the loader as finished or cancelled.
func (fs *frameStore) stopLoading() {
	fs.mu.Lock()
	fs.loading = false
	fs.signalLocked()
	fs.mu.Unlock()
}

// peek returns frame i if it is decoded, without decoding it.
func (fs *frameStore) peek(i int) (*dicomio.Frame, error) {
	if i < 0 || i >= len(fs.frames) {
		return nil, nil
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.frames[i], fs.errs[i]
}

// get returns frame i, decoding it in the caller's goroutine when the
// loader has not delivered it. The frame the loader decodes first is
// waited for rather than decoded twice, unless ctx ends the wait (a newer
// render request). Never call it on the UI goroutine.
func (fs *frameStore) get(ctx context.Context, i int) (*dicomio.Frame, error) {
	if i < 0 || i >= len(fs.frames) {
		return nil, dicomio.ErrFrameRange
	}
	for {
		fs.mu.Lock()
		f, err := fs.frames[i], fs.errs[i]
		wait := fs.loading && fs.first == i
		arrived := fs.arrived
		fs.mu.Unlock()
		if f != nil || err != nil {
			return f, err
		}
		if !wait || fs.series == nil {
			break
		}
		select {
		case <-arrived:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if fs.series == nil || i >= len(fs.series.Frames) {
		return nil, dicomio.ErrFrameRange
	}
	f, err := fs.series.LoadFrame(i)
	fs.put(i, f, err)
	return f, err
}

// volume returns the decoded series when every frame has been read (the
// analysis then needs no second decode), else nil.
func (fs *frameStore) volume() *dicomio.Volume {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.loaded < len(fs.frames) || fs.series == nil {
		return nil
	}
	v := &dicomio.Volume{Series: fs.series, Frames: append([]*dicomio.Frame(nil), fs.frames...)}
	for _, err := range fs.errs {
		if err != nil {
			v.Errors = append(v.Errors, err)
		}
	}
	return v
}

// errors lists the frames that failed to decode so far.
func (fs *frameStore) errors() []error {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var out []error
	for _, err := range fs.errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}
