package convlstm

// State is the pair a cell carries from one time step to the next: the
// hidden state H and the cell memory C, both (B, hidden_dim, H, W). The seed
// passes it around as the list [h, c].
type State struct {
	H, C *Tensor
}

// Cell is the Go form of the seed's ConvLSTMCell: one ConvLSTM layer for a
// single time step.
//
// All four gates come out of a single convolution over the concatenation
// [input, h] (input channels first), with 4*HiddenDim output channels that
// are then split, in this order, into i, f, o and g:
//
//	i = sigmoid(cc_i)   input gate: how much of the candidate to write
//	f = sigmoid(cc_f)   forget gate: how much of the old memory to keep
//	o = sigmoid(cc_o)   output gate: how much of the memory to show as h
//	g = tanh(cc_g)      candidate memory
//	c_next = f*c_cur + i*g
//	h_next = o*tanh(c_next)
//
// A peephole cell (NewPeepholeCell; Shi et al. 2015, eq. 3) adds W_ci∘c_cur
// to cc_i, W_cf∘c_cur to cc_f and W_co∘c_next to cc_o.
type Cell struct {
	// InputDim and HiddenDim are the channels of the input and of h and c
	// (self.input_dim, self.hidden_dim).
	InputDim, HiddenDim int
	// KernelSize is (kh, kw) of the convolution (self.kernel_size), Padding
	// (kh/2, kw/2), the "same" padding (self.padding).
	KernelSize, Padding [2]int
	// Bias tells whether the convolution adds a bias (self.bias).
	Bias bool
	// Conv is the one convolution that computes all four gates
	// (self.conv): InputDim+HiddenDim channels in, 4*HiddenDim out.
	Conv *ConvLayer
	// WCi, WCf and WCo are the paper's peephole weights W_ci, W_cf, W_co,
	// (HiddenDim, H, W) each for one image size; nil in the seed's cell.
	WCi, WCf, WCo *Tensor
}

// NewCell mirrors ConvLSTMCell.__init__(input_dim, hidden_dim, kernel_size,
// bias). The weights get PyTorch's default initialisation from the package
// generator (see ManualSeed). It returns an error for non-positive sizes and
// for an even kernel size: the padding k//2 keeps the spatial size only for
// odd k; with an even k the conv output is one pixel larger than h and c, so
// c_next = f*c_cur + i*g cannot line up (PyTorch reports this only later, as a
// size mismatch).
func NewCell(inputDim, hiddenDim int, kernelSize [2]int, bias bool) (*Cell, error) {
	if err := checkNewCell("NewCell", inputDim, hiddenDim, kernelSize, [2]int{}, false); err != nil {
		return nil, err
	}
	return newCell(inputDim, hiddenDim, kernelSize, bias, nil), nil
}

// NewPeepholeCell is NewCell with the paper's peepholes (Shi et al. 2015,
// eq. 3) for frames of imageSize (H, W): W_ci, W_cf and W_co, one weight per
// hidden channel and pixel, (hiddenDim, H, W) each, start at zero.
func NewPeepholeCell(inputDim, hiddenDim int, kernelSize [2]int, bias bool, imageSize [2]int) (*Cell, error) {
	if err := checkNewCell("NewPeepholeCell", inputDim, hiddenDim, kernelSize, imageSize, true); err != nil {
		return nil, err
	}
	return newCell(inputDim, hiddenDim, kernelSize, bias, imageSize[:]), nil
}

// newCell is ConvLSTMCell.__init__ on checked arguments; with an imageSize
// (H, W) it adds the paper's peephole weights.
func newCell(inputDim, hiddenDim int, kernelSize [2]int, bias bool, imageSize []int) *Cell {
	c := &Cell{
		// py: self.input_dim = input_dim
		InputDim: inputDim,
		// py: self.hidden_dim = hidden_dim
		HiddenDim: hiddenDim,
		// py: self.kernel_size = kernel_size
		KernelSize: kernelSize,
		// The padding keeps the output of the conv the same size as its
		// input, so h and c keep the frame's height and width.
		// py: self.padding = kernel_size[0] // 2, kernel_size[1] // 2
		Padding: [2]int{kernelSize[0] / 2, kernelSize[1] / 2},
		// py: self.bias = bias
		Bias: bias,
	}
	// One conv produces all four gates at once, so it has four times as many
	// output channels as the hidden state. Its input is the concat of the
	// input and h, so it has input_dim + hidden_dim input channels.
	// py: self.conv = nn.Conv2d(in_channels=self.input_dim + self.hidden_dim,
	// py:                       out_channels=4 * self.hidden_dim,
	// py:                       kernel_size=self.kernel_size, padding=self.padding, bias=self.bias)
	c.Conv = newConvLayer(c.InputDim+c.HiddenDim, 4*c.HiddenDim, c.KernelSize, c.Padding, c.Bias)
	if imageSize != nil {
		// paper: W_ci∘C_{t−1}, W_cf∘C_{t−1}, W_co∘C_t (∘ the elementwise product)
		hw := []int{hiddenDim, imageSize[0], imageSize[1]}
		c.WCi, c.WCf, c.WCo = Zeros(hw...), Zeros(hw...), Zeros(hw...) // (hid, H, W) each
	}
	return c
}

// InitHidden mirrors init_hidden(batch_size, image_size): the zero state a
// sequence starts from, h and c both (batch, HiddenDim, height, width).
func (c *Cell) InitHidden(batchSize, height, width int) (State, error) {
	if err := c.checkInitHidden(batchSize, height, width); err != nil {
		return State{}, err
	}
	return c.initHidden(batchSize, height, width), nil
}

