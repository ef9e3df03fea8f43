package convlstm

import (
	"errors"
	"fmt"
	"strings"
)

// Every check of the package lives here (the size limits in limits.go): the
// public entry points run them once, so that the code they call (cell.go,
// model.go, conv.go, ops.go) reads as the seed. Errors name the argument,
// the shape expected and the shape given.

// shapeOf returns t's shape, or nil for a nil tensor, for error messages.
func shapeOf(t *Tensor) []int {
	if t == nil {
		return nil
	}
	return t.Shape
}

// checkTensor returns an error naming arg unless t's shape is want (if
// given), has positive sizes and at most MaxElements values, and t's data
// fills it.
func checkTensor(arg string, t *Tensor, want ...int) error {
	if t == nil {
		return fmt.Errorf("convlstm: %s is nil, want shape %v", arg, append([]int(nil), want...))
	}
	if want != nil && !SameShape(t.Shape, want) {
		return fmt.Errorf("convlstm: %s has shape %v, want %v", arg, t.Shape, append([]int(nil), want...))
	}
	n, err := numel(arg, " shape", t.Shape)
	if err == nil && len(t.Data) != n {
		err = fmt.Errorf("convlstm: %s has %d values but shape %v needs %d", arg, len(t.Data), t.Shape, n)
	}
	return err
}

// checkAxes is checkTensor for a tensor with the axes of layout, such as
// "(B, C, H, W)".
func checkAxes(arg string, t *Tensor, layout string) error {
	if dims := strings.Count(layout, ",") + 1; t.Dim() != dims {
		return fmt.Errorf("convlstm: %s must be %d-D %s, got shape %v", arg, dims, layout, shapeOf(t))
	}
	return checkTensor(arg, t)
}

func checkKernel(arg string, k [2]int) error {
	if k[0] <= 0 || k[1] <= 0 {
		return fmt.Errorf("convlstm: %s must be positive, got (%d, %d)", arg, k[0], k[1])
	}
	if k[0]%2 == 0 || k[1]%2 == 0 {
		return fmt.Errorf("convlstm: %s must be odd, got (%d, %d): padding k//2 keeps the spatial size only for odd k; an even k makes the conv output "+
			"one pixel larger than h and c, so the state update cannot line up (PyTorch fails later with a size mismatch)", arg, k[0], k[1])
	}
	return nil
}

func checkCellArgs(inputDim, hiddenDim int, k [2]int) error {
	if inputDim <= 0 {
		return fmt.Errorf("convlstm: input_dim must be positive, got %d", inputDim)
	}
	if hiddenDim <= 0 {
		return fmt.Errorf("convlstm: hidden_dim must be positive, got %d", hiddenDim)
	}
	return checkKernel("kernel_size", k)
}

// checkNewCell checks the arguments of NewCell (fn) or, with peepholes for
// frames of imageSize, NewPeepholeCell, and the sizes of the weights.
func checkNewCell(fn string, inputDim, hiddenDim int, k, imageSize [2]int, peephole bool) error {
	if err := checkCellArgs(inputDim, hiddenDim, k); err != nil {
		return err
	}
	a := allocs{what: fn}
	a.weights(inputDim, hiddenDim, k, imageSize, peephole)
	return a.err
}

// check validates the configuration (Validate) and the sizes of all the
// weights New will make, before it makes any.
func (cfg Config) check() error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	a := allocs{what: "New"}
	for l, hid := range cfg.HiddenDim {
		a.weights(cfg.layerInput(l), hid, cfg.KernelSize[l], cfg.ImageSize, cfg.Peephole)
	}
	return a.err
}

// layerInput is the channels layer l reads: input_dim, then hidden_dim[l-1].
func (cfg Config) layerInput(l int) int {
	if l == 0 {
		return cfg.InputDim
	}
	return cfg.HiddenDim[l-1]
}

// check verifies that the layer's parameters still have the shapes it was
// built with (they are exported, so a caller may have replaced them).
func (l *ConvLayer) check() error {
	if l == nil {
		return errors.New("convlstm: the conv is nil")
	}
	if err := checkTensor("conv.weight", l.Weight, l.OutChannels, l.InChannels, l.KernelSize[0], l.KernelSize[1]); err != nil || l.Bias == nil {
		return err
	}
	return checkTensor("conv.bias", l.Bias, l.OutChannels)
}

// checkConv validates the arguments of conv2d (fn's) and the size of its
// output before it is allocated; a nil padding is (kh//2, kw//2).
func checkConv(fn string, x, weight, bias *Tensor, pad *[2]int) error {
	if err := checkAxes(fn+": weight", weight, "(Cout, Cin, kh, kw)"); err != nil {
		return err
	}
	if err := checkAxes(fn+": x", x, "(B, Cin, H, W)"); err != nil {
		return err
	}
	b, cin, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	cout, kh, kw := weight.Shape[0], weight.Shape[2], weight.Shape[3]
	padding := [2]int{kh / 2, kw / 2}
	if pad != nil {
		padding = *pad
	}
	if weight.Shape[1] != cin {
		return fmt.Errorf("convlstm: %s: weight has shape %v, want (Cout, %d, kh, kw) to match the %d input channels of x %v", fn, weight.Shape, cin, cin, x.Shape)
	}
	if bias != nil && checkTensor("bias", bias, cout) != nil {
		return fmt.Errorf("%w (one value per output channel)", checkTensor(fn+": bias", bias, cout))
	}
	oh, ow := h+2*padding[0]-kh+1, w+2*padding[1]-kw+1
	if padding[0] < 0 || padding[1] < 0 || oh <= 0 || ow <= 0 {
		return fmt.Errorf("convlstm: %s: padding %v with kernel (%d, %d) on a %dx%d input gives no output", fn, padding, kh, kw, h, w)
	}
	return CheckAlloc(fn, []int{b, cout, oh, ow})
}

