#!/bin/sh
# backtest_fan.sh CALIBRATED_DIR UNCALIBRATED_DIR OUT.png - the picture of
# docs/VALIDATION.md section 4: the fan charts of the prisoners held (median,
# 50 % and 90 % of runs, as `sanctionsim plot` draws them in fan_prisoners.png)
# of two traced runs of the baseline started in July 2024, side by side on
# one axis, with Viasna's counts (docs/VALIDATION.md 1.1) marked with their
# +-2 sd. It takes the fans' data from the plot.gp that `sanctionsim plot`
# writes. Needs gnuplot. Run from the top of the repository.
set -eu
BIN=${BIN:-build/sanctionsim}
CAL=$1 UNCAL=$2 OUT=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# the data block that follows the line "set output 'fan_prisoners.png'"
fan() {
    "$BIN" plot "$1" -o "$T/p" --force -q
    awk '/set output .fan_prisoners.png./ {f = 1}
         f && /^plot \$d[0-9]+/ {match($0, /\$d[0-9]+/); print substr($0, RSTART, RLENGTH); exit}' "$T/p/plot.gp" >"$T/name"
    awk -v b="$(cat "$T/name") << EOD" '$0 == b {f = 1; next} f && /^EOD/ {exit} f' \
        "$T/p/plot.gp" >"$2"
    rm -rf "$T/p"
}
fan "$CAL" "$T/cal.dat"
fan "$UNCAL" "$T/uncal.dat"
# Viasna: round 1 = July 2024 (the 3 July count), 7 = January 2025,
# 12 = June 2025, 15 = September 2025 (after the 11 September release)
printf '1 1409\n7 1244\n12 1183\n15 1197\n' >"$T/obs.dat"
gnuplot <<GP
set terminal pngcairo size 820,440 font 'Sans,9' noenhanced
set output '$OUT'
set grid lc rgb '#d8d8d8'
set border 3
set tics nomirror
set key outside bottom center horizontal
set xrange [0.5:15.5]
set xtics ("2024-07" 1, "2024-10" 4, "2025-01" 7, "2025-04" 10, "2025-07" 13, "2025-09" 15)
set ylabel "political prisoners held"
set title "Baseline from July 2024: calibrated (grey) and uncalibrated (blue) fans, Viasna counts (red)"
set arrow from 12.5, graph 0 to 12.5, graph 1 nohead dt 2 lc rgb '#444444'
set label "calibration | backtest" at 12.5, graph 0.97 center
plot '$T/uncal.dat' using 1:3:7 with filledcurves fc rgb '#9ecae1' fs transparent solid 0.35 noborder title 'uncalibrated 90%', \
     '$T/uncal.dat' using 1:5 with lines lc rgb '#2171b5' dt 2 lw 2 title 'uncalibrated median', \
     '$T/cal.dat' using 1:3:7 with filledcurves fc rgb '#bbbbbb' fs transparent solid 0.6 noborder title 'calibrated 90%', \
     '$T/cal.dat' using 1:4:6 with filledcurves fc rgb '#777777' fs transparent solid 0.6 noborder title 'calibrated 50%', \
     '$T/cal.dat' using 1:5 with lines lc rgb '#000000' lw 2 title 'calibrated median', \
     '$T/obs.dat' using 1:2:(50) with yerrorbars pt 7 ps 1.2 lc rgb '#d62728' lw 2 title 'Viasna (+-2 sd)'
GP
echo "backtest_fan: $OUT"
