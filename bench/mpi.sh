#!/bin/sh
# mpi.sh - the MPI row of issue 14: wall-clock seconds of a baseline run on
# 2 ranks x 1 thread against 1 rank x 2 threads, both started by mpirun
# (so both pay its start), alternated, REPEATS times; CSV on stdout:
#   mpi_wall:baseline:ranks=1:threads=2,<median seconds>
#   mpi_wall:baseline:ranks=2:threads=1,<median seconds>
#   mpi_speedup:baseline:ranks=2,<median of the per-repeat ratios
#                                 (1x2 time / 2x1 time)>
# and the load average before and after on stderr (the rows need two idle
# cores). Usage, from the top of the repository, with the MPI build in
# build-mpi/ (cmake -S . -B build-mpi -DSIM_MPI=ON):
#   sh bench/mpi.sh [N [REPEATS]]     (default: N = 40000, REPEATS = 5)
# SANCTIONSIM names another binary (default build-mpi/sanctionsim).
set -eu
bin="${SANCTIONSIM:-build-mpi/sanctionsim}"
n="${1:-40000}"
repeats="${2:-5}"
if [ ! -x "$bin" ] || ! "$bin" --version | grep -q MPI; then
    echo "mpi.sh: $bin is missing or not an MPI build (-DSIM_MPI=ON)" >&2
    exit 1
fi
# Open MPI binds a process to one core when it starts 2 or fewer: with
# threads inside the ranks, unbind them.
mpirun="mpirun --oversubscribe --bind-to none"
[ "$(id -u)" -eq 0 ] && mpirun="$mpirun --allow-run-as-root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# seconds RANKS THREADS: one run's wall-clock seconds
seconds() {
    t0=$(date +%s.%N)
    $mpirun -np "$1" "$bin" run scenarios/baseline.cfg -n "$n" --seed 1 \
        --threads "$2" -o "$tmp/out" --force -q
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo "mpi.sh: load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
: >"$tmp/a"
: >"$tmp/b"
: >"$tmp/r"
i=0
while [ "$i" -lt "$repeats" ]; do
    a=$(seconds 1 2)
    b=$(seconds 2 1)
    echo "$a" >>"$tmp/a"
    echo "$b" >>"$tmp/b"
    echo "$a / $b" | bc -l >>"$tmp/r"
    i=$((i + 1))
done
echo "mpi.sh: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf 'mpi_wall:baseline:ranks=1:threads=2,%.3f\n' "$(median <"$tmp/a")"
printf 'mpi_wall:baseline:ranks=2:threads=1,%.3f\n' "$(median <"$tmp/b")"
printf 'mpi_speedup:baseline:ranks=2,%.3f\n' "$(median <"$tmp/r")"
