package ui

import (
	"image"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

// windowMode says where the viewport's window comes from.
type windowMode int

const (
	// windowFile shows each frame through its own window (or VOI LUT)
	// when it has one, else through the window adopted from the first
	// frame's full range.
	windowFile windowMode = iota
	// windowExplicit shows every frame through Viewport.window (a preset
	// or the user's drag).
	windowExplicit
)

// Viewport shows one slice of a series: the custom raster widget at the
// heart of the viewer, in the manner of pixeledit's interactiveRaster. It
// owns the view state (slice, window, zoom, pan, inversion, measurements,
// overlay settings) and draws through a renderLoop so that decoding and
// pixel work never run on the UI goroutine. Its renderer adds the corner
// annotations, measurements, colour bar and the research-use mark as
// Fyne objects on top of the image.
//
// Every exported method must be called on the UI goroutine.
type Viewport struct {
	widget.BaseWidget

	series *dicomio.Series
	store  *frameStore
	slice  int

	// Context for the annotations (patient data shown only with showPHI).
	patient   dicomio.Patient
	studyDate string
	studyDesc string
	showPHI   bool

	mode        windowMode
	window      render.Window
	hasWindow   bool
	windowLabel string
	baseWidth   float64 // width of the first window of the series: drag sensitivity
	invert      bool
	hidePlanes  bool // the user switched the DICOM overlay planes off
	// segs are the segmentations' masks over the slices of the series on
	// screen (segmentations.go), drawn with the overlay planes.
	segs     map[int]*sliceMasks
	slabMode dicomio.SlabMode
	slabMM   float64 // slab thickness asked for

	xf  viewTransform
	fit bool // refit on resize until the user zooms or pans

	tool     Tool
	zoomTool ZoomTool
	gesture  gestureState

	cursor   fyne.Position
	hovering bool

	measures []measurement
	// calibrations are the reader's length calibrations, per series
	// (calibration.go); the comparison view shares the main view's map.
	calibrations map[*dicomio.Series]readerCalibration
	// kept holds the measurements of the other series of the study, so
	// that they are there again when the reader comes back to one.
	kept  map[*dicomio.Series][]measurement
	draft *measurement

	overlay overlayParams
	// refLine is where another view's slice cuts this one (image
	// coordinates x0, y0, x1, y1), or nil.
	refLine *[4]float64

	// What is on screen.
	shown      *image.RGBA
	shownFrame *dicomio.Frame
	shownErr   error
	shownSlice int
	shownSlab  slabView
	// shownSlabErr says why the slab asked for could not be made.
	shownSlabErr error

	img  *canvas.Image
	loop *renderLoop

	scrollAcc float32

	// OnChanged, if set, is called (on the UI goroutine) after the slice,
	// window, zoom, tool or overlay changes, so toolbars can follow.
	OnChanged func()
	// OnArrow, if set, is called (on the UI goroutine) when an arrow has
	// been drawn, with its index in Measurements, so that the viewer can
	// ask for its note (SetMeasurementText).
	OnArrow func(i int)
	// OnMeasurements, if set, is called (on the UI goroutine) after the
	// reader added, removed or changed a measurement.
	OnMeasurements func()
	// OnCalibrationLine, if set, is called (on the UI goroutine) with the
	// line the calibration tool drew, so that the viewer can ask for its
	// length (Calibrate).
	OnCalibrationLine func(m measurement)
	// OnNote, if set, is called (on the UI goroutine) with a line for the
	// status bar: why a gesture did nothing.
	OnNote func(msg string)
	// modifiers reports the keyboard modifiers held now (for Ctrl+wheel);
	// the desktop driver's by default.
	modifiers func() fyne.KeyModifier
}

// NewViewport returns an empty viewport.
func NewViewport() *Viewport {
	v := &Viewport{tool: WindowLevelTool{}, fit: true, shownSlice: -1, modifiers: currentModifiers, slabMM: defaultSlabMM,
		calibrations: map[*dicomio.Series]readerCalibration{}}
	v.img = canvas.NewImageFromImage(nil)
	v.img.FillMode = canvas.ImageFillStretch
	v.img.ScaleMode = canvas.ImageScalePixels
	v.loop = newRenderLoop(v.deliver)
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer implements fyne.Widget.
func (v *Viewport) CreateRenderer() fyne.WidgetRenderer { return newViewportRenderer(v) }

// MinSize keeps the viewport usable in a split.
func (v *Viewport) MinSize() fyne.Size { return fyne.NewSize(200, 200) }

// Close stops the render loop; the viewport shows nothing new afterwards.
func (v *Viewport) Close() { v.loop.stop() }

// SetSeries shows series s, whose frames come from store, at slice first.
// A nil series clears the viewport.
func (v *Viewport) SetSeries(s *dicomio.Series, store *frameStore, first int) {
	if v.series != nil && v.series != s {
		switch {
		case len(v.measures) == 0:
			delete(v.kept, v.series)
		case v.kept == nil:
			v.kept = map[*dicomio.Series][]measurement{v.series: v.measures}
		default:
			v.kept[v.series] = v.measures
		}
	}
	if v.series != s {
		v.measures = v.kept[s]
	}
	v.series, v.store = s, store
	v.draft, v.segs = nil, nil
	v.overlay.Result = nil
	v.mode, v.hasWindow, v.windowLabel, v.baseWidth = windowFile, false, "file", 0
	v.invert = false
	v.shownFrame, v.shownErr, v.shownSlice = nil, nil, -1
	v.slice = 0
	if s != nil {
		v.slice = clampInt(first, 0, len(s.Frames)-1)
		if strings.EqualFold(s.Modality, "CT") {
			// The bone window first: this viewer is for bone lesions.
			if ps := render.PresetsFor(s.Modality); len(ps) > 0 {
				v.setWindow(ps[0].Window, ps[0].Name)
			}
		}
		v.xf = viewTransform{Cols: s.Cols(), Rows: s.Rows(), Aspect: aspectOf(s.Geometry.PixelSpacing),
			ViewW: v.xf.ViewW, ViewH: v.xf.ViewH}
	} else {
		v.xf = viewTransform{ViewW: v.xf.ViewW, ViewH: v.xf.ViewH}
		if v.shown != nil {
			clearRGBA(v.shown)
		}
	}
	v.Fit()
	v.changed()
}

// SetContext sets the study context shown in the annotations (patient
// data only when ShowPatientData is on).
func (v *Viewport) SetContext(p dicomio.Patient, st *dicomio.Study) {
	v.patient = p
	v.studyDate, v.studyDesc = "", ""
	if st != nil {
		v.studyDate, v.studyDesc = st.Date, st.Description
	}
	v.Refresh()
}

// Series is the series on screen, or nil.
func (v *Viewport) Series() *dicomio.Series { return v.series }

// Slices is the number of slices of the series on screen.
func (v *Viewport) Slices() int {
	if v.series == nil {
		return 0
	}
	return len(v.series.Frames)
}

// Slice is the index (from 0) of the slice on screen.
func (v *Viewport) Slice() int { return v.slice }

// SetSlice shows slice i, clamped to the series.
func (v *Viewport) SetSlice(i int) {
	if v.series == nil {
		return
	}
	i = clampInt(i, 0, v.Slices()-1)
	if i == v.slice {
		return
	}
	v.slice = i
	v.draft = nil
	v.changed()
}

// ScrollSlices moves n slices (negative: towards the first).
func (v *Viewport) ScrollSlices(n int) { v.SetSlice(v.slice + n) }

// Window is the window applied now, and whether one is known yet (a
// series whose first frame is still loading has none).
func (v *Viewport) Window() (render.Window, bool) { return v.window, v.hasWindow }

// WindowLabel names the window's origin: a preset name, "file" or "custom".
func (v *Viewport) WindowLabel() string { return v.windowLabel }

// SetWindow applies window w, labelled (a preset name, or "custom").
func (v *Viewport) SetWindow(w render.Window, label string) {
	v.setWindow(w, label)
	v.changed()
}

func (v *Viewport) setWindow(w render.Window, label string) {
	if !(w.Width > 0) || math.IsNaN(w.Center) || math.IsInf(w.Center, 0) || math.IsInf(w.Width, 0) {
		return
	}
	v.mode, v.window, v.hasWindow, v.windowLabel = windowExplicit, w, true, label
	if v.baseWidth == 0 {
		v.baseWidth = w.Width
	}
}

// Presets are the window presets of the series' modality (render.
// PresetsFor: bone first for CT) followed by the full dynamic range;
// keys 1… select them in this order.
func (v *Viewport) Presets() []render.Preset {
	mod := ""
	if v.series != nil {
		mod = v.series.Modality
	}
	return append(render.PresetsFor(mod), render.Preset{Key: fullRangeKey, Name: "Full range"})
}

const fullRangeKey = "full-range"

// ApplyPreset applies preset k (from 1, as the number keys) and reports
// whether it exists.
func (v *Viewport) ApplyPreset(k int) bool {
	ps := v.Presets()
	if k < 1 || k > len(ps) || v.series == nil {
		return false
	}
	p := ps[k-1]
	if p.Key == fullRangeKey {
		f := v.currentFrame()
		if f == nil {
			return false
		}
		// The frame's own min–max window: render.DefaultWindow of the
		// frame stripped of its VOI attributes.
		bare := *f
		bare.VOI = dicomio.VOI{}
		p.Window = render.DefaultWindow(&bare)
	}
	v.SetWindow(p.Window, p.Name)
	return true
}

// ResetWindow returns to the file's own window.
func (v *Viewport) ResetWindow() {
	if v.series == nil {
		return
	}
	v.mode, v.windowLabel = windowFile, "file"
	if f := v.currentFrame(); f != nil {
		v.window, v.hasWindow = render.DefaultWindow(f), true
	}
	v.changed()
}

// Invert reports whether the user inverted the display (on top of
// MONOCHROME1's own inversion).
func (v *Viewport) Invert() bool { return v.invert }

// SetInvert sets the user's inversion.
func (v *Viewport) SetInvert(b bool) {
	if b != v.invert {
		v.invert = b
		v.changed()
	}
}

// OverlayPlanes reports whether the images' DICOM overlay planes (PS3.3
// C.9.2) are drawn; they are unless the user switched them off.
func (v *Viewport) OverlayPlanes() bool { return !v.hidePlanes }

// SetOverlayPlanes draws or hides the DICOM overlay planes.
func (v *Viewport) SetOverlayPlanes(show bool) {
	if show == v.hidePlanes {
		v.hidePlanes = !show
		v.changed()
	}
}

// Zoom is the magnification in Fyne units per image column.
func (v *Viewport) Zoom() float64 { return v.xf.Scale }

// Fit zooms and centres the image to fit the viewport, and keeps it
// fitted when the viewport is resized.
func (v *Viewport) Fit() {
	v.fit = true
	v.xf = v.xf.fitted()
	v.changed()
}

// ZoomAbout multiplies the zoom by factor, keeping the image point under
// p in place.
func (v *Viewport) ZoomAbout(p fyne.Position, factor float64) {
	if v.series == nil {
		return
	}
	v.fit = false
	v.xf = v.xf.zoomAbout(p, factor)
	v.changed()
}

// keyZoomStep is the zoom factor of one + or − key press.
const keyZoomStep = 1.25

// ZoomStep zooms in (steps > 0) or out by keyZoomStep per step about the
// image point under the pointer, or the view's centre when the pointer
// is elsewhere: the keyboard's zoom (+, −).
func (v *Viewport) ZoomStep(steps int) {
	at := fyne.NewPos(float32(v.xf.ViewW/2), float32(v.xf.ViewH/2))
	if v.hovering {
		at = v.cursor
	}
	v.ZoomAbout(at, math.Pow(keyZoomStep, float64(steps)))
}

// PanBy moves the image by d.
func (v *Viewport) PanBy(d fyne.Delta) {
	if v.series == nil {
		return
	}
	v.fit = false
	v.xf = v.xf.panBy(d)
	v.changed()
}

// CentreOn puts image point (x, y) (continuous column, row) at the centre
// of the viewport.
func (v *Viewport) CentreOn(x, y float64) {
	v.fit = false
	v.xf = v.xf.centredOn(x, y)
	v.changed()
}

// Tool is the left button's tool.
func (v *Viewport) Tool() Tool { return v.tool }

// SetTool chooses the left button's tool.
func (v *Viewport) SetTool(t Tool) {
	if t == nil {
		t = WindowLevelTool{}
	}
	v.tool = t
	v.draft = nil
	v.changed()
}

// Measurements are the ruler measurements of the series, on all slices.
func (v *Viewport) Measurements() []measurement { return v.measures }

// ForgetMeasurements drops every measurement, those on screen and those
// kept for other series, when a new study replaces the open one.
func (v *Viewport) ForgetMeasurements() {
	v.measures, v.kept = nil, nil
	clear(v.calibrations) // cleared, not replaced: the comparison view shares it
}

// RemoveLastMeasurement removes the measurement drawn last on the slice on
// screen (an angle still being drawn first), and reports whether there was
// one.
func (v *Viewport) RemoveLastMeasurement() bool {
	if v.draft != nil {
		v.draft = nil
		v.Refresh()
		return true
	}
	for i := len(v.measures) - 1; i >= 0; i-- {
		if v.measures[i].Slice == v.slice {
			v.measures = append(v.measures[:i:i], v.measures[i+1:]...)
			v.Refresh()
			if v.OnChanged != nil {
				v.OnChanged()
			}
			v.measurementsChanged()
			return true
		}
	}
	return false
}

// ClearMeasurements removes every measurement of the series.
// Lesion marks stay: they are part of the reading (a reader study's false
// negatives), not measurements; Ctrl+Z removes them one at a time.
func (v *Viewport) ClearMeasurements() {
	var marks []measurement
	for _, m := range v.measures {
		if m.Lesion {
			marks = append(marks, m)
		}
	}
	had := len(marks) != len(v.measures)
	v.measures, v.draft = marks, nil
	v.Refresh()
	if had {
		v.measurementsChanged()
	}
}

// measurementsChanged tells OnMeasurements.
func (v *Viewport) measurementsChanged() {
	if v.OnMeasurements != nil {
		v.OnMeasurements()
	}
}

// SetSegmentations gives the masks of the segmentations lying on series s
// (by slice), if s is still on screen.
func (v *Viewport) SetSegmentations(s *dicomio.Series, bySlice map[int]*sliceMasks) {
	if s != v.series {
		return
	}
	v.segs = bySlice
	v.changed()
}

// masksAt are the masks drawn over slice k: none when the overlay planes
// are hidden.
func (v *Viewport) masksAt(k int) *sliceMasks {
	if v.hidePlanes {
		return nil
	}
	return v.segs[k]
}

// ShowPatientData reports whether patient identifiers are shown.
func (v *Viewport) ShowPatientData() bool { return v.showPHI }

// SetShowPatientData shows or hides patient identifiers in the
// annotations.
func (v *Viewport) SetShowPatientData(b bool) {
	v.showPHI = b
	v.Refresh()
}

// Overlay returns the overlay settings.
func (v *Viewport) Overlay() overlayParams { return v.overlay }

// SetOverlay replaces the overlay settings (the analysis result must be
// of the series on screen, or nil).
func (v *Viewport) SetOverlay(o overlayParams) {
	v.overlay = o
	v.changed()
}

// ImagePoint maps a viewport position to the voxel (column, row, slice)
// under it, and whether it lies inside the image. It accounts for zoom,
// pan, the pixel aspect and the canvas scale (HiDPI).
func (v *Viewport) ImagePoint(p fyne.Position) (col, row, slice int, ok bool) {
	if v.series == nil {
		return 0, 0, 0, false
	}
	col, row, ok = v.xf.Pixel(p)
	return col, row, v.slice, ok
}

// DevicePixel is the pixel of the view image (device pixels) at viewport
// position p: the canvas scale applied as the painter applies it.
func (v *Viewport) DevicePixel(p fyne.Position) (int, int) {
	s := canvasScale(v)
	return int(math.Floor(float64(p.X * s))), int(math.Floor(float64(p.Y * s)))
}

// ViewImage is the image on screen (device pixels), or nil.
func (v *Viewport) ViewImage() *image.RGBA { return v.shown }

// sliceFrame is the decoded frame of the slice on screen itself, slab or
// not, or nil: measurements belong to a slice, so region statistics read
// it (as measurements.csv does).
func (v *Viewport) sliceFrame() *dicomio.Frame {
	if v.store == nil {
		return nil
	}
	f, _ := v.store.peek(v.slice)
	return f
}

// currentFrame is the decoded frame of the slice on screen, or nil: the
// thick slab centred on it while one is shown, so that the value under the
// cursor is what the reader sees (region statistics read sliceFrame).
func (v *Viewport) currentFrame() *dicomio.Frame {
	if sv := v.slab(); sv.active() {
		if v.shownSlice == v.slice && v.shownSlab == sv {
			return v.shownFrame
		}
		return nil
	}
	return v.sliceFrame()
}

// SetReferenceLine shows where another view's slice cuts this one, from
// image point (x0, y0) to (x1, y1); nil removes it.
func (v *Viewport) SetReferenceLine(line *[4]float64) {
	if line == v.refLine || line != nil && v.refLine != nil && *line == *v.refLine {
		return
	}
	v.refLine = line
	v.Refresh()
}

// Orientation is how the image is turned or mirrored on screen.
func (v *Viewport) Orientation() orientation { return v.xf.Orient }

// SetOrientation turns or mirrors the image on screen about the view's
// centre; the pixels, measurements and cursor readout are those of the
// frame as before. A new series starts upright.
func (v *Viewport) SetOrientation(o orientation) {
	v.xf.Orient = o
	if v.fit {
		v.xf = v.xf.fitted()
	}
	v.changed()
}

// Slab is the thick-slab mode and the thickness (mm) asked for.
func (v *Viewport) Slab() (dicomio.SlabMode, float64) { return v.slabMode, v.slabMM }

// SetSlab sets the thick-slab mode (dicomio.SlabOff for single slices)
// and thickness in mm (kept when not positive). The slab spans the odd
// number of slices nearest that thickness, centred on the slice on screen.
func (v *Viewport) SetSlab(mode dicomio.SlabMode, thicknessMM float64) {
	if thicknessMM > 0 {
		v.slabMM = thicknessMM
	}
	v.slabMode = mode
	v.changed()
}

// slab is the thick slab of the view now.
func (v *Viewport) slab() slabView { return slabFor(v.series, v.slice, v.slabMode, v.slabMM) }

// changed requests a new view and tells listeners.
func (v *Viewport) changed() {
	v.requestRender()
	v.Refresh()
	if v.OnChanged != nil {
		v.OnChanged()
	}
}

// requestRender asks the render loop for the current view.
func (v *Viewport) requestRender() {
	if v.series == nil || v.store == nil || v.xf.ViewW <= 0 || v.xf.ViewH <= 0 {
		return
	}
	v.loop.request(renderRequest{store: v.store, viewParams: v.params()})
}

// params captures the view state for the render loop.
func (v *Viewport) params() viewParams {
	return viewParams{
		slice:      v.slice,
		fileWindow: v.mode == windowFile,
		window:     v.window,
		hasWindow:  v.hasWindow,
		invert:     v.invert,
		planes:     !v.hidePlanes,
		masks:      v.masksAt(v.slice),
		slab:       v.slab(),
		xf:         v.xf,
		pixScale:   canvasScale(v),
		overlay:    v.overlay,
	}
}

// deliver takes a finished view from the render loop (UI goroutine).
func (v *Viewport) deliver(res renderResult) {
	if res.req.store != v.store {
		v.loop.release(res.img) // a view of a series no longer shown
		return
	}
	old := v.shown
	v.shown = res.img
	v.img.Image = res.img
	if old != nil && old != res.img {
		v.loop.release(old)
	}
	v.shownFrame, v.shownErr, v.shownSlice = res.frame, res.err, res.req.slice
	v.shownSlab, v.shownSlabErr = res.req.slab, res.slabErr
	if res.frame != nil && v.mode == windowFile && res.frame.Monochrome() {
		v.window, v.hasWindow = res.window, true
	}
	if res.frame != nil && v.baseWidth == 0 && res.window.Width > 0 {
		v.baseWidth = res.window.Width
	}
	v.img.Refresh()
	v.Refresh()
}

// sizeChanged is called by the renderer's Layout.
func (v *Viewport) sizeChanged(s fyne.Size) {
	w, h := float64(s.Width), float64(s.Height)
	if w == v.xf.ViewW && h == v.xf.ViewH {
		return
	}
	if !v.fit && v.xf.ViewW > 0 && v.xf.ViewH > 0 {
		// Keep the centre point and the zoom; the view grows or shrinks.
		v.xf.ViewW, v.xf.ViewH = w, h
	} else {
		v.xf.ViewW, v.xf.ViewH = w, h
		v.xf = v.xf.fitted()
	}
	v.requestRender()
	if v.OnChanged != nil {
		v.OnChanged()
	}
}

// cursorInfo describes the voxel under the pointer, or nil.
func (v *Viewport) cursorInfo() *cursorInfo {
	if !v.hovering || v.series == nil {
		return nil
	}
	col, row, slice, ok := v.ImagePoint(v.cursor)
	if !ok {
		return nil
	}
	c := &cursorInfo{Col: col, Row: row, Slice: slice, Value: math.NaN(), Unit: v.valueUnit()}
	sv := v.slab()
	slab := sv.active() && !(v.shownSlab == sv && v.shownSlabErr != nil) // a slab that could not be made shows its slice
	if slab {
		c.Slab = sv.mode.String()
	}
	if f := v.currentFrame(); f != nil && col < f.Cols && row < f.Rows {
		i := (row*f.Cols + col) * f.Samples
		switch {
		case f.Samples == 3 && i+2 < f.Len():
			c.Colour = true
			c.RGB = [3]int64{f.Stored(i), f.Stored(i + 1), f.Stored(i + 2)}
		case i < f.Len() && f.Float == nil && f.IsPadding(f.Stored(i)):
			c.Padding = true
		case i < f.Len() && c.Unit == "HU":
			c.Value = f.Value(i)
		case i < f.Len():
			c.Value = float64(f.Stored(i))
			if f.Float != nil {
				c.Value = f.Float[i]
			}
		}
	}
	if g := &v.series.Geometry; g.Known {
		p := g.VoxelToPatient(float64(col), float64(row), float64(slice))
		c.MM, c.HasMM = p, true
	}
	if r := v.overlay.Result; r != nil && v.overlay.Visible {
		c.Prob, c.HasProb = r.Probability(slice, row, col), true
		if slab {
			c.Prob = r.MaxProbability(sv.lo, sv.hi, row, col)
		}
	}
	return c
}

// overlayInfo gathers the annotations' state.
func (v *Viewport) overlayInfo() overlayInfo {
	in := overlayInfo{ShowPHI: v.showPHI, Patient: v.patient, StudyDate: v.studyDate, StudyDesc: v.studyDesc,
		Window: v.window, HasWindow: v.hasWindow, WindowLabel: v.windowLabel, Invert: v.invert}
	if v.series == nil {
		return in
	}
	s := v.series
	in.Modality, in.SeriesLabel = s.Modality, s.Label()
	in.Rows, in.Cols = s.Rows(), s.Cols()
	in.Slice, in.Slices = v.slice, len(s.Frames)
	var po []string
	if v.slice < len(s.Frames) && s.Frames[v.slice].Instance != nil {
		po = s.Frames[v.slice].Instance.PatientOrientation
	}
	in.Edges = v.xf.Orient.edges(edgeLabels(s.Geometry, po))
	in.Orientation = v.xf.Orient.String()
	if s.Geometry.Known {
		in.Position, in.HasPosition = s.Geometry.SlicePosition(v.slice), true
	}
	if v.slice < len(s.Frames) {
		fi := s.Frames[v.slice].Info()
		in.Thickness = fi.SliceThickness
		var src dicomio.SpacingSource
		in.Spacing, src = v.spacingAt(v.slice)
		in.SpacingNote = src.Describe()
	}
	in.Zoom = v.xf.Scale
	if sv := v.slab(); sv.active() {
		in.Slab = sv.label(s.Geometry.SliceSpacing)
		if v.shownSlabErr != nil && v.shownSlab == sv {
			in.Slab = "no slab: " + shortError(v.shownSlabErr)
		}
	}
	if f := v.currentFrame(); f != nil {
		in.Colour = !f.Monochrome()
		in.Planes = planesLine(f, !v.hidePlanes)
		in.Segments = segmentsLine(v.segs[v.slice], !v.hidePlanes)
	}
	switch {
	case v.shownErr != nil && v.shownSlice == v.slice:
		in.Status = "cannot decode: " + shortError(v.shownErr)
	case v.shownSlice != v.slice || v.shownFrame == nil:
		in.Status = "loading…"
	}
	in.Cursor = v.cursorInfo()
	if o := v.overlay; o.Result != nil && o.Visible {
		mode := "filled"
		if o.Contours {
			mode = "contours"
		}
		in.Overlay = "AI " + o.Map.Name + " " + mode + ", p ≥ " + trimFloat(o.Threshold, 2)
	}
	if _, wl := v.tool.(WindowLevelTool); !wl {
		in.Tool = v.tool.Name()
	}
	return in
}

// valueUnit is the unit of the modality values: "HU" for CT, else none.
func (v *Viewport) valueUnit() string {
	if v.series != nil && strings.EqualFold(v.series.Modality, "CT") {
		return "HU"
	}
	return ""
}

// spacing is the pixel spacing (row, column) lengths on the slice on
// screen are measured with (spacingAt).
func (v *Viewport) spacing() [2]float64 {
	sp, _ := v.spacingAt(v.slice)
	return sp
}

// spacingSource says where spacing() holds: in the patient, at a
// radiograph's detector, or as the reader calibrated it.
func (v *Viewport) spacingSource() dicomio.SpacingSource {
	_, src := v.spacingAt(v.slice)
	return src
}

// shortError keeps an error message to one short line.
func shortError(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 80 {
		s = s[:77] + "…"
	}
	return s
}

func clampInt(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return max(lo, min(hi, v))
}
