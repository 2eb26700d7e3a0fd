//go:build linux

package openjpeg

// #include <malloc.h>
import "C"

// cHeapInUse reports the bytes glibc's malloc has handed out and not got
// back, from its arenas and as separate mappings; the leak tests compare it
// across many Decode calls.
func cHeapInUse() int64 {
	info := C.mallinfo2()
	return int64(info.uordblks) + int64(info.hblkhd)
}
