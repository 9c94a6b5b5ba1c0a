//! The exchange formats: GEXF (validated against our schema of the GEXF 1.3 subset georel
//! writes, with `xmllint`), GraphML, node-link JSON, the analyst's CSV sheet, and georel's own
//! dataset format (a property test of the round trip through `load::load`).
//!
//! Each format is checked on the shipped data (`data/`) and on a hazard dataset whose ids,
//! names and summaries hold markup, quotes, line breaks, characters XML cannot carry and
//! formula starts, with relations of every date shape.
//!
//! The schema tests need `xmllint` on the PATH and fail (not skip) without it:
//! `apt-get install libxml2-utils`. The networkx check needs a python3 that can import networkx
//! (`python3` on the PATH, or the system's `/usr/bin/python3`) and fails without one:
//! `tools/test` installs `python3-networkx` when neither can.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use georel::date::{Day, PartialDate, Precision, Span, Status, OPEN_END};
use georel::export::{dataset, gexf, graphml, node_link, sheet};
use georel::model::{
    Actor, ActorIx, ActorKind, Credibility, Dataset, Notes, Relation, RelationId, RelationKind, Reliability,
    Source, SourceIx,
};
use jiff::civil::{date, Date};
use proptest::prelude::*;
use proptest::sample::{select, Index};

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

fn shipped() -> Dataset {
    georel::load::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).expect("the shipped data loads")
}

fn p(text: &str) -> PartialDate {
    PartialDate::parse(text).unwrap()
}

/// (id, name, kind, parent id).
const HAZARD_ACTORS: &[(&str, &str, ActorKind, Option<&str>)] = &[
    ("USA", "United States", ActorKind::Country, None),
    ("Fish & Chips", "Fish & Chips < Pie > \"Tea\" 'n' biscuits", ActorKind::Organisation, None),
    ("a\nb", "first line\nsecond line\r\nthird\ttabbed", ActorKind::Agency, Some("USA")),
    (
        "ctl\u{1}id",
        "bell\u{7} nul\u{0} vt\u{b} ff\u{c} esc\u{1b} nonchars \u{fffe}\u{ffff}",
        ActorKind::Person,
        None,
    ),
    ("]]>", "<![CDATA[x]]> <!-- not a comment --> <?pi?>", ActorKind::Alliance, None),
    ("12345", "12345", ActorKind::Country, None),
    ("Bogotá", "Bogotá D.C. 🌍🤝🏽 \u{202e}rtl", ActorKind::Country, None),
    ("=cmd", "=HYPERLINK(\"http://evil.example\")", ActorKind::Country, None),
    ("+1", "+1 Group", ActorKind::Country, None),
    ("-2", "-2 Council", ActorKind::Country, None),
    ("@SUM", "@SUM(A1)", ActorKind::Unknown, None),
    ("lonely", "No relations at all", ActorKind::Person, Some("Bogotá")),
    ("spaced id", "  padded name  ", ActorKind::Agreement, None),
    ("&amp;", "&amp; literally", ActorKind::Organisation, None),
];

/// (id, title).
const HAZARD_SOURCES: &[(&str, &str)] =
    &[("SRC-1", "@Title = bad"), ("SRC-2", ""), ("S&<3", "-minus, \"quoted\" title")];

/// (id or None for a line id, source, target, kind, start, end, directed, evidence, summary).
type HazardRelation = (
    Option<&'static str>,
    &'static str,
    &'static str,
    RelationKind,
    &'static str,
    Option<&'static str>,
    bool,
    &'static [usize],
    &'static str,
);

const HAZARD_RELATIONS: &[HazardRelation] = &[
    (
        Some("R&1"),
        "USA",
        "Fish & Chips",
        RelationKind::Cooperation,
        "2019-11",
        None,
        false,
        &[0],
        "month start, open",
    ),
    (
        None,
        "a\nb",
        "Bogotá",
        RelationKind::Restriction,
        "2019-11-11",
        Some("2019-12-01"),
        true,
        &[],
        "day end",
    ),
    (Some("par-1"), "USA", "Bogotá", RelationKind::Cooperation, "2014", Some("2016"), false, &[1], "years"),
    (
        Some("par-2"),
        "USA",
        "Bogotá",
        RelationKind::Cooperation,
        "2015-06-01",
        None,
        false,
        &[2, 0],
        "parallel",
    ),
    (
        Some("same-month"),
        "ctl\u{1}id",
        "]]>",
        RelationKind::Membership,
        "2019-11",
        Some("2019-11"),
        true,
        &[],
        "only possible",
    ),
    (
        Some("mixed"),
        "12345",
        "=cmd",
        RelationKind::Dispute,
        "2019-11-15",
        Some("2019-11"),
        false,
        &[],
        "mixed\u{0}",
    ),
    (Some("extremes"), "+1", "-2", RelationKind::Dispute, "0001", Some("9998"), false, &[], "-from year 1"),
    (
        Some("say \"hi\"\tnow\n"),
        "@SUM",
        "USA",
        RelationKind::Restriction,
        "2025-11-11",
        None,
        true,
        &[0, 1, 2],
        "=1+1",
    ),
    (Some("amp"), "&amp;", "Fish & Chips", RelationKind::Membership, "9998-12", None, true, &[], "+late"),
    (
        Some("leap"),
        "spaced id",
        "USA",
        RelationKind::Cooperation,
        "2020-02-29",
        Some("2020-03-01"),
        false,
        &[],
        "@one day",
    ),
    (
        Some("]]><!--"),
        "Fish & Chips",
        "USA",
        RelationKind::Dispute,
        "2024-02",
        Some("2024-03-15"),
        true,
        &[2],
        "<b>bold</b> & ]]> 'single' \"double\"\r\nCRLF\rCR\u{b}VT\u{fffe}",
    ),
];

