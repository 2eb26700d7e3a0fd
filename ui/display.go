package ui

import (
	"errors"
	"fmt"
	"runtime"
)

// ErrNoDisplay means the viewer window cannot be opened. The command-line
// tools (package cli) need no display and still work.
var ErrNoDisplay = errors.New("cannot open the viewer window")

// CheckDisplay reports ErrNoDisplay before any window is made when the
// platform needs an X11 display and none is named: Fyne's GLFW driver
// would otherwise log a platform error and panic with a stack trace. The
// driver is built for X11 (no wayland build tag), so on a Wayland desktop
// DISPLAY names XWayland's server. getenv is os.Getenv outside tests.
func CheckDisplay(getenv func(string) string) error {
	switch runtime.GOOS {
	case "darwin", "windows", "android", "ios", "js":
		return nil
	}
	if getenv("DISPLAY") == "" {
		return fmt.Errorf("%w: DISPLAY is not set (no X11 display); run it on a desktop or under xvfb-run, or use a command such as 'myeloview analyze' (see 'myeloview help')", ErrNoDisplay)
	}
	return nil
}
