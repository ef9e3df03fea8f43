package convlstm

// trainFast reports whether ForwardTrain records for the fast path: the
// model's Path chooses training's implementation as it chooses Forward's.
func (m *ConvLSTM) trainFast() bool { return m.Path != Naive }
