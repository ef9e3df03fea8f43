package convlstm

// setTrainPath makes m record ForwardTrain on the fast or the naive path.
func setTrainPath(m *ConvLSTM, fast bool) {
	trainFastDefault = fast
}
