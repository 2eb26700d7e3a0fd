package ui

import (
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// statusBar is the strip at the bottom of the window: a message, the
// progress of the newest running task with its Cancel button, and the
// inference status (execution provider, or why inference is unavailable).
// Its methods run on the UI goroutine; tasks report from any goroutine.
type statusBar struct {
	message  *widget.Label
	bar      *widget.ProgressBar
	cancel   *widget.Button
	engine   *widget.Label
	tasks    []*task
	content  fyne.CanvasObject
	lastText string
}

func newStatusBar() *statusBar {
	s := &statusBar{
		message: widget.NewLabel("Ready"),
		bar:     widget.NewProgressBar(),
		engine:  widget.NewLabel(""),
	}
	s.message.Truncation = fyne.TextTruncateEllipsis
	s.engine.Truncation = fyne.TextTruncateEllipsis
	s.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), s.cancelTop)
	s.cancel.Importance = widget.LowImportance
	s.bar.Hide()
	s.cancel.Hide()
	progress := container.NewGridWrap(fyne.NewSize(220, s.bar.MinSize().Height), s.bar)
	right := container.NewHBox(progress, s.cancel)
	s.content = container.NewBorder(nil, nil, nil, right,
		container.NewGridWithColumns(2, s.message, s.engine))
	return s
}

// SetMessage shows text in the message area.
func (s *statusBar) SetMessage(text string) {
	s.lastText = text
	if len(s.tasks) == 0 {
		s.message.SetText(text)
	}
}

// SetEngine shows the inference status.
func (s *statusBar) SetEngine(text string) { s.engine.SetText(text) }

// Message is the text shown now.
func (s *statusBar) Message() string { return s.message.Text }

// begin starts showing a task named name; cancel, if non-nil, is what the
// Cancel button calls.
func (s *statusBar) begin(name string, cancel func()) *task {
	t := &task{s: s, name: name, cancelFn: cancel}
	s.tasks = append(s.tasks, t)
	s.show()
	return t
}

func (s *statusBar) cancelTop() {
	if n := len(s.tasks); n > 0 && s.tasks[n-1].cancelFn != nil {
		s.tasks[n-1].cancelFn()
	}
}

// show displays the newest task, or the last message.
func (s *statusBar) show() {
	if len(s.tasks) == 0 {
		s.bar.Hide()
		s.cancel.Hide()
		s.message.SetText(s.lastText)
		return
	}
	t := s.tasks[len(s.tasks)-1]
	t.mu.Lock()
	text, frac, known := t.text(), t.fraction(), t.total > 0
	t.mu.Unlock()
	s.message.SetText(text)
	s.bar.Show()
	if known {
		s.bar.SetValue(frac)
	} else {
		s.bar.SetValue(0)
	}
	if t.cancelFn != nil {
		s.cancel.Show()
	} else {
		s.cancel.Hide()
	}
}

func (s *statusBar) remove(t *task) {
	for i, x := range s.tasks {
		if x == t {
			s.tasks = append(s.tasks[:i], s.tasks[i+1:]...)
			break
		}
	}
	s.show()
}

// task is one background job shown in the status bar. report and detail
// may be called from any goroutine; finish too.
type task struct {
	s        *statusBar
	name     string
	cancelFn func()

	mu       sync.Mutex
	done     int
	total    int
	extra    string
	lastPost time.Time
	posted   bool
	ended    bool
}

// report records progress, updating the display at most every 100 ms.
func (t *task) report(done, total int) {
	t.mu.Lock()
	t.done, t.total = done, total
	post := !t.posted && (time.Since(t.lastPost) > 100*time.Millisecond || done >= total)
	if post {
		t.posted, t.lastPost = true, time.Now()
	}
	t.mu.Unlock()
	if post {
		doOnUI(func() {
			t.mu.Lock()
			t.posted = false
			ended := t.ended
			t.mu.Unlock()
			if !ended {
				t.s.show()
			}
		})
	}
}

// detail sets text shown after the counts (an ETA, say).
func (t *task) detail(s string) {
	t.mu.Lock()
	t.extra = s
	t.mu.Unlock()
}

// finish removes the task and shows message (when not empty). From any
// goroutine.
func (t *task) finish(message string) {
	t.mu.Lock()
	t.ended = true
	t.mu.Unlock()
	doOnUI(func() {
		if message != "" {
			t.s.lastText = message
		}
		t.s.remove(t)
	})
}

// text is the task's line; t.mu held.
func (t *task) text() string {
	s := t.name
	if t.total > 0 {
		s += " " + strconv.Itoa(t.done) + "/" + strconv.Itoa(t.total)
	}
	if t.extra != "" {
		s += ", " + t.extra
	}
	return s
}

func (t *task) fraction() float64 {
	if t.total <= 0 {
		return 0
	}
	return float64(t.done) / float64(t.total)
}