/// A dataset of everything that XML, JSON and CSV writers could get wrong.
fn hazard() -> Dataset {
    let ix = |id: &str| ActorIx(HAZARD_ACTORS.iter().position(|a| a.0 == id).expect("known actor") as u32);
    let actors = HAZARD_ACTORS
        .iter()
        .map(|&(id, name, kind, parent)| Actor {
            id: id.into(),
            name: name.into(),
            kind,
            parent: parent.map(ix),
            aliases: Box::new(["alias; with semicolon".into(), "=alias".into()]),
        })
        .collect();
    let sources = HAZARD_SOURCES
        .iter()
        .map(|&(id, title)| Source {
            id: id.into(),
            title: title.into(),
            publisher: "Pub & Co".into(),
            published: Some(p("2025-11")),
            url: "https://example.org/?a=1&b=2".into(),
            reliability: Some(Reliability::B),
        })
        .collect();
    let relations = HAZARD_RELATIONS
        .iter()
        .enumerate()
        .map(|(i, &(id, s, t, kind, start, end, directed, evidence, summary))| {
            let (start, end) = (p(start), end.map(p));
            Relation {
                id: id.map_or(RelationId::Line(i as u32 + 2), |id| RelationId::Named(id.into())),
                source: ix(s),
                target: ix(t),
                kind,
                directed,
                start,
                end,
                span: Span::new(start, end).unwrap(),
                notes: Notes::new(
                    evidence.iter().map(|&e| SourceIx(e as u32)).collect::<Vec<_>>(),
                    summary.into(),
                ),
                credibility: None,
            }
        })
        .collect();
    Dataset::new(actors, sources, relations)
}

fn render(write: fn(&Dataset, &mut dyn Write) -> std::io::Result<()>, ds: &Dataset) -> String {
    let mut out = Vec::new();
    write(ds, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("output is UTF-8")
}

/// Text as an XML parser reads it back: characters XML 1.0 cannot carry become U+FFFD.
fn as_xml(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

fn day(text: &str) -> Day {
    text.parse().unwrap_or_else(|e| panic!("{text:?} is not a day: {e}"))
}

/// The days on which each relation's status may change, with their neighbours.
fn probe_days<'a>(relations: impl Iterator<Item = &'a Relation>) -> Vec<Day> {
    let mut days = Vec::new();
    for r in relations {
        let s = r.span;
        for bound in [s.possible_from, s.active_from, s.active_until, s.possible_until] {
            if bound == OPEN_END {
                continue;
            }
            days.push(bound);
            days.extend(bound.yesterday().ok());
            days.extend(bound.tomorrow().ok());
        }
    }
    days.sort_unstable();
    days.dedup();
    days
}

/// Whether `d` is inside the inclusive GEXF interval `[start, end]` (no end: open).
fn within(d: Day, start: Day, end: Option<Day>) -> bool {
    start <= d && end.is_none_or(|e| d <= e)
}

// ---------------------------------------------------------------------------------------------
// GEXF: schema validation with xmllint
// ---------------------------------------------------------------------------------------------

fn schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema/gexf-1.3-georel.xsd")
}

/// Validates a document against our GEXF schema; `Err` holds xmllint's complaint.
fn xmllint(document: &str) -> Result<(), String> {
    let mut child = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema())
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run xmllint ({e}); the GEXF schema tests need it: install the Debian package \
                 libxml2-utils (apt-get install libxml2-utils)"
            )
        });
    child.stdin.take().unwrap().write_all(document.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
fn gexf_of_the_shipped_data_is_valid_against_the_schema() {
    xmllint(&render(gexf::write, &shipped())).unwrap_or_else(|e| panic!("invalid GEXF:\n{e}"));
}

#[test]
fn gexf_of_the_hazard_dataset_is_valid_against_the_schema() {
    xmllint(&render(gexf::write, &hazard())).unwrap_or_else(|e| panic!("invalid GEXF:\n{e}"));
}

#[test]
fn gexf_of_an_empty_dataset_is_valid_against_the_schema() {
    let empty = Dataset::new(Vec::new(), Vec::new(), Vec::new());
    xmllint(&render(gexf::write, &empty)).unwrap_or_else(|e| panic!("invalid GEXF:\n{e}"));
}

/// The schema is not vacuous: documents that break it in each way it checks are rejected.
#[test]
fn the_schema_rejects_broken_gexf() {
    let good = render(gexf::write, &shipped());
    let edge = "<edge id=\"COL-USA-SUSPENSION\" source=\"COL\" target=\"USA\"";
    assert!(good.contains(edge));
    let breakages = [
        ("an edge without a source", good.replacen(" source=\"COL\" target=\"USA\"", " target=\"USA\"", 1)),
        (
            "an edge to an unknown node",
            good.replacen(edge, "<edge id=\"COL-USA-SUSPENSION\" source=\"COL\" target=\"NOWHERE\"", 1),
        ),
        ("a partial date", good.replacen("start=\"2025-11-11\"", "start=\"2025-11\"", 1)),
        ("a duplicate node id", good.replacen("<node id=\"AUS\"", "<node id=\"AIVD\"", 1)),
        ("an undeclared attribute", good.replacen("for=\"summary\"", "for=\"synopsis\"", 1)),
        ("another version", good.replacen("version=\"1.3\"", "version=\"1.2\"", 1)),
        (
            "another namespace",
            good.replacen("xmlns=\"http://gexf.net/1.3\"", "xmlns=\"http://gexf.net/1.2draft\"", 1),
        ),
        ("an unknown edge type", good.replacen("type=\"undirected\"", "type=\"sideways\"", 1)),
        ("edges before nodes", {
            let (nodes_at, edges_at) = (good.find("    <nodes").unwrap(), good.find("    <edges").unwrap());
            let end = good.find("  </graph>").unwrap();
            format!(
                "{}{}{}{}",
                &good[..nodes_at],
                &good[edges_at..end],
                &good[nodes_at..edges_at],
                &good[end..]
            )
        }),
        ("an element georel does not write", good.replacen("<spells>", "<viz:size value=\"1\"/><spells>", 1)),
    ];
    for (what, broken) in breakages {
        assert_ne!(broken, good, "{what}: the breakage must change the document");
        assert!(xmllint(&broken).is_err(), "the schema accepted {what}");
    }
}

// ---------------------------------------------------------------------------------------------
// GEXF: content
// ---------------------------------------------------------------------------------------------

struct GexfEdge {
    source: String,
    target: String,
    kind: String,
    label: String,
    undirected: bool,
    start: Day,
    end: Option<Day>,
    attrs: BTreeMap<String, String>,
    status: Vec<(Status, Day, Option<Day>)>,
}

struct GexfNode {
    label: String,
    attrs: BTreeMap<String, String>,
    spells: Vec<(Day, Option<Day>)>,
}

fn opt_day(node: roxmltree::Node<'_, '_>, name: &str) -> Option<Day> {
    node.attribute(name).map(day)
}

fn attvalues<'a, 'input>(n: roxmltree::Node<'a, 'input>) -> Vec<roxmltree::Node<'a, 'input>> {
    n.descendants().filter(|a| a.has_tag_name((gexf::NAMESPACE, "attvalue"))).collect()
}

/// The nodes and edges of a GEXF document, each with its id, in document order.
type Gexf = (Vec<(String, GexfNode)>, Vec<(String, GexfEdge)>);

fn parse_gexf(text: &str) -> Gexf {
    let doc = roxmltree::Document::parse(text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(gexf::NAMESPACE));
    assert_eq!(root.attribute("version"), Some("1.3"));
    let graph = root.children().find(|n| n.has_tag_name((gexf::NAMESPACE, "graph"))).unwrap();
    for (name, value) in [
        ("mode", "dynamic"),
        ("timeformat", "date"),
        ("timerepresentation", "interval"),
        ("defaultedgetype", "directed"),
    ] {
        assert_eq!(graph.attribute(name), Some(value), "graph {name}");
    }
    let elements = |tag: &'static str| {
        doc.descendants().filter(move |n| n.has_tag_name((gexf::NAMESPACE, tag))).collect::<Vec<_>>()
    };
    let nodes = elements("node")
        .into_iter()
        .map(|n| {
            let attrs = attvalues(n)
                .iter()
                .map(|a| (a.attribute("for").unwrap().to_string(), a.attribute("value").unwrap().to_string()))
                .collect();
            let spells = n
                .descendants()
                .filter(|s| s.has_tag_name((gexf::NAMESPACE, "spell")))
                .map(|s| (opt_day(s, "start").unwrap(), opt_day(s, "end")))
                .collect();
            let label = n.attribute("label").unwrap().to_string();
            (n.attribute("id").unwrap().to_string(), GexfNode { label, attrs, spells })
        })
        .collect();
    let edges = elements("edge")
        .into_iter()
        .map(|e| {
            let mut attrs = BTreeMap::new();
            let mut status = Vec::new();
            for a in attvalues(e) {
                let (key, value) = (a.attribute("for").unwrap(), a.attribute("value").unwrap());
                if key == "status" {
                    let s = match value {
                        "possible" => Status::Possible,
                        "active" => Status::Active,
                        other => panic!("unknown status {other:?}"),
                    };
                    status.push((s, opt_day(a, "start").unwrap(), opt_day(a, "end")));
                } else {
                    attrs.insert(key.to_string(), value.to_string());
                }
            }
            let edge = GexfEdge {
                source: e.attribute("source").unwrap().to_string(),
                target: e.attribute("target").unwrap().to_string(),
                kind: e.attribute("kind").unwrap().to_string(),
                label: e.attribute("label").unwrap().to_string(),
                undirected: match e.attribute("type") {
                    None => false,
                    Some("undirected") => true,
                    Some(other) => panic!("unexpected edge type {other:?}"),
                },
                start: opt_day(e, "start").unwrap(),
                end: opt_day(e, "end"),
                attrs,
                status,
            };
            (e.attribute("id").unwrap().to_string(), edge)
        })
        .collect();
    (nodes, edges)
}

