#!/usr/bin/env python3
"""Writes tests/data/tribes/dataset/ (a georel dataset) from tests/data/tribes/out.ucidata-gama:
tribe n is actor T<nn> (KONECT's numbering; the copy names no tribe), friendship a
cooperation and enmity a dispute, each citing Read (1954). Run: python3 tools/tribes_dataset.py"""
from pathlib import Path

root = Path(__file__).resolve().parent.parent / "tests/data/tribes"
out = root / "dataset"
out.mkdir(exist_ok=True)
rows = []
for line in (root / "out.ucidata-gama").read_text().splitlines()[1:]:
    f = line.split()
    if len(f) == 3:  # the copy's stray last line has two fields
        rows.append((int(f[0]), int(f[1]), int(f[2])))
assert len(rows) == 58
(out / "actors.csv").write_text(
    "id,name,kind,parent,aliases\n" + "".join(f"T{n:02},Tribe {n},organisation,,\n" for n in range(1, 17))
)
(out / "sources.csv").write_text(
    "id,title,publisher,published,url,reliability\n"
    'READ-1954,"Cultures of the Central Highlands, New Guinea",Southwestern Journal of Anthropology 10(1),1954,,\n'
)
lines = ["id,source,target,kind,start,end,directed,evidence,summary,claimant,credibility"]
for a, b, sign in rows:
    kind = "cooperation" if sign > 0 else "dispute"
    word = "friendship (rova)" if sign > 0 else "enmity (hina)"
    lines.append(f"T{a:02}-T{b:02},T{a:02},T{b:02},{kind},1954,,,READ-1954,Read (1954): {word},,")
(out / "relations.csv").write_text("\n".join(lines) + "\n")
print(f"wrote {out}: 16 actors, {len(rows)} relations")
