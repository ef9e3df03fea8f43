package seq2seq

import (
	"cmp"
	"fmt"
	"math"
	"math/rand"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/internal/frameops"
)

// Config describes an encoder-forecaster. Zero fields take the defaults
// noted.
type Config struct {
	// Channels is the number of channels of a frame (default 1).
	Channels int `json:"channels"`
	// Hidden is the number of hidden channels of each layer, the same in
	// the encoder and the forecaster (at least one layer).
	Hidden []int `json:"hidden"`
	// Kernel is the (odd) size of every layer's square conv kernel
	// (default 3).
	Kernel int `json:"kernel"`
	// Patch is the patch size p of the space-to-depth trick: an H x W
	// frame enters as C*p*p channels on an (H/p) x (W/p) grid (default 1,
	// no patches).
	Patch int `json:"patch"`
}

// withDefaults fills the zero fields and validates the rest.
func (c Config) withDefaults() (Config, error) {
	c.Channels = cmp.Or(c.Channels, 1)
	c.Kernel = cmp.Or(c.Kernel, 3)
	c.Patch = cmp.Or(c.Patch, 1)
	switch {
	case c.Channels < 0:
		return c, fmt.Errorf("seq2seq: Config.Channels must be positive, got %d", c.Channels)
	case len(c.Hidden) == 0:
		return c, fmt.Errorf("seq2seq: Config.Hidden must list at least one layer, got %v", c.Hidden)
	case c.Kernel < 0 || c.Kernel%2 == 0:
		return c, fmt.Errorf("seq2seq: Config.Kernel must be odd and positive, got %d", c.Kernel)
	case c.Patch < 0:
		return c, fmt.Errorf("seq2seq: Config.Patch must be positive, got %d", c.Patch)
	}
	for l, h := range c.Hidden {
		if h <= 0 {
			return c, fmt.Errorf("seq2seq: Config.Hidden[%d] must be positive, got %d (Hidden %v)", l, h, c.Hidden)
		}
	}
	c.Hidden = append([]int(nil), c.Hidden...)
	return c, nil
}

// patchChannels is C*p*p, the channels of a frame cut into patches.
func (c Config) patchChannels() int { return c.Channels * c.Patch * c.Patch }

// sumHidden is the channel count of all forecaster layers side by side,
// what the head reads.
func (c Config) sumHidden() int {
	s := 0
	for _, h := range c.Hidden {
		s += h
	}
	return s
}

