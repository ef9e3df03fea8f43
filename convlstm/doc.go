// Package convlstm is a readable, line-by-line Go port of the most used
// PyTorch ConvLSTM (ConvLSTMCell and ConvLSTM of ndrplz/ConvLSTM_pytorch),
// proven equal to PyTorch on golden data that PyTorch itself produced.
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
// (∘ is the elementwise product.) The paper's peephole terms W_c ∘ c are not
// part of the seed and not part of this port. The padding (kh/2, kw/2) keeps
// H and W unchanged, which is why kernel sizes must be odd.
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
//	_extend_for_multilayer                  extendForMultilayerInt, extendForMultilayerKernel
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
// # Two paths, the same numbers
//
// ConvLSTM.Path and Cell.Path choose the implementation. Naive is the
// line-by-line port (cell.go, model.go, conv.go), each statement beside the
// Python line it mirrors. Fast, the zero value and so the default, gives
// the same results (every golden case is checked on both) about a hundred
// times faster: a split weight instead of the concat, cache-blocked matrix
// products with AVX-512 or AVX2 micro-kernels in Go assembly (portable Go
// kernels elsewhere and with -tags purego), the gate activations and the
// state update fused into the product's epilogue, all cores (fast.go,
// fast_taps.go, gemm.go).
//
// # Training
//
// ForwardTrain records a Tape; Backward walks it back through time and
// layers (BPTT) and returns the gradients of the input, the weights (by
// state_dict name) and the initial state, checked against PyTorch autograd.
// NewAdam is torch.optim.Adam with its defaults, ClipGradNorm is
// torch.nn.utils.clip_grad_norm_. The packages movingshapes (synthetic
// moving squares, discs and digits) and train (a next-frame model) build on
// them.
//
// # Errors
//
// No function of the public API panics on bad input: each returns an error
// that names the argument, the shape expected and the shape given (a 4-D
// input where 5-D is needed, channels that do not match input_dim, T = 0,
// even kernels, lists of the wrong length, hidden states of the wrong
// shape, missing or mis-shaped weights, corrupt .npz files).
//
// # Layout
//
// Tensors are float32 and row-major like contiguous PyTorch tensors:
// element [b][c][y][x] of a (B, C, H, W) tensor is at ((b*C+c)*H+y)*W+x.
// Shape comments such as // (B, 4*hid, H, W) follow the tensor lines.
package convlstm
