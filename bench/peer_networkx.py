#!/usr/bin/env python3
"""The networkx peer: pandas and networkx, as a Python user would write it.

    python3 bench/peer_networkx.py CSV DATE ACTOR_A ACTOR_B [--out F] [--json F]

T1  pandas.read_csv with the dates parsed          T2  a boolean mask on the dates, value_counts
T2g nx.from_pandas_edgelist into an nx.Graph       T3  nx.ego_graph(radius=2)
T4  nx.shortest_path_length (bidirectional BFS)    T5  DataFrame.to_csv
T6  50 masks, each summed
Semantics and output protocol: bench/common.py and bench/README.md.
"""
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ left in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import KINDS, Report, arguments, holds_on, timeline_days  # noqa: E402

import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402


def main(argv):
    args = arguments(argv, "networkx")
    report = Report("networkx", args)
    clock = time.perf_counter

    began = clock()
    frame = pd.read_csv(args.csv, parse_dates=["start", "end"], date_format="%Y-%m-%d")
    report.task("T1", clock() - began, rows=len(frame))

    began = clock()
    day = frame.loc[holds_on(frame, args.date)]
    per_kind = day["kind"].value_counts()
    counts = {k: int(per_kind.get(k, 0)) for k in KINDS}
    report.task("T2", clock() - began, **counts, total=len(day))

    began = clock()
    graph = nx.from_pandas_edgelist(day, "source", "target")  # nx.Graph: simple, undirected
    report.task("T2g", clock() - began, nodes=graph.number_of_nodes(), edges=graph.number_of_edges())

    began = clock()
    nodes = edges = 0
    if args.actor_a in graph:
        ball = nx.ego_graph(graph, args.actor_a, radius=2)
        nodes, edges = ball.number_of_nodes(), ball.number_of_edges()
    report.task("T3", clock() - began, nodes=nodes, edges=edges)

    began = clock()
    try:
        length = nx.shortest_path_length(graph, args.actor_a, args.actor_b)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        length = -1
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
