// Package golden loads the PyTorch golden cases of testdata/golden (written
// by testdata/gen_golden.py; the keys and shapes are in testdata/README.md)
// and measures how far a Go result is from PyTorch's. It is the one loader
// the Go tests, the notebooks' helpers and the exercise checks share.
//
//	root, _ := golden.Dir()            // testdata/golden of the module
//	names, _ := golden.Names(root)     // every case folder, sorted
//	gc, _ := golden.Load(root, names[0])
//	m, _ := gc.Model()                 // PyTorch's weights loaded
//	hs, _ := gc.HiddenState()
//	outs, states, _ := m.Forward(gc.Input(), hs)
//	diffs, _ := gc.CompareForward(outs, states)
//	fmt.Print(golden.Table(diffs))
package golden

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/npz"
)

// The tolerances of the golden comparisons: a Go value passes when
// |go - torch| <= atol + rtol*|torch|. Gradients sum over more terms (every
// pixel, step and layer) than forward values do, hence their wider bound.
const (
	ForwardAtol = 1e-5
	ForwardRtol = 1e-4
	GradAtol    = 1e-4
	GradRtol    = 1e-3
)

// Case is one folder of testdata/golden.
type Case struct {
	// Name is the folder's name, e.g. "l2_hs_rall".
	Name string
	// Dir is the folder.
	Dir string
	// Config holds the constructor arguments, one entry per layer.
	Config convlstm.Config
	// WithHiddenState tells whether PyTorch's forward was given an
	// initial (h, c) per layer.
	WithHiddenState bool
	// Tensors holds tensors.npz by key (no ".npy" suffix): the input, the
	// weights, the initial state if any, and what PyTorch returned.
	Tensors map[string]*convlstm.Tensor
}

// Dir returns testdata/golden of the module, found by walking up from the
// working directory to the folder that holds go.mod.
func Dir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("golden: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata", "golden"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("golden: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Names lists the case folders (those with a config.json) under root,
// sorted. A new folder is picked up with no code change.
func Names(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("golden: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			if _, err := os.Stat(filepath.Join(root, e.Name(), "config.json")); err == nil {
				names = append(names, e.Name())
			}
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("golden: no case folders (with config.json) in %s", root)
	}
	return names, nil
}

// Load reads root/name/config.json and root/name/tensors.npz.
func Load(root, name string) (*Case, error) {
	dir := filepath.Join(root, name)
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, fmt.Errorf("golden: %w", err)
	}
	var cfg struct {
		convlstm.Config
		WithHiddenState bool `json:"with_hidden_state"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("golden: %s/config.json: %w", dir, err)
	}
	tensors, err := npz.Read(filepath.Join(dir, "tensors.npz"))
	if err != nil {
		return nil, fmt.Errorf("golden: %s: %w", name, err)
	}
	if tensors["input"] == nil {
		return nil, fmt.Errorf("golden: %s/tensors.npz has no \"input\"", dir)
	}
	return &Case{Name: name, Dir: dir, Config: cfg.Config, WithHiddenState: cfg.WithHiddenState, Tensors: tensors}, nil
}

// Input is the input PyTorch's forward was given.
func (c *Case) Input() *convlstm.Tensor { return c.Tensors["input"] }

// NumOutputs is the number of layers forward returns: all of them with
// return_all_layers, else one.
func (c *Case) NumOutputs() int {
	if c.Config.ReturnAllLayers {
		return c.Config.NumLayers
	}
	return 1
}

// Model builds the case's ConvLSTM (a peephole model when config.json says
// "peephole": true, for its "image_size") and loads PyTorch's weights into
// it, strictly: every cell_list.<l>.conv.* (and cell_list.<l>.W_ci, W_cf,
// W_co) must be present with its shape.
func (c *Case) Model() (*convlstm.ConvLSTM, error) {
	m, err := convlstm.New(c.Config)
	if err != nil {
		return nil, fmt.Errorf("golden: %s: %w", c.Name, err)
	}
	sd := map[string]*convlstm.Tensor{}
	for k := range m.StateDict() {
		if c.Tensors[k] == nil {
			return nil, fmt.Errorf("golden: %s: tensors.npz has no %q", c.Name, k)
		}
		sd[k] = c.Tensors[k]
	}
	if err := m.LoadStateDict(sd); err != nil {
		return nil, fmt.Errorf("golden: %s: %w", c.Name, err)
	}
	return m, nil
}

// HiddenState returns the initial state PyTorch's forward was given, one
// State per layer, or nil when the case passed none.
func (c *Case) HiddenState() ([]convlstm.State, error) {
	if !c.WithHiddenState {
		return nil, nil
	}
	hs := make([]convlstm.State, c.Config.NumLayers)
	for l := range hs {
		h, cc := c.Tensors[fmt.Sprintf("hidden_state.%d.h", l)], c.Tensors[fmt.Sprintf("hidden_state.%d.c", l)]
		if h == nil || cc == nil {
			return nil, fmt.Errorf("golden: %s: tensors.npz lacks hidden_state.%d.h or .c", c.Name, l)
		}
		hs[l] = convlstm.State{H: h, C: cc}
	}
	return hs, nil
}

// HasGrads reports whether the case has a grads.npz.
func (c *Case) HasGrads() bool {
	_, err := os.Stat(filepath.Join(c.Dir, "grads.npz"))
	return err == nil
}

// Grads reads grads.npz: the upstream gradients grad_output.<k> and the
// gradients PyTorch computed from them (grad.input, grad.<weight name>,
// grad.hidden_state.<l>.h and .c).
func (c *Case) Grads() (map[string]*convlstm.Tensor, error) {
	g, err := npz.Read(filepath.Join(c.Dir, "grads.npz"))
	if err != nil {
		return nil, fmt.Errorf("golden: %s: %w", c.Name, err)
	}
	return g, nil
}

// GradOutputs returns grad_output.<k> of grads, one per returned layer.
func (c *Case) GradOutputs(grads map[string]*convlstm.Tensor) ([]*convlstm.Tensor, error) {
	out := make([]*convlstm.Tensor, c.NumOutputs())
	for k := range out {
		if out[k] = grads[fmt.Sprintf("grad_output.%d", k)]; out[k] == nil {
			return nil, fmt.Errorf("golden: %s: grads.npz has no grad_output.%d", c.Name, k)
		}
	}
	return out, nil
}

// Keys returns the keys of Tensors, sorted.
func (c *Case) Keys() []string {
	keys := make([]string, 0, len(c.Tensors))
	for k := range c.Tensors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// String lists the case: its configuration and every tensor with its shape.
func (c *Case) String() string {
	var sb strings.Builder
	g := c.Config
	fmt.Fprintf(&sb, "case %s: input_dim=%d hidden_dim=%v kernel_size=%v num_layers=%d batch_first=%v bias=%v return_all_layers=%v hidden_state passed=%v",
		c.Name, g.InputDim, g.HiddenDim, g.KernelSize, g.NumLayers, g.BatchFirst, g.Bias, g.ReturnAllLayers, c.WithHiddenState)
	if g.Peephole {
		fmt.Fprintf(&sb, " peephole=true image_size=%v", g.ImageSize)
	}
	sb.WriteString("\n")
	for _, k := range c.Keys() {
		fmt.Fprintf(&sb, "  %-26s %v\n", k, c.Tensors[k].Shape)
	}
	return sb.String()
}
