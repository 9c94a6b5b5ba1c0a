//! A snapshot as one JSON object for scripts: `{"date", "actors": [...], "relations": [...]}`,
//! with the same fields as the CSV tables. The shape is stable and documented in the README.

use std::io::{self, Write};

use serde::Serialize;

use crate::snapshot::Snapshot;

#[derive(Serialize)]
struct Document<'a> {
    date: String,
    strict: bool,
    actors: Vec<ActorOut<'a>>,
    relations: Vec<RelationOut<'a>>,
}

#[derive(Serialize)]
struct ActorOut<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    parent: Option<&'a str>,
    degree: u32,
}

#[derive(Serialize)]
struct RelationOut<'a> {
    id: String,
    source: &'a str,
    target: &'a str,
    kind: &'static str,
    start: String,
    end: Option<String>,
    directed: bool,
    status: &'static str,
    contested: bool,
    evidence: Vec<&'a str>,
    summary: &'a str,
}

/// Writes the snapshot as pretty-printed JSON followed by a newline.
///
/// # Errors
/// When `out` fails.
pub fn write(snapshot: &Snapshot<'_>, out: &mut dyn Write) -> io::Result<()> {
    let ds = snapshot.dataset;
    let doc = Document {
        date: snapshot.date.to_string(),
        strict: snapshot.filter.strict,
        actors: snapshot
            .nodes
            .iter()
            .map(|n| {
                let a = ds.actor(n.actor);
                ActorOut {
                    id: &a.id,
                    name: &a.name,
                    kind: a.kind.as_str(),
                    parent: a.parent.map(|p| &*ds.actor(p).id),
                    degree: n.degree,
                }
            })
            .collect(),
        relations: snapshot
            .edges
            .iter()
            .map(|e| {
                let r = ds.relation(e.relation);
                RelationOut {
                    id: r.id.to_string(),
                    source: &ds.actor(r.source).id,
                    target: &ds.actor(r.target).id,
                    kind: r.kind.as_str(),
                    start: r.start.to_string(),
                    end: r.end.map(|d| d.to_string()),
                    directed: r.directed,
                    status: e.status.as_str(),
                    contested: e.contested,
                    evidence: r.evidence.iter().map(|s| &*ds.source(*s).id).collect(),
                    summary: &r.summary,
                }
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}
