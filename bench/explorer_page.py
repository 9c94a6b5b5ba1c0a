#!/usr/bin/env python3
"""Times scrubs in the explorer page itself, in headless Chromium (python3 stdlib only).

    bench/explorer_page.py BINARY DATA_DIR [--days 100] [--seed 16] [--pairs 20]

Starts BINARY serve --data DATA_DIR --port 0 and chromedriver, opens the page, then sets the
URL fragment to `at=DAY` for random days of the dataset's range, waits each time until the
page says it has drawn that fragment (body[data-shown]), and reports as p50/p95/max the
page's own timings (window.georel.timings): the /api/view answer as the page waits for it,
drawing it (graph and tables), and the whole state; and the wall time seen from WebDriver
(which adds its own polling); then opens pairs of the last view (the fragment's
`sel=A~B`, as a click on an edge) and reports the same. bench/serve.py times the API alone.
"""

import argparse
import datetime
import json
import random
import socket
import subprocess
import tempfile
import time
import urllib.request


def percentile(values, p):
    values = sorted(values)
    return values[max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))]


# The page's calls to the server since the last clearResourceTimings (Resource Timing): per
# call its endpoint, the wait for the server's first byte, the transfer of the body, its size,
# and when it ended (ms since the page's time origin).
CALLS = """return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/')).map(e => ({
  api: new URL(e.name).pathname.slice(5), start: e.startTime, server: e.responseStart - e.requestStart,
  transfer: e.responseEnd - e.responseStart, bytes: e.encodedBodySize, end: e.responseEnd,
  nav: performance.timing.responseEnd - performance.timing.navigationStart, now: performance.now()}))"""


def print_calls(what, calls):
    """One line per call, and how much of the time came before the first and after the last."""
    if not calls:
        return
    print(f"{what}: {len(calls)} API calls; first asked at {calls[0]['start']:.0f} ms (page and scripts loaded),"
          f" last answered at {max(c['end'] for c in calls):.0f} ms, page drawn at {calls[0]['now']:.0f} ms or before")
    for c in calls:
        print(f"  /api/{c['api']}: asked at {c['start']:.0f} ms, server {c['server']:.0f} ms,"
              f" transfer {c['transfer']:.0f} ms, {c['bytes'] / 1e6:.2f} MB")


