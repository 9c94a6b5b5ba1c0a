//! The DOT output is valid DOT whatever the actor ids and names contain: graphviz-rust parses
//! it back to the same node ids, and the real Graphviz `dot` renders it to well-formed SVG
//! that shows every actor's name.
//!
//! These tests need Graphviz's `dot` on the PATH and fail (not skip) without it:
//! `apt-get install graphviz`.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use georel::date::{PartialDate, Span};
use georel::model::{Actor, ActorIx, ActorKind, Dataset, Notes, Relation, RelationId, RelationKind};
use georel::snapshot::{ActorScope, Filter, Grouping, Options, Snapshot};
use graphviz_rust::dot_structures::{EdgeTy, Graph, Id, Stmt, Vertex};
use jiff::civil::{date, Date};

// ---------------------------------------------------------------------------------------------
// The hazard dataset
// ---------------------------------------------------------------------------------------------

/// (id, name, kind, parent id) for actors whose ids and names contain everything DOT could
/// misread.
const ACTORS: &[(&str, &str, ActorKind, Option<&str>)] = &[
    ("United States", "United States of America", ActorKind::Country, None),
    ("say \"hi\"", "He said \"hi\"", ActorKind::Agency, Some("United States")),
    ("C:\\", "C:\\", ActorKind::Country, None),
    ("a\nb", "first line\nsecond line", ActorKind::Agency, Some("C:\\")),
    ("crlf\r\nid", "crlf\r\nname", ActorKind::Person, Some("a\nb")),
    ("cr\rid", "cr\rname", ActorKind::Person, None),
    ("tab\tid", "tab\tname", ActorKind::Organisation, None),
    ("Bogotá", "Bogotá D.C.", ActorKind::Country, None),
    ("Côte d'Ivoire", "Côte d'Ivoire", ActorKind::Country, None),
    ("node", "node", ActorKind::Country, None),
    ("edge", "edge", ActorKind::Agency, Some("node")),
    ("graph", "graph", ActorKind::Alliance, None),
    ("digraph", "digraph", ActorKind::Agreement, None),
    ("subgraph", "subgraph", ActorKind::Agency, Some("strict")),
    ("strict", "strict", ActorKind::Country, None),
    ("->", "arrow -> right", ActorKind::Organisation, None),
    ("--", "a -- b", ActorKind::Organisation, None),
    ("{", "{", ActorKind::Person, None),
    ("}", "}", ActorKind::Person, None),
    (";", ";", ActorKind::Person, None),
    ("<b>html</b>", "<b>html</b>", ActorKind::Organisation, None),
    ("[x=1]", "[x=1]", ActorKind::Organisation, None),
    ("12345", "12345", ActorKind::Country, None),
    ("a=b", "a=b", ActorKind::Organisation, None),
    ("Fish & Chips", "Fish & Chips < Pie > \"Tea\"", ActorKind::Organisation, None),
    (
        "🌍 long",
        "The Remarkably Long-Named International Organisation for Cooperation 🌍🤝🏽 and Friends (ünïcödé)",
        ActorKind::Organisation,
        None,
    ),
    ("back\\slash", "escapes \\N \\G \\l \\r \\n stay", ActorKind::Person, None),
    ("cluster_x", "looks like a cluster", ActorKind::Person, None),
];

