"""Runs sql/aggregate.sql, the specification of georel's event aggregation, with DuckDB or
Apache Spark, on GDELT event files.

Used by tools/sql-check (the check that both engines give exactly georel's own import),
tools/spark-demo (the cluster path in local mode) and bench/duckdb_import.py (the benchmark).
As a script: `python sql/run.py duckdb|spark OUT.parquet GDELT_FILE...` writes the relations as
Parquet, for `georel` to read as `relations.parquet`.
"""

import csv
import os
import re
import shutil
import sys
from pathlib import Path

SQL_FILE = Path(__file__).with_name("aggregate.sql")
ROOT = Path(__file__).resolve().parent.parent
# The importer's own tables, read by the SQL as they are (README, "What the events mean").
CAMEO_MAP = ROOT / "src/import/cameo_map.csv"
COUNTRY_IDS = ROOT / "src/import/country_ids.csv"

# The GDELT columns the SQL reads (0-based; SOURCEURL's place depends on the version), and
# their types as in BigQuery's public tables.
COLUMNS = [
    ("GLOBALEVENTID", 0, int),
    ("SQLDATE", 1, int),
    ("Actor1CountryCode", 7, str),
    ("Actor2CountryCode", 17, str),
    ("IsRootEvent", 25, int),
    ("EventCode", 26, str),
    ("GoldsteinScale", 30, float),
    ("NumSources", 32, int),
    ("NumArticles", 33, int),
    ("SOURCEURL", None, str),
]


def url_column(fields):
    """SOURCEURL's column: 60 in GDELT 2.0 (61 columns), 57 in 1.0's daily files (58); the
    1.0 backfile (57 columns) has none."""
    return {61: 60, 58: 57}.get(len(fields))


PARAMS_LINE = re.compile(
    r"SELECT \d+ AS gap, \d+ AS evidence, \d+ AS min_events, '[^']*' AS prefix, \d+ AS root_only, "
    r"\d+ AS min_sources, \d+ AS min_articles"
)
# The aggregate itself, not its mention in the header's comment.
LISTAGG = re.compile(r"LISTAGG\((\w+), ';'\) WITHIN GROUP \(ORDER BY (\w+)\) AS")


def sql(engine, gap=7, evidence=5, min_events=1, prefix="gdelt", root_only=False, min_sources=0, min_articles=0):
    """The statement, with its parameters set, in the engine's spelling of the ordered string
    aggregate (the one construct that DuckDB and Spark write differently)."""
    text = SQL_FILE.read_text(encoding="utf-8")
    line = (
        f"SELECT {int(gap)} AS gap, {int(evidence)} AS evidence, {int(min_events)} AS min_events, '{prefix}' AS prefix, "
        f"{int(bool(root_only))} AS root_only, {int(min_sources)} AS min_sources, {int(min_articles)} AS min_articles"
    )
    text, n = PARAMS_LINE.subn(line, text)
    if n != 1:
        raise SystemExit(f"{SQL_FILE}: the params row was not found once")
    if engine == "duckdb":
        text, n = LISTAGG.subn(r"STRING_AGG(\1, ';' ORDER BY \2) AS", text)
        if n != 1:
            raise SystemExit(f"{SQL_FILE}: the LISTAGG aggregate was not found once")
    # Only the comments before the statement: engines differ in what they accept after it.
    return text.strip().rstrip(";")


def rejected_lines(rejects_csv):
    """(file, line) of every row that `georel import` rejected, from its rejects.csv."""
    if not rejects_csv or not Path(rejects_csv).exists():
        return set()
    with open(rejects_csv, newline="", encoding="utf-8") as f:
        return {(row["file"], int(row["line"])) for row in csv.DictReader(f)}


