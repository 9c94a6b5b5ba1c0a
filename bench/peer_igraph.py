#!/usr/bin/env python3
"""The igraph peer: pandas for the table, python-igraph (a C core) for the graph tasks.

    python3 bench/peer_igraph.py CSV DATE ACTOR_A ACTOR_B [--out F] [--json F]

T1  pandas.read_csv with the dates parsed, then the actor names factorised to integers
T2  a boolean mask on the dates, value_counts
T2g an ig.Graph on the integer codes of the day's rows, simplified (no multi-edges, no loops);
    the nodes counted are those with a neighbour
T3  Graph.neighborhood(order=2) and the induced subgraph     T4  Graph.distances (BFS)
T5  DataFrame.to_csv                                          T6  50 masks, each summed
Semantics and output protocol: bench/common.py and bench/README.md.
"""
import math
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ left in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import KINDS, Report, arguments, holds_on, timeline_days  # noqa: E402

import igraph as ig  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def main(argv):
    args = arguments(argv, "igraph")
    report = Report("igraph", args)
    clock = time.perf_counter

    began = clock()
    frame = pd.read_csv(args.csv, parse_dates=["start", "end"], date_format="%Y-%m-%d")
    rows = len(frame)
    codes, names = pd.factorize(pd.concat([frame["source"], frame["target"]], ignore_index=True))
    source, target = codes[:rows].astype(np.int64), codes[rows:].astype(np.int64)
    number = {name: i for i, name in enumerate(names)}
    report.task("T1", clock() - began, rows=rows, actors=len(names))

    began = clock()
    holds = holds_on(frame, args.date)
    day = frame.loc[holds]
    per_kind = day["kind"].value_counts()
    counts = {k: int(per_kind.get(k, 0)) for k in KINDS}
    report.task("T2", clock() - began, **counts, total=len(day))

    began = clock()
    on = holds.to_numpy()
    graph = ig.Graph(n=len(names), edges=np.column_stack((source[on], target[on])), directed=False)
    graph.simplify(multiple=True, loops=True)
    degree = np.asarray(graph.degree())
    report.task("T2g", clock() - began, nodes=int(np.count_nonzero(degree)), edges=graph.ecount())

    began = clock()
    a = number.get(args.actor_a)
    nodes = edges = 0
    if a is not None and degree[a] > 0:
        ball = graph.neighborhood(a, order=2)
        nodes, edges = len(ball), graph.induced_subgraph(ball).ecount()
    report.task("T3", clock() - began, nodes=nodes, edges=edges)

    began = clock()
    b = number.get(args.actor_b)
    length = -1
    if a is not None and b is not None:
        d = graph.distances(source=a, target=b)[0][0]
        length = -1 if math.isinf(d) else int(d)
    report.task("T4", clock() - began, length=length)

    began = clock()
    day[["source", "target", "kind"]].to_csv(args.out, index=False)
    report.task("T5", clock() - began, rows=len(day), path=args.out)

    days = timeline_days()
    began = clock()
    series = [int(holds_on(frame, d).sum()) for d in days]
    report.timeline(clock() - began, series)
    report.finish()


if __name__ == "__main__":
    main(sys.argv[1:])
