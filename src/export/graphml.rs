//! The whole dated graph as GraphML, for yEd, Cytoscape, Gephi and networkx: one node per
//! actor, one edge per relation (parallel edges allowed), every field a GraphML data key.
//!
//! # Shape
//!
//! ```xml
//! <graphml xmlns="http://graphml.graphdrawing.org/xmlns" …>
//!   <key id="n_label" for="node" attr.name="label" attr.type="string"/>   the actor's name
//!   … n_name, n_kind, n_parent, n_aliases
//!   <key id="e_id" for="edge" attr.name="id" attr.type="string"/>
//!   … e_kind, e_start, e_end, e_possible_from, e_active_from, e_active_until,
//!     e_possible_until, e_directed (boolean), e_evidence, e_summary
//!   <graph id="georel" edgedefault="directed">
//!     <node id="COL"><data key="n_label">Colombia</data>…</node>
//!     <edge id="R" source="COL" target="USA"><data key="e_id">R</data>…</edge>
//! ```
//!
//! Nodes are the actors in id order, edges the relations in dataset order. Every node and
//! edge carries every key of its kind, empty when there is no value (no parent, open end).
//! Lists (`aliases`, `evidence`) are `;`-separated.
//!
//! # Time
//!
//! `start` and `end` are written as in the dataset, at their own precision (`2019-11`, `2019`);
//! `end` is empty when open-ended. `possible_from`, `active_from`, `active_until` and
//! `possible_until` are the days they imply, as half-open intervals like everywhere in georel:
//! the `until` days are exclusive (the first day on which the relation no longer holds), and
//! empty when open-ended. The active period may be empty (`active_from` ≥ `active_until`) when
//! a start and end known only to a month or year leave no certain day.
//!
//! # Direction
//!
//! The graph is directed, and `directed` (a boolean key) says whether each relation is mutual.
//! GraphML can also mark a mutual edge with the XML attribute `directed="false"` (a mixed
//! graph); [`Options::mixed`] writes that, but it is off by default because networkx's
//! `read_graphml` rejects such a file ("directed=false edge found in directed graph").

use std::io::{self, BufWriter, Write};

use crate::date::{Day, OPEN_END};
use crate::export::gexf::{actors_by_id, escape};
use crate::model::Dataset;

/// The GraphML namespace.
pub const NAMESPACE: &str = "http://graphml.graphdrawing.org/xmlns";

/// How to write the GraphML.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Also mark each mutual relation's edge with `directed="false"`, making a mixed graph as
    /// GraphML allows. networkx cannot read such a file.
    pub mixed: bool,
}

/// The node keys: (key id, attribute name).
pub const NODE_KEYS: [(&str, &str); 5] = [
    ("n_label", "label"),
    ("n_name", "name"),
    ("n_kind", "kind"),
    ("n_parent", "parent"),
    ("n_aliases", "aliases"),
];

/// The edge keys: (key id, attribute name, GraphML type).
pub const EDGE_KEYS: [(&str, &str, &str); 15] = [
    ("e_id", "id", "string"),
    ("e_kind", "kind", "string"),
    ("e_start", "start", "string"),
    ("e_end", "end", "string"),
    ("e_possible_from", "possible_from", "string"),
    ("e_active_from", "active_from", "string"),
    ("e_active_until", "active_until", "string"),
    ("e_possible_until", "possible_until", "string"),
    ("e_directed", "directed", "boolean"),
    ("e_evidence", "evidence", "string"),
    ("e_summary", "summary", "string"),
    ("e_claimant", "claimant", "string"),
    ("e_claimant_name", "claimant_name", "string"),
    ("e_credibility", "credibility", "string"),
    ("e_grade", "grade", "string"),
];

/// Writes the whole dataset as GraphML with the default [`Options`] (see the module docs).
///
/// # Errors
/// When `out` fails.
pub fn write(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    write_with(ds, Options::default(), out)
}

/// Writes the whole dataset as GraphML.
///
/// # Errors
/// When `out` fails.
pub fn write_with(ds: &Dataset, options: Options, out: &mut dyn Write) -> io::Result<()> {
    let mut w = BufWriter::new(out);
    w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    writeln!(
        w,
        "<graphml xmlns=\"{NAMESPACE}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"{NAMESPACE} {NAMESPACE}/1.0/graphml.xsd\">"
    )?;
    for (id, name) in NODE_KEYS {
        writeln!(w, "  <key id=\"{id}\" for=\"node\" attr.name=\"{name}\" attr.type=\"string\"/>")?;
    }
    for (id, name, ty) in EDGE_KEYS {
        writeln!(w, "  <key id=\"{id}\" for=\"edge\" attr.name=\"{name}\" attr.type=\"{ty}\"/>")?;
    }
    w.write_all(b"  <graph id=\"georel\" edgedefault=\"directed\">\n")?;

    for ix in actors_by_id(ds) {
        let a = ds.actor(ix);
        let parent = a.parent.map_or("", |p| &*ds.actor(p).id);
        let aliases = a.aliases.join(";");
        writeln!(w, "    <node id=\"{}\">", escape(&a.id))?;
        for ((key, _), value) in NODE_KEYS.iter().zip([&*a.name, &a.name, a.kind.as_str(), parent, &aliases])
        {
            data(&mut w, key, value)?;
        }
        w.write_all(b"    </node>\n")?;
    }

    for r in &ds.relations {
        let id = r.id.key().into_owned();
        let day = |d: Day| if d == OPEN_END { String::new() } else { d.to_string() };
        let evidence: Vec<&str> = r.evidence().iter().map(|s| &*ds.source(*s).id).collect();
        write!(
            w,
            "    <edge id=\"{}\" source=\"{}\" target=\"{}\"",
            escape(&id),
            escape(&ds.actor(r.source).id),
            escape(&ds.actor(r.target).id)
        )?;
        if options.mixed && !r.directed {
            w.write_all(b" directed=\"false\"")?;
        }
        w.write_all(b">\n")?;
        let values = [
            id.clone(),
            r.kind.to_string(),
            r.start.to_string(),
            r.end.map(|e| e.to_string()).unwrap_or_default(),
            day(r.span.possible_from),
            day(r.span.active_from),
            day(r.span.active_until),
            day(r.span.possible_until),
            r.directed.to_string(),
            evidence.join(";"),
            r.summary().to_string(),
            r.claimant().map(|c| ds.actor(c).id.to_string()).unwrap_or_default(),
            r.claimant().map(|c| ds.actor(c).name.to_string()).unwrap_or_default(),
            r.credibility.map(|c| c.to_string()).unwrap_or_default(),
            ds.grade_of(r).to_string(),
        ];
        for ((key, _, _), value) in EDGE_KEYS.iter().zip(&values) {
            data(&mut w, key, value)?;
        }
        w.write_all(b"    </edge>\n")?;
    }
    w.write_all(b"  </graph>\n</graphml>\n")?;
    w.flush()
}

