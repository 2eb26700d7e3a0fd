package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/myeloview/myeloview/render"
)

func TestParseWindow(t *testing.T) {
	for _, tc := range []struct {
		width, level string
		want         render.Window
		err          string
	}{
		{"2000", "500", render.Window{Center: 500, Width: 2000}, ""},
		{" 400 ", "-40.5", render.Window{Center: -40.5, Width: 400}, ""},
		{"0.5", "40", render.Window{}, "1 or more"},
		{"wide", "40", render.Window{}, "not a number"},
		{"400", "NaN", render.Window{}, "not a number"},
		{"Inf", "40", render.Window{}, "not a number"},
	} {
		w, err := parseWindow(tc.width, tc.level)
		if tc.err == "" && (err != nil || w != tc.want) || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("parseWindow(%q, %q) = %v, %v; want %v, %q", tc.width, tc.level, w, err, tc.want, tc.err)
		}
	}
}

// TestViewerTypedWindow: W asks for a window, filled with the one shown;
// Enter applies what was typed; a width under 1 changes nothing and says
// why.
func TestViewerTypedWindow(t *testing.T) {
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, smallSample(t))
	v := vw.viewport
	c := vw.win.Canvas()
	before, _ := v.Window()
	c.OnTypedRune()('w')
	width, ok := c.Focused().(*escEntry)
	if vw.windowPrompt == nil || !ok || width.Text != trimFloat(before.Width, 1) {
		t.Fatalf("W asked nothing, or the width field (%T) does not hold the window shown", c.Focused())
	}
	width.SetText("")
	test.Type(width, "350")
	width.OnSubmitted(width.Text)
	if w, _ := v.Window(); w.Width != 350 || w.Center != before.Center || v.WindowLabel() != "custom" {
		t.Errorf("window %v (%s) after typing width 350", w, v.WindowLabel())
	}
	c.OnTypedRune()('w')
	width = c.Focused().(*escEntry)
	width.SetText("0")
	vw.windowPrompt.Confirm()
	if w, _ := v.Window(); w.Width != 350 || !strings.Contains(vw.status.Message(), "Window not changed") {
		t.Errorf("a zero width gave window %v, status %q", w, vw.status.Message())
	}
}

// TestEscapeClosesDialogs: Esc closes the dialog on top without doing
// what it asked (from the window, or from a dialog's focused text field),
// and with nothing on top returns to the window/level tool.
func TestEscapeClosesDialogs(t *testing.T) {
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, smallSample(t))
	c := vw.win.Canvas()
	esc := &fyne.KeyEvent{Name: fyne.KeyEscape}
	c.OnTypedRune()('e') // the ROI tool
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF1})
	if c.Overlays().Top() == nil {
		t.Fatal("F1 showed nothing")
	}
	c.OnTypedKey()(esc)
	if c.Overlays().Top() != nil {
		t.Error("Esc left the shortcuts open")
	}
	if _, ok := vw.viewport.Tool().(EllipseTool); !ok {
		t.Errorf("Esc closing a dialog also changed the tool to %s", vw.viewport.Tool().Name())
	}
	c.OnTypedKey()(esc)
	if _, ok := vw.viewport.Tool().(WindowLevelTool); !ok {
		t.Errorf("Esc with nothing open: tool %s", vw.viewport.Tool().Name())
	}
	// From the typed window's focused field: the window stays.
	before, _ := vw.viewport.Window()
	c.OnTypedRune()('w')
	field := c.Focused().(*escEntry)
	field.SetText("123")
	field.TypedKey(esc)
	if w, _ := vw.viewport.Window(); w != before || c.Overlays().Top() != nil {
		t.Errorf("Esc in the window dialog: window %v (was %v), dialog still open: %v", w, before, c.Overlays().Top() != nil)
	}
}
