package convlstm

import (
	"fmt"
	"strings"
)

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
	if numLayers <= 0 {
		return nil, fmt.Errorf("convlstm: num_layers must be positive, got %d", numLayers)
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
// generator (see ManualSeed); load trained ones with LoadStateDict or LoadNPZ.
func New(cfg Config) (*ConvLSTM, error) {
	// The length check of the seed ('Inconsistent list length.') and the
	// checks on sizes and kernels live in Validate.
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var weights [][]int // every layer's conv weight, checked before any is made
	for l, hid := range cfg.HiddenDim {
		in := cfg.InputDim
		if l > 0 {
			in = cfg.HiddenDim[l-1]
		}
		weights = append(weights, []int{4 * hid, in + hid, cfg.KernelSize[l][0], cfg.KernelSize[l][1]})
		if cfg.Peephole {
			weights = append(weights, []int{3 * hid, cfg.ImageSize[0], cfg.ImageSize[1]})
		}
	}
	if err := CheckAlloc("New", weights...); err != nil {
		return nil, err
	}
	cfg.HiddenDim = append([]int(nil), cfg.HiddenDim...)
	cfg.KernelSize = append([][2]int(nil), cfg.KernelSize...)
	m := &ConvLSTM{Config: cfg}

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
		cell, err := (*Cell)(nil), error(nil)
		if m.Peephole { // the paper's cell, with peepholes (not in the seed)
			cell, err = NewPeepholeCell(curInputDim, m.HiddenDim[i], m.KernelSize[i], m.Bias, m.ImageSize)
		} else {
			cell, err = NewCell(curInputDim, m.HiddenDim[i], m.KernelSize[i], m.Bias)
		}
		if err != nil {
			return nil, fmt.Errorf("convlstm: layer %d: %w", i, err)
		}
		// py: cell_list.append(ConvLSTMCell(input_dim=cur_input_dim,
		// py:                               hidden_dim=self.hidden_dim[i],
		// py:                               kernel_size=self.kernel_size[i],
		// py:                               bias=self.bias))
		cellList = append(cellList, cell)
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
		// given states (checked in checkForward).
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
			step, err := m.CellList[layerIdx].ForwardGates(timeSlice(curLayerInput, t), hc)
			if err != nil {
				return nil, nil, err
			}
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
		s, _ := m.CellList[i].InitHidden(batchSize, height, width)
		// py: init_states.append(self.cell_list[i].init_hidden(batch_size, image_size))
		initStates = append(initStates, s)
	}
	// py: return init_states
	return initStates
}

// InitHidden returns the zero state of every layer for a batch of frames
// of the given size, as the seed's _init_hidden does.
func (m *ConvLSTM) InitHidden(batchSize, height, width int) ([]State, error) {
	if batchSize <= 0 || height <= 0 || width <= 0 {
		return nil, fmt.Errorf("convlstm: InitHidden: batch_size, height and width must be positive, got (%d, %d, %d)", batchSize, height, width)
	}
	if err := m.Check(); err != nil {
		return nil, err
	}
	a := allocs{what: "InitHidden"}
	for _, hid := range m.HiddenDim {
		a.add(2, batchSize, hid, height, width)
	}
	if a.err != nil {
		return nil, a.err
	}
	return m.initHidden(batchSize, height, width), nil
}

