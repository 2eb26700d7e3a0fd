package ui

import (
	"fmt"
	"math"
	"os"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
)

// uiQueue stands in for the Fyne UI goroutine in tests: background work
// posts to it, and the test goroutine runs what was posted (drain), as the
// application's event loop would.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) do(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
}

// drain runs everything posted so far (and what that posts) and returns
// how many functions ran.
func (q *uiQueue) drain() int {
	n := 0
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return n
		}
		for _, fn := range fns {
			fn()
			n++
		}
	}
}

var testUI = &uiQueue{}

func TestMain(m *testing.M) {
	if inference.IsProbeInvocation(os.Args) {
		os.Exit(inference.RunProbe(os.Args))
	}
	doOnUI = testUI.do
	os.Exit(m.Run())
}

// settle lets the viewport's render loop finish and delivers its views on
// the test goroutine.
func settle(t testing.TB, v *Viewport) {
	t.Helper()
	for range 1000 {
		v.loop.waitIdle()
		if testUI.drain() == 0 {
			v.loop.waitIdle()
			if testUI.drain() == 0 {
				return
			}
		}
	}
	t.Fatal("viewport did not settle")
}

// waitFor drains the UI queue until cond holds or the timeout passes.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		testUI.drain()
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	testUI.drain()
	if !cond() {
		t.Fatalf("timed out after %v waiting for %s", timeout, what)
	}
}

// seriesSpec describes an in-memory greyscale series.
type seriesSpec struct {
	slices, rows, cols int
	spacing            [2]float64 // row, column spacing (mm)
	source             dicomio.SpacingSource
	thickness          float64
	modality           string
	photometric        string
	intercept          float64
	window             *dicomio.Window       // the files' own window, if any
	value              func(s, r, c int) int // stored value
}

// memSeries builds a series whose frames are already decoded, with a
// known geometry: axial slices 2 mm apart from (−100, −100, 0).
func memSeries(t testing.TB, sp seriesSpec) (*dicomio.Series, []*dicomio.Frame) {
	t.Helper()
	if sp.modality == "" {
		sp.modality = "CT"
	}
	if sp.photometric == "" {
		sp.photometric = "MONOCHROME2"
	}
	if sp.spacing == [2]float64{} {
		sp.spacing = [2]float64{1, 1}
	}
	if sp.value == nil {
		sp.value = func(s, r, c int) int { return (r*7 + c*3 + s*11) % 4096 }
	}
	g := dicomio.Geometry{Rows: sp.rows, Cols: sp.cols, RowDir: dicomio.Vec3{1, 0, 0}, ColDir: dicomio.Vec3{0, 1, 0},
		Normal: dicomio.Vec3{0, 0, 1}, PixelSpacing: sp.spacing, SliceSpacing: 2, Known: true}
	s := &dicomio.Series{UID: "2.25.1", StudyUID: "2.25.2", Modality: sp.modality, Description: "test series", Number: 3}
	var frames []*dicomio.Frame
	for k := range sp.slices {
		pos := dicomio.Vec3{-100, -100, float64(2 * k)}
		fi := dicomio.FrameInfo{Position: pos, HasPosition: true, Orientation: [6]float64{1, 0, 0, 0, 1, 0},
			HasOrientation: true, PixelSpacing: sp.spacing, SpacingSource: sp.source, SliceThickness: sp.thickness,
			Modality: dicomio.ModalityTransform{Slope: 1, Intercept: sp.intercept}}
		in := &dicomio.Instance{SOPInstanceUID: fmt.Sprintf("2.25.3.%d", k+1), SeriesInstanceUID: s.UID,
			Modality: sp.modality, InstanceNumber: k + 1, Frames: []dicomio.FrameInfo{fi}}
		s.Instances = append(s.Instances, in)
		s.Frames = append(s.Frames, dicomio.FrameRef{Instance: in})
		g.Origins = append(g.Origins, pos)
		f := &dicomio.Frame{Rows: sp.rows, Cols: sp.cols, Samples: 1, BitsStored: 12,
			Raw16: make([]uint16, sp.rows*sp.cols), Photometric: sp.photometric,
			Modality: fi.Modality, PixelSpacing: sp.spacing, SpacingSource: sp.source, Number: 1}
		if sp.window != nil {
			f.VOI.Windows = []dicomio.Window{*sp.window}
		}
		for r := range sp.rows {
			for c := range sp.cols {
				f.Raw16[r*sp.cols+c] = uint16(sp.value(k, r, c) & 0xfff)
			}
		}
		frames = append(frames, f)
	}
	s.Geometry = g
	return s, frames
}

// newTestViewport puts a viewport of size w × h (Fyne units) on a test
// window at canvas scale 1 and shows series s from its decoded frames.
func newTestViewport(t testing.TB, s *dicomio.Series, frames []*dicomio.Frame, w, h float32) (*Viewport, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	v := NewViewport()
	t.Cleanup(v.Close)
	win := test.NewTempWindow(t, v)
	win.SetPadded(false)
	win.Resize(fyne.NewSize(w, h))
	if s != nil {
		v.SetSeries(s, newFrameStoreWith(s, frames), 0)
	}
	settle(t, v)
	return v, win
}

// near reports |a − b| ≤ tol.
func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// fileSpacings is every slice's spacing as its file gives it, for
// measurementRows outside a viewport.
func fileSpacings(s *dicomio.Series) slicesSpacing {
	out := slicesSpacing{}
	for k, f := range s.Frames {
		fi := f.Info()
		out[k] = spacingOfSlice{fi.PixelSpacing, fi.SpacingSource}
	}
	return out
}
