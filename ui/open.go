package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/sample"
)

// Open reads the headers of paths (files, folders, DICOMDIRs) in the
// background, with progress and Cancel in the status bar, then shows the
// catalog and loads its first series. A previous scan or load is
// cancelled. UI goroutine.
func (vw *Viewer) Open(paths []string) { vw.open(paths, false) }

// OpenSample opens the bundled sample study, generating it first into
// the cache folder if no complete copy is there. UI goroutine.
func (vw *Viewer) OpenSample() {
	vw.cancelScan()
	ctx, cancel := context.WithCancel(context.Background())
	vw.scanCancel = cancel
	t := vw.status.begin("Preparing the sample study", cancel)
	go func() {
		dir, generated, err := ensureSample(sample.Options{})
		if ctx.Err() != nil {
			t.finish("Cancelled")
			return
		}
		if err != nil {
			t.finish("Sample study unavailable")
			doOnUI(func() { vw.showError("Sample study", err) })
			return
		}
		msg := ""
		if generated {
			msg = "Sample study generated"
		}
		t.finish(msg)
		doOnUI(func() {
			if ctx.Err() == nil {
				vw.open([]string{dir}, true)
			}
		})
	}()
}

func (vw *Viewer) cancelScan() {
	if vw.scanCancel != nil {
		vw.scanCancel()
		vw.scanCancel = nil
	}
}

func (vw *Viewer) open(paths []string, isSample bool) {
	vw.cancelScan()
	ctx, cancel := context.WithCancel(context.Background())
	vw.scanCancel = cancel
	t := vw.status.begin("Reading headers", cancel)
	go func() {
		cat, err := dicomio.Scan(ctx, paths, dicomio.ScanOptions{Progress: t.report})
		if err != nil { // only ever cancellation
			t.finish("Cancelled")
			return
		}
		t.finish("")
		doOnUI(func() {
			if ctx.Err() != nil {
				return
			}
			if !isSample {
				vw.recent.Add(paths)
				vw.win.SetMainMenu(vw.mainMenu())
			}
			vw.showCatalog(cat, paths, isSample)
		})
	}()
}

// showCatalog puts cat in the browser and shows its first series (the
// largest CT when there is one).
func (vw *Viewer) showCatalog(cat *dicomio.Catalog, paths []string, isSample bool) {
	vw.catalog, vw.segCache, vw.segLoading = cat, nil, nil
	if vw.segCancel != nil {
		vw.segCancel()
	}
	vw.segCtx, vw.segCancel = context.WithCancel(context.Background())
	vw.closeComparison()
	vw.viewport.ForgetMeasurements()
	vw.analysis.studyChanged()
	vw.restoreAnnotations(cat)
	vw.openedAt = nil
	if !isSample {
		vw.openedAt = paths
	}
	vw.browser.SetCatalog(cat)
	all := cat.AllSeries()
	vw.makeThumbnails(all)
	if len(all) == 0 {
		vw.showSeries(nil)
		msg := "No images found"
		if len(cat.Errors) > 0 {
			msg = fmt.Sprintf("No images found; %d files could not be read (see the browser)", len(cat.Errors))
		}
		vw.status.SetMessage(msg)
		return
	}
	first := all[0]
	for _, s := range all {
		if strings.EqualFold(s.Modality, "CT") && len(s.Frames) > len(first.Frames) {
			first = s
		}
	}
	if !strings.EqualFold(first.Modality, "CT") {
		for _, s := range all {
			if strings.EqualFold(s.Modality, "CT") {
				first = s
				break
			}
		}
	}
	vw.showSeries(first)
	vw.browser.Select(first)
	vw.status.SetMessage(fmt.Sprintf("%d series", len(all)) + vw.catalogNote())
}

// catalogNote mentions, for the status line, the annotations of an
// earlier session put back and the unreadable files of the catalog on
// screen ("" when there are neither).
func (vw *Viewer) catalogNote() string {
	note := ""
	if vw.restored > 0 {
		note = fmt.Sprintf("; %d annotations of an earlier session restored (measurements, verdicts, calibrations)", vw.restored)
	}
	if n := len(vw.unreadable); n > 0 {
		studies := "1 study"
		if n > 1 {
			studies = fmt.Sprintf("%d studies", n)
		}
		note += "; the saved annotations of " + studies + " could not be read (left as they are; new ones are not kept)"
	}
	if vw.catalog != nil {
		switch n := len(vw.catalog.Errors); {
		case n > 1:
			note += fmt.Sprintf("; %d unreadable files (see the browser)", n)
		case n == 1:
			note += "; 1 unreadable file (see the browser)"
		}
	}
	return note
}

// showSeries shows s and decodes its frames in the background, the slice
// on screen first, so it appears before the rest has loaded.
func (vw *Viewer) showSeries(s *dicomio.Series) {
	if vw.loadCancel != nil {
		vw.loadCancel()
		vw.loadCancel = nil
	}
	vw.cine.Pause()
	vw.leaveReformat()
	if s == nil {
		vw.store = nil
		vw.viewport.SetSeries(nil, nil, 0)
		vw.analysis.seriesChanged(nil)
		vw.updateTitle()
		return
	}
	store := newFrameStore(s)
	vw.store = store
	first := len(s.Frames) / 2
	store.startLoading(first)
	vw.viewport.SetSeries(s, store, first)
	vw.analysis.seriesChanged(s)
	if pg, st := vw.contextOf(s); pg != nil {
		vw.viewport.SetContext(pg.Patient, st)
	}
	vw.updateTitle()

	vw.loadCancel = vw.loadInBackground(s, store, first, "Loading slices")
	vw.showSegmentations(s)
	vw.compare.follow(vw.viewport)
}

