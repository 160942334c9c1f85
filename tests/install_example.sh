#!/bin/sh
# install_example.sh BUILD_DIR - the installed library works for a program
# of its own: installs BUILD_DIR into a temporary prefix, builds
# examples/mean_released.c against it with pkg-config and with CMake's
# find_package(sanctionsim), runs both on the baseline, and checks that
# they agree with each other and with the `sanctionsim run` of the same
# replications (the mean of runs.csv's released_total). Run from the top of
# the checkout (CTest test install_example does).
set -eu
build=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sanctionsim-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
n=40
seed=3

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in include/sanctionsim/sanctionsim.h include/sanctionsim/version.h \
         lib/libsanctionsim.a lib/pkgconfig/sanctionsim.pc \
         lib/cmake/sanctionsim/sanctionsimConfig.cmake bin/sanctionsim; do
    [ -e "$prefix/$f" ] || [ -e "$prefix/$(echo "$f" | sed 's#^lib/#lib/x86_64-linux-gnu/#')" ] || {
        echo "install_example: $f was not installed" >&2; exit 1; }
done
libdir=$(dirname "$(find "$prefix" -name sanctionsim.pc)")/..

echo "== pkg-config"
PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --modversion sanctionsim
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror -o "$tmp/mean_pc" examples/mean_released.c \
    $(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs sanctionsim) \
    -Wl,-rpath,"$(cd "$libdir" && pwd)"
"$tmp/mean_pc" scenarios/baseline.cfg $n $seed >"$tmp/pc.out"
cat "$tmp/pc.out"

echo "== find_package(sanctionsim)"
cmake -S examples -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$tmp/cmake" >/dev/null
"$tmp/cmake/mean_released" scenarios/baseline.cfg $n $seed >"$tmp/cmake.out"
"$tmp/cmake/mean_released_static" scenarios/baseline.cfg $n $seed \
    >"$tmp/cmake_static.out"
if ldd "$tmp/cmake/mean_released_static" | grep -q libsanctionsim; then
    echo "install_example: the static build links libsanctionsim.so" >&2
    exit 1
fi
cmp "$tmp/pc.out" "$tmp/cmake.out" && cmp "$tmp/pc.out" "$tmp/cmake_static.out" || {
    echo "install_example: the builds disagree" >&2; exit 1; }

echo "== the headers in C++ (extern \"C\"; C++23 for <stdatomic.h>)"
if command -v c++ >/dev/null 2>&1; then
    printf '#include <sanctionsim/sanctionsim.h>\nint main() { return sim_exit_status(SIM_E_IO) == 1 ? 0 : 1; }\n' \
        >"$tmp/headers.cpp"
    # shellcheck disable=SC2046
    c++ -std=c++2b -Wall -Wextra -Werror -o "$tmp/headers" "$tmp/headers.cpp" \
        $(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs sanctionsim) \
        -Wl,-rpath,"$(cd "$libdir" && pwd)"
    "$tmp/headers"
fi

echo "== against sanctionsim run"
"$prefix/bin/sanctionsim" run scenarios/baseline.cfg -n $n --seed $seed -q \
    -o "$tmp/run" >/dev/null
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "released_total") c = i; next }
                { s += $c; n++ } END { printf "%.6f", s / n }' "$tmp/run/runs.csv")
got=$(awk '$1 == "released_mean" { print $2 }' "$tmp/pc.out")
if [ "$want" != "$got" ]; then
    echo "install_example: example's mean $got, runs.csv's $want" >&2
    exit 1
fi
echo "install_example: ok (mean released $got over $n replications)"
