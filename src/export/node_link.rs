//! The whole dated graph as node-link JSON, for d3 and cytoscape.js scripts and networkx's
//! `node_link_graph(data, edges="links")`.
//!
//! # Shape
//!
//! ```json
//! {
//!   "directed": true,
//!   "multigraph": true,
//!   "graph": {"name": "georel"},
//!   "nodes": [{"id": "CIA", "name": "Central Intelligence Agency", "kind": "agency",
//!              "parent": "USA", "aliases": []}],
//!   "links": [{"id": "COL-USA-SUSPENSION", "source": "COL", "target": "USA",
//!              "kind": "restriction", "directed": true, "start": "2025-11-11", "end": null,
//!              "possible_from": "2025-11-11", "active_from": "2025-11-11",
//!              "active_until": null, "possible_until": null,
//!              "evidence": ["LAREPORT-2025-11-12"], "summary": "…",
//!              "claimant": "PETRO", "credibility": 2, "grade": "B2"}]
//! }
//! ```
//!
//! Nodes are the actors in id order (`parent` is `null` without one); links are the relations
//! in dataset order, each its own link (parallel links are normal). `start` and `end` are as
//! written in the dataset, at their own precision, `end` `null` when open-ended;
//! `possible_from` … `possible_until` are the days they imply, half-open (the `until` days
//! are exclusive), `null` when open-ended.

use std::io::{self, BufWriter, Write};

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use crate::date::{Day, OPEN_END};
use crate::export::gexf::actors_by_id;
use crate::model::{ActorIx, Credibility, Dataset, Relation};

#[derive(Serialize)]
struct Doc<'a> {
    directed: bool,
    multigraph: bool,
    graph: GraphMeta,
    nodes: Nodes<'a>,
    links: Links<'a>,
}

#[derive(Serialize)]
struct GraphMeta {
    name: &'static str,
}

#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    parent: Option<&'a str>,
    aliases: &'a [Box<str>],
}

#[derive(Serialize)]
struct Link<'a> {
    id: String,
    source: &'a str,
    target: &'a str,
    kind: &'static str,
    directed: bool,
    start: String,
    end: Option<String>,
    possible_from: String,
    active_from: String,
    active_until: Option<String>,
    possible_until: Option<String>,
    evidence: Vec<&'a str>,
    summary: &'a str,
    /// The claimant's id, or null.
    claimant: Option<&'a str>,
    /// 1–6, or null when not given.
    credibility: Option<u8>,
    grade: String,
}

/// The nodes, serialised one by one rather than collected first.
struct Nodes<'a>(&'a Dataset, Vec<ActorIx>);

impl Serialize for Nodes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ds = self.0;
        let mut seq = serializer.serialize_seq(Some(self.1.len()))?;
        for &ix in &self.1 {
            let a = ds.actor(ix);
            seq.serialize_element(&Node {
                id: &a.id,
                name: &a.name,
                kind: a.kind.as_str(),
                parent: a.parent.map(|p| &*ds.actor(p).id),
                aliases: &a.aliases,
            })?;
        }
        seq.end()
    }
}

/// The links, serialised one by one.
struct Links<'a>(&'a Dataset);

impl Serialize for Links<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ds = self.0;
        let mut seq = serializer.serialize_seq(Some(ds.relations.len()))?;
        for r in &ds.relations {
            seq.serialize_element(&link(ds, r))?;
        }
        seq.end()
    }
}

fn day(d: Day) -> Option<String> {
    (d != OPEN_END).then(|| d.to_string())
}

fn link<'a>(ds: &'a Dataset, r: &'a Relation) -> Link<'a> {
    Link {
        id: r.id.key().into_owned(),
        source: &ds.actor(r.source).id,
        target: &ds.actor(r.target).id,
        kind: r.kind.as_str(),
        directed: r.directed,
        start: r.start.to_string(),
        end: r.end.map(|e| e.to_string()),
        possible_from: r.span.possible_from.to_string(),
        active_from: r.span.active_from.to_string(),
        active_until: day(r.span.active_until),
        possible_until: day(r.span.possible_until),
        evidence: r.evidence().iter().map(|s| &*ds.source(*s).id).collect(),
        summary: r.summary(),
        claimant: r.claimant().map(|c| &*ds.actor(c).id),
        credibility: r.credibility.map(Credibility::number),
        grade: ds.grade_of(r).to_string(),
    }
}