// Model is the encoder-forecaster of Shi et al. (2015, §3.3, Fig. 3) for
// sequences of frames (B, T, C, H, W):
//
//	x     = SpaceToDepth(frames, p)              (B, J, C*p*p, H/p, W/p)
//	_, s  = Encoder(x)                           s: the last (h, c) of every layer
//	outs  = Forecaster(zeros(B, K, 1, H/p, W/p), s)   every layer's outputs
//	hcat  = cat(outs, channels)                  (B, K, sum(Hidden), H/p, W/p)
//	pred  = DepthToSpace(sigmoid(head(hcat)), p) (B, K, C, H, W)
//
// with head a 1x1 conv sum(Hidden) -> C*p*p. The forecaster has the
// encoder's depth and hidden sizes and no input of its own: it reads one
// all-zero channel (so its input weights multiply zeros, get no gradient
// and never matter; one channel keeps that dead part of the conv small).
// The PyTorch twin (testdata/gen_golden_seq2seq.py) is
//
//	class EncoderForecaster(nn.Module):
//	    def __init__(self, channels, hidden, kernel, patch):
//	        super().__init__()
//	        self.channels, self.patch = channels, patch
//	        cp, n = channels * patch * patch, len(hidden)
//	        self.encoder = ConvLSTM(cp, hidden, (kernel, kernel), n, True, True, True)
//	        self.forecaster = ConvLSTM(1, hidden, (kernel, kernel), n, True, True, True)
//	        self.head = nn.Conv2d(sum(hidden), cp, 1)
//	    def forward(self, frames, future):
//	        B, J, C, H, W = frames.shape
//	        p = self.patch
//	        h, w = H // p, W // p
//	        x = F.pixel_unshuffle(frames.reshape(B * J, C, H, W), p).reshape(B, J, C * p * p, h, w)
//	        _, states = self.encoder(x)
//	        outs, _ = self.forecaster(x.new_zeros(B, future, 1, h, w), states)
//	        z = self.head(torch.cat(outs, dim=2).reshape(B * future, -1, h, w))
//	        return F.pixel_shuffle(torch.sigmoid(z), p).reshape(B, future, C, H, W)
//
// and StateDict uses its names: encoder.cell_list.<l>.conv.weight and
// .bias, forecaster.cell_list.<l>.conv.weight and .bias, head.weight,
// head.bias.
type Model struct {
	// Config holds the sizes, defaults filled in.
	Config Config
	// Encoder reads the J input frames (as patches): input C*p*p
	// channels, batch first, every layer returned.
	Encoder *convlstm.ConvLSTM
	// Forecaster starts from the encoder's last states and runs K steps
	// on a one-channel zero input; batch first, every layer returned.
	Forecaster *convlstm.ConvLSTM
	// HeadWeight (C*p*p, sum(Hidden), 1, 1) and HeadBias (C*p*p) are the
	// 1x1 conv that turns the forecaster's states into a frame.
	HeadWeight, HeadBias *convlstm.Tensor
	// Readable runs the readable forward and BPTT ((*ConvLSTM).Forward,
	// bptt.Forward) instead of the fast ones (fast.Forward,
	// bptt.ForwardFast), the default.
	Readable bool

	train *trainState // LossAndGrad's memory, made at its first call
}

// NewModel builds an encoder-forecaster initialised as PyTorch would
// (every conv uniform in ±1/sqrt(fan_in)) from seed: the encoder's and then
// the forecaster's weights from convlstm.ManualSeed(seed), the head's from
// its own source.
func NewModel(cfg Config, seed int64) (*Model, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	n := len(cfg.Hidden)
	ks := make([][2]int, n)
	for i := range ks {
		ks[i] = [2]int{cfg.Kernel, cfg.Kernel}
	}
	stack := func(in int) (*convlstm.ConvLSTM, error) {
		return convlstm.New(convlstm.Config{InputDim: in, HiddenDim: append([]int(nil), cfg.Hidden...), KernelSize: ks,
			NumLayers: n, BatchFirst: true, Bias: true, ReturnAllLayers: true})
	}
	convlstm.ManualSeed(seed)
	enc, err := stack(cfg.patchChannels())
	if err != nil {
		return nil, fmt.Errorf("seq2seq: NewModel: encoder: %w", err)
	}
	fc, err := stack(1)
	if err != nil {
		return nil, fmt.Errorf("seq2seq: NewModel: forecaster: %w", err)
	}
	cp, sh := cfg.patchChannels(), cfg.sumHidden()
	if err := convlstm.CheckAlloc("seq2seq: NewModel: head", []int{cp, sh, 1, 1}); err != nil {
		return nil, err
	}
	m := &Model{Config: cfg, Encoder: enc, Forecaster: fc, HeadWeight: convlstm.Zeros(cp, sh, 1, 1), HeadBias: convlstm.Zeros(cp)}
	r := rand.New(rand.NewSource(seed + 1))
	bound := 1 / math.Sqrt(float64(sh)) // nn.Conv2d: fan_in = sum(Hidden) * 1 * 1
	for i := range m.HeadWeight.Data {
		m.HeadWeight.Data[i] = float32((2*r.Float64() - 1) * bound)
	}
	for i := range m.HeadBias.Data {
		m.HeadBias.Data[i] = float32((2*r.Float64() - 1) * bound)
	}
	return m, nil
}

