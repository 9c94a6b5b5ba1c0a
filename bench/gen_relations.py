#!/usr/bin/env python3
"""Seeded, deterministic generator of the benchmark's synthetic relations CSV.

    python3 bench/gen_relations.py N_ROWS OUT.csv [--seed 20240601]

Writes `source,target,kind,start,end` (LF line ends, no quoting; dates YYYY-MM-DD; the end is
exclusive and empty for an ongoing relation) and prints on stderr the rows written, the hubs,
how many rows have an end, how many overlaps were cut and rows dropped, and the file's sha256.
The distribution and the exact order of the random draws are specified in bench/README.md
("The workload"); this file follows that specification step by step, so that the same seed and
numpy version give the same bytes. Needs numpy only.
"""
import argparse
import hashlib
import os
import sys
import time

import numpy as np

DEFAULT_SEED = 20240601
FIRST_DAY = np.datetime64("1946-01-01", "D")
LAST_DAY = np.datetime64("2026-12-31", "D")
KINDS = ("cooperation", "restriction", "dispute")
KIND_WEIGHTS = (0.5, 0.3, 0.2)
HUB_SHARE = 0.03  # of the rows, drawn with a hub at one end
END_SHARE = 0.27  # of the rows, drawn with an end (cutting overlaps adds more)
MEAN_DAYS = 3000.0  # mean of the drawn duration
ONGOING = -1  # an end offset that means "no end"
ROWS_PER_WRITE = 1 << 20


