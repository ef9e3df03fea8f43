// Package convlstm is a readable, line-by-line Go port of the most used
// PyTorch ConvLSTM (ConvLSTMCell and ConvLSTM of ndrplz/ConvLSTM_pytorch),
// proven equal to PyTorch on golden data that PyTorch itself produced.
//
// # Reading map
//
// Read the seed's code in this order, each file beside the Python it
// mirrors (every mirrored line carries it as a // py: comment):
//
//	cell.go      ConvLSTMCell: __init__, init_hidden, forward (the cell step; the gates as in Cell's doc)
//	model.go     ConvLSTM: __init__, forward (the layer-major loop), _init_hidden
//	config.go    the constructor's arguments, _check_kernel_size_consistency, _extend_for_multilayer
//	conv.go      nn.Conv2d as six loops; layer.go, the conv's parameters; init.go, PyTorch's default init
//	ops.go       torch.cat, split, stack, permute, sigmoid, tanh as loops on row-major float32 (tensor.go)
//
// Apart from Config.Validate (the seed's list-length check, and more), that
// code checks nothing: each public entry point first calls one check of
// check.go (the size limits: limits.go).
// Beside them: ops_public.go (the ops, exported), trace.go (the recorded
// gates), print.go (String) and statedict.go (StateDict, LoadStateDict).
// The rest of convlstm/ is machinery to skip on a first read: npz (weights
// as numpy .npz files), fast (fast.Forward(m, x, hs) gives the numbers of
// m.Forward(x, hs), much faster), bptt (backpropagation through time), optim,
// golden (the PyTorch golden cases), movingshapes and train (a next-frame
// model), seq2seq (the paper's encoder-forecaster), movingmnist (its data
// with real digits), benchshape (the benchmarks' shapes) and internal/kernel.
//
// # Seed names and Go names
//
//	PyTorch (seed)                          Go
//	ConvLSTMCell(input_dim, hidden_dim,     NewCell(inputDim, hiddenDim, kernelSize, bias)
//	             kernel_size, bias)
//	cell.forward(input_tensor, cur_state)   (*Cell).Forward(input, State{H, C})
//	cell.init_hidden(batch_size, (h, w))    (*Cell).InitHidden(batchSize, height, width)
//	self.conv (nn.Conv2d)                   Cell.Conv (*ConvLayer), Conv2d (the naive loops)
//	self.padding                            Cell.Padding
//	[h, c]                                  State{H, C}
//	ConvLSTM(input_dim, hidden_dim,         NewConvLSTM(inputDim, hiddenDim, kernelSize, numLayers,
//	         kernel_size, num_layers,                   batchFirst, bias, returnAllLayers)
//	         batch_first, bias,             New(Config{...}) with one entry per layer
//	         return_all_layers)
//	self.cell_list                          ConvLSTM.CellList
//	forward(input_tensor, hidden_state)     (*ConvLSTM).Forward(input, hiddenState)
//	_init_hidden(batch_size, image_size)    (*ConvLSTM).InitHidden(batchSize, height, width)
//	_check_kernel_size_consistency          checkKernelSizeConsistency
//	_extend_for_multilayer                  extendForMultilayer
//	ValueError('Inconsistent list length.') ErrInconsistentListLength
//	torch.manual_seed                       ManualSeed
//	model.state_dict() / load_state_dict    StateDict / LoadStateDict; npz.Save / npz.Load (files)
//	torch.cat / torch.split / torch.stack   Cat1 / Split1 / Stack1 (dim 1; loops in ops.go)
//	input_tensor.permute(1, 0, 2, 3, 4)     Permute10
//	torch.sigmoid / torch.tanh              Sigmoid / Tanh
//
// A tuple (kh, kw) is a [2]int and a list of tuples a [][2]int. As in the
// seed, a bare int kernel size is rejected (the seed's own docstring example
// passes 3 and fails); hidden_dim may be an int or a []int.
//
// # Beyond the seed
//
// Forward accepts a hidden state, one State per layer, where the seed raises
// NotImplementedError: T1 steps and then T2 more from the returned states
// equal T1+T2 at once. ConvLSTM.Trace records the gates i, f, o, g and the
// states c, h of every layer and step. Config.Peephole (or NewPeepholeCell)
// builds the paper's peephole cell (Shi et al. 2015, eq. 3), which the seed
// drops: the gates also see the memory through W_ci, W_cf, W_co
// (cell_list.<l>.W_ci, ...), one weight per hidden channel and pixel, zero at
// first, for frames of Config.ImageSize only (cell.go, beside // paper:
// quotes).
//
// # Errors
//
// Bad input gets an error, never a panic: it names the argument, the shape
// expected and the shape given. A nil or zero-value model, cell or conv, or
// one whose exported fields were changed after New so that they disagree, is
// an error too (Check says what is wrong). Sizes are checked before anything
// is allocated (MaxElements, MaxCallBytes). Only Tensor.At, Set and Size
// panic, given an index out of range (or a nil tensor), as slice indexing
// does.
package convlstm
