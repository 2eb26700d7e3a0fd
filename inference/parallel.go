package inference

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallelFor calls fn(i) for i in [0, n) on up to workers goroutines
// (GOMAXPROCS when workers ≤ 0) and returns when all calls have returned.
// fn must be safe to run concurrently for different i.
func parallelFor(n, workers int, fn func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(n, workers)
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

// pipelineWorkers is how many goroutines the analyzer's own stages
// (preprocessing, postprocessing) use while the network runs. On the CPU
// provider ORT's intra-op pool occupies IntraOpThreads() cores, and its
// threads wait for one another at every operator, so a pool thread that
// loses its core to a Go goroutine stalls the whole network: the stages
// get the cores ORT leaves free, at least one. GPU providers leave the
// CPU to Go.
func pipelineWorkers(provider string) int {
	if provider != ProviderCPU {
		return runtime.GOMAXPROCS(0)
	}
	return max(1, min(runtime.GOMAXPROCS(0), runtime.NumCPU()-IntraOpThreads()))
}

// overlapsInference reports whether the analyzer's own stages should run
// while the network runs. ORT's CPU provider spreads each operator over
// IntraOpThreads() threads that wait for one another; when they take every
// core, running Go work beside them adds no throughput (no core is idle)
// and makes each Run slower by oversubscription, so inference runs alone.
// With spare cores, or a GPU provider, the stages overlap inference.
func overlapsInference(provider string) bool {
	return provider != ProviderCPU || runtime.NumCPU() > IntraOpThreads()
}
