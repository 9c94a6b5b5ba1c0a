"""What the peer scripts share: the workload's semantics, the timeline days, the command line
and the output protocol. Nothing here is timed.

The semantics every tool implements (georel's `georel bench` and each peer_*.py; see
bench/README.md):
  * a relation holds on day D when start <= D and (end is empty or D < end): the end is
    exclusive and an empty end means ongoing;
  * T2 counts the relations (CSV rows) that hold on D, by kind;
  * T2g, T3 and T4 work on the simple undirected graph of D: the actors with a relation that
    holds on D, and one edge per unordered pair {u, v} with at least one relation holding on D,
    of any kind, in either direction;
  * T3 is the subgraph induced by the actors at most 2 hops from ACTOR_A (nodes and edges);
  * T4 is the number of edges of a shortest path ACTOR_A -> ACTOR_B, or -1 when there is none;
  * T5 writes `source,target,kind` of each relation holding on D, one line per CSV row;
  * T6 counts the relations holding on each of the 50 days of `timeline_days()`.

Output protocol (read by bench/compare.sh and bench/summarise.py): one stdout line per task,
`TASK SECONDS key=value ...`, in the order T1 T2 T2g T3 T4 T5 T6, then `PEAK_RSS_MiB X`; with
--json FILE, the same results as {"peer", "csv", "date", "actor_a", "actor_b",
"tasks": {TASK: {"secs": S, key: value, ...}}, "peak_rss_mib": X}.
"""
import argparse
import datetime
import json
import os
import resource
import sys

KINDS = ("cooperation", "restriction", "dispute")
FIRST_DAY = datetime.date(1946, 1, 1)
LAST_DAY = datetime.date(2026, 12, 31)
TIMELINE_DAYS = 50


def timeline_days(count=TIMELINE_DAYS):
    """`count` days from FIRST_DAY to LAST_DAY, both included: day i is
    FIRST_DAY + floor(i * span / (count - 1)) with span = LAST_DAY - FIRST_DAY in days."""
    span = (LAST_DAY - FIRST_DAY).days
    return [(FIRST_DAY + datetime.timedelta(days=i * span // (count - 1))).isoformat() for i in range(count)]


def holds_on(frame, day):
    """The rows of a pandas frame (dates parsed) holding on `day`: start <= day < end, an
    empty end never reached. The pandas peers' one reading of the semantics above."""
    import pandas as pd  # only the pandas peers call this

    d = pd.Timestamp(day)
    return (frame["start"] <= d) & (frame["end"].isna() | (d < frame["end"]))


def arguments(argv, peer):
    p = argparse.ArgumentParser(description=f"the {peer} peer: tasks T1-T6 on a relations CSV")
    p.add_argument("csv", help="source,target,kind,start,end (bench/gen_relations.py)")
    p.add_argument("date", help="the day of T2-T5, YYYY-MM-DD")
    p.add_argument("actor_a", help="the centre of T3 and the start of T4, e.g. A00001")
    p.add_argument("actor_b", help="the end of T4")
    p.add_argument("--out", help="the T5 file (default $BENCH_DIR/out_<peer>_<csv name>, BENCH_DIR=/tmp/bench)")
    p.add_argument("--json", help="also write every result to this JSON file")
    args = p.parse_args(argv)
    if args.out is None:
        folder = os.environ.get("BENCH_DIR", "/tmp/bench")
        os.makedirs(folder, exist_ok=True)
        args.out = os.path.join(folder, f"out_{peer}_{os.path.basename(args.csv)}")
    return args


class Report:
    """Prints each task's line as soon as it is done and keeps the results for --json."""

    def __init__(self, peer, args):
        self.args = args
        self.results = {"peer": peer, "csv": args.csv, "date": args.date,
                        "actor_a": args.actor_a, "actor_b": args.actor_b, "tasks": {}}

    def task(self, name, secs, **answers):
        self.results["tasks"][name] = {"secs": round(secs, 6), **answers}
        # Lists (T6's series) go to the JSON only: the line stays short.
        shown = " ".join(f"{k}={v}" for k, v in answers.items() if not isinstance(v, list))
        print(f"{name} {secs:.4f} {shown}", flush=True)

    def timeline(self, secs, series):
        self.task("T6", secs, snapshots=len(series), sum=sum(series), max=max(series),
                  at_mid=series[len(series) // 2], last=series[-1], series=series)

    def finish(self):
        # ru_maxrss is in KiB on Linux: the same figure as /usr/bin/time's %M for this process.
        peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        self.results["peak_rss_mib"] = peak
        print(f"PEAK_RSS_MiB {peak}", flush=True)
        if self.args.json:
            with open(self.args.json, "w") as f:
                json.dump(self.results, f, indent=1)
        sys.stdout.flush()
