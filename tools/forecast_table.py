#!/usr/bin/env python3
"""forecast_table.py - the monthly forecast table of docs/VALIDATION.md.

    python3 tools/forecast_table.py RESULT_DIR [--from YYYY-MM] [--to YYYY-MM]
                                    [-o FILE.csv] [--markdown]

RESULT_DIR is a `sanctionsim run --trace` result (rounds.csv, runs.csv,
scenario.cfg). The calendar comes from its scenario.cfg (`start`,
`round_months`, which must be 1: one round a month, `rounds`); a month
outside the run's rounds is an error. For each month from --from to --to
(default: the second round to the twelfth after it), over the
replications:

  p_us_deal                    probability of a US deal in the month
  released_mean, _q05, _q95    prisoners released in deals in the month:
                               mean and 90 % interval
  released_cum_mean, _q05, _q95  the same, summed from the first month of
                               the table to this one
  p_lifted_<instrument>        probability that the instrument is no longer
                               active at the month's end: lifted in a deal
                               (or before round 1), or lapsed (EU renewal
                               vetoed); from runs.csv's lifted_round_<i>
  p_pl_border_open, p_lt_border_open, p_klaipeda_open
                               probability that it is open at the month's end
  p_eu_deal                    probability of an EU deal in the month
  p_eu_relief                  probability that at least one EU instrument
                               is lifted or lapsed at the month's end

Quantiles interpolate linearly between order statistics (as `sanctionsim
score` does). A replication that stopped before a month keeps its last
state and releases nothing more. Writes the CSV to -o (default stdout);
--markdown prints the table as two Markdown tables instead. Python 3
standard library only.
"""
import argparse
import csv
import os
import re
import sys


def fail(msg):
    sys.stderr.write("forecast_table: %s\n" % msg)
    sys.exit(2)


def month_index(text, what):
    m = re.fullmatch(r"(\d{4})-(\d{2})", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        fail("%s: '%s' is not a month YYYY-MM" % (what, text))
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_text(i):
    return "%04d-%02d" % (i // 12, i % 12 + 1)


def read_scenario(path):
    """start, round_months, rounds and [(instrument, imposer)] of scenario.cfg."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        fail("%s: %s" % (path, e.strerror))

    def top(key):
        m = re.search(r"^%s\s*=\s*\"?([^\";]+)\"?\s*;" % key, text, re.M)
        if not m:
            fail("%s: no top-level key '%s'" % (path, key))
        return m.group(1).strip()

    inst = re.findall(r"name\s*=\s*\"([^\"]+)\";\s*imposer\s*=\s*\"([^\"]+)\";",
                      text)
    return (month_index(top("start"), path + ": start"),
            int(top("round_months")), int(top("rounds")), inst)


def read_csv(path):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        fail("%s: %s (run with --trace?)" % (path, e.strerror))


def quantile(values, p):
    v = sorted(values)
    h = (len(v) - 1) * p
    i = int(h)
    j = min(i + 1, len(v) - 1)
    return v[i] + (h - i) * (v[j] - v[i])


def mean(values):
    return sum(values) / len(values)


def table(rdir, first, last):
    start, round_months, rounds, inst = read_scenario(
        os.path.join(rdir, "scenario.cfg"))
    if round_months != 1:
        fail("%s/scenario.cfg: round_months = %d; the table needs one round "
             "a month" % (rdir, round_months))
    first = start + 1 if first is None else first
    last = first + 11 if last is None else last
    r0, r1 = first - start + 1, last - start + 1
    if r0 < 1 or r1 > rounds or r0 > r1:
        fail("months %s to %s are not inside the run's rounds (%s to %s)"
             % (month_text(first), month_text(last), month_text(start),
                month_text(start + rounds - 1)))
    runs = read_csv(os.path.join(rdir, "runs.csv"))
    byrep = {}
    for row in read_csv(os.path.join(rdir, "rounds.csv")):
        byrep.setdefault(row["rep"], {})[int(row["round"])] = row
    if not runs or len(byrep) != len(runs):
        fail("%s: rounds.csv and runs.csv hold different replications" % rdir)
    names = [n for n, _ in inst]
    for n in names:
        if "lifted_round_" + n not in runs[0]:
            fail("%s/runs.csv: no column lifted_round_%s" % (rdir, n))
    eu = [n for n, imp in inst if imp == "eu"]
    out = []
    cum = {rep: 0.0 for rep in byrep}
    for r in range(r0, r1 + 1):
        deal, rel, eud, pl, lt, kl = [], [], [], [], [], []
        for rep, rows in byrep.items():
            row = rows.get(r)
            last_row = rows[max(k for k in rows if k <= r)] if row is None \
                else row
            got = 0.0 if row is None else float(row["released"])
            cum[rep] += got
            rel.append(got)
            deal.append(0 if row is None else int(row["us_deal"]))
            eud.append(0 if row is None else int(row["eu_deal"]))
            pl.append(int(last_row["pl_border_open"]))
            lt.append(int(last_row["lt_border_open"]))
            kl.append(int(last_row["klaipeda_open"]))
        cums = list(cum.values())

        def gone(run, n):
            v = run["lifted_round_" + n]
            return v != "" and int(v) <= r

        rec = {"month": month_text(start + r - 1), "round": r,
               "n": len(byrep), "p_us_deal": mean(deal),
               "released_mean": mean(rel),
               "released_q05": quantile(rel, 0.05),
               "released_q95": quantile(rel, 0.95),
               "released_cum_mean": mean(cums),
               "released_cum_q05": quantile(cums, 0.05),
               "released_cum_q95": quantile(cums, 0.95)}
        for n in names:
            rec["p_lifted_" + n] = mean([gone(x, n) for x in runs])
        rec.update({"p_pl_border_open": mean(pl), "p_lt_border_open": mean(lt),
                    "p_klaipeda_open": mean(kl), "p_eu_deal": mean(eud),
                    "p_eu_relief": mean([any(gone(x, n) for n in eu)
                                         for x in runs])})
        out.append(rec)
    return out


def fmt(key, v):
    if isinstance(v, str) or key in ("round", "n"):
        return str(v)
    return "%.3f" % v if key.startswith("p_") else "%.2f" % v


def write_csv(rows, path):
    keys = list(rows[0])
    lines = [",".join(keys)]
    lines += [",".join(fmt(k, r[k]) for k in keys) for r in rows]
    text = "\n".join(lines) + "\n"
    if path is None:
        sys.stdout.write(text)
        return
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def markdown(rows):
    main = ["month", "p_us_deal", "released_mean", "released_q05",
            "released_q95", "released_cum_mean", "released_cum_q05",
            "released_cum_q95", "p_pl_border_open", "p_lt_border_open",
            "p_klaipeda_open", "p_eu_deal", "p_eu_relief"]
    inst = ["month"] + [k for k in rows[0] if k.startswith("p_lifted_")]
    for keys in (main, inst):
        print("| " + " | ".join(k.replace("p_lifted_", "")
                                 for k in keys) + " |")
        print("|" + "---|" * len(keys))
        for r in rows:
            print("| " + " | ".join(fmt(k, r[k]) for k in keys) + " |")
        print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("result")
    ap.add_argument("--from", dest="first")
    ap.add_argument("--to", dest="last")
    ap.add_argument("-o", "--output")
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args()
    first = None if a.first is None else month_index(a.first, "--from")
    last = None if a.last is None else month_index(a.last, "--to")
    rows = table(a.result, first, last)
    if a.markdown:
        markdown(rows)
    else:
        write_csv(rows, a.output)


if __name__ == "__main__":
    main()
