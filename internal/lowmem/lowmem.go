// Package lowmem lets the program run under a tight address-space limit
// (`ulimit -v`; 1 GiB is our acceptance limit). The Go runtime reserves
// most of a gigabyte of address space up front, and glibc reserves 64 MiB
// more for each malloc arena, one per thread that allocates (up to
// 8 × cores): together they cross 1 GiB by chance, and the process dies
// before it can report anything.
//
// glibc reads its arena limit once, before our code runs, so when a finite
// RLIMIT_AS is set and MALLOC_ARENA_MAX is not, init re-executes the
// program with MALLOC_ARENA_MAX=1. Without a limit (the usual case) it does
// nothing. Import it for its side effect from package main only.
//go:build linux

package lowmem

import (
	"os"
	"syscall"
)

func init() {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &lim) != nil || lim.Cur == ^uint64(0) || os.Getenv("MALLOC_ARENA_MAX") != "" {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	os.Setenv("MALLOC_ARENA_MAX", "1")
	syscall.Exec(exe, os.Args, os.Environ()) // returns only on failure: carry on
}
