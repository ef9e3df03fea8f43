package convlstm

// ConvLSTM is the Go form of the seed's ConvLSTM: NumLayers cells stacked so that
// the sequence of hidden states of one layer is the input sequence of the next.
type ConvLSTM struct {
	// Config holds the constructor arguments, one entry per layer.
	Config
	// CellList holds one Cell per layer (self.cell_list).
	CellList []*Cell
	// Trace, when non-nil, receives the gate activations and states of
	// every layer and time step during Forward (nil by default: no cost).
	Trace *Trace
}

// NewConvLSTM mirrors the seed's constructor ConvLSTM(input_dim, hidden_dim,
// kernel_size, num_layers, batch_first, bias, return_all_layers), with its
// Python-style arguments: hiddenDim is an int (used by every layer) or a []int
// (one per layer); kernelSize is a [2]int tuple (used by every layer) or a
// [][2]int list of tuples. As in the seed a bare int kernel size is rejected,
// and lists of the wrong length give 'Inconsistent list length.'.
func NewConvLSTM(inputDim int, hiddenDim, kernelSize interface{}, numLayers int, batchFirst, bias, returnAllLayers bool) (*ConvLSTM, error) {
	// Check the kernel size argument first, as the seed does (a static method).
	// py: self._check_kernel_size_consistency(kernel_size)
	if err := checkKernelSizeConsistency(kernelSize); err != nil {
		return nil, err
	}
	// Make sure that both kernel_size and hidden_dim are lists of length
	// num_layers: the constructor loops over the layers and needs one entry
	// for each.
	// py: kernel_size = self._extend_for_multilayer(kernel_size, num_layers)
	ks, err := extendForMultilayer[[2]int]("kernel_size", kernelSize, numLayers)
	if err != nil {
		return nil, err
	}
	// py: hidden_dim = self._extend_for_multilayer(hidden_dim, num_layers)
	hd, err := extendForMultilayer[int]("hidden_dim", hiddenDim, numLayers)
	if err != nil {
		return nil, err
	}
	return New(Config{
		InputDim: inputDim, HiddenDim: hd, KernelSize: ks, NumLayers: numLayers,
		BatchFirst: batchFirst, Bias: bias, ReturnAllLayers: returnAllLayers,
	})
}

// New builds a ConvLSTM from a Config whose lists already have one entry per
// layer. The weights get PyTorch's default initialisation from the package
// generator (see ManualSeed); load trained ones with LoadStateDict or npz.Load.
func New(cfg Config) (*ConvLSTM, error) {
	// The seed's length check ('Inconsistent list length.') is in
	// Config.Validate; check adds the sizes of all the weights.
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg.HiddenDim = append([]int(nil), cfg.HiddenDim...)
	cfg.KernelSize = append([][2]int(nil), cfg.KernelSize...)
	m := &ConvLSTM{Config: cfg}

	var imageSize []int // (H, W) of the paper's peepholes, not in the seed
	if m.Peephole {
		imageSize = m.ImageSize[:]
	}
	// py: cell_list = []
	cellList := []*Cell{}
	// py: for i in range(0, self.num_layers):
	for i := 0; i < m.NumLayers; i++ {
		// Layer 0 reads the input's channels; every later layer reads the
		// hidden states of the layer below, so hidden_dim[i-1] channels.
		// py: cur_input_dim = self.input_dim if i == 0 else self.hidden_dim[i - 1]
		curInputDim := m.InputDim
		if i != 0 {
			curInputDim = m.HiddenDim[i-1]
		}
		// py: cell_list.append(ConvLSTMCell(input_dim=cur_input_dim,
		// py:                               hidden_dim=self.hidden_dim[i],
		// py:                               kernel_size=self.kernel_size[i],
		// py:                               bias=self.bias))
		cellList = append(cellList, newCell(curInputDim, m.HiddenDim[i], m.KernelSize[i], m.Bias, imageSize))
	}
	// With three layers the list is [cell0, cell1, cell2]; nn.ModuleList
	// registers them so that their weights are cell_list.<i>.conv.*.
	// py: self.cell_list = nn.ModuleList(cell_list)
	m.CellList = cellList
	return m, nil
}

