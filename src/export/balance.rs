//! `georel balance` written out: a day's census, score, unbalanced triangles and contested
//! pairs as text, CSV (one row per unbalanced triangle) and JSON; a series of days as text,
//! CSV and JSON (one row per date). The shapes are documented in the README.

use std::io::{self, Write};

use serde::Serialize;

use crate::date::{Day, PartialDate, Window};
use crate::export::text::{actor, count, relation_line, wrap, Escaping};
use crate::export::{csv, json};
use crate::model::Dataset;
use crate::query::balance::{Balance, Census, Row, Unbalanced};
use crate::query::signed::{ContestedAs, Sign, Tie};

/// The most unbalanced triangles (and contested pairs) the text lists; the CSV and JSON
/// outputs list them all.
pub const TEXT_LIST: usize = 20;

fn sign_word(sign: Option<Sign>) -> &'static str {
    match sign {
        Some(Sign::Positive) => "positive",
        Some(Sign::Negative) => "negative",
        None => "",
    }
}

/// How the contested pairs were counted, as the text says it.
pub fn contested_phrase(contested: ContestedAs) -> &'static str {
    match contested {
        ContestedAs::Skip => "left out",
        ContestedAs::Negative => "counted as negative ties",
        ContestedAs::Positive => "counted as positive ties",
    }
}

/// `skip`, `as-negative` or `as-positive`: the `--contested` value.
pub fn contested_arg(contested: ContestedAs) -> &'static str {
    match contested {
        ContestedAs::Skip => "skip",
        ContestedAs::Negative => "as-negative",
        ContestedAs::Positive => "as-positive",
    }
}

/// `+++ 19, ++− 2, +−− 40, −−− 7`.
fn census_line(census: &Census) -> String {
    let parts: Vec<String> =
        Census::NAMES.iter().zip(census.counts).map(|(name, n)| format!("{name} {n}")).collect();
    parts.join(", ")
}

/// The score to four places, or `none (no triangle)`.
fn score_text(census: &Census) -> String {
    match census.score() {
        Some(s) => format!(
            "{s:.4} ({} of {} balanced)",
            census.balanced(),
            count(census.total(), "triangle", "triangles")
        ),
        None => "none (no triangle)".to_string(),
    }
}

/// The text report of one day (or window).
///
/// # Errors
/// When `out` fails.
pub fn text(balance: &Balance<'_, '_>, contested: ContestedAs, out: &mut dyn Write) -> io::Result<()> {
    let out = &mut Escaping::new(out);
    let signed = &balance.signed;
    let snapshot = signed.snapshot;
    let ds = snapshot.dataset;
    writeln!(
        out,
        "balance {}: {}, {} ({} +, {} −), {} {}{}",
        snapshot.window.phrase(),
        count(signed.node_count(), "actor", "actors"),
        count(balance.positive + balance.negative, "signed tie", "signed ties"),
        balance.positive,
        balance.negative,
        count(balance.contested.len(), "contested pair", "contested pairs"),
        contested_phrase(contested),
        ds.graded_out().note_on(snapshot.window),
    )?;
    writeln!(out, "triangles: {} ({})", balance.census.total(), census_line(&balance.census))?;
    writeln!(out, "balance score: {}", score_text(&balance.census))?;
    if !balance.unbalanced.is_empty() {
        writeln!(out, "unbalanced triangles, worst grade first: {}", balance.unbalanced.len())?;
    }
    for u in balance.unbalanced.iter().take(TEXT_LIST) {
        let names: Vec<String> = u.nodes.iter().map(|&n| actor(ds, signed.nodes[n as usize])).collect();
        writeln!(
            out,
            "{}",
            wrap(&format!("  {}  grade {}  {}", Census::NAMES[u.negatives], u.grade, names.join(", ")), 17)
        )?;
        for (i, &t) in u.ties.iter().enumerate() {
            tie_lines(balance, &signed.ties[t as usize], Some(u.grades[i]), out)?;
        }
    }
    if balance.unbalanced.len() > TEXT_LIST {
        writeln!(
            out,
            "  and {} more (all in the CSV and JSON outputs)",
            balance.unbalanced.len() - TEXT_LIST
        )?;
    }
    if !balance.contested.is_empty() {
        writeln!(out, "contested pairs, {}: {}", contested_phrase(contested), balance.contested.len())?;
        for &t in balance.contested.iter().take(TEXT_LIST) {
            tie_lines(balance, &signed.ties[t as usize], None, out)?;
        }
        if balance.contested.len() > TEXT_LIST {
            writeln!(out, "  and {} more (all in the JSON output)", balance.contested.len() - TEXT_LIST)?;
        }
    }
    Ok(())
}

