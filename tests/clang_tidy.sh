#!/bin/sh
# tests/clang_tidy.sh CLANG_TIDY BUILD_DIR FILE... - the CTest test
# lint_clang_tidy: runs clang-tidy (checks in .clang-tidy, every finding an
# error) on each FILE with BUILD_DIR's compile_commands.json, several files
# at a time, and fails if any file has a finding.
#
# One clang-tidy process per file, not one for all: clang-tidy 14 carries
# static-analyzer state from one file to the next and then reports false
# findings (clang-analyzer-valist.Uninitialized on a correct va_start).
set -u
if [ $# -lt 3 ]; then
    echo "usage: $0 CLANG_TIDY BUILD_DIR FILE..." >&2
    exit 2
fi
tidy="$1"
build="$2"
shift 2
jobs="$(nproc 2>/dev/null || echo 2)"
# Each file's report is printed in one piece, and only if it has findings.
# (The sh -c script is in single quotes on purpose: $0..$3 are its own.)
# shellcheck disable=SC2016
printf '%s\n' "$@" | xargs -P "$jobs" -I {} sh -c '
    out=$("$0" -p "$1" --quiet --warnings-as-errors="*" \
        --extra-arg=-Wno-unknown-warning-option "$2" 2>&1)
    rc=$?
    if [ "$rc" -ne 0 ]; then
        printf "== clang-tidy %s: exit status %s\n%s\n" "$2" "$rc" "$out"
        exit 1
    fi' "$tidy" "$build" {}
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "clang-tidy: findings above (checks: .clang-tidy)" >&2
    exit 1
fi
echo "clang-tidy: $# files, no findings"
