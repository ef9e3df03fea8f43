package convlstm

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
// Conv2d, zero-padded by l.Padding as nn.Conv2d(padding=...) is. Errors name
// the bad parameter or argument.
func (l *ConvLayer) Forward(x *Tensor) (*Tensor, error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	if err := checkConv("ConvLayer.Forward", x, l.Weight, l.Bias, &l.Padding); err != nil {
		return nil, err
	}
	return l.forward(x), nil
}

// forward is self.conv(x) on arguments Forward (or Cell.CheckStep) checked.
func (l *ConvLayer) forward(x *Tensor) *Tensor { return conv2d(x, l.Weight, l.Bias, l.Padding) }