fn check_gexf(ds: &Dataset) {
    let (nodes, edges) = parse_gexf(&render(gexf::write, ds));

    // Every actor, in id order, with its name, kind, parent and lifetime.
    let mut ids: Vec<&str> = ds.actors.iter().map(|a| &*a.id).collect();
    ids.sort_unstable();
    let expected_ids: Vec<String> = ids.iter().map(|id| as_xml(id)).collect();
    let node_ids: Vec<&String> = nodes.iter().map(|(id, _)| id).collect();
    assert_eq!(node_ids, expected_ids.iter().collect::<Vec<_>>());
    for (i, a) in ds.actors.iter().enumerate() {
        let (_, node) = nodes.iter().find(|(id, _)| *id == as_xml(&a.id)).unwrap();
        assert_eq!(node.label, as_xml(&a.name));
        assert_eq!(node.attrs.get("kind").map(String::as_str), Some(a.kind.as_str()));
        assert_eq!(node.attrs.get("parent"), a.parent.map(|p| as_xml(&ds.actor(p).id)).as_ref());
        let own: Vec<&Relation> =
            ds.relations.iter().filter(|r| r.source.index() == i || r.target.index() == i).collect();
        assert_eq!(node.spells.is_empty(), own.is_empty(), "{:?}: spells only with relations", a.id);
        assert!(
            node.spells.windows(2).all(|w| w[0].1.is_some_and(|end| end.tomorrow().unwrap() < w[1].0)),
            "{:?}: spells are merged, in order, and do not touch",
            a.id
        );
        for d in probe_days(own.iter().copied()) {
            let alive = own.iter().any(|r| r.span.status_on(d).is_some());
            let in_spell = node.spells.iter().any(|&(s, e)| within(d, s, e));
            assert_eq!(in_spell, alive, "{:?} on {d}", a.id);
        }
    }

    // Every relation, in dataset order, with inclusive bounds and its status over time.
    assert_eq!(edges.len(), ds.relations.len());
    for (r, (id, e)) in ds.relations.iter().zip(&edges) {
        assert_eq!(*id, as_xml(&r.id.key()));
        assert_eq!(e.source, as_xml(&ds.actor(r.source).id));
        assert_eq!(e.target, as_xml(&ds.actor(r.target).id));
        assert_eq!(e.kind, r.kind.as_str());
        assert_eq!(e.label, r.kind.as_str());
        assert_eq!(e.undirected, !r.directed);
        assert_eq!(e.start, r.span.possible_from);
        match e.end {
            None => assert!(r.end.is_none(), "{id}: only open-ended relations have no end"),
            Some(end) => {
                assert_eq!(end.tomorrow().unwrap(), r.span.possible_until, "{id}: inclusive end");
                if let Some(written) = r.end {
                    match written.precision() {
                        Precision::Day => assert_eq!(end, written.first().yesterday().unwrap()),
                        // The last day of the end's month or year.
                        _ => assert_eq!(end, written.after().yesterday().unwrap()),
                    }
                }
            }
        }
        let evidence: Vec<&str> = r.evidence().iter().map(|s| &*ds.source(*s).id).collect();
        assert_eq!(e.attrs["evidence"], as_xml(&evidence.join(";")));
        assert_eq!(e.attrs["summary"], as_xml(r.summary()));
        assert_eq!(e.status.first().map(|s| s.1), Some(e.start), "{id}: status from the start");
        assert_eq!(e.status.last().map(|s| s.2), Some(e.end), "{id}: status until the end");
        for d in probe_days(std::iter::once(r)) {
            let written: Vec<Status> =
                e.status.iter().filter(|&&(_, s, end)| within(d, s, end)).map(|&(st, _, _)| st).collect();
            let expected: Vec<Status> = r.span.status_on(d).into_iter().collect();
            assert_eq!(written, expected, "{id} on {d}");
        }
    }
}

