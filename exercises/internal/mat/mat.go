// Package mat is the matrix of exercise 07: row-major float32 values read
// and written only through At and Set, so that a test can watch the order
// in which a product touches memory (Record) and tell a blocked product
// from a naive one by what it does, not by how its source looks.
//
// The exercise may use New, Rows, Cols, At and Set (exercises/internal/rules);
// Wrap, Data and Record are for the tests.
package mat

import (
	"sync"
	"sync/atomic"
)

// Matrix is a rows x cols matrix of float32 values, row-major.
type Matrix struct {
	rows, cols int
	data       []float32
	round      int   // the Record that lastUse belongs to
	lastUse    []int // per cache line of data: when Record last saw it (0: not in the cache)
}

// New returns a rows x cols matrix of zeros (an empty one for a size below 1).
func New(rows, cols int) *Matrix {
	if rows < 1 || cols < 1 {
		return &Matrix{}
	}
	return &Matrix{rows: rows, cols: cols, data: make([]float32, rows*cols)}
}

// Wrap returns a rows x cols matrix over data (not copied); len(data) must
// be rows*cols.
func Wrap(rows, cols int, data []float32) *Matrix {
	if len(data) != rows*cols {
		panic("mat.Wrap: len(data) != rows*cols")
	}
	return &Matrix{rows: rows, cols: cols, data: data}
}

// Rows is the number of rows.
func (m *Matrix) Rows() int { return m.rows }

// Cols is the number of columns.
func (m *Matrix) Cols() int { return m.cols }

// Data is the row-major values, for the tests.
func (m *Matrix) Data() []float32 { return m.data }

// At returns the value at row i, column j.
func (m *Matrix) At(i, j int) float32 {
	if i < 0 || i >= m.rows || j < 0 || j >= m.cols {
		panic("mat: index out of range")
	}
	if recording.Load() {
		touch(m, i, j)
	}
	return m.data[i*m.cols+j]
}

// Set stores v at row i, column j.
func (m *Matrix) Set(i, j int, v float32) {
	if i < 0 || i >= m.rows || j < 0 || j >= m.cols {
		panic("mat: index out of range")
	}
	if recording.Load() {
		touch(m, i, j)
	}
	m.data[i*m.cols+j] = v
}

// Line is how many consecutive values of a row share a cache line (8
// float32 values: 32 bytes) in the cache that Record simulates.
const Line = 8

// Stats is what Record saw.
type Stats struct {
	Accesses int // calls of At and Set
	Misses   int // accesses whose cache line was not in the simulated cache
}

// use is one access, in the order of accesses: line l of a matrix whose
// last uses are lines. It is stale when the line was used again later.
type use struct {
	lines []int
	l     int
	when  int
}

var (
	recMu     sync.Mutex
	recording atomic.Bool
	round     int // which Record is running: a matrix's lastUse of another round is void
	stats     Stats
	capLines  int
	cached    int   // lines in the cache
	queue     []use // accesses, oldest first: the front is the LRU line once stale ones are skipped
	clock     int
)

func touch(m *Matrix, i, j int) {
	recMu.Lock()
	defer recMu.Unlock()
	if m.round != round {
		m.round, m.lastUse = round, make([]int, (len(m.data)+Line-1)/Line)
	}
	stats.Accesses++
	clock++
	l := (i*m.cols + j) / Line
	if m.lastUse[l] == 0 {
		stats.Misses++
		for ; cached >= capLines; queue = queue[1:] { // evict the least recently used line
			if u := queue[0]; u.lines[u.l] == u.when {
				u.lines[u.l] = 0
				cached--
			}
		}
		cached++
	}
	m.lastUse[l] = clock
	queue = append(queue, use{m.lastUse, l, clock})
	if len(queue) > 64*capLines { // drop the stale uses
		fresh := queue[:0:0]
		for _, u := range queue {
			if u.lines[u.l] == u.when {
				fresh = append(fresh, u)
			}
		}
		queue = fresh
	}
}

// Record runs f while counting every At and Set of every matrix, and the
// misses of a fully associative LRU cache of capacity values (a multiple
// of Line) that those accesses would have. Not for concurrent use with
// another Record.
func Record(capacity int, f func()) Stats {
	recMu.Lock()
	round++
	stats, capLines, cached, queue, clock = Stats{}, max(1, capacity/Line), 0, nil, 0
	recording.Store(true)
	recMu.Unlock()
	defer func() {
		recMu.Lock()
		recording.Store(false)
		recMu.Unlock()
	}()
	f()
	recMu.Lock()
	defer recMu.Unlock()
	return stats
}
