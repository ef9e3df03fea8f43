#!/bin/sh
# Install Jupyter from Debian's packages when it is missing.
#
# Usage: install-jupyter.sh PYTHON PACKAGE...
#   PYTHON   the interpreter that must import the Jupyter modules (Debian's
#            /usr/bin/python3; a python3 earlier on PATH may be another one)
#   PACKAGE  Debian packages to install, e.g. jupyter-notebook python3-nbconvert
#
# Does nothing (and is quick) when every package is installed and PYTHON
# imports nbconvert, nbclient, ipykernel and notebook. Otherwise runs
# apt-get update + apt-get install, with sudo when not root.
set -eu

py=$1
shift

missing=""
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case $status in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

check_imports() {
	"$py" -c 'import nbconvert, nbclient, ipykernel, notebook' 2>/dev/null
}

if [ -z "$missing" ] && check_imports; then
	echo "jupyter: installed ($py imports nbconvert, nbclient, ipykernel, notebook)"
	exit 0
fi
[ -n "$missing" ] || missing=" $*"

if ! command -v apt-get >/dev/null 2>&1; then
	echo "jupyter: missing Debian packages:$missing" >&2
	echo "jupyter: apt-get not found: install Jupyter (notebook, nbconvert, nbclient, ipykernel) for $py by hand," >&2
	echo "         or point NB_PY at a Python that has them (make NB_PY=/path/to/python3 ...)" >&2
	exit 1
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "jupyter: need root to install:$missing (not root and no sudo)" >&2
		exit 1
	fi
fi

echo "jupyter: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing

if ! check_imports; then
	echo "jupyter: installed$missing but $py still cannot import nbconvert, nbclient, ipykernel, notebook" >&2
	exit 1
fi
echo "jupyter: ready"
