#!/bin/sh
# rss.sh - peak resident memory of a baseline run at several replication
# counts (issue 9): one CSV row per count on stdout,
#   rss:baseline:N,<peak RSS in kB>
# and each run's wall-clock seconds on stderr, both from GNU time
# (/usr/bin/time -v, Debian package `time`) around
#   build/sanctionsim run scenarios/baseline.cfg -n N -o TMPDIR --force -q
# Usage, from the top of the repository:
#   sh bench/rss.sh [N ...]       (default: 10000 100000 1000000)
# SANCTIONSIM names another binary (default build/sanctionsim). 10^6
# replications take minutes on one core.
set -eu
bin="${SANCTIONSIM:-build/sanctionsim}"
if [ ! -x /usr/bin/time ]; then
    echo "rss.sh: /usr/bin/time is missing (Debian package: time)" >&2
    exit 1
fi
if [ ! -x "$bin" ]; then
    echo "rss.sh: $bin is missing: build first" >&2
    exit 1
fi
[ $# -gt 0 ] || set -- 10000 100000 1000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in "$@"; do
    /usr/bin/time -v -o "$tmp/time.txt" "$bin" run scenarios/baseline.cfg \
        -n "$n" -o "$tmp/out" --force -q
    kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' \
        "$tmp/time.txt")
    el=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time.*: //p' \
        "$tmp/time.txt" |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    echo "rss:baseline:$n,$kb"
    echo "rss.sh: -n $n took $el s" >&2
    rm -rf "$tmp/out"
done
