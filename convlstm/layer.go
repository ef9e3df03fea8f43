package convlstm

import "fmt"

// ConvLayer is the Go form of the seed's self.conv, an nn.Conv2d with
// stride 1 and zero padding (kh//2, kw//2). It owns the parameters under
// the names PyTorch gives them: Weight (out, in, kh, kw) and Bias (out),
// Bias being nil when the layer was built with bias=False.
type ConvLayer struct {
	InChannels, OutChannels int
	KernelSize, Padding     [2]int
	Weight                  *Tensor // (out, in, kh, kw)
	Bias                    *Tensor // (out) or nil
}

// newConvLayer builds the layer with PyTorch's default initialisation from
// the package generator (see ManualSeed). Arguments are already validated.
func newConvLayer(in, out int, kernel, padding [2]int, bias bool) *ConvLayer {
	l := &ConvLayer{
		InChannels:  in,
		OutChannels: out,
		KernelSize:  kernel,
		Padding:     padding,
		Weight:      Zeros(out, in, kernel[0], kernel[1]), // (out, in, kh, kw)
	}
	fanIn := in * kernel[0] * kernel[1]
	uniformInit(l.Weight.Data, fanIn)
	if bias {
		l.Bias = Zeros(out) // (out)
		uniformInit(l.Bias.Data, fanIn)
	}
	return l
}

// Forward applies the convolution to x (B, in, H, W) with the naive loops of
// Conv2d, zero-padded by l.Padding as nn.Conv2d(padding=...) is.
func (l *ConvLayer) Forward(x *Tensor) (*Tensor, error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	return conv2d(x, l.Weight, l.Bias, l.Padding)
}

// check verifies that the parameters still have the shapes the layer was
// built with (they are exported, so a caller may have replaced them).
func (l *ConvLayer) check() error {
	if err := checkShape("conv.weight", l.Weight, l.OutChannels, l.InChannels, l.KernelSize[0], l.KernelSize[1]); err != nil {
		return err
	}
	if l.Bias == nil {
		return nil
	}
	return checkShape("conv.bias", l.Bias, l.OutChannels)
}

// String describes the layer the way PyTorch prints it.
func (l *ConvLayer) String() string {
	return fmt.Sprintf("Conv2d(%d, %d, kernel_size=(%d, %d), stride=(1, 1), padding=(%d, %d), bias=%v)",
		l.InChannels, l.OutChannels, l.KernelSize[0], l.KernelSize[1], l.Padding[0], l.Padding[1], map[bool]string{false: "False", true: "True"}[l.Bias != nil])
}
