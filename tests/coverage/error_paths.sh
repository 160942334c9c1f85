#!/bin/sh
# error_paths.sh - measures which of the library's error exits the test
# suite reaches, in one command from anywhere in the checkout:
#   sh tests/coverage/error_paths.sh [--min PERCENT] [--all]
# Configures a coverage build (gcc --coverage, -O0) in build-cov/ (or
# $SIM_COV_BUILD_DIR), builds it, clears old counts, runs every CTest test
# but lint and memcheck, and hands the counts to error_paths.py, which
# states the rule (what an error exit is), prints per-file counts, the
# total "error exits reached: N of M (P %)" and each unreached exit as
# file:line. docs/COVERAGE.md has the figure and the reasons for the rest.
# Exit status: that of error_paths.py (1 below --min, 3 for a statement
# the rule cannot measure), else 2 if a test failed; the report is printed
# either way.
set -eu
cd "$(dirname "$0")/../.."
build="${SIM_COV_BUILD_DIR:-build-cov}"
jobs="${SIM_COV_JOBS:-2}"

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DSIM_COVERAGE=ON -DSIM_WERROR=ON >/dev/null
cmake --build "$build" -j "$jobs" >/dev/null
find "$build" -name '*.gcda' -exec rm -f {} +
tests=0
ctest --test-dir "$build" -j "$jobs" -E 'lint|memcheck' --output-on-failure \
    >"$build/error_paths_ctest.log" 2>&1 || tests=2
tail -n 3 "$build/error_paths_ctest.log" | sed '/^$/d'
if [ "$tests" -ne 0 ]; then
    grep -E 'Failed|\*\*\*' "$build/error_paths_ctest.log" >&2 || true
    echo "error_paths: some tests failed (log: $build/error_paths_ctest.log)" >&2
fi
rc=0
python3 tests/coverage/error_paths.py "$build" "$@" || rc=$?
[ "$rc" -ne 0 ] && exit "$rc"
exit "$tests"
