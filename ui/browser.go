package ui

import (
	"fmt"
	"image"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/myeloview/myeloview/dicomio"
)

const (
	thumbSize     = 56 // thumbnail edge, Fyne units
	errorsNodeID  = "errors"
	browserRootID = ""
)

// Browser is the study browser: patient → study → series, each series
// with a thumbnail, its modality, description, slice count and any load
// problems (the warning button lists them), then the files that could not
// be read at all. Patients are shown as "Patient 1" unless patient data is
// shown. All methods run on the UI goroutine.
type Browser struct {
	tree    *widget.Tree
	content fyne.CanvasObject

	cat        *dicomio.Catalog
	thumbs     map[*dicomio.Series]image.Image
	frameErrs  map[*dicomio.Series][]error
	rows       map[fyne.CanvasObject]*seriesRow // the widgets of each row template
	showPHI    bool
	selecting  bool
	OnSeries   func(*dicomio.Series)                 // a series was chosen
	OnProblems func(title string, problems []string) // show a list of problems
}

// NewBrowser returns an empty browser.
func NewBrowser() *Browser {
	b := &Browser{thumbs: map[*dicomio.Series]image.Image{}, frameErrs: map[*dicomio.Series][]error{},
		rows: map[fyne.CanvasObject]*seriesRow{}}
	b.tree = widget.NewTree(b.childUIDs, b.isBranch, b.createNode, b.updateNode)
	b.tree.OnSelected = b.selected
	title := widget.NewLabelWithStyle("Studies", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.content = container.NewBorder(title, nil, nil, nil, b.tree)
	return b
}

// SetCatalog shows cat (nil clears the browser).
func (b *Browser) SetCatalog(cat *dicomio.Catalog) {
	b.cat = cat
	b.thumbs = map[*dicomio.Series]image.Image{}
	b.frameErrs = map[*dicomio.Series][]error{}
	b.tree.UnselectAll()
	b.tree.Refresh()
	b.tree.OpenAllBranches()
}

// SetThumbnail sets the thumbnail of s.
func (b *Browser) SetThumbnail(s *dicomio.Series, img image.Image) {
	b.thumbs[s] = img
	b.tree.RefreshItem(b.seriesUID(s))
}

// SetFrameErrors records the frames of s that failed to decode.
func (b *Browser) SetFrameErrors(s *dicomio.Series, errs []error) {
	b.frameErrs[s] = errs
	b.tree.RefreshItem(b.seriesUID(s))
}

// SetShowPatientData shows or hides patient names and IDs.
func (b *Browser) SetShowPatientData(show bool) {
	b.showPHI = show
	b.tree.Refresh()
}

// Select highlights s without calling OnSeries.
func (b *Browser) Select(s *dicomio.Series) {
	if uid := b.seriesUID(s); uid != "" {
		b.selecting = true
		b.tree.Select(uid)
		b.selecting = false
	}
}

// Node IDs: "p<i>" patient, "p<i>/s<j>" study, "p<i>/s<j>/r<k>" series,
// "errors" and "errors/<k>" for unreadable files.

func (b *Browser) seriesUID(s *dicomio.Series) string {
	if b.cat == nil {
		return ""
	}
	for i, p := range b.cat.Patients {
		for j, st := range p.Studies {
			for k, x := range st.Series {
				if x == s {
					return fmt.Sprintf("p%d/s%d/r%d", i, j, k)
				}
			}
		}
	}
	return ""
}

// parseUID splits a node ID into its indices (-1 where absent).
func parseUID(uid string) (p, s, r int) {
	p, s, r = -1, -1, -1
	for _, part := range strings.Split(uid, "/") {
		if len(part) < 2 {
			continue
		}
		n, err := strconv.Atoi(part[1:])
		if err != nil {
			continue
		}
		switch part[0] {
		case 'p':
			p = n
		case 's':
			s = n
		case 'r':
			r = n
		}
	}
	return p, s, r
}

func (b *Browser) seriesAt(uid string) *dicomio.Series {
	p, s, r := parseUID(uid)
	if b.cat == nil || p < 0 || s < 0 || r < 0 || p >= len(b.cat.Patients) {
		return nil
	}
	pg := b.cat.Patients[p]
	if s >= len(pg.Studies) || r >= len(pg.Studies[s].Series) {
		return nil
	}
	return pg.Studies[s].Series[r]
}

func (b *Browser) childUIDs(uid string) []string {
	if b.cat == nil {
		return nil
	}
	var out []string
	switch {
	case uid == browserRootID:
		for i := range b.cat.Patients {
			out = append(out, "p"+strconv.Itoa(i))
		}
		if len(b.cat.Errors) > 0 {
			out = append(out, errorsNodeID)
		}
	case uid == errorsNodeID:
		for k := range b.cat.Errors {
			out = append(out, errorsNodeID+"/"+strconv.Itoa(k))
		}
	default:
		p, s, r := parseUID(uid)
		if p < 0 || p >= len(b.cat.Patients) || r >= 0 {
			return nil
		}
		pg := b.cat.Patients[p]
		if s < 0 {
			for j := range pg.Studies {
				out = append(out, uid+"/s"+strconv.Itoa(j))
			}
		} else if s < len(pg.Studies) {
			for k := range pg.Studies[s].Series {
				out = append(out, uid+"/r"+strconv.Itoa(k))
			}
		}
	}
	return out
}

func (b *Browser) isBranch(uid string) bool {
	if uid == browserRootID || uid == errorsNodeID {
		return true
	}
	if strings.HasPrefix(uid, errorsNodeID+"/") {
		return false
	}
	_, _, r := parseUID(uid)
	return r < 0
}

// seriesRow is the template of a series (or unreadable file) row.
type seriesRow struct {
	thumb    *canvas.Image
	title    *widget.Label
	detail   *widget.Label
	problems *widget.Button
	onProbs  func()
}

func (b *Browser) createNode(branch bool) fyne.CanvasObject {
	if branch {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	row := &seriesRow{thumb: canvas.NewImageFromImage(nil), title: widget.NewLabel(""), detail: widget.NewLabel("")}
	row.thumb.FillMode = canvas.ImageFillContain
	row.thumb.ScaleMode = canvas.ImageScaleSmooth
	row.thumb.SetMinSize(fyne.NewSize(thumbSize, thumbSize))
	row.title.Truncation = fyne.TextTruncateEllipsis
	row.detail.Truncation = fyne.TextTruncateEllipsis
	row.detail.SizeName = theme.SizeNameCaptionText
	row.problems = widget.NewButtonWithIcon("", theme.WarningIcon(), func() {
		if row.onProbs != nil {
			row.onProbs()
		}
	})
	row.problems.Importance = widget.LowImportance
	text := container.NewVBox(row.title, row.detail)
	c := container.NewBorder(nil, nil, row.thumb, row.problems, text)
	b.rows[c] = row
	return c
}

func (b *Browser) updateNode(uid string, branch bool, o fyne.CanvasObject) {
	if branch {
		o.(*widget.Label).SetText(b.branchLabel(uid))
		return
	}
	row, ok := b.rows[o]
	if !ok {
		return
	}
	if strings.HasPrefix(uid, errorsNodeID+"/") {
		k, _ := strconv.Atoi(strings.TrimPrefix(uid, errorsNodeID+"/"))
		row.thumb.Image = nil
		row.thumb.Refresh()
		if b.cat != nil && k < len(b.cat.Errors) {
			e := b.cat.Errors[k]
			row.title.SetText(filepath.Base(e.Path))
			row.detail.SetText(shortError(e.Err))
			row.onProbs = func() { b.showProblems("Unreadable file", []string{e.Error()}) }
			row.problems.Show()
		}
		return
	}
	s := b.seriesAt(uid)
	if s == nil {
		return
	}
	row.thumb.Image = b.thumbs[s]
	row.thumb.Refresh()
	row.title.SetText(s.Label())
	problems := b.problems(s)
	detail := seriesDetail(s, len(problems))
	if len(problems) > 0 {
		row.onProbs = func() { b.showProblems("Series "+s.Label(), problems) }
		row.problems.Show()
	} else {
		row.onProbs = nil
		row.problems.Hide()
	}
	row.detail.SetText(detail)
}

// seriesDetail is the browser's second line for a series: modality, what
// kind of images when they are not axial slices (a scout, a coronal
// reformat), slices, size and the number of problems.
func seriesDetail(s *dicomio.Series, problems int) string {
	parts := []string{nonEmpty(s.Modality, "?")}
	switch plane := s.Geometry.Plane(); {
	case s.IsLocalizer():
		parts = append(parts, "scout")
	case plane != "" && plane != "axial":
		parts = append(parts, plane)
	}
	parts = append(parts, plural(len(s.Frames), "slice"), fmt.Sprintf("%d×%d", s.Cols(), s.Rows()))
	if problems > 0 {
		parts = append(parts, plural(problems, "problem"))
	}
	return strings.Join(parts, " · ")
}

// plural is "1 slice", "2 slices".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// problems lists what went wrong reading s: unreadable files, warnings
// from sorting, and frames that failed to decode.
func (b *Browser) problems(s *dicomio.Series) []string {
	var out []string
	for _, e := range s.Errors {
		out = append(out, "unreadable: "+e.Error())
	}
	for _, w := range s.Warnings {
		out = append(out, "warning: "+w)
	}
	for _, e := range b.frameErrs[s] {
		out = append(out, "decode: "+e.Error())
	}
	return out
}

func (b *Browser) showProblems(title string, problems []string) {
	if b.OnProblems != nil {
		b.OnProblems(title, problems)
	}
}

func (b *Browser) branchLabel(uid string) string {
	if b.cat == nil {
		return ""
	}
	if uid == errorsNodeID {
		return fmt.Sprintf("Unreadable files (%d)", len(b.cat.Errors))
	}
	p, s, _ := parseUID(uid)
	if p < 0 || p >= len(b.cat.Patients) {
		return ""
	}
	pg := b.cat.Patients[p]
	if s < 0 {
		if b.showPHI {
			name := formatPersonName(pg.Patient.Name)
			if pg.Patient.ID != "" {
				name = strings.TrimSpace(name + "  (" + pg.Patient.ID + ")")
			}
			if name != "" {
				return name
			}
		}
		return "Patient " + strconv.Itoa(p+1)
	}
	if s >= len(pg.Studies) {
		return ""
	}
	st := pg.Studies[s]
	label := nonEmpty(st.Description, "Study "+strconv.Itoa(s+1))
	if b.showPHI && st.Date != "" {
		label = formatDA(st.Date) + "  " + label
	}
	return label
}

func (b *Browser) selected(uid string) {
	if b.selecting {
		return
	}
	if strings.HasPrefix(uid, errorsNodeID+"/") {
		k, _ := strconv.Atoi(strings.TrimPrefix(uid, errorsNodeID+"/"))
		if b.cat != nil && k < len(b.cat.Errors) {
			b.showProblems("Unreadable file", []string{b.cat.Errors[k].Error()})
		}
		return
	}
	if s := b.seriesAt(uid); s != nil && b.OnSeries != nil {
		b.OnSeries(s)
	}
}

func nonEmpty(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}
