#!/usr/bin/env python3
"""DuckDB running georel's aggregation (sql/aggregate.sql, the same SQL that tools/sql-check
holds to georel's import) end to end on GDELT event files: read the tab-separated files, run
the two stages, write relations.csv. The peer of `georel import gdelt` in BENCHMARKS.md,
"Issue 17", "Against DuckDB".

    python bench/duckdb_import.py OUT_DIR GDELT_FILE...

DuckDB reads the files with its own parallel CSV reader (all cores), every column typed as
GDELT's schema says for the columns the SQL reads and as text for the others. `seq` (which of
two rows with one GLOBALEVENTID counts) is the GLOBALEVENTID itself: in files written in id
order, as GDELT's are and bench/gen_gdelt.py's, that is the input order, without numbering
10 million rows first.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sql"))
import run  # noqa: E402

TYPED = {name: kind for name, _, kind in run.COLUMNS}
INDEX = {index: name for name, index, _ in run.COLUMNS if index is not None}
# SOURCEURL's column depends on the version (sql/run.py, url_column): the files are GDELT 2.0.
INDEX[60] = "SOURCEURL"
SQL_TYPES = {int: "BIGINT", str: "VARCHAR", float: "DOUBLE"}


def main(out, files):
    import duckdb

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    columns = {}
    for i in range(61):
        name = INDEX.get(i, f"c{i}")
        columns[name] = SQL_TYPES[TYPED[name]] if name in TYPED else "VARCHAR"
    spec = "{" + ", ".join(f"'{k}': '{v}'" for k, v in columns.items()) + "}"
    paths = "[" + ", ".join(f"'{f}'" for f in files) + "]"
    con = duckdb.connect()
    # The importer's tables the SQL joins (the CAMEO map, the country ids), as sql-check has them.
    for name, table in run.tables().items():
        con.register(name, table)
    started = time.monotonic()
    con.execute(
        f"CREATE VIEW gdelt AS SELECT *, GLOBALEVENTID AS seq FROM read_csv({paths}, delim='\\t', header=false, "
        f"quote='', escape='', auto_detect=false, columns={spec})"
    )
    con.execute(f"COPY ({run.sql('duckdb')}) TO '{out / 'relations.csv'}' (HEADER, DELIMITER ',')")
    n = con.execute(f"SELECT count(*) FROM read_csv('{out / 'relations.csv'}')").fetchone()[0]
    print(f"duckdb {duckdb.__version__}: {n} relations in {time.monotonic() - started:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2:])