/// A tie's line (its sign, its ends, its grade) and one line per relation (its evidence).
fn tie_lines(
    balance: &Balance<'_, '_>,
    tie: &Tie,
    grade: Option<crate::model::Grade>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let signed = &balance.signed;
    let ds = signed.snapshot.dataset;
    let sign = tie.sign.map_or('?', Sign::symbol);
    let grade = grade.unwrap_or_else(|| signed.grade(tie));
    let mark = if tie.contested { "  CONTESTED" } else { "" };
    let ends =
        format!("{} – {}", actor(ds, signed.nodes[tie.a as usize]), actor(ds, signed.nodes[tie.b as usize]));
    writeln!(out, "{}", wrap(&format!("     {sign} {ends}  grade {grade}{mark}"), 9))?;
    for r in signed.relations(tie) {
        writeln!(out, "{}", wrap(&format!("         {}", relation_line(ds, r)), 13))?;
    }
    Ok(())
}

/// One row per unbalanced triangle: `type,grade,a,b,c`, then for each of its ties (`ab`,
/// `ac`, `bc`) its sign, grade and relations' ids (`;` between them).
///
/// # Errors
/// When `out` fails.
pub fn csv(balance: &Balance<'_, '_>, out: &mut dyn Write) -> io::Result<()> {
    let header = [
        "type",
        "grade",
        "a",
        "b",
        "c",
        "ab_sign",
        "ab_grade",
        "ab_relations",
        "ac_sign",
        "ac_grade",
        "ac_relations",
        "bc_sign",
        "bc_grade",
        "bc_relations",
    ];
    let signed = &balance.signed;
    let ds = signed.snapshot.dataset;
    let rows = balance.unbalanced.iter().map(|u| {
        let mut row = vec![Census::KEYS[u.negatives].to_string(), u.grade.to_string()];
        row.extend(u.nodes.iter().map(|&n| ds.actor(signed.nodes[n as usize]).id.to_string()));
        for (i, &t) in u.ties.iter().enumerate() {
            let tie = &signed.ties[t as usize];
            let ids: Vec<String> =
                signed.relations(tie).iter().map(|&r| ds.relation(r).id.to_string()).collect();
            row.extend([sign_word(tie.sign).to_string(), u.grades[i].to_string(), ids.join(";")]);
        }
        row
    });
    csv::table(out, &header, rows)
}

#[derive(Serialize)]
struct CensusOut {
    ppp: u64,
    ppn: u64,
    pnn: u64,
    nnn: u64,
}

/// What a day's JSON and a series' row both say of the signed graph.
#[derive(Serialize)]
struct CountsOut {
    nodes: usize,
    positive: usize,
    negative: usize,
    contested: usize,
    census: CensusOut,
    triangles: u64,
    score: Option<f64>,
}

impl CountsOut {
    fn of(nodes: usize, positive: usize, negative: usize, contested: usize, census: &Census) -> CountsOut {
        CountsOut {
            nodes,
            positive,
            negative,
            contested,
            census: CensusOut::of(census),
            triangles: census.total(),
            score: census.score(),
        }
    }
}

