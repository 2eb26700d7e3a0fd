package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/sample"
)

// smallSample writes a small sample study (16 slices of 64²) to a temp
// folder.
func smallSample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := sample.Write(dir, sample.Options{Slices: 16, Size: 64}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newTestViewer builds the viewer window on a test app.
func newTestViewer(t *testing.T, opts Options) *Viewer {
	t.Helper()
	t.Setenv(inference.EnvCacheDir, t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // annotations stay out of the user's folder
	a := test.NewTempApp(t)
	vw := New(a, opts)
	vw.win.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(func() {
		vw.shutdown()
		testUI.drain()
	})
	return vw
}

// openAndWait opens paths and waits until the first series is loaded and
// shown.
func openAndWait(t *testing.T, vw *Viewer, paths ...string) {
	t.Helper()
	vw.Open(paths)
	waitFor(t, "the series to load", 30*time.Second, func() bool {
		v := vw.viewport
		return v.Series() != nil && vw.store != nil && vw.store.Loaded() == v.Slices() && len(vw.status.tasks) == 0
	})
	settle(t, vw.viewport)
}

func TestViewerOpenKeysAndControls(t *testing.T) {
	dir := smallSample(t)
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, dir)
	v := vw.viewport
	if v.Slices() != 16 || v.Slice() != 8 {
		t.Fatalf("opened %d slices at slice %d, want 16 at the middle (8)", v.Slices(), v.Slice())
	}
	if v.shownFrame == nil || v.shownSlice != 8 {
		t.Fatalf("nothing shown (slice %d)", v.shownSlice)
	}
	c := vw.win.Canvas()
	key := func(k fyne.KeyName) { c.OnTypedKey()(&fyne.KeyEvent{Name: k}) }
	keys := []struct {
		key  fyne.KeyName
		want int
	}{
		{fyne.KeyDown, 9}, {fyne.KeyRight, 10}, {fyne.KeyUp, 9}, {fyne.KeyLeft, 8},
		{fyne.KeyPageDown, 15}, {fyne.KeyPageUp, 5}, {fyne.KeyHome, 0}, {fyne.KeyEnd, 15}, {fyne.KeyPageUp, 5},
	}
	for _, k := range keys {
		key(k.key)
		if v.Slice() != k.want {
			t.Fatalf("after %s: slice %d, want %d", k.key, v.Slice(), k.want)
		}
		if got := vw.toolbar.slider.Value; int(got) != k.want+1 {
			t.Errorf("after %s: slider at %v, want %d", k.key, got, k.want+1)
		}
	}

	// Number keys choose presets, 0 the file's window (the sample's first
	// window is soft tissue 40/400).
	typeRune := func(r rune) { c.OnTypedRune()(r) }
	presets := v.Presets()
	for k := 1; k <= 5; k++ {
		typeRune(rune('0' + k))
		if w, _ := v.Window(); w != presets[k-1].Window {
			t.Errorf("key %d: window %v, want %v", k, w, presets[k-1].Window)
		}
		if want := fmt.Sprintf("%s (%d)", presets[k-1].Name, k); vw.toolbar.presets.Selected != want {
			t.Errorf("key %d: drop-down shows %q, want %q", k, vw.toolbar.presets.Selected, want)
		}
	}
	typeRune('0')
	settle(t, v)
	if w, _ := v.Window(); w.Center != 40 || w.Width != 400 || v.WindowLabel() != "file" {
		t.Errorf("key 0: window %v (%s), want the file's 40/400", w, v.WindowLabel())
	}
	// The drop-down applies presets too.
	vw.toolbar.presets.SetSelected("Lung (4)")
	if w, _ := v.Window(); w != presets[3].Window {
		t.Errorf("drop-down Lung: window %v", w)
	}
	// A drag leaves the presets: the drop-down says so.
	v.beginWindowDrag()
	v.dragWindow(fyne.NewDelta(10, 0))
	if vw.toolbar.presets.Selected != "" || vw.toolbar.presets.PlaceHolder != "Custom window" {
		t.Errorf("after a drag the drop-down shows %q / %q", vw.toolbar.presets.Selected, vw.toolbar.presets.PlaceHolder)
	}
	typeRune('i')
	if !v.Invert() {
		t.Error("I did not invert")
	}
	typeRune('I')
	if v.Invert() {
		t.Error("I again did not restore")
	}
	typeRune('m')
	if _, ok := v.Tool().(RulerTool); !ok {
		t.Error("M did not choose the ruler")
	}
	typeRune('e')
	if _, ok := v.Tool().(EllipseTool); !ok {
		t.Error("E did not choose the elliptical ROI")
	}
	typeRune('e')
	if _, ok := v.Tool().(WindowLevelTool); !ok {
		t.Error("E again did not return to window/level")
	}
	typeRune('m')
	key(fyne.KeyEscape)
	if _, ok := v.Tool().(WindowLevelTool); !ok {
		t.Error("Esc did not return to window/level")
	}
	// The slider moves through the slices.
	vw.toolbar.slider.SetValue(3)
	if v.Slice() != 2 {
		t.Errorf("slider at 3: slice %d, want 2", v.Slice())
	}

	// Cine steps on its own and stops.
	vw.cine.SetFPS(30)
	key(fyne.KeySpace)
	if !vw.cine.Playing() {
		t.Fatal("Space did not start cine")
	}
	start := v.Slice()
	waitFor(t, "cine to step", 5*time.Second, func() bool { return v.Slice() != start })
	key(fyne.KeySpace)
	if vw.cine.Playing() {
		t.Error("Space did not pause cine")
	}

	// The recent list holds the folder.
	abs, _ := filepath.Abs(dir)
	if items := vw.recent.Items(); len(items) == 0 || items[0][0] != abs {
		t.Errorf("recent studies %v, want %s first", items, abs)
	}
}

func TestViewerPatientDataHiddenByDefault(t *testing.T) {
	dir := smallSample(t)
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, dir)
	name := vw.catalog.Patients[0].Patient.Name
	if name == "" {
		t.Fatal("the sample has no patient name to hide")
	}
	shown := formatPersonName(name)
	hasName := func() []string {
		var where []string
		if strings.Contains(vw.browser.branchLabel("p0"), shown) {
			where = append(where, "browser")
		}
		if strings.Contains(vw.win.Title(), shown) {
			where = append(where, "title")
		}
		tl, tr, bl, br := cornerText(vw.viewport.overlayInfo())
		if strings.Contains(strings.Join(append(append(append(tl, tr...), bl...), br...), "\n"), shown) {
			where = append(where, "annotations")
		}
		return where
	}
	if w := hasName(); len(w) != 0 {
		t.Errorf("patient name shown by default in %v", w)
	}
	if l := vw.browser.branchLabel("p0"); l != "Patient 1" {
		t.Errorf("patient node %q, want Patient 1", l)
	}
	vw.SetShowPatientData(true)
	if w := hasName(); len(w) != 3 {
		t.Errorf("with patient data on, the name is only in %v", w)
	}
}