// initHidden is init_hidden on checked sizes.
func (c *Cell) initHidden(batchSize, height, width int) State {
	// py: height, width = image_size
	// py: return (torch.zeros(batch_size, self.hidden_dim, height, width, device=self.conv.weight.device),
	// py:         torch.zeros(batch_size, self.hidden_dim, height, width, device=self.conv.weight.device))
	return State{
		H: Zeros(batchSize, c.HiddenDim, height, width), // (B, hid, H, W)
		C: Zeros(batchSize, c.HiddenDim, height, width), // (B, hid, H, W)
	}
}

// Forward mirrors ConvLSTMCell.forward(input_tensor, cur_state): one time
// step. input is (B, InputDim, H, W); cur holds h and c, (B, HiddenDim, H,
// W) each. It returns the next state (h_next, c_next), or the error of
// CheckStep.
func (c *Cell) Forward(input *Tensor, cur State) (State, error) {
	s, err := c.ForwardGates(input, cur)
	if err != nil {
		return State{}, err
	}
	return State{H: s.H, C: s.C}, nil
}

// ForwardGates is Forward that also returns the gate activations i, f, o,
// g of the step (for plots and teaching).
func (c *Cell) ForwardGates(input *Tensor, cur State) (*Step, error) {
	if err := c.CheckStep(input, cur); err != nil {
		return nil, err
	}
	return c.step(input, cur), nil
}

// step is the step itself, line by line as the seed writes
// ConvLSTMCell.forward, on arguments CheckStep has accepted. It returns the
// gates i, f, o, g with the new state; the seed returns only (h_next, c_next).
func (c *Cell) step(input *Tensor, cur State) *Step {
	// The state from the previous step (zeros at t = 0, from InitHidden).
	// py: h_cur, c_cur = cur_state
	hCur, cCur := cur.H, cur.C // (B, hid, H, W) each

	// Stack the input and the previous hidden state along the channel axis,
	// input channels first: the conv then sees both at every pixel.
	// py: combined = torch.cat([input_tensor, h_cur], dim=1)  # concatenate along channel axis
	combined := cat1(input, hCur) // (B, in+hid, H, W)

	// One convolution computes the pre-activations of all four gates.
	// A conv need not be flattened like a linear layer: it only needs the
	// channel counts to match.
	// py: combined_conv = self.conv(combined)
	combinedConv := c.Conv.forward(combined) // (B, 4*hid, H, W)

	// Cut the 4*hid channels into four blocks of hid channels: the first
	// block is the input gate, then forget, output, and the candidate g.
	// py: cc_i, cc_f, cc_o, cc_g = torch.split(combined_conv, self.hidden_dim, dim=1)
	parts := split1(combinedConv, c.HiddenDim)
	ccI, ccF, ccO, ccG := parts[0], parts[1], parts[2], parts[3] // (B, hid, H, W) each

	// The peephole cell lets the gates see the memory too: i and f the old
	// c, o (below) the new one, each through a weight per channel and pixel.
	if c.WCi != nil {
		// paper: i_t = σ(W_xi*X_t + W_hi*H_{t−1} + W_ci∘C_{t−1} + b_i)
		addHadamard(ccI, c.WCi, cCur) // (B, hid, H, W)
		// paper: f_t = σ(W_xf*X_t + W_hf*H_{t−1} + W_cf∘C_{t−1} + b_f)
		addHadamard(ccF, c.WCf, cCur) // (B, hid, H, W)
	}
	// The three gates squash to (0, 1): they are soft switches.
	// py: i = torch.sigmoid(cc_i)
	i := Sigmoid(ccI) // (B, hid, H, W)
	// py: f = torch.sigmoid(cc_f)
	f := Sigmoid(ccF) // (B, hid, H, W)
	// py: o = torch.sigmoid(cc_o)
	o := Sigmoid(ccO) // (B, hid, H, W)
	// The candidate squashes to (-1, 1): it is the new content.
	// py: g = torch.tanh(cc_g)
	g := Tanh(ccG) // (B, hid, H, W)

	// The next cell state: keep the part of the old memory the forget gate
	// lets through, add the part of the candidate the input gate lets in.
	// py: c_next = f * c_cur + i * g
	// paper: C_t = f_t∘C_{t−1} + i_t∘tanh(W_xc*X_t + W_hc*H_{t−1} + b_c)
	cNext := Zeros(cCur.Shape...) // (B, hid, H, W)
	for k := range cNext.Data {
		cNext.Data[k] = f.Data[k]*cCur.Data[k] + i.Data[k]*g.Data[k]
	}
	if c.WCo != nil {
		// paper: o_t = σ(W_xo*X_t + W_ho*H_{t−1} + W_co∘C_t + b_o)
		o = Sigmoid(addHadamard(ccO, c.WCo, cNext)) // (B, hid, H, W)
	}
	// The next hidden state: the output gate decides how much of the
	// squashed memory to show.
	// py: h_next = o * torch.tanh(c_next)
	// paper: H_t = o_t∘tanh(C_t)
	hNext := Zeros(cCur.Shape...) // (B, hid, H, W)
	for k := range hNext.Data {
		hNext.Data[k] = o.Data[k] * tanh32(cNext.Data[k])
	}
	// py: return h_next, c_next
	return &Step{I: i, F: f, O: o, G: g, C: cNext, H: hNext}
}