def summarise_calls(what, per_state, render_ms):
    """Per endpoint: calls per state, p50/p95 of server wait and transfer, and the page's own
    time (the whole state less the span from the first call asked to the last answered)."""
    by = {}
    js = []
    for calls, whole in zip(per_state, render_ms):
        for c in calls:
            by.setdefault(c["api"], []).append(c)
        if calls:
            js.append(whole - (max(c["end"] for c in calls) - min(c["start"] for c in calls)))
    for api, cs in sorted(by.items()):
        server = [c["server"] for c in cs]
        transfer = [c["transfer"] for c in cs]
        mb = [c["bytes"] / 1e6 for c in cs]
        print(f"  {what} /api/{api}: {len(cs) / len(per_state):.1f} calls a state; server p50 {percentile(server, 50):.0f}"
              f" p95 {percentile(server, 95):.0f} ms; transfer p50 {percentile(transfer, 50):.0f} p95 {percentile(transfer, 95):.0f} ms;"
              f" p50 {percentile(mb, 50):.2f} MB")
    if js:
        print(f"  {what}: the page's own time outside the calls p50 {percentile(js, 50):.0f} ms, p95 {percentile(js, 95):.0f} ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("data")
    ap.add_argument("--days", type=int, default=100)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--pairs", type=int, default=20, help="pairs opened after the scrubs (fragment sel=A~B)")
    ap.add_argument("--diff", default="2025-11-01~2025-12-01", help="a diff opened at the end (fragment diff=D1~D2)")
    args = ap.parse_args()

    server = subprocess.Popen([args.binary, "--data", args.data, "serve", "--port", "0"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = None
    for line in server.stderr:
        if "http://" in line:
            url = line[line.index("http://"):].split()[0]
            break
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    driver = subprocess.Popen(["/usr/bin/chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def call(method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(base + path, method=method, data=data,
                                         headers={"Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(request))

    session = None
    try:
        for _ in range(200):
            try:
                call("GET", "/status")
                break
            except OSError:
                time.sleep(0.05)
        profile = tempfile.mkdtemp()
        options = {"binary": "/usr/bin/chromium",
                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--window-size=1400,900", f"--user-data-dir={profile}"]}
        session = call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options}}})["value"]["sessionId"]

        def script(code):
            return call("POST", f"/session/{session}/execute/sync", {"script": code, "args": []})["value"]

        started = time.perf_counter()
        call("POST", f"/session/{session}/url", {"url": url})
        while script("return document.body.dataset.generation || null") is None:
            time.sleep(0.01)
        print(f"first view drawn: {(time.perf_counter() - started) * 1000:.0f} ms (wall, from opening the URL)")
        print_calls("first view", script(CALLS))
        t = script("return window.georel.timings")
        print("first view, the page's parts: " + ", ".join(f"{k} {v:.0f} ms" for k, v in t.items() if v is not None))
        meta = script("return fetch('/api/meta').then(r => r.json())")
        first = datetime.date.fromisoformat(meta["first"])
        last = datetime.date.fromisoformat(meta["last"])
        rng = random.Random(args.seed)
        rows = []
        scrub_calls = []
        for _ in range(args.days):
            day = first + datetime.timedelta(days=rng.randrange(max(1, (last - first).days)))
            fragment = f"at={day}"
            t = time.perf_counter()
            script(f"performance.clearResourceTimings(); location.hash = '{fragment}'; return null;")
            while script("return document.body.dataset.shown") != fragment:
                time.sleep(0.002)
            wall = (time.perf_counter() - t) * 1000
            timings = script("return window.georel.timings")
            rows.append((wall, timings["view_ms"], timings["draw_ms"], timings["render_ms"]))
            scrub_calls.append(script(CALLS))
        drawn = script("return [Object.keys(window.georel.positions()).length,"
                       " document.querySelectorAll('#edges-table tbody tr').length]")
        print(f"{args.days} scrubs; last view: {drawn[0]} actors, {drawn[1]} relations holding")
        for name, i in [("view answer", 1), ("draw", 2), ("whole state", 3), ("wall (WebDriver)", 0)]:
            values = [r[i] for r in rows]
            print(f"{name}: p50 {percentile(values, 50):.0f} ms, p95 {percentile(values, 95):.0f} ms, max {max(values):.0f} ms")
        summarise_calls("scrub", scrub_calls, [r[3] for r in rows])
        # Opening a pair: its evidence (/api/pair) beside the view of the same day, as a click
        # on an edge does (the fragment's `sel`), for edges of the last day's view.
        fragment = script("return location.hash.replace(/^#/, '')")
        view = script(f"return fetch('/api/view?{fragment}').then(r => r.json())")
        edges = [e for e in view.get("edges", []) if e.get("source") != e.get("target")]
        rows = []
        pair_calls = []
        for e in rng.sample(edges, min(args.pairs, len(edges))):
            opened = f"{fragment}&sel={e['source']}~{e['target']}"
            t = time.perf_counter()
            script(f"performance.clearResourceTimings(); location.hash = '{opened}'; return null;")
            while script("return document.body.dataset.shown") != opened:
                time.sleep(0.002)
            wall = (time.perf_counter() - t) * 1000
            rows.append((wall, script("return window.georel.timings")["render_ms"]))
            pair_calls.append(script(CALLS))
        if rows:
            print(f"{len(rows)} pairs opened (on {fragment}):")
            for name, i in [("whole state", 1), ("wall (WebDriver)", 0)]:
                values = [r[i] for r in rows]
                print(f"{name}: p50 {percentile(values, 50):.0f} ms, p95 {percentile(values, 95):.0f} ms, max {max(values):.0f} ms")
            summarise_calls("pair", pair_calls, [r[1] for r in rows])
        if args.diff:
            opened = f"{fragment}&diff={args.diff}"
            t = time.perf_counter()
            script(f"performance.clearResourceTimings(); location.hash = '{opened}'; return null;")
            while script("return document.body.dataset.shown") != opened:
                if time.perf_counter() - t > 300:
                    print(f"diff {args.diff}: not drawn after 300 s")
                    return
                time.sleep(0.01)
            wall = (time.perf_counter() - t) * 1000
            listed = script("return document.querySelectorAll('#diff-list li[data-id]').length")
            print(f"diff {args.diff} opened (on {fragment}): whole state"
                  f" {script('return window.georel.timings')['render_ms']:.0f} ms, wall {wall:.0f} ms; {listed} changes listed")
            calls = script(CALLS)
            by = {}
            for c in calls:
                by.setdefault(c["api"], []).append(c)
            for api, cs in sorted(by.items()):
                print(f"  /api/{api}: {len(cs)} calls, server max {max(c['server'] for c in cs):.0f} ms,"
                      f" transfer max {max(c['transfer'] for c in cs):.0f} ms, {sum(c['bytes'] for c in cs) / 1e6:.2f} MB in all")
    finally:
        if session:
            try:
                call("DELETE", f"/session/{session}")
            except OSError:
                pass
        driver.kill()
        server.kill()


if __name__ == "__main__":
    main()
