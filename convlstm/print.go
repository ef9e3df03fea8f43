package convlstm

import (
	"fmt"
	"strings"
)

// String describes the model the way PyTorch prints it; a missing part
// prints as <nil>.
func (m *ConvLSTM) String() string {
	if m == nil {
		return "<nil>"
	}
	var sb strings.Builder
	sb.WriteString("ConvLSTM(\n  (cell_list): ModuleList(\n")
	for i, c := range m.CellList {
		fmt.Fprintf(&sb, "    (%d): %s\n", i, strings.ReplaceAll(c.String(), "\n", "\n    "))
	}
	sb.WriteString("  )\n)")
	return sb.String()
}

// String describes the cell the way PyTorch prints the module.
func (c *Cell) String() string {
	if c == nil {
		return "<nil>"
	}
	return fmt.Sprintf("ConvLSTMCell(\n  (conv): %v\n)", c.Conv.String())
}

// String describes the layer the way PyTorch prints it.
func (l *ConvLayer) String() string {
	if l == nil {
		return "<nil>"
	}
	return fmt.Sprintf("Conv2d(%d, %d, kernel_size=(%d, %d), stride=(1, 1), padding=(%d, %d), bias=%v)",
		l.InChannels, l.OutChannels, l.KernelSize[0], l.KernelSize[1], l.Padding[0], l.Padding[1], map[bool]string{false: "False", true: "True"}[l.Bias != nil])
}
