//go:build linux && cgo

package cheap

// #include <malloc.h>
import "C"

// InUse reports the bytes glibc's malloc has handed out and not got back,
// from its arenas and as separate mappings (mallinfo2).
func InUse() int64 {
	info := C.mallinfo2()
	return int64(info.uordblks) + int64(info.hblkhd)
}
