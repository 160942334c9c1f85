#!/usr/bin/env python3
"""error_paths.py - which of the library's error exits the tests reach.

Reads the library sources (every *.c under sim/ and models/, subfolders
included), finds their error exits by the rule below, and looks up each one
in the gcov counts of a coverage build whose tests have run (see
error_paths.sh, which does the build and the run). Python 3 standard library
only; gcov comes with gcc.

THE RULE. An error exit is one statement in library code that starts (at the
start of its line, after the indentation and an optional `case X:` or
`default:` label) with one of:

  1. a call of the error function: `return sim_error(`, `LVALUE =
     sim_error(`, or `sim_error(` alone (also after a `(void)` cast);
  2. the same with an error reporter in place of sim_error. A reporter is a
     function of the library whose body has exactly one return statement
     and that statement is `return sim_error(` or `return REPORTER(` (so it
     always fails: scenario_load's `fail`, the .nfg lexer's `lex_error`,
     output's `io_fail`). The sim_error statement inside a reporter is not
     counted itself: it runs exactly when one of its call sites does;
  3. `return -N;` for an integer literal N (an internal negative status),
     except in the functions of VALUE_MINUS_ONE below, whose -1 is a value
     (an index meaning "none"), not a failure;
  4. `return SIM_E_X;` (an error code returned without a message);
  5. `LVALUE = SIM_E_X;` (an error code recorded for a later return).

Comments and string literals are ignored. Propagating a status someone else
set (`return rc;`, `if (rc) goto fail;`) is not an exit: the exit is where
the code was made. A statement may span several lines; it is reached if any
of its lines ran (gcov's count of the statement is on one of them). The
rule needs the statement to start its line, so that the line's count is the
statement's; a matching statement that shares its line with other code (an
`if (...) return -1;` on one line) is reported as a rule violation (exit
status 3), since its line count would not tell whether it ran.

Code compiled only into the MPI build (between `#ifdef SIM_MPI` and its
`#else` or `#endif`) is left out: the coverage build is a plain one, and
those exits are exercised by the MPI build's test (mpi_equal).

Usage: error_paths.py BUILD_DIR [--source DIR] [--min PERCENT] [--all]
  BUILD_DIR  a build configured with -DSIM_COVERAGE=ON whose tests have run
  --min P    exit 1 if fewer than P percent of the exits were reached
  --all      list every exit with its count, not only the unreached ones
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys

LIBRARY_DIRS = ("sim", "models")

# Functions whose `return -1` is a value, not a status (rule 3), with why.
VALUE_MINUS_ONE = {
    "sim_dist_invalid": "index of the invalid parameter, -1 for none",
    "sim_scenario_instrument": "index of the named instrument, -1 for none",
    "close_runs": "the bargaining solver's fast path does not apply, -1",
}

IDENT = r"[A-Za-z_]\w*"
LVALUE = r"[A-Za-z_][\w.\[\]>*-]*"  # rc, err->code, a[i], ...
LABEL = r"(?:(?:case\s[^:;]+|default)\s*:\s*)?"


def strip_comments_and_strings(text):
    """Blanks out comments, string and character literals, keeping every
    newline and the length of each line, so positions stay valid."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        elif c == "#" and (i == 0 or text[i - 1] == "\n"):
            # a preprocessor line (with its continuations) is not code here
            j = i
            while True:
                k = text.find("\n", j)
                if k < 0:
                    k = n
                    break
                if text[k - 1] != "\\":
                    break
                j = k + 1
            out.append(re.sub(r"[^\n]", " ", text[i:k]))
            i = k
        else:
            out.append(c)
            i += 1
    return "".join(out)


def function_name(header):
    """The name in a function definition's header: the last identifier
    before a '(' at parenthesis depth 0 (after any __attribute__((...)));
    None if there is none."""
    name, depth = None, 0
    for m in re.finditer(IDENT + r"\s*\(|[()]", header):
        tok = m.group(0)
        if tok == ")":
            depth -= 1
            continue
        if depth == 0 and tok != "(":
            name = re.match(IDENT, tok).group(0)
        depth += 1
    return name