impl CensusOut {
    fn of(census: &Census) -> CensusOut {
        let [ppp, ppn, pnn, nnn] = census.counts;
        CensusOut { ppp, ppn, pnn, nnn }
    }
}

#[derive(Serialize)]
struct TieOut<'a> {
    a: &'a str,
    b: &'a str,
    /// `positive`, `negative`, or null for a contested pair left out.
    sign: Option<&'static str>,
    contested: bool,
    grade: String,
    relations: Vec<json::RelationOut<'a>>,
}

#[derive(Serialize)]
struct TriangleOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    grade: String,
    actors: [&'a str; 3],
    ties: Vec<TieOut<'a>>,
}

#[derive(Serialize)]
struct DayDoc<'a> {
    at: String,
    #[serde(flatten)]
    window: json::WindowOut,
    contested_as: &'static str,
    #[serde(flatten)]
    counts: CountsOut,
    unbalanced: Vec<TriangleOut<'a>>,
    contested_pairs: Vec<TieOut<'a>>,
}

fn tie_out<'a>(balance: &'a Balance<'_, 'a>, tie: &Tie, grade: Option<crate::model::Grade>) -> TieOut<'a> {
    let signed = &balance.signed;
    let ds: &'a Dataset = signed.snapshot.dataset;
    TieOut {
        a: &ds.actor(signed.nodes[tie.a as usize]).id,
        b: &ds.actor(signed.nodes[tie.b as usize]).id,
        sign: tie.sign.map(|s| sign_word(Some(s))),
        contested: tie.contested,
        grade: grade.unwrap_or_else(|| signed.grade(tie)).to_string(),
        relations: signed.relations(tie).into_iter().map(|r| json::relation_out(ds, r)).collect(),
    }
}

fn triangle_out<'a>(balance: &'a Balance<'_, 'a>, u: &Unbalanced) -> TriangleOut<'a> {
    let signed = &balance.signed;
    let ds: &'a Dataset = signed.snapshot.dataset;
    TriangleOut {
        kind: Census::KEYS[u.negatives],
        grade: u.grade.to_string(),
        actors: u.nodes.map(|n| &*ds.actor(signed.nodes[n as usize]).id),
        ties: u
            .ties
            .iter()
            .zip(u.grades)
            .map(|(&t, g)| tie_out(balance, &signed.ties[t as usize], Some(g)))
            .collect(),
    }
}

/// Writes `{"at", "contested_as", "nodes", "positive", "negative", "contested", "census":
/// {"ppp", "ppn", "pnn", "nnn"}, "triangles", "score", "unbalanced": [{"type", "grade",
/// "actors", "ties": [{"a", "b", "sign", "contested", "grade", "relations"}]}],
/// "contested_pairs": [tie]}` (with `"from"`, `"to"` for a window of more than one day).
///
/// # Errors
/// When `out` fails.
pub fn json(balance: &Balance<'_, '_>, contested: ContestedAs, out: &mut dyn Write) -> io::Result<()> {
    let signed = &balance.signed;
    let window = signed.snapshot.window;
    let doc = DayDoc {
        at: window.to_string(),
        window: json::WindowOut::of(window),
        contested_as: contested_arg(contested),
        counts: CountsOut::of(
            signed.node_count(),
            balance.positive,
            balance.negative,
            balance.contested.len(),
            &balance.census,
        ),
        unbalanced: balance.unbalanced.iter().map(|u| triangle_out(balance, u)).collect(),
        contested_pairs: balance
            .contested
            .iter()
            .map(|&t| tie_out(balance, &signed.ties[t as usize], None))
            .collect(),
    };
    json::finish(out, &doc)
}

