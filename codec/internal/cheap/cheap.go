// Package cheap measures the C heap for the leak tests of the codec
// packages that wrap C libraries (charls, openjpeg): the library's decoder
// state lives there, invisible to the Go heap, and must be freed on every
// path. It is for tests only.
package cheap

import (
	"runtime"
	"testing"
)

// CheckNoLeak runs cycle(settle), to let the allocator and thread caches
// settle, then cycle(n), all on one locked OS thread (a new thread would get
// its own malloc cache and arena), and fails t when the C heap in use grew
// by more than limit bytes over the n cycles. It skips t where InUse cannot
// measure the heap.
func CheckNoLeak(t *testing.T, cycle func(n int), settle, n int, limit int64) {
	t.Helper()
	if InUse() < 0 {
		t.Skip("C heap accounting needs glibc and cgo")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cycle(settle)
	before := InUse()
	cycle(n)
	after := InUse()
	if grew := after - before; grew > limit {
		t.Fatalf("C heap in use grew by %d bytes over %d decode cycles", grew, n)
	}
	t.Logf("C heap in use: %d bytes before, %d after", before, after)
}