def functions(code):
    """(name, body_start, body_end) of each function definition: a block
    at brace depth 0 whose header holds a parenthesis and no '='."""
    found = []
    depth, header_start, body_start = 0, 0, None
    for i, c in enumerate(code):
        if c == "{":
            if depth == 0:
                header = code[header_start:i]
                name = function_name(header)
                body_start = i if (name and "=" not in header) else None
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                if body_start is not None:
                    found.append((name, body_start, i + 1))
                header_start = i + 1
        elif c == ";" and depth == 0:
            header_start = i + 1
    return found


def reporters(sources):
    """Names of the functions that always return an error (rule 2)."""
    bodies = []
    for code in sources.values():
        for name, a, b in functions(code):
            rets = re.findall(r"\breturn\b\s*([^;]*)", code[a:b])
            if len(rets) == 1:
                bodies.append((name, rets[0]))
    names = {"sim_error"}
    grew = True
    while grew:
        grew = False
        for name, ret in bodies:
            m = re.match(r"(" + IDENT + r")\s*\(", ret)
            if name not in names and m and m.group(1) in names:
                names.add(name)
                grew = True
    names.discard("sim_error")
    return names


def exit_patterns(reps):
    calls = "|".join(["sim_error"] + sorted(reps))
    call = r"(?:" + calls + r")\s*\("
    return [
        r"return\s+" + call,
        LVALUE + r"\s*=\s*" + call,
        r"(?:\(void\)\s*)?" + call,
        r"return\s+-\s*\d+\s*;",
        r"return\s+SIM_E_\w+\s*;",
        LVALUE + r"\s*=\s*SIM_E_\w+\s*;",
    ]


def drop_mpi_only(code):
    """code with the lines of `#ifdef SIM_MPI` blocks (up to their `#else`
    or `#endif`, nesting counted) blanked, the line count kept."""
    out, depth, skipping = [], 0, False
    for line in code.split("\n"):
        d = line.strip()
        if not skipping and re.match(r"#\s*if(def)?\s+SIM_MPI\b", d):
            skipping, depth = True, 0
            out.append("")
            continue
        if skipping:
            if re.match(r"#\s*if", d):
                depth += 1
            elif re.match(r"#\s*endif", d):
                if depth == 0:
                    skipping = False
                else:
                    depth -= 1
            elif re.match(r"#\s*(else|elif)", d) and depth == 0:
                skipping = False
            out.append("")
            continue
        out.append(line)
    return "\n".join(out)


def find_exits(code, source, reps, pats):
    """Error exits of one file (code: stripped, source: as written): (first
    line, last line, source text) each; and the rule violations as (line,
    source text)."""
    lines = code.split("\n")
    text = source.split("\n")
    bodies = [(name, code.count("\n", 0, a) + 1, code.count("\n", 0, b) + 1)
              for name, a, b in functions(code)]
    minus_one = re.compile(r"^\s*" + LABEL + r"return\s+-\s*1\s*;")
    at_start = re.compile(r"^\s*" + LABEL + r"(?:" + "|".join(pats) + r")")
    anywhere = re.compile(r"(?<![\w>.])(?:" + "|".join(pats) + r")")
    exits, bad = [], []
    for no, line in enumerate(lines, 1):
        owner = [name for name, a, b in bodies if a < no <= b]
        if not owner:
            continue  # declarations, prototypes, initializers
        if at_start.match(line):
            if owner[0] in reps:
                continue  # counted at the reporter's call sites
            if owner[0] in VALUE_MINUS_ONE and minus_one.match(line):
                continue
            last = no
            depth = 0
            for k in range(no - 1, len(lines)):
                done = False
                for ch in lines[k]:
                    depth += ch in "([{"
                    depth -= ch in ")]}"
                    if ch == ";" and depth <= 0:
                        done = True
                        break
                if done:
                    last = k + 1
                    break
            exits.append((no, last, text[no - 1].strip()))
        elif anywhere.search(line):
            bad.append((no, text[no - 1].strip()))
    return exits, bad


