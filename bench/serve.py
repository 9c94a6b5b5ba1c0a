#!/usr/bin/env python3
"""Times `georel serve`'s API as the explorer page calls it (python3 stdlib only).

    bench/serve.py BINARY DATA_DIR [--days 100] [--seed 16]

Starts BINARY serve --data DATA_DIR --port 0, and reports: the time until it prints its URL
(reading the dataset), its memory (VmRSS, VmHWM), the time to the first view (the page's
first calls: meta, histogram, view), and the latency of each call behind a scrub
(/api/view at random days of the dataset's range, and /api/actor for the selection) as
p50/p95/max, plus a few calls made once per question (contests, fractures, a month's diff,
pair, path, neighbours).
"""

import argparse
import http.client
import json
import random
import re
import subprocess
import sys
import time
import datetime


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def memory(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                name, value = line.split(":")
                out[name] = int(value.split()[0]) // 1024
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("data")
    ap.add_argument("--days", type=int, default=100)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--open-after", type=float, default=1.0, help="seconds before the first call")
    args = ap.parse_args()

    started = time.perf_counter()
    proc = subprocess.Popen([args.binary, "serve", "--data", args.data, "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        line = proc.stderr.readline()
        ready = time.perf_counter() - started
        m = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]+)", line)
        if not m:
            sys.exit(f"no URL in: {line!r}")
        port, token = int(m.group(1)), m.group(2)
        conn = http.client.HTTPConnection("127.0.0.1", port)

        def get(path):
            t = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": f"georel-{port}={token}"})
            resp = conn.getresponse()
            body = resp.read()
            dt = (time.perf_counter() - t) * 1000
            if resp.status != 200:
                sys.exit(f"{path}: {resp.status} {body[:300]!r}")
            return dt, json.loads(body) if resp.getheader("Content-Type", "").startswith("application/json") else body

        print(f"server ready (dataset read) in {ready:.2f} s; memory after start: {memory(proc.pid)}")
        # Someone opens the printed URL: meanwhile the first view's node set is built.
        time.sleep(args.open_after)
        t0 = time.perf_counter()
        d_meta, meta = get("/api/meta")
        d_hist, hist = get("/api/histogram")
        d_view, view = get(f"/api/view?at={meta['default_at']}")
        first = (time.perf_counter() - t0) * 1000
        print(f"first view: {first:.0f} ms (meta {d_meta:.0f}, histogram {d_hist:.0f} with {len(hist['bins'])} bins, "
              f"view {d_view:.0f} ms: {len(view['nodes'])} nodes, {len(view['edges'])} edges, "
              f"left out {view['left_out'] and {k: view['left_out'][k] for k in ('nodes', 'edges')}})")
        print(f"relations {meta['relations']}, actors {meta['actors']}, {meta['first']} .. {meta['last']}")

        rng = random.Random(args.seed)
        first_day = datetime.date.fromisoformat(meta["first"])
        last_day = datetime.date.fromisoformat(meta["last"])
        span = (last_day - first_day).days
        days = [first_day + datetime.timedelta(days=rng.randint(0, span)) for _ in range(args.days)]
        actor = view["nodes"][0]["id"] if view["nodes"] else None
        other = view["nodes"][1]["id"] if len(view["nodes"]) > 1 else actor

        def series(name, make):
            times = [get(make(d))[0] for d in days]
            print(f"{name:<34} p50 {percentile(times, 50):7.1f} ms  p95 {percentile(times, 95):7.1f} ms  "
                  f"max {max(times):7.1f} ms  ({len(times)} days)")

        series("/api/view (scrub)", lambda d: f"/api/view?at={d}")
        if actor:
            series("/api/actor (selection, scrub)", lambda d: f"/api/actor?id={actor}&at={d}")
            series("/api/pair (selection, scrub)", lambda d: f"/api/pair?a={actor}&b={other}&at={d}")
        d, _ = get("/api/view?at=%s&kinds=cooperation" % meta["default_at"])
        print(f"/api/view with a new filter (node set built): {d:.0f} ms")
        series("/api/view kinds=cooperation (scrub)", lambda d: f"/api/view?at={d}&kinds=cooperation")
        if actor:
            d, v = get(f"/api/view?at={meta['default_at']}&focus={actor}&depth=1")
            print(f"/api/view focus={actor} depth=1 (node set built): {d:.0f} ms, {len(v['nodes'])} nodes")
            series(f"/api/view focus (scrub)", lambda d: f"/api/view?at={d}&focus={actor}&depth=1")
        # The least connected actor of the view: the hub's neighbourhood at 10M is a document
        # of 100 MB (as the CLI writes it), which measures JSON, not the server.
        small = view["nodes"][-1]["id"] if view["nodes"] else actor
        month_before = (datetime.date.fromisoformat(meta["default_at"]) - datetime.timedelta(days=30)).isoformat()
        once = [f"/api/contests?at={meta['default_at']}",
                f"/api/fractures?at={meta['default_at']}",
                f"/api/diff?from={month_before}&to={meta['default_at']}",
                f"/api/neighbours?actor={small}&depth=1&at={meta['default_at']}",
                f"/api/neighbours?actor={actor}&depth=1&at={meta['default_at']}",
                f"/api/path?from={actor}&to={small}&at={meta['default_at']}",
                f"/api/pair?a={actor}&b={other}&at={meta['default_at']}",
                f"/api/search?q={actor}"]
        for path in once:
            d, body = get(path)
            size = len(json.dumps(body)) if not isinstance(body, bytes) else len(body)
            print(f"{path:<60} once: {d:7.0f} ms, {size / 1e6:.1f} MB")
        print(f"memory at the end: {memory(proc.pid)}")
    finally:
        proc.kill()
        proc.wait()


if __name__ == "__main__":
    main()
