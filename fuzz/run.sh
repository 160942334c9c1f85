#!/bin/sh
# fuzz/run.sh [SECONDS] - builds the libFuzzer targets (fuzz/fuzz_*.c) with
# clang in build-fuzz/ and runs each for SECONDS (default 15), one after
# the other, on a copy of its seed corpus in build-fuzz/corpus-<target>/.
# The default keeps CI's fuzzing time: six targets at 15 s (and a leak
# check of each corpus after) take about what three took at 30 s. For a
# real search, run each for minutes: SIM_FUZZ_TARGETS=fuzz_where sh
# fuzz/run.sh 300.
# Prints, per target, the executions run and the crashes found; exits 1 if
# any target crashed, timed out (a hang: -timeout=10 s per input) or ran out
# of memory (-rss_limit_mb=2048), leaving the input that did it in
# build-fuzz/artifacts-<target>/ (crash-*, timeout-*, oom-*, leak-*). To
# replay one:  build-fuzz/fuzz_scenario build-fuzz/artifacts-fuzz_scenario/crash-<sha1>
# and to shrink it: add -minimize_crash=1 -runs=10000.
#   SIM_FUZZ_BUILD_DIR  build directory (default: build-fuzz)
#   SIM_FUZZ_TARGETS    targets to run (default: every one built)
set -eu
cd "$(dirname "$0")/.."
secs="${1:-15}"
build="${SIM_FUZZ_BUILD_DIR:-build-fuzz}"

# A build directory of its own: libFuzzer needs clang, the others use cc.
# Warnings are not errors here: clang may warn where gcc does not, and this
# build is for finding crashes, not for policing style.
CC="${CC_FUZZ:-clang}" cmake -S . -B "$build" -DSIM_FUZZ=ON \
    -DBUILD_TESTING=OFF -DSIM_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    >/dev/null
cmake --build "$build" --target sim_fuzz -j "$(nproc)" >/dev/null
targets="${SIM_FUZZ_TARGETS:-$(cat "$build/fuzz_targets.txt")}"

# Seed corpora: every scenario, experiment, targets and .nfg file of the
# repository, good and bad, and fuzz/seeds/.
seeds() {
    case "$1" in
    fuzz_nfg) ls tests/nfg/*.nfg tests/bad/nfg/* 2>/dev/null || true ;;
    fuzz_experiment) ls scenarios/experiments/*.cfg tests/bad/*.cfg \
                        2>/dev/null || true ;;
    fuzz_targets) ls scenarios/targets/*.cfg tests/bad/*.cfg \
                     2>/dev/null || true ;;
    fuzz_where) ls fuzz/seeds/where/* 2>/dev/null || true ;;
    fuzz_set) ls fuzz/seeds/set/* scenarios/*.cfg tests/bad/*.cfg \
                 2>/dev/null || true ;;
    *) ls scenarios/*.cfg scenarios/textbook/* tests/golden/*.cfg \
          tests/bad/*.cfg 2>/dev/null || true ;;
    esac
}

# Dictionaries: the scenario grammar's tokens and every key segment of the
# scenario reference (docs/SCENARIOS.md), so that mutations find real keys.
dict="$build/scenario.dict"
{
    for t in '=' ';' ',' '{' '}' '(' ')' '[' ']' '"' ':' '.' '//' '/*' \
        '*/' '#' 'true' 'false' '0x' 'L' 'e+' 'e-' '1e308' 'nan' 'inf' \
        '-' '@include'; do
        printf '%s\n' "$t"
    done | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/'
    sed -n 's/^| `\([^`]*\)`.*/\1/p' docs/SCENARIOS.md |
        tr '.' '\n' | sort -u | sed 's/.*/"&"/'
    sed -n 's/^| `\([^`]*\)`.*/\1=/p' docs/SCENARIOS.md | sed 's/.*/"&"/'
} >"$dict"
nfgdict="$build/nfg.dict"
for t in 'NFG' '1' 'R' 'D' '{' '}' '"' '\"' '\\' '/' '.' 'e' '-' \
    '0' '1/3' '1e308' '{ 2 2 }' '{ "1" "2" }'; do
    printf '%s\n' "$t"
done | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' >"$nfgdict"
# Experiments: the scenario's words (factors name its keys) and the
# experiment's own; targets files: theirs and the output columns
# (docs/MODEL.md's tables); --where: its operators and the target's columns.
expdict="$build/experiment.dict"
{
    cat "$dict"
    for t in scenario design samples second_order levels maximin \
        replications seed statistic bootstrap dummy metrics factors key \
        name group values range log integer distribution mean sd zeta \
        sigma a b shape scale full_factorial lhs monte_carlo sobol morris \
        p05 p25 median p75 p95 normal lognormal beta \
        gamma ../baseline.cfg released_total us_deals prisoners_end; do
        printf '"%s"\n' "$t"
    done
} >"$expdict"
tgtdict="$build/targets.dict"
{
    for t in '=' ';' ',' '{' '}' '(' ')' '"' '//' cutoff observations \
        description id quantity statistic date round from to month op \
        threshold match value uncertainty source note sum event '>' '>=' \
        '<' '<=' '==' '!=' contains 2025-09-15 2025-02 2024-02-29 \
        0000-01-01 9999-12-31 1000000 1e308 lifted; do
        printf '%s\n' "$t"
    done | sed 's/.*/"&"/'
    sed -n 's/^| `\([a-z_0-9]*\)`.*/"\1"/p' docs/MODEL.md | sort -u
} >"$tgtdict"
wheredict="$build/where.dict"
for t in '<' '<=' '>' '>=' '==' '!=' '&&' '||' '!' '(' ')' true false \
    1e308 -0.5 +2E-3 released_total us_deals prisoners_end breakdown \
    moscow.sensitivity us_potash_value dummy x _y2 point; do
    printf '"%s"\n' "$t"
done >"$wheredict"

# libconfig's own leak on a failed parse is not ours (see fuzz/lsan.supp);
# undefined behaviour stops the run with a stack.
LSAN_OPTIONS="suppressions=$(pwd)/fuzz/lsan.supp:print_suppressions=0"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS UBSAN_OPTIONS

status=0
for t in $targets; do
    corpus="$build/corpus-$t"
    mkdir -p "$corpus"
    files=$(seeds "$t")
    # shellcheck disable=SC2086
    [ -z "$files" ] || cp $files "$corpus/"
    case "$t" in
    fuzz_nfg) d="$nfgdict" ;;
    fuzz_experiment) d="$expdict" ;;
    fuzz_targets) d="$tgtdict" ;;
    fuzz_where) d="$wheredict" ;;
    *) d="$dict" ;;
    esac
    log="$build/fuzz-$t.log"
    artifacts="$build/artifacts-$t"
    mkdir -p "$artifacts"
    before=$(ls "$artifacts" | wc -l)
    # Leaks are looked for once per corpus input after fuzzing, not after
    # every execution: libconfig's leak on a failed parse (fuzz/lsan.supp)
    # would start a leak scan after most inputs and slow fuzzing tenfold.
    # The corpus keeps an input for every path found, so a leak on a path
    # of ours still shows, with the stack of its allocation (LeakSanitizer
    # checks at exit; the file it writes need not be the input that leaked).
    rc=0
    "$build/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -detect_leaks=0 -print_final_stats=1 -dict="$d" \
        -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
        "$build/$t" -runs=0 -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
            -artifact_prefix="$artifacts/" "$corpus" >>"$log" 2>&1 || rc=$?
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
        tail -n 1)
    crashes=$(($(ls "$artifacts" | wc -l) - before))
    if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
        crashes=1 # libFuzzer failed without writing an input: see the log
    fi
    printf 'fuzz: %-15s %s s  %10s executions  %d crashes  corpus %s\n' \
        "$t" "$secs" "${execs:-?}" "$crashes" \
        "$(ls "$corpus" | wc -l)"
    if [ "$crashes" -ne 0 ]; then
        status=1
        grep -E '^(==[0-9]+==|SUMMARY|fuzz:|.*#[0-9]+ 0x)' "$log" | head -n 30
        grep -E 'Test unit written to' "$log" || true
        echo "fuzz: full log in $log"
    fi
done
exit "$status"