// CheckForward returns the error Forward would return for these arguments,
// or nil: the input's layout, channels (and frame size, with peepholes), the
// hidden state's shapes, and the model's own consistency (see Check). The
// fast path validates with it too, so both paths return the same errors.
func (m *ConvLSTM) CheckForward(input *Tensor, hiddenState []State) error {
	if m == nil {
		return fmt.Errorf("convlstm: the model is nil")
	}
	layout, tAxis, bAxis := "(T, B, C, H, W)", 0, 1
	if m.BatchFirst {
		layout, tAxis, bAxis = "(B, T, C, H, W)", 1, 0
	}
	if input == nil || input.Dim() != 5 {
		return fmt.Errorf("convlstm: input_tensor must be 5-D %s with C = %d, got shape %v", layout, m.InputDim, shapeOf(input))
	}
	if input.Shape[tAxis] == 0 {
		return fmt.Errorf("convlstm: input_tensor %s has shape %v: T = 0, a sequence needs at least one time step", layout, input.Shape)
	}
	if err := valid("input_tensor", input); err != nil {
		return err
	}
	if input.Shape[2] != m.InputDim {
		want := append([]int(nil), input.Shape...)
		want[2] = m.InputDim
		return fmt.Errorf("convlstm: input_tensor %s has shape %v, want %v: %d channels, input_dim is %d", layout, input.Shape, want, input.Shape[2], m.InputDim)
	}
	if err := m.Check(); err != nil {
		return err
	}
	b, t, h, w := input.Shape[bAxis], input.Shape[tAxis], input.Shape[3], input.Shape[4]
	if m.Peephole && m.ImageSize != [2]int{h, w} {
		return fmt.Errorf("convlstm: input_tensor %s has shape %v: frames of (%d, %d), but the peephole model is built for image_size %v (its W_ci, W_cf, W_co are (hidden_dim, %d, %d))",
			layout, input.Shape, h, w, m.ImageSize, m.ImageSize[0], m.ImageSize[1])
	}
	// What either path allocates, at most: the permuted input; per layer
	// its output (twice: the list and the stack), the c of every step, the
	// gates of every step, the last state, and the trace's six tensors.
	a := allocs{what: "Forward"}
	a.add(1, input.Shape...)
	for _, hid := range m.HiddenDim {
		a.add(3, b, t, hid, h, w)   // (B, T, hid, H, W)
		a.add(1, b, t, 4*hid, h, w) // (B, T, 4*hid, H, W)
		a.add(2, b, hid, h, w)      // (B, hid, H, W)
		if m.Trace != nil {
			a.add(6, b, t, hid, h, w)
		}
	}
	if a.err != nil || hiddenState == nil {
		return a.err
	}
	if len(hiddenState) != m.NumLayers {
		hint := ""
		if len(hiddenState) == 1 && !m.ReturnAllLayers {
			hint = " (lastStates of a model with return_all_layers=False holds only the last layer's state: build it with return_all_layers=True to continue a sequence)"
		}
		return fmt.Errorf("convlstm: hidden_state has %d (h, c) pairs, want one per layer: %d%s", len(hiddenState), m.NumLayers, hint)
	}
	for l, s := range hiddenState {
		if checkShape("", s.H, b, m.HiddenDim[l], h, w) != nil { // names are built only for the message
			return checkShape(fmt.Sprintf("hidden_state[%d].h", l), s.H, b, m.HiddenDim[l], h, w)
		}
		if checkShape("", s.C, b, m.HiddenDim[l], h, w) != nil {
			return checkShape(fmt.Sprintf("hidden_state[%d].c", l), s.C, b, m.HiddenDim[l], h, w)
		}
	}
	return nil
}

// Check verifies that the model is whole and its parts agree: the
// configuration is valid, there is one cell per layer, each cell matches the
// configuration (layer l reads what layer l-1 writes) and its weights. The
// fields are exported, so a caller may have changed them after New; Forward
// (both paths) and the backward pass call Check first.
func (m *ConvLSTM) Check() error {
	if m == nil {
		return fmt.Errorf("convlstm: the model is nil")
	}
	if err := m.Config.Validate(); err != nil {
		return err
	}
	if len(m.CellList) != m.NumLayers {
		return fmt.Errorf("convlstm: model has %d cells, num_layers is %d", len(m.CellList), m.NumLayers)
	}
	for l, c := range m.CellList {
		if c == nil {
			return fmt.Errorf("convlstm: cell_list.%d is nil", l)
		}
		in := m.InputDim
		if l > 0 {
			in = m.HiddenDim[l-1]
		}
		if c.InputDim != in || c.HiddenDim != m.HiddenDim[l] || c.KernelSize != m.KernelSize[l] {
			return fmt.Errorf("convlstm: cell_list.%d has input_dim %d, hidden_dim %d, kernel_size %v; the model's config wants %d, %d, %v",
				l, c.InputDim, c.HiddenDim, c.KernelSize, in, m.HiddenDim[l], m.KernelSize[l])
		}
		if (c.Conv != nil && c.Conv.Bias != nil) != m.Bias {
			return fmt.Errorf("convlstm: cell_list.%d: conv bias present is %v, the model's bias is %v", l, c.Conv != nil && c.Conv.Bias != nil, m.Bias)
		}
		if err := c.check(); err != nil {
			return fmt.Errorf("convlstm: cell_list.%d: %w", l, err)
		}
		if hw := c.imageSize(); (c.WCi != nil) != m.Peephole || m.Peephole && hw != m.ImageSize {
			return fmt.Errorf("convlstm: cell_list.%d: peephole weights for image size %v (none: [0 0]); the model's config has peephole %v, image_size %v", l, hw, m.Peephole, m.ImageSize)
		}
	}
	return nil
}

// String describes the model the way PyTorch prints it.
func (m *ConvLSTM) String() string {
	var sb strings.Builder
	sb.WriteString("ConvLSTM(\n  (cell_list): ModuleList(\n")
	for i, c := range m.CellList {
		fmt.Fprintf(&sb, "    (%d): ConvLSTMCell(\n      (conv): %v\n    )\n", i, c.Conv)
	}
	sb.WriteString("  )\n)")
	return sb.String()
}
