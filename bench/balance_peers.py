#!/usr/bin/env python3
"""The peers of `georel balance --at D`: the same signed triangle census with networkx or
python-igraph, on the day's edges as georel exported them once
(`georel snapshot --at D --format edges-csv --out FILE`).

    python3 bench/balance_peers.py EDGES_CSV networkx|igraph

Neither library has structural balance, so both are given what georel does itself: the pairs
signed by the one rule of src/query/signed.rs (+ when only cooperation joins them, - when
only restriction or dispute does; contested when both, or when a cooperation is contested;
contested pairs left out, `--contested skip`), done here with pandas for both peers; then
the triangles of the signed graph, typed by their count of negative ties:

- networkx: an nx.Graph of the signed ties; each triangle found once from each tie (u, v),
  u < v, as the common neighbours w > v of the two (Python sets, intersected in C);
- igraph: Graph.list_triangles() (C), the three ties' signs looked up with numpy.

Prints one JSON line: the census, the score, the ties, and the seconds of each step
(read, sign, graph, census). Memory and CPU are measured outside, with /usr/bin/time -v.
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def signed_pairs(path):
    frame = pd.read_csv(path, usecols=["source", "target", "kind", "contested"], dtype=str)
    frame = frame[frame["kind"] != "membership"]
    frame = frame[frame["source"] != frame["target"]]
    codes, names = pd.factorize(pd.concat([frame["source"], frame["target"]], ignore_index=True))
    n = len(frame)
    s, t = codes[:n], codes[n:]
    # georel numbers nodes by actor id; any consistent order gives the same census.
    a, b = np.minimum(s, t), np.maximum(s, t)
    positive = (frame["kind"] == "cooperation").to_numpy()
    contested = (frame["contested"] == "true").to_numpy() & positive
    pairs = pd.DataFrame({"a": a, "b": b, "pos": positive, "neg": ~positive, "con": contested})
    grouped = pairs.groupby(["a", "b"], sort=False).agg({"pos": "any", "neg": "any", "con": "any"}).reset_index()
    is_contested = (grouped["pos"] & grouped["neg"]) | grouped["con"]
    kept = grouped[~is_contested]
    sign = np.where(kept["pos"].to_numpy(), 1, -1)
    return len(names), kept["a"].to_numpy(), kept["b"].to_numpy(), sign, int(is_contested.sum())


def census_networkx(nodes, a, b, sign):
    import networkx as nx

    began = time.perf_counter()
    graph = nx.Graph()
    graph.add_nodes_from(range(nodes))
    graph.add_edges_from((int(x), int(y), {"sign": int(z)}) for x, y, z in zip(a, b, sign))
    built = time.perf_counter() - began
    counts = [0, 0, 0, 0]
    later = {u: {w for w in graph[u] if w > u} for u in graph}
    for u, v, data in graph.edges(data=True):
        if u > v:
            u, v = v, u
        for w in later[u] & later[v]:
            negatives = (data["sign"] < 0) + (graph[u][w]["sign"] < 0) + (graph[v][w]["sign"] < 0)
            counts[negatives] += 1
    return counts, built


def census_igraph(nodes, a, b, sign):
    import igraph as ig

    began = time.perf_counter()
    graph = ig.Graph(n=nodes, edges=np.column_stack((a, b)), directed=False)
    built = time.perf_counter() - began
    triangles = np.asarray(graph.list_triangles(), dtype=np.int64).reshape(-1, 3)
    negative = sign < 0
    counts = [0, 0, 0, 0]
    if len(triangles):
        ties = [
            np.asarray(graph.get_eids(np.column_stack((triangles[:, i], triangles[:, j]))))
            for i, j in ((0, 1), (0, 2), (1, 2))
        ]
        negatives = negative[ties[0]].astype(np.int64) + negative[ties[1]] + negative[ties[2]]
        counts = np.bincount(negatives, minlength=4).tolist()
    return counts, built


def main(argv):
    if len(argv) != 3 or argv[2] not in ("networkx", "igraph"):
        sys.exit(__doc__)
    clock = time.perf_counter
    began = clock()
    nodes, a, b, sign, contested = signed_pairs(argv[1])
    signed_s = clock() - began
    began = clock()
    census = census_networkx if argv[2] == "networkx" else census_igraph
    counts, built = census(nodes, a, b, sign)
    census_s = clock() - began - built
    total = sum(counts)
    print(
        json.dumps(
            {
                "peer": argv[2],
                "census": dict(zip(["ppp", "ppn", "pnn", "nnn"], counts)),
                "triangles": total,
                "score": (counts[0] + counts[2]) / total if total else None,
                "positive": int((sign > 0).sum()),
                "negative": int((sign < 0).sum()),
                "contested": contested,
                "seconds": {"read_and_sign": round(signed_s, 2), "graph": round(built, 2), "census": round(census_s, 2)},
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv)