// Forward mirrors ConvLSTM.forward(input_tensor, hidden_state=None).
//
// input is (B, T, C, H, W) when BatchFirst, else (T, B, C, H, W).
// hiddenState is nil to start every layer from zeros, or one State per layer
// with h and c of shape (B, hidden_dim[l], H, W); the seed raises
// NotImplementedError here, the port implements it (stateful use: pass the
// returned last states to continue a sequence).
//
// It returns layerOutputs, the stacked hidden states of each returned layer,
// (B, T, hidden_dim, H, W) (always batch first, as in the seed), and
// lastStates, the (h, c) of each returned layer after the last time step.
// Without ReturnAllLayers both lists hold only the last layer.
func (m *ConvLSTM) Forward(input *Tensor, hiddenState []State) (layerOutputs []*Tensor, lastStates []State, err error) {
	if err := m.CheckForward(input, hiddenState); err != nil {
		return nil, nil, err
	}
	trace := m.Trace // records this call's steps when set (trace.go)
	if trace != nil {
		if err := trace.Begin(); err != nil {
			return nil, nil, err
		}
		defer trace.End()
	}
	inputTensor := input
	// The layer loop wants time on axis 1, so a time-major input is turned
	// batch-major first.
	// py: if not self.batch_first:
	if !m.BatchFirst {
		// (t, b, c, h, w) -> (b, t, c, h, w)
		// py: input_tensor = input_tensor.permute(1, 0, 2, 3, 4)
		inputTensor = permute10(inputTensor) // (B, T, C, H, W)
	}
	// py: b, _, _, h, w = input_tensor.size()
	b, h, w := inputTensor.Shape[0], inputTensor.Shape[3], inputTensor.Shape[4]

	// Implement stateful ConvLSTM
	// py: if hidden_state is not None:
	if hiddenState != nil {
		// The seed raises NotImplementedError() here; the port uses the
		// given states (checked in CheckForward).
	} else {
		// The states are made here because only now is the image size
		// known: one zero (h, c) per layer.
		// py: hidden_state = self._init_hidden(batch_size=b, image_size=(h, w))
		hiddenState = m.initHidden(b, h, w)
	}

	// py: layer_output_list = []
	layerOutputList := []*Tensor{}
	// py: last_state_list = []
	lastStateList := []State{}

	// py: seq_len = input_tensor.size(1)
	seqLen := inputTensor.Shape[1]
	// py: cur_layer_input = input_tensor
	curLayerInput := inputTensor // (B, T, C, H, W)

	// Layer-major: the whole sequence runs through layer 0 before layer 1 starts.
	// py: for layer_idx in range(self.num_layers):
	for layerIdx := 0; layerIdx < m.NumLayers; layerIdx++ {
		// This layer's initial state: zeros, or the caller's.
		// py: h, c = hidden_state[layer_idx]
		hc := hiddenState[layerIdx] // h, c: (B, hid, H, W)
		// py: output_inner = []
		outputInner := []*Tensor{}
		var steps []Step
		// Then the time steps of this layer, each fed the state of the
		// previous one.
		// py: for t in range(seq_len):
		for t := 0; t < seqLen; t++ {
			// cell_list[layer_idx] is this layer's cell; it takes the
			// frame at time t, (B, C, H, W), and the running state.
			// py: h, c = self.cell_list[layer_idx](input_tensor=cur_layer_input[:, t, :, :, :],
			// py:                                  cur_state=[h, c])
			step := m.CellList[layerIdx].step(timeSlice(curLayerInput, t), hc)
			hc = State{H: step.H, C: step.C}
			if trace != nil {
				steps = append(steps, *step)
			}
			// Keep every h: together they are this layer's output sequence.
			// py: output_inner.append(h)
			outputInner = append(outputInner, hc.H)
		}
		if trace != nil {
			trace.Layers = append(trace.Layers, steps)
		}
		// Stack the T hidden states on axis 1: a 5-D tensor shaped like
		// the input, with hidden_dim channels.
		// py: layer_output = torch.stack(output_inner, dim=1)
		layerOutput := stack1(outputInner) // (B, T, hid, H, W)
		// That 5-D sequence is the next layer's input.
		// py: cur_layer_input = layer_output
		curLayerInput = layerOutput

		// py: layer_output_list.append(layer_output)
		layerOutputList = append(layerOutputList, layerOutput)
		// The state after the last time step of this layer.
		// py: last_state_list.append([h, c])
		lastStateList = append(lastStateList, hc)
	}

	// Unless all layers were asked for, keep only the last layer's output
	// sequence and last state (lists of length 1).
	// py: if not self.return_all_layers:
	if !m.ReturnAllLayers {
		// py: layer_output_list = layer_output_list[-1:]
		layerOutputList = layerOutputList[len(layerOutputList)-1:]
		// py: last_state_list = last_state_list[-1:]
		lastStateList = lastStateList[len(lastStateList)-1:]
	}
	// py: return layer_output_list, last_state_list
	return layerOutputList, lastStateList, nil
}

// initHidden mirrors _init_hidden(batch_size, image_size): one zero state per
// layer, each (B, hidden_dim[i], H, W). Sizes are validated by the caller.
func (m *ConvLSTM) initHidden(batchSize, height, width int) []State {
	// py: init_states = []
	initStates := []State{}
	// py: for i in range(self.num_layers):
	for i := 0; i < m.NumLayers; i++ {
		// py: init_states.append(self.cell_list[i].init_hidden(batch_size, image_size))
		initStates = append(initStates, m.CellList[i].initHidden(batchSize, height, width))
	}
	// py: return init_states
	return initStates
}

// InitHidden returns the zero state of every layer for a batch of frames
// of the given size, as the seed's _init_hidden does.
func (m *ConvLSTM) InitHidden(batchSize, height, width int) ([]State, error) {
	if err := m.checkInitHidden(batchSize, height, width); err != nil {
		return nil, err
	}
	return m.initHidden(batchSize, height, width), nil
}
