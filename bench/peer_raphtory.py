#!/usr/bin/env python3
"""The raphtory peer: raphtory's PersistentGraph (a Rust core) through its Python API.

    python3 bench/peer_raphtory.py CSV DATE ACTOR_A ACTOR_B [--out F] [--json F]

Each row is an edge added at `start` on the layer named by its kind, and, when it has an end,
deleted at `end` on the same (source, target, kind). The graph of day D is the view g.at(D).

T1  pyarrow.csv.read_csv, load_edge_deletions, load_edges    T2  count_edges per layer
T2g count_nodes, and the sum of degrees / 2 (a degree counts distinct neighbours)
T3  the neighbours and their neighbours, then subgraph       T4  dijkstra with unit weights
T5  the exploded layers' edges through csv.writer            T6  50 views, count_edges per layer
Semantics and output protocol: bench/common.py and bench/README.md.

Two traps of the model (bench/README.md, "Peer pitfalls"):
  * raphtory orders events of one timestamp by load order, so the deletions are loaded first:
    otherwise a relation ending on D and the next one of its key starting on D would leave the
    edge deleted on D, although the second holds (the end is exclusive);
  * raphtory keys an edge by (source, target, layer): two overlapping rows of one key would
    merge into one edge. bench/gen_relations.py never writes overlapping rows of one key.
"""
import csv
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ left in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import KINDS, Report, arguments, timeline_days  # noqa: E402

import pyarrow.compute as pc  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import raphtory  # noqa: E402
from raphtory import algorithms  # noqa: E402


def per_kind(view):
    return {k: view.layer(k).count_edges() if view.has_layer(k) else 0 for k in KINDS}


def path_length(view, a, b, scratch):
    """Edges on a shortest a-b path, -1 when none. raphtory 0.17.0 panics ("Cannot unify types
    for list") when a path result mixing node ids below and above 256 is read in Python; writing
    the result to parquet is unaffected, so the one row is read back from there."""
    if not (view.has_node(a) and view.has_node(b)):
        return -1
    found = algorithms.dijkstra_single_source_shortest_paths(view, a, [b], direction="both", weight=None)
    found.to_parquet(scratch)
    try:
        for row in pq.read_table(scratch, columns=["id", "distance"]).to_pylist():
            if row["id"] == b:
                return int(row["distance"])
        return -1
    finally:
        os.remove(scratch)


def main(argv):
    args = arguments(argv, "raphtory")
    report = Report("raphtory", args)
    clock = time.perf_counter

    began = clock()
    table = pacsv.read_csv(args.csv)  # start and end are read as date32
    graph = raphtory.PersistentGraph()
    ended = table.filter(pc.is_valid(table["end"]))
    graph.load_edge_deletions(ended, time="end", src="source", dst="target", layer_col="kind")
    graph.load_edges(table, time="start", src="source", dst="target", layer_col="kind")
    rows = table.num_rows
    del table, ended
    report.task("T1", clock() - began, rows=rows, graph_nodes=graph.count_nodes(), graph_edges=graph.count_edges())

    began = clock()
    day = graph.at(args.date)
    counts = per_kind(day)
    report.task("T2", clock() - began, **counts, total=sum(counts.values()))

    began = clock()
    nodes, pairs = day.count_nodes(), sum(day.nodes.degree()) // 2
    report.task("T2g", clock() - began, nodes=nodes, edges=pairs)

    began = clock()
    nodes = edges = 0
    if day.has_node(args.actor_a):
        centre = day.node(args.actor_a)
        ball = {args.actor_a, *centre.neighbours.name, *centre.neighbours.neighbours.name}
        sub = day.subgraph(list(ball))
        nodes, edges = sub.count_nodes(), sum(sub.nodes.degree()) // 2
    report.task("T3", clock() - began, nodes=nodes, edges=edges)

    began = clock()
    length = path_length(day, args.actor_a, args.actor_b, args.out + ".t4.parquet")
    report.task("T4", clock() - began, length=length)

    began = clock()
    written = 0
    with open(args.out, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(("source", "target", "kind"))
        for e in day.edges.explode_layers():
            out.writerow((e.src.name, e.dst.name, e.layer_name))
            written += 1
    report.task("T5", clock() - began, rows=written, path=args.out)

    days = timeline_days()
    began = clock()
    series = [sum(per_kind(graph.at(d)).values()) for d in days]
    report.timeline(clock() - began, series)
    report.finish()


if __name__ == "__main__":
    main(sys.argv[1:])
