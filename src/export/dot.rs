//! A snapshot as a Graphviz DOT diagram meant to be read by people: colours by relation
//! kind, dashed lines for relations that are only possible, contested relations highlighted,
//! shapes by actor kind, agencies clustered inside their country, and a legend.
//!
//! Everything that comes from the data goes through [`quote`], the one place where DOT
//! escaping is done. The writer is direct (not graphviz-rust's printer, which neither escapes
//! ids nor is fast enough for large graphs).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};

use crate::date::{Status, Window};
use crate::export::{arrow, EdgeText};
use crate::model::{ActorIx, ActorKind, Dataset, RelationIx, RelationKind};
use crate::query::diff::{Change, Diff};
use crate::snapshot::{Edge, Grouping, Snapshot};

/// Quotes text for display (labels, tooltips) as a DOT string that Graphviz shows literally:
/// `"` and `\` are escaped, `&` is written `&amp;` (Graphviz decodes entities in labels),
/// line breaks become DOT's `\n`, and other control characters become spaces. Lossy by
/// design; ids go through [`quote_id`].
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Quotes an id (of a node or cluster) as a DOT string, losslessly: distinct ids always give
/// distinct DOT ids. `"` and `\` are escaped, and a control character is written as `\xHH`
/// (its code in hex), which cannot clash with a written-out `\xHH` because that one's
/// backslash is doubled. Ids are never shown: nodes always carry a label.
pub fn quote_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 2);
    out.push('"');
    for c in id.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The colour of each relation kind, shared by edges and the legend.
pub fn kind_colour(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::Cooperation => "#2e7d32",
        RelationKind::Restriction => "#c62828",
        RelationKind::Dispute => "#ef6c00",
        RelationKind::Membership => "#1565c0",
    }
}

fn shape(kind: ActorKind) -> (&'static str, &'static str) {
    match kind {
        ActorKind::Country => ("box", "#e3f2fd"),
        ActorKind::Agency => ("ellipse", "#fff8e1"),
        ActorKind::Alliance => ("hexagon", "#ede7f6"),
        ActorKind::Agreement => ("note", "#ede7f6"),
        ActorKind::Organisation => ("component", "#e0f2f1"),
        ActorKind::Person => ("egg", "#fce4ec"),
        ActorKind::Unknown => ("ellipse", "#ffffff"),
    }
}

/// The colour of a contested relation or period (the timeline chart's too).
pub const CONTESTED_COLOUR: &str = "#6a1b9a";

/// What a query wants drawn prominently in a snapshot diagram.
#[derive(Debug, Clone, Default)]
pub struct Highlight {
    /// When set, only these edges (indexes into the snapshot's edges) are drawn in full;
    /// the others are faded, as context.
    pub edges: Option<HashSet<usize>>,
    /// Nodes drawn prominently (the centre of a neighbourhood, the ends of a path).
    pub nodes: HashSet<ActorIx>,
    /// A title to use instead of the snapshot's.
    pub title: Option<String>,
}

/// Writes the snapshot as a DOT digraph. Mutual relations are drawn without arrowheads.
///
/// # Errors
/// When `out` fails.
pub fn write(snapshot: &Snapshot<'_>, out: &mut dyn Write) -> io::Result<()> {
    write_highlighted(snapshot, &Highlight::default(), out)
}

/// Writes the snapshot as [`write()`] does, with some edges and nodes drawn prominently.
///
/// # Errors
/// When `out` fails.
pub fn write_highlighted(
    snapshot: &Snapshot<'_>,
    highlight: &Highlight,
    out: &mut dyn Write,
) -> io::Result<()> {
    let ds = snapshot.dataset;
    let subtitle = format!(
        "{} {}, {} relations ({} possible, {} contested){}{}",
        snapshot.nodes.len(),
        if snapshot.options.grouping == Grouping::Countries { "countries and others" } else { "actors" },
        snapshot.edges.len(),
        snapshot.possible_count(),
        snapshot.contested_count(),
        if snapshot.options.filter.strict { ", active only" } else { "" },
        if snapshot.options.grouping == Grouping::Countries { ", by country" } else { "" },
    );
    let title = match &highlight.title {
        Some(title) => format!("{title}\n{subtitle}"),
        None => format!("georel snapshot {}\n{subtitle}", heading(snapshot.window)),
    };
    write_header(&format!("georel {}", snapshot.window), &title, out)?;
    let present: Vec<ActorIx> = snapshot.nodes.iter().map(|n| n.actor).collect();
    write_nodes(ds, &present, highlight, out)?;

    for (i, edge) in snapshot.edges.iter().enumerate() {
        let (source, target) = (ds.actor(edge.source), ds.actor(edge.target));
        let emphasis = match &highlight.edges {
            None => Emphasis::Normal,
            Some(set) if set.contains(&i) => Emphasis::Strong,
            Some(_) => Emphasis::Faded,
        };
        writeln!(
            out,
            "  {} -> {} [{}];",
            quote_id(&source.id),
            quote_id(&target.id),
            edge_attributes(snapshot, edge, emphasis)
        )?;
    }
    write_legend(out)?;
    writeln!(out, "}}")
}

