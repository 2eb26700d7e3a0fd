package ui

import (
	"context"
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/report"
)

// AppID is the application ID under which Fyne keeps the preferences
// (the recent-studies list).
const AppID = "org.myeloview.viewer"

// appTitle is the window title's prefix.
const appTitle = "MyeloView"

// Options configure the viewer (from the command line).
type Options struct {
	// Paths to open; none opens the bundled sample study.
	Paths []string
	// ModelDir is a model bundle folder; empty means the built-in bundle.
	ModelDir string
	// Provider is the ONNX Runtime execution provider ("auto", "cpu", ...).
	Provider string
	// Icon is the window icon (optional).
	Icon fyne.Resource
}

// Viewer is the application window and the wiring between its parts:
// study browser, viewport, toolbar, overlay controls and findings, status
// bar, menus, and the background work (loading, analysis, export).
// Create it and call its methods on the UI goroutine.
type Viewer struct {
	app  fyne.App
	win  fyne.Window
	opts Options

	viewport *Viewport
	browser  *Browser
	toolbar  *toolbar
	status   *statusBar
	cine     *cinePlayer
	analysis *analysisPanel
	recent   recentStudies

	catalog *dicomio.Catalog
	// segCache holds the segmentations' masks read for the catalog's
	// series, segLoading those being read, under segCtx, which the next
	// catalog cancels (segmentations.go).
	segCache   map[*dicomio.Series]map[int]*sliceMasks
	segLoading map[*dicomio.Series]bool
	segCtx     context.Context
	segCancel  context.CancelFunc
	store      *frameStore   // the series chosen in the browser
	reformat   *reformatView // a coronal or sagittal view of it, or nil
	openedAt   []string      // paths of the catalog on screen; nil for the sample
	showPHI    bool

	arrowNote        *dialog.ConfirmDialog // the last arrow-note prompt (tests answer it)
	calibration      *dialog.ConfirmDialog // the last calibration prompt (tests answer it)
	calibrationEntry *escEntry             // its length field
	windowPrompt     *dialog.ConfirmDialog // the last typed-window prompt (tests answer it)

	// unplaced are saved annotations of the open studies that matched no
	// slice opened (kept so that saving loses none); restored counts
	// those put back when the catalog was opened.
	unplaced map[string]*report.Annotations
	restored int
	// unreadable are the studies whose saved annotations could not be
	// read (a newer viewer's, a damaged file): left as they are, not saved.
	unreadable map[string]bool

	centre        *container.Split      // the image area (Leading) beside the analysis panel
	compare       *comparison           // the series beside the main view, or nil
	comparePrompt *dialog.ConfirmDialog // the last "Compare with" prompt (tests answer it)

	scanCancel context.CancelFunc // the scan (or sample preparation) in progress
	loadCancel context.CancelFunc // the series load in progress
	thumbStop  context.CancelFunc // the thumbnails being made
}

// New builds the viewer window in application a. It starts nothing in
// the background: call Start.
func New(a fyne.App, opts Options) *Viewer {
	a.Settings().SetTheme(newDarkTheme())
	vw := &Viewer{app: a, opts: opts, recent: recentStudies{prefs: a.Preferences()}}
	vw.segCtx, vw.segCancel = context.WithCancel(context.Background())
	vw.win = a.NewWindow(appTitle)
	if opts.Icon != nil {
		vw.win.SetIcon(opts.Icon)
		a.SetIcon(opts.Icon)
	}
	vw.viewport = NewViewport()
	vw.status = newStatusBar()
	vw.cine = newCinePlayer(vw.cineStep, func(bool) { vw.toolbar.sync() })
	vw.browser = NewBrowser()
	vw.browser.OnSeries = func(s *dicomio.Series) {
		vw.showSeries(s)
		vw.refocus()
	}
	vw.browser.OnProblems = vw.showProblems
	vw.analysis = newAnalysisPanel(vw)
	vw.toolbar = newToolbar(vw)
	vw.viewport.OnChanged = vw.viewportChanged
	vw.viewport.OnArrow = vw.askArrowNote
	vw.viewport.OnCalibrationLine = vw.askCalibration
	vw.viewport.OnMeasurements = func() {
		vw.saveAnnotations()
		vw.analysis.ui.sync() // the summary counts the lesion marks
	}
	vw.viewport.OnNote = vw.status.SetMessage

	centre := container.NewHSplit(vw.viewport, vw.analysis.ui.content)
	centre.Offset = 0.78
	vw.centre = centre
	main := container.NewHSplit(vw.browser.content, centre)
	main.Offset = 0.2
	vw.win.SetContent(container.NewBorder(vw.toolbar.content, vw.status.content, nil, nil, main))
	vw.win.SetMainMenu(vw.mainMenu())
	vw.win.SetOnDropped(vw.dropped)
	vw.win.Resize(fyne.NewSize(1280, 800))

	c := vw.win.Canvas()
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) { vw.handleKey(ev) })
	c.SetOnTypedRune(func(r rune) { vw.handleRune(r) })
	vw.addShortcuts(c)
	vw.win.SetOnClosed(vw.shutdown)
	return vw
}

// Window is the viewer's window.
func (vw *Viewer) Window() fyne.Window { return vw.win }

// Viewport is the image view.
func (vw *Viewer) Viewport() *Viewport { return vw.viewport }

// Start opens the paths given in the options, or the sample study, and
// prepares inference, all in the background.
func (vw *Viewer) Start() {
	if len(vw.opts.Paths) > 0 {
		vw.Open(vw.opts.Paths)
	} else {
		vw.OpenSample()
	}
	vw.analysis.prepare(vw.opts.ModelDir, vw.opts.Provider)
}

