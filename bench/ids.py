#!/usr/bin/env python3
"""The cost of an `id` column (BENCHMARKS.md, "Issue 16", "The id column"): the same questions
on the same relations with and without an `id` column, from the CSV files and from the index,
for two georel builds, the runs alternating; medians of wall and CPU (user + system) seconds,
the highest peak RSS, whether the two builds wrote the same bytes, and the ratio id / no id.

    BASE=/path/to/old/georel GEOREL=target/release/georel DIR=/tmp/ids17 [FROM=csv,index] \
        bench/ids.py RUNS [QUESTION ...]

DIR holds six folders, each with a relations.csv (a link): csv-noid and csv-id (no index),
base-noid and base-id (with the index the BASE build wrote: `georel index --data`), new-noid
and new-id (the index GEOREL wrote). The -noid files are bench/gen_relations.py's 10M rows;
the -id files are the same rows with an `id` column before them (r1..rN)."""
import hashlib, json, os, statistics, subprocess, sys, tempfile, time

RSS = os.path.join(tempfile.mkdtemp(), "rss")
BIN = {"base": os.environ["BASE"], "new": os.environ.get("GEOREL", "target/release/georel")}
DIR = os.environ.get("DIR", "/tmp/ids17")
QUESTIONS = {
    "snapshot edges-csv": ["snapshot", "--at", "2001-09-11", "--format", "edges-csv", "--out", "-"],
    "snapshot json": ["snapshot", "--at", "2001-09-11", "--format", "json", "--out", "-"],
    "export csv": ["export", "--format", "csv", "--out", "-"],
    "path": ["path", "A00001", "A27668", "--at", "2001-09-11"],
    "timeline pair": ["timeline", "A00001", "A27668"],
}


def run(binary, folder, args):
    t0 = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%U %S %M", "-o", RSS, binary, "--data", folder] + args,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    h = hashlib.sha256()
    while True:
        b = p.stdout.read(1 << 20)
        if not b:
            break
        h.update(b)
    err = p.stderr.read()
    p.wait()
    wall = time.perf_counter() - t0
    user, system, rss = open(RSS).read().split()[-3:]
    return wall, float(user) + float(system), int(rss) / 1024, p.returncode, h.hexdigest(), err.decode()[-300:]


def main():
    n = int(sys.argv[1])
    names = sys.argv[2:] or list(QUESTIONS)
    for name in names:
        args = QUESTIONS[name]
        for source in os.environ.get("FROM", "csv,index").split(","):
            row = {}
            for who in ("base", "new"):
                for ids in ("noid", "id"):
                    row[(who, ids)] = []
            for i in range(n):
                order = [("base", "noid"), ("new", "noid"), ("base", "id"), ("new", "id")]
                for who, ids in order if i % 2 == 0 else order[::-1]:
                    folder = f"{DIR}/csv-{ids}" if source == "csv" else f"{DIR}/{who}-{ids}"
                    row[(who, ids)].append(run(BIN[who], folder, args))
            out = {"q": name, "from": source, "load": [round(x, 1) for x in os.getloadavg()]}
            for (who, ids), runs in row.items():
                out[f"{who} {ids}"] = {
                    "wall": round(statistics.median(r[0] for r in runs), 3),
                    "cpu": round(statistics.median(r[1] for r in runs), 3),
                    "rss_mb": round(max(r[2] for r in runs)),
                    "code": sorted(set(r[3] for r in runs)),
                }
            for who in ("base", "new"):
                a, b = out[f"{who} id"], out[f"{who} noid"]
                out[f"{who} id/noid"] = {k: round(a[k] / b[k], 2) for k in ("wall", "cpu", "rss_mb")}
            for ids in ("noid", "id"):
                hashes = {who: sorted(set(r[4] for r in row[(who, ids)])) for who in ("base", "new")}
                out[f"same bytes {ids}"] = hashes["base"] == hashes["new"] and len(hashes["base"]) == 1
                if not out[f"same bytes {ids}"]:
                    out[f"err {ids}"] = [row[(who, ids)][0][5] for who in ("base", "new")]
            print(json.dumps(out), flush=True)


main()