/// The DOT id of an actor in frames: `n<index>`, so that Graphviz's names for the nodes
/// map straight back to actors.
pub fn frame_node_id(a: ActorIx) -> String {
    format!("n{}", a.0)
}

/// The graph laid out once for a series of frames: every actor and every pair seen in any
/// of the snapshots (one line per pair), with frame node ids. Its node positions are then
/// pinned in each frame, so that an actor keeps its place across frames.
///
/// # Errors
/// When `out` fails.
pub fn write_frames_layout(snapshots: &[Snapshot<'_>], out: &mut dyn Write) -> io::Result<()> {
    let Some(first) = snapshots.first() else { return writeln!(out, "digraph \"frames\" {{}}") };
    let ds = first.dataset;
    let mut actors: Vec<ActorIx> = snapshots.iter().flat_map(|s| s.nodes.iter().map(|n| n.actor)).collect();
    actors.sort_unstable_by_key(|&a| ds.rank(a));
    actors.dedup();
    let mut pairs: Vec<(ActorIx, ActorIx)> = snapshots
        .iter()
        .flat_map(|s| {
            s.edges
                .iter()
                .map(|e| if e.source <= e.target { (e.source, e.target) } else { (e.target, e.source) })
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    write_header("frames", "", out)?;
    for &a in &actors {
        writeln!(out, "  {} [{}];", frame_node_id(a), node_attributes(ds, a, Emphasis::Normal))?;
    }
    for (a, b) in pairs {
        writeln!(out, "  {} -> {} [dir=\"none\"];", frame_node_id(a), frame_node_id(b))?;
    }
    writeln!(out, "}}")
}

/// One frame: the snapshot with each node pinned at its position (in points, from
/// [`write_frames_layout`]'s layout), titled with its date. Actors placed but absent from
/// this snapshot are drawn invisible, so that every frame has the same canvas. Render with
/// `neato -n`, which keeps the positions.
///
/// # Errors
/// When `out` fails.
pub fn write_frame(
    snapshot: &Snapshot<'_>,
    positions: &[(ActorIx, f64, f64)],
    out: &mut dyn Write,
) -> io::Result<()> {
    let ds = snapshot.dataset;
    let title = format!(
        "{}\n{} actors, {} relations ({} possible, {} contested)",
        heading(snapshot.window),
        snapshot.nodes.len(),
        snapshot.edges.len(),
        snapshot.possible_count(),
        snapshot.contested_count()
    );
    write_header(&format!("georel {}", snapshot.window), &title, out)?;
    writeln!(
        out,
        "  graph [fontsize=\"20\", splines={}];",
        quote(if snapshot.edges.len() <= 300 { "true" } else { "line" })
    )?;
    for &(a, x, y) in positions {
        let hidden = if snapshot.contains(a) { "" } else { ", style=\"invis\"" };
        writeln!(
            out,
            "  {} [{}, pos=\"{x:.2},{y:.2}!\"{hidden}];",
            frame_node_id(a),
            node_attributes(ds, a, Emphasis::Normal)
        )?;
    }
    for edge in &snapshot.edges {
        writeln!(
            out,
            "  {} -> {} [{}];",
            frame_node_id(edge.source),
            frame_node_id(edge.target),
            edge_attributes(snapshot, edge, Emphasis::Normal)
        )?;
    }
    writeln!(out, "}}")
}

fn write_header(name: &str, title: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "digraph {} {{", quote(name))?;
    writeln!(
        out,
        "  graph [label={}, labelloc=\"t\", fontname=\"Helvetica\", fontsize=\"16\", rankdir=\"LR\", nodesep=\"0.35\", ranksep=\"0.9\", compound=\"true\"];",
        quote(title)
    )?;
    writeln!(out, "  node [fontname=\"Helvetica\", fontsize=\"11\", style=\"filled\", penwidth=\"1.2\"];")?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=\"9\", penwidth=\"1.6\"];")
}

/// Writes the nodes: agencies, people and other dependants inside a cluster for their
/// top-level parent (a country, usually), with the parent itself in the cluster too.
fn write_nodes(
    ds: &Dataset,
    present: &[ActorIx],
    highlight: &Highlight,
    out: &mut dyn Write,
) -> io::Result<()> {
    let tops: Vec<ActorIx> = present.iter().map(|&a| ds.top_parent(a)).collect();
    let mut has_dependants = vec![false; ds.actors.len()];
    for (&a, &top) in present.iter().zip(&tops) {
        if top != a {
            has_dependants[top.index()] = true;
        }
    }
    let mut clusters: BTreeMap<&str, (ActorIx, Vec<ActorIx>)> = BTreeMap::new();
    let mut loose = Vec::new();
    for (&a, &top) in present.iter().zip(&tops) {
        if has_dependants[top.index()] {
            clusters.entry(&ds.actor(top).id).or_insert_with(|| (top, Vec::new())).1.push(a);
        } else {
            loose.push(a);
        }
    }
    for (top_id, (top, members)) in &clusters {
        writeln!(out, "  subgraph {} {{", quote_id(&format!("cluster_{top_id}")))?;
        writeln!(
            out,
            "    graph [label={}, style=\"rounded,filled\", fillcolor=\"#f7f7f7\", color=\"#9e9e9e\", fontsize=\"12\"];",
            quote(&ds.actor(*top).name)
        )?;
        for &a in members {
            write_node(ds, a, highlight, out, "    ")?;
        }
        writeln!(out, "  }}")?;
    }
    for &a in &loose {
        write_node(ds, a, highlight, out, "  ")?;
    }
    Ok(())
}

/// Writes what changed between two snapshots (taken with the same options): relations that
/// started in green, ended in red (dashed), changed status in blue, unchanged in grey; pairs
/// that became or stopped being contested are labelled.
///
/// # Errors
/// When `out` fails.
pub fn write_diff(
    before: &Snapshot<'_>,
    after: &Snapshot<'_>,
    diff: &Diff,
    out: &mut dyn Write,
) -> io::Result<()> {
    let ds = after.dataset;
    let grouping = after.options.grouping;
    let transient = || diff.relations.iter().filter(|c| c.change == Change::Transient).map(|c| c.relation);
    let mut present: Vec<ActorIx> = before.nodes.iter().chain(&after.nodes).map(|n| n.actor).collect();
    present.extend(transient().flat_map(|r| {
        let rel = ds.relation(r);
        [grouping.unit(ds, rel.source), grouping.unit(ds, rel.target)]
    }));
    present.sort_unstable_by_key(|&a| ds.rank(a));
    present.dedup();
    let title = format!(
        "georel diff {} → {}\n{} changed relations, {} contested-pair changes",
        diff.from,
        diff.to,
        diff.relations.len(),
        diff.pairs.len()
    );
    write_header(&format!("georel diff {} {}", diff.from, diff.to), &title, out)?;
    write_nodes(ds, &present, &Highlight::default(), out)?;
    let changes: HashMap<RelationIx, Change> =
        diff.relations.iter().map(|c| (c.relation, c.change)).collect();
    let mut relations: Vec<RelationIx> = [before, after]
        .iter()
        .flat_map(|s| s.edges.iter().flat_map(|e| s.members(e)).map(|m| m.relation))
        .chain(transient())
        .collect();
    relations.sort_unstable();
    relations.dedup();
    for r in relations {
        let rel = ds.relation(r);
        let (source, target) = (grouping.unit(ds, rel.source), grouping.unit(ds, rel.target));
        let (colour, style, width, label) = match changes.get(&r) {
            Some(Change::Started) => ("#2e7d32", "solid", "3", format!("+ {} {}", rel.kind, rel.id)),
            Some(Change::Ended) => ("#c62828", "dashed", "3", format!("− {} {}", rel.kind, rel.id)),
            Some(Change::Transient) => {
                ("#6a1b9a", "dotted", "3", format!("± {} {} (transient)", rel.kind, rel.id))
            }
            Some(c) => ("#1565c0", "solid", "2.4", format!("{} {}: {}", rel.kind, rel.id, c.as_str())),
            None => ("#bdbdbd", "solid", "1.2", String::new()),
        };
        let end = rel.end.map_or_else(|| "open".to_string(), |e| e.to_string());
        writeln!(
            out,
            "  {} -> {} [color={}, style={}, penwidth={}, dir={}, label={}, fontcolor={}, tooltip={}];",
            quote_id(&ds.actor(source).id),
            quote_id(&ds.actor(target).id),
            quote(colour),
            quote(style),
            quote(width),
            quote(if rel.directed { "forward" } else { "none" }),
            quote(&label),
            quote(colour),
            quote(&format!("{} {} ({} to {end})", rel.id, rel.kind, rel.start)),
        )?;
    }
    for p in &diff.pairs {
        let text = if p.became { "became contested" } else { "no longer contested" };
        writeln!(
            out,
            "  {} -> {} [style=\"invis\", dir=\"none\", label={}, fontcolor={}, constraint=\"false\"];",
            quote_id(&ds.actor(p.a).id),
            quote_id(&ds.actor(p.b).id),
            quote(text),
            quote(CONTESTED_COLOUR)
        )?;
    }
    writeln!(
        out,
        "  \" legend\" [shape=\"plaintext\", style=\"\", fontsize=\"9\", label=<<table border=\"1\" cellborder=\"0\" color=\"#bdbdbd\"><tr><td colspan=\"2\"><b>Changes</b></td></tr><tr><td><font color=\"#2e7d32\">━━━━</font></td><td align=\"left\">started</td></tr><tr><td><font color=\"#c62828\">╺ ╺ ╺ ╺</font></td><td align=\"left\">ended</td></tr><tr><td><font color=\"#1565c0\">━━━━</font></td><td align=\"left\">status changed</td></tr><tr><td><font color=\"#bdbdbd\">━━━━</font></td><td align=\"left\">unchanged</td></tr></table>>];"
    )?;
    writeln!(out, "}}")
}

fn write_node(
    ds: &Dataset,
    a: ActorIx,
    highlight: &Highlight,
    out: &mut dyn Write,
    indent: &str,
) -> io::Result<()> {
    let emphasis = if highlight.nodes.contains(&a) {
        Emphasis::Strong
    } else if highlight.edges.is_some() {
        Emphasis::Faded
    } else {
        Emphasis::Normal
    };
    writeln!(out, "{indent}{} [{}];", quote_id(&ds.actor(a).id), node_attributes(ds, a, emphasis))
}

/// How prominently something is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Emphasis {
    Normal,
    /// Drawn prominently (a path, the centre of a neighbourhood).
    Strong,
    /// Drawn faded, as context.
    Faded,
}

