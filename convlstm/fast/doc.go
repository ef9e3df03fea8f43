// Package fast is the blocked fast path of the ConvLSTM of package
// convlstm: the same model, the same numbers (checked against PyTorch on
// every golden case, at every kernel level), much faster than the readable
// port (make bench measures both, BenchmarkForward/naive and /fast).
//
//	outs, states, err := m.Forward(x, nil)       // readable: convlstm/model.go
//	outs, states, err := fast.Forward(m, x, nil) // fast: this package
//
// Forward has the signature of the method expression
// (*convlstm.ConvLSTM).Forward and CellForward that of (*convlstm.Cell).Forward,
// so a caller swaps one for the other. Both read the model's weights at
// every call and validate their arguments with the model's own checks
// (ConvLSTM.CheckForward, Cell.CheckStep), so a bad argument gets the
// readable path's error (TestSameErrors tests a list of them); a nil
// model or cell gets an error, not a panic (TestNilAndZeroValues).
//
// How it works, per layer, for the whole sequence at once (fast.go):
// the conv over cat[x, h] is split by its weight's input-channel axis,
// W = [Wx | Wh], so that conv(cat[x, h]) = conv_x(x) + conv_h(h). The x half
// does not depend on h, so it is one large matrix product for all B*T
// frames ahead of the time loop; the loop then adds the h half tile by tile
// and applies the gates and the state update to each tile while it is
// still in cache (the fused epilogue). Layers with hidden >= 16 take the
// taps variant instead (taps.go): the conv as a sum over the kernel taps,
// each tap an offset into a zero-padded band that holds cat[x, h], with no
// im2col copies. On AVX-512, those layers with a 3x3 or 5x5 kernel on
// frames wide enough and at least 32 channels in and out (4*hidden out)
// compute the conv by Winograd's algorithm F(2x2, r x r)
// instead (wino.go): 2.25x (3x3) and 2.78x (5x5) fewer multiply-adds, the
// element-wise products of the transformed tiles summed over the channels by
// the same micro-kernel; only when every weight, input and state value is
// finite and not huge (a NaN or Inf would reach a whole tile), and
// unless Runner.Direct turns it off. The matrix kernels (register-blocked
// micro-kernels in Go, AVX2 and AVX-512 assembly, and Winograd's
// transforms) are in convlstm/internal/kernel.
//
// Peephole models (convlstm.Config.Peephole) take the same kernels for the
// conv; their epilogue, which adds W_ci∘c and W_cf∘c before the gates and
// W_co∘c_t before o, is kernel.FusedGatesPeephole (AVX-512 assembly at that
// level, Go below it).
//
// Memory: a Runner (runner.go) keeps its outputs, states, trace and
// scratch from call to call, so that after its first call at a given size
// a call allocates nothing (TestRunner); what it returns is its own,
// overwritten by its next call. Forward, ForwardTrace and CellForward run
// on a new Runner's memory at every call. Before allocating, every call
// checks what it will allocate against convlstm.MaxCallBytes, a trace
// included (TestCallLimitsWithTrace). The cores' work is shared out by
// the long-lived workers of internal/par, which the fast backward uses
// too.
package fast
