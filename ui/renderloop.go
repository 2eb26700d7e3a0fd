package ui

import (
	"context"
	"image"
	"sync"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

// doOnUI runs fn on the Fyne UI goroutine without waiting: fyne.Do in the
// application. Tests replace it (in TestMain, before anything runs) with a
// queue they drain on the test goroutine, which plays the UI goroutine.
var doOnUI = defaultDoOnUI

// renderRequest asks for one view of one frame of a store.
type renderRequest struct {
	store *frameStore
	viewParams
}

// renderResult is a finished view, delivered on the UI goroutine.
type renderResult struct {
	img    *image.RGBA // device pixels; owned by the viewer until released
	frame  *dicomio.Frame
	window render.Window // the window applied
	err    error         // the frame could not be decoded
	// slabErr says why the slices of req.slab could not be combined; the
	// view then shows its slice alone.
	slabErr error
	req     renderRequest
}

// renderLoop renders views on its own goroutine, latest wins: a request
// replaces any request not yet started, and a finished view replaces any
// view the UI goroutine has not yet picked up, so fast window/level drags
// and scrolling drop stale frames instead of queueing them. At most one
// view is rendered at a time; the UI goroutine is never blocked.
//
// request, release and stop are called on the UI goroutine; deliver is
// called there (through doOnUI). waitIdle may be called from any
// goroutine except the UI goroutine of a running application.
type renderLoop struct {
	deliver func(renderResult)

	mu      sync.Mutex
	idle    *sync.Cond
	pending *renderRequest
	busy    bool
	cancel  context.CancelFunc // ends a render waiting for its frame
	ready   *renderResult
	posted  bool
	free    []*image.RGBA
	wake    chan struct{}
	quit    chan struct{}
	stopped bool

	fr   frameRenderer // the loop goroutine's
	slab slabCache     // the loop goroutine's
}

// newRenderLoop starts a render loop that hands finished views to deliver
// on the UI goroutine.
func newRenderLoop(deliver func(renderResult)) *renderLoop {
	l := &renderLoop{deliver: deliver, wake: make(chan struct{}, 1), quit: make(chan struct{})}
	l.idle = sync.NewCond(&l.mu)
	go l.run()
	return l
}

// request replaces the pending request with req.
func (l *renderLoop) request(req renderRequest) {
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		return
	}
	l.pending = &req
	if l.cancel != nil {
		l.cancel()
	}
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// release hands back a view image the viewer no longer shows.
func (l *renderLoop) release(img *image.RGBA) {
	if img == nil {
		return
	}
	l.mu.Lock()
	if len(l.free) < 3 {
		l.free = append(l.free, img)
	}
	l.mu.Unlock()
}

// stop ends the loop goroutine after the view in progress.
func (l *renderLoop) stop() {
	l.mu.Lock()
	if !l.stopped {
		l.stopped = true
		close(l.quit)
	}
	l.mu.Unlock()
}

// waitIdle blocks until no request is pending or being rendered.
func (l *renderLoop) waitIdle() {
	l.mu.Lock()
	for l.busy || l.pending != nil {
		l.idle.Wait()
	}
	l.mu.Unlock()
}

func (l *renderLoop) run() {
	for {
		select {
		case <-l.wake:
		case <-l.quit:
			return
		}
		for {
			l.mu.Lock()
			req := l.pending
			l.pending = nil
			if req == nil || l.stopped {
				l.busy = false
				l.idle.Broadcast()
				l.mu.Unlock()
				break
			}
			l.busy = true
			ctx, cancel := context.WithCancel(context.Background())
			l.cancel = cancel
			l.mu.Unlock()

			res, ok := l.render(ctx, *req)
			cancel()
			l.mu.Lock()
			l.cancel = nil
			l.mu.Unlock()
			if ok {
				l.post(res)
			}
		}
	}
}

// render draws one view; ok is false when a newer request superseded it
// while it waited for its frame.
func (l *renderLoop) render(ctx context.Context, req renderRequest) (renderResult, bool) {
	res := renderResult{req: req}
	w, h := viewImageSize(req.viewParams)
	if w <= 0 || h <= 0 || req.store == nil {
		return res, false
	}
	f, slabErr, err := viewFrame(ctx, req.store, req.viewParams, &l.slab)
	if ctx.Err() != nil {
		return res, false
	}
	res.img = l.buffer(w, h)
	res.frame, res.err, res.slabErr = f, err, slabErr
	p := req.viewParams
	if slabErr != nil {
		p.slab = slabView{} // the slice alone is shown: its own heatmap too
	}
	if f == nil {
		if err == nil {
			err = dicomio.ErrNoPixelData
			res.err = err
		}
		clearRGBA(res.img)
		return res, true
	}
	res.window = l.fr.renderView(res.img, f, p)
	return res, true
}

// buffer returns a free view image of w × h device pixels.
func (l *renderLoop) buffer(w, h int) *image.RGBA {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, img := range l.free {
		if img.Rect.Dx() == w && img.Rect.Dy() == h {
			l.free = append(l.free[:i], l.free[i+1:]...)
			return img
		}
	}
	return image.NewRGBA(image.Rect(0, 0, w, h))
}

// post hands res to the UI goroutine, replacing a view it has not taken.
func (l *renderLoop) post(res renderResult) {
	l.mu.Lock()
	if l.ready != nil && l.ready.img != nil && len(l.free) < 3 {
		l.free = append(l.free, l.ready.img)
	}
	l.ready = &res
	schedule := !l.posted
	l.posted = true
	l.mu.Unlock()
	if schedule {
		doOnUI(l.deliverReady)
	}
}

// deliverReady runs on the UI goroutine.
func (l *renderLoop) deliverReady() {
	l.mu.Lock()
	res := l.ready
	l.ready, l.posted = nil, false
	stopped := l.stopped
	l.mu.Unlock()
	if res != nil && !stopped {
		l.deliver(*res)
	}
}
