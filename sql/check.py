"""The SQL specification against georel's importer: sql/aggregate.sql, run with DuckDB and with
Apache Spark (local mode) on the GDELT test files, must give exactly the relations.csv that
`georel import gdelt` writes from the same files, with the same options: the same rows, every
field alike.

Run by tools/sql-check (which makes the Python environment and finds Java): `check.py GEOREL`;
then `check.py --demo GEOREL DIR` checks what tools/spark-demo wrote into DIR.
Rows that georel rejects (its rejects.csv) are left out of the SQL's input: the SQL specifies
what becomes of valid rows, and the importer's tests pin which rows are valid. Spark starts
once, for every case.
"""

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import run  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = "tests/fixtures/import/gdelt"
DATA = "tests/data/gdelt"
V2 = f"{FIXTURES}/gdelt2_excerpt.export.CSV"
V1 = f"{FIXTURES}/gdelt1_excerpt.tsv"
REAL_V2 = f"{DATA}/gdelt2_20191024143000.export.CSV"
REAL_V1 = f"{DATA}/gdelt1_reed9999_sample_events.tsv"

# (name, files, georel options, SQL parameters, whether Spark runs it too). Together the real
# files and the excerpts repeat event ids across files (the excerpts are copies of real rows):
# the first met counts. Spark runs the cases over every file (each query is some forty
# stages, seconds each in local mode); DuckDB runs them all.
CASES = [
    ("gdelt 2.0 excerpt", [V2], [], {}, False),
    ("gdelt 1.0 excerpt", [V1], [], {}, False),
    ("every file", [V2, V1, REAL_V2, REAL_V1], [], {}, True),
    ("every file, --gap 30 --min-events 2", [V2, V1, REAL_V2, REAL_V1], ["--gap", "30", "--min-events", "2"],
     {"gap": 30, "min_events": 2}, True),
    ("every file, --gap 0", [REAL_V1, REAL_V2, V1, V2], ["--gap", "0"], {"gap": 0}, False),
    ("every file, --root-only --min-sources 2 --min-articles 2", [V2, V1, REAL_V2, REAL_V1],
     ["--root-only", "--min-sources", "2", "--min-articles", "2"],
     {"root_only": True, "min_sources": 2, "min_articles": 2}, False),
    ("every file, --min-articles 2", [REAL_V2, V2, REAL_V1, V1], ["--min-articles", "2"], {"min_articles": 2}, False),
]


def takes_evidence(georel):
    """Whether this georel samples evidence (`--evidence N`, the two-stage importer); before
    it, a relation cites every event, which is the specification with no bound on N."""
    shown = subprocess.run([georel, "import", "--help"], capture_output=True, text=True, check=True).stdout
    return "--evidence" in shown


def georel_import(georel, files, options, out):
    subprocess.run(
        [georel, "import", "gdelt", *files, "--out", str(out), *options],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    with open(out / "relations.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def as_text(rows):
    return [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows]


def compare(name, engine, expected, got):
    if expected == got:
        return True
    print(f"sql-check: {name}: {engine} differs from georel import ({len(got)} relations, georel {len(expected)}):")
    shown = 0
    keys = {r["id"]: r for r in got}
    for row in expected:
        other = keys.get(row["id"])
        if other != row and shown < 5:
            print(f"  georel: {row}\n  {engine}: {other}")
            shown += 1
    missing = {r["id"] for r in got} - {r["id"] for r in expected}
    if missing:
        print(f"  only in {engine}: {sorted(missing)[:5]}")
    return False


def demo(georel, folder):
    """tools/spark-demo's relations.parquet in `folder` (Spark, on the real GDELT 2.0 file) against
    georel's import of the same file, row by row."""
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory(prefix="georel-sql-demo.") as tmp:
        expected = georel_import(georel, [REAL_V2], [], Path(tmp) / "import")
    got = as_text(pq.read_table(Path(folder) / "relations.parquet").to_pylist())
    if not takes_evidence(georel):
        print("sql-check: spark-demo: this georel cites every event (no --evidence): evidence not compared")
        expected = [{k: v for k, v in r.items() if k != "evidence"} for r in expected]
        got = [{k: v for k, v in r.items() if k != "evidence"} for r in got]
    agree = bool(expected) and compare("spark-demo", "Spark", expected, got)
    print(f"sql-check: spark-demo: relations.parquet, {len(got)} relations, {'agrees' if agree else 'DIFFERS'}")
    return agree


def main(georel):
    georel = str(Path(georel).resolve())
    sampled = takes_evidence(georel)
    cases = list(CASES)
    if sampled:
        cases.append(
            ("every file, --evidence 2", [V2, V1, REAL_V2, REAL_V1], ["--evidence", "2"], {"evidence": 2}, True)
        )
    else:
        print("sql-check: this georel cites every event of a relation (no --evidence): the SQL runs with no bound on N")
    spark = None
    ok = True
    with tempfile.TemporaryDirectory(prefix="georel-sql-check.") as tmp:
        tmp = Path(tmp)
        for i, (name, files, options, params, on_spark) in enumerate(cases):
            out = tmp / f"case{i}"
            expected = georel_import(georel, files, options, out)
            if not sampled:
                params = {**params, "evidence": 10**9}
            parquet = tmp / f"case{i}.parquet"
            run.write_parquet(run.gdelt_rows(files, run.rejected_lines(out / "rejects.csv")), parquet)
            started = time.monotonic()
            got = as_text(run.duckdb_relations(parquet, **params))
            agree = compare(name, "DuckDB", expected, got)
            duck = time.monotonic() - started
            if not expected:
                print(f"sql-check: {name}: georel imported nothing; the case proves nothing")
                agree = False
            if not on_spark:
                print(f"sql-check: {name}: {len(expected)} relations, DuckDB {'agrees' if agree else 'DIFFERS'} ({duck:.1f} s)")
                ok &= agree
                continue
            if spark is None:
                started = time.monotonic()
                spark = run.spark_session()
                spark.sparkContext.setLogLevel("ERROR")
                print(f"sql-check: Spark started in {time.monotonic() - started:.1f} s")
            started = time.monotonic()
            got = as_text(run.spark_relations(spark, parquet, **params))
            agree = compare(name, "Spark", expected, got) and agree
            print(
                f"sql-check: {name}: {len(expected)} relations, DuckDB and Spark "
                f"{'agree' if agree else 'DIFFER'} ({duck:.1f} s, {time.monotonic() - started:.1f} s)"
            )
            ok &= agree
    if spark is not None:
        spark.stop()
    return ok


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--demo":
        sys.exit(0 if demo(sys.argv[2], sys.argv[3]) else 1)
    if len(sys.argv) != 2:
        raise SystemExit("usage: check.py GEOREL_BINARY | check.py --demo GEOREL_BINARY DEMO_DIR")
    sys.exit(0 if main(sys.argv[1]) else 1)
