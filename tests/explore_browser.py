#!/usr/bin/env python3
"""explore_browser.py - `sanctionsim explore`'s page in a real browser.

Starts `SANCTIONSIM explore scenarios/baseline.cfg --port 0` (the address
is its first line on stdout), drives headless Chromium through
chromedriver's WebDriver HTTP protocol (urllib only) and checks:
  - the page loads the levers and draws the first result (three charts
    with drawn paths, the comparison table, the status line, the command);
  - moving a slider (revolving_door.elasticity to 1) starts a new run whose
    fan chart differs from the first run's, and the comparison table shows
    more prisoners held at the end;
  - the command the page shows for that result, run from the shell, gives
    a summary.csv whose means (released_total, us_deals, prisoners_end)
    are the page's numbers, and the same command without its --set gives
    the unchanged means the comparison table shows (common random numbers),
    and so does the scenario file the page offers for download, run with
    the command's -n;
  - a bad key by path gets the server's message on the page, which stays
    usable (reset, and the run goes on).
With --screenshot PNG it also saves the window (1280x900) once the changed
run is done: docs/tutorial/explore.png is made so.

Usage: explore_browser.py SANCTIONSIM [--screenshot PNG]
Exit 77 (CTest: skipped) when chromium or chromedriver is not installed.
Python standard library only. CTest label slow.
"""
import base64
import csv
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SKIP = 77
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WIDTH, HEIGHT = 1280, 900
LEVER = "revolving_door.elasticity"
METRICS = ("released_total", "us_deals", "prisoners_end")
WAIT = 60.0          # generous: the machine may be loaded


class Failure(Exception):
    pass


def log(msg):
    print("explore_browser: " + msg, flush=True)


def wait_for(what, fn, timeout=WAIT, every=0.2):
    """Calls fn until it returns a true value; that value, or Failure."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        last = fn()
        if last:
            return last
        time.sleep(every)
    raise Failure("timed out after %.0f s waiting for %s (last: %r)"
                  % (timeout, what, last))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    """The few WebDriver commands the test needs, over plain HTTP."""

    def __init__(self, base):
        self.base = base
        self.sid = None

    def call(self, method, path, body=None, timeout=WAIT):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                answer = json.load(res)
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            raise Failure("WebDriver %s %s: HTTP %d: %s" % (method, path, e.code, text[:500]))
        return answer.get("value")

    def start(self, browser):
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=%d,%d" % (WIDTH, HEIGHT), "--hide-scrollbars",
                "--force-device-scale-factor=1", "--no-first-run", "--disable-extensions"]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": browser, "args": args}}}}
        value = self.call("POST", "/session", caps, timeout=2 * WAIT)
        self.sid = value["sessionId"]

    def viewport(self, width, height):
        """Sizes the window so that the page's viewport is width x height."""
        for _ in range(3):
            inner = self.js("return [window.innerWidth, window.innerHeight];")
            if inner == [width, height]:
                return
            rect = self.s("GET", "/window/rect")
            self.s("POST", "/window/rect", {"width": rect["width"] + width - inner[0],
                                            "height": rect["height"] + height - inner[1]})

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.sid, path), body)

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def quit(self):
        if self.sid:
            try:
                self.call("DELETE", "/session/" + self.sid, timeout=10)
            except (Failure, OSError):
                pass
            self.sid = None


# One consistent picture of the page (a script runs in one go, so the
# status, the command and the numbers belong to the same answer).
SNAPSHOT = r"""
var q = function (s) { return document.querySelector(s); };
var st = q('[data-testid=status]'), cmd = q('[data-testid=command]');
var out = {run: st.dataset.run || null, state: st.dataset.state || null,
  reps: Number(st.dataset.replications || 0), target: Number(st.dataset.target || 0),
  status: st.textContent, command: cmd.textContent.trim(),
  download: q('[data-testid=download]').href,
  command_run: cmd.dataset.run || null, command_reps: Number(cmd.dataset.replications || 0),
  charts: {}, paths: {}, summary: {}, compare: {}, levers: document.querySelectorAll('[data-path]').length,
  error: q('[data-testid=error]').textContent,
  by_path_error: q('[data-error-for="by-path"]').textContent,
  changes: Array.prototype.map.call(document.querySelectorAll('#changes li[data-change]'),
    function (li) { return li.dataset.change; })};
['stock', 'releases', 'lifted'].forEach(function (n) {
  var svg = q('[data-testid=chart-' + n + ']');
  out.charts[n] = svg.outerHTML;
  out.paths[n] = svg.querySelectorAll('path, rect').length;
});
document.querySelectorAll('[data-col=summary_mean]').forEach(function (td) {
  out.summary[td.dataset.metric] = JSON.parse(td.dataset.value);
});
document.querySelectorAll('#compare td[data-value]').forEach(function (td) {
  (out.compare[td.dataset.metric] = out.compare[td.dataset.metric] || {})[td.dataset.col] =
    JSON.parse(td.dataset.value);
});
return out;
"""

