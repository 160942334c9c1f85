#!/bin/sh
# tests/mpi_equal.sh MPIRUN SANCTIONSIM TMPDIR - the CTest test mpi_equal
# (labels mpi and slow; registered only in a -DSIM_MPI=ON build): the MPI
# build under `mpirun -np 1, 2 and 3` writes the same runs.csv,
# summary.csv, rounds.csv (--trace), columns.csv, scenario.cfg and the
# manifest above its run-specific part as the same program started
# without mpirun (one process, the plain code path); so does a sweep; a
# run and a sweep interrupted at 2 ranks (the test hook
# SANCTIONSIM_STOP_AFTER) and resumed at 3 give the uninterrupted result;
# a calibrate (smm, tests/mpi_calib.cfg, and abc, tests/mpi_calib_abc.cfg)
# writes the same result files and manifest (but its command line and
# elapsed time) at 1, 2 and 3 ranks as without mpirun; rank 0's failure is
# one error line and a non-zero exit, another rank's failure to set up (or
# to evaluate a calibration's candidate) is reported with its rank;
# commands other than run, sweep and calibrate refuse several ranks.
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 MPIRUN SANCTIONSIM TMPDIR" >&2
    exit 2
fi
bin="$2"
t="$3/mpi_equal"
mpirun="$1 --oversubscribe"
[ "$(id -u)" -eq 0 ] && mpirun="$mpirun --allow-run-as-root"
rm -rf "$t"
mkdir -p "$t"
fails=0
fail() {
    echo "mpi_equal: FAIL: $*" >&2
    fails=$((fails + 1))
}
# same REF DIR FILE...: the files are byte for byte the same; manifest.cfg
# up to its run-specific part
same() {
    ref="$1"
    dir="$2"
    shift 2
    for f in "$@"; do
        if [ "$f" = manifest.cfg ]; then
            sed '/^# ---- this run/,$d' "$ref/$f" >"$t/a.cfg"
            sed '/^# ---- this run/,$d' "$dir/$f" >"$t/b.cfg"
            cmp -s "$t/a.cfg" "$t/b.cfg" || fail "$dir/$f differs from $ref/$f above the run part"
        else
            cmp -s "$ref/$f" "$dir/$f" || fail "$dir/$f differs from $ref/$f"
        fi
    done
}
run="run scenarios/baseline.cfg -n 3000 --seed 5 -q"
files="runs.csv summary.csv columns.csv scenario.cfg manifest.cfg"

# ---- run: 1, 2 and 3 ranks (one thread each, so that every rank has
# several blocks), and --trace
$bin $run --threads 1 -o "$t/serial" || fail "serial run"
for np in 1 2 3; do
    $mpirun -np $np $bin $run --threads 1 -o "$t/run$np" ||
        fail "run at $np ranks"
    same "$t/serial" "$t/run$np" $files
    grep -q "processes = $np;" "$t/run$np/manifest.cfg" ||
        fail "run at $np ranks: the manifest does not record $np processes"
done
trace="run scenarios/baseline.cfg -n 300 --seed 9 --trace -q"
$bin $trace -o "$t/trace" || fail "serial trace"
$mpirun -np 3 $bin $trace --threads 2 -o "$t/trace3" || fail "trace at 3 ranks"
same "$t/trace" "$t/trace3" $files rounds.csv

# ---- interrupted at 2 ranks, resumed at 3
SANCTIONSIM_STOP_AFTER=1000 $mpirun -x SANCTIONSIM_STOP_AFTER -np 2 \
    $bin $run -o "$t/resumed" 2>"$t/stop.err" &&
    fail "the interrupted run exited 0"
grep -q "interrupted after" "$t/stop.err" || fail "no interruption message"
[ -d "$t/resumed.partial" ] && [ ! -e "$t/resumed" ] ||
    fail "the interrupted run did not leave only resumed.partial/"
$mpirun -np 3 $bin $run -o "$t/resumed" --resume || fail "resume at 3 ranks"
same "$t/serial" "$t/resumed" $files
grep -q "resumed_replications" "$t/resumed/manifest.cfg" ||
    fail "the resumed run kept nothing"

# ---- sweep: 2 and 3 ranks; interrupted at 2, resumed at 3
sweep="sweep scenarios/experiments/eu_factorial.cfg -q"
swfiles="design.csv points.csv runs.csv summary.csv manifest.cfg"
$bin $sweep --threads 1 -o "$t/sweep" || fail "serial sweep"
for np in 2 3; do
    $mpirun -np $np $bin $sweep --threads 1 -o "$t/sweep$np" ||
        fail "sweep at $np ranks"
    same "$t/sweep" "$t/sweep$np" $swfiles
done
SANCTIONSIM_STOP_AFTER=3 $mpirun -x SANCTIONSIM_STOP_AFTER -np 2 \
    $bin $sweep -o "$t/swres" 2>/dev/null && fail "the interrupted sweep exited 0"
[ -d "$t/swres.partial" ] || fail "the interrupted sweep left no swres.partial/"
$mpirun -np 3 $bin $sweep -o "$t/swres" --resume || fail "sweep resume"
same "$t/sweep" "$t/swres" $swfiles

