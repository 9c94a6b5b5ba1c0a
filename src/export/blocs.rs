//! `georel blocs` written out: text, CSV, JSON and a DOT diagram of a partition into blocs
//! ([`crate::query::blocs`]), on one day or window, or one per date of a series. Every format
//! says whether the partition is exact or the heuristic's. Kept in one file (not spread over
//! text.rs, csv.rs, json.rs and dot.rs) because blocs is the only writer of these shapes.
//!
//! Blocs are numbered from 1 by first appearance in actor-id order, on each date apart: a
//! series lists each date's partition as it is, and bloc 1 on one date need not be bloc 1 on
//! the next (the members say which is which).

use std::io::{self, Write};

use serde::Serialize;

use crate::export::dot::{kind_colour, quote, quote_id, CONTESTED_COLOUR};
use crate::export::json::{finish, relation_out, RelationOut};
use crate::export::text::{actor, count, relation_line, wrap, Escaping};
use crate::export::{csv, thousands};
use crate::model::{ActorIx, RelationKind};
use crate::query::blocs::{Blocs, Method, Partition, Settings, EXACT_STEPS, EXACT_TRIED, RESTARTS};
use crate::query::signed::{ContestedAs, Sign, Signed, Tie};
use crate::snapshot::Grouping;

/// One date's (or one window's) partition and the signed graph it partitions.
pub type Dated<'a, 's, 'd> = (&'a Signed<'s, 'd>, &'a Blocs);

/// How the partition was found, in words.
fn method_text(partition: &Partition, settings: &Settings) -> String {
    match partition.method {
        Method::Exact => "exact".to_string(),
        Method::Heuristic { gave_up } => format!(
            "heuristic, not proven best: the best of {RESTARTS} relocation runs with seed {} ({})",
            settings.seed,
            if gave_up {
                format!("the exact search ran out of its {} steps", thousands(EXACT_STEPS))
            } else {
                format!("the exact search is tried up to {EXACT_TRIED} actors")
            }
        ),
    }
}

fn contested_text(contested: ContestedAs) -> &'static str {
    match contested {
        ContestedAs::Skip => "left out",
        ContestedAs::Negative => "counted as negative",
        ContestedAs::Positive => "counted as positive",
    }
}

