#!/bin/sh
# Set-up (as .ci/setup.sh), then the whole test suite through CTest: once on
# the release build in build/ (with lint and a valgrind memcheck run), then
# the MPI equality tests on an MPI build of the program in build-mpi/; once
# under AddressSanitizer and UndefinedBehaviorSanitizer in build-asan/; then
# each libFuzzer target for 15 s (fuzz/run.sh, clang build in build-fuzz/);
# last, the share of the library's error exits the tests reach (a gcov build
# in build-cov/, docs/COVERAGE.md).
set -eu
cd "$(dirname "$0")/.."
# Warnings are errors here (SIM_WERROR), not in a user's default build.
SIM_CMAKE_ARGS="-DSIM_WERROR=ON" sh .ci/setup.sh
ctest --test-dir build --output-on-failure -j 2
echo "== the MPI build in build-mpi/ (-DSIM_MPI=ON): run, sweep and calibrate on 1, 2 and 3 ranks"
cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=Release -DSIM_WERROR=ON -DSIM_MPI=ON \
    >/dev/null
cmake --build build-mpi -j "$(nproc)" --target sanctionsim
ctest --test-dir build-mpi --output-on-failure -L mpi
echo "== the same tests under AddressSanitizer and UndefinedBehaviorSanitizer"
SIM_BUILD_DIR=build-asan \
    SIM_CMAKE_ARGS="-DSIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DSIM_WERROR=ON" \
    sh .ci/setup.sh
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j 2
echo "== fuzzing: each target for 15 s"
sh fuzz/run.sh 15
echo "== error exits reached by the tests (gcov build in build-cov/; fails below 90 %)"
sh tests/coverage/error_paths.sh --min 90