func TestViewerListsUnreadableFiles(t *testing.T) {
	dir := smallSample(t)
	bad := filepath.Join(dir, "broken.dcm")
	// A Part 10 preamble and magic, then a truncated element.
	data := append(make([]byte, 128), []byte("DICM\x02\x00\x00\x00UL\x04\x00")...)
	if err := os.WriteFile(bad, data, 0o644); err != nil {
		t.Fatal(err)
	}
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, dir, bad)
	b := vw.browser
	kids := b.childUIDs("")
	if len(kids) != 2 || kids[1] != errorsNodeID {
		t.Fatalf("browser roots %v, want a patient and the unreadable files", kids)
	}
	if l := b.branchLabel(errorsNodeID); l != "Unreadable files (1)" {
		t.Errorf("errors node %q", l)
	}
	var shown []string
	b.OnProblems = func(_ string, p []string) { shown = p }
	b.selected(errorsNodeID + "/0")
	if len(shown) != 1 || !strings.Contains(shown[0], "broken.dcm") {
		t.Errorf("clicking the unreadable file showed %q", shown)
	}
	if !strings.Contains(vw.status.lastText, "1 unreadable") {
		t.Errorf("status %q does not mention the unreadable file", vw.status.lastText)
	}
}

func TestViewerOpensSampleStudy(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the sample study")
	}
	vw := newTestViewer(t, Options{})
	vw.OpenSample()
	waitFor(t, "the sample study", 60*time.Second, func() bool {
		return vw.viewport.Series() != nil && vw.store.Loaded() == vw.viewport.Slices() && len(vw.status.tasks) == 0
	})
	def := sample.Options{}.WithDefaults()
	if n := vw.viewport.Slices(); n != def.Slices {
		t.Errorf("sample has %d slices, want %d", n, def.Slices)
	}
	if len(vw.recent.Items()) != 0 {
		t.Error("the sample study went into the recent list")
	}
	// A second start reuses the files.
	dir, generated, err := ensureSample(sample.Options{})
	if err != nil || generated {
		t.Errorf("second ensureSample: generated=%v err=%v", generated, err)
	}
	if !strings.HasPrefix(dir, os.Getenv(inference.EnvCacheDir)) {
		t.Errorf("sample in %s, not the cache folder", dir)
	}
}

