//! `georel bench`: the peer benchmark's tasks T1–T6 (bench/README.md) in one process, with
//! the peer scripts' arguments and output (`TASK seconds key=value…`, then `PEAK_RSS_MiB`), so
//! that bench/compare.sh can time georel beside raphtory, networkx and igraph and check that
//! the answers agree. The semantics are the peers' (bench/common.py): a relation holds on D
//! when start ≤ D < end; T2g–T4 work on the simple undirected graph of the day.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::{json, Map, Value};

use georel::date::{parse_day, Day};
use georel::export::atomic;
use georel::model::{Dataset, RelationKind};
use georel::query::simple::DayGraph;
use georel::timeline::Hits;

use super::Exit;
use crate::plan::BenchPlan;

/// Prints one task's line and keeps its results for the JSON file.
struct Report {
    tasks: Map<String, Value>,
}

impl Report {
    fn line(&mut self, task: &str, started: Instant, results: &[(&str, Value)]) {
        let secs = started.elapsed().as_secs_f64();
        let shown: Vec<String> =
            results.iter().filter(|(_, v)| !v.is_array()).map(|(k, v)| format!("{k}={}", plain(v))).collect();
        println!("{task} {secs:.4} {}", shown.join(" "));
        let mut entry = Map::new();
        entry.insert("secs".into(), json!((secs * 1e6).round() / 1e6));
        for (k, v) in results {
            entry.insert((*k).into(), v.clone());
        }
        self.tasks.insert(task.into(), Value::Object(entry));
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn run(args: &BenchPlan) -> Result<Exit> {
    let day = parse_day(&args.date).map_err(|e| anyhow::anyhow!("invalid date {:?}: {e}", args.date))?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("/tmp/bench").join(crate::plan::bench_out_name(&args.csv)));
    let mut report = Report { tasks: Map::new() };

    // T1: load (parse, validate, intern actors, build the time index).
    let t = Instant::now();
    let ds = georel::load::load_relations(&args.csv)
        .with_context(|| format!("cannot load {}", args.csv.display()))?;
    report.line("T1", t, &[("rows", json!(ds.relations.len())), ("actors", json!(ds.actors.len()))]);

    // T2: the relations holding on the day, by kind, through the time index.
    let t = Instant::now();
    // The hits come in tree order: a bitmap puts them in dataset order in O(n / 64 + k),
    // and each relation is read once, for its kind.
    let mut hits = Hits::new(ds.relations.len());
    let mut by_kind = [0usize; 4];
    ds.timeline().for_each_on(day, |r| {
        hits.insert(r);
        by_kind[ds.relation(r).kind as usize] += 1;
    });
    let holding: Vec<_> = hits.iter().collect();
    let count = |kind: RelationKind| by_kind[kind as usize];
    report.line(
        "T2",
        t,
        &[
            ("cooperation", json!(count(RelationKind::Cooperation))),
            ("restriction", json!(count(RelationKind::Restriction))),
            ("dispute", json!(count(RelationKind::Dispute))),
            ("total", json!(holding.len())),
        ],
    );

    // T2g: the day's simple undirected graph, one edge per pair.
    let t = Instant::now();
    let graph = DayGraph::new(&ds, &holding);
    let nodes = graph.node_count();
    report.line("T2g", t, &[("nodes", json!(nodes)), ("edges", json!(graph.edge_count()))]);

    // T3: the 2-hop neighbourhood of A, and the edges among it.
    let t = Instant::now();
    let a = ds.actor_by_id(&args.actor_a);
    let (n3, e3) = a.map_or((0, 0), |a| graph.ball(a, 2));
    report.line("T3", t, &[("nodes", json!(n3)), ("edges", json!(e3))]);

    // T4: the shortest path length from A to B, by breadth-first search.
    let t = Instant::now();
    let b = ds.actor_by_id(&args.actor_b);
    let length = match (a, b) {
        (Some(a), Some(b)) => graph.distance(a, b),
        _ => -1,
    };
    report.line("T4", t, &[("length", json!(length))]);

    // T5: the holding relations as `source,target,kind`.
    let t = Instant::now();
    atomic::write_file(&out, atomic::Cache::Bypass, |w| write_holding(&ds, &holding, w))?;
    report.line("T5", t, &[("rows", json!(holding.len())), ("path", json!(out.display().to_string()))]);

    // T6: how many hold on each of 50 days, counted by the time index without visiting them.
    let dates = timeline_dates();
    let t = Instant::now();
    let series: Vec<usize> = dates.iter().map(|&d| ds.timeline().count_on(d)).collect();
    report.line(
        "T6",
        t,
        &[
            ("snapshots", json!(series.len())),
            ("sum", json!(series.iter().sum::<usize>())),
            ("max", json!(series.iter().max().copied().unwrap_or(0))),
            ("at_mid", json!(series[series.len() / 2])),
            ("last", json!(series[series.len() - 1])),
            ("series", json!(series)),
        ],
    );

    let peak = peak_rss_mib();
    println!("PEAK_RSS_MiB {peak:.1}");
    if let Some(path) = &args.json {
        let doc = json!({
            "peer": "georel", "csv": args.csv.display().to_string(), "date": args.date,
            "actor_a": args.actor_a, "actor_b": args.actor_b, "tasks": report.tasks, "peak_rss_mib": peak,
        });
        atomic::write_file(path, atomic::Cache::Bypass, |w| {
            serde_json::to_writer_pretty(&mut *w, &doc).map_err(std::io::Error::other)?;
            w.write_all(b"\n")
        })?;
    }
    Ok(Exit::Success)
}

fn write_holding(
    ds: &Dataset,
    holding: &[georel::model::RelationIx],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    // Rows are put together in a buffer of our own and written 64 KiB at a time: six
    // writes per row through `dyn Write` took twice as long.
    let mut buffer: Vec<u8> = Vec::with_capacity(1 << 16);
    buffer.extend_from_slice(b"source,target,kind\n");
    for &r in holding {
        let rel = ds.relation(r);
        for part in [ds.actor(rel.source).id.as_bytes(), b",", ds.actor(rel.target).id.as_bytes(), b","] {
            buffer.extend_from_slice(part);
        }
        buffer.extend_from_slice(rel.kind.as_str().as_bytes());
        buffer.push(b'\n');
        if buffer.len() >= 1 << 16 {
            out.write_all(&buffer)?;
            buffer.clear();
        }
    }
    out.write_all(&buffer)
}

/// The peers' 50 days: from 1946-01-01 to 2026-12-31, day i at floor(i × span / 49).
fn timeline_dates() -> Vec<Day> {
    let (first, last) = (jiff::civil::date(1946, 1, 1), jiff::civil::date(2026, 12, 31));
    let span = first.until(last).map(|s| i64::from(s.get_days())).unwrap_or(0);
    (0..50).filter_map(|i| first.checked_add(jiff::Span::new().days(i * span / 49)).ok()).collect()
}

/// The process's peak resident memory, from /proc (Linux); 0 elsewhere.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fifty_days_are_the_peers() {
        let days = super::timeline_dates();
        assert_eq!(days.len(), 50);
        assert_eq!(days[0].to_string(), "1946-01-01");
        assert_eq!(days[49].to_string(), "2026-12-31");
        // day 1 = 1946-01-01 + floor(29584 / 49) = + 603 days
        assert_eq!(days[1].to_string(), "1947-08-27");
    }
}