// check verifies that the parts still fit the configuration (the fields
// are exported and may have been replaced).
func (m *Model) check() error {
	if m == nil || m.Encoder == nil || m.Forecaster == nil {
		return fmt.Errorf("seq2seq: the model or one of its stacks is nil; build it with NewModel")
	}
	cfg := m.Config
	if len(cfg.Hidden) == 0 || cfg.Patch < 1 || cfg.Channels < 1 {
		return fmt.Errorf("seq2seq: model Config %+v is not filled in; build the model with NewModel", cfg)
	}
	for name, s := range map[string]*convlstm.ConvLSTM{"Encoder": m.Encoder, "Forecaster": m.Forecaster} {
		if err := s.Check(); err != nil {
			return fmt.Errorf("seq2seq: %s: %w", name, err)
		}
		if !s.BatchFirst || !s.ReturnAllLayers || s.NumLayers != len(cfg.Hidden) {
			return fmt.Errorf("seq2seq: %s must be batch first, return all layers and have %d layers", name, len(cfg.Hidden))
		}
		for l, h := range cfg.Hidden {
			if s.HiddenDim[l] != h {
				return fmt.Errorf("seq2seq: %s layer %d has %d hidden channels, Config.Hidden %v", name, l, s.HiddenDim[l], cfg.Hidden)
			}
		}
	}
	if m.Encoder.InputDim != cfg.patchChannels() || m.Forecaster.InputDim != 1 {
		return fmt.Errorf("seq2seq: the encoder reads %d channels (want C*p*p = %d), the forecaster %d (want 1)",
			m.Encoder.InputDim, cfg.patchChannels(), m.Forecaster.InputDim)
	}
	cp, sh := cfg.patchChannels(), cfg.sumHidden()
	if m.HeadWeight == nil || !convlstm.SameShape(m.HeadWeight.Shape, []int{cp, sh, 1, 1}) || len(m.HeadWeight.Data) != cp*sh {
		return fmt.Errorf("seq2seq: head.weight must be (%d, %d, 1, 1), got shape %v", cp, sh, shapeOf(m.HeadWeight))
	}
	if m.HeadBias == nil || !convlstm.SameShape(m.HeadBias.Shape, []int{cp}) || len(m.HeadBias.Data) != cp {
		return fmt.Errorf("seq2seq: head.bias must be (%d), got shape %v", cp, shapeOf(m.HeadBias))
	}
	return nil
}

// params is the model's state_dict side (frameops.Params), after check.
func (m *Model) params() frameops.Params {
	if err := m.check(); err != nil {
		return frameops.Params{Err: err}
	}
	return frameops.Params{Stacks: map[string]*convlstm.ConvLSTM{"encoder.": m.Encoder, "forecaster.": m.Forecaster},
		HeadWeight: m.HeadWeight, HeadBias: m.HeadBias}
}

// StateDict returns the parameters (the model's own tensors, not copies)
// under the names of the PyTorch twin's state_dict; none for a model that
// is not whole (zero, or with a nil or mismatched part).
func (m *Model) StateDict() map[string]*convlstm.Tensor { return m.params().StateDict() }

// LoadStateDict copies parameters by name, strictly: every key of
// StateDict must be present with its shape, and no other. On error nothing
// is changed.
func (m *Model) LoadStateDict(sd map[string]*convlstm.Tensor) error { return m.params().Load(sd) }

// SaveNPZ writes the state_dict as an .npz that numpy.load reads and the
// PyTorch twin loads (see the README). The file is replaced atomically
// (a temporary file, synced, renamed): until SaveNPZ returns nil, a
// previous file at path is left as it was.
func (m *Model) SaveNPZ(path string) error { return m.params().Save(path) }

// LoadNPZ reads weights written by SaveNPZ (or by numpy.savez of the twin's
// state_dict).
func (m *Model) LoadNPZ(path string) error { return m.params().LoadFile(path) }

// shapeOf is t's shape, nil for a nil tensor.
func shapeOf(t *convlstm.Tensor) []int {
	if t == nil {
		return nil
	}
	return t.Shape
}