/// (source, target, kind, start, end). On 2025-11-12: "2025-11" starts are only possible, and
/// `United States`–`Bogotá` and `C:\`–`a\nb` are contested.
const RELATIONS: &[(&str, &str, RelationKind, &str, Option<&str>)] = &[
    ("United States", "Bogotá", RelationKind::Cooperation, "2000", None),
    ("Bogotá", "United States", RelationKind::Restriction, "2025-11-11", None),
    ("United States", "Bogotá", RelationKind::Dispute, "2025-10", None),
    ("say \"hi\"", "C:\\", RelationKind::Cooperation, "2025-11", None),
    ("C:\\", "a\nb", RelationKind::Cooperation, "2020-01-01", None),
    ("a\nb", "C:\\", RelationKind::Restriction, "2025", Some("2026-02")),
    ("crlf\r\nid", "cr\rid", RelationKind::Dispute, "2024-06-01", None),
    ("tab\tid", "Côte d'Ivoire", RelationKind::Cooperation, "2025-11-12", None),
    ("node", "graph", RelationKind::Membership, "1999", None),
    ("edge", "digraph", RelationKind::Membership, "2025-11", None),
    ("subgraph", "strict", RelationKind::Cooperation, "2010", None),
    ("strict", "->", RelationKind::Restriction, "2025-01-01", Some("2026-01-01")),
    ("->", "--", RelationKind::Dispute, "2025-11", Some("2025-12")),
    ("{", "}", RelationKind::Cooperation, "2025-11-01", None),
    ("}", ";", RelationKind::Restriction, "2025-11-01", None),
    ("<b>html</b>", "[x=1]", RelationKind::Cooperation, "2025-11-01", None),
    ("12345", "a=b", RelationKind::Cooperation, "2025-11-01", None),
    ("Fish & Chips", "🌍 long", RelationKind::Membership, "2025-11-01", None),
    ("back\\slash", "cluster_x", RelationKind::Cooperation, "2025-11-01", None),
    ("United States", "Côte d'Ivoire", RelationKind::Cooperation, "2025-11-01", None),
];

const DAY: Date = date(2025, 11, 12);

fn hazard_dataset() -> Dataset {
    let ix = |id: &str| {
        ActorIx(ACTORS.iter().position(|a| a.0 == id).unwrap_or_else(|| panic!("no actor {id:?}")) as u32)
    };
    let actors = ACTORS
        .iter()
        .map(|&(id, name, kind, parent)| Actor {
            id: id.into(),
            name: name.into(),
            kind,
            parent: parent.map(ix),
            aliases: Box::new([]),
        })
        .collect();
    let p = |s: &str| PartialDate::parse(s).unwrap();
    let relations = RELATIONS
        .iter()
        .enumerate()
        .map(|(i, &(s, t, kind, start, end))| {
            let (start, end) = (p(start), end.map(p));
            Relation {
                id: RelationId::Named(format!("R{i} \"quoted\", \\ {{}}").into()),
                source: ix(s),
                target: ix(t),
                kind,
                directed: kind.directed_by_default(),
                start,
                end,
                span: Span::new(start, end).unwrap(),
                notes: Notes::new(Vec::new(), format!("summary {i}: \"q\" \\ -> {{ }} ; <b>\r\nnext").into()),
                credibility: None,
            }
        })
        .collect();
    Dataset::new(actors, Vec::new(), relations)
}

fn dot_text(snapshot: &Snapshot<'_>) -> String {
    let mut out = Vec::new();
    georel::export::dot::write(snapshot, &mut out).unwrap();
    String::from_utf8(out).expect("the DOT output is UTF-8")
}

// ---------------------------------------------------------------------------------------------
// What the text becomes
// ---------------------------------------------------------------------------------------------

/// The text that `quote` promises Graphviz will read back: line breaks (CRLF, CR, LF) become
/// one line break, other control characters become spaces.
fn shown(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

/// Un-escapes a quoted DOT id as graphviz-rust returns it: `Id::Escaped` holds the raw
/// source text, surrounding quotes and backslash escapes included. `quote_id` writes `\"`,
/// `\\` and `\xHH` (a control character), which decode back to the exact id.
fn unescape(id: &Id) -> String {
    let Id::Escaped(raw) = id else {
        panic!("expected a quoted id, found {id:?}");
    };
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or_else(|| panic!("quoted id without its quotes: {raw:?}"));
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                let code =
                    u32::from_str_radix(&hex, 16).unwrap_or_else(|_| panic!("bad \\x{hex} in {raw:?}"));
                out.push(char::from_u32(code).expect("a control character"));
            }
            other => panic!("unexpected escape \\{other:?} in {raw:?}"),
        }
    }
    out
}

