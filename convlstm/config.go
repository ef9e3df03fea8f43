package convlstm

import (
	"errors"
	"fmt"
)

// Config holds the constructor arguments of the seed's ConvLSTM, already
// extended to one entry per layer. Its JSON form is the config.json of the
// golden test cases.
type Config struct {
	// InputDim is the number of channels of the input (input_dim).
	InputDim int `json:"input_dim"`
	// HiddenDim is the number of hidden channels of each layer (hidden_dim).
	HiddenDim []int `json:"hidden_dim"`
	// KernelSize is (kh, kw) of each layer's conv (kernel_size).
	KernelSize [][2]int `json:"kernel_size"`
	// NumLayers is the number of stacked layers (num_layers).
	NumLayers int `json:"num_layers"`
	// BatchFirst tells whether the input is (B, T, C, H, W) rather than
	// (T, B, C, H, W) (batch_first). Outputs are (B, T, C, H, W) either way.
	BatchFirst bool `json:"batch_first"`
	// Bias tells whether the convolutions add a bias (bias).
	Bias bool `json:"bias"`
	// ReturnAllLayers returns the outputs and states of every layer instead
	// of only the last one (return_all_layers).
	ReturnAllLayers bool `json:"return_all_layers"`
	// Peephole builds the paper's peephole cells (NewPeepholeCell) in place
	// of the seed's; the model then takes frames of ImageSize only.
	Peephole bool `json:"peephole,omitempty"`
	// ImageSize is (H, W) of the frames of a peephole model, whose W_ci,
	// W_cf and W_co are (hidden_dim, H, W); unused without Peephole.
	ImageSize [2]int `json:"image_size,omitzero"`
}

// ErrInconsistentListLength is the seed's ValueError('Inconsistent list
// length.'): kernel_size and hidden_dim must have num_layers entries.
var ErrInconsistentListLength = errors.New("Inconsistent list length.")

// Validate checks the configuration the way the seed's __init__ does, and
// more: sizes must be positive and kernels odd. Errors name the argument.
func (cfg Config) Validate() error {
	if cfg.InputDim <= 0 {
		return fmt.Errorf("convlstm: input_dim must be positive, got %d", cfg.InputDim)
	}
	if cfg.NumLayers <= 0 {
		return fmt.Errorf("convlstm: num_layers must be positive, got %d", cfg.NumLayers)
	}
	// py: if not len(kernel_size) == len(hidden_dim) == num_layers:
	if !(len(cfg.KernelSize) == len(cfg.HiddenDim) && len(cfg.HiddenDim) == cfg.NumLayers) {
		// py: raise ValueError('Inconsistent list length.')
		return fmt.Errorf("convlstm: %w kernel_size has %d entries, hidden_dim %d, num_layers is %d",
			ErrInconsistentListLength, len(cfg.KernelSize), len(cfg.HiddenDim), cfg.NumLayers)
	}
	for l, h := range cfg.HiddenDim {
		if h <= 0 {
			return fmt.Errorf("convlstm: hidden_dim[%d] must be positive, got %d", l, h)
		}
	}
	if cfg.Peephole && (cfg.ImageSize[0] <= 0 || cfg.ImageSize[1] <= 0) {
		return fmt.Errorf("convlstm: image_size must be positive for a peephole model (W_ci, W_cf, W_co are (hidden_dim, H, W)), got %v", cfg.ImageSize)
	}
	for l, k := range cfg.KernelSize {
		if checkKernel("", k) != nil { // the name is built only for the message
			return checkKernel(fmt.Sprintf("kernel_size[%d]", l), k)
		}
	}
	return nil
}

// checkKernelSizeConsistency mirrors the seed's static method
// _check_kernel_size_consistency: kernel_size must be a tuple or a list of
// tuples. In Go a tuple is [2]int and a list of tuples is [][2]int; a bare
// int is rejected, as in the seed (whose own docstring example passes 3).
func checkKernelSizeConsistency(kernelSize interface{}) error {
	// py: if not (isinstance(kernel_size, tuple) or
	// py:         (isinstance(kernel_size, list) and all([isinstance(elem, tuple) for elem in kernel_size]))):
	switch kernelSize.(type) {
	case [2]int, [][2]int:
		return nil
	}
	// py: raise ValueError('`kernel_size` must be tuple or list of tuples')
	return fmt.Errorf("convlstm: `kernel_size` must be tuple or list of tuples ([2]int or [][2]int), got %T %v", kernelSize, kernelSize)
}

// extendForMultilayer mirrors _extend_for_multilayer: anything that is not
// a list (an int hidden_dim, a [2]int kernel tuple) is repeated once per
// layer, a list ([]int, [][2]int) is kept as it is (its length is checked
// afterwards). numLayers must be positive. arg names param in the error.
func extendForMultilayer[T any](arg string, param interface{}, numLayers int) ([]T, error) {
	if numLayers <= 0 {
		return nil, fmt.Errorf("convlstm: num_layers must be positive, got %d", numLayers)
	}
	switch p := param.(type) {
	case []T:
		return append([]T(nil), p...), nil
	case T:
		// py: if not isinstance(param, list):
		// py:     param = [param] * num_layers
		out := make([]T, numLayers)
		for i := range out {
			out[i] = p
		}
		// py: return param
		return out, nil
	}
	return nil, fmt.Errorf("convlstm: %s must be an %T or a list of them (%T), got %T %v", arg, *new(T), []T(nil), param, param)
}
