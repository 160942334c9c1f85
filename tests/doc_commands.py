#!/usr/bin/env python3
"""doc_commands.py - run every command the documentation shows.

    python3 tests/doc_commands.py BUILD_DIR DOC.md...

For each Markdown file, in order: every fenced block whose info string is
`sh` is a list of shell commands (a line ending in a backslash continues on
the next). They run one after another, as a reader would type them, in a
scratch copy of the repository's `scenarios/`, `examples/`, `docs/` and `tools/`
folders with `build/` pointing at BUILD_DIR, so that `results/` and every
other file they write stay out of the checkout. Each must exit 0.

A plain fenced block (no info string) right after a `sh` block is that
block's output as the docs show it: each of its lines, spaces collapsed,
must appear in the commands' output (standard output and error together),
in order; a line `...` stands for lines left out. Figures the docs quote in
such a block are so checked against the run.

A block is not run when one of the three lines above its opening fence is
an HTML comment `<!-- doc-test: skip REASON -->` (set-up, the test command
itself, golden regeneration, cluster scripts, installing). A block marked
`<!-- doc-test: fails -->` must exit non-zero instead. Blocks in other
languages (python, c, cfg) are not run.

Prints one line per block and a summary; exit 1 if any block failed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARK = re.compile(r"<!--\s*doc-test:\s*(skip|fails)\b\s*(.*?)\s*-->")


def blocks(path):
    """Yield (line, info, lines, mark, reason) for each fenced block."""
    with open(path, encoding="utf-8") as f:
        text = f.read().split("\n")
    i = 0
    while i < len(text):
        m = re.match(r"^```(\S*)\s*$", text[i])
        if not m:
            i += 1
            continue
        start, info = i, m.group(1)
        body = []
        i += 1
        while i < len(text) and not text[i].startswith("```"):
            body.append(text[i])
            i += 1
        mark, reason = None, ""
        for above in text[max(0, start - 3):start]:
            mm = MARK.search(above)
            if mm:
                mark, reason = mm.group(1), mm.group(2)
        yield start + 1, info, body, mark, reason, i + 1
        i += 1


def commands(body):
    """The block's commands: continuation lines joined, comments dropped."""
    out, cur = [], ""
    for line in body:
        if line.rstrip().endswith("\\"):
            cur += line.rstrip()[:-1] + " "
            continue
        cur += line
        if cur.strip() and not cur.strip().startswith("#"):
            out.append(cur.strip())
        cur = ""
    return out


def squash(s):
    return " ".join(s.split())


def shown_lines_found(shown, actual):
    """Whether the shown lines occur in the actual output, in order."""
    want = [squash(l) for l in shown if squash(l) and squash(l) != "..."]
    have = [squash(l) for l in actual.split("\n")]
    j = 0
    for w in want:
        while j < len(have) and have[j] != w:
            j += 1
        if j == len(have):
            return w
        j += 1
    return None


def sandbox(repo, build):
    d = tempfile.mkdtemp(prefix="sim-doc-")
    for sub in ("scenarios", "examples", "docs", "tools"):
        if os.path.isdir(os.path.join(repo, sub)):
            shutil.copytree(os.path.join(repo, sub), os.path.join(d, sub))
    os.symlink(os.path.abspath(build), os.path.join(d, "build"))
    return d


def run_doc(repo, build, doc):
    failed = ran = skipped = 0
    box = sandbox(repo, build)
    pending = None  # (line, output) of the last sh block, for its output
    try:
        for line, info, body, mark, reason, end in blocks(doc):
            where = "%s:%d" % (os.path.relpath(doc, repo), line)
            if info == "" and pending and pending[0] == line:
                missing = shown_lines_found(body, pending[1])
                if missing is not None:
                    print("FAIL %s: the output shown is not what the "
                          "commands print; missing line:\n    %s"
                          % (where, missing))
                    failed += 1
                pending = None
                continue
            pending = None
            if info != "sh":
                continue
            if mark == "skip":
                print("skip %s: %s" % (where, reason or "(no reason)"))
                skipped += 1
                continue
            out, ok = "", True
            for cmd in commands(body):
                p = subprocess.run(["sh", "-c", cmd], cwd=box,
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=600)
                text = p.stdout.decode("utf-8", "replace")
                out += text
                bad = (p.returncode == 0) if mark == "fails" \
                    else (p.returncode != 0)
                if bad:
                    print("FAIL %s: `%s` exited %d\n%s"
                          % (where, cmd, p.returncode, text[-2000:]))
                    ok = False
                    break
            ran += 1
            failed += 0 if ok else 1
            if ok:
                print("ok   %s (%d commands)" % (where, len(commands(body))))
            # the output block, if any, opens on the line after this fence
            pending = (end + 1, out) if ok else None
    finally:
        shutil.rmtree(box, ignore_errors=True)
    return ran, skipped, failed


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    build = sys.argv[1]
    total = [0, 0, 0]
    for doc in sys.argv[2:]:
        r = run_doc(repo, build, os.path.join(repo, doc))
        total = [a + b for a, b in zip(total, r)]
    print("doc commands: %d blocks run, %d skipped, %d failed"
          % tuple(total))
    return 1 if total[2] else 0


if __name__ == "__main__":
    sys.exit(main())
