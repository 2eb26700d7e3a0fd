package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fileWindowOption is the preset menu's entry for the file's own window.
const fileWindowOption = "File window (0)"

// toolbar holds the viewer's controls above the image: open, window
// presets, invert, fit, ruler, cine, the slice slider and the model. It
// follows the viewport through sync. UI goroutine only.
type toolbar struct {
	vw       *Viewer
	presets  *widget.Select
	invert   *widget.Button
	ruler    *widget.Button
	region   *widget.Button
	angle    *widget.Button
	arrow    *widget.Button
	play     *widget.Button
	fps      *widget.Select
	slider   *widget.Slider
	position *widget.Label
	run      *widget.Button
	content  fyne.CanvasObject
	syncing  bool
	options  []string // preset option labels, in key order
}

func newToolbar(vw *Viewer) *toolbar {
	t := &toolbar{vw: vw}
	open := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), vw.showOpenFolder)
	t.presets = widget.NewSelect(nil, t.presetChosen)
	t.presets.PlaceHolder = "Window"
	t.invert = widget.NewButtonWithIcon("Invert", theme.ColorChromaticIcon(), func() {
		vw.viewport.SetInvert(!vw.viewport.Invert())
	})
	fit := widget.NewButtonWithIcon("Fit", theme.ZoomFitIcon(), vw.viewport.Fit)
	t.ruler = widget.NewButtonWithIcon("Ruler", RulerTool{}.Icon(), vw.toggleRuler)
	t.region = widget.NewButtonWithIcon("ROI", EllipseTool{}.Icon(), vw.toggleRegion)
	t.angle = widget.NewButtonWithIcon("Angle", AngleTool{}.Icon(), vw.toggleAngle)
	t.arrow = widget.NewButtonWithIcon("Arrow", ArrowTool{}.Icon(), vw.toggleArrow)
	t.play = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), func() { vw.cine.Toggle() })
	var rates []string
	for _, r := range cineRates {
		rates = append(rates, fmt.Sprintf("%d fps", r))
	}
	t.fps = widget.NewSelect(rates, func(s string) {
		var n int
		if _, err := fmt.Sscanf(s, "%d fps", &n); err == nil {
			vw.cine.SetFPS(n)
		}
		vw.refocus()
	})
	t.fps.SetSelected(fmt.Sprintf("%d fps", defaultCineRate))
	t.slider = widget.NewSlider(1, 2)
	t.slider.Step = 1
	t.slider.OnChanged = func(f float64) {
		if !t.syncing {
			vw.viewport.SetSlice(int(f) - 1)
		}
	}
	t.slider.OnChangeEnded = func(float64) { vw.refocus() }
	t.position = widget.NewLabel("–/–")
	t.run = widget.NewButtonWithIcon("Run model", theme.MediaFastForwardIcon(), func() { vw.analysis.Run() })
	t.run.Importance = widget.HighImportance
	for _, b := range []*widget.Button{open, fit, t.invert, t.ruler, t.region, t.angle, t.arrow, t.play} {
		b.Importance = widget.LowImportance
	}
	left := container.NewHBox(open, widget.NewSeparator(), t.presets, t.invert, fit, t.ruler, t.region, t.angle, t.arrow,
		widget.NewSeparator(), t.play, t.fps)
	right := container.NewHBox(t.position, widget.NewSeparator(), t.run)
	t.content = container.NewBorder(nil, nil, left, right, t.slider)
	t.sync()
	return t
}

// presetChosen applies a preset picked from the menu.
func (t *toolbar) presetChosen(s string) {
	if t.syncing || s == "" {
		return
	}
	defer t.vw.refocus()
	if s == fileWindowOption {
		t.vw.viewport.ResetWindow()
		return
	}
	for i, o := range t.options {
		if o == s {
			t.vw.viewport.ApplyPreset(i + 1)
			return
		}
	}
}

// sync makes the controls show the viewport's state.
func (t *toolbar) sync() {
	t.syncing = true
	defer func() { t.syncing = false }()
	v := t.vw.viewport
	ps := v.Presets()
	opts := make([]string, len(ps))
	for i, p := range ps {
		opts[i] = fmt.Sprintf("%s (%d)", p.Name, i+1)
	}
	t.options = opts
	t.presets.Options = append([]string{fileWindowOption}, opts...)
	selected := ""
	if v.Series() != nil {
		switch label := v.WindowLabel(); label {
		case "file":
			selected = fileWindowOption
		default:
			for i, p := range ps {
				if p.Name == label {
					selected = opts[i]
				}
			}
		}
	}
	if selected == "" {
		t.presets.ClearSelected()
		t.presets.PlaceHolder = "Custom window"
		if v.Series() == nil {
			t.presets.PlaceHolder = "Window"
		}
	} else if t.presets.Selected != selected {
		t.presets.SetSelected(selected)
	}
	t.presets.Refresh()

	setActive(t.invert, v.Invert())
	_, ruler := v.Tool().(RulerTool)
	setActive(t.ruler, ruler)
	_, region := v.Tool().(EllipseTool)
	setActive(t.region, region)
	_, angle := v.Tool().(AngleTool)
	setActive(t.angle, angle)
	_, arrow := v.Tool().(ArrowTool)
	setActive(t.arrow, arrow)
	if t.vw.cine != nil && t.vw.cine.Playing() {
		t.play.SetIcon(theme.MediaPauseIcon())
	} else {
		t.play.SetIcon(theme.MediaPlayIcon())
	}

	n := v.Slices()
	if n > 1 {
		t.slider.Min, t.slider.Max = 1, float64(n)
		t.slider.Enable()
	} else {
		t.slider.Min, t.slider.Max = 1, 2
		t.slider.Disable()
	}
	if n > 0 {
		t.slider.SetValue(float64(v.Slice() + 1))
		t.position.SetText(strconv.Itoa(v.Slice()+1) + "/" + strconv.Itoa(n))
	} else {
		t.slider.SetValue(1)
		t.position.SetText("–/–")
	}
}

// setActive shows a toggle button's state through its importance.
func setActive(b *widget.Button, on bool) {
	want := widget.LowImportance
	if on {
		want = widget.HighImportance
	}
	if b.Importance != want {
		b.Importance = want
		b.Refresh()
	}
}
