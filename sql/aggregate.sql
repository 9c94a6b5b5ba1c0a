-- georel's aggregation of coded events into dated relations, in portable SQL.
--
-- This file is the specification of `georel import gdelt`'s two stages (README, "From events
-- to relations"): stage A reduces events to one row per (source, target, kind, day), stage B
-- joins each pair's days into runs with the gap rule and writes one relation per run. The
-- importer is its fast embedded implementation; `tools/sql-check` (run by `tools/test`, hence
-- CI) runs this file with DuckDB and with Apache Spark on the importer's test files and checks
-- that both give exactly georel's own relations.csv. README, "When one machine is not enough",
-- says how to run it on a Spark cluster or on BigQuery's public GDELT tables and load the
-- result (`relations.parquet`) with georel.
--
-- How to run it. The input is a table `gdelt` with GDELT's event columns under GDELT's names
-- and types (as in BigQuery's `gdelt-bq.gdeltv2.events`): GLOBALEVENTID, SQLDATE (integer
-- YYYYMMDD), Actor1CountryCode, Actor2CountryCode, IsRootEvent, EventCode (text, '010' to
-- '204'), GoldsteinScale, NumSources, NumArticles, SOURCEURL; and a column `seq`, the row's
-- place in the input (file order, then line; any increasing number), which decides which row
-- of a repeated GLOBALEVENTID counts. Rows must be valid as the importer checks them (README,
-- "Bad rows"): BigQuery's tables are; from raw files, leave out what `georel import` rejects,
-- or give such a row's GLOBALEVENTID alone (its other columns NULL): the importer meets its
-- id (a later row with it is a duplicate), and it makes no event.
-- Two more tables are the importer's own, read from the same files (sql/run.py loads them;
-- on BigQuery, load the two CSV files as tables, leaving out their `#` comment lines):
-- `cameo_map` (code, kind), src/import/cameo_map.csv, which CAMEO codes make which relation
-- (README, "What the events mean"), and `country_ids` (scheme, code, id, kind: the file's
-- columns, its first, `from`, renamed, a reserved word), src/import/country_ids.csv, whose
-- `cameo` lines give the ISO 3166-1 alpha-3 id of the
-- CAMEO codes that are not one (ROM is ROU; regions keep their code).
-- The statement is one SELECT giving the relations.csv columns. The parameters are the one
-- `params` row below: `--gap`, `--evidence`, `--min-events`, the id prefix and the quality
-- filters `--root-only` (1 or 0), `--min-sources`, `--min-articles`; edit them there. One construct is not written alike by every engine, the ordered string aggregate:
-- the standard `LISTAGG(x, ';') WITHIN GROUP (ORDER BY k)` below is Spark's (and Oracle's,
-- Snowflake's, Db2's); DuckDB, BigQuery and PostgreSQL write it `STRING_AGG(x, ';' ORDER BY
-- k)` (sql/run.py makes that one substitution for DuckDB). Everything else is plain SQL:
-- window functions (LAG over each pair's days, a running SUM to number the runs), days as
-- integers (days since 1970-01-01), integer arithmetic for every number written.
--
-- Actors are countries (the importer's default `--actors country`), under their ISO ids.

WITH params AS (
  SELECT 7 AS gap, 5 AS evidence, 1 AS min_events, 'gdelt' AS prefix, 0 AS root_only, 0 AS min_sources, 0 AS min_articles
),

-- A row whose event id was met before is a duplicate, whatever else it is: the first row met
-- (by `seq`) decides, even one that makes no event (skipped below, or rejected).
first_rows AS (
  SELECT *
  FROM (SELECT g.*, ROW_NUMBER() OVER (PARTITION BY GLOBALEVENTID ORDER BY seq) AS nth FROM gdelt g) t
  WHERE nth = 1
),

-- An event's kind: the CAMEO map's longest code that starts its EventCode.
meanings AS (
  SELECT GLOBALEVENTID, kind
  FROM (
    SELECT f.GLOBALEVENTID, m.kind,
      ROW_NUMBER() OVER (PARTITION BY f.GLOBALEVENTID ORDER BY LENGTH(m.code) DESC) AS best
    FROM first_rows f
    JOIN cameo_map m ON SUBSTR(f.EventCode, 1, LENGTH(m.code)) = m.code
  ) t
  WHERE best = 1
),

-- GDELT rows into events (README, "Working with GDELT, ICEWS and COW data"): countries under
-- their ISO ids; a row without a country on either side, with the same actor on both, mapped
-- to `skip`, or failing a quality filter, is skipped.
gdelt_rows AS (
  SELECT
    'gdelt:' || CAST(f.GLOBALEVENTID AS STRING) AS event_id,
    COALESCE(c1.id, f.Actor1CountryCode) AS source,
    COALESCE(c2.id, f.Actor2CountryCode) AS target,
    k.kind,
    CAST(FLOOR(SQLDATE / 10000) AS BIGINT) AS y,
    MOD(CAST(FLOOR(SQLDATE / 100) AS BIGINT), 100) AS m,
    MOD(SQLDATE, 100) AS d,
    GoldsteinScale AS score,
    COALESCE(NumSources, 0) AS sources,
    COALESCE(NumArticles, 0) AS articles,
    COALESCE(SOURCEURL, '') AS url
  FROM first_rows f
  CROSS JOIN params
  JOIN meanings k ON k.GLOBALEVENTID = f.GLOBALEVENTID
  LEFT JOIN country_ids c1 ON c1.scheme = 'cameo' AND c1.code = f.Actor1CountryCode
  LEFT JOIN country_ids c2 ON c2.scheme = 'cameo' AND c2.code = f.Actor2CountryCode
  WHERE f.Actor1CountryCode IS NOT NULL AND f.Actor1CountryCode <> ''
    AND f.Actor2CountryCode IS NOT NULL AND f.Actor2CountryCode <> ''
    AND COALESCE(c1.id, f.Actor1CountryCode) <> COALESCE(c2.id, f.Actor2CountryCode)
    AND k.kind <> 'skip'
    AND (root_only = 0 OR IsRootEvent = 1)
    AND COALESCE(NumSources, 0) >= min_sources
    AND COALESCE(NumArticles, 0) >= min_articles
),

events AS (
  SELECT
    event_id, source, target, kind, score, sources, articles, url,
    -- Days since 1970-01-01 (Howard Hinnant's days_from_civil, in integers).
    era * 146097 + yoe * 365 + CAST(FLOOR(yoe / 4) AS BIGINT) - CAST(FLOOR(yoe / 100) AS BIGINT)
      + CAST(FLOOR((153 * MOD(m + 9, 12) + 2) / 5) AS BIGINT) + d - 1 - 719468 AS day
  FROM (
    SELECT r.*, yy - era * 400 AS yoe
    FROM (
      SELECT r.*, CAST(FLOOR(yy / 400) AS BIGINT) AS era
      FROM (SELECT g.*, y - CASE WHEN m <= 2 THEN 1 ELSE 0 END AS yy FROM gdelt_rows g) r
    ) r
  ) r
),

-- Stage A: one row per (source, target, kind, day): the number of events, the sum of their
-- scores in exact integer millionths and how many had one.
pair_days AS (
  SELECT
    source, target, kind, day,
    COUNT(*) AS events,
    SUM(CASE WHEN score IS NULL THEN 0 ELSE CAST(ROUND(score * 1000000) AS BIGINT) END) AS goldstein_sum,
    SUM(CASE WHEN score IS NULL THEN 0 ELSE 1 END) AS goldstein_count
  FROM events
  GROUP BY source, target, kind, day
),

-- Stage A's evidence sample: the `evidence` best-attested events of each pair-day, by number
-- of sources, then articles (more first), then id (shorter first, then byte order: numeric
-- order for GDELT's ids). The others are only counted, in `events`.
pair_day_sample AS (
  SELECT source, target, kind, day, event_id, sources, articles
  FROM (
    SELECT e.*, ROW_NUMBER() OVER (
      PARTITION BY source, target, kind, day
      ORDER BY sources DESC, articles DESC, LENGTH(event_id), event_id
    ) AS place
    FROM events e
  ) s CROSS JOIN params
  WHERE place <= evidence
),

-- Stage B: a day more than max(gap, 1) days after the pair's previous day starts a run; the
-- running sum of those starts numbers the runs.
starts AS (
  SELECT
    p.*,
    CASE
      WHEN LAG(day) OVER (PARTITION BY source, target, kind ORDER BY day) IS NULL THEN 1
      WHEN day - LAG(day) OVER (PARTITION BY source, target, kind ORDER BY day) > GREATEST(gap, 1) THEN 1
      ELSE 0
    END AS starts_run
  FROM pair_days p CROSS JOIN params
),
numbered AS (
  SELECT
    s.*,
    SUM(starts_run) OVER (
      PARTITION BY source, target, kind ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS run
  FROM starts s
),
runs AS (
  SELECT
    source, target, kind, run,
    MIN(day) AS first_day,
    MAX(day) + 1 AS end_day,
    SUM(events) AS events,
    SUM(goldstein_sum) AS goldstein_sum,
    SUM(goldstein_count) AS goldstein_count
  FROM numbered
  GROUP BY source, target, kind, run
),

-- A run's evidence: the best `evidence` events of its days' samples, listed in id order.
run_sample AS (
  SELECT source, target, kind, run, event_id,
    ROW_NUMBER() OVER (PARTITION BY source, target, kind, run ORDER BY LENGTH(event_id), event_id) AS pos
  FROM (
    SELECT n.source, n.target, n.kind, n.run, s.event_id,
      ROW_NUMBER() OVER (
        PARTITION BY n.source, n.target, n.kind, n.run
        ORDER BY s.sources DESC, s.articles DESC, LENGTH(s.event_id), s.event_id
      ) AS place
    FROM numbered n
    JOIN pair_day_sample s
      ON s.source = n.source AND s.target = n.target AND s.kind = n.kind AND s.day = n.day
  ) ranked CROSS JOIN params
  WHERE place <= evidence
),
evidence AS (
  SELECT source, target, kind, run,
    LISTAGG(event_id, ';') WITHIN GROUP (ORDER BY pos) AS evidence
  FROM run_sample
  GROUP BY source, target, kind, run
),

-- A run's distinct articles (by SOURCEURL; events without one add none). Stage A keeps each
-- pair-day's set of articles, not a count, so that this is a distinct count over the run.
run_articles AS (
  SELECT n.source, n.target, n.kind, n.run, COUNT(DISTINCT e.url) AS articles
  FROM numbered n
  JOIN events e ON e.source = n.source AND e.target = n.target AND e.kind = n.kind AND e.day = n.day
  WHERE e.url <> ''
  GROUP BY n.source, n.target, n.kind, n.run
),

-- Days back into dates (Howard Hinnant's civil_from_days, in integers), for the ids and the
-- start and end of each run.
day_numbers AS (
  SELECT first_day AS n FROM runs UNION SELECT end_day AS n FROM runs
),
civil_1 AS (
  SELECT n, z - era * 146097 AS doe, era
  FROM (SELECT n, n + 719468 AS z, CAST(FLOOR((n + 719468) / 146097) AS BIGINT) AS era FROM day_numbers) t
),
civil_2 AS (
  SELECT n, doe, era,
    CAST(FLOOR((doe - CAST(FLOOR(doe / 1460) AS BIGINT) + CAST(FLOOR(doe / 36524) AS BIGINT)
      - CAST(FLOOR(doe / 146096) AS BIGINT)) / 365) AS BIGINT) AS yoe
  FROM civil_1
),
civil_3 AS (
  SELECT n, era, yoe,
    doe - (365 * yoe + CAST(FLOOR(yoe / 4) AS BIGINT) - CAST(FLOOR(yoe / 100) AS BIGINT)) AS doy
  FROM civil_2
),
civil_4 AS (
  SELECT n, era, yoe, doy, CAST(FLOOR((5 * doy + 2) / 153) AS BIGINT) AS mp FROM civil_3
),
dates AS (
  SELECT n,
    LPAD(CAST(yoe + era * 400 + CASE WHEN mp >= 10 THEN 1 ELSE 0 END AS STRING), 4, '0') || '-'
      || LPAD(CAST(CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END AS STRING), 2, '0') || '-'
      || LPAD(CAST(doy - CAST(FLOOR((153 * mp + 2) / 5) AS BIGINT) + 1 AS STRING), 2, '0') AS text
  FROM civil_4
),

-- The mean score: |sum| / count rounded to hundredths, half away from zero, in integers; a
-- minus sign unless it rounds to zero.
means AS (
  SELECT r.*,
    CAST(FLOOR((2 * ABS(goldstein_sum) + goldstein_count * 10000) / (2 * goldstein_count * 10000)) AS BIGINT)
      AS hundredths
  FROM runs r
  WHERE goldstein_count > 0
)

SELECT
  prefix || '-' || r.source || '-' || r.target || '-' || r.kind || '-' || s.text AS id,
  r.source,
  r.target,
  r.kind,
  s.text AS start,
  e.text AS end,
  'true' AS directed,
  v.evidence,
  CAST(r.events AS STRING) || ' ' || r.kind || ' event' || CASE WHEN r.events = 1 THEN '' ELSE 's' END
    || CASE
      WHEN a.articles IS NULL OR a.articles = 0 THEN ''
      WHEN a.articles = 1 THEN ' from 1 article'
      ELSE ' from ' || CAST(a.articles AS STRING) || ' articles'
    END
    || CASE
      WHEN m.hundredths IS NULL THEN ''
      ELSE ', mean Goldstein ' || CASE WHEN r.goldstein_sum < 0 AND m.hundredths > 0 THEN '-' ELSE '' END
        || CAST(CAST(FLOOR(m.hundredths / 100) AS BIGINT) AS STRING) || '.'
        || LPAD(CAST(MOD(m.hundredths, 100) AS STRING), 2, '0')
    END AS summary
FROM runs r
CROSS JOIN params
JOIN dates s ON s.n = r.first_day
JOIN dates e ON e.n = r.end_day
JOIN evidence v ON v.source = r.source AND v.target = r.target AND v.kind = r.kind AND v.run = r.run
LEFT JOIN means m ON m.source = r.source AND m.target = r.target AND m.kind = r.kind AND m.run = r.run
LEFT JOIN run_articles a ON a.source = r.source AND a.target = r.target AND a.kind = r.kind AND a.run = r.run
WHERE r.events >= min_events
ORDER BY r.source, r.target, r.first_day, id
