package bptt

import (
	"fmt"
	"runtime"
	"sync"
)

// The fast backward's work is shared out among the cores by a few
// long-lived workers: a job over [0, n) is cut into one contiguous part
// per core; the calling goroutine does the first, the workers the others.
// Handing out a part allocates nothing (a job is an interface holding a
// pointer), so the time loop allocates nothing per step.

// job is work over [0, n) that can be split: do runs the part [lo, hi).
type job interface{ do(lo, hi int) }

// funcJob makes a func a job.
type funcJob func(lo, hi int)

func (f funcJob) do(lo, hi int) { f(lo, hi) }

// call is one caller's share of the workers: it waits for its parts and
// keeps the first panic of any of them, which run panics with again in
// the caller's goroutine (where backward turns it into an error).
type call struct {
	wg       sync.WaitGroup
	mu       sync.Mutex
	panicked any
}

// part is one part of a job, sent to a worker.
type part struct {
	j      job
	lo, hi int
	c      *call
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

// exec runs one part and marks it done, keeping a panic.
func (c *call) exec(j job, lo, hi int) {
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
	j.do(lo, hi)
}

// run runs j over [0, n), one part per core (at most n parts), and waits.
// Jobs must not call run themselves.
func (c *call) run(n int, j job) {
	workersOnce.Do(startWorkers)
	p := min(n, nWorkers+1, runtime.GOMAXPROCS(0))
	if p <= 1 {
		j.do(0, n)
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

// parallel runs f over [0, n) as run does, for the work done once per
// layer or per call (a closure allocates; the time loop uses run).
func parallel(n int, f func(lo, hi int)) {
	var c call
	c.run(n, funcJob(f))
}

// internalError turns a panic of the fast path (a bug: the arguments were
// checked) into an error, for the exported functions' deferred recover.
func internalError(where string, r any) error {
	return fmt.Errorf("bptt: %s: internal error: %v", where, r)
}