/// A number as short as it reads: `1`, `1.5`, `0.25`.
fn number(x: f64) -> String {
    let text = format!("{x:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Where a frustrating tie lies: `inside bloc 2`, `between blocs 1 and 3`.
fn place(partition: &Partition, tie: &Tie) -> String {
    let bloc = |v: u32| partition.bloc[v as usize].map_or(0, |b| b + 1);
    let (a, b) = (bloc(tie.a), bloc(tie.b));
    if a == b {
        format!("inside bloc {a}")
    } else {
        format!("between blocs {} and {}", a.min(b), a.max(b))
    }
}

/// The partition of each date: its summary, each bloc's actors, and each frustrating tie with
/// the relations that sign it.
///
/// # Errors
/// When `out` fails.
pub fn text(dates: &[Dated<'_, '_, '_>], settings: &Settings, out: &mut dyn Write) -> io::Result<()> {
    let out = &mut Escaping::new(out);
    for (i, (signed, blocs)) in dates.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let snapshot = signed.snapshot;
        let ds = snapshot.dataset;
        let p = &blocs.partition;
        let placed = p.bloc.iter().filter(|b| b.is_some()).count();
        writeln!(
            out,
            "blocs {}: {} of {}{}, {} (k {}, alpha {}){}",
            snapshot.window.phrase(),
            count(p.blocs, "bloc", "blocs"),
            count(
                placed,
                if snapshot.options.grouping == Grouping::Countries { "node" } else { "actor" },
                if snapshot.options.grouping == Grouping::Countries { "nodes" } else { "actors" }
            ),
            if snapshot.options.grouping == Grouping::Countries { " by country" } else { "" },
            method_text(p, settings),
            settings.k,
            number(settings.alpha),
            ds.graded_out().note_on(snapshot.window),
        )?;
        writeln!(
            out,
            "{}",
            wrap(
                &format!(
                    "criterion {}: {} inside a bloc, {} between blocs  (signnet's criterion, each tie counted both ways: {})",
                    number(p.criterion(settings.alpha)),
                    count(p.negative_inside, "negative tie", "negative ties"),
                    count(p.positive_between, "positive tie", "positive ties"),
                    number(p.signnet_criterion(settings.alpha)),
                ),
                2
            )
        )?;
        let contested = signed.contested().count();
        if contested > 0 {
            writeln!(out, "contested pairs {}: {contested}", contested_text(settings.contested))?;
        }
        for (b, members) in p.members().iter().enumerate() {
            let names: Vec<String> = members.iter().map(|&v| actor(ds, signed.nodes[v as usize])).collect();
            let line = format!("bloc {} ({}): {}", b + 1, members.len(), names.join(", "));
            writeln!(out, "{}", wrap(&line, 4))?;
        }
        let lone: Vec<String> = p
            .bloc
            .iter()
            .enumerate()
            .filter(|(_, b)| b.is_none())
            .map(|(v, _)| actor(ds, signed.nodes[v]))
            .collect();
        if !lone.is_empty() {
            writeln!(out, "{}", wrap(&format!("in no bloc (no signed tie): {}", lone.join(", ")), 4))?;
        }
        writeln!(out, "frustrating ties: {}", blocs.frustrating.len())?;
        for &t in &blocs.frustrating {
            let tie = &signed.ties[t];
            let sign = tie.sign.expect("a frustrating tie is signed");
            let line = format!(
                "  {} {} – {}  {}  {}{}  grade {}",
                sign.symbol(),
                actor(ds, signed.nodes[tie.a as usize]),
                actor(ds, signed.nodes[tie.b as usize]),
                place(p, tie),
                tie.status.as_str(),
                if tie.contested { "  CONTESTED" } else { "" },
                signed.grade(tie),
            );
            writeln!(out, "{}", wrap(&line, 6))?;
            for r in signed.relations(tie) {
                writeln!(out, "{}", wrap(&format!("      {}", relation_line(ds, r)), 10))?;
            }
        }
    }
    Ok(())
}

/// One row per node and date: `[date,]actor,name,bloc,method` (bloc empty for a node
/// without a signed tie).
///
/// # Errors
/// When `out` fails.
pub fn csv(dates: &[Dated<'_, '_, '_>], series: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut header = vec!["actor", "name", "bloc", "method"];
    if series {
        header.insert(0, "date");
    }
    let rows = dates.iter().flat_map(|(signed, blocs)| {
        let ds = signed.snapshot.dataset;
        let p = &blocs.partition;
        signed.nodes.iter().zip(&p.bloc).map(move |(&a, b)| {
            let mut row = vec![
                ds.actor(a).id.to_string(),
                ds.actor(a).name.to_string(),
                b.map_or_else(String::new, |b| (b + 1).to_string()),
                p.method.as_str().to_string(),
            ];
            if series {
                row.insert(0, signed.snapshot.window.to_string());
            }
            row
        })
    });
    csv::table(out, &header, rows)
}

#[derive(Serialize)]
struct SeriesDoc<'a> {
    #[serde(flatten)]
    settings: SettingsOut,
    dates: Vec<DateOut<'a>>,
}

#[derive(Serialize)]
struct OneDoc<'a> {
    #[serde(flatten)]
    settings: SettingsOut,
    #[serde(flatten)]
    date: DateOut<'a>,
}

#[derive(Serialize)]
struct SettingsOut {
    k: usize,
    alpha: f64,
    seed: u64,
    contested: &'static str,
    by_country: bool,
}

#[derive(Serialize)]
struct DateOut<'a> {
    at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    method: &'static str,
    /// With the heuristic: whether the exact search was tried and ran out of steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    exact_search_ran_out: Option<bool>,
    criterion: f64,
    signnet_criterion: f64,
    negative_inside: u64,
    positive_between: u64,
    blocs: Vec<BlocOut<'a>>,
    unplaced: Vec<&'a str>,
    contested_pairs: usize,
    frustrating: Vec<TieOut<'a>>,
}

