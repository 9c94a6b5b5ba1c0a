//! Writing `brokers` out: the rank table of each date (rank, betweenness, degree by kind,
//! actor) and, over a series, who became a broker, who dropped out and who moved, as text,
//! CSV or JSON. A broker is an actor in a date's top N with a betweenness above zero.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::date::Window;
use crate::model::{Dataset, KindSet, RelationKind};
use crate::query::brokers::{self, Brokers, Changes, Degree, Method, Settings};

/// One node's line of a date's table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub rank: u32,
    pub id: String,
    pub name: String,
    /// As the text output names actors ([`super::text::actor`]).
    pub label: String,
    pub betweenness: f64,
    pub degree: Degree,
}

/// A date's brokers, read off its dataset and kept after it is dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    pub window: Window,
    pub nodes: usize,
    pub ties: usize,
    /// The pivots' ids for an estimate; `None` when exact.
    pub pivots: Option<Vec<String>>,
    /// Every node, ranked.
    pub rows: Vec<Row>,
    /// Row numbers by id.
    index: HashMap<String, usize>,
}

impl Board {
    pub fn of(ds: &Dataset, found: &Brokers) -> Board {
        let id = |node: u32| ds.actor(found.nodes[node as usize]).id.to_string();
        let rows: Vec<Row> = found
            .ranking
            .iter()
            .map(|&(node, rank)| Row {
                rank,
                id: id(node),
                name: ds.actor(found.nodes[node as usize]).name.to_string(),
                label: super::text::actor(ds, found.nodes[node as usize]),
                betweenness: found.betweenness.values[node as usize],
                degree: found.degrees[node as usize],
            })
            .collect();
        let pivots = match &found.betweenness.method {
            Method::Exact => None,
            Method::Sampled(p) => Some(p.iter().map(|&n| id(n)).collect()),
        };
        let index = rows.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        Board { window: found.window, nodes: found.nodes.len(), ties: found.ties, pivots, rows, index }
    }

    /// The rows shown: the first `top` (0: all).
    fn shown(&self, top: usize) -> &[Row] {
        &self.rows[..if top == 0 { self.rows.len() } else { top.min(self.rows.len()) }]
    }

    /// The brokers: the shown rows with a betweenness above zero, by id, with their rank.
    fn brokers(&self, top: usize) -> Vec<(String, u32)> {
        self.shown(top).iter().filter(|r| r.betweenness > 0.0).map(|r| (r.id.clone(), r.rank)).collect()
    }

    /// The row of `id` on this date, if it is a node.
    fn row(&self, id: &str) -> Option<&Row> {
        self.index.get(id).map(|&i| &self.rows[i])
    }

    /// The rank of `id` on this date, if it is a node.
    fn rank_of(&self, id: &str) -> Option<u32> {
        self.row(id).map(|r| r.rank)
    }
}

/// What `brokers` found, on one date or on each of a series.
#[derive(Debug)]
pub struct Report {
    pub kinds: KindSet,
    pub by_country: bool,
    pub strict: bool,
    pub settings: Settings,
    /// 0: every node.
    pub top: usize,
    pub boards: Vec<Board>,
}

impl Report {
    /// The changes into each date from the one before (none for the first).
    pub fn changes(&self) -> Vec<Option<Changes<String>>> {
        let mut out = vec![None];
        for pair in self.boards.windows(2) {
            out.push(Some(brokers::changes(&pair[0].brokers(self.top), &pair[1].brokers(self.top))));
        }
        out.truncate(self.boards.len());
        out
    }

    /// "the cooperation graph", "the cooperation and dispute graph, country by country".
    fn graph_phrase(&self) -> String {
        let kinds: Vec<&str> = kind_names(self.kinds);
        let list = match kinds.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => kinds.join(""),
        };
        let mut out = format!("the {list} graph");
        if self.strict {
            out.push_str(" (active relations only)");
        }
        if self.by_country {
            out.push_str(", country by country");
        }
        out
    }

    /// "exact", or "estimated from 100 pivots (seed 0)", then the scaling.
    fn method_phrase(&self, board: &Board) -> String {
        let how = match &board.pivots {
            None => "exact".to_string(),
            Some(p) => format!(
                "estimated from {} pivots (seed {}), scaled as networkx's k sample",
                p.len(),
                self.settings.seed
            ),
        };
        let ends = if self.settings.endpoints { ", path ends counted" } else { "" };
        format!("{how}{ends}, normalised as networkx")
    }
}

fn kind_names(kinds: KindSet) -> Vec<&'static str> {
    RelationKind::ALL.iter().filter(|&&k| kinds.contains(k)).map(|k| k.as_str()).collect()
}

