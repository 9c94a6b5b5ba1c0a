#!/usr/bin/env python3
"""Reads the result folders bench/compare.sh wrote, checks that the tools' answers agree, and
prints the comparison tables (Markdown).

    summarise.py [--peers P...] -- RESULT_DIR...

Each RESULT_DIR is $BENCH_DIR/results/<SIZE> and holds, per tool, <tool>.json (the tool's own
--json), <tool>.time ("wall_seconds peak_rss_kib" from /usr/bin/time), <tool>.status (exit code),
plus snapshot.* for the CLI target, floor.txt and t5_digests.txt.

Exit status: 1 if any answer differs between tools or from bench/README.md's reference
numbers (each difference is printed on a line starting with DISAGREEMENT), else 0.
Standard library only.
"""
import argparse
import json
import os
import sys

TASKS = ("T1", "T2", "T2g", "T3", "T4", "T5", "T6")

# The answers every tool must give: (task, field) pairs taken from the JSON results.
CHECKED = (
    ("T2", "cooperation"), ("T2", "restriction"), ("T2", "dispute"), ("T2", "total"),
    ("T2g", "nodes"), ("T2g", "edges"),
    ("T3", "nodes"), ("T3", "edges"),
    ("T4", "length"),
    ("T5", "rows"),
    ("T6", "series"),
)

# The reference answers of bench/README.md (date 2001-09-11, default seed).
REFERENCE = {
    100000: {"actor_b": "A00483",
             ("T2", "cooperation"): 17784, ("T2", "restriction"): 10947, ("T2", "dispute"): 7403,
             ("T2", "total"): 36134, ("T2g", "nodes"): 500, ("T2g", "edges"): 30885,
             ("T3", "nodes"): 500, ("T3", "edges"): 30885, ("T4", "length"): 2},
    1000000: {"actor_b": "A00777",
              ("T2", "cooperation"): 178348, ("T2", "restriction"): 109684, ("T2", "dispute"): 74027,
              ("T2", "total"): 362059, ("T2g", "nodes"): 5000, ("T2g", "edges"): 316486,
              ("T3", "nodes"): 2038, ("T3", "edges"): 85608, ("T4", "length"): 3},
    10000000: {"actor_b": "A39600",
               ("T2", "cooperation"): 1871223, ("T2", "restriction"): 1124855, ("T2", "dispute"): 751749,
               ("T2", "total"): 3747827, ("T2g", "nodes"): 50000, ("T2g", "edges"): 3689838,
               ("T3", "nodes"): 7645, ("T3", "edges"): 421246, ("T4", "length"): 4},
}

# The targets at 10M: georel's T1–T6 at least 5x faster than the best peer with at most
# half its peak memory; the CLI snapshot in at most 1/5 of the best peer's T1+T2+T5.
TARGET_SIZE = 10000000
TARGET_SPEEDUP = 5.0
TARGET_MEMORY_FRACTION = 0.5
TARGET_SNAPSHOT_FRACTION = 0.2


def read_text(path, default=None):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return default


def read_time(path):
    """(wall seconds, peak RSS MiB) from a /usr/bin/time -f '%e %M' file, or (None, None).
    When the command failed, GNU time writes a 'Command exited…' line first; the figures are last."""
    text = read_text(path, "")
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        wall, kib = lines[-1].split()
        return float(wall), int(kib) / 1024
    except (IndexError, ValueError):
        return None, None


class Tool:
    def __init__(self, folder, name):
        self.name = name
        self.status = int((read_text(os.path.join(folder, name + ".status"), "-1").strip() or "-1"))
        self.wall, self.rss = read_time(os.path.join(folder, name + ".time"))
        text = read_text(os.path.join(folder, name + ".json"))
        self.results = json.loads(text) if (text and self.status == 0) else None

    @property
    def ok(self):
        return self.results is not None

    def secs(self, task):
        return self.results["tasks"][task]["secs"]

    def answer(self, task, field):
        return self.results["tasks"].get(task, {}).get(field)

    @property
    def total(self):
        return sum(self.secs(t) for t in TASKS)

    @property
    def t125(self):
        return self.secs("T1") + self.secs("T2") + self.secs("T5")


def fmt_s(x):
    """Seconds with three significant digits, without exponent notation."""
    if x is None:
        return "–"
    if x < 0.0001:
        return f"{x:.5f}"
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.3g}"


def fmt_mib(x):
    return "–" if x is None else f"{x:.0f}"


