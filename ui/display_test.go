package ui

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

func TestCheckDisplay(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skipf("the X11 display rule is checked on Linux; this is %s", runtime.GOOS)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want error
	}{
		{"X11 display named", map[string]string{"DISPLAY": ":0"}, nil},
		{"nothing named", map[string]string{}, ErrNoDisplay},
		// The GLFW driver is built for X11: a Wayland socket alone is not enough.
		{"Wayland only", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, ErrNoDisplay},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckDisplay(func(k string) string { return tc.env[k] })
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("CheckDisplay = %v, want %v", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), "DISPLAY") {
				t.Errorf("error %q does not say which variable is missing", err)
			}
		})
	}
}