// imageSize is (H, W) of the peephole weights, zero in the seed's cell.
func (c *Cell) imageSize() [2]int {
	for _, p := range [3]*Tensor{c.WCi, c.WCf, c.WCo} {
		if p.Dim() == 3 {
			return [2]int{p.Shape[1], p.Shape[2]}
		}
	}
	return [2]int{}
}

// check verifies that the cell's exported fields still agree with each
// other and with its weights (a caller may have changed them after NewCell).
func (c *Cell) check() error {
	if c == nil {
		return errors.New("convlstm: the cell is nil")
	}
	peephole := c.WCi != nil || c.WCf != nil || c.WCo != nil
	return c.checkAs(c.InputDim, c.HiddenDim, c.KernelSize, c.Conv != nil && c.Conv.Bias != nil, peephole, c.imageSize())
}

// checkAs verifies that the cell is whole and is what its layer needs: in
// input and hid hidden channels, kernel k, a bias or not, and peephole
// weights for frames of hw or none (Cell.check asks for its own fields).
func (c *Cell) checkAs(in, hid int, k [2]int, bias, peephole bool, hw [2]int) error {
	if c.Conv == nil {
		return errors.New("convlstm: the cell's conv is nil")
	}
	if err := checkCellArgs(in, hid, k); err != nil {
		return err
	}
	same := [2]int{k[0] / 2, k[1] / 2}
	if c.InputDim != in || c.HiddenDim != hid || c.KernelSize != k || c.Padding != same {
		return fmt.Errorf("convlstm: the cell has input_dim %d, hidden_dim %d, kernel_size %v, padding %v; want %d, %d, %v, %v = kernel_size//2 "+
			"(only that padding keeps the frame size, so that c_next = f*c_cur + i*g lines up)", c.InputDim, c.HiddenDim, c.KernelSize, c.Padding, in, hid, k, same)
	}
	if l := c.Conv; l.InChannels != in+hid || l.OutChannels != 4*hid || l.KernelSize != k || l.Padding != same || (l.Bias != nil) != bias {
		return fmt.Errorf("convlstm: the cell's conv is %v, want %d in, %d out, kernel %v, padding %v, bias %v", l, in+hid, 4*hid, k, same, bias)
	}
	if has := c.WCi != nil || c.WCf != nil || c.WCo != nil; has != peephole || peephole && c.imageSize() != hw {
		return fmt.Errorf("convlstm: the cell has peephole %v (image size %v); want peephole %v, image_size %v", has, c.imageSize(), peephole, hw)
	}
	for i, p := range [3]*Tensor{c.WCi, c.WCf, c.WCo} {
		if peephole && checkTensor("", p, hid, hw[0], hw[1]) != nil {
			return fmt.Errorf("convlstm: %s has shape %v: a peephole cell needs W_ci, W_cf and W_co, one shape (hidden_dim %d, H, W), H and W positive",
				[3]string{"W_ci", "W_cf", "W_co"}[i], shapeOf(p), hid)
		}
	}
	return c.Conv.check()
}

// CheckStep returns the error Forward would return for these arguments, or
// nil: the cell must be whole (its fields agree with its weights), input
// (B, InputDim, H, W), h and c (B, HiddenDim, H, W), H and W those of the
// peephole weights if any, and the step's tensors within the size limits.
func (c *Cell) CheckStep(input *Tensor, cur State) error {
	if err := c.check(); err != nil {
		return err
	}
	if input.Dim() != 4 {
		return fmt.Errorf("convlstm: input_tensor must be 4-D (B, %d, H, W), got shape %v", c.InputDim, shapeOf(input))
	}
	if err := checkTensor("input_tensor", input); err != nil {
		return err
	}
	b, ch, h, w := input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3]
	if ch != c.InputDim {
		return fmt.Errorf("convlstm: input_tensor has shape %v, want (%d, %d, %d, %d): %d channels, input_dim is %d", input.Shape, b, c.InputDim, h, w, ch, c.InputDim)
	}
	for k, x := range [2]*Tensor{cur.H, cur.C} {
		if err := checkTensor([2]string{"cur_state h", "cur_state c"}[k], x, b, c.HiddenDim, h, w); err != nil {
			return err
		}
	}
	if c.WCi != nil && c.imageSize() != [2]int{h, w} {
		return fmt.Errorf("convlstm: input_tensor has shape %v: frames of (%d, %d), but the peephole cell is built for image_size %v (W_ci, W_cf, W_co are %v)",
			input.Shape, h, w, c.imageSize(), c.WCi.Shape)
	}
	a := allocs{what: "Cell.Forward"}
	a.step(b, ch, c.HiddenDim, h, w)
	return a.err
}

