package runcmd

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"

	"example.com/convlstm/convlstm/internal/atomicfile"
)

// Output is one file of a run's results: its name in the output folder
// and the function that writes its contents.
type Output struct {
	Name  string
	Write func(w io.Writer) error
}

// Bytes is an Output of fixed contents.
func Bytes(name string, data []byte) Output {
	return Output{Name: name, Write: func(w io.Writer) error { _, err := w.Write(data); return err }}
}

// WriteAll writes outs into dir as one group (see the package doc): every
// file is written and synced in a staging folder first, and only then are
// they renamed into dir. On an error before the renames nothing in dir has
// changed.
func WriteAll(dir string, outs []Output) (err error) {
	names := make([]string, len(outs))
	for i, o := range outs {
		names[i] = o.Name
	}
	if err := CheckOut(dir, names); err != nil {
		return err
	}
	staging, err := os.MkdirTemp(dir, ".staging-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging)
	for _, o := range outs {
		if err := atomicfile.Write(filepath.Join(staging, o.Name), 0o644, o.Write); err != nil {
			return fmt.Errorf("writing %s: %w (nothing in %s changed)", o.Name, err, dir)
		}
	}
	for i, o := range outs {
		if err := os.Rename(filepath.Join(staging, o.Name), filepath.Join(dir, o.Name)); err != nil {
			return fmt.Errorf("replacing %s after %d of %d files: %w", o.Name, i, len(outs), err)
		}
	}
	if d, err := os.Open(dir); err == nil {
		defer d.Close()
		if err := d.Sync(); err != nil {
			return fmt.Errorf("%s written, but syncing the folder failed: %w", dir, err)
		}
	}
	return nil
}

// CheckOut makes sure that the results can be written to dir: it creates
// the folder, tries a staging folder in it (removed at once), and refuses
// a result name taken by something other than a regular file (its rename
// would fail half way through the group). The commands call it before
// training, WriteAll again before writing.
func CheckOut(dir string, names []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	for _, name := range names {
		if info, err := os.Lstat(filepath.Join(dir, name)); err == nil && !info.Mode().IsRegular() {
			return fmt.Errorf("-out: %s exists and is not a regular file: nothing written", filepath.Join(dir, name))
		}
	}
	probe, err := os.MkdirTemp(dir, ".staging-*")
	if err != nil {
		return fmt.Errorf("-out: %s is not writable: %w", dir, err)
	}
	return os.Remove(probe)
}

// StartCPUProfile starts a CPU profile when path is not empty; stop ends
// it and writes it to path atomically (a no-op when path is empty).
func StartCPUProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return atomicfile.WriteFile(path, buf.Bytes(), 0o644)
	}, nil
}