fn data(w: &mut impl Write, key: &str, value: &str) -> io::Result<()> {
    writeln!(w, "      <data key=\"{key}\">{}</data>", escape(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{PartialDate, Span};
    use crate::model::{Actor, ActorIx, ActorKind, Notes, Relation, RelationId, RelationKind};

    fn dataset() -> Dataset {
        let actor = |id: &str, parent: Option<u32>| Actor {
            id: id.into(),
            name: format!("{id} & <co>").into(),
            kind: ActorKind::Country,
            parent: parent.map(ActorIx),
            aliases: Box::new(["x".into(), "y".into()]),
        };
        let relation = |id: &str, directed: bool, start: &str, end: Option<&str>| {
            let start = PartialDate::parse(start).unwrap();
            let end = end.map(|e| PartialDate::parse(e).unwrap());
            Relation {
                id: RelationId::Named(id.into()),
                source: ActorIx(1),
                target: ActorIx(0),
                kind: RelationKind::Dispute,
                directed,
                start,
                end,
                span: Span::new(start, end).unwrap(),
                notes: Notes::new(Vec::new(), "two\nlines".into()),
                credibility: None,
            }
        };
        Dataset::new(
            vec![actor("b", None), actor("a", Some(0))],
            Vec::new(),
            vec![
                relation("mutual", false, "2019-11", None),
                relation("one-way", true, "2019", Some("2020-02-01")),
            ],
        )
    }

    fn written(options: Options) -> String {
        let mut out = Vec::new();
        write_with(&dataset(), options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn nodes_in_id_order_and_every_key_on_every_element() {
        let text = written(Options::default());
        assert!(text.find("<node id=\"a\">").unwrap() < text.find("<node id=\"b\">").unwrap());
        assert!(text.contains(
            "<node id=\"a\">\n      <data key=\"n_label\">a &amp; &lt;co&gt;</data>\n      \
             <data key=\"n_name\">a &amp; &lt;co&gt;</data>\n      <data key=\"n_kind\">country</data>\n      \
             <data key=\"n_parent\">b</data>\n      <data key=\"n_aliases\">x;y</data>\n    </node>"
        ));
        assert!(text.contains("<data key=\"n_parent\"></data>"), "no parent: empty");
        assert!(text.contains(
            "<edge id=\"one-way\" source=\"a\" target=\"b\">\n      <data key=\"e_id\">one-way</data>\n      \
             <data key=\"e_kind\">dispute</data>\n      <data key=\"e_start\">2019</data>\n      \
             <data key=\"e_end\">2020-02-01</data>\n      <data key=\"e_possible_from\">2019-01-01</data>\n      \
             <data key=\"e_active_from\">2020-01-01</data>\n      <data key=\"e_active_until\">2020-02-01</data>\n      \
             <data key=\"e_possible_until\">2020-02-01</data>\n      <data key=\"e_directed\">true</data>\n      \
             <data key=\"e_evidence\"></data>\n      <data key=\"e_summary\">two&#10;lines</data>\n      \
             <data key=\"e_claimant\"></data>\n      <data key=\"e_claimant_name\"></data>\n      \
             <data key=\"e_credibility\"></data>\n      <data key=\"e_grade\">F6</data>\n    </edge>"
        ));
        assert_eq!(text.matches("<data key=\"e_").count(), 2 * EDGE_KEYS.len());
        assert_eq!(text.matches("<data key=\"n_").count(), 2 * NODE_KEYS.len());
    }

    #[test]
    fn mutual_edges_are_marked_undirected_only_in_the_mixed_form() {
        let plain = written(Options::default());
        assert!(!plain.contains("directed=\"false\""));
        assert!(plain.contains("<edge id=\"mutual\" source=\"a\" target=\"b\">"));
        let mixed = written(Options { mixed: true });
        assert!(mixed.contains("<edge id=\"mutual\" source=\"a\" target=\"b\" directed=\"false\">"));
        assert!(mixed.contains("<edge id=\"one-way\" source=\"a\" target=\"b\">"));
        assert_eq!(plain.replace(" directed=\"false\"", ""), mixed.replace(" directed=\"false\"", ""));
    }
}