MOVE_SLIDER = r"""
var path = arguments[0], value = arguments[1];
var el = document.querySelector('input[type=range][data-path="' + path + '"]');
if (!el) return null;
el.value = value;
el.dispatchEvent(new Event('input', {bubbles: true}));
el.dispatchEvent(new Event('change', {bubbles: true}));
return el.value;
"""

SET_BY_PATH = r"""
var box = document.querySelector('[data-testid=by-path]');
box.value = arguments[0];
box.form.requestSubmit();
return true;
"""

RESET_CHANGE = r"""
var li = document.querySelector('#changes li[data-change="' + arguments[0] + '"]');
if (!li) return false;
li.querySelector('button.reset').click();
return true;
"""


def first_result(snap):
    return (snap["reps"] > 0 and snap["command_run"] == snap["run"]
            and snap["command_reps"] == snap["reps"]
            and all(snap["paths"][n] > 3 for n in snap["paths"]) and snap["summary"])


def run_command(binary, command, out_dir, drop_sets=False):
    """Runs the page's command (sanctionsim replaced by the binary, -o by
    out_dir, with --set removed if drop_sets); summary.csv's means."""
    argv = shlex.split(command)
    if not argv or os.path.basename(argv[0]) != "sanctionsim" or "run" not in argv:
        raise Failure("the command shown is not a `sanctionsim run` command: %r" % command)
    cmd = [binary]
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in ("-o", "--output"):
            i += 2
            continue
        if drop_sets and a == "--set":
            i += 2
            continue
        cmd.append(a)
        i += 1
    cmd += ["-q", "-o", out_dir]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=10 * WAIT)
    if p.returncode != 0:
        raise Failure("%s: exit %d\n%s%s" % (shlex.join(cmd), p.returncode, p.stdout, p.stderr))
    with open(os.path.join(out_dir, "summary.csv"), newline="") as f:
        return {row["metric"]: row["mean"] for row in csv.DictReader(f)}


def same(csv_text, page_value):
    """Equal to the precision summary.csv prints (and 1e-9 relative)."""
    v = float(csv_text)
    m = re.match(r"^-?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?$", csv_text.strip())
    dec = len(m.group(1) or "") if m else 12
    exp = int(m.group(2) or 0) if m else 0
    tol = 0.5 * 10.0 ** (exp - dec) + 1e-9 * max(1.0, abs(v))
    return abs(v - page_value) <= tol


