#!/usr/bin/env bash
# georel import against DuckDB running the same aggregation (sql/aggregate.sql) on the same
# GDELT files, one after the other in one run (BENCHMARKS.md, "Issue 17", "Against DuckDB").
#
#   bench/against_duckdb.sh GEOREL SCRATCH_DIR GDELT_FILE...
#
# Each side reads the files and writes relations.csv (georel also actors.csv and sources.csv)
# into SCRATCH_DIR; wall time, CPU time (user + sys) and peak memory come from /usr/bin/time.
# The Python environment is tools/sql-check's (DuckDB pinned in sql/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
georel="$1" scratch="$2"
shift 2
python="$(tools/sql-check --env)"
mkdir -p "$scratch"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
/usr/bin/time -f "georel: wall %e s, user %U s, sys %S s, peak %M KB" \
  "$georel" import gdelt "$@" --out "$scratch/georel" >/dev/null
/usr/bin/time -f "duckdb: wall %e s, user %U s, sys %S s, peak %M KB" \
  "$python" bench/duckdb_import.py "$scratch/duckdb" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
wc -l "$scratch/georel/relations.csv" "$scratch/duckdb/relations.csv" >&2
