#!/bin/sh
# werror_default.sh BUILD_DIR - a user's default build only warns (hardening
# item 18): configured with no options, no compile command has -Werror;
# with -DSIM_WERROR=ON (CI, the presets) every one of the library's has.
set -eu
tmp="$1/werror-default"
rm -rf "$tmp"
cmake -S . -B "$tmp/plain" -DBUILD_TESTING=OFF >/dev/null
if grep -q -- '-Werror' "$tmp/plain/compile_commands.json"; then
    echo "werror_default: a default build compiles with -Werror" >&2
    exit 1
fi
cmake -S . -B "$tmp/ci" -DBUILD_TESTING=OFF -DSIM_WERROR=ON >/dev/null
if ! grep -q -- '-Werror' "$tmp/ci/compile_commands.json"; then
    echo "werror_default: -DSIM_WERROR=ON does not add -Werror" >&2
    exit 1
fi
rm -rf "$tmp"
echo "werror_default: ok"
