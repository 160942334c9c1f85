#!/bin/sh
# Installs what sanctionsim needs and is missing (Debian 12, as root), then
# configures and builds it in build/. Safe to run again: it installs nothing
# that is already there and rebuilds only what changed.
#   SIM_BUILD_DIR   build directory (default: build)
#   SIM_CMAKE_ARGS  extra arguments for cmake (e.g. -DSIM_SANITIZE=ON)
set -eu
cd "$(dirname "$0")/.."

# The first line builds (libmicrohttpd-dev: the HTTP server of `sanctionsim
# explore`). The second line: lint (CTest label lint), memcheck (label memcheck) and the
# libFuzzer build of fuzz/run.sh (clang and its runtime libraries); python3
# for tests/coverage/error_paths.py. The third: gnuplot draws `sanctionsim
# plot` and `report` pictures; chromium renders the report in its test, and
# chromium-driver (chromedriver) drives the page of `sanctionsim explore`
# in its test (tests/explore_browser.py).
# The fourth: Open MPI, for the MPI build (-DSIM_MPI=ON) that .ci/test.sh
# makes in build-mpi/ (the plain build does not need it).
packages="build-essential cmake pkg-config libgsl-dev libconfig-dev libcmocka-dev libgmp-dev libmicrohttpd-dev
    clang-tidy cppcheck valgrind clang libclang-rt-14-dev python3 time
    gnuplot-nox chromium chromium-driver
    openmpi-bin libopenmpi-dev"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: these packages are missing:$missing" >&2
        echo "setup: run this command as root (or: sudo apt-get install$missing)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends $missing
fi

build="${SIM_BUILD_DIR:-build}"
# shellcheck disable=SC2086
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release ${SIM_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$(nproc)"