// checkInitHidden checks the arguments of InitHidden (of a cell or a model)
// and the size of the zero states (h, c) it makes, one per hidden size.
func checkInitHidden(batchSize, height, width int, hidden ...int) error {
	if batchSize <= 0 || height <= 0 || width <= 0 {
		return fmt.Errorf("convlstm: InitHidden: batch_size, height and width must be positive, got (%d, %d, %d)", batchSize, height, width)
	}
	a := allocs{what: "InitHidden"}
	for _, hid := range hidden {
		a.add(2, batchSize, hid, height, width)
	}
	return a.err
}

func (c *Cell) checkInitHidden(batchSize, height, width int) error {
	if c == nil {
		return errors.New("convlstm: InitHidden: the cell is nil")
	}
	return checkInitHidden(batchSize, height, width, c.HiddenDim)
}

func (m *ConvLSTM) checkInitHidden(batchSize, height, width int) error {
	if err := m.Check(); err != nil {
		return err
	}
	return checkInitHidden(batchSize, height, width, m.HiddenDim...)
}

// Check verifies that the model is whole and its parts agree: the
// configuration is valid, there is one cell per layer, each cell matches the
// configuration (layer l reads what layer l-1 writes) and its weights. The
// fields are exported, so a caller may have changed them after New; Forward
// (both paths), InitHidden, the backward pass and the loaders call Check
// first.
func (m *ConvLSTM) Check() error {
	if m == nil {
		return errors.New("convlstm: the model is nil")
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
		if err := c.checkAs(m.layerInput(l), m.HiddenDim[l], m.KernelSize[l], m.Bias, m.Peephole, m.ImageSize); err != nil {
			return fmt.Errorf("convlstm: cell_list.%d: %w", l, err)
		}
	}
	return nil
}

// CheckForward returns the error Forward would return for these arguments,
// or nil: the input's layout, channels (and frame size, with peepholes), the
// hidden state's shapes, the model's own consistency (see Check), and the
// size limits. The fast path validates with it too, so both paths return the
// same errors. It allocates nothing unless it fails.
func (m *ConvLSTM) CheckForward(input *Tensor, hiddenState []State) error {
	if err := m.Check(); err != nil {
		return err
	}
	layout, tAxis, bAxis := "(T, B, C, H, W)", 0, 1
	if m.BatchFirst {
		layout, tAxis, bAxis = "(B, T, C, H, W)", 1, 0
	}
	if input.Dim() != 5 {
		return fmt.Errorf("convlstm: input_tensor must be 5-D %s with C = %d, got shape %v", layout, m.InputDim, shapeOf(input))
	}
	if input.Shape[tAxis] == 0 {
		return fmt.Errorf("convlstm: input_tensor %s has shape %v: T = 0, a sequence needs at least one time step", layout, input.Shape)
	}
	if err := checkTensor("input_tensor", input); err != nil {
		return err
	}
	if input.Shape[2] != m.InputDim {
		want := append([]int(nil), input.Shape...)
		want[2] = m.InputDim
		return fmt.Errorf("convlstm: input_tensor %s has shape %v, want %v: %d channels, input_dim is %d", layout, input.Shape, want, input.Shape[2], m.InputDim)
	}
	b, t, h, w := input.Shape[bAxis], input.Shape[tAxis], input.Shape[3], input.Shape[4]
	if m.Peephole && m.ImageSize != [2]int{h, w} {
		return fmt.Errorf("convlstm: input_tensor %s has shape %v: frames of (%d, %d), but the peephole model is built for image_size %v (its W_ci, W_cf, W_co are (hidden_dim, %d, %d))",
			layout, input.Shape, h, w, m.ImageSize, m.ImageSize[0], m.ImageSize[1])
	}
	// What either path holds at once, at most: the permuted input; per
	// layer its output (the list, the stack, the returned list), the c of
	// every step, the gates of every step, the last state, the trace's six
	// tensors, and one step's frame and temporaries.
	a, kept := allocs{what: "Forward"}, 3
	if m.Trace != nil {
		kept += 6
	}
	a.add(1, input.Shape...)
	for l, hid := range m.HiddenDim {
		a.add(kept, b, t, hid, h, w) // (B, T, hid, H, W)
		a.add(1, b, t, 4*hid, h, w)  // (B, T, 4*hid, H, W)
		a.add(2, b, hid, h, w)       // (B, hid, H, W)
		a.add(1, b, m.layerInput(l), h, w)
		a.step(b, m.layerInput(l), hid, h, w)
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
		for k, x := range [2]*Tensor{s.H, s.C} {
			if checkTensor("", x, b, m.HiddenDim[l], h, w) != nil { // the name is built only for the message
				return checkTensor(fmt.Sprintf("hidden_state[%d].%c", l, "hc"[k]), x, b, m.HiddenDim[l], h, w)
			}
		}
	}
	return nil
}
