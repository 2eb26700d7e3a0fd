package ui

import (
	"sync"
	"time"
)

// Cine frame rates offered, frames per second.
var cineRates = []int{2, 5, 10, 15, 20, 30}

const defaultCineRate = 10

// cinePlayer steps through the slices at a chosen rate, looping at the
// end. A ticker goroutine posts one step at a time to the UI goroutine and
// posts the next only when that one ran, so a slow renderer drops
// frames (the render loop keeps the latest) rather than queueing them.
// Methods run on the UI goroutine.
type cinePlayer struct {
	step     func() // advance one slice (UI goroutine)
	onChange func(playing bool)

	mu      sync.Mutex
	fps     int
	stop    chan struct{}
	playing bool
}

func newCinePlayer(step func(), onChange func(bool)) *cinePlayer {
	return &cinePlayer{step: step, onChange: onChange, fps: defaultCineRate}
}

// Playing reports whether cine runs.
func (c *cinePlayer) Playing() bool { return c.playing }

// FPS is the frame rate.
func (c *cinePlayer) FPS() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fps
}

// SetFPS changes the frame rate, also while playing.
func (c *cinePlayer) SetFPS(fps int) {
	if fps < 1 {
		fps = 1
	}
	if fps > 60 {
		fps = 60
	}
	c.mu.Lock()
	c.fps = fps
	c.mu.Unlock()
	if c.playing {
		c.Pause()
		c.Play()
	}
}

// Toggle plays or pauses.
func (c *cinePlayer) Toggle() {
	if c.playing {
		c.Pause()
	} else {
		c.Play()
	}
}

// Play starts stepping.
func (c *cinePlayer) Play() {
	if c.playing {
		return
	}
	c.playing = true
	stop := make(chan struct{})
	c.stop = stop
	interval := time.Second / time.Duration(c.FPS())
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		done := make(chan struct{}, 1)
		done <- struct{}{}
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			select {
			case <-done: // the previous step ran
			default:
				continue // still queued: drop this tick
			}
			doOnUI(func() {
				select {
				case <-stop:
				default:
					c.step()
				}
				done <- struct{}{}
			})
		}
	}()
	if c.onChange != nil {
		c.onChange(true)
	}
}

// Pause stops stepping.
func (c *cinePlayer) Pause() {
	if !c.playing {
		return
	}
	c.playing = false
	close(c.stop)
	if c.onChange != nil {
		c.onChange(false)
	}
}