/// The attributes of an actor's node: its name, the shape and fill of its kind.
fn node_attributes(ds: &Dataset, a: ActorIx, emphasis: Emphasis) -> String {
    let actor = ds.actor(a);
    let (shape, fill) = shape(actor.kind);
    let extra = match emphasis {
        Emphasis::Strong => ", penwidth=\"3.5\", fontsize=\"14\"",
        Emphasis::Faded => ", color=\"#9e9e9e\", fontcolor=\"#757575\"",
        Emphasis::Normal => "",
    };
    format!(
        "label={}, shape={}, fillcolor={}, tooltip={}{extra}",
        quote(&actor.name),
        quote(shape),
        quote(fill),
        quote(&format!("{} ({})", actor.id, actor.kind)),
    )
}

/// The attributes of an edge: colour by kind, dashed when possible, thick when contested,
/// no arrowhead when mutual, a label for merged, possible or contested edges, and a tooltip
/// with the relation and its dates.
fn edge_attributes(snapshot: &Snapshot<'_>, edge: &Edge, emphasis: Emphasis) -> String {
    let ds = snapshot.dataset;
    let text = EdgeText::of(snapshot, edge);
    let mut label = Vec::new();
    if text.relations.len() > 1 {
        label.push(format!("×{}", text.relations.len()));
    }
    if edge.status == Status::Possible {
        label.push("possible".to_string());
    }
    if edge.contested {
        label.push("contested".to_string());
    }
    let claimed = if text.claimants.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = text.claimants.iter().map(|&c| &*ds.actor(c).name).collect();
        format!(", claimed by {}", names.join(", "))
    };
    let tooltip = format!(
        "{} {} {} {} {} ({} to {}; grade {}{claimed}){}{}",
        text.id,
        edge.kind,
        ds.actor(edge.source).name,
        arrow(edge.directed),
        ds.actor(edge.target).name,
        text.start,
        if text.end.is_empty() { "open" } else { &text.end },
        text.grades.join(", "),
        if text.summary.is_empty() { "" } else { ": " },
        text.summary,
    );
    let colour = match emphasis {
        Emphasis::Faded => format!("{}40", kind_colour(edge.kind)),
        Emphasis::Normal | Emphasis::Strong => kind_colour(edge.kind).to_string(),
    };
    let width = match (emphasis, edge.contested) {
        (Emphasis::Strong, _) => "4",
        (_, true) => "3.2",
        (_, false) => "1.6",
    };
    let mut attributes = format!(
        "color={}, style={}, penwidth={}, dir={}, tooltip={}",
        quote(&colour),
        quote(if edge.status == Status::Possible { "dashed" } else { "solid" }),
        quote(width),
        quote(if edge.directed { "forward" } else { "none" }),
        quote(&tooltip),
    );
    if !label.is_empty() {
        attributes.push_str(&format!(
            ", label={}, fontcolor={}",
            quote(&label.join(", ")),
            quote(if edge.contested { CONTESTED_COLOUR } else { "#555555" })
        ));
    }
    attributes
}

