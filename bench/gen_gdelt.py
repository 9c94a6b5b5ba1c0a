#!/usr/bin/env python3
"""Real-shaped GDELT 2.0 event rows at any scale, for the import benchmarks (issue 17).

Repeats the rows of the real 15-minute file in tests/data/gdelt/ with fresh GLOBALEVENTIDs
(1,000,000,000 + row number) and SQLDATEs spread evenly over --days days from 2015-01-01 (the
file is in date order, as GDELT's archive is), so that a run of the generator is what a
researcher's archive of that many rows looks like: 200,000 rows a day is GDELT 2.0's rate.
To give a day the variety of real days (a day is ~95 repeats of the 2,111 template rows), each
repeat maps the actors' country codes through one of 16 fixed permutations of the CAMEO
country codes, so a day holds thousands of distinct pair-days, not 205.

    python3 bench/gen_gdelt.py --rows 10000000 --out /tmp/x/gdelt10M.CSV
    python3 bench/gen_gdelt.py --rows 100000000 --members 10 --out /tmp/x/gdelt100M.zip
    python3 bench/gen_gdelt.py --rows 100000000 --out - | georel import gdelt - --out /tmp/x/ds

Streamed to stdout (`--out -`), 100 million rows (about 40 GB of text) need no disk at all.
A .zip output (GDELT's own packaging, read by `georel import gdelt`) keeps 100 million rows
at a few GB on disk: members of --rows/--members rows each, deflated at level 1.
Deterministic: the same arguments give the same bytes.
"""

import argparse
import datetime
import os
import random
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE = os.path.join(ROOT, "tests/data/gdelt/gdelt2_20191024143000.export.CSV")
COUNTRIES = os.path.join(ROOT, "src/import/cameo_country.tsv")
VARIANTS = 16


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--days", type=int, default=0, help="default: rows / 200,000 (at least 1)")
    ap.add_argument("--members", type=int, default=1, help="zip members (for a .zip --out)")
    ap.add_argument("--out", required=True, help="a file (.zip: zipped), or - for stdout")
    a = ap.parse_args()
    days = a.days or max(1, a.rows // 200_000)

    rows = [line.rstrip("\n").split("\t") for line in open(TEMPLATE, encoding="utf-8")]
    codes = [l.split("\t")[0] for l in open(COUNTRIES, encoding="utf-8")][1:]
    rng = random.Random(17)
    perms = []
    for v in range(VARIANTS):
        shuffled = codes[:]
        if v:
            rng.shuffle(shuffled)
        perms.append(dict(zip(codes, shuffled)))
    start = datetime.date(2015, 1, 1)
    dates = [(start + datetime.timedelta(days=d)).strftime("%Y%m%d") for d in range(days)]
    n = len(rows)

    # A row is its id and date columns followed by a tail that depends only on its template
    # row and its permutation: the tails are made once, so 100 million rows stream at pipe
    # speed (`--out -` into `georel import gdelt -`) rather than in an hour.
    tails = {}

    def tail(t, v):
        key = (t, v)
        if key not in tails:
            r = rows[t][:]
            perm = perms[v]
            for code_col, country_col in ((5, 7), (15, 17)):
                c = r[country_col]
                if c in perm:
                    m = perm[c]
                    r[country_col] = m
                    if r[code_col].startswith(c):
                        r[code_col] = m + r[code_col][len(c):]
            tails[key] = "\t".join(r[4:])
        return tails[key]

    def lines(first, count):
        out = []
        for i in range(first, first + count):
            d = dates[i * days // a.rows]
            out.append(f"{1_000_000_000 + i}\t{d}\t{d[:6]}\t{d[:4]}\t{tail(i % n, (i // n) % VARIANTS)}")
            if len(out) == 50_000:
                yield "\n".join(out) + "\n"
                out = []
        if out:
            yield "\n".join(out) + "\n"

    if a.out.endswith(".zip"):
        per = -(-a.rows // a.members)
        with zipfile.ZipFile(a.out, "w", zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True) as z:
            for m in range(a.members):
                first = m * per
                count = min(per, a.rows - first)
                if count <= 0:
                    break
                with z.open(f"part{m:03}.export.CSV", "w", force_zip64=True) as f:
                    for chunk in lines(first, count):
                        f.write(chunk.encode("utf-8"))
    else:
        f = sys.stdout.buffer if a.out == "-" else open(a.out, "wb")
        for chunk in lines(0, a.rows):
            f.write(chunk.encode("utf-8"))
        f.close()


if __name__ == "__main__":
    main()
