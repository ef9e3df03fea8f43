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
}

// New returns a rows x cols matrix of zeros (an empty one for a size below 1).
func New(rows, cols int) *Matrix {
	if rows < 1 || cols < 1 {
		return &Matrix{}
	}
	return &Matrix{rows, cols, make([]float32, rows*cols)}
}

// Wrap returns a rows x cols matrix over data (not copied); len(data) must
// be rows*cols.
func Wrap(rows, cols int, data []float32) *Matrix {
	if len(data) != rows*cols {
		panic("mat.Wrap: len(data) != rows*cols")
	}
	return &Matrix{rows, cols, data}
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

type lineKey struct {
	m    *Matrix
	line int
}

// use is one access in the order of accesses; it is stale when its line
// was used again later (lru holds the last use).
type use struct {
	k    lineKey
	when int
}

var (
	recMu     sync.Mutex
	recording atomic.Bool
	stats     Stats
	capLines  int
	lru       map[lineKey]int // line -> last use
	queue     []use           // accesses, oldest first: the front is the LRU line once stale ones are skipped
	clock     int
)

func touch(m *Matrix, i, j int) {
	recMu.Lock()
	defer recMu.Unlock()
	stats.Accesses++
	clock++
	k := lineKey{m, (i*m.cols + j) / Line}
	if _, ok := lru[k]; !ok {
		stats.Misses++
		for len(lru) >= capLines { // evict the least recently used line
			u := queue[0]
			queue = queue[1:]
			if lru[u.k] == u.when {
				delete(lru, u.k)
			}
		}
	}
	lru[k] = clock
	queue = append(queue, use{k, clock})
	if len(queue) > 64*capLines { // drop the stale uses
		fresh := queue[:0:0]
		for _, u := range queue {
			if lru[u.k] == u.when {
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
	stats, capLines, lru, queue, clock = Stats{}, max(1, capacity/Line), map[lineKey]int{}, nil, 0
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
