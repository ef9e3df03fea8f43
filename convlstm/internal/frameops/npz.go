package frameops

import (
	"io"

	"example.com/convlstm/convlstm"
	"example.com/convlstm/convlstm/npz"
)

// SaveNPZ writes a state_dict as an .npz file, atomically (a temporary
// file in the same folder, synced, then renamed over path): a failed write
// leaves a previous file at path whole.
func SaveNPZ(path string, sd map[string]*convlstm.Tensor) error { return npz.Write(path, sd) }

// EncodeNPZ writes a state_dict as an .npz archive to w (the one call of
// package npz's encoder in the training packages).
func EncodeNPZ(w io.Writer, sd map[string]*convlstm.Tensor) error { return npz.Encode(w, sd) }
