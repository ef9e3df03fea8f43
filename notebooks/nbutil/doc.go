// Package nbutil holds the small compiled helpers the teaching notebooks
// (notebooks/01-cell-walkthrough, 02-stacked-layers, 03-pytorch-parity)
// call from the gophernotes kernel.
//
// The notebooks run in an interpreter that handles generic code and types
// declared in cells badly, so everything that loops over tensor data,
// builds inputs or reads files lives here, behind a plain, non-generic API
// of functions that take and return *convlstm.Tensor. A notebook imports it
// relative to its own folder:
//
//	import "./nbutil"
//
// What there is:
//
//   - inputs: MovingSquare (a bright square moving across a dark frame);
//   - the tensor operations of the seed, so that a notebook can call them
//     one by one: Cat1 (torch.cat(dim=1)), Split1 (torch.split(dim=1)),
//     Stack1 (torch.stack(dim=1)) and Permute10 (permute(1, 0, 2, 3, 4))
//     check their arguments the notebook's way and then call package
//     convlstm's own (convlstm.Cat1, ... run the loops the readable forward
//     runs); Pad2d (the zero padding nn.Conv2d applies), Frame and TimeRange
//     (x[:, t] and x[:, t0:t1]), CatTime (torch.cat(dim=1) of two
//     sequences) and Cat0 (torch.cat(dim=0), to build a batch) are written
//     out here;
//   - elementwise arithmetic for the state update: Mul, Add, Diff;
//   - comparisons and summaries: MaxAbsDiff, Summary, Scale.
//
// The golden data made by PyTorch (testdata/golden) is read with package
// example.com/convlstm/convlstm/golden (import "../convlstm/golden"), the one
// loader the Go tests and the notebooks share.
//
// Every function checks its arguments and returns an error naming the
// argument and the shape it expected; none panics on bad input.
package nbutil