const DEGREE_COLUMNS: [&str; 4] = ["cooperation", "restriction", "dispute", "membership"];

/// The report as text: a header, each date's table, and over a series the changes.
///
/// # Errors
/// When `out` fails.
pub fn text(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let changes = report.changes();
    let series = report.boards.len() > 1;
    if series {
        let (first, last) = (&report.boards[0], &report.boards[report.boards.len() - 1]);
        writeln!(
            out,
            "brokers on {} dates from {} to {}: betweenness on {}",
            report.boards.len(),
            first.window,
            last.window,
            report.graph_phrase()
        )?;
    }
    for (board, change) in report.boards.iter().zip(&changes) {
        if series {
            writeln!(out)?;
            writeln!(
                out,
                "{}: {}, {} actors, {} ties",
                board.window,
                report.method_phrase(board),
                board.nodes,
                board.ties
            )?;
        } else {
            writeln!(
                out,
                "brokers {}: betweenness on {} ({}), {} actors, {} ties",
                board.window.phrase(),
                report.graph_phrase(),
                report.method_phrase(board),
                board.nodes,
                board.ties
            )?;
        }
        let shown = board.shown(report.top);
        if shown.is_empty() {
            writeln!(out, "  no tie of these kinds")?;
        } else {
            writeln!(out, "  rank  betweenness  cooperation  restriction  dispute  membership  actor")?;
            for r in shown {
                let [c, res, d, m] = r.degree;
                writeln!(
                    out,
                    "  {:>4}  {:>11.4}  {c:>11}  {res:>11}  {d:>7}  {m:>10}  {}",
                    r.rank, r.betweenness, r.label
                )?;
            }
            if shown.len() < board.rows.len() {
                writeln!(out, "  (the top {} of {}; --top 0 shows all)", shown.len(), board.rows.len())?;
            }
        }
        if let Some(c) = change {
            let label = |id: &str| board.row(id).map_or(id.to_string(), |r| r.label.clone());
            let entered: Vec<String> =
                c.entered.iter().map(|(id, rank)| format!("{} (rank {rank})", label(id))).collect();
            let dropped: Vec<String> = c
                .dropped
                .iter()
                .map(|(id, was)| match board.rank_of(id) {
                    Some(now) => format!("{} (was {was}, now {now})", label(id)),
                    None => format!("{} (was {was}, now no tie)", label(id)),
                })
                .collect();
            let moved: Vec<String> =
                c.moved.iter().map(|(id, from, to)| format!("{} ({from} → {to})", label(id))).collect();
            for (what, list) in [("became brokers", entered), ("dropped out", dropped), ("moved", moved)] {
                if !list.is_empty() {
                    writeln!(out, "  {what}: {}", list.join(", "))?;
                }
            }
        }
    }
    Ok(())
}

/// The report as CSV: one row per shown node and date, with its rank on the date before
/// (`previous_rank`) and `change` (`entered`, `up`, `down`, `same`; empty on the first
/// date or outside the brokers), and a `dropped` row for each broker that dropped out.
///
/// # Errors
/// When `out` fails.
pub fn csv(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let changes = report.changes();
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    let io_error = super::csv::io_error;
    let mut header = vec!["date", "rank", "actor", "name", "betweenness"];
    header.extend(DEGREE_COLUMNS);
    header.extend(["previous_rank", "change"]);
    w.write_record(&header).map_err(io_error)?;
    for (i, (board, change)) in report.boards.iter().zip(&changes).enumerate() {
        let date = board.window.to_string();
        // The brokers of the date before, by id: a row's previous rank.
        let before: HashMap<String, u32> = if i == 0 {
            HashMap::new()
        } else {
            report.boards[i - 1].brokers(report.top).into_iter().collect()
        };
        let cells = |r: &Row, previous: String, what: &str| -> Vec<String> {
            let mut row = vec![
                date.clone(),
                r.rank.to_string(),
                r.id.clone(),
                r.name.clone(),
                r.betweenness.to_string(),
            ];
            row.extend(r.degree.iter().map(|d| d.to_string()));
            row.extend([previous, what.to_string()]);
            row
        };
        for r in board.shown(report.top) {
            let broker = r.betweenness > 0.0;
            let (previous, what) = match (i, before.get(&r.id)) {
                (0, _) => (String::new(), ""),
                _ if !broker => (String::new(), ""),
                (_, None) => (String::new(), "entered"),
                (_, Some(&b)) if b > r.rank => (b.to_string(), "up"),
                (_, Some(&b)) if b < r.rank => (b.to_string(), "down"),
                (_, Some(&b)) => (b.to_string(), "same"),
            };
            w.write_record(
                cells(r, previous, what).iter().map(|c| super::csv::spreadsheet_safe(c).into_owned()),
            )
            .map_err(io_error)?;
        }
        for (id, was) in change.iter().flat_map(|c| &c.dropped) {
            let row = match board.row(id) {
                Some(r) => cells(r, was.to_string(), "dropped"),
                None => {
                    let mut row = vec![date.clone(), String::new(), id.clone(), String::new(), String::new()];
                    row.extend(["", "", "", ""].map(String::from));
                    row.extend([was.to_string(), "dropped".to_string()]);
                    row
                }
            };
            w.write_record(row.iter().map(|c| super::csv::spreadsheet_safe(c).into_owned()))
                .map_err(io_error)?;
        }
    }
    w.flush()
}

