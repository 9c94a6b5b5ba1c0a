#!/usr/bin/env python3
"""The signed triangle census of Read's highland tribes (tests/data/tribes/out.ucidata-gama),
computed independently of georel with networkx, for the expected values of
tests/cli/balance.rs. Run: python3 tools/tribes_census.py (needs networkx).

A triangle's type is its count of negative ties (+++, ++-, +--, ---), as R signnet's
count_signed_triangles; the score is (+++ and +--) over all, as its
balance_score(g, "triangles")."""
import itertools
import sys
from pathlib import Path

import networkx as nx

path = Path(__file__).resolve().parent.parent / "tests/data/tribes/out.ucidata-gama"
g = nx.Graph()
for line in path.read_text().splitlines()[1:]:
    fields = line.split()
    # The copy ends with a stray two-field line, no edge: the header says 58 edges.
    if len(fields) == 3:
        g.add_edge(int(fields[0]), int(fields[1]), sign=int(fields[2]))
assert g.number_of_nodes() == 16 and g.number_of_edges() == 58, (g.number_of_nodes(), g.number_of_edges())
census = {"+++": 0, "++-": 0, "+--": 0, "---": 0}
names = ["+++", "++-", "+--", "---"]
for a, b, c in itertools.combinations(sorted(g.nodes), 3):
    if g.has_edge(a, b) and g.has_edge(b, c) and g.has_edge(a, c):
        negative = sum(g.edges[x, y]["sign"] < 0 for x, y in ((a, b), (b, c), (a, c)))
        census[names[negative]] += 1
# networkx's own count of triangles agrees with the enumeration.
assert sum(nx.triangles(g).values()) // 3 == sum(census.values())
total = sum(census.values())
score = (census["+++"] + census["+--"]) / total
print(" ".join(f"{k}={v}" for k, v in census.items()), f"total={total}", f"score={score:.7f}")
sys.exit(0)