func TestEnsureSample(t *testing.T) {
	t.Setenv(inference.EnvCacheDir, t.TempDir())
	o := sample.Options{Slices: 16, Size: 64, Seed: 3}
	dir, generated, err := ensureSample(o)
	if err != nil || !generated {
		t.Fatalf("first call: generated=%v err=%v", generated, err)
	}
	if !strings.HasSuffix(dir, "sample-16x64-seed3") {
		t.Errorf("folder %s", dir)
	}
	if _, generated, _ := ensureSample(o); generated {
		t.Error("a complete sample was generated again")
	}
	// A missing slice makes it incomplete: it is written again.
	if err := os.Remove(filepath.Join(dir, sample.FileName(7))); err != nil {
		t.Fatal(err)
	}
	if sampleComplete(dir, o) {
		t.Error("incomplete sample reported complete")
	}
	if _, generated, err := ensureSample(o); err != nil || !generated || !sampleComplete(dir, o) {
		t.Errorf("repair: generated=%v err=%v complete=%v", generated, err, sampleComplete(dir, o))
	}
}

func TestRecentStudies(t *testing.T) {
	a := test.NewTempApp(t)
	r := recentStudies{prefs: a.Preferences()}
	for i := range maxRecent + 3 {
		r.Add([]string{fmt.Sprintf("/data/study%d", i)})
	}
	r.Add([]string{"/data/study5"}) // again: moves to the front
	items := r.Items()
	if len(items) != maxRecent {
		t.Fatalf("%d entries, want %d", len(items), maxRecent)
	}
	if items[0][0] != "/data/study5" || items[1][0] != fmt.Sprintf("/data/study%d", maxRecent+2) {
		t.Errorf("order %v", items[:2])
	}
	for _, it := range items[1:] {
		if it[0] == "/data/study5" {
			t.Error("duplicate entry kept")
		}
	}
	r.Add([]string{"/a b/c,d", "/e"})
	if got := r.Items()[0]; len(got) != 2 || got[0] != "/a b/c,d" {
		t.Errorf("paths with spaces and commas came back as %q", got)
	}
	if l := recentLabel([]string{"/x/y/z", "/q"}); l != "y/z (+1)" {
		t.Errorf("label %q", l)
	}
	r.Clear()
	if len(r.Items()) != 0 {
		t.Error("Clear left entries")
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args      []string
		want      Options
		wantUsage bool
	}{
		{nil, Options{Provider: "auto"}, false},
		{[]string{"a", "--model", "m", "b"}, Options{Paths: []string{"a", "b"}, ModelDir: "m", Provider: "auto"}, false},
		{[]string{"--provider", "cpu", "--", "--odd"}, Options{Paths: []string{"--odd"}, Provider: "cpu"}, false},
		{[]string{"--provider", "gpu9"}, Options{}, true},
		{[]string{"--frobnicate"}, Options{}, true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stderr strings.Builder
			got, err := ParseArgs(tt.args, &stderr)
			if tt.wantUsage {
				if !errors.Is(err, ErrUsage) || stderr.Len() == 0 {
					t.Errorf("err %v, stderr %q: want a usage error", err, stderr.String())
				}
				return
			}
			if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestShortcutsListedInHelp(t *testing.T) {
	rows := shortcutRows()
	text := fmt.Sprint(rows)
	for _, want := range []string{"Page Up", "Home", "End", "1 … 6", "0", "I", "M", "R", "O", "N", "P", "Space",
		"Ctrl + wheel", "Right drag", "Middle drag", "Double-click", "Ctrl+O"} {
		found := false
		for _, r := range rows {
			if r[0] == want || strings.HasPrefix(r[0], want+" ") || strings.HasPrefix(r[0], want+",") {
				found = true
			}
		}
		if !found {
			t.Errorf("help lacks %q: %s", want, text)
		}
	}
	// Every binding's keys are distinct.
	seenKey, seenRune := map[fyne.KeyName]bool{}, map[rune]bool{}
	for _, b := range bindings() {
		for _, k := range b.keys {
			if seenKey[k] {
				t.Errorf("key %s bound twice", k)
			}
			seenKey[k] = true
		}
		for _, r := range b.runes {
			if seenRune[r] {
				t.Errorf("character %q bound twice", r)
			}
			seenRune[r] = true
		}
	}
}

func TestAboutAndUnavailableInference(t *testing.T) {
	about := aboutText("", "")
	for _, want := range []string{"myeloview", "ONNX Runtime: not installed", "Model: none loaded", render.ResearchMark} {
		if !strings.Contains(about, want) {
			t.Errorf("About lacks %q:\n%s", want, about)
		}
	}
	vw := newTestViewer(t, Options{})
	err := fmt.Errorf("loading: %w", inference.ErrRuntimeUnavailable)
	vw.analysis.engineReady(engineState{checked: true, err: err})
	if msg := vw.status.Message(); !strings.HasPrefix(msg, "inference unavailable: ") || !strings.Contains(msg, "make setup") {
		t.Errorf("status %q: want the reason and how to install", msg)
	}
	vw.analysis.Run() // no series: a message, not a crash
	dir := smallSample(t)
	openAndWait(t, vw, dir)
	before := vw.viewport.Slices()
	vw.analysis.Run() // inference unavailable: the viewer carries on
	if vw.viewport.Slices() != before || vw.analysis.running != nil {
		t.Error("Run without a runtime changed the viewer")
	}
}

func TestViewerOpensDroppedFolder(t *testing.T) {
	dir := smallSample(t)
	vw := newTestViewer(t, Options{})
	vw.dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(dir)})
	waitFor(t, "the dropped folder to open", 30*time.Second, func() bool {
		return vw.viewport.Series() != nil && len(vw.status.tasks) == 0
	})
	if n := vw.viewport.Slices(); n != 16 {
		t.Errorf("dropped folder shows %d slices, want 16", n)
	}
}

// TestViewerTags opens the DICOM tags dialog with T on a real study and
// filters its listing; patient data stays hidden while it is off.
func TestViewerTags(t *testing.T) {
	dir := smallSample(t)
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, dir)
	c := vw.win.Canvas()
	c.OnTypedRune()('t')
	waitFor(t, "the tags dialog", 10*time.Second, func() bool { return c.Overlays().Top() != nil })

	s := vw.viewport.Series()
	lines, err := dicomio.ReadHeader(s.Frames[vw.viewport.Slice()].Instance.Path, false)
	if err != nil {
		t.Fatal(err)
	}
	tv := newTagsView(lines, false)
	if len(tv.shown) != len(lines) || len(lines) < 20 {
		t.Fatalf("%d lines shown of %d", len(tv.shown), len(lines))
	}
	tv.filter.SetText("rows")
	if len(tv.shown) != 1 || !strings.Contains(tv.shown[0], "(0028,0010) US Rows") || !strings.HasSuffix(tv.shown[0], " 64") {
		t.Errorf("filter rows: %q", tv.shown)
	}
	tv.filter.SetText("patientname")
	if len(tv.shown) != 1 || !strings.HasSuffix(tv.shown[0], "(hidden: patient data)") {
		t.Errorf("filter patientname: %q", tv.shown)
	}
}