def table(tools):
    head = ["tool"] + list(TASKS) + ["total", "T1+T2+T5", "process wall s", "peak RSS MiB"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in tools:
        if t.ok:
            cells = [fmt_s(t.secs(task)) for task in TASKS] + [fmt_s(t.total), fmt_s(t.t125)]
        else:
            cells = [f"FAILED (exit {t.status})"] + ["–"] * (len(TASKS) + 1)
        cells += [fmt_s(t.wall), fmt_mib(t.rss)]
        rows.append("| " + " | ".join([t.name] + cells) + " |")
    return "\n".join(rows)


def check_answers(size, tools, snapshot_rows, digests):
    """Every DISAGREEMENT line for this size (empty when all agree)."""
    problems = []
    ran = [t for t in tools if t.ok]
    ref = REFERENCE.get(size, {})
    for task, field in CHECKED:
        values = {t.name: t.answer(task, field) for t in ran}
        shown = " ".join(f"{n}={_short(v)}" for n, v in values.items())
        if len({json.dumps(v) for v in values.values()}) > 1:
            problems.append(f"DISAGREEMENT {size} {task}.{field}: {shown}")
        expected = ref.get((task, field))
        if expected is not None and any(v != expected for v in values.values()):
            problems.append(f"DISAGREEMENT {size} {task}.{field}: reference={expected} but {shown}")
    # The T5 files as multisets of rows, and the CLI snapshot's rows.
    if len(set(digests.values())) > 1:
        shown = " ".join(f"{n}={d}" for n, d in digests.items())
        problems.append(f"DISAGREEMENT {size} T5 rows (sorted-content digest): {shown}")
    georel = next((t for t in ran if t.name == "georel"), None)
    if georel and snapshot_rows is not None and snapshot_rows != georel.answer("T2", "total"):
        problems.append(f"DISAGREEMENT {size} snapshot edges-csv rows={snapshot_rows} "
                        f"but T2 total={georel.answer('T2', 'total')}")
    return problems


def _short(v):
    if isinstance(v, list):
        return f"[{len(v)} values, sum {sum(v)}]"
    return str(v)


def count_rows(path):
    """Data rows of a CSV (lines minus the header), or None."""
    try:
        with open(path, "rb") as f:
            return sum(buf.count(b"\n") for buf in iter(lambda: f.read(1 << 20), b"")) - 1
    except FileNotFoundError:
        return None


def summarise(folder, peers):
    size = int(os.path.basename(os.path.normpath(folder)))
    tools = [Tool(folder, name) for name in ["georel"] + peers]
    georel = tools[0]
    snap_status = int((read_text(os.path.join(folder, "snapshot.status"), "-1").strip() or "-1"))
    snap_wall, snap_rss = read_time(os.path.join(folder, "snapshot.time"))
    snapshot_rows = count_rows(os.path.join(folder, "snapshot.csv")) if snap_status == 0 else None
    digests = dict(line.split() for line in read_text(os.path.join(folder, "t5_digests.txt"), "").splitlines()
                   if line.strip())
    floor = (read_text(os.path.join(folder, "floor.txt"), "") or "").split()

    rows = georel.answer("T1", "rows") if georel.ok else None
    meta = georel.results if georel.ok else {}
    print(f"\n### {size:,} relations (file rows: {rows:,})" if rows else f"\n### {size:,} relations")
    print(f"\nday {meta.get('date', '?')}, {meta.get('actor_a', '?')} -> {meta.get('actor_b', '?')}; "
          "seconds per task as each tool reports it; process wall and peak RSS from /usr/bin/time; "
          f"each tool's fastest of {runs_of(folder)} runs.\n")
    print(table(tools))
    snap_cells = ["georel snapshot --format edges-csv (CLI)"] + [""] * (len(TASKS) + 2) + [
        fmt_s(snap_wall) if snap_status == 0 else f"FAILED (exit {snap_status})", fmt_mib(snap_rss)]
    print("| " + " | ".join(snap_cells) + " |")
    print()

    problems = check_answers(size, tools, snapshot_rows, digests)
    failed = [t.name for t in tools[1:] if not t.ok]
    for name in failed:
        print(f"PEER FAILED {size} {name} (exit {next(t.status for t in tools if t.name == name)}); "
              f"see its .err file in {folder}")
    agreeing = [t.name for t in tools if t.ok] + (["snapshot"] if snapshot_rows is not None else [])
    if problems:
        for p in problems:
            print(p)
    else:
        print(f"answers agree ({', '.join(agreeing)}): T2 counts, T2g, T3, T4, T5 rows (sorted "
              f"content), T6 series" + (", and bench/README.md's reference" if size in REFERENCE else ""))

    peers_ok = [t for t in tools[1:] if t.ok]
    verdicts = []
    if georel.ok and peers_ok:
        best = min(peers_ok, key=lambda t: t.total)
        speedup = best.total / georel.total
        mem = georel.rss / best.rss if (georel.rss and best.rss) else None
        print(f"best peer (lowest total): {best.name}")
        print(f"georel T1–T6 total {fmt_s(georel.total)} s vs {fmt_s(best.total)} s: {speedup:.2f}x faster; "
              f"whole process {fmt_s(georel.wall)} s vs {fmt_s(best.wall)} s: {best.wall / max(georel.wall, 0.01):.2f}x")
        if mem is not None:
            print(f"georel peak RSS {fmt_mib(georel.rss)} MiB vs {fmt_mib(best.rss)} MiB: {mem:.3f} of the best peer's")
        if snap_status == 0:
            frac = snap_wall / best.t125
            print(f"CLI snapshot edges-csv {fmt_s(snap_wall)} s (a whole process parsing the CSV) vs {best.name} T1+T2+T5 "
                  f"{fmt_s(best.t125)} s: {frac:.3f} of it (speed-up {best.t125 / snap_wall:.2f}x)")
            fastest = min(peers_ok, key=lambda t: t.t125)
            if fastest is not best:
                print(f"  (lowest peer T1+T2+T5 is {fastest.name}'s {fmt_s(fastest.t125)} s: "
                      f"{snap_wall / fastest.t125:.3f} of it)")
        if size == TARGET_SIZE:
            verdicts.append(f"target (a) time: georel {speedup:.2f}x faster than {best.name}, needs >= "
                            f"{TARGET_SPEEDUP:g}x: {'MET' if speedup >= TARGET_SPEEDUP else 'MISSED'}")
            if mem is not None:
                verdicts.append(f"target (a) memory: {mem:.3f} of {best.name}'s peak RSS, needs <= "
                                f"{TARGET_MEMORY_FRACTION:g}: "
                                f"{'MET' if mem <= TARGET_MEMORY_FRACTION else 'MISSED'}")
            if snap_status == 0:
                verdicts.append(f"target (b) snapshot: {frac:.3f} of {best.name}'s T1+T2+T5, needs <= "
                                f"{TARGET_SNAPSHOT_FRACTION:g}: "
                                f"{'MET' if frac <= TARGET_SNAPSHOT_FRACTION else 'MISSED'}")
    for v in verdicts:
        print(v)
    if len(floor) == 2 and georel.ok:
        cat_s, wc_s = float(floor[0]), float(floor[1])
        print(f"floor: cat FILE >/dev/null (page cache) {fmt_s(cat_s)} s, wc -l {fmt_s(wc_s)} s; "
              f"georel T1 {fmt_s(georel.secs('T1'))} s = {georel.secs('T1') / cat_s:.1f}x cat, "
              f"{georel.secs('T1') / wc_s:.1f}x wc -l")
    return problems, tools, rows


def cost_curve(per_size):
    """Per-relation time and memory for each tool across the sizes run."""
    if len(per_size) < 2:
        return
    print("\n### Cost per relation (total of T1–T6, and peak RSS)\n")
    sizes = [s for s, _, _ in per_size]
    head = ["tool"] + [f"{s:,}: µs/rel" for s in sizes] + [f"{s:,}: bytes/rel" for s in sizes]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    names = [t.name for t in per_size[0][1]]
    for name in names:
        times, mems = [], []
        for _, tools, rows in per_size:
            t = next(t for t in tools if t.name == name)
            times.append(f"{t.total / rows * 1e6:.2f}" if (t.ok and rows) else "–")
            mems.append(f"{t.rss * 1048576 / rows:.0f}" if (t.rss and rows and t.ok) else "–")
        print("| " + " | ".join([name] + times + mems) + " |")


def runs_of(folder):
    """How many runs compare.sh made of each tool (lines in runs/georel.walls), 1 if unknown."""
    text = read_text(os.path.join(folder, "runs", "georel.walls"), "") or ""
    return max(1, len([line for line in text.splitlines() if line.strip()]))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peers", nargs="*", default=["raphtory", "networkx", "igraph"])
    ap.add_argument("folders", nargs="+")
    a = ap.parse_args(argv)
    all_problems, per_size = [], []
    for folder in a.folders:
        problems, tools, rows = summarise(folder, a.peers)
        all_problems += problems
        per_size.append((int(os.path.basename(os.path.normpath(folder))), tools, rows))
    cost_curve(per_size)
    if all_problems:
        print(f"\n{len(all_problems)} DISAGREEMENT(s): see above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