// loadInBackground decodes the frames of s into store, frame first first,
// reporting progress as a cancellable task titled title, and returns the
// function that cancels it.
func (vw *Viewer) loadInBackground(s *dicomio.Series, store *frameStore, first int, title string) context.CancelFunc {
	ctx, cancel := context.WithCancel(context.Background())
	t := vw.status.begin(title, cancel)
	note := vw.catalogNote()
	total := len(s.Frames)
	var done atomic.Int64
	go func() {
		defer store.stopLoading()
		_, err := s.Load(ctx, dicomio.LoadOptions{First: first, OnFrame: func(i int, f *dicomio.Frame, err error) {
			store.put(i, f, err)
			t.report(int(done.Add(1)), total)
		}})
		errs := store.errors()
		switch {
		case errors.Is(err, context.Canceled):
			t.finish(fmt.Sprintf("Loading cancelled: %d of %s read (the rest load when shown)", done.Load(), plural(total, "slice")))
		case len(errs) > 0:
			t.finish(fmt.Sprintf("%s; %d could not be decoded", plural(total, "slice"), len(errs)) + note)
		default:
			t.finish(plural(total, "slice") + " loaded" + note)
		}
		if len(errs) > 0 {
			doOnUI(func() { vw.browser.SetFrameErrors(s, errs) })
		}
	}()
	return cancel
}

// contextOf finds the patient and study of s in the catalog.
func (vw *Viewer) contextOf(s *dicomio.Series) (*dicomio.PatientGroup, *dicomio.Study) {
	if vw.catalog == nil {
		return nil, nil
	}
	for _, p := range vw.catalog.Patients {
		for _, st := range p.Studies {
			for _, x := range st.Series {
				if x == s {
					return p, st
				}
			}
		}
	}
	return nil, nil
}

// makeThumbnails renders the middle slice of each series, small, in the
// background, and hands each to the browser as it is ready.
func (vw *Viewer) makeThumbnails(all []*dicomio.Series) {
	if vw.thumbStop != nil {
		vw.thumbStop()
	}
	ctx, cancel := context.WithCancel(context.Background())
	vw.thumbStop = cancel
	scale := canvasScale(vw.viewport)
	go func() {
		for _, s := range all {
			if ctx.Err() != nil {
				return
			}
			img := thumbnail(s, devicePixels(thumbSize, scale))
			if img == nil {
				continue
			}
			doOnUI(func() {
				if ctx.Err() == nil {
					vw.browser.SetThumbnail(s, img)
				}
			})
		}
	}()
}

// thumbnail renders the middle frame of s into a size × size image at its
// true aspect: CT in the bone window, others in their own. Nil when the
// frame cannot be decoded. Runs off the UI goroutine.
func thumbnail(s *dicomio.Series, size int) image.Image {
	if len(s.Frames) == 0 || size <= 0 {
		return nil
	}
	f, err := s.LoadFrame(len(s.Frames) / 2)
	if err != nil || f == nil {
		return nil
	}
	p := viewParams{fileWindow: true, pixScale: 1}
	if strings.EqualFold(s.Modality, "CT") {
		if b, ok := render.PresetByKey("bone"); ok {
			p = viewParams{window: b.Window, hasWindow: true, pixScale: 1}
		}
	}
	p.xf = viewTransform{Cols: f.Cols, Rows: f.Rows, Aspect: aspectOf(f.PixelSpacing),
		ViewW: float64(size), ViewH: float64(size)}.fitted()
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	var fr frameRenderer
	fr.renderView(dst, f, p)
	return dst
}

// dropped opens files and folders dropped on the window.
func (vw *Viewer) dropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	if len(paths) > 0 {
		vw.Open(paths)
	}
}

// showOpenFolder asks for a folder to open.
func (vw *Viewer) showOpenFolder() {
	d := vw.chooseFolder("Open folder", func(dir string) { vw.Open([]string{dir}) })
	vw.startIn(d.SetLocation)
	d.Show()
}

// chooseFolder makes a folder dialog, not yet shown, that calls chosen
// with the folder picked; an error is shown under title.
func (vw *Viewer) chooseFolder(title string, chosen func(dir string)) *dialog.FileDialog {
	d := dialog.NewFolderOpen(func(lu fyne.ListableURI, err error) {
		if err != nil {
			vw.showError(title, err)
			return
		}
		if lu != nil {
			chosen(lu.Path())
		}
	}, vw.win)
	d.Resize(fyne.NewSize(900, 600))
	return d
}

// showOpenFile asks for a DICOM file (or DICOMDIR) to open.
func (vw *Viewer) showOpenFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			vw.showError("Open file", err)
			return
		}
		if r != nil {
			path := r.URI().Path()
			r.Close()
			vw.Open([]string{path})
		}
	}, vw.win)
	vw.startIn(d.SetLocation)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// startIn points a file dialog at the folder of the most recent study.
func (vw *Viewer) startIn(set func(fyne.ListableURI)) {
	items := vw.recent.Items()
	if len(items) == 0 {
		return
	}
	u := storage.NewFileURI(items[0][0])
	if p, err := storage.Parent(u); err == nil {
		if l, err := storage.ListerForURI(p); err == nil {
			set(l)
		}
	}
}