#[test]
fn gexf_of_the_shipped_data_has_every_actor_and_relation_with_its_dates() {
    check_gexf(&shipped());
}

#[test]
fn gexf_of_the_hazard_dataset_has_every_actor_and_relation_with_its_dates() {
    check_gexf(&hazard());
}

#[test]
fn gexf_maps_half_open_and_partial_dates_to_inclusive_days() {
    let (_, edges) = parse_gexf(&render(gexf::write, &hazard()));
    let edge = |id: &str| &edges.iter().find(|(e, _)| e == id).unwrap().1;
    use Status::{Active, Possible};

    // Day-precision end 2019-12-01 (exclusive): the last day is 2019-11-30.
    let e = edge("3");
    assert_eq!((e.start, e.end), (date(2019, 11, 11), Some(date(2019, 11, 30))));
    assert_eq!(e.status, [(Active, date(2019, 11, 11), Some(date(2019, 11, 30)))]);

    // A start of 2019-11, open-ended: from the 1st, possible until the month ends, no end.
    let e = edge("R&1");
    assert_eq!((e.start, e.end), (date(2019, 11, 1), None));
    assert_eq!(
        e.status,
        [(Possible, date(2019, 11, 1), Some(date(2019, 11, 30))), (Active, date(2019, 12, 1), None)]
    );

    // Years: possible in 2014, active in 2015, possible in 2016, over from 2017.
    let e = edge("par-1");
    assert_eq!((e.start, e.end), (date(2014, 1, 1), Some(date(2016, 12, 31))));
    assert_eq!(
        e.status,
        [
            (Possible, date(2014, 1, 1), Some(date(2014, 12, 31))),
            (Active, date(2015, 1, 1), Some(date(2015, 12, 31))),
            (Possible, date(2016, 1, 1), Some(date(2016, 12, 31))),
        ]
    );

    // Start and end in the same month: only ever possible.
    assert_eq!(edge("same-month").status, [(Possible, date(2019, 11, 1), Some(date(2019, 11, 30)))]);
    // A one-day relation on a leap day.
    let e = edge("leap");
    assert_eq!((e.start, e.end), (date(2020, 2, 29), Some(date(2020, 2, 29))));
    // The extremes of the calendar: year 1 to the end of 9998, and active from 9999-01-01.
    let e = edge("extremes");
    assert_eq!((e.start, e.end), (date(1, 1, 1), Some(date(9998, 12, 31))));
    assert_eq!(
        edge("amp").status,
        [(Possible, date(9998, 12, 1), Some(date(9998, 12, 31))), (Active, date(9999, 1, 1), None)]
    );
}

#[test]
fn gexf_escapes_markup_and_replaces_characters_xml_cannot_carry() {
    let text = render(gexf::write, &hazard());
    for forbidden in ['\u{0}', '\u{1}', '\u{7}', '\u{b}', '\u{c}', '\u{1b}', '\u{fffe}', '\u{ffff}'] {
        assert!(!text.contains(forbidden), "{forbidden:?} written raw");
    }
    assert!(!text.contains("]]><"), "no raw markup from the data");
    assert!(text.contains("label=\"Fish &amp; Chips &lt; Pie &gt; &quot;Tea&quot; &apos;n&apos; biscuits\""));
    assert!(text.contains("first line&#10;second line&#13;&#10;third&#9;tabbed"));
    assert!(text.contains("<node id=\"ctl\u{fffd}id\""));
}

// ---------------------------------------------------------------------------------------------
// GraphML
// ---------------------------------------------------------------------------------------------