# ---- failures: rank 0 cannot open the directory (an earlier result,
# no --force): one error line, non-zero; check refuses 2 ranks
$mpirun -np 3 $bin $run -o "$t/serial" 2>"$t/exists.err" &&
    fail "a run over an existing result exited 0"
n=$(grep -c "^sanctionsim:" "$t/exists.err")
[ "$n" -eq 1 ] || fail "rank 0's error printed $n times (want 1)"
same "$t/run1" "$t/serial" $files
$mpirun -np 2 $bin check scenarios/baseline.cfg >/dev/null 2>"$t/check.err" &&
    fail "check at 2 ranks exited 0"
grep -q "runs on one process" "$t/check.err" || fail "check: no refusal"

# a rank that cannot read its scenario (mpirun's MPMD form gives rank 1
# another file): its message with its rank, rank 0's, non-zero, no files
$mpirun -np 1 $bin $run -o "$t/mpmd" : -np 1 $bin run scenarios/none.cfg \
    -o "$t/mpmd" -q 2>"$t/mpmd.err" && fail "a rank without its scenario: exit 0"
grep -q "^sanctionsim: rank 1: scenarios/none.cfg" "$t/mpmd.err" ||
    fail "rank 1's error is not printed"
grep -q "^sanctionsim: another rank could not set up" "$t/mpmd.err" ||
    fail "rank 0 does not say that another rank failed"
[ ! -e "$t/mpmd" ] && [ ! -e "$t/mpmd.partial" ] ||
    fail "a failed set-up left a result directory"

# ---- calibrate: 1, 2 and 3 ranks (threads 2, 2 and 1) give the files of
# one process; its warnings are printed once; rank 0 cannot open the
# directory; rank 2 cannot load the scenario for an evaluation (another
# scenario through mpirun's MPMD form): its message once, with its rank
calfiles="calibrated.cfg fit.csv targets_fit.csv trace.csv"
# calman REF DIR: manifest.cfg but the command line, elapsed time and
# processes (recorded from 2 ranks on)
calman() {
    grep -v '^command = \|^elapsed_seconds = \|^processes = ' \
        "$1/manifest.cfg" >"$t/a.cfg"
    grep -v '^command = \|^elapsed_seconds = \|^processes = ' \
        "$2/manifest.cfg" >"$t/b.cfg"
    cmp -s "$t/a.cfg" "$t/b.cfg" || fail "$2/manifest.cfg differs from $1's"
}
for m in "" _abc; do
    cal="calibrate tests/mpi_calib$m.cfg -q"
    files="$calfiles"
    [ -n "$m" ] && files="$files abc_sample.csv"
    $bin $cal --threads 1 -o "$t/cal$m" 2>"$t/cal$m.err" ||
        fail "serial calibrate$m"
    want=$(grep -c "warning" "$t/cal$m.err")
    for np in 1 2 3; do
        th=$((np < 3 ? 2 : 1))
        $mpirun -np $np $bin $cal --threads $th -o "$t/cal$m$np" \
            2>"$t/cal$m$np.err" || fail "calibrate$m at $np ranks"
        same "$t/cal$m" "$t/cal$m$np" $files
        calman "$t/cal$m" "$t/cal$m$np"
        [ "$np" -eq 1 ] || grep -q "^processes = $np;" \
            "$t/cal$m$np/manifest.cfg" ||
            fail "calibrate$m at $np ranks: no processes = $np in the manifest"
        n=$(grep -c "warning" "$t/cal$m$np.err")
        [ "$n" -eq "$want" ] ||
            fail "calibrate$m at $np ranks: $n warnings (want $want)"
    done
done
$mpirun -np 3 $bin calibrate tests/mpi_calib.cfg -q -o "$t/cal" \
    2>"$t/calexists.err" && fail "a calibrate over an existing result exited 0"
n=$(grep -c "^sanctionsim: output directory" "$t/calexists.err")
[ "$n" -eq 1 ] || fail "calibrate: rank 0's error printed $n times (want 1)"
same "$t/cal1" "$t/cal" $calfiles
printf 'base = "%s/scenarios/baseline_2024.cfg";\nbogus_key = 3;\n' \
    "$(pwd)" >"$t/bad.cfg"
sed "s|^scenario = .*|scenario = \"$t/bad.cfg\";|; s|^targets = \"\.\./|targets = \"$(pwd)/|" \
    tests/mpi_calib.cfg >"$t/badcal.cfg"
$mpirun -np 2 $bin calibrate tests/mpi_calib.cfg -q -o "$t/calbad" : \
    -np 1 $bin calibrate "$t/badcal.cfg" -q -o "$t/calbad" \
    2>"$t/calbad.err" && fail "calibrate with a failing rank: exit 0"
n=$(grep -c "^sanctionsim: rank 2: .*bogus_key" "$t/calbad.err")
[ "$n" -eq 1 ] || fail "calibrate: rank 2's error printed $n times (want 1)"
[ ! -e "$t/calbad" ] && [ ! -e "$t/calbad.partial" ] ||
    fail "a failed calibrate left a result directory"

if [ "$fails" -ne 0 ]; then
    echo "mpi_equal: $fails failure(s)" >&2
    exit 1
fi
rm -rf "$t"
echo "mpi_equal: ok"
