#!/bin/sh
# Copy the JavaScript the exported HTML needs next to it, so that
# build/notebooks/*.html renders its maths with no network and on a machine
# without Debian's libjs-mathjax: the HTML points at these relative copies
# (see run-notebooks.sh, --HTMLExporter.mathjax_url and require_js_url).
#
# Usage: bundle-js.sh OUTDIR
#
# Copies from Debian's libjs-mathjax (installed with Jupyter by `make setup`)
# only what MathJax 2 loads for the configuration TeX-AMS_SVG-full,Safe:
# MathJax.js, that configuration, the extensions, the TeX input, the SVG
# output with its TeX font data (SVG needs no web fonts, which browsers
# refuse to load from file:// pages), the element jax and the English
# messages: about 3 MB into OUTDIR/mathjax. Also require.js into OUTDIR/js.
# Re-copies only when the source is newer.
set -eu

out=$1
src=${NB_MATHJAX_DIR:-/usr/share/javascript/mathjax}
req=${NB_REQUIREJS:-/usr/share/javascript/requirejs/require.min.js}

if [ ! -f "$src/MathJax.js" ]; then
	echo "bundle-js: $src/MathJax.js not found (Debian package libjs-mathjax; make setup installs it)" >&2
	exit 1
fi
mkdir -p "$out/mathjax" "$out/js"
if [ ! -f "$out/mathjax/.stamp" ] || [ "$src/MathJax.js" -nt "$out/mathjax/.stamp" ]; then
	rm -rf "$out/mathjax"
	mkdir -p "$out/mathjax/config" "$out/mathjax/jax/input" "$out/mathjax/jax/output/SVG/fonts" "$out/mathjax/localization"
	cp -L "$src/MathJax.js" "$out/mathjax/"
	cp -L "$src/config/TeX-AMS_SVG-full.js" "$src/config/Safe.js" "$out/mathjax/config/" 2>/dev/null ||
		cp -L "$src/config/TeX-AMS_SVG-full.js" "$out/mathjax/config/"
	cp -RL "$src/extensions" "$out/mathjax/"
	cp -RL "$src/jax/input/TeX" "$out/mathjax/jax/input/"
	cp -RL "$src/jax/element" "$out/mathjax/jax/"
	for f in config.js jax.js autoload; do
		cp -RL "$src/jax/output/SVG/$f" "$out/mathjax/jax/output/SVG/"
	done
	cp -RL "$src/jax/output/SVG/fonts/TeX" "$out/mathjax/jax/output/SVG/fonts/"
	cp -RL "$src/localization/en" "$out/mathjax/localization/"
	touch "$out/mathjax/.stamp"
fi
if [ -f "$req" ]; then
	cp -L "$req" "$out/js/require.min.js"
fi
echo "bundle-js: MathJax ($(du -sh "$out/mathjax" | cut -f1)) and require.js in $out"