def csv_rows(path):
    """The rows of one of the importer's CSV tables (its `#` comment lines left out)."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def cameo_map(path=CAMEO_MAP):
    """The `cameo_map` table's columns (code, kind) from a CAMEO map file (`--cameo-map`'s
    format: the header names code and kind, in any order and case)."""
    rows = [{k.strip().lower(): (v or "").strip() for k, v in row.items() if k} for row in csv_rows(path)]
    return {"code": [r["code"] for r in rows], "kind": [r["kind"].lower() for r in rows]}


def country_ids(path=COUNTRY_IDS):
    """The `country_ids` table's columns (scheme, code, id, kind): the file's, `from` renamed."""
    rows = csv_rows(path)
    return {
        "scheme": [r["from"] for r in rows],
        "code": [r["code"] for r in rows],
        "id": [r["id"] for r in rows],
        "kind": [r["kind"] for r in rows],
    }


def event_id(text):
    """GLOBALEVENTID as the importer reads it (digits, at most u64), or None."""
    text = text.strip()
    if text and text.isascii() and text.isdigit() and int(text) < 2**64:
        return int(text)
    return None


def typed(kind, text):
    """A cell as its column's type; None when empty, or not of that type: such a row is one
    georel rejects (in rejects.csv, given as its id alone) or a duplicate of a row met before,
    whose other cells do not count."""
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        return None


def gdelt_rows(paths, rejected=frozenset()):
    """The rows of GDELT event files as typed columns (a dict of lists, with `seq`), leaving
    out blank lines. The rows in `rejected` ((file as given, line) pairs, as georel's
    rejects.csv names them) keep their GLOBALEVENTID alone, when it is one: georel meets the
    id of a row it rejects (a later row with it is a duplicate); the others are left out."""
    data = {name: [] for name, _, _ in COLUMNS}
    data["seq"] = []
    seq = 0
    for path in paths:
        with open(path, "rb") as f:
            for line_no, raw in enumerate(f.read().split(b"\n"), start=1):
                raw = raw.rstrip(b"\r")
                if not raw.strip(b" \t") and b"\t" not in raw:
                    continue
                fields = raw.decode("utf-8", "replace").split("\t")
                if (str(path), line_no) in rejected:
                    found = event_id(fields[0])
                    if found is None:
                        continue
                    for name, _, _ in COLUMNS:
                        data[name].append(found if name == "GLOBALEVENTID" else None)
                    data["seq"].append(seq)
                    seq += 1
                    continue
                for name, index, kind in COLUMNS:
                    if index is None:
                        index = url_column(fields)
                    text = fields[index].strip() if index is not None and index < len(fields) else ""
                    data[name].append(typed(kind, text))
                data["seq"].append(seq)
                seq += 1
    return data


def arrow_table(data):
    import pyarrow as pa

    types = {int: pa.int64(), str: pa.string(), float: pa.float64()}
    fields = [pa.field(name, types[kind]) for name, _, kind in COLUMNS] + [pa.field("seq", pa.int64())]
    return pa.table(data, schema=pa.schema(fields))


def write_parquet(data, path):
    import pyarrow.parquet as pq

    pq.write_table(arrow_table(data), path)


def tables():
    """The importer's tables the SQL reads, as Arrow tables, by name."""
    import pyarrow as pa

    return {"cameo_map": pa.table(cameo_map()), "country_ids": pa.table(country_ids())}


def duckdb_connect(parquet):
    """A DuckDB connection with the input as `gdelt` and the importer's tables."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE VIEW gdelt AS SELECT * FROM read_parquet('{parquet}')")
    for name, table in tables().items():
        con.register(name, table)
    return con


def duckdb_relations(parquet, **params):
    """The relations (a list of dicts, relations.csv's columns) from DuckDB."""
    con = duckdb_connect(parquet)
    cursor = con.execute(sql("duckdb", **params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def spark_session():
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .appName("georel-sql")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.default.parallelism", "1")
        .config("spark.driver.memory", os.environ.get("GEOREL_SPARK_MEMORY", "1g"))
        .getOrCreate()
    )


def spark_frame(spark, parquet, **params):
    spark.read.parquet(str(parquet)).createOrReplaceTempView("gdelt")
    for name, table in tables().items():
        spark.createDataFrame(table.to_pylist()).createOrReplaceTempView(name)
    return spark.sql(sql("spark", **params))


def spark_relations(spark, parquet, **params):
    return [row.asDict() for row in spark_frame(spark, parquet, **params).collect()]


def main(argv):
    if len(argv) < 3 or argv[0] not in ("duckdb", "spark"):
        raise SystemExit("usage: run.py duckdb|spark OUT.parquet GDELT_FILE... (rows as georel reads them)")
    engine, out, files = argv[0], Path(argv[1]), argv[2:]
    staged = out.with_name(out.name + ".input.parquet")
    write_parquet(gdelt_rows(files), staged)
    try:
        if engine == "duckdb":
            con = duckdb_connect(staged)
            con.execute(f"COPY ({sql('duckdb')}) TO '{out}' (FORMAT PARQUET)")
        else:
            spark = spark_session()
            frame = spark_frame(spark, staged)
            # One file, as georel reads it: the relations are few beside the events.
            written = Path(str(out) + ".dir")
            frame.coalesce(1).write.mode("overwrite").parquet(str(written))
            os.replace(next(written.glob("part-*.parquet")), out)
            shutil.rmtree(written)
    finally:
        staged.unlink(missing_ok=True)


if __name__ == "__main__":
    main(sys.argv[1:])
