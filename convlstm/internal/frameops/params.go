package frameops

import (
	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/npz"
)

// Params is the state_dict of a model made of ConvLSTM stacks and a 1x1
// conv head, as both models name it, and what they do with it (their
// StateDict, LoadStateDict, SaveNPZ and LoadNPZ are these methods). A
// model builds it after its own check: Err is that check's error, and
// then StateDict is empty and every other method returns Err.
type Params struct {
	// Err is the model's check: nil for a whole model.
	Err error
	// Stacks maps a state_dict prefix ("convlstm.", "encoder.") to the
	// stack whose parameters it names.
	Stacks map[string]*convlstm.ConvLSTM
	// HeadWeight and HeadBias are head.weight and head.bias.
	HeadWeight, HeadBias *convlstm.Tensor
}

// StateDict returns the parameters (the model's own tensors, not copies):
// head.weight, head.bias, and every stack's under its prefix.
func (p Params) StateDict() map[string]*convlstm.Tensor {
	if p.Err != nil {
		return map[string]*convlstm.Tensor{}
	}
	sd := map[string]*convlstm.Tensor{"head.weight": p.HeadWeight, "head.bias": p.HeadBias}
	for prefix, s := range p.Stacks {
		for k, v := range s.StateDict() {
			sd[prefix+k] = v
		}
	}
	return sd
}

// Load copies sd into the parameters by name, strictly: every key of
// StateDict must be present with its shape, and no other. On error
// nothing is changed.
func (p Params) Load(sd map[string]*convlstm.Tensor) error {
	if p.Err != nil {
		return p.Err
	}
	return convlstm.LoadParams(p.StateDict(), sd)
}

// Save writes the state_dict to path (npz.Write: atomically, a previous
// file at path left whole until it succeeds).
func (p Params) Save(path string) error {
	if p.Err != nil {
		return p.Err
	}
	return npz.Write(path, p.StateDict())
}

// LoadFile reads the .npz file at path into the parameters, strictly
// (npz.LoadParams: the file's names and shapes are checked before any
// data is decoded; on error nothing is changed).
func (p Params) LoadFile(path string) error {
	if p.Err != nil {
		return p.Err
	}
	return npz.LoadParams(p.StateDict(), path)
}