fn check_graphml(ds: &Dataset, options: graphml::Options) {
    let mut out = Vec::new();
    graphml::write_with(ds, options, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let ns = graphml::NAMESPACE;
    let root = doc.root_element();
    assert!(root.has_tag_name((ns, "graphml")));

    // Keys: id → (for, attr.name, attr.type), all declared before the graph.
    let keys: BTreeMap<&str, (&str, &str, &str)> = root
        .children()
        .filter(|n| n.has_tag_name((ns, "key")))
        .map(|k| {
            let a = |name: &str| k.attribute(name).unwrap();
            (a("id"), (a("for"), a("attr.name"), a("attr.type")))
        })
        .collect();
    let names = |domain: &str| -> Vec<&str> {
        let mut v: Vec<&str> = keys.values().filter(|k| k.0 == domain).map(|k| k.1).collect();
        v.sort_unstable();
        v
    };
    assert_eq!(names("node"), ["aliases", "kind", "label", "name", "parent"]);
    assert_eq!(
        names("edge"),
        [
            "active_from",
            "active_until",
            "claimant",
            "claimant_name",
            "credibility",
            "directed",
            "end",
            "evidence",
            "grade",
            "id",
            "kind",
            "possible_from",
            "possible_until",
            "start",
            "summary"
        ]
    );
    let graph = root.children().find(|n| n.has_tag_name((ns, "graph"))).unwrap();
    assert_eq!(graph.attribute("edgedefault"), Some("directed"));
    let data = |n: roxmltree::Node<'_, '_>| -> BTreeMap<String, String> {
        n.children()
            .filter(|d| d.has_tag_name((ns, "data")))
            .map(|d| {
                let key = keys[d.attribute("key").unwrap()];
                (key.1.to_string(), d.text().unwrap_or("").to_string())
            })
            .collect()
    };

    let nodes: Vec<_> = graph.children().filter(|n| n.has_tag_name((ns, "node"))).collect();
    let mut ids: Vec<&str> = ds.actors.iter().map(|a| &*a.id).collect();
    ids.sort_unstable();
    assert_eq!(
        nodes.iter().map(|n| n.attribute("id").unwrap().to_string()).collect::<Vec<_>>(),
        ids.iter().map(|id| as_xml(id)).collect::<Vec<_>>()
    );
    for n in &nodes {
        let a = ds.actors.iter().find(|a| as_xml(&a.id) == n.attribute("id").unwrap()).unwrap();
        let d = data(*n);
        assert_eq!(d["label"], as_xml(&a.name));
        assert_eq!(d["name"], as_xml(&a.name));
        assert_eq!(d["kind"], a.kind.as_str());
        assert_eq!(d["parent"], a.parent.map(|p| as_xml(&ds.actor(p).id)).unwrap_or_default());
        assert_eq!(d["aliases"], as_xml(&a.aliases.join(";")));
    }

    let edges: Vec<_> = graph.children().filter(|n| n.has_tag_name((ns, "edge"))).collect();
    assert_eq!(edges.len(), ds.relations.len());
    let day = |d: Day| if d == OPEN_END { String::new() } else { d.to_string() };
    for (r, e) in ds.relations.iter().zip(&edges) {
        let id = as_xml(&r.id.key());
        assert_eq!(e.attribute("id"), Some(&*id));
        assert_eq!(e.attribute("source").unwrap(), as_xml(&ds.actor(r.source).id));
        assert_eq!(e.attribute("target").unwrap(), as_xml(&ds.actor(r.target).id));
        let expected_directed_attribute = (options.mixed && !r.directed).then_some("false");
        assert_eq!(e.attribute("directed"), expected_directed_attribute, "{id}");
        let d = data(*e);
        let evidence: Vec<&str> = r.evidence().iter().map(|s| &*ds.source(*s).id).collect();
        let expected: BTreeMap<String, String> = [
            ("id", id.clone()),
            ("kind", r.kind.to_string()),
            ("start", r.start.to_string()),
            ("end", r.end.map(|e| e.to_string()).unwrap_or_default()),
            ("possible_from", day(r.span.possible_from)),
            ("active_from", day(r.span.active_from)),
            ("active_until", day(r.span.active_until)),
            ("possible_until", day(r.span.possible_until)),
            ("directed", r.directed.to_string()),
            ("evidence", as_xml(&evidence.join(";"))),
            ("summary", as_xml(r.summary())),
            ("claimant", r.claimant().map(|c| as_xml(&ds.actor(c).id)).unwrap_or_default()),
            ("claimant_name", r.claimant().map(|c| as_xml(&ds.actor(c).name)).unwrap_or_default()),
            ("credibility", r.credibility.map(|c| c.to_string()).unwrap_or_default()),
            ("grade", ds.grade_of(r).to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        assert_eq!(d, expected, "{id}");
    }
}

#[test]
fn graphml_has_every_actor_and_relation_with_every_field() {
    for ds in [shipped(), hazard()] {
        check_graphml(&ds, graphml::Options::default());
        check_graphml(&ds, graphml::Options { mixed: true });
    }
}

#[test]
fn graphml_dates_keep_their_precision_and_until_days_are_exclusive() {
    let text = render(graphml::write, &hazard());
    let edge = |id: &str| {
        let at = text.find(&format!("<edge id=\"{id}\"")).unwrap();
        text[at..at + text[at..].find("</edge>").unwrap()].to_string()
    };
    let e = edge("R&amp;1");
    for expected in [
        "<data key=\"e_start\">2019-11</data>",
        "<data key=\"e_end\"></data>",
        "<data key=\"e_possible_from\">2019-11-01</data>",
        "<data key=\"e_active_from\">2019-12-01</data>",
        "<data key=\"e_active_until\"></data>",
        "<data key=\"e_possible_until\"></data>",
        "<data key=\"e_directed\">false</data>",
    ] {
        assert!(e.contains(expected), "{expected} in {e}");
    }
    let e = edge("3");
    assert!(e.contains("<data key=\"e_end\">2019-12-01</data>"));
    assert!(e.contains("<data key=\"e_active_until\">2019-12-01</data>"));
    assert!(e.contains("<data key=\"e_possible_until\">2019-12-01</data>"));
    let e = edge("par-1");
    assert!(e.contains("<data key=\"e_end\">2016</data>"));
    assert!(e.contains("<data key=\"e_active_until\">2016-01-01</data>"));
    assert!(e.contains("<data key=\"e_possible_until\">2017-01-01</data>"));
}

// ---------------------------------------------------------------------------------------------
// Node-link JSON
// ---------------------------------------------------------------------------------------------

fn check_node_link(ds: &Dataset) {
    let v: serde_json::Value = serde_json::from_str(&render(node_link::write, ds)).expect("valid JSON");
    assert_eq!(v["directed"], true);
    assert_eq!(v["multigraph"], true);
    assert_eq!(v["graph"], serde_json::json!({"name": "georel"}));
    let nodes = v["nodes"].as_array().unwrap();
    let mut actors: Vec<&Actor> = ds.actors.iter().collect();
    actors.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(nodes.len(), actors.len());
    for (n, a) in nodes.iter().zip(actors) {
        let aliases: Vec<&str> = a.aliases.iter().map(|s| &**s).collect();
        assert_eq!(
            *n,
            serde_json::json!({
                "id": &*a.id, "name": &*a.name, "kind": a.kind.as_str(),
                "parent": a.parent.map(|p| &*ds.actor(p).id), "aliases": aliases,
            })
        );
    }
    let links = v["links"].as_array().unwrap();
    assert_eq!(links.len(), ds.relations.len());
    let day = |d: Day| (d != OPEN_END).then(|| d.to_string());
    for (l, r) in links.iter().zip(&ds.relations) {
        let evidence: Vec<&str> = r.evidence().iter().map(|s| &*ds.source(*s).id).collect();
        assert_eq!(
            *l,
            serde_json::json!({
                "id": r.id.key(),
                "source": &*ds.actor(r.source).id,
                "target": &*ds.actor(r.target).id,
                "kind": r.kind.as_str(),
                "directed": r.directed,
                "start": r.start.to_string(),
                "end": r.end.map(|e| e.to_string()),
                "possible_from": r.span.possible_from.to_string(),
                "active_from": r.span.active_from.to_string(),
                "active_until": day(r.span.active_until),
                "possible_until": day(r.span.possible_until),
                "evidence": evidence,
                "summary": r.summary(),
                "claimant": r.claimant().map(|c| &*ds.actor(c).id),
                "credibility": r.credibility.map(|c| c as u8 + 1),
                "grade": ds.grade_of(r).to_string(),
            })
        );
    }
}

#[test]
fn node_link_json_has_every_actor_and_relation() {
    check_node_link(&shipped());
    check_node_link(&hazard());
}

// ---------------------------------------------------------------------------------------------
// The analyst's sheet
// ---------------------------------------------------------------------------------------------

fn read_sheet(ds: &Dataset) -> Vec<BTreeMap<String, String>> {
    let text = render(sheet::write, ds);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, sheet::HEADER);
    reader
        .records()
        .map(|r| header.iter().cloned().zip(r.unwrap().iter().map(String::from)).collect())
        .collect()
}

#[test]
fn the_sheet_joins_names_and_titles_for_every_relation() {
    let ds = shipped();
    let rows = read_sheet(&ds);
    assert_eq!(rows.len(), ds.relations.len());
    for (row, r) in rows.iter().zip(&ds.relations) {
        let (s, t) = (ds.actor(r.source), ds.actor(r.target));
        assert_eq!(row["id"], r.id.to_string());
        assert_eq!(
            (&*row["source"], &*row["source_name"], &*row["source_kind"]),
            (&*s.id, &*s.name, s.kind.as_str())
        );
        assert_eq!(
            (&*row["target"], &*row["target_name"], &*row["target_kind"]),
            (&*t.id, &*t.name, t.kind.as_str())
        );
        let titles: Vec<&str> = r.evidence().iter().map(|e| &*ds.source(*e).title).collect();
        assert_eq!(row["evidence_titles"], titles.join(" | "));
        assert_eq!(row["summary"], r.summary());
    }
    let row = rows.iter().find(|r| r["id"] == "COL-USA-SUSPENSION").unwrap();
    assert_eq!(row["source_name"], "Colombia");
    assert_eq!(row["evidence"], "LAREPORT-2025-11-12;INTELNEWS-2025-12-01");
    assert!(row["evidence_titles"].starts_with("Colombia Suspends Intelligence Cooperation with U.S."));
    assert_eq!((&*row["start"], &*row["end"], &*row["directed"]), ("2025-11-11", "", "true"));
    assert_eq!(
        (&*row["possible_from"], &*row["active_until"], &*row["possible_until"]),
        ("2025-11-11", "", "")
    );
}

#[test]
fn the_sheet_neutralises_every_formula_start() {
    let ds = hazard();
    let rows = read_sheet(&ds);
    for row in &rows {
        for (column, cell) in row {
            assert!(
                !matches!(cell.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')),
                "column {column}: {cell:?} would run as a formula"
            );
        }
    }
    let row = rows.iter().find(|r| r["id"] == "say \"hi\"\tnow\n").unwrap();
    assert_eq!(row["source"], "'@SUM");
    assert_eq!(row["source_name"], "'@SUM(A1)");
    assert_eq!(row["source_kind"], "unknown");
    assert_eq!(row["summary"], "'=1+1");
    assert_eq!(row["evidence"], "SRC-1;SRC-2;S&<3");
    // Titles in evidence order; the id stands in for a source without a title.
    assert_eq!(row["evidence_titles"], "'@Title = bad | SRC-2 | -minus, \"quoted\" title");
    let row = rows.iter().find(|r| r["id"] == "extremes").unwrap();
    assert_eq!((&*row["source"], &*row["target"], &*row["target_name"]), ("'+1", "'-2", "'-2 Council"));
    assert_eq!(row["summary"], "'-from year 1");
    let row = rows.iter().find(|r| r["id"] == "mixed").unwrap();
    assert_eq!((&*row["target"], &*row["target_name"]), ("'=cmd", "'=HYPERLINK(\"http://evil.example\")"));
}

// ---------------------------------------------------------------------------------------------
// georel's own format: the round trip
// ---------------------------------------------------------------------------------------------

/// Characters that the CSV writer and reader must carry: separators, quotes, line breaks,
/// formula starts (which must NOT be neutralised here), non-ASCII, controls.
const HAZARD_CHARS: &[char] = &[
    ',', '"', '\'', '\n', '\r', '\t', ' ', '=', '+', '-', '@', '#', '\\', '|', 'é', 'ß', '🌍', '\u{0}',
    '\u{b}', '\u{feff}', '\u{a0}', '\u{2028}',
];

/// Text the loader reads back unchanged in a cell: no surrounding ASCII whitespace (cells are
/// trimmed of it).
fn text(max: usize) -> impl Strategy<Value = String> {
    cell_text(max, false)
}

/// Text the loader reads back unchanged as an item of a `;`-separated list (aliases, evidence
/// ids): no `;`, and no surrounding whitespace of any kind (list items are trimmed of Unicode
/// whitespace, such as a no-break space, too).
fn list_item(max: usize) -> impl Strategy<Value = String> {
    cell_text(max, true)
}

fn cell_text(max: usize, list: bool) -> impl Strategy<Value = String> {
    let c = prop_oneof![3 => select(HAZARD_CHARS), 1 => any::<char>(), 4 => proptest::char::range('a', 'z')];
    proptest::collection::vec(c, 0..=max).prop_map(move |chars| {
        let s: String = chars.into_iter().filter(|&c| !list || c != ';').collect();
        if list { s.trim() } else { s.trim_matches(|c: char| c.is_ascii_whitespace()) }.to_string()
    })
}

fn nonempty(text: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    text.prop_map(|s| if s.is_empty() { "x".to_string() } else { s })
}

fn partial_date() -> impl Strategy<Value = PartialDate> {
    let year = prop_oneof![select(vec![1i16, 2, 1999, 2019, 2020, 9997, 9998]), 1i16..=9998];
    (year, 1..=12i8, 1..=31i8, 0..3u8).prop_map(|(y, m, d, precision)| {
        let last = Date::new(y, m, 1).unwrap().days_in_month();
        let text = match precision {
            0 => format!("{y:04}"),
            1 => format!("{y:04}-{m:02}"),
            _ => format!("{y:04}-{m:02}-{:02}", d.min(last)),
        };
        PartialDate::parse(&text).unwrap()
    })
}

fn actor_kind() -> impl Strategy<Value = ActorKind> {
    select(ActorKind::ALL.to_vec())
}

fn relation_kind() -> impl Strategy<Value = RelationKind> {
    select(RelationKind::ALL.to_vec())
}

#[derive(Debug, Clone)]
struct RelationRecipe {
    named: Option<String>,
    source: Index,
    target: Index,
    kind: RelationKind,
    dates: (PartialDate, Option<PartialDate>),
    directed: bool,
    evidence: Vec<Index>,
    summary: String,
    claimant: Option<Index>,
    credibility: Option<Credibility>,
}

fn relation_recipe() -> impl Strategy<Value = RelationRecipe> {
    (
        proptest::option::of(text(12)),
        any::<Index>(),
        any::<Index>(),
        relation_kind(),
        (partial_date(), proptest::option::of(partial_date())),
        any::<bool>(),
        proptest::collection::vec(any::<Index>(), 0..4),
        text(40),
        proptest::option::weighted(0.3, any::<Index>()),
        proptest::option::weighted(0.3, select(Credibility::ALL.to_vec())),
    )
        .prop_map(
            |(named, source, target, kind, dates, directed, evidence, summary, claimant, credibility)| {
                RelationRecipe {
                    named,
                    source,
                    target,
                    kind,
                    dates,
                    directed,
                    evidence,
                    summary,
                    claimant,
                    credibility,
                }
            },
        )
}

/// A dataset that the loader could have produced: unique ids, acyclic parents, no relation
/// from an actor to itself, memberships into alliances, agreements, organisations or unknown
/// actors, ends after starts, and only text that survives the loader's trimming.
fn loadable_dataset() -> impl Strategy<Value = Dataset> {
    let actor = (
        text(10),
        nonempty(text(20)),
        actor_kind(),
        proptest::option::of(any::<Index>()),
        proptest::collection::vec(nonempty(list_item(8)), 0..3),
    );
    let source = (
        list_item(10),
        text(20),
        text(10),
        proptest::option::of(partial_date()),
        text(15),
        proptest::option::of(select(Reliability::ALL.to_vec())),
    );
    (
        proptest::collection::vec(actor, 2..=10),
        proptest::collection::vec(source, 0..=5),
        proptest::collection::vec(relation_recipe(), 0..=25),
    )
        .prop_map(|(actor_parts, source_parts, recipes)| {
            let actors: Vec<Actor> = actor_parts
                .into_iter()
                .enumerate()
                .map(|(i, (id, name, kind, parent, aliases))| Actor {
                    // The suffix keeps ids unique; the prefix is random text.
                    id: format!("{id}#{i}").into(),
                    name: name.into(),
                    kind,
                    // Only an earlier actor, so that parent chains are acyclic.
                    parent: parent.filter(|_| i > 0).map(|p| ActorIx(p.index(i) as u32)),
                    aliases: aliases.into_iter().map(Box::from).collect(),
                })
                .collect();
            let sources: Vec<Source> = source_parts
                .into_iter()
                .enumerate()
                .map(|(i, (id, title, publisher, published, url, reliability))| Source {
                    id: format!("{id}#{i}").into(),
                    title: title.into(),
                    publisher: publisher.into(),
                    published,
                    url: url.into(),
                    reliability,
                })
                .collect();
            let n = actors.len();
            let relations = recipes
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let source = r.source.index(n);
                    let target = (source + 1 + r.target.index(n - 1)) % n;
                    let member_of = matches!(
                        actors[target].kind,
                        ActorKind::Alliance
                            | ActorKind::Agreement
                            | ActorKind::Organisation
                            | ActorKind::Unknown
                    );
                    let kind = match r.kind {
                        RelationKind::Membership if !member_of => RelationKind::Cooperation,
                        kind => kind,
                    };
                    let (a, b) = r.dates;
                    let (start, end, span) = match b {
                        None => (a, None, Span::new(a, None).unwrap()),
                        Some(b) => match (Span::new(a, Some(b)), Span::new(b, Some(a))) {
                            (Ok(span), _) => (a, Some(b), span),
                            (_, Ok(span)) => (b, Some(a), span),
                            _ => (a, None, Span::new(a, None).unwrap()),
                        },
                    };
                    Relation {
                        // Named ids contain '#', so they never equal a line number.
                        id: match r.named {
                            Some(id) => RelationId::Named(format!("{id}#{i}").into()),
                            None => RelationId::Line(i as u32 + 2),
                        },
                        source: ActorIx(source as u32),
                        target: ActorIx(target as u32),
                        kind,
                        directed: r.directed,
                        start,
                        end,
                        span,
                        notes: Notes::claimed(
                            if sources.is_empty() {
                                Vec::new()
                            } else {
                                r.evidence.iter().map(|e| SourceIx(e.index(sources.len()) as u32)).collect()
                            },
                            r.summary.into(),
                            r.claimant.map(|c| ActorIx(c.index(actors.len()) as u32)),
                        ),
                        credibility: r.credibility,
                    }
                })
                .collect();
            Dataset::new(actors, sources, relations)
        })
}

fn assert_same(back: &Dataset, ds: &Dataset) -> Result<(), TestCaseError> {
    prop_assert_eq!(back.actors.len(), ds.actors.len());
    for (b, a) in back.actors.iter().zip(&ds.actors) {
        prop_assert_eq!(&b.id, &a.id);
        prop_assert_eq!(&b.name, &a.name);
        prop_assert_eq!(b.kind, a.kind);
        prop_assert_eq!(b.parent, a.parent);
        prop_assert_eq!(&b.aliases, &a.aliases);
    }
    prop_assert_eq!(back.sources.len(), ds.sources.len());
    for (b, s) in back.sources.iter().zip(&ds.sources) {
        prop_assert_eq!(&b.id, &s.id);
        prop_assert_eq!(&b.title, &s.title);
        prop_assert_eq!(&b.publisher, &s.publisher);
        prop_assert_eq!(b.published, s.published);
        prop_assert_eq!(b.published.map(|d| d.precision()), s.published.map(|d| d.precision()));
        prop_assert_eq!(&b.url, &s.url);
        prop_assert_eq!(b.reliability, s.reliability);
    }
    prop_assert_eq!(back.relations.len(), ds.relations.len());
    for (b, r) in back.relations.iter().zip(&ds.relations) {
        // An implicit line id comes back as an explicit id with the same text.
        let expected_id = match &r.id {
            RelationId::Line(line) => RelationId::Named(line.to_string().into()),
            named => named.clone(),
        };
        prop_assert_eq!(&b.id, &expected_id);
        prop_assert_eq!(b.source, r.source);
        prop_assert_eq!(b.target, r.target);
        prop_assert_eq!(b.kind, r.kind);
        prop_assert_eq!(b.directed, r.directed);
        prop_assert_eq!(b.start, r.start);
        prop_assert_eq!(b.end, r.end);
        prop_assert_eq!(b.start.to_string(), r.start.to_string());
        prop_assert_eq!(b.end.map(|e| e.to_string()), r.end.map(|e| e.to_string()));
        prop_assert_eq!(b.span, r.span);
        prop_assert_eq!(&b.evidence(), &r.evidence());
        prop_assert_eq!(&b.summary(), &r.summary());
        prop_assert_eq!(b.claimant(), r.claimant());
        prop_assert_eq!(b.credibility, r.credibility);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_dataset_format_round_trips(ds in loadable_dataset()) {
        let dir = tempfile::tempdir().unwrap();
        let written = dataset::write_dir(&ds, dir.path()).unwrap();
        prop_assert_eq!(written.len(), 3);
        let back = georel::load::load(dir.path())
            .map_err(|e| TestCaseError::fail(format!("the written dataset does not load: {e}")))?;
        assert_same(&back, &ds)?;
        // Writing what was read back gives the same files, byte for byte.
        let again = tempfile::tempdir().unwrap();
        dataset::write_dir(&back, again.path()).unwrap();
        for file in &written {
            let name = file.file_name().unwrap();
            prop_assert_eq!(std::fs::read(file).unwrap(), std::fs::read(again.path().join(name)).unwrap());
        }
    }
}

#[test]
fn the_dataset_format_is_not_neutralised_for_spreadsheets() {
    let dir = tempfile::tempdir().unwrap();
    let mut ds = hazard();
    // The hazard aliases hold a ';', which cannot round-trip; everything else can.
    for a in &mut ds.actors {
        a.aliases = Box::new(["=alias".into()]);
    }
    let ds = Dataset::new(ds.actors.clone(), ds.sources.clone(), ds.relations.clone());
    dataset::write_dir(&ds, dir.path()).unwrap();
    let relations = std::fs::read_to_string(dir.path().join("relations.csv")).unwrap();
    assert!(
        relations.contains("@SUM,USA,restriction,2025-11-11,,true,SRC-1;SRC-2;S&<3,=1+1\n"),
        "{relations}"
    );
    let back = georel::load::load(dir.path()).unwrap();
    let names: Vec<&str> = back.actors.iter().map(|a| &*a.name).collect();
    assert!(names.contains(&"=HYPERLINK(\"http://evil.example\")"));
    assert!(names.contains(&"padded name"), "surrounding spaces are trimmed by the loader: {names:?}");
}

// ---------------------------------------------------------------------------------------------
// networkx, where it is installed
// ---------------------------------------------------------------------------------------------

/// The first python3 that imports networkx: the one on the PATH, then the system's (where
/// `tools/test` installs Debian's `python3-networkx` when the first has none).
fn python_with_networkx() -> Option<&'static str> {
    ["python3", "/usr/bin/python3"].into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import networkx"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

const NETWORKX_SCRIPT: &str = r#"
import json, sys
import networkx as nx
graphml, node_link = sys.argv[1], sys.argv[2]
g = nx.read_graphml(graphml)
with open(node_link, encoding="utf-8") as f:
    data = json.load(f)
try:
    h = nx.node_link_graph(data, edges="links")  # networkx 3.4 and later
except TypeError:
    h = nx.node_link_graph(data, link="links")  # before 3.4 (Debian 12's 2.8)
def summary(g, key):
    return {
        "type": type(g).__name__,
        "nodes": sorted(g.nodes),
        "edges": sorted([u, v, d[key], d["kind"], bool(d["directed"])] for u, v, d in g.edges(data=True)),
    }
print(json.dumps({"graphml": summary(g, "id"), "node_link": summary(h, "id")}))
"#;

#[test]
fn networkx_reads_the_graphml_and_the_node_link_json() {
    let python = python_with_networkx()
        .expect("no python3 here imports networkx: run tools/test, which installs python3-networkx");
    for ds in [shipped(), hazard()] {
        let dir = tempfile::tempdir().unwrap();
        let (graphml_path, json_path) = (dir.path().join("g.graphml"), dir.path().join("g.json"));
        std::fs::write(&graphml_path, render(graphml::write, &ds)).unwrap();
        std::fs::write(&json_path, render(node_link::write, &ds)).unwrap();
        let output = Command::new(python)
            .args(["-c", NETWORKX_SCRIPT])
            .arg(&graphml_path)
            .arg(&json_path)
            .output()
            .unwrap();
        assert!(output.status.success(), "networkx failed:\n{}", String::from_utf8_lossy(&output.stderr));
        let v: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let nodes: Vec<String> = ds.actors.iter().map(|a| a.id.to_string()).collect();
        let edges: Vec<serde_json::Value> = ds
            .relations
            .iter()
            .map(|r| {
                serde_json::json!([
                    &*ds.actor(r.source).id,
                    &*ds.actor(r.target).id,
                    r.id.key().into_owned(),
                    r.kind.as_str(),
                    r.directed
                ])
            })
            .collect();
        for (format, text) in [("graphml", true), ("node_link", false)] {
            // XML cannot carry some characters: GraphML ids come back with U+FFFD for them.
            let fix = |s: &str| if text { as_xml(s) } else { s.to_string() };
            let mut expected_nodes: Vec<String> = nodes.iter().map(|n| fix(n)).collect();
            expected_nodes.sort_unstable();
            let mut expected_edges: Vec<serde_json::Value> = edges
                .iter()
                .map(|e| {
                    let s = |i: usize| serde_json::Value::String(fix(e[i].as_str().unwrap()));
                    serde_json::json!([s(0), s(1), s(2), e[3], e[4]])
                })
                .collect();
            expected_edges.sort_by_key(|e| e.to_string());
            let got = &v[format];
            assert_eq!(got["type"], "MultiDiGraph", "{format}");
            assert_eq!(got["nodes"], serde_json::json!(expected_nodes), "{format}");
            let mut got_edges = got["edges"].as_array().unwrap().clone();
            got_edges.sort_by_key(|e| e.to_string());
            assert_eq!(got_edges, expected_edges, "{format}");
        }
    }
}
