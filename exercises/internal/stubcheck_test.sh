#!/usr/bin/env bash
# stubcheck_test.sh: proves stubcheck.sh's two paths in a temporary clone of
# this repository (HEAD, with the working tree's stubcheck.sh): the committed
# stub of exercise 01 fails as "not started", and once a student's solution
# replaces it, the check says the exercise is solved instead of failing.
# Run from the repository root (make exercises-check does).
set -eu
GO=${GO:-go}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q --shared . "$tmp/repo"
cp exercises/internal/stubcheck.sh "$tmp/repo/exercises/internal/stubcheck.sh"
cd "$tmp/repo"
d=exercises/01-padding
out=$(GO=$GO bash exercises/internal/stubcheck.sh $d)
grep -q "^ok   $d: stub fails" <<<"$out" || { echo "stubcheck_test: the committed stub: $out"; exit 1; }
# The student solves exercise 01: their stub is now the reference solution.
sed 's|^//go:build solution$|//go:build !solution|' $d/padding_solution.go > $d/padding.go
rm $d/padding_solution.go
out=$(GO=$GO bash exercises/internal/stubcheck.sh $d)
grep -q "exercise 01 is solved in your checkout" <<<"$out" || { echo "stubcheck_test: a solved stub: $out"; exit 1; }
# Half done: it still fails, and is reported as in progress, not as an error.
sed -i 's|return span/stride + 1, nil|return span + 1, nil|' $d/padding.go
out=$(GO=$GO bash exercises/internal/stubcheck.sh $d) || { echo "stubcheck_test: an exercise in progress fails the check: $out"; exit 1; }
grep -q "exercise 01 is in progress" <<<"$out" || { echo "stubcheck_test: an exercise in progress: $out"; exit 1; }
echo "stubcheck_test: ok (a committed stub fails as not started; a solved one and one in progress are reported, not failed)"
