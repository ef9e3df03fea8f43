// Package atomicfile writes a file so that a reader, or a crash, sees either
// the old file whole or the new one whole, never a mix and never nothing.
//
// The new contents go to a temporary file in the target's directory (so the
// final rename stays on one file system), which is synced to disk, closed and
// then renamed over the target; the directory is synced so that the rename
// itself survives a crash. Any error before the rename (a full disk, a failed
// encoder) removes only the temporary file: the old target is untouched.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates or replaces path with what write writes. The file gets mode
// perm (before the umask) when it is new, and keeps its mode when it is
// replaced. Until Write returns nil the previous file at path, if any, is
// left as it was.
func Write(path string, perm os.FileMode, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if info, statErr := os.Stat(path); statErr == nil {
		if !info.Mode().IsRegular() {
			return fmt.Errorf("atomicfile: %s is not a regular file", path)
		}
		perm = info.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// The rename is done: the new file is in place even if syncing the
	// directory fails, so that error is reported but nothing is removed.
	if d, derr := os.Open(dir); derr == nil {
		derr = d.Sync()
		d.Close()
		if derr != nil {
			return fmt.Errorf("atomicfile: %s written, but syncing its directory failed: %w", path, derr)
		}
	}
	return nil
}

// WriteFile is Write with the bytes of data, the counterpart of os.WriteFile.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
