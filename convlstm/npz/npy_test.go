package npz

import (
	"bytes"
	"strings"
	"testing"

	"example.com/convlstm/convlstm"
)

// decodeNPY decodes one whole .npy file: its header, then its values.
func decodeNPY(b []byte) (*convlstm.Tensor, error) {
	r := bytes.NewReader(b)
	shape, n, err := readHeader(r, int64(len(b)))
	if err != nil {
		return nil, err
	}
	data, err := readValues(r, n)
	if err != nil {
		return nil, err
	}
	return &convlstm.Tensor{Shape: shape, Data: data}, nil
}

// The .npy parser accepts only little-endian float32 in C order, with data
// exactly as long as the header's shape says.
func TestDecodeNPYErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := writeNPY(&buf, &convlstm.Tensor{Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}}); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	got, err := decodeNPY(good)
	if err != nil || len(got.Shape) != 2 || got.Shape[0] != 2 || got.Shape[1] != 3 || got.Data[5] != 6 {
		t.Fatalf("round trip: %v %v", got, err)
	}
	edit := func(from, to string) []byte {
		return bytes.Replace(append([]byte(nil), good...), []byte(from), []byte(to), 1)
	}
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"float64", edit("'<f4'", "'<f8'"), "dtype <f8, want float32"},
		{"fortran", edit("False", "True "), "Fortran order"},
		{"shape too big", edit("(2, 3)", "(2, 4)"), "needs 32 bytes of float32, the entry holds 24"},
		{"negative shape", edit("(2, 3)", "(-2,3)"), "invalid shape"},
		{"no magic", edit("NUMPY", "NUMPX"), "no \\x93NUMPY magic"},
		{"header length", append(append([]byte(nil), good[:8]...), 0xff, 0xff), "longer than the entry"},
		{"version", edit("\x93NUMPY\x01", "\x93NUMPY\x09"), "version 9.0"},
		{"no shape", edit("'shape'", "'shope'"), "malformed .npy header"},
	}
	for _, c := range cases {
		_, err := decodeNPY(c.b)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}