// Run shows the viewer and runs the application until its window closes.
// Call it on the main goroutine. An error (ErrNoDisplay) means no window
// could be opened: no display was named, or the driver failed to start
// (no X server at DISPLAY, no OpenGL), which Fyne reports by panicking
// while the window is made.
func Run(a fyne.App, opts Options) error {
	if err := CheckDisplay(os.Getenv); err != nil {
		return err
	}
	vw, err := newWindowed(a, opts)
	if err != nil {
		return err
	}
	vw.Start()
	vw.win.ShowAndRun()
	return nil
}

// newWindowed is New with the driver's start-up panic turned into an error.
func newWindowed(a fyne.App, opts Options) (vw *Viewer, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrNoDisplay, r)
		}
	}()
	return New(a, opts), nil
}

// shutdown cancels background work when the window closes.
func (vw *Viewer) shutdown() {
	for _, c := range []context.CancelFunc{vw.scanCancel, vw.loadCancel, vw.thumbStop} {
		if c != nil {
			c()
		}
	}
	vw.cine.Pause()
	vw.analysis.close()
	vw.closeComparison()
	vw.viewport.Close()
}

// addShortcuts registers the Ctrl shortcuts that work without the menu
// having focus (the menu items show them too).
func (vw *Viewer) addShortcuts(c fyne.Canvas) {
	add := func(k fyne.KeyName, mods fyne.KeyModifier, fn func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: mods}, func(fyne.Shortcut) { fn() })
	}
	add(fyne.KeyO, fyne.KeyModifierShortcutDefault, vw.showOpenFolder)
	add(fyne.KeyO, fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift, vw.showOpenFile)
	add(fyne.KeyE, fyne.KeyModifierShortcutDefault, vw.exportPNG)
	add(fyne.KeyZ, fyne.KeyModifierShortcutDefault, vw.removeLastMeasurement)
	add(fyne.KeyQ, fyne.KeyModifierShortcutDefault, vw.quit)
}

// removeLastMeasurement undoes the last measurement on the slice on screen.
func (vw *Viewer) removeLastMeasurement() {
	if !vw.viewport.RemoveLastMeasurement() {
		vw.status.SetMessage("No measurement on this slice to remove")
	}
}

func (vw *Viewer) quit() {
	vw.win.Close()
}

// viewportChanged keeps the toolbar and the title in step with the view.
func (vw *Viewer) viewportChanged() {
	vw.toolbar.sync()
	vw.analysis.ui.syncTool()
	vw.compare.follow(vw.viewport)
}

// refocus gives the keyboard back to the viewer after a control took it
// (a list, tree, slider or drop-down keeps the focus after a click, and
// would swallow the slice and preset keys). It runs after the current
// event, so after the control has focused itself.
func (vw *Viewer) refocus() {
	doOnUI(func() {
		if c := vw.win.Canvas(); c.Focused() != nil {
			c.Unfocus()
		}
	})
}

// cineStep advances one slice, looping.
func (vw *Viewer) cineStep() {
	v := vw.viewport
	if n := v.Slices(); n > 1 {
		v.SetSlice((v.Slice() + 1) % n)
	}
}

// toggleRuler switches the left button between the ruler and
// window/level.
func (vw *Viewer) toggleRuler() { vw.toggleTool(RulerTool{}) }

// toggleRegion switches the left button between the elliptical ROI and
// window/level.
func (vw *Viewer) toggleRegion() { vw.toggleTool(EllipseTool{}) }

// toggleAngle switches the left button between the angle tool and
// window/level.
func (vw *Viewer) toggleAngle() { vw.toggleTool(AngleTool{}) }

// toggleArrow switches the left button between the arrow tool and
// window/level (L).
func (vw *Viewer) toggleArrow() { vw.toggleTool(ArrowTool{}) }

// toggleLesion switches the left button between the lesion mark tool and
// window/level (J); lesions are marked on the acquired slices only.
func (vw *Viewer) toggleLesion() {
	if _, on := vw.viewport.Tool().(LesionTool); !on && vw.reformat != nil {
		vw.status.SetMessage(lesionOnReformat)
		return
	}
	vw.toggleTool(LesionTool{})
}

// toggleCalibrate switches the left button between the calibration tool
// and window/level (K).
func (vw *Viewer) toggleCalibrate() { vw.toggleTool(CalibrateTool{}) }

// toggleTool makes t the left button's tool, or window/level when t is
// already.
func (vw *Viewer) toggleTool(t Tool) {
	if vw.viewport.Tool() == t {
		vw.viewport.SetTool(WindowLevelTool{})
	} else {
		vw.viewport.SetTool(t)
	}
}

// SetShowPatientData shows or hides patient identifiers everywhere.
func (vw *Viewer) SetShowPatientData(show bool) {
	vw.showPHI = show
	vw.viewport.SetShowPatientData(show)
	if vw.compare != nil {
		vw.compare.vp.SetShowPatientData(show)
	}
	vw.browser.SetShowPatientData(show)
	vw.updateTitle()
	vw.win.SetMainMenu(vw.mainMenu())
}

// updateTitle names the series on screen (patient only with patient data
// shown).
func (vw *Viewer) updateTitle() {
	t := appTitle
	if s := vw.viewport.Series(); s != nil {
		t += " — " + s.Label()
		if vw.showPHI {
			if n := formatPersonName(vw.viewport.patient.Name); n != "" {
				t += " — " + n
			}
		}
	}
	vw.win.SetTitle(t)
}