func TestStepIn(t *testing.T) {
	a, b, c := &dicomio.Series{}, &dicomio.Series{}, &dicomio.Series{}
	all := []*dicomio.Series{a, b, c}
	other := &dicomio.Series{}
	for _, tc := range []struct {
		name    string
		current *dicomio.Series
		n       int
		want    *dicomio.Series
	}{
		{"next", a, 1, b},
		{"next wraps", c, 1, a},
		{"previous wraps", a, -1, c},
		{"two back", b, -2, c},
		{"not in the list: first", other, 1, a},
		{"not in the list, back: last", nil, -1, c},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := stepIn(all, tc.current, tc.n); got != tc.want {
				t.Errorf("got series %d, want %d", slices.Index(all, got), slices.Index(all, tc.want))
			}
		})
	}
}

// TestViewerStepsThroughSeries: ] and [ step through the study's series in
// the browser's order, wrapping around.
func TestViewerStepsThroughSeries(t *testing.T) {
	kits, totalseg := shareddata.File(t, "ct-kits"), shareddata.File(t, "ct-totalseg-native")
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, kits, totalseg)
	all := vw.catalog.AllSeries()
	if len(all) != 2 {
		t.Fatalf("%d series, want 2", len(all))
	}
	c := vw.win.Canvas()
	start := vw.viewport.Series()
	c.OnTypedRune()(']')
	if s := vw.viewport.Series(); s == start || slices.Index(all, s) < 0 {
		t.Fatalf("] stayed on series %d", slices.Index(all, s))
	}
	c.OnTypedRune()(']')
	if vw.viewport.Series() != start {
		t.Errorf("] twice in a study of two series: series %d, want back at %d", slices.Index(all, vw.viewport.Series()), slices.Index(all, start))
	}
	c.OnTypedRune()('[')
	if vw.viewport.Series() == start {
		t.Error("[ did not step back")
	}
}