/// The name Graphviz itself gives a node or cluster with this id: its lexer turns `\"` into
/// `"` and keeps every other backslash sequence as written, so `\\` stays two backslashes
/// and a control character stays `\xHH`. This is what SVG `<title>` elements contain.
fn graphviz_name(id: &str) -> String {
    id.chars()
        .map(|c| match c {
            '\\' => "\\\\".to_string(),
            c if c.is_control() => format!("\\x{:02X}", u32::from(c)),
            c => c.to_string(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Walking the parsed DOT
// ---------------------------------------------------------------------------------------------

#[derive(Default, Debug)]
struct Parsed {
    /// Declared node id → the ids of the subgraphs it is declared in, outermost first.
    nodes: BTreeMap<String, Vec<String>>,
    /// How many times each node id is declared.
    declarations: BTreeMap<String, usize>,
    /// Edges as (tail, head), un-escaped.
    edges: Vec<(String, String)>,
}

fn endpoint(v: &Vertex) -> String {
    match v {
        Vertex::N(node_id) => {
            assert!(node_id.1.is_none(), "unexpected port in {node_id:?}");
            unescape(&node_id.0)
        }
        Vertex::S(sub) => panic!("unexpected subgraph as an edge end: {sub:?}"),
    }
}

fn walk(stmts: &[Stmt], path: &mut Vec<String>, parsed: &mut Parsed) {
    for stmt in stmts {
        match stmt {
            Stmt::Node(node) => {
                assert!(node.id.1.is_none(), "unexpected port in {:?}", node.id);
                let id = unescape(&node.id.0);
                *parsed.declarations.entry(id.clone()).or_default() += 1;
                parsed.nodes.insert(id, path.clone());
            }
            Stmt::Subgraph(sub) => {
                path.push(unescape(&sub.id));
                walk(&sub.stmts, path, parsed);
                path.pop();
            }
            Stmt::Edge(edge) => match &edge.ty {
                EdgeTy::Pair(a, b) => parsed.edges.push((endpoint(a), endpoint(b))),
                EdgeTy::Chain(chain) => {
                    for pair in chain.windows(2) {
                        parsed.edges.push((endpoint(&pair[0]), endpoint(&pair[1])));
                    }
                }
            },
            Stmt::Attribute(_) | Stmt::GAttribute(_) => {}
        }
    }
}

fn parse_dot(text: &str) -> Parsed {
    let graph = graphviz_rust::parse(text)
        .unwrap_or_else(|e| panic!("graphviz-rust cannot parse the DOT output: {e}\n{text}"));
    let Graph::DiGraph { stmts, strict, .. } = graph else {
        panic!("expected a digraph");
    };
    assert!(!strict, "a strict graph would merge parallel relations");
    let mut parsed = Parsed::default();
    walk(&stmts, &mut Vec::new(), &mut parsed);
    parsed
}

/// The legend's node ids start with a space, which no actor id can.
fn is_legend(id: &str) -> bool {
    id.starts_with(' ')
}

// ---------------------------------------------------------------------------------------------
// Running Graphviz
// ---------------------------------------------------------------------------------------------

fn require_dot() {
    match Command::new("dot").arg("-V").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "`dot -V` failed ({}): install Graphviz (apt-get install graphviz); these tests render DOT with it",
            out.status
        ),
        Err(e) => panic!(
            "Graphviz `dot` is not on the PATH ({e}): install Graphviz (apt-get install graphviz); these tests render DOT with it"
        ),
    }
}

/// Renders DOT to SVG with the real `dot`, asserting that it succeeds without errors.
fn render_svg(dot: &str) -> String {
    require_dot();
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start dot");
    let mut stdin = child.stdin.take().unwrap();
    let input = dot.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("dot did not finish");
    writer.join().unwrap().expect("cannot write to dot");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dot -Tsvg failed ({}): {stderr}\n--- input ---\n{dot}", out.status);
    assert!(
        !stderr.contains("syntax error") && !stderr.contains("Error"),
        "dot -Tsvg reported: {stderr}\n--- input ---\n{dot}"
    );
    String::from_utf8(out.stdout).expect("the SVG is UTF-8")
}

/// Graphviz writes runs of spaces with no-break spaces (`&#160;`); read them as spaces.
fn plain_text(text: &str) -> String {
    text.replace('\u{a0}', " ")
}

#[derive(Debug, Default)]
struct Svg {
    /// Node `<title>` → the lines of its label, one per `<text>` element.
    nodes: BTreeMap<String, Vec<String>>,
    /// Cluster `<title>` → the lines of its label.
    clusters: BTreeMap<String, Vec<String>>,
    /// Edge `<title>`s (`tail->head`).
    edges: Vec<String>,
}

/// Checks that the SVG is well-formed XML and collects its nodes, clusters and edges.
fn parse_svg(svg: &str) -> Svg {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(svg, options)
        .unwrap_or_else(|e| panic!("the SVG is not well-formed XML: {e}\n{svg}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let mut out = Svg::default();
    for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
        // The title is a child of the group; the label's `<text>` lines may be nested in a
        // tooltip's `<a>` element.
        let Some(title) = g.children().find(|c| c.has_tag_name("title")) else {
            continue;
        };
        let title = plain_text(title.text().unwrap_or(""));
        let lines = || -> Vec<String> {
            g.descendants()
                .filter(|c| c.has_tag_name("text"))
                .map(|c| plain_text(c.text().unwrap_or("")))
                .collect()
        };
        match g.attribute("class") {
            Some("node") => {
                let previous = out.nodes.insert(title.clone(), lines());
                assert!(previous.is_none(), "two SVG nodes titled {title:?}");
            }
            Some("cluster") => {
                out.clusters.insert(title, lines());
            }
            Some("edge") => out.edges.push(title),
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn hazard_snapshot_covers_what_it_should() {
    let ds = hazard_dataset();
    let snap = Snapshot::at(&ds, DAY, Options::default());
    assert_eq!(snap.nodes.len(), ds.actors.len(), "every actor is connected");
    assert_eq!(snap.edges.len(), RELATIONS.len(), "every relation holds");
    assert!(snap.edges.iter().any(|e| e.status == georel::date::Status::Possible));
    assert!(snap.contested_count() >= 4, "two contested pairs");
    // The ids quote to distinct DOT strings, so they are distinct nodes.
    let mut quoted: Vec<String> = ACTORS.iter().map(|a| georel::export::dot::quote(a.0)).collect();
    quoted.sort();
    quoted.dedup();
    assert_eq!(quoted.len(), ACTORS.len());
}

#[test]
fn graphviz_rust_parses_the_dot_and_finds_every_actor() {
    let ds = hazard_dataset();
    let snap = Snapshot::at(&ds, DAY, Options::default());
    let text = dot_text(&snap);
    let parsed = parse_dot(&text);

    // Every actor is declared exactly once, under its shown id.
    let actor_ids: Vec<String> = ds.actors.iter().map(|a| a.id.to_string()).collect();
    for (actor, id) in ds.actors.iter().zip(&actor_ids) {
        assert_eq!(
            parsed.declarations.get(id),
            Some(&1),
            "actor {:?} should be declared once as node {id:?}; declared: {:?}",
            actor.id,
            parsed.declarations.keys().collect::<Vec<_>>()
        );
    }
    let data_nodes: Vec<&String> = parsed.nodes.keys().filter(|id| !is_legend(id)).collect();
    assert_eq!(data_nodes.len(), ds.actors.len(), "unexpected nodes: {data_nodes:?}");

    // Dependants sit in their top-level parent's cluster; actors without any stay outside
    // every data cluster.
    for (i, actor) in ds.actors.iter().enumerate() {
        let top = ds.top_parent(ActorIx(i as u32));
        let has_dependants =
            (0..ds.actors.len()).any(|j| j != i && ds.top_parent(ActorIx(j as u32)) == ActorIx(i as u32));
        let path: Vec<&String> = parsed.nodes[&actor.id.to_string()]
            .iter()
            .filter(|s| !is_legend(s.trim_start_matches("cluster_")))
            .collect();
        if top != ActorIx(i as u32) || has_dependants {
            let cluster = format!("cluster_{}", ds.actor(top).id);
            assert_eq!(path, vec![&cluster], "cluster of {:?}", actor.id);
        } else {
            assert!(path.is_empty(), "{:?} is in {path:?}", actor.id);
        }
    }

    // Every relation is one edge between the right nodes.
    let mut want: Vec<(String, String)> = snap
        .edges
        .iter()
        .map(|e| (ds.actor(e.source).id.to_string(), ds.actor(e.target).id.to_string()))
        .collect();
    let mut got: Vec<(String, String)> =
        parsed.edges.iter().filter(|(a, b)| !is_legend(a) && !is_legend(b)).cloned().collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
}

/// Every combination of options that changes what is drawn.
fn all_options() -> Vec<Options> {
    let mut all = Vec::new();
    for strict in [false, true] {
        for scope in [ActorScope::Connected, ActorScope::All] {
            for grouping in [Grouping::Actors, Grouping::Countries] {
                all.push(Options { filter: Filter { strict, ..Filter::default() }, scope, grouping });
            }
        }
    }
    all
}

/// Renders the snapshot with `dot` and checks the SVG against it: one node per snapshot node
/// showing the actor's name, one cluster per top-level actor with a dependant in the
/// snapshot, and one edge per snapshot edge between the right nodes.
fn check_rendering(snap: &Snapshot<'_>) {
    let ds = snap.dataset;
    let svg = parse_svg(&render_svg(&dot_text(snap)));

    for node in &snap.nodes {
        let actor = ds.actor(node.actor);
        let title = graphviz_name(&actor.id);
        let lines = svg.nodes.get(&title).unwrap_or_else(|| {
            panic!(
                "no SVG node titled {title:?} for actor {:?}; nodes: {:?}",
                actor.id,
                svg.nodes.keys().collect::<Vec<_>>()
            )
        });
        let name = shown(&actor.name);
        let want: Vec<&str> = name.split('\n').collect();
        assert_eq!(lines, &want, "label of {:?}", actor.id);
    }
    let data_nodes: Vec<&String> = svg.nodes.keys().filter(|t| !is_legend(t)).collect();
    assert_eq!(data_nodes.len(), snap.nodes.len(), "nodes: {data_nodes:?}");

    // Clusters are titled by their top-level actor and labelled with its name.
    let tops: std::collections::BTreeSet<ActorIx> = snap
        .nodes
        .iter()
        .map(|n| ds.top_parent(n.actor))
        .filter(|&top| snap.nodes.iter().any(|n| n.actor != top && ds.top_parent(n.actor) == top))
        .collect();
    let data_clusters: Vec<&String> =
        svg.clusters.keys().filter(|t| !is_legend(t.trim_start_matches("cluster_"))).collect();
    assert_eq!(data_clusters.len(), tops.len(), "clusters: {data_clusters:?}");
    for top in tops {
        let actor = ds.actor(top);
        let title = graphviz_name(&format!("cluster_{}", actor.id));
        let name = shown(&actor.name);
        let want: Vec<String> = name.split('\n').map(str::to_string).collect();
        assert_eq!(
            svg.clusters.get(&title),
            Some(&want),
            "cluster {title:?}; clusters: {:?}",
            svg.clusters.keys()
        );
    }

    // Every edge is drawn between the right nodes.
    let mut remaining = svg.edges.clone();
    for e in &snap.edges {
        let title =
            format!("{}->{}", graphviz_name(&ds.actor(e.source).id), graphviz_name(&ds.actor(e.target).id));
        let at = remaining
            .iter()
            .position(|t| *t == title)
            .unwrap_or_else(|| panic!("no SVG edge {title:?}; edges: {:?}", svg.edges));
        remaining.swap_remove(at);
    }
}

#[test]
fn dot_renders_the_hazard_snapshot_to_well_formed_svg_with_every_name() {
    let ds = hazard_dataset();
    for options in all_options() {
        let snap = Snapshot::at(&ds, DAY, options);
        assert!(!snap.nodes.is_empty());
        check_rendering(&snap);
    }
    // Actor by actor, every actor is drawn, and the four clusters too.
    let snap = Snapshot::at(&ds, DAY, Options::default());
    assert_eq!(snap.nodes.len(), ds.actors.len());
    let tops: Vec<ActorIx> = ["United States", "C:\\", "node", "strict"]
        .into_iter()
        .map(|id| ds.actor_by_id(id).unwrap())
        .collect();
    for top in tops {
        assert!(ds.actors.iter().any(|a| a.parent == Some(top)));
    }
}

#[test]
fn dot_renders_the_shipped_dataset() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let ds = georel::load::load(&data).unwrap_or_else(|e| panic!("cannot load {data:?}: {e}"));
    for day in [date(2025, 11, 12), date(2026, 1, 26)] {
        for options in all_options() {
            let snap = Snapshot::at(&ds, day, options);
            assert!(!snap.edges.is_empty(), "no relation on {day}");
            let text = dot_text(&snap);
            let parsed = parse_dot(&text);
            for n in &snap.nodes {
                assert!(parsed.nodes.contains_key(&ds.actor(n.actor).id.to_string()));
            }
            check_rendering(&snap);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bugs found
// ---------------------------------------------------------------------------------------------

/// Two distinct actor ids that differ only in a control character (a tab against a space,
/// CRLF against LF) quote to the same DOT id, so Graphviz draws one node for both and the
/// relation between them as a self-loop. Such ids load from CSV (the tab is inside a quoted
/// cell, so it is not trimmed).
#[test]

fn ids_that_differ_only_in_control_characters_stay_distinct_nodes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("actors.csv"),
        "id,name,kind\n\"tab\there\",Tab,country\ntab here,Space,country\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("relations.csv"),
        "source,target,kind,start\n\"tab\there\",tab here,cooperation,2020\n",
    )
    .unwrap();
    let ds = georel::load::load(dir.path()).unwrap();
    assert_eq!(ds.actors.len(), 2);
    let snap = Snapshot::at(&ds, date(2021, 1, 1), Options { scope: ActorScope::All, ..Options::default() });
    assert_eq!(snap.nodes.len(), 2);
    let svg = parse_svg(&render_svg(&dot_text(&snap)));
    let data_nodes: Vec<&String> = svg.nodes.keys().filter(|t| !is_legend(t)).collect();
    assert_eq!(data_nodes.len(), 2, "two actors, but Graphviz drew {data_nodes:?}");
}

/// `quote` promises text "shown literally in labels", but Graphviz decodes HTML character
/// entities in ordinary labels: a name written `AT&amp;T` is drawn as `AT&T`, `&lt;b&gt;` as
/// `<b>`, `&#65;` as `A`.
#[test]

fn entity_like_text_in_names_is_shown_literally() {
    let name = "AT&amp;T &lt;b&gt; &#65;";
    let actor = |id: &str, name: &str| Actor {
        id: id.into(),
        name: name.into(),
        kind: ActorKind::Organisation,
        parent: None,
        aliases: Box::new([]),
    };
    let start = PartialDate::parse("2020").unwrap();
    let ds = Dataset::new(
        vec![actor("X", name), actor("Y", "Y")],
        Vec::new(),
        vec![Relation {
            id: RelationId::Line(2),
            source: ActorIx(0),
            target: ActorIx(1),
            kind: RelationKind::Cooperation,
            directed: false,
            start,
            end: None,
            span: Span::new(start, None).unwrap(),
            notes: Notes::new(Vec::new(), "".into()),
            credibility: None,
        }],
    );
    let snap = Snapshot::at(&ds, date(2021, 1, 1), Options { scope: ActorScope::All, ..Options::default() });
    let svg = parse_svg(&render_svg(&dot_text(&snap)));
    assert_eq!(svg.nodes["X"], vec![name.to_string()]);
}

/// `georel blocs`'s diagram (an undirected graph of its own, `georel::export::blocs::dot`)
/// goes through the same quoting: Graphviz renders the hazard day with every actor's name,
/// one cluster per bloc and one edge per tie.
#[test]
fn the_blocs_diagram_renders_the_hazard_snapshot_with_every_name() {
    use georel::query::blocs::{self, Settings};
    use georel::query::signed::{ContestedAs, Signed};
    let ds = hazard_dataset();
    for options in all_options() {
        let snap = Snapshot::at(&ds, DAY, options);
        let signed = Signed::of(&snap, ContestedAs::Negative);
        let settings = Settings { k: 3, alpha: 0.5, seed: 0, contested: ContestedAs::Negative };
        let found = blocs::of(&signed, &settings);
        let mut out = Vec::new();
        georel::export::blocs::dot(&signed, &found, &settings, &mut out).unwrap();
        let svg = parse_svg(&render_svg(&String::from_utf8(out).unwrap()));
        for &a in &signed.nodes {
            let actor = ds.actor(a);
            let name = shown(&actor.name);
            let want: Vec<&str> = name.split('\n').collect();
            assert_eq!(
                svg.nodes.get(&graphviz_name(&actor.id)),
                Some(&want.iter().map(|s| s.to_string()).collect()),
                "label of {:?}",
                actor.id
            );
        }
        assert_eq!(svg.nodes.len(), signed.node_count());
        assert_eq!(svg.clusters.len(), found.partition.blocs as usize);
        assert_eq!(svg.edges.len(), signed.ties.len());
    }
}
