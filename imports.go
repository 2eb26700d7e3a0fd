package main

// Imported first for their side effects (see each package's doc):
// fynelocale keeps Fyne from logging locale errors on stderr under
// C.UTF-8; lowmem keeps glibc's malloc arenas from exhausting a tight
// address-space limit.
import (
	_ "github.com/myeloview/myeloview/internal/fynelocale"
	_ "github.com/myeloview/myeloview/internal/lowmem"
)