/// The legend: one HTML-table node listing the relation colours, the line styles and the
/// actor shapes. Its text is fixed (nothing from the data), and its node id starts with a
/// space, which no actor id can (CSV cells are trimmed), so it never clashes with the data.
fn write_legend(out: &mut dyn Write) -> io::Result<()> {
    let mut rows = String::new();
    for kind in RelationKind::ALL {
        let arrow = if kind.directed_by_default() { "━━━▶" } else { "━━━━" };
        rows.push_str(&format!(
            "<tr><td align=\"left\"><font color=\"{}\">{arrow}</font></td><td align=\"left\">{}</td></tr>",
            kind_colour(kind),
            kind.as_str()
        ));
    }
    rows.push_str("<tr><td align=\"left\">╺ ╺ ╺ ╺</td><td align=\"left\">possible (partial date)</td></tr>");
    rows.push_str(&format!(
        "<tr><td align=\"left\"><b>━━━━</b></td><td align=\"left\"><font color=\"{CONTESTED_COLOUR}\">contested</font></td></tr>"
    ));
    for kind in ActorKind::WRITABLE {
        let (shape, fill) = shape(kind);
        rows.push_str(&format!(
            "<tr><td align=\"left\" bgcolor=\"{fill}\">{shape}</td><td align=\"left\">{}</td></tr>",
            kind.as_str()
        ));
    }
    writeln!(
        out,
        "  \" legend\" [shape=\"plaintext\", style=\"\", fontsize=\"9\", label=<<table border=\"1\" cellborder=\"0\" cellspacing=\"1\" color=\"#bdbdbd\"><tr><td colspan=\"2\"><b>Legend</b></td></tr>{rows}</table>>];"
    )
}