def gcov_counts(build, src):
    """{line: count} of the executable lines of src in the build, from
    gcov's JSON; None if the build has no notes file for it."""
    notes = glob.glob(os.path.join(build, "**",
                                   os.path.basename(src) + ".gcno"),
                      recursive=True)
    rel = os.path.normpath(src)
    notes = [p for p in notes if p.endswith(rel + ".gcno")]
    if not notes:
        return None
    # gcov finds the notes and the counts beside the file it is given;
    # without counts (nothing ran) every line counts 0.
    data = notes[0][:-len(".gcno")] + ".gcda"
    res = subprocess.run(
        ["gcov", "--json-format", "--stdout",
         data if os.path.exists(data) else notes[0]],
        cwd=build, capture_output=True, text=True, check=False)
    counts = {}
    want = os.path.abspath(src)
    for doc in res.stdout.splitlines():
        if not doc.strip():
            continue
        data = json.loads(doc)
        for f in data.get("files", []):
            name = f["file"]
            if not os.path.isabs(name):
                name = os.path.join(data.get("current_working_directory",
                                             build), name)
            if os.path.abspath(name) != want:
                continue
            for ln in f["lines"]:
                no = ln["line_number"]
                counts[no] = max(counts.get(no, 0), ln["count"])
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build")
    ap.add_argument("--source", default=".")
    ap.add_argument("--min", type=float, default=None)
    ap.add_argument("--all", action="store_true")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    os.chdir(args.source)

    files = sorted(p for d in LIBRARY_DIRS
                   for p in glob.glob(os.path.join(d, "**", "*.c"),
                                      recursive=True))
    sources, texts = {}, {}
    for p in files:
        with open(p, encoding="utf-8") as fh:
            texts[p] = fh.read()
        sources[p] = strip_comments_and_strings(drop_mpi_only(texts[p]))
    reps = reporters(sources)
    pats = exit_patterns(reps)

    total = reached = 0
    unreached, violations, listing, per_file = [], [], [], []
    for p in files:
        exits, bad = find_exits(sources[p], texts[p], reps, pats)
        violations += [(p, no, t) for no, t in bad]
        if not exits:
            continue
        counts = gcov_counts(build, p)
        if counts is None:
            sys.exit("error_paths: no coverage notes for %s in %s (configure "
                     "it with -DSIM_COVERAGE=ON and build)" % (p, build))
        hit = 0
        for first, last, text in exits:
            n = max((counts.get(k, 0) for k in range(first, last + 1)),
                    default=0)
            if not any(k in counts for k in range(first, last + 1)):
                violations.append((p, first, "no executable line: " + text))
            hit += n > 0
            listing.append((p, first, n, text))
            if n == 0:
                unreached.append((p, first, text))
        per_file.append((p, hit, len(exits)))
        total += len(exits)
        reached += hit

    print("error reporters (rule 2): %s" % ", ".join(sorted(reps)))
    print("%-28s %8s %6s" % ("file", "reached", "exits"))
    for p, hit, n in per_file:
        print("%-28s %8d %6d" % (p, hit, n))
    pct = 100.0 * reached / total if total else 100.0
    if args.all:
        print("\nevery error exit (count: file:line: statement):")
        for p, no, n, text in listing:
            print("%8d: %s:%d: %s" % (n, p, no, text))
    if unreached:
        print("\nunreached error exits:")
        for p, no, text in unreached:
            print("  %s:%d: %s" % (p, no, text))
    if violations:
        print("\nstatements the rule cannot measure (fix the layout):")
        for p, no, text in violations:
            print("  %s:%d: %s" % (p, no, text))
    print("\nerror exits reached: %d of %d (%.1f %%)" % (reached, total, pct))
    if violations:
        return 3
    if args.min is not None and pct < args.min:
        print("error_paths: below the required %.1f %%" % args.min)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
