package convlstm

// setTrainPath makes m record ForwardTrain on the fast or the naive path.
func setTrainPath(m *ConvLSTM, fast bool) {
	m.Path = Naive
	if fast {
		m.Path = Fast
	}
}
