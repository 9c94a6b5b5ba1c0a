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

# The GDELT columns the SQL reads (0-based, the same in 1.0 and 2.0), and their types as in
# BigQuery's public tables.
COLUMNS = [
    ("GLOBALEVENTID", 0, int),
    ("SQLDATE", 1, int),
    ("Actor1CountryCode", 7, str),
    ("Actor2CountryCode", 17, str),
    ("EventRootCode", 28, str),
    ("QuadClass", 29, int),
    ("GoldsteinScale", 30, float),
    ("NumSources", 32, int),
    ("NumArticles", 33, int),
]

PARAMS_LINE = re.compile(r"SELECT \d+ AS gap, \d+ AS evidence, \d+ AS min_events, '[^']*' AS prefix")
# The aggregate itself, not its mention in the header's comment.
LISTAGG = re.compile(r"LISTAGG\((\w+), ';'\) WITHIN GROUP \(ORDER BY (\w+)\) AS")


def sql(engine, gap=7, evidence=5, min_events=1, prefix="gdelt"):
    """The statement, with its parameters set, in the engine's spelling of the ordered string
    aggregate (the one construct that DuckDB and Spark write differently)."""
    text = SQL_FILE.read_text(encoding="utf-8")
    line = f"SELECT {int(gap)} AS gap, {int(evidence)} AS evidence, {int(min_events)} AS min_events, '{prefix}' AS prefix"
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


def gdelt_rows(paths, rejected=frozenset()):
    """The rows of GDELT event files as typed columns (a dict of lists, with `seq`), leaving
    out blank lines and the rows in `rejected` ((file as given, line) pairs, as georel's
    rejects.csv names them)."""
    data = {name: [] for name, _, _ in COLUMNS}
    data["seq"] = []
    seq = 0
    for path in paths:
        with open(path, "rb") as f:
            for line_no, raw in enumerate(f.read().split(b"\n"), start=1):
                raw = raw.rstrip(b"\r")
                if not raw.strip(b" \t") and b"\t" not in raw:
                    continue
                if (str(path), line_no) in rejected:
                    continue
                fields = raw.decode("utf-8", "replace").split("\t")
                for name, index, kind in COLUMNS:
                    text = fields[index].strip() if index < len(fields) else ""
                    data[name].append(kind(text) if text else None)
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


def duckdb_relations(parquet, **params):
    """The relations (a list of dicts, relations.csv's columns) from DuckDB."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE VIEW gdelt AS SELECT * FROM read_parquet('{parquet}')")
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
            import duckdb

            con = duckdb.connect()
            con.execute(f"CREATE VIEW gdelt AS SELECT * FROM read_parquet('{staged}')")
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
