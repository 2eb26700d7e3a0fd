//go:build !windows

package inference

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

// myeloview_try_dlopen opens name with the dynamic loader's search rules and
// keeps it open on success. On failure it copies dlerror() into buf, which
// must be done on the thread that called dlopen.
static int myeloview_try_dlopen(const char *name, char *buf, size_t len) {
	void *h = dlopen(name, RTLD_LAZY | RTLD_LOCAL);
	if (h != NULL) return 0;
	const char *e = dlerror();
	snprintf(buf, len, "%s", e != NULL ? e : "dlopen failed");
	return -1;
}
*/
import "C"

import (
	"errors"
	"unsafe"
)

// loadFromSystemPath asks dlopen(3) to find name on the system library path
// (LD_LIBRARY_PATH, the ld.so cache, default directories). On success the
// handle is intentionally kept: Init opens the same library next, and ORT is
// never unloaded within a process.
func loadFromSystemPath(name string) error {
	cName := C.CString(name)
	defer C.free(unsafe.Pointer(cName))
	var buf [512]C.char
	if C.myeloview_try_dlopen(cName, &buf[0], C.size_t(len(buf))) == 0 {
		return nil
	}
	return errors.New(C.GoString(&buf[0]))
}