/// Writes the whole dataset as node-link JSON (see the module docs), pretty-printed.
///
/// # Errors
/// When `out` fails.
pub fn write(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let doc = Doc {
        directed: true,
        multigraph: true,
        graph: GraphMeta { name: "georel" },
        nodes: Nodes(ds, actors_by_id(ds)),
        links: Links(ds),
    };
    let mut w = BufWriter::new(out);
    serde_json::to_writer_pretty(&mut w, &doc).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{PartialDate, Span};
    use crate::model::{Actor, ActorKind, Notes, RelationId, RelationKind, Source, SourceIx};

    fn dataset() -> Dataset {
        let actor = |id: &str, parent: Option<u32>, aliases: &[&str]| Actor {
            id: id.into(),
            name: format!("{id} \"name\"").into(),
            kind: ActorKind::Agency,
            parent: parent.map(ActorIx),
            aliases: aliases.iter().map(|a| Box::from(*a)).collect(),
        };
        let start = PartialDate::parse("2019-11").unwrap();
        let end = PartialDate::parse("2021").unwrap();
        let source = Source {
            id: "S1".into(),
            title: "T".into(),
            publisher: "".into(),
            published: None,
            url: "".into(),
            reliability: None,
        };
        Dataset::new(
            vec![actor("b", None, &["bee", "B;"]), actor("a", Some(0), &[])],
            vec![source],
            vec![
                Relation {
                    id: RelationId::Line(3),
                    source: ActorIx(1),
                    target: ActorIx(0),
                    kind: RelationKind::Restriction,
                    directed: true,
                    start,
                    end: Some(end),
                    span: Span::new(start, Some(end)).unwrap(),
                    notes: Notes::new([SourceIx(0), SourceIx(0)], "line\nbreak".into()),
                    credibility: None,
                },
                Relation {
                    id: RelationId::Named("open".into()),
                    source: ActorIx(0),
                    target: ActorIx(1),
                    kind: RelationKind::Cooperation,
                    directed: false,
                    start,
                    end: None,
                    span: Span::new(start, None).unwrap(),
                    notes: Notes::new(Vec::new(), "".into()),
                    credibility: None,
                },
            ],
        )
    }

    #[test]
    fn the_documented_shape() {
        let mut out = Vec::new();
        write(&dataset(), &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let expected = serde_json::json!({
            "directed": true,
            "multigraph": true,
            "graph": {"name": "georel"},
            "nodes": [
                {"id": "a", "name": "a \"name\"", "kind": "agency", "parent": "b", "aliases": []},
                {"id": "b", "name": "b \"name\"", "kind": "agency", "parent": null, "aliases": ["bee", "B;"]},
            ],
            "links": [
                {"id": "3", "source": "a", "target": "b", "kind": "restriction", "directed": true,
                 "start": "2019-11", "end": "2021", "possible_from": "2019-11-01",
                 "active_from": "2019-12-01", "active_until": "2021-01-01",
                 "possible_until": "2022-01-01", "evidence": ["S1", "S1"], "summary": "line\nbreak",
                 "claimant": null, "credibility": null, "grade": "F6"},
                {"id": "open", "source": "b", "target": "a", "kind": "cooperation", "directed": false,
                 "start": "2019-11", "end": null, "possible_from": "2019-11-01",
                 "active_from": "2019-12-01", "active_until": null, "possible_until": null,
                 "evidence": [], "summary": "", "claimant": null, "credibility": null, "grade": "F6"},
            ],
        });
        assert_eq!(v, expected);
        // Keys in the documented order.
        let text = String::from_utf8(out).unwrap();
        let order = ["\"directed\"", "\"multigraph\"", "\"graph\"", "\"nodes\"", "\"links\""];
        let positions: Vec<usize> = order.iter().map(|k| text.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    }
}
