package bench

import (
	"testing"

	"example.com/convlstm/convlstm"
)

// Each runs f as the sub-benchmark cfg.Name (mnist, wide, deep) of each
// shape of Configs, with the shape's model and input (Config.Model).
func Each(b *testing.B, f func(b *testing.B, cfg Config, m *convlstm.ConvLSTM, x *convlstm.Tensor)) {
	for _, cfg := range Configs() {
		b.Run(cfg.Name, func(b *testing.B) {
			m, x, err := cfg.Model()
			if err != nil {
				b.Fatal(err)
			}
			f(b, cfg, m, x)
		})
	}
}