def check_means(what, csv_means, page, key):
    for m in METRICS:
        if m not in csv_means:
            raise Failure("%s: summary.csv has no metric %s" % (what, m))
        if m not in page or page[m].get(key) is None:
            raise Failure("%s: the page shows no %s for %s" % (what, key, m))
        if not same(csv_means[m], page[m][key]):
            raise Failure("%s: %s: summary.csv mean %s, the page %r"
                          % (what, m, csv_means[m], page[m][key]))
        log("%s: %s = %s (summary.csv) = %r (page)" % (what, m, csv_means[m], page[m][key]))


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failure("the screenshot is not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def session(wd, url, binary, tmp, screenshot):
    t0 = time.monotonic()
    wd.s("POST", "/url", {"url": url})
    wd.viewport(WIDTH, HEIGHT)
    snap = lambda: wd.js(SNAPSHOT)
    first = wait_for("the first result on the page", lambda: (lambda s: s if first_result(s) else None)(snap()))
    log("first result: run %s, %d of %d replications, %d controls (%.1f s)"
        % (first["run"], first["reps"], first["target"], first["levers"], time.monotonic() - t0))
    if first["levers"] < 10:
        raise Failure("only %d lever controls on the page" % first["levers"])

    moved = wd.js(MOVE_SLIDER, LEVER, "1")
    if moved is None:
        raise Failure("no slider with data-path %s" % LEVER)
    changed = wait_for("a result of a new run after moving the slider", lambda: (
        lambda s: s if first_result(s) and s["run"] != first["run"] else None)(snap()))
    log("after the slider: run %s, %s, %d of %d replications"
        % (changed["run"], changed["state"], changed["reps"], changed["target"]))
    if LEVER not in changed["changes"]:
        raise Failure("the list of changes does not show %s: %r" % (LEVER, changed["changes"]))
    if "--set %s=1" % LEVER not in changed["command"]:
        raise Failure("the command does not set %s=1: %s" % (LEVER, changed["command"]))
    # The door changes the stock (not the releases: those charts may
    # differ only by the replications done).
    if changed["charts"]["stock"] == first["charts"]["stock"]:
        raise Failure("the fan chart of the stock did not change after the slider moved")
    diff = changed["compare"].get("prisoners_end", {}).get("diff")
    if not diff or diff <= 0:
        raise Failure("the comparison shows no more prisoners at the end: %r" % diff)
    log("the charts changed (%s); prisoners_end difference %+.1f" % (", ".join(
        n for n in changed["charts"] if changed["charts"][n] != first["charts"][n]), diff))

    # The shown command gives the shown numbers (-n = the replications so far).
    if "-n %d" % changed["reps"] not in changed["command"]:
        raise Failure("the command does not name %d replications: %s"
                      % (changed["reps"], changed["command"]))
    log("command: " + changed["command"])
    means = run_command(binary, changed["command"], os.path.join(tmp, "changed"))
    check_means("changed", means, {m: {"v": changed["summary"].get(m)} for m in METRICS}, "v")
    check_means("changed (comparison table)", means, changed["compare"], "mean")
    base = run_command(binary, changed["command"], os.path.join(tmp, "unchanged"), drop_sets=True)
    check_means("unchanged", base, changed["compare"], "base_mean")
    # The scenario file the page offers, run with the command's -n.
    cfg = os.path.join(tmp, "explore.cfg")
    with urllib.request.urlopen(changed["download"], timeout=WAIT) as res, open(cfg, "wb") as f:
        f.write(res.read())
    means = run_command(binary, "sanctionsim run %s -n %d" % (shlex.quote(cfg), changed["reps"]),
                        os.path.join(tmp, "downloaded"))
    check_means("scenario file", means, changed["compare"], "mean")

    if screenshot:
        wait_for("the changed run to be done", lambda: snap()["state"] == "done", timeout=2 * WAIT)
        time.sleep(0.3)                # one more animation frame
        png = base64.b64decode(wd.s("GET", "/screenshot"))
        w, h = png_size(png)
        with open(screenshot, "wb") as f:
            f.write(png)
        log("screenshot %s: %dx%d, %d bytes" % (screenshot, w, h, len(png)))

    # A bad key: the server's message on the page, which stays usable.
    wd.js(SET_BY_PATH, "no_such.key = 1")
    bad = wait_for("the server's message for a bad key", lambda: (
        lambda s: s if s["by_path_error"] and s["error"] else None)(snap()))
    log("bad key: " + bad["by_path_error"])
    if "no_such" not in bad["by_path_error"]:
        raise Failure("the message does not name the key: %r" % bad["by_path_error"])
    if not wd.js(RESET_CHANGE, "no_such.key"):
        raise Failure("no reset for the bad change")
    after = wait_for("a new run after resetting the bad key", lambda: (
        lambda s: s if first_result(s) and s["run"] != changed["run"] and not s["error"]
        else None)(snap()))
    log("after the reset: run %s, %d replications; %.1f s in the browser"
        % (after["run"], after["reps"], time.monotonic() - t0))


def start_server(binary, tmp):
    out = open(os.path.join(tmp, "server.out"), "w+")
    err = open(os.path.join(tmp, "server.err"), "w+")
    p = subprocess.Popen([binary, "explore", "scenarios/baseline.cfg", "--port", "0"],
                         cwd=ROOT, stdout=out, stderr=err)

    def address():
        if p.poll() is not None:
            raise Failure("the server exited with %d: %s" % (p.returncode, open(err.name).read()))
        with open(out.name) as f:
            line = f.readline()
        if not line.endswith("\n"):
            return None
        m = re.search(r"http://[^\s]+/", line)
        if not m:
            raise Failure("no address in the server's first line: %r" % line)
        return m.group(0)
    return p, wait_for("the server's address", address)


def stop(p, sig=signal.SIGINT):
    if p is None or p.poll() is not None:
        return
    p.send_signal(sig)
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[1])
    screenshot = None
    if len(argv) >= 4 and argv[2] == "--screenshot":
        screenshot = os.path.abspath(argv[3])
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        log("skipped: chromium or chromedriver is not installed "
            "(apt-get install chromium chromium-driver)")
        return SKIP
    tmp = tempfile.mkdtemp(prefix="explore_browser.")
    server = chromedriver = None
    wd = None
    ok = False
    try:
        server, url = start_server(binary, tmp)
        log("server at " + url)
        port = free_port()
        chromedriver = subprocess.Popen([driver, "--port=%d" % port],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wd = WebDriver("http://127.0.0.1:%d" % port)

        def ready():
            try:
                return wd.call("GET", "/status", timeout=5).get("ready")
            except (OSError, Failure):
                return False
        wait_for("chromedriver", ready)
        wd.start(browser)
        session(wd, url, binary, tmp, screenshot)
        ok = True
    except Failure as e:
        log("FAILED: %s" % e)
        if server is not None:
            for name in ("server.out", "server.err"):
                with open(os.path.join(tmp, name)) as f:
                    text = f.read()[-2000:]
                if text:
                    log("%s:\n%s" % (name, text))
    finally:
        if wd is not None:
            wd.quit()
        stop(chromedriver, signal.SIGTERM)
        stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
    if ok:
        log("passed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
