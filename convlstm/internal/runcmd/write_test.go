package runcmd

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteAllFailure: when one output of the group fails to write (a full
// disk, a failed encoder), none of the previous files changes and no
// staging file is left behind.
func TestWriteAllFailure(t *testing.T) {
	dir := t.TempDir()
	if err := WriteAll(dir, []Output{Bytes("a", []byte("old a")), Bytes("b", []byte("old b"))}); err != nil {
		t.Fatal(err)
	}
	failing := Output{Name: "b", Write: func(w io.Writer) error {
		w.Write([]byte("half of the new b"))
		return errors.New("disk full")
	}}
	if err := WriteAll(dir, []Output{Bytes("a", []byte("new a")), failing}); err == nil {
		t.Fatal("no error")
	}
	for name, want := range map[string]string{"a": "old a", "b": "old b"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the folder holds %d entries, want 2 (no staging left)", len(entries))
	}
}
