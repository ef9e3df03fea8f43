package check

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDirIgnoresWorkingDirectory: the folder the rules read comes from the
// compiled-in path of this package, so code that changes the working
// directory before the checks run (a side file's init) does not move it.
func TestDirIgnoresWorkingDirectory(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("gates.go", []byte("package gates\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := Exercise("03-gate-split").Dir()
	if _, err := os.Stat(filepath.Join(dir, "gates_test.go")); err != nil {
		t.Fatalf("Dir() = %s after a chdir: %v", dir, err)
	}
}
