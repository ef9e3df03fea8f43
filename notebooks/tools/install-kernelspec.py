"""Install (or refresh) the Jupyter kernelspec for gophernotes.

Usage: install-kernelspec.py KERNEL_DIR GOPHERNOTES_BIN GOMODCACHE [LOGO_DIR]

Writes KERNEL_DIR/kernel.json only when its content changes, so a second run
does nothing. The kernel environment is what gophernotes v0.7.5 needs on Go 1.26:

- GODEBUG=gotypesalias=0: gomacro panics on *types.Alias otherwise.
- GOFLAGS=-mod=mod: `import "../convlstm"` makes a temporary module that
  requires this project; -mod=mod lets go get / go mod tidy fill in its go.mod.
- GOSUMDB=off and GOPROXY=file://GOMODCACHE/cache/download: that temporary
  module resolves every dependency from the local module cache. The registry
  here answers 400/403 (not 404) for module paths it does not know, which breaks
  `go get` of the local module; the file proxy answers "not found" properly.
  `make setup` downloads the project's modules into the cache first.
- GOTOOLCHAIN=local: never try to download another toolchain.
"""

import json
import os
import shutil
import sys


def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__)
    kernel_dir, binary, modcache = argv[1:4]
    logo_dir = argv[4] if len(argv) == 5 else None
    binary = os.path.abspath(binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"kernelspec: {binary} is not an executable")
    spec = {
        "argv": [binary, "{connection_file}"],
        "display_name": "Go",
        "language": "go",
        "env": {
            "GODEBUG": "gotypesalias=0",
            "GOFLAGS": "-mod=mod",
            "GOSUMDB": "off",
            "GONOSUMDB": "github.com/cosmos72",
            "GOPROXY": "file://" + os.path.abspath(modcache) + "/cache/download",
            "GOTOOLCHAIN": "local",
        },
    }
    text = json.dumps(spec, indent=2, sort_keys=True) + "\n"
    path = os.path.join(kernel_dir, "kernel.json")
    old = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = f.read()
    os.makedirs(kernel_dir, exist_ok=True)
    if logo_dir:
        for name in ("logo-32x32.png", "logo-64x64.png"):
            src = os.path.join(logo_dir, name)
            dst = os.path.join(kernel_dir, name)
            if os.path.exists(src) and not os.path.exists(dst):
                shutil.copyfile(src, dst)
    if old == text:
        print(f"kernelspec: {path} up to date")
        return
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
    print(f"kernelspec: wrote {path} (kernel 'gophernotes' -> {binary})")


if __name__ == "__main__":
    main(sys.argv)
