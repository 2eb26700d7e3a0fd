package ui

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/myeloview/myeloview/sample"
)

// TestViewerRandomActions drives the viewer with a fixed random sequence
// of the reader's keys and mouse actions (every shortcut, the band test
// network's analysis included, tools, drags, wheel, zoom, plane switches,
// slabs, turns, finding review) and checks after each batch that it still shows a slice of its
// series in range, with the frame decoded and nothing stuck. A panic
// anywhere fails the test with the step that caused it.
// MYELOVIEW_MONKEY_SEED=N runs another sequence, and
// MYELOVIEW_MONKEY_DIR=PATH runs it on the studies there instead of the
// sample (then only for robustness: decoding errors are allowed, the
// coverage is not checked).
func TestViewerRandomActions(t *testing.T) {
	dirs := []string{os.Getenv("MYELOVIEW_MONKEY_DIR")}
	own := dirs[0] != ""
	if !own {
		// Two studies, one of 5 mm slices (so that slabs span several)
		// and a "prior" of 10 mm, to compare with.
		dirs = []string{t.TempDir(), t.TempDir()}
		for i, slices := range []int{120, 60} {
			if _, err := sample.Write(dirs[i], sample.Options{Slices: slices, Size: 64, Seed: int64(i + 1)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	vw := bandViewer(t) // the band test network, so that there are heatmaps and findings
	openAndWait(t, vw, dirs...)
	v := vw.viewport
	c := vw.win.Canvas()
	if !own {
		c.OnTypedRune()('r')
		waitFor(t, "the analysis", 120*time.Second, func() bool { return vw.analysis.current() != nil && vw.analysis.running == nil })
		if len(vw.analysis.findings) == 0 {
			t.Fatal("the band network found nothing; the run needs findings to step through")
		}
	}
	seed := uint64(7)
	if env := os.Getenv("MYELOVIEW_MONKEY_SEED"); env != "" { // other sequences, when hunting
		n, err := strconv.ParseUint(env, 10, 64)
		if err != nil {
			t.Fatalf("MYELOVIEW_MONKEY_SEED: %v", err)
		}
		seed = n
	}
	rng := rand.New(rand.NewPCG(seed, 11))

	var runes []rune
	for _, b := range bindings() {
		for _, r := range b.runes {
			runes = append(runes, r)
		}
	}
	// Findings are only listed on the axial slices: more N, P, Y and X so
	// that reviews happen between the plane switches.
	runes = append(runes, []rune("nnyyxxpp")...)
	keys := []fyne.KeyName{fyne.KeyUp, fyne.KeyDown, fyne.KeyLeft, fyne.KeyRight, fyne.KeyPageUp, fyne.KeyPageDown,
		fyne.KeyHome, fyne.KeyEnd, fyne.KeyEscape, fyne.KeyDelete}
	buttons := []desktop.MouseButton{desktop.MouseButtonPrimary, desktop.MouseButtonSecondary, desktop.MouseButtonTertiary}
	at := func() fyne.Position {
		s := v.Size()
		return fyne.NewPos(rng.Float32()*s.Width, rng.Float32()*s.Height)
	}

	// What the run reached, so that it is known to have exercised them.
	seen := map[string]bool{}
	note := func() {
		seen[v.Series().Geometry.Plane()] = true
		if v.slab().active() {
			seen["slab"] = true
		}
		if v.Orientation() != (orientation{}) {
			seen["turned"] = true
		}
		if o := v.Overlay(); o.Result != nil && o.Visible && v.slab().active() {
			seen["heatmap on a slab"] = true
		}
		if len(vw.analysis.reviews) > 0 {
			seen["review"] = true
		}
		if vw.compare != nil {
			seen["comparison"] = true
		}
		ms := v.Measurements()
		if v.draft != nil && v.draft.Angle && v.draft.armDone {
			ms = append(ms, *v.draft) // an angle half drawn has been through its tool too
		}
		for _, m := range ms {
			switch {
			case m.Arrow:
				seen["arrow"] = true
			case m.Angle:
				seen["angle"] = true
			case m.Ellipse:
				seen["region"] = true
			default:
				seen["ruler"] = true
			}
		}
	}

	const steps = 1500
	for step := range steps {
		var what string
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("step %d (%s): panic: %v", step, what, p)
				}
			}()
			switch k := rng.IntN(10); {
			case k < 4:
				r := runes[rng.IntN(len(runes))]
				what = fmt.Sprintf("key %q", r)
				c.OnTypedRune()(r)
			case k < 6:
				name := keys[rng.IntN(len(keys))]
				what = "key " + string(name)
				c.OnTypedKey()(&fyne.KeyEvent{Name: name})
			case k < 8:
				b := buttons[rng.IntN(len(buttons))]
				p, q := at(), at()
				what = fmt.Sprintf("drag %d from %v to %v with tool %s", b, p, q, v.Tool().Name())
				v.MouseDown(&desktop.MouseEvent{Button: b, PointEvent: fyne.PointEvent{Position: p}})
				v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: q}, Dragged: fyne.NewDelta(q.X-p.X, q.Y-p.Y)})
				v.DragEnd()
				v.MouseUp(&desktop.MouseEvent{Button: b, PointEvent: fyne.PointEvent{Position: q}})
			case k < 9:
				p := at()
				what = fmt.Sprintf("wheel at %v", p)
				v.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p}})
				v.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: p}, Scrolled: fyne.NewDelta(0, float32(rng.IntN(5)-2)*wheelNotch)})
			default:
				p := at()
				what = fmt.Sprintf("pointer at %v", p)
				v.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p}})
				_ = v.overlayInfo() // the corner text of whatever is under it
			}
			// Answer the prompts the keys opened, now and then.
			if d := vw.comparePrompt; d != nil && rng.IntN(2) == 0 {
				d.Confirm()
				vw.comparePrompt = nil
			}
			if d := vw.arrowNote; d != nil && rng.IntN(2) == 0 {
				d.Confirm()
				vw.arrowNote = nil
			}
			if d := vw.calibration; d != nil && rng.IntN(2) == 0 {
				vw.calibrationEntry.SetText([]string{"25", "0", "x", "7,5"}[rng.IntN(4)])
				d.Confirm()
				vw.calibration = nil
			}
			testUI.drain()
			note()
		}()
		if step%50 == 49 {
			vw.cine.Pause()
			waitFor(t, fmt.Sprintf("a settled view after step %d", step), 20*time.Second, func() bool {
				return vw.store != nil && v.Series() != nil && (vw.reformat == nil || v.Series() == vw.reformat.reformat) &&
					len(vw.status.tasks) == 0 && vw.analysis.running == nil
			})
			settle(t, v)
			if n := v.Slices(); v.Slice() < 0 || v.Slice() >= n {
				t.Fatalf("after step %d: slice %d of %d", step, v.Slice(), n)
			}
			if v.shownSlice != v.Slice() || (v.shownFrame == nil && v.shownErr == nil) {
				t.Fatalf("after step %d: showing slice %d (frame %p, err %v), on slice %d", step, v.shownSlice, v.shownFrame, v.shownErr, v.Slice())
			}
			if v.shownErr != nil && !own {
				t.Fatalf("after step %d: %v", step, v.shownErr)
			}
		}
	}
	for _, want := range []string{"axial", "coronal", "sagittal", "slab", "turned", "ruler", "region", "angle", "arrow",
		"heatmap on a slab", "review", "comparison"} {
		switch {
		case !seen[want] && seed == 7 && !own:
			t.Errorf("the random run never reached %s", want)
		case !seen[want]:
			t.Logf("this sequence never reached %s", want) // another seed: robustness only
		}
	}
	t.Logf("%d random actions; ended on %s slice %d, tool %s, slab %v, orientation %+v, %d measurements",
		steps, v.Series().Geometry.Plane(), v.Slice(), v.Tool().Name(), v.slab(), v.Orientation(), len(v.Measurements()))
}
