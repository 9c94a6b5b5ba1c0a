//! Writing results out: one file per format, each writing to any `impl Write`, plus the
//! atomic file writer that puts results in place.

pub mod atomic;
pub mod balance;
pub mod blocs;
pub mod brokers;
pub mod chart;
pub mod cite;
mod cleanup;
pub mod csv;
pub mod dataset;
pub mod dossier;
pub mod dot;
pub mod frames;
pub mod gexf;
pub mod graphml;
pub mod json;
pub mod lock;
pub mod node_link;
pub mod page;
pub mod render;
pub mod sheet;
pub mod text;

use std::collections::HashSet;

use crate::model::{ActorIx, Dataset, Relation, SourceIx};
use crate::snapshot::{Edge, Snapshot};

/// A count as people read it, in groups of three digits: `650000` → `650,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The text fields of a snapshot edge, shared by every format. For an edge of one relation
/// they are the relation's own; for an edge merged from several (`--by-country`):
///
/// - `id` is `SOURCE/TARGET/KIND`;
/// - `start` is the earliest start and `end` the latest end (empty when any is open-ended),
///   each written at its own precision;
/// - `evidence` is the union of the relations' evidence, in order of first appearance;
/// - `summary` says how many relations were merged; `relations` lists their ids.
pub(crate) struct EdgeText {
    pub id: String,
    pub start: String,
    pub end: String,
    pub evidence: Vec<String>,
    pub summary: String,
    pub relations: Vec<String>,
    /// The claimants, each once, in the order met.
    pub claimants: Vec<ActorIx>,
    /// Each relation's credibility (empty when not given), in the order of `relations`.
    pub credibility: Vec<String>,
    /// Each relation's grade ([`Dataset::grade`]), in the order of `relations`.
    pub grades: Vec<String>,
}

impl EdgeText {
    pub fn of(snapshot: &Snapshot<'_>, edge: &Edge) -> EdgeText {
        let ds = snapshot.dataset;
        let members = snapshot.members(edge);
        if let [only] = members {
            let r = ds.relation(only.relation);
            return EdgeText {
                id: r.id.to_string(),
                start: r.start.to_string(),
                end: r.end.map(|e| e.to_string()).unwrap_or_default(),
                evidence: r.evidence().iter().map(|s| ds.source(*s).id.to_string()).collect(),
                summary: r.summary().to_string(),
                relations: vec![r.id.to_string()],
                claimants: r.claimant().into_iter().collect(),
                credibility: vec![r.credibility.map(|c| c.to_string()).unwrap_or_default()],
                grades: vec![ds.grade(only.relation).to_string()],
            };
        }
        let relations: Vec<&Relation> = members.iter().map(|m| ds.relation(m.relation)).collect();
        let earliest = relations.iter().min_by_key(|r| r.span.possible_from).map(|r| r.start);
        let latest = relations.iter().max_by_key(|r| r.span.possible_until).and_then(|r| r.end);
        let mut evidence: Vec<String> = Vec::new();
        for r in &relations {
            for s in r.evidence().iter() {
                let id = &ds.source(*s).id;
                if !evidence.iter().any(|e| **e == **id) {
                    evidence.push(id.to_string());
                }
            }
        }
        let mut claimants: Vec<ActorIx> = Vec::new();
        for c in relations.iter().filter_map(|r| r.claimant()) {
            if !claimants.contains(&c) {
                claimants.push(c);
            }
        }
        EdgeText {
            id: format!("{}/{}/{}", ds.actor(edge.source).id, ds.actor(edge.target).id, edge.kind),
            start: earliest.map(|d| d.to_string()).unwrap_or_default(),
            end: latest.map(|d| d.to_string()).unwrap_or_default(),
            evidence,
            summary: format!("{} relations merged", relations.len()),
            relations: relations.iter().map(|r| r.id.to_string()).collect(),
            claimants,
            credibility: relations
                .iter()
                .map(|r| r.credibility.map(|c| c.to_string()).unwrap_or_default())
                .collect(),
            grades: members.iter().map(|m| ds.grade(m.relation).to_string()).collect(),
        }
    }
}

/// The sources of a snapshot edge: its relations' evidence, each once, in order of first
/// appearance.
pub(crate) fn edge_sources(snapshot: &Snapshot<'_>, edge: &Edge) -> Vec<SourceIx> {
    // A merged edge (`--by-country`) can hold thousands of events, each with its source.
    let mut seen: HashSet<SourceIx> = HashSet::new();
    let mut sources: Vec<SourceIx> = Vec::new();
    for m in snapshot.members(edge) {
        for &s in snapshot.dataset.relation(m.relation).evidence() {
            if seen.insert(s) {
                sources.push(s);
            }
        }
    }
    sources
}

/// The arrow between a relation's two ends as people read it: `→` from source to target,
/// `↔` for a mutual one. Text and DOT tooltips write the same.
pub(crate) fn arrow(directed: bool) -> &'static str {
    if directed {
        "→"
    } else {
        "↔"
    }
}

/// Actors' ids, `;`-separated, as the tables write a list of actors.
pub(crate) fn ids(ds: &Dataset, actors: &[ActorIx]) -> String {
    let ids: Vec<&str> = actors.iter().map(|&a| &*ds.actor(a).id).collect();
    ids.join(";")
}

/// `text` escaped for HTML text and attribute values (the dossier, the frames page); control
/// characters but the line break are shown as Rust escapes, as in text output.
pub(crate) fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.extend(c.escape_debug()),
            c => out.push(c),
        }
    }
    out
}
