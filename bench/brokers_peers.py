#!/usr/bin/env python3
"""networkx and igraph doing what `georel brokers --at DATE` does, on the same snapshot.

    python3 bench/brokers_peers.py TOOL EDGES_CSV GEOREL_JSON [--kinds K,K]

TOOL is networkx or igraph. EDGES_CSV is the day's snapshot as `georel snapshot --at DATE
--format edges-csv` writes it (exported once); the graph is its rows of the chosen kinds
(cooperation by default) read as undirected links, loops dropped, as brokers reads them.
GEOREL_JSON is `georel brokers --at DATE --format json --top 0` on the same day: its pivots
(when it estimated) are the sources the peers use too, so that the three compute the same
numbers, and the script checks every node's value against georel's (max |difference|).

Exact: networkx `betweenness_centrality(G)`, igraph `Graph.betweenness(directed=False)`.
Sampled: the same pivots as sources, networkx `betweenness_centrality_subset(G, pivots, all)`
and igraph `Graph.betweenness(sources=pivots)` (the loop networkx's `k` runs, with georel's
pivots rather than Python's random choice), scaled as networkx 3.6's `_rescale` scales a `k`
sample. Prints one JSON line: tool, nodes, links, exact, pivots, load_s, betweenness_s,
max_difference, top10 (ids).
"""
import csv
import json
import sys
import time


def main(argv):
    tool, edges_csv, georel_json = argv[1], argv[2], argv[3]
    kinds = {"cooperation"}
    if "--kinds" in argv:
        kinds = set(argv[argv.index("--kinds") + 1].split(","))
    georel = json.load(open(georel_json))
    day = georel["dates"][0]
    pivots = day.get("pivots")

    began = time.perf_counter()
    links = set()
    with open(edges_csv, newline="") as f:
        for row in csv.DictReader(f):
            a, b = row["source"], row["target"]
            if row["kind"] in kinds and a != b:
                links.add((a, b) if a < b else (b, a))
    names = sorted({x for link in links for x in link})
    number = {name: i for i, name in enumerate(names)}
    edges = [(number[a], number[b]) for a, b in links]
    n = len(names)
    if tool == "networkx":
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(edges)
    else:
        import igraph as ig

        graph = ig.Graph(n=n, edges=edges)
    load = time.perf_counter() - began

    began = time.perf_counter()
    sources = None if pivots is None else [number[p] for p in pivots]
    if tool == "networkx":
        if sources is None:
            values = nx.betweenness_centrality(graph)
            values = [values[i] for i in range(n)]
        else:
            half = nx.betweenness_centrality_subset(graph, sources, list(range(n)), normalized=False)
            values = [2 * half[i] for i in range(n)]
    else:
        half = graph.betweenness(directed=False, sources=sources)
        values = [2 * x for x in half]
        if sources is None:
            values = [x / ((n - 1) * (n - 2)) for x in values]
    if sources is not None:
        k, pairs = len(sources), n - 2
        chosen = set(sources)
        values = [x / ((k - 1) * pairs if i in chosen else k * pairs) for i, x in enumerate(values)]
    spent = time.perf_counter() - began

    theirs = {b["actor"]: b["betweenness"] for b in day["brokers"]}
    difference = max((abs(values[number[a]] - v) for a, v in theirs.items() if a in number), default=0.0)
    missing = len(set(theirs) ^ set(names))
    top = sorted(range(n), key=lambda i: (-values[i], names[i]))[:10]
    print(json.dumps({
        "tool": tool, "nodes": n, "links": len(edges), "exact": sources is None,
        "pivots": None if sources is None else len(sources), "load_s": round(load, 3),
        "betweenness_s": round(spent, 3), "max_difference": difference,
        "nodes_not_in_both": missing, "top10": [names[i] for i in top],
    }))


if __name__ == "__main__":
    main(sys.argv)
