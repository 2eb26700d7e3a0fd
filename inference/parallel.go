package inference

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallelFor calls fn(i) for i in [0, n) on up to GOMAXPROCS goroutines
// and returns when all calls have returned. fn must be safe to run
// concurrently for different i.
func parallelFor(n int, fn func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}
