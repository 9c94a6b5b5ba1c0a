//! `georel bench`: the shared peer benchmark's tasks T1–T6 in one process, with the peer
//! scripts' arguments and output (`TASK seconds key=value…`, then `PEAK_RSS_MiB`), so that
//! bench/compare.sh can time georel beside raphtory, networkx and igraph and check that the
//! answers agree. The semantics are the peers' (../shared/bench/common.py): a relation holds
//! on D when start ≤ D < end; T2g–T4 work on the simple undirected graph of the day.

use std::collections::VecDeque;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use petgraph::csr::Csr;
use serde_json::{json, Map, Value};

use georel::date::{parse_day, Day};
use georel::export::atomic;
use georel::model::{Dataset, RelationKind};

/// The day's simple undirected graph: actors by index, each pair stored in both directions.
type Graph = Csr<(), (), petgraph::Directed, u32>;

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
    let out = args.out.clone().unwrap_or_else(|| {
        let name =
            args.csv.file_name().map_or_else(|| "relations.csv".into(), |n| n.to_string_lossy().into_owned());
        PathBuf::from(format!("/tmp/bench/out_georel_{name}"))
    });
    let mut report = Report { tasks: Map::new() };

    // T1: load (parse, validate, intern actors, build the time index).
    let t = Instant::now();
    let ds = georel::load::load_relations(&args.csv)
        .with_context(|| format!("cannot load {}", args.csv.display()))?;
    report.line("T1", t, &[("rows", json!(ds.relations.len())), ("actors", json!(ds.actors.len()))]);

    // T2: the relations holding on the day, by kind, through the time index.
    let t = Instant::now();
    let mut holding = Vec::new();
    ds.timeline.for_each_on(day, |r| {
        if ds.relation(r).span.status_on(day).is_some() {
            holding.push(r);
        }
    });
    holding.sort_unstable();
    let count = |kind| holding.iter().filter(|&&r| ds.relation(r).kind == kind).count();
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
    let mut pairs: Vec<(u32, u32)> = holding
        .iter()
        .map(|&r| {
            let rel = ds.relation(r);
            let (a, b) = (rel.source.0, rel.target.0);
            (a.min(b), a.max(b))
        })
        .filter(|(a, b)| a != b)
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    // Stored compressed (CSR: each node's neighbours in one slice), both directions of each
    // pair: the breadth-first searches of T3 and T4 then read contiguous memory. (A petgraph
    // `UnGraph`, whose edge lists are linked, made T4 take 0.5 s at 10M.)
    let graph: Graph = {
        // Both directions in order, by a counting sort on the first actor: `pairs` is sorted, so
        // each actor's neighbours arrive in ascending order (those below it, then above it).
        let mut next = vec![0usize; ds.actors.len() + 1];
        for &(a, b) in &pairs {
            next[a as usize + 1] += 1;
            next[b as usize + 1] += 1;
        }
        for i in 1..next.len() {
            next[i] += next[i - 1];
        }
        let mut both = vec![(0u32, 0u32); 2 * pairs.len()];
        for &(a, b) in &pairs {
            for (from, to) in [(a, b), (b, a)] {
                both[next[from as usize]] = (from, to);
                next[from as usize] += 1;
            }
        }
        let mut g = Graph::from_sorted_edges(&both).expect("the edges are sorted");
        while g.node_count() < ds.actors.len() {
            g.add_node(());
        }
        g
    };
    let nodes = (0..graph.node_count() as u32).filter(|&n| !graph.neighbors_slice(n).is_empty()).count();
    report.line("T2g", t, &[("nodes", json!(nodes)), ("edges", json!(pairs.len()))]);

    // T3: the 2-hop neighbourhood of A, and the edges among it.
    let t = Instant::now();
    let a = ds.actor_by_id(&args.actor_a);
    let (n3, e3) = match a {
        Some(a) if !graph.neighbors_slice(a.0).is_empty() => {
            let ball = within(&graph, a.0, 2);
            let inside = |n: u32| ball[n as usize];
            let members: Vec<u32> = (0..graph.node_count() as u32).filter(|&n| inside(n)).collect();
            let edges: usize = members
                .iter()
                .map(|&n| graph.neighbors_slice(n).iter().filter(|&&m| inside(m) && m > n).count())
                .sum();
            (members.len(), edges)
        }
        _ => (0, 0),
    };
    report.line("T3", t, &[("nodes", json!(n3)), ("edges", json!(e3))]);

    // T4: the shortest path length from A to B, by breadth-first search.
    let t = Instant::now();
    let b = ds.actor_by_id(&args.actor_b);
    let length = match (a, b) {
        (Some(a), Some(b)) => distance(&graph, a.0, b.0),
        _ => -1,
    };
    report.line("T4", t, &[("length", json!(length))]);

    // T5: the holding relations as `source,target,kind`.
    let t = Instant::now();
    atomic::write_file(&out, |w| write_holding(&ds, &holding, w))?;
    report.line("T5", t, &[("rows", json!(holding.len())), ("path", json!(out.display().to_string()))]);

    // T6: how many hold on each of 50 days, counted by the time index without visiting them.
    let dates = timeline_dates();
    let t = Instant::now();
    let series: Vec<usize> = dates.iter().map(|&d| ds.timeline.count_on(d)).collect();
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
        atomic::write_file(path, |w| {
            serde_json::to_writer_pretty(&mut *w, &doc).map_err(std::io::Error::other)?;
            w.write_all(b"\n")
        })?;
    }
    Ok(Exit::Success)
}

fn within(graph: &Graph, from: u32, depth: usize) -> Vec<bool> {
    let mut seen = vec![false; graph.node_count()];
    seen[from as usize] = true;
    let mut frontier = vec![from];
    for _ in 0..depth {
        let mut next = Vec::new();
        for &n in &frontier {
            for &m in graph.neighbors_slice(n) {
                if !seen[m as usize] {
                    seen[m as usize] = true;
                    next.push(m);
                }
            }
        }
        frontier = next;
    }
    seen
}

/// The hop distance from `a` to `b`, or -1 when `b` cannot be reached.
fn distance(graph: &Graph, a: u32, b: u32) -> i64 {
    let mut dist = vec![-1i64; graph.node_count()];
    dist[a as usize] = 0;
    let mut queue = VecDeque::from([a]);
    while let Some(n) = queue.pop_front() {
        if n == b {
            return dist[n as usize];
        }
        for &m in graph.neighbors_slice(n) {
            if dist[m as usize] < 0 {
                dist[m as usize] = dist[n as usize] + 1;
                queue.push_back(m);
            }
        }
    }
    -1
}

fn write_holding(
    ds: &Dataset,
    holding: &[georel::model::RelationIx],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all(b"source,target,kind\n")?;
    for &r in holding {
        let rel = ds.relation(r);
        out.write_all(ds.actor(rel.source).id.as_bytes())?;
        out.write_all(b",")?;
        out.write_all(ds.actor(rel.target).id.as_bytes())?;
        out.write_all(b",")?;
        out.write_all(rel.kind.as_str().as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
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