def actor_count(rows):
    """N_ROWS // 200 actors, at least 50 and at most 50,000 (so names fit A00001..A50000)."""
    return int(min(50_000, max(50, rows // 200)))


def hub_count(actors):
    return int(min(20, max(3, actors // 500)))


def ring_scale(actors):
    """The mean ring distance between the two ends of a regional relation."""
    return max(actors / 50.0, min(actors / 5.0, 100.0))


def draw(rows, seed, cut_overlaps=True):
    """The rows as integer columns, in file order: source and target actor numbers (0-based),
    kind (index into KINDS), start and end as day offsets from FIRST_DAY (end ONGOING when
    none). Steps 1-13 are the draws of bench/README.md, in that order, each over all rows."""
    rng = np.random.default_rng(seed)
    actors = actor_count(rows)
    hubs_n = hub_count(actors)
    last = int((LAST_DAY - FIRST_DAY).astype(np.int64))  # the last day's offset

    hubs = rng.choice(actors, size=hubs_n, replace=False)  # 1
    on_hub = rng.random(rows) < HUB_SHARE  # 2

    # A regional relation: the target lies a short way round a ring of the actors.
    ring_source = rng.integers(0, actors, size=rows, dtype=np.int64)  # 3
    steps = np.floor(rng.exponential(ring_scale(actors), size=rows)).astype(np.int64)  # 4
    steps = 1 + steps % (actors - 1)  # 1 .. actors - 1
    clockwise = rng.random(rows) < 0.5  # 5
    steps = np.where(clockwise, steps, actors - steps)
    ring_target = (ring_source + steps) % actors

    # A hub relation: a hub and any other actor, in either direction.
    hub = hubs[rng.integers(0, hubs_n, size=rows)]  # 6
    other = rng.integers(0, actors - 1, size=rows, dtype=np.int64)  # 7
    other += other >= hub  # skip the hub itself
    hub_is_target = rng.random(rows) < 0.5  # 8

    source = np.where(on_hub, np.where(hub_is_target, other, hub), ring_source)
    target = np.where(on_hub, np.where(hub_is_target, hub, other), ring_target)

    kind = rng.choice(len(KINDS), size=rows, p=KIND_WEIGHTS).astype(np.int64)  # 9
    # Density grows linearly with time: the start is the square root of a uniform draw.
    start = np.floor(np.sqrt(rng.random(rows)) * (last + 1)).astype(np.int64)  # 10
    start = np.minimum(start, last)
    ends = rng.random(rows) < END_SHARE  # 11
    length = 1 + np.floor(rng.exponential(MEAN_DAYS, size=rows)).astype(np.int64)  # 12
    # Wrap the length into the days left, so that every end is at most LAST_DAY; a relation
    # starting on LAST_DAY has no room and stays ongoing.
    room = last - start
    has_room = room >= 1
    length = np.where(has_room, 1 + (length - 1) % np.maximum(room, 1), 0)
    end = np.where(ends & has_room, start + length, ONGOING)

    if cut_overlaps:
        end, kept, overlaps_cut = cut(source, target, kind, start, end, actors)
    else:
        kept, overlaps_cut = np.ones(rows, dtype=bool), 0

    order = rng.permutation(rows)  # 13
    order = order[kept[order]]
    return {
        "actors": actors, "hubs": np.sort(hubs), "source": source[order], "target": target[order],
        "kind": kind[order], "start": start[order], "end": end[order],
        "cut": overlaps_cut, "dropped": int(rows - np.count_nonzero(kept)),
    }


def cut(source, target, kind, start, end, actors):
    """Cuts overlaps within each directed (source, target, kind): where a relation is still
    running when the next one of its key starts (ongoing, or end > next start), it ends on
    that start instead. Rows left empty (the next one starts on the same day) are dropped.
    Returns the new ends, which rows are kept, and how many ends were cut."""
    key = (source * actors + target) * len(KINDS) + kind
    by_key = np.lexsort((start, key))  # stable: ties keep the row order
    k, s, e = key[by_key], start[by_key], end[by_key]
    next_start = np.append(s[1:], 0)
    same_key_next = np.append(k[:-1] == k[1:], False)
    overlaps = same_key_next & ((e == ONGOING) | (e > next_start))
    e = np.where(overlaps, next_start, e)
    new_end = np.empty_like(end)
    new_end[by_key] = e
    kept = np.empty(len(end), dtype=bool)
    kept[by_key] = (e == ONGOING) | (e > s)
    return new_end, kept, int(np.count_nonzero(overlaps))


def write(rows, path):
    """Writes the CSV through a temporary file renamed into place; returns its sha256."""
    names = [f"A{i:05d}" for i in range(1, rows["actors"] + 1)]
    last = int((LAST_DAY - FIRST_DAY).astype(np.int64))
    days = [str(d) for d in FIRST_DAY + np.arange(last + 1)]
    ends = days + [""]  # ONGOING (-1) picks the empty string
    digest = hashlib.sha256()
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            for block in [b"source,target,kind,start,end\n"] + list(lines(rows, names, days, ends)):
                digest.update(block)
                f.write(block)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return digest.hexdigest()


def lines(rows, names, days, ends):
    n = len(rows["source"])
    for at in range(0, n, ROWS_PER_WRITE):
        part = slice(at, at + ROWS_PER_WRITE)
        yield "".join(
            f"{names[s]},{names[t]},{KINDS[k]},{days[a]},{ends[b]}\n"
            for s, t, k, a, b in zip(rows["source"][part].tolist(), rows["target"][part].tolist(),
                                     rows["kind"][part].tolist(), rows["start"][part].tolist(),
                                     rows["end"][part].tolist())
        ).encode("ascii")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n_rows", type=int, help="rows to draw (a few are dropped: see bench/README.md)")
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--allow-overlaps", action="store_true",
                   help="keep overlapping relations of one key (for experiments; not the benchmark data)")
    a = p.parse_args(argv)
    if a.n_rows < 2:
        p.error("N_ROWS must be at least 2")
    began = time.perf_counter()
    rows = draw(a.n_rows, a.seed, cut_overlaps=not a.allow_overlaps)
    sha = write(rows, a.out)
    n = len(rows["source"])
    with_end = int(np.count_nonzero(rows["end"] != ONGOING))
    print(f"wrote {a.out}: rows={n} actors={rows['actors']} hubs="
          + ",".join(f"A{h + 1:05d}" for h in rows["hubs"])
          + f" with_end={with_end} ({100.0 * with_end / n:.1f}%) trimmed_overlaps={rows['cut']}"
          f" dropped_empty={rows['dropped']} seed={a.seed} numpy={np.__version__} sha256={sha}"
          f" secs={time.perf_counter() - began:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
