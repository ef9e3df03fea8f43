package convlstm

// trainFast reports whether ForwardTrain should record for the fast path.
func (m *ConvLSTM) trainFast() bool { return trainFastDefault }

// trainFastDefault is the path used until the model carries a Path field.
var trainFastDefault = false
