#!/bin/sh
# Execute notebooks headless with the gophernotes kernel.
#
# Usage: run-notebooks.sh OUTDIR NOTEBOOK...
#
# Environment (set by notebooks/notebooks.mk):
#   NB_PY          Python with nbconvert (Debian's /usr/bin/python3)
#   NB_KERNEL      kernelspec name (gophernotes)
#   NB_TIMEOUT     seconds one cell may take (900)
#   GO             go command (go)
#
# Each NOTEBOOK runs in the order given, in its own folder (so `import
# "../convlstm"` resolves against the repository), into OUTDIR/<name>.ipynb
# and OUTDIR/<name>.html. The time per notebook is printed. A notebook whose
# cell fails leaves no output in OUTDIR (a stale one is removed first), the
# others still run, and the exit status is 1.
set -u

out=$1
shift
NB_PY=${NB_PY:-/usr/bin/python3}
NB_KERNEL=${NB_KERNEL:-gophernotes}
NB_TIMEOUT=${NB_TIMEOUT:-900}

if [ $# -eq 0 ]; then
	echo "notebooks: no notebooks to run"
	exit 0
fi

mkdir -p "$out"
outabs=$(cd "$out" && pwd)

# The HTML loads MathJax and require.js from copies next to it (bundle-js.sh),
# by relative URLs: no network, no dependence on this machine's file paths.
# The SVG output of MathJax needs no web fonts (which a browser will not load
# for a file:// page).
NB_MATHJAX_URL='mathjax/MathJax.js?config=TeX-AMS_SVG-full,Safe'
NB_REQUIREJS_URL='js/require.min.js'
sh "$(dirname "$0")/bundle-js.sh" "$outabs" || exit 1
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# execute NB NAME: run one notebook into OUTDIR/NAME.ipynb, log in NAME.log.
execute() {
	"$NB_PY" -m nbconvert --to notebook --execute \
		--ExecutePreprocessor.timeout="$NB_TIMEOUT" \
		--ExecutePreprocessor.kernel_name="$NB_KERNEL" \
		--output-dir="$outabs" --output="$2.ipynb" "$1" \
		>"$outabs/$2.log" 2>&1
}

# retry_plugin NB NAME: gomacro builds each import as a Go plugin in a
# temporary folder; once in a while that build fails on a file of its own
# ("copying .../a.out.so: open import_N.so: no such file or directory").
# Only for that failure of the kernel's build step, never for an error in a
# cell's code, the notebook runs once more.
retry_plugin() {
	grep -q 'a\.out\.so' "$outabs/$2.log" || return 1
	echo "notebooks: $1: the kernel's plugin build failed (a.out.so); running it once more"
	mv "$outabs/$2.log" "$outabs/$2.first-try.log"
	execute "$1" "$2"
}

# fix_links NB HTML: relative links in the markdown (../exercises/01-padding/...)
# are written for the notebook's own folder; the HTML sits elsewhere
# (build/notebooks), so prefix them with the way from there to that folder.
fix_links() {
	rel=$("$NB_PY" -c 'import os, sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' \
		"$(cd "$(dirname "$1")" && pwd)" "$(dirname "$2")")
	sed -i "s#href=\"\\.\\./#href=\"$rel/../#g" "$2"
}

failed=""
summary=""
t_all=$(now)
for nb in "$@"; do
	name=$(basename "$nb" .ipynb)
	rm -f "$outabs/$name.ipynb" "$outabs/$name.html"
	echo "notebooks: running $nb"
	t0=$(now)
	if execute "$nb" "$name" || retry_plugin "$nb" "$name"; then
		t1=$(now)
		if "$NB_PY" -m nbconvert --to html --output-dir="$outabs" --output="$name.html" \
			--HTMLExporter.mathjax_url="$NB_MATHJAX_URL" \
			--HTMLExporter.require_js_url="$NB_REQUIREJS_URL" \
			"$outabs/$name.ipynb" >>"$outabs/$name.log" 2>&1; then
			fix_links "$nb" "$outabs/$name.html"
			line="$nb: ok in $(elapsed "$t0" "$t1") s"
		else
			line="$nb: ran in $(elapsed "$t0" "$t1") s, HTML export FAILED (see $out/$name.log)"
			failed="$failed $nb"
		fi
	else
		t1=$(now)
		rm -f "$outabs/$name.ipynb"
		# The kernel's own messages (go get / plugin build output) come before
		# Python's traceback; nbconvert's CellExecutionError at its end names
		# the failing cell and the Go error.
		awk '/^Traceback/ { exit } !/^\[NbConvertApp\]/' "$outabs/$name.log" | tail -n 20 | sed 's/^/    | /'
		if grep -q 'CellExecutionError' "$outabs/$name.log"; then
			sed -n '/CellExecutionError: /,$p' "$outabs/$name.log" |
				awk 'NR <= 40 { print "    " $0 } NR == 41 { print "    ... (more in the log)" }'
		else
			tail -n 20 "$outabs/$name.log" | sed 's/^/    /'
		fi
		line="$nb: FAILED after $(elapsed "$t0" "$t1") s (full log: $out/$name.log)"
		failed="$failed $nb"
	fi
	echo "notebooks: $line"
	summary="$summary
  $line"
done
t_end=$(now)

# Each kernel leaves its import plugins (tens of MB) in
# $GOPATH/src/gomacro.imports/gomacro_pid_<pid>; remove those of kernels that
# are gone, so repeated runs do not pile them up.
gopath=$(${GO:-go} env GOPATH 2>/dev/null | cut -d: -f1)
for d in "$gopath"/src/gomacro.imports/gomacro_pid_*; do
	[ -d "$d" ] || continue
	pid=${d##*_pid_}
	[ -d "/proc/$pid" ] || rm -rf "$d"
done

echo "notebooks: summary ($# notebooks, $(elapsed "$t_all" "$t_end") s in all):$summary"
if [ -n "$failed" ]; then
	echo "notebooks: FAILED:$failed" >&2
	exit 1
fi
