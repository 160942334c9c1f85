#!/bin/sh
# readme_help.sh SANCTIONSIM - README.md's copy of the options of
# `run --help` (the block after "The options of `run --help`:") is the
# program's own, line for line, so that the README cannot go stale.
set -eu
bin="$1"
want=$(mktemp) got=$(mktemp)
trap 'rm -f "$want" "$got"' EXIT
"$bin" run --help | sed -n '/^  -n, /,/^  -h, --help/p' >"$want"
# the fenced block after the marker line
awk '/The options of `run --help`:$/ { m = 1; next }
     m == 1 && /^```/ { m = 2; next }
     m == 2 && /^```/ { exit }
     m == 2 { print }' README.md >"$got"
if [ ! -s "$want" ]; then
    echo "readme_help: run --help printed no option block" >&2
    exit 1
fi
if ! diff -u "$got" "$want"; then
    echo "readme_help: README.md's options of run --help differ from the" \
        "program's (above: - README, + program); copy the program's" >&2
    exit 1
fi
echo "readme_help: README.md matches run --help ($(wc -l <"$want") lines)"