/// The series as text: a line of what was counted, then one row per date.
///
/// # Errors
/// When `out` fails.
pub fn series_text(rows: &[Row], contested: ContestedAs, out: &mut dyn Write) -> io::Result<()> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else { return Ok(()) };
    writeln!(
        out,
        "balance from {} to {}: {} (contested pairs {})",
        PartialDate::day(first.day),
        PartialDate::day(last.day),
        count(rows.len(), "date", "dates"),
        contested_phrase(contested),
    )?;
    writeln!(
        out,
        "{:<10}  {:>6}  {:>6}  {:>6}  {:>9}  {:>6}  {:>6}  {:>6}  {:>6}  {:>9}  score",
        "date", "actors", "+ties", "−ties", "contested", "+++", "++−", "+−−", "−−−", "triangles"
    )?;
    for r in rows {
        let [ppp, ppn, pnn, nnn] = r.census.counts;
        let score = r.census.score().map_or_else(|| "—".to_string(), |s| format!("{s:.4}"));
        let note =
            if r.left_out > 0 { format!("  ({} left out by grade)", r.left_out) } else { String::new() };
        writeln!(
            out,
            "{:<10}  {:>6}  {:>6}  {:>6}  {:>9}  {ppp:>6}  {ppn:>6}  {pnn:>6}  {nnn:>6}  {:>9}  {score}{note}",
            PartialDate::day(r.day).to_string(),
            r.nodes,
            r.positive,
            r.negative,
            r.contested,
            r.census.total(),
        )?;
    }
    Ok(())
}

/// The series as CSV: `date,nodes,positive,negative,contested,ppp,ppn,pnn,nnn,triangles,
/// score,left_out_by_grade` (`score` empty without a triangle).
///
/// # Errors
/// When `out` fails.
pub fn series_csv(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    let header = [
        "date",
        "nodes",
        "positive",
        "negative",
        "contested",
        "ppp",
        "ppn",
        "pnn",
        "nnn",
        "triangles",
        "score",
        "left_out_by_grade",
    ];
    let rows = rows.iter().map(|r| {
        let mut row = vec![
            day_text(r.day),
            r.nodes.to_string(),
            r.positive.to_string(),
            r.negative.to_string(),
            r.contested.to_string(),
        ];
        row.extend(r.census.counts.iter().map(u64::to_string));
        row.push(r.census.total().to_string());
        row.push(r.census.score().map(|s| s.to_string()).unwrap_or_default());
        row.push(r.left_out.to_string());
        row
    });
    csv::table(out, &header, rows)
}

fn day_text(day: Day) -> String {
    PartialDate::day(day).to_string()
}

#[derive(Serialize)]
struct RowOut {
    date: String,
    #[serde(flatten)]
    counts: CountsOut,
    left_out_by_grade: usize,
}

#[derive(Serialize)]
struct SeriesDoc {
    from: String,
    to: String,
    contested_as: &'static str,
    dates: Vec<RowOut>,
}

/// Writes `{"from", "to", "contested_as", "dates": [{"date", "nodes", "positive",
/// "negative", "contested", "census", "triangles", "score", "left_out_by_grade"}]}`.
///
/// # Errors
/// When `out` fails.
pub fn series_json(rows: &[Row], contested: ContestedAs, out: &mut dyn Write) -> io::Result<()> {
    let doc = SeriesDoc {
        from: rows.first().map(|r| day_text(r.day)).unwrap_or_default(),
        to: rows.last().map(|r| day_text(r.day)).unwrap_or_default(),
        contested_as: contested_arg(contested),
        dates: rows
            .iter()
            .map(|r| RowOut {
                date: day_text(r.day),
                counts: CountsOut::of(r.nodes, r.positive, r.negative, r.contested, &r.census),
                left_out_by_grade: r.left_out,
            })
            .collect(),
    };
    json::finish(out, &doc)
}

/// The title of the day's picture: the score and the count of unbalanced triangles.
pub fn picture_title(window: Window, balance: &Balance<'_, '_>) -> String {
    format!(
        "georel balance {}: score {}, {}",
        window.phrase(),
        balance.census.score().map_or_else(|| "none".to_string(), |s| format!("{s:.4}")),
        count(balance.unbalanced.len(), "unbalanced triangle", "unbalanced triangles"),
    )
}