/// A snapshot's window as a title: the day, or the period and what it means.
fn heading(window: Window) -> String {
    match window.as_day() {
        Some(_) => window.to_string(),
        None => format!("{window} ({})", window.any_time()),
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quote_escapes_what_dot_would_misread() {
        assert_eq!(quote("United States"), r#""United States""#);
        assert_eq!(quote(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(quote(r"back\slash"), r#""back\\slash""#);
        assert_eq!(quote("ends with \\"), r#""ends with \\""#);
        assert_eq!(quote("two\nlines"), r#""two\nlines""#);
        assert_eq!(quote("crlf\r\nline"), r#""crlf\nline""#);
        assert_eq!(quote("cr\rline"), r#""cr\nline""#);
        assert_eq!(quote("tab\there"), r#""tab here""#);
        assert_eq!(quote("Bogotá, Côte d'Ivoire"), "\"Bogotá, Côte d'Ivoire\"");
        assert_eq!(quote("node"), r#""node""#);
        assert_eq!(quote(""), r#""""#);
        assert_eq!(quote("AT&T &amp;"), r#""AT&amp;T &amp;amp;""#);
    }

    #[test]
    fn quote_id_keeps_distinct_ids_distinct() {
        use super::quote_id;
        assert_eq!(quote_id("United States"), r#""United States""#);
        assert_eq!(quote_id("tab\there"), r#""tab\x09here""#);
        assert_eq!(quote_id(r"tab\x09here"), r#""tab\\x09here""#);
        assert_ne!(quote_id("tab\there"), quote_id("tab here"));
        assert_ne!(quote_id("x\r\ny"), quote_id("x\ny"));
        assert_ne!(quote_id("a\rb"), quote_id("a\nb"));
        assert_eq!(quote_id(r#"say "hi" \"#), r#""say \"hi\" \\""#);
        assert_eq!(quote_id("AT&amp;T"), r#""AT&amp;T""#);
    }
}
