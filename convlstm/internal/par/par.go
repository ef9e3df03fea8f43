// Package par shares work among the cores for the fast forward
// (convlstm/fast), the fast backward (convlstm/bptt) and kernel.Sgemm: a
// few long-lived workers, GOMAXPROCS-1 of them started at the first use,
// run the parts of the jobs that callers hand them. A job over [0, n) is cut into one
// contiguous part per core; the calling goroutine does the first, the
// workers the others. Handing out a part allocates nothing (a Job is an
// interface holding a pointer), so a loop of Runs allocates nothing.
//
// Concurrent callers share the workers: a part waits in the queue while
// they are busy, and the caller still runs its own part meanwhile.
package par

import (
	"runtime"
	"sync"
)

// Job is work over [0, n) that can be split: Do runs the part [lo, hi).
type Job interface{ Do(lo, hi int) }

// Func makes a func a Job.
type Func func(lo, hi int)

// Do calls f(lo, hi).
func (f Func) Do(lo, hi int) { f(lo, hi) }

// Call is one caller's share of the workers: it waits for its parts and
// keeps the first panic of any of them, which Run panics with again in the
// caller's goroutine (where the exported functions turn it into an error).
// The zero Call is ready; a Call runs one job at a time.
type Call struct {
	wg       sync.WaitGroup
	mu       sync.Mutex
	panicked any
}

// part is one part of a job, sent to a worker.
type part struct {
	j      Job
	lo, hi int
	c      *Call
}

var (
	workersOnce sync.Once
	nWorkers    int // workers started: GOMAXPROCS-1 at the first use
	parts       chan part
)

func startWorkers() {
	nWorkers = runtime.GOMAXPROCS(0) - 1
	parts = make(chan part, 64)
	for w := 0; w < nWorkers; w++ {
		go func() {
			for p := range parts {
				p.c.exec(p.j, p.lo, p.hi)
			}
		}()
	}
}

// Workers is the number of parts a Run may cut its job into: the workers
// and the caller.
func Workers() int {
	workersOnce.Do(startWorkers)
	return min(nWorkers+1, runtime.GOMAXPROCS(0))
}

// exec runs one part and marks it done, keeping a panic.
func (c *Call) exec(j Job, lo, hi int) {
	defer c.wg.Done()
	defer func() {
		if r := recover(); r != nil {
			c.mu.Lock()
			if c.panicked == nil {
				c.panicked = r
			}
			c.mu.Unlock()
		}
	}()
	j.Do(lo, hi)
}

// Run runs j over [0, n), one part per core (at most n parts), and waits.
// Jobs must not call Run themselves.
func (c *Call) Run(n int, j Job) {
	p := min(n, Workers())
	if p <= 1 {
		j.Do(0, n)
		return
	}
	c.wg.Add(p)
	for w := 1; w < p; w++ {
		parts <- part{j, w * n / p, (w + 1) * n / p, c}
	}
	c.exec(j, 0, n/p)
	c.wg.Wait()
	if c.panicked != nil {
		r := c.panicked
		c.panicked = nil
		panic(r)
	}
}

// Run runs f over [0, n) as Call.Run does, for work done once per layer or
// per call (the closure allocates; loops use a Call and a Job).
func Run(n int, f func(lo, hi int)) {
	var c Call
	c.Run(n, Func(f))
}
