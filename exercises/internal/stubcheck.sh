#!/usr/bin/env bash
# stubcheck.sh DIR...: part of `make exercises-check` (exercises/README.md).
# For each exercise folder: an unsolved stub (the file as committed) must
# fail in strict mode, every check of it as NOT STARTED. A stub that differs
# from the committed one is a student's work: it is reported kindly
# ("solved" or "in progress") and not checked, so that `make test` passes in
# a checkout where a student did the exercises. Run from the repository root.
set -u
GO=${GO:-go}
fail=0
for d in "$@"; do
  n=$(basename "$d"); n=${n%%-*}
  stub=$(ls "$d"/*.go | grep -v -e '_test\.go$' -e '_solution\.go$' | head -n 1)
  out=$(CONVLSTM_STRICT=1 $GO test -count=1 -v "./$d/" 2>&1); rc=$?
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && git ls-files --error-unmatch "$stub" >/dev/null 2>&1; then
    if ! git diff --quiet HEAD -- "$stub"; then
      if [ $rc -eq 0 ]; then
        echo "ok   $d: exercise $n is solved in your checkout (well done); skipping its stub check"
      else
        echo "ok   $d: exercise $n is in progress in your checkout ($(basename "$stub") differs from the committed stub); skipping its stub check (make exercise N=$n shows where it stands)"
      fi
      continue
    fi
  elif [ $rc -eq 0 ]; then
    echo "ok   $d: not in a git checkout, and the stub passes: exercise $n looks solved; skipping its stub check"
    continue
  fi
  ns=$(grep -c 'NOT STARTED' <<<"$out")
  passed=$(grep -- '--- PASS:' <<<"$out" | awk '{print $3}' | paste -sd, -)
  if [ $rc -eq 0 ]; then
    echo "FAIL $d: the unsolved stub PASSED with CONVLSTM_STRICT=1 (its checks cannot tell a stub from a solution)"; fail=1
  elif [ -n "$passed" ]; then
    echo "FAIL $d: these checks pass on the unsolved stub: $passed"; fail=1
  elif [ "$ns" -eq 0 ]; then
    echo "FAIL $d: the stub fails, but not as 'not started' (does it build?):"; head -n 20 <<<"$out"; fail=1
  else
    echo "ok   $d: stub fails, $ns checks not started"
  fi
done
exit $fail
