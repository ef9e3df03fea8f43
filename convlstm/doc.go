// Package convlstm is a readable, line-by-line Go port of the most used
// PyTorch ConvLSTM (ConvLSTMCell and ConvLSTM of ndrplz/ConvLSTM_pytorch),
// proven equal to PyTorch on golden data that PyTorch itself produced.
//
// # Reading map
//
// This package is the seed, plus two things users of the seed asked for:
// Forward takes a hidden state, and Config.Peephole builds the paper's
// peephole cell (see Beyond the seed). Read it in this order, each file
// beside the Python it mirrors (every mirrored line carries it as a
// // py: comment):
//
//	cell.go      ConvLSTMCell: __init__, init_hidden, forward (the cell step)
//	model.go     ConvLSTM: __init__, forward (the layer loop), _init_hidden
//	config.go    the constructor's argument checks and _extend_for_multilayer
//	conv.go      nn.Conv2d as six loops; layer.go, the conv's parameters
//	ops.go       torch.cat, split, stack, permute, sigmoid, tanh as loops
//	tensor.go    the row-major float32 tensor
//	init.go      PyTorch's default init; trace.go, the recorded gates
//
// Besides the seed's own checks (config.go), that code checks nothing: each
// public entry point calls one check of check.go (sizes: limits.go) first.
// Beside them: ops_public.go (the ops, exported), print.go (String),
// statedict.go and npz.go (weights I/O).
//
// The rest of convlstm/ is machinery beside the seed, to skip on a first
// read: fast (fast.Forward(m, x, hs) gives the numbers of m.Forward(x, hs),
// much faster), bptt (backpropagation through time), optim (Adam, gradient
// clipping), golden (the PyTorch golden cases), movingshapes and train (a
// next-frame model), seq2seq (the paper's encoder-forecaster), and
// internal/kernel (the kernels under the fast path).
//
// # The model
//
// A ConvLSTM is an LSTM whose matrix products are convolutions, so that the
// hidden state h and the memory c are images (B, hidden, H, W) rather than
// vectors (Shi et al., 2015, arXiv 1506.04214). The seed, and this port,
// compute all four gates with one convolution over the concatenation of the
// input and the previous hidden state, then split the 4*hidden output
// channels in the order i, f, o, g:
//
//	cc = conv([x_t, h_{t-1}])                 (B, 4*hid, H, W)
//	cc_i, cc_f, cc_o, cc_g = split(cc, hid)   (B, hid, H, W) each
//	i = σ(cc_i)   f = σ(cc_f)   o = σ(cc_o)   g = tanh(cc_g)
//	c_t = f ∘ c_{t-1} + i ∘ g
//	h_t = o ∘ tanh(c_t)
//
// (∘ is the elementwise product.) The padding (kh/2, kw/2) keeps H and W
// unchanged, which is why kernel sizes must be odd.
//
// ConvLSTM stacks NumLayers cells. The loop is layer-major: the whole
// sequence runs through layer 0, and its stacked hidden states
// (B, T, hid, H, W) are the input sequence of layer 1, and so on.
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
//	model.state_dict() / load_state_dict    StateDict / LoadStateDict, SaveNPZ / LoadNPZ
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
// NotImplementedError: running T1 steps and then T2 more from the returned
// states equals running T1+T2 at once. Setting ConvLSTM.Trace records the
// gate activations i, f, o, g and the states c, h of every layer and step.
//
// The seed drops the paper's peepholes (Shi et al. 2015, eq. 3). With
// Config.Peephole (or NewPeepholeCell) the gates also see the memory
// (cell.go, beside // paper: quotes): i = σ(cc_i + W_ci ∘ c_{t-1}),
// f = σ(cc_f + W_cf ∘ c_{t-1}), then c_t as above, o = σ(cc_o + W_co ∘ c_t).
// W_ci, W_cf, W_co (cell_list.<l>.W_ci, ...) are (hid, H, W), one weight
// per channel and pixel, zero at first, for frames of Config.ImageSize only.
//
// # Errors
//
// Bad input gets an error, never a panic: it names the argument, the shape
// expected and the shape given (a 4-D input where 5-D is needed, channels
// that do not match input_dim, T = 0, even kernels, lists of the wrong
// length, hidden states of the wrong shape, corrupt .npz files). A nil or
// zero-value model, cell or conv, or one whose exported fields were changed
// after New so that they disagree, is an error too (Check says what is
// wrong); StateDict leaves its missing parts out and String prints them as
// <nil>. Sizes are checked before anything is allocated (MaxElements,
// MaxCallBytes). Only Tensor.At, Set and Size panic, given an index out of
// range (or a nil tensor), as slice indexing does.
//
// # Layout
//
// Tensors are float32 and row-major like contiguous PyTorch tensors (see
// Tensor). Shape comments such as // (B, 4*hid, H, W) follow tensor lines.
package convlstm
