#!/bin/sh
# forecast_table.sh BIN - tools/forecast_table.py on a tiny traced run of the
# baseline: twelve months from October 2025, the cumulative releases never
# fall, probabilities lie in [0, 1], p_us_deal is the share of replications
# with a US deal in rounds.csv (counted here with awk), Belavia (lifted before
# round 1) is lifted with probability 1, and a month past the run's rounds is
# refused with exit 2 and no file. Run from the top of the repository.
set -eu
BIN=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "forecast_table: FAIL: $*"; exit 1; }
"$BIN" run scenarios/baseline.cfg -n 6 --seed 3 --set rounds=14 --trace -o "$T/r" -q --threads 1
python3 tools/forecast_table.py "$T/r" --from 2025-10 --to 2026-09 -o "$T/f.csv"
[ "$(wc -l <"$T/f.csv")" -eq 13 ] || fail "not 12 rows"
[ "$(sed -n 2p "$T/f.csv" | cut -d, -f1)" = 2025-10 ] || fail "first month"
[ "$(sed -n 13p "$T/f.csv" | cut -d, -f1)" = 2026-09 ] || fail "last month"
awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
  {if ($c["released_cum_mean"] + 1e-9 < prev) bad = "cumulative falls"
   prev = $c["released_cum_mean"]
   for (k in c) if (k ~ /^p_/ && ($c[k] < 0 || $c[k] > 1)) bad = k " outside [0, 1]"
   if ($c["p_lifted_us_belavia"] != "1.000") bad = "belavia not lifted"}
  END {if (bad != "") {print bad; exit 1}}' "$T/f.csv" || fail "checks"
for r in 2 7 13; do
    want=$(awk -F, -v r=$r 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
        $c["round"] == r {n++; d += $c["us_deal"]} END {printf "%.3f", d / n}' "$T/r/rounds.csv")
    got=$(awk -F, -v r=$r 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
        $c["round"] == r {print $c["p_us_deal"]}' "$T/f.csv")
    [ "$want" = "$got" ] || fail "round $r: p_us_deal $got, rounds.csv gives $want"
done
rc=0
python3 tools/forecast_table.py "$T/r" --from 2025-10 --to 2026-11 -o "$T/g.csv" 2>"$T/err" || rc=$?
[ $rc -eq 2 ] || fail "a month past the rounds: exit $rc, not 2"
[ ! -e "$T/g.csv" ] || fail "a file written on error"
grep -q "not inside the run's rounds" "$T/err" || fail "message: $(cat "$T/err")"
echo "forecast_table: ok"
