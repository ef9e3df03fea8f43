// Package bench gives the benchmarks of convlstm/fast and convlstm/bptt
// the shapes of make bench and make bench-torch. The table, the models, the
// inputs and the FLOP counts are in example.com/convlstm/convlstm/benchshape,
// which the notebooks' timings (notebooks/nbfast) share; this package names
// them for those benchmarks and runs a benchmark over them (Each).
package bench

import "example.com/convlstm/convlstm/benchshape"

// Config is one forward-pass shape of the benchmarks (benchshape.Shape: its
// FLOPs and Model).
type Config = benchshape.Shape

// Configs returns the three shapes of the benchmarks (benchshape.Bench).
func Configs() []Config { return benchshape.Bench() }
