//go:build windows

package inference

import "syscall"

// loadFromSystemPath asks LoadLibrary to find name on the DLL search path.
// On success the handle is intentionally kept (see the Unix version).
func loadFromSystemPath(name string) error {
	_, err := syscall.LoadLibrary(name)
	return err
}