#[derive(Serialize)]
struct Doc<'a> {
    kinds: Vec<&'static str>,
    by_country: bool,
    strict: bool,
    betweenness: MethodOut,
    top: usize,
    dates: Vec<DateOut<'a>>,
}

#[derive(Serialize)]
struct MethodOut {
    normalised: &'static str,
    endpoints: bool,
    /// `--pivots`, when given (an estimate when below a date's node count).
    pivots: Option<usize>,
    seed: Option<u64>,
}

#[derive(Serialize)]
struct DateOut<'a> {
    date: String,
    nodes: usize,
    ties: usize,
    exact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pivots: Option<&'a [String]>,
    brokers: Vec<RowOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<ChangesOut<'a>>,
}

#[derive(Serialize)]
struct RowOut<'a> {
    rank: u32,
    actor: &'a str,
    name: &'a str,
    betweenness: f64,
    degree: DegreeOut,
}

#[derive(Serialize)]
struct DegreeOut {
    cooperation: u32,
    restriction: u32,
    dispute: u32,
    membership: u32,
}

#[derive(Serialize)]
struct ChangesOut<'a> {
    entered: Vec<RankOut<'a>>,
    dropped: Vec<DroppedOut<'a>>,
    moved: Vec<MovedOut<'a>>,
}

#[derive(Serialize)]
struct RankOut<'a> {
    actor: &'a str,
    rank: u32,
}

#[derive(Serialize)]
struct DroppedOut<'a> {
    actor: &'a str,
    rank_before: u32,
    /// Its rank now, `null` when it has no tie of these kinds.
    rank: Option<u32>,
}

#[derive(Serialize)]
struct MovedOut<'a> {
    actor: &'a str,
    from: u32,
    to: u32,
}

/// The report as JSON: `{kinds, by_country, strict, betweenness: {normalised, endpoints,
/// pivots, seed}, top, dates: [{date, nodes, ties, exact, pivots?, brokers: [{rank, actor,
/// name, betweenness, degree: {cooperation, restriction, dispute, membership}}], changes?:
/// {entered: [{actor, rank}], dropped: [{actor, rank_before, rank}], moved: [{actor, from,
/// to}]}}]}`.
///
/// # Errors
/// When `out` fails.
pub fn json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let changes = report.changes();
    let dates = report
        .boards
        .iter()
        .zip(&changes)
        .map(|(board, change)| DateOut {
            date: board.window.to_string(),
            nodes: board.nodes,
            ties: board.ties,
            exact: board.pivots.is_none(),
            pivots: board.pivots.as_deref(),
            brokers: board
                .shown(report.top)
                .iter()
                .map(|r| RowOut {
                    rank: r.rank,
                    actor: &r.id,
                    name: &r.name,
                    betweenness: r.betweenness,
                    degree: DegreeOut {
                        cooperation: r.degree[0],
                        restriction: r.degree[1],
                        dispute: r.degree[2],
                        membership: r.degree[3],
                    },
                })
                .collect(),
            changes: change.as_ref().map(|c| ChangesOut {
                entered: c.entered.iter().map(|(id, rank)| RankOut { actor: id, rank: *rank }).collect(),
                dropped: c
                    .dropped
                    .iter()
                    .map(|(id, was)| DroppedOut { actor: id, rank_before: *was, rank: board.rank_of(id) })
                    .collect(),
                moved: c
                    .moved
                    .iter()
                    .map(|(id, from, to)| MovedOut { actor: id, from: *from, to: *to })
                    .collect(),
            }),
        })
        .collect();
    let doc = Doc {
        kinds: kind_names(report.kinds),
        by_country: report.by_country,
        strict: report.strict,
        betweenness: MethodOut {
            normalised: "networkx",
            endpoints: report.settings.endpoints,
            pivots: report.settings.pivots,
            seed: report.settings.pivots.map(|_| report.settings.seed),
        },
        top: report.top,
        dates,
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}
