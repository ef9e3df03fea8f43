#!/bin/sh
# Build a gophernotes binary that runs on current Go (1.26).
#
# Usage: build-gophernotes.sh OUTDIR PATCH
#
# Environment (set by notebooks/notebooks.mk):
#   GO                   go command (default go)
#   GOPHERNOTES_VERSION  tagged release to build, e.g. v0.7.5
#   GOMACRO_VERSION      gomacro pseudo-version to require instead of the tagged one
#   XTOOLS_VERSION       golang.org/x/tools version to require
#
# Steps: fetch the exact release from the module proxy (the proxy here refuses
# the @v/list query, so `go install ...@version` cannot be used), copy it out of
# the read-only module cache into OUTDIR/src, apply PATCH, require the pinned
# gomacro and x/tools, build OUTDIR/gophernotes. The binary is moved into place
# only after a successful build.
set -eu

out=$1
patchfile=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
GO=${GO:-go}
: "${GOPHERNOTES_VERSION:?}" "${GOMACRO_VERSION:?}" "${XTOOLS_VERSION:?}"

# The checksum database does not know the gomacro pseudo-versions.
GONOSUMDB="github.com/cosmos72${GONOSUMDB:+,$GONOSUMDB}"
# -mod=mod: let go get/build update go.mod and go.sum of the copy.
# -buildvcs=false: the copy sits inside this repository's work tree.
GOFLAGS="-mod=mod -buildvcs=false"
export GONOSUMDB GOFLAGS

mod=github.com/gopherdata/gophernotes@$GOPHERNOTES_VERSION
echo "gophernotes: fetching $mod"
dir=$("$GO" mod download -json "$mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
if [ -z "$dir" ] || [ ! -f "$dir/go.mod" ]; then
	echo "gophernotes: go mod download $mod gave no directory" >&2
	exit 1
fi

mkdir -p "$out"
src=$out/src
rm -rf "$src"
cp -R "$dir" "$src"
chmod -R u+w "$src"

echo "gophernotes: applying $(basename "$patchfile")"
if command -v patch >/dev/null 2>&1; then
	(cd "$src" && patch -p1 --forward --quiet < "$patchfile")
else
	# git apply works outside a repository; stop it from finding the
	# enclosing work tree (it would take paths relative to that).
	(cd "$src" && GIT_CEILING_DIRECTORIES=$(cd .. && pwd) git apply -p1 "$patchfile")
fi

echo "gophernotes: requiring gomacro $GOMACRO_VERSION, golang.org/x/tools $XTOOLS_VERSION"
(cd "$src" && "$GO" get "github.com/cosmos72/gomacro@$GOMACRO_VERSION" "golang.org/x/tools@$XTOOLS_VERSION")

echo "gophernotes: building (about a minute)"
(cd "$src" && "$GO" build -o ../gophernotes.tmp .)
mv "$out/gophernotes.tmp" "$out/gophernotes"
echo "gophernotes: built $out/gophernotes"