#[derive(Serialize)]
struct BlocOut<'a> {
    bloc: u32,
    actors: Vec<&'a str>,
}

#[derive(Serialize)]
struct TieOut<'a> {
    a: &'a str,
    b: &'a str,
    sign: &'static str,
    /// `inside` or `between`.
    place: &'static str,
    blocs: [u32; 2],
    status: &'static str,
    contested: bool,
    grade: String,
    relations: Vec<RelationOut<'a>>,
}

fn settings_out(settings: &Settings, dates: &[Dated<'_, '_, '_>]) -> SettingsOut {
    SettingsOut {
        k: settings.k,
        alpha: settings.alpha,
        seed: settings.seed,
        contested: match settings.contested {
            ContestedAs::Skip => "skip",
            ContestedAs::Negative => "as-negative",
            ContestedAs::Positive => "as-positive",
        },
        by_country: dates.first().is_some_and(|(s, _)| s.snapshot.options.grouping == Grouping::Countries),
    }
}

fn date_out<'a>(signed: &'a Signed<'_, 'a>, blocs: &'a Blocs, alpha: f64) -> DateOut<'a> {
    let ds = signed.snapshot.dataset;
    let window = signed.snapshot.window;
    let p = &blocs.partition;
    let id = |v: u32| -> &'a str { &ds.actor(signed.nodes[v as usize]).id };
    let bloc = |v: u32| p.bloc[v as usize].map_or(0, |b| b + 1);
    let day = |d| crate::date::PartialDate::day(d).to_string();
    DateOut {
        at: window.to_string(),
        from: window.as_day().is_none().then(|| day(window.first)),
        to: window.as_day().is_none().then(|| day(window.last)),
        method: p.method.as_str(),
        exact_search_ran_out: match p.method {
            Method::Exact => None,
            Method::Heuristic { gave_up } => Some(gave_up),
        },
        criterion: p.criterion(alpha),
        signnet_criterion: p.signnet_criterion(alpha),
        negative_inside: p.negative_inside,
        positive_between: p.positive_between,
        blocs: p
            .members()
            .iter()
            .enumerate()
            .map(|(b, members)| BlocOut {
                bloc: b as u32 + 1,
                actors: members.iter().map(|&v| id(v)).collect(),
            })
            .collect(),
        unplaced: (0..p.bloc.len() as u32).filter(|&v| p.bloc[v as usize].is_none()).map(id).collect(),
        contested_pairs: signed.contested().count(),
        frustrating: blocs
            .frustrating
            .iter()
            .map(|&t| {
                let tie = &signed.ties[t];
                let (x, y) = (bloc(tie.a), bloc(tie.b));
                TieOut {
                    a: id(tie.a),
                    b: id(tie.b),
                    sign: match tie.sign {
                        Some(Sign::Positive) => "positive",
                        _ => "negative",
                    },
                    place: if x == y { "inside" } else { "between" },
                    blocs: [x.min(y), x.max(y)],
                    status: tie.status.as_str(),
                    contested: tie.contested,
                    grade: signed.grade(tie).to_string(),
                    relations: signed.relations(tie).into_iter().map(|r| relation_out(ds, r)).collect(),
                }
            })
            .collect(),
    }
}

/// One window: `{settings, "at", "method", "criterion", ..., "blocs", "frustrating"}`; a
/// series: `{settings, "dates": [{"at", "method", ...}]}` (shapes in the README).
///
/// # Errors
/// When `out` fails.
pub fn json(
    dates: &[Dated<'_, '_, '_>],
    settings: &Settings,
    series: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let settings_doc = settings_out(settings, dates);
    let mut all: Vec<DateOut<'_>> = dates.iter().map(|(s, b)| date_out(s, b, settings.alpha)).collect();
    if series || all.len() != 1 {
        return finish(out, &SeriesDoc { settings: settings_doc, dates: all });
    }
    let date = all.pop().expect("one date");
    finish(out, &OneDoc { settings: settings_doc, date })
}

/// The nodes and ties a diagram of the partition draws (for the size check).
pub fn diagram_size(signed: &Signed<'_, '_>) -> (usize, usize) {
    (signed.node_count(), signed.ties.len())
}

/// The partition as an undirected DOT graph: a cluster per bloc, positive ties green and
/// negative red, the frustrating ones thick and labelled, contested pairs left out dotted.
///
/// # Errors
/// When `out` fails.
pub fn dot(
    signed: &Signed<'_, '_>,
    blocs: &Blocs,
    settings: &Settings,
    out: &mut dyn Write,
) -> io::Result<()> {
    let snapshot = signed.snapshot;
    let ds = snapshot.dataset;
    let p = &blocs.partition;
    let title = format!(
        "georel blocs {}: {}, {}\ncriterion {} ({} inside, {} between; k {}, alpha {})",
        snapshot.window.phrase(),
        count(p.blocs, "bloc", "blocs"),
        p.method.as_str(),
        number(p.criterion(settings.alpha)),
        count(p.negative_inside, "negative tie", "negative ties"),
        count(p.positive_between, "positive tie", "positive ties"),
        settings.k,
        number(settings.alpha),
    );
    writeln!(out, "graph {} {{", quote(&format!("georel blocs {}", snapshot.window)))?;
    writeln!(
        out,
        "  graph [label={}, labelloc=\"t\", fontname=\"Helvetica\", fontsize=\"16\"];",
        quote(&title)
    )?;
    writeln!(out, "  node [fontname=\"Helvetica\", fontsize=\"11\", style=\"filled\", shape=\"box\", fillcolor=\"#e3f2fd\"];")?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=\"9\"];")?;
    let node = |a: ActorIx| {
        let actor = ds.actor(a);
        format!("{} [label={}, tooltip={}]", quote_id(&actor.id), quote(&actor.name), quote(&actor.id))
    };
    for (b, members) in p.members().iter().enumerate() {
        writeln!(out, "  subgraph {} {{", quote_id(&format!("cluster_bloc_{}", b + 1)))?;
        writeln!(
            out,
            "    graph [label={}, style=\"rounded,filled\", fillcolor=\"#f7f7f7\", color=\"#9e9e9e\", fontsize=\"12\"];",
            quote(&format!("bloc {} ({})", b + 1, members.len()))
        )?;
        for &v in members {
            writeln!(out, "    {};", node(signed.nodes[v as usize]))?;
        }
        writeln!(out, "  }}")?;
    }
    for (v, b) in p.bloc.iter().enumerate() {
        if b.is_none() {
            writeln!(out, "  {};", node(signed.nodes[v]))?;
        }
    }
    let frustrating: std::collections::HashSet<usize> = blocs.frustrating.iter().copied().collect();
    for (i, tie) in signed.ties.iter().enumerate() {
        let (a, b) = (&ds.actor(signed.nodes[tie.a as usize]).id, &ds.actor(signed.nodes[tie.b as usize]).id);
        let attributes = match tie.sign {
            None => {
                format!("color=\"{CONTESTED_COLOUR}\", style=\"dotted\", tooltip=\"contested, left out\"")
            }
            Some(sign) => {
                let colour = match sign {
                    Sign::Positive => kind_colour(RelationKind::Cooperation),
                    Sign::Negative => kind_colour(RelationKind::Restriction),
                };
                let dashed =
                    if tie.status == crate::date::Status::Possible { ", style=\"dashed\"" } else { "" };
                // A contested pair counted with one sign (`--contested as-…`) says so on hover.
                let dashed = if tie.contested {
                    let counted = if sign == Sign::Positive { "positive" } else { "negative" };
                    format!("{dashed}, tooltip={}", quote(&format!("contested, counted as {counted}")))
                } else {
                    dashed.to_string()
                };
                if frustrating.contains(&i) {
                    format!(
                        "color=\"{colour}\", penwidth=\"3.5\", label={}, fontcolor=\"{colour}\"{dashed}",
                        quote(&format!("{} frustrating", sign.symbol()))
                    )
                } else {
                    format!("color=\"{colour}\", penwidth=\"1.2\"{dashed}")
                }
            }
        };
        writeln!(out, "  {} -- {} [{attributes}];", quote_id(a), quote_id(b))?;
    }
    writeln!(out, "}}")
}
