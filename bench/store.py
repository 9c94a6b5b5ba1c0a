#!/usr/bin/env python3
"""The store's questions at 10M (BENCHMARKS.md, "Issue 16: the store"): two georel builds
side by side, runs alternating, medians of the time to the first byte and to the end, the
highest peak RSS, and whether both wrote the same bytes.

    BASE=/path/to/old/georel GEOREL=target/release/georel DATA=/tmp/bench/d10M \
        bench/store.py RUNS [QUESTION ...]

DATA is a folder holding relations.csv (bench/gen_relations.py, default seed, 10M rows) and
its index (`georel index --data DATA`); BASE_DATA, if given, the base build's own such folder. For the id column's cost ("... id" questions), IDS is
a folder holding the same file with an `id` column (r1..rN) and its index, and CSV and
CSV_IDS the two files without an index (the "... (CSV)" questions). Each question's line
also gives the median CPU time (user + system) and the load average when it ended."""
import hashlib, json, os, statistics, subprocess, sys, tempfile, time
RSS = os.path.join(tempfile.mkdtemp(), "rss")
BIN = {"base": os.environ["BASE"], "store": os.environ.get("GEOREL", "target/release/georel")}
D = os.environ.get("DATA", "/tmp/bench/d10M")  # a folder holding relations.csv and its index
# The base build's own folder (the same relations.csv, its index built by the base build), when
# the two builds' indexes differ or must not share a stamp.
BASE_D = os.environ.get("BASE_DATA", D)
FOLDERS = {"ids": os.environ.get("IDS"), "csv": os.environ.get("CSV"), "csv_ids": os.environ.get("CSV_IDS")}
SNAP = ["snapshot", "--at", "2001-09-11", "--format", "edges-csv", "--out", "-"]
QUESTIONS = {
  "snapshot edges-csv": ["snapshot", "--at", "2001-09-11", "--format", "edges-csv", "--out", "-"],
  "timeline pair": ["timeline", "A00001", "A27668"],  # 3 relations
  "timeline actor": ["timeline", "A00001", "--format", "csv", "--out", "-"],
  "diff month": ["diff", "--from", "2001-09-01", "--to", "2001-10-01", "--format", "csv", "--out", "-"],
  "conflicts --at": ["conflicts", "--at", "2001-09-11", "--format", "csv", "--out", "-"],
  "fractures --at": ["fractures", "--at", "2001-09-11"],
  "path": ["path", "A00001", "A27668", "--at", "2001-09-11"],
  "neighbours": ["neighbours", "A00001", "--at", "2001-09-11", "--depth", "2", "--format", "csv", "--out", "-"],
  "conflicts all time": ["conflicts", "--format", "csv", "--out", "-"],
  "diff month text": ["diff", "--from", "2001-09-01", "--to", "2001-10-01"],
  "conflicts --at month": ["conflicts", "--at", "2025-11"],
  "fractures --at month": ["fractures", "--at", "2025-11"],
  # The id column's cost: the same snapshot of the same relations, with an `id` column.
  "snapshot edges-csv, id": ("ids", SNAP),
  "snapshot edges-csv (CSV)": ("csv", SNAP),
  "snapshot edges-csv, id (CSV)": ("csv_ids", SNAP),
}
def run(binary, question):
    folder, args = (FOLDERS[question[0]], question[1]) if isinstance(question, tuple) else (D, question)
    if folder == D and binary == BIN["base"]:
        folder = BASE_D
    t0 = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%U %S %M", "-o", RSS, binary, "--data", folder] + args,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = p.stdout.read(1)
    t1 = time.perf_counter()
    h = hashlib.sha256(first)
    while True:
        b = p.stdout.read(1 << 20)
        if not b: break
        h.update(b)
    err = p.stderr.read()
    p.wait()
    t2 = time.perf_counter()
    user, system, rss = open(RSS).read().split()[-3:]
    return (t1 - t0 if first else None, t2 - t0, int(rss), p.returncode, h.hexdigest(), err.decode()[-300:],
            float(user) + float(system))
names = sys.argv[2:] or list(QUESTIONS)
n = int(sys.argv[1])
out = {}
for name in names:
    res = {"base": [], "store": []}
    for i in range(n):
        for who in (["base", "store"] if i % 2 == 0 else ["store", "base"]):
            res[who].append(run(BIN[who], QUESTIONS[name]))
    row = {}
    for who in res:
        firsts = [r[0] for r in res[who] if r[0] is not None]
        row[who] = dict(first=statistics.median(firsts) if firsts else None,
                        total=statistics.median(r[1] for r in res[who]),
                        cpu=statistics.median(r[6] for r in res[who]),
                        rss_mb=max(r[2] for r in res[who]) / 1024,
                        code=sorted(set(r[3] for r in res[who])),
                        hash=sorted(set(r[4] for r in res[who])))
    same = row["base"]["hash"] == row["store"]["hash"]
    print(json.dumps({"q": name, "same_output": same, "load": os.getloadavg(), **{w: {k: v for k, v in row[w].items() if k != "hash"} for w in row}}), flush=True)
    if not same:
        print("  base err:", res["base"][0][5], "\n  store err:", res["store"][0][5], flush=True)
