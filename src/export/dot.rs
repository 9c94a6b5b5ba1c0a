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
use crate::export::text::count;
use crate::export::{arrow, cite, edge_sources, EdgeText};
use crate::model::{ActorIx, ActorKind, Dataset, RelationIx, RelationKind, SourceIx};
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
        // Not an agency's ellipse: an actor named only by a relation is of no known kind.
        ActorKind::Unknown => ("octagon", "#eeeeee"),
        // A country's box, paler: a place, not a state.
        ActorKind::Region => ("box", "#f5f9fd"),
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
    /// Label each contested edge with its part in the contest ("contested cooperation" or
    /// "covering restriction") and its relations' ids, as `conflicts` lists them.
    pub contest_roles: bool,
    /// What the title says of the actors drawn, instead of counting them.
    pub actors: Option<String>,
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
        "{}, {} ({} possible, {} contested){}{}",
        highlight.actors.clone().unwrap_or_else(|| actor_count(snapshot)),
        count(snapshot.edges.len(), "relation", "relations"),
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
            edge_attributes(snapshot, edge, emphasis, highlight.contest_roles)
        )?;
    }
    let mut kinds: Vec<ActorKind> = snapshot.nodes.iter().map(|n| ds.actor(n.actor).kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    write_legend(&kinds, out)?;
    writeln!(out, "}}")
}

/// How many actors a snapshot picture shows: by country, its countries and the others
/// (alliances, organisations, and actors without a country), each counted apart.
fn actor_count(snapshot: &Snapshot<'_>) -> String {
    let n = snapshot.nodes.len();
    if snapshot.options.grouping != Grouping::Countries {
        return count(n, "actor", "actors");
    }
    let ds = snapshot.dataset;
    let countries =
        snapshot.nodes.iter().filter(|node| ds.actor(node.actor).kind == ActorKind::Country).count();
    match (countries, n - countries) {
        (0, others) => count(others, "actor", "actors"),
        (countries, 0) => count(countries, "country", "countries"),
        (countries, others) => format!(
            "{} and {}",
            count(countries, "country", "countries"),
            count(others, "other actor", "other actors")
        ),
    }
}

/// The DOT id of an actor in frames: `n<index>`, so that Graphviz's names for the nodes
/// map straight back to actors.
pub fn frame_node_id(a: ActorIx) -> String {
    format!("n{}", a.0)
}

/// The DOT id of a cluster in frames: `cluster_n<index>` of its top-level actor, so that
/// Graphviz's names for the clusters map straight back too.
pub fn frame_cluster_id(top: ActorIx) -> String {
    format!("cluster_{}", frame_node_id(top))
}

/// The aspect (height over width) that the shared layout of frames is stretched to: about
/// that of the space the frames page gives a picture in a landscape window (see
/// [`crate::export::page`]), so that a frame fills it rather than a tall strip of it.
const FRAME_ASPECT: f64 = 0.72;

/// The size of actor names in frames, larger than in other diagrams: a frame is looked at
/// whole, scaled to a window.
const FRAME_FONT: &str = "14";

/// The graph laid out once for a series of frames: every actor and every pair seen in any
/// frame (one line per pair), with frame node ids, clustered as in every diagram
/// ([`clusters`]). `actors` come in the dataset's order; `pairs` each once. Its node and
/// cluster positions are then pinned in each frame, so that an actor keeps its place.
///
/// # Errors
/// When `out` fails.
pub fn write_frames_layout(
    ds: &Dataset,
    actors: &[ActorIx],
    pairs: &[(ActorIx, ActorIx)],
    out: &mut dyn Write,
) -> io::Result<()> {
    write_header("frames", "", out)?;
    // Tighter than other diagrams: the stretch to the aspect spreads the nodes anyway, and
    // the smaller the canvas, the larger its text once scaled to the window.
    writeln!(out, "  graph [ratio=\"{FRAME_ASPECT}\", nodesep=\"0.1\", ranksep=\"0.4\"];")?;
    writeln!(out, "  node [fontsize=\"{FRAME_FONT}\"];")?;
    let (clusters, loose) = clusters(ds, actors);
    for (top, members) in &clusters {
        writeln!(out, "  subgraph {} {{", quote_id(&frame_cluster_id(*top)))?;
        writeln!(out, "    graph [{}];", cluster_attributes(ds, *top))?;
        for &a in members {
            writeln!(out, "    {} [{}];", frame_node_id(a), node_attributes(ds, a, Emphasis::Normal))?;
        }
        writeln!(out, "  }}")?;
    }
    for &a in &loose {
        writeln!(out, "  {} [{}];", frame_node_id(a), node_attributes(ds, a, Emphasis::Normal))?;
    }
    for &(a, b) in pairs {
        writeln!(out, "  {} -> {} [dir=\"none\"];", frame_node_id(a), frame_node_id(b))?;
    }
    writeln!(out, "}}")
}

/// Where the shared layout put the actors and clusters of a series of frames, in points.
#[derive(Debug, Clone, Default)]
pub struct FramePlaces {
    /// Every actor of the series and its centre, in the dataset's order.
    pub actors: Vec<(ActorIx, f64, f64)>,
    /// Every cluster's top-level actor and its bounding box (lower left x, y, upper right x, y).
    pub clusters: Vec<(ActorIx, [f64; 4])>,
}

impl FramePlaces {
    /// The positions Graphviz gave the layout of [`write_frames_layout`], mapped back from
    /// its node and cluster names to actors, in the dataset's order.
    pub fn from_layout(ds: &Dataset, placed: &crate::export::render::Placed) -> FramePlaces {
        let all = || (0..ds.actors.len() as u32).map(ActorIx);
        let by_name: HashMap<String, ActorIx> = all().map(|a| (frame_node_id(a), a)).collect();
        let by_cluster: HashMap<String, ActorIx> = all().map(|a| (frame_cluster_id(a), a)).collect();
        let mut actors: Vec<(ActorIx, f64, f64)> =
            placed.nodes.iter().filter_map(|(name, x, y)| by_name.get(name).map(|&a| (a, *x, *y))).collect();
        actors.sort_unstable_by_key(|&(a, _, _)| ds.rank(a));
        let mut clusters: Vec<(ActorIx, [f64; 4])> =
            placed.clusters.iter().filter_map(|(name, bb)| by_cluster.get(name).map(|&a| (a, *bb))).collect();
        clusters.sort_unstable_by_key(|&(a, _)| ds.rank(a));
        FramePlaces { actors, clusters }
    }
}

/// The colour that marks what changed since the previous frame: a halo around a new
/// relation, the outline of a new actor.
const NEW_COLOUR: &str = "#fbc02d";

/// How an edge of a frame compares with the previous frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameChange {
    Same,
    /// New since the previous frame, or changed (status, contested).
    New,
    /// Held on the previous frame and no longer: drawn faded on the frame where it ended.
    Ended,
}

/// The look of a relation line in frames, and in their legend: kind colour; dashed when
/// possible; a purple core when contested (no text label, so that nothing can overlap); a
/// yellow halo when new; faded and dotted when it has ended.
fn frame_line(
    kind: RelationKind,
    directed: bool,
    possible: bool,
    contested: bool,
    change: FrameChange,
) -> String {
    let colour = kind_colour(kind);
    let line = match (change, contested) {
        (FrameChange::Ended, _) => format!("{colour}99"),
        (_, true) => format!("{colour}:{CONTESTED_COLOUR}:{colour}"),
        (_, false) => colour.to_string(),
    };
    let line = if change == FrameChange::New { format!("{NEW_COLOUR}:{line}:{NEW_COLOUR}") } else { line };
    let style = match (change, possible) {
        (FrameChange::Ended, _) => "dotted",
        (_, true) => "dashed",
        (_, false) => "solid",
    };
    let width = if change == FrameChange::Same && !contested { "1.8" } else { "2.2" };
    format!(
        "color={}, style={}, penwidth={}, dir={}, arrowsize=\"0.9\"",
        quote(&line),
        quote(style),
        quote(width),
        quote(if directed { "forward" } else { "none" })
    )
}

/// A frame's counts, in a line: "27 actors, 31 relations (0 possible, 4 contested)".
pub fn frame_counts(snapshot: &Snapshot<'_>) -> String {
    format!(
        "{}, {} ({} possible, {} contested)",
        count(snapshot.nodes.len(), "actor", "actors"),
        count(snapshot.edges.len(), "relation", "relations"),
        snapshot.possible_count(),
        snapshot.contested_count()
    )
}

/// What changed since the frame before, in a line: "since 2025-11-13: 1 new or changed,
/// 0 ended" (transient relations are not counted: frames compare two days).
pub fn changes_since(before: Window, diff: &Diff) -> String {
    let ended = diff.relations.iter().filter(|c| c.change == Change::Ended).count();
    format!("since {}: {} new or changed, {ended} ended", heading(before), diff.relations.len() - ended)
}

/// The look of an actor in frames: as in every diagram, with a thick yellow outline when new
/// since the previous frame, and faded with a dashed outline on the frame where it left.
fn frame_node(ds: &Dataset, a: ActorIx, change: FrameChange) -> String {
    match change {
        FrameChange::Same => node_attributes(ds, a, Emphasis::Normal),
        FrameChange::New => {
            format!(
                "{}, color={}, penwidth=\"3.5\"",
                node_attributes(ds, a, Emphasis::Normal),
                quote(NEW_COLOUR)
            )
        }
        FrameChange::Ended => {
            format!(
                "{}, style=\"filled,dashed\", fillcolor=\"#f5f5f5\"",
                node_attributes(ds, a, Emphasis::Faded)
            )
        }
    }
}

/// One frame: the snapshot with each actor and cluster pinned where `places` says (from
/// [`write_frames_layout`]'s layout), titled with its date. What changed since `previous`
/// (the frame before, taken with the same options) is marked: new relations and actors
/// stand out, ended ones are drawn faded. Actors placed but in neither frame are drawn
/// invisible, so that every frame has the same canvas. No edge carries a text label: the
/// line's look says it all ([`write_frames_legend`]). Render with `neato -n`, which keeps the
/// positions.
///
/// # Errors
/// When `out` fails.
pub fn write_frame(
    snapshot: &Snapshot<'_>,
    previous: Option<&Snapshot<'_>>,
    places: &FramePlaces,
    out: &mut dyn Write,
) -> io::Result<()> {
    let ds = snapshot.dataset;
    let diff = previous.map(|before| crate::query::diff::between(before, snapshot, None));
    let mut new_relations: HashSet<RelationIx> = HashSet::new();
    let mut ended_relations: HashSet<RelationIx> = HashSet::new();
    if let Some(diff) = &diff {
        for c in &diff.relations {
            match c.change {
                Change::Ended => ended_relations.insert(c.relation),
                _ => new_relations.insert(c.relation),
            };
        }
        for p in diff.pairs.iter().filter(|p| p.became) {
            new_relations.extend(p.relations.iter().copied());
        }
    }
    let ended_edges: Vec<&Edge> = match previous {
        Some(before) => before
            .edges
            .iter()
            .filter(|e| before.members(e).iter().all(|m| ended_relations.contains(&m.relation)))
            .collect(),
        None => Vec::new(),
    };
    let changes = match (&diff, previous) {
        (Some(diff), Some(before)) => format!("\n{}", changes_since(before.window, diff)),
        // Every frame's title has three lines, so that every frame has the same canvas.
        _ => "\nthe first frame".to_string(),
    };
    let title = format!("{}\n{}{changes}", heading(snapshot.window), frame_counts(snapshot));
    write_header(&format!("georel {}", snapshot.window), &title, out)?;
    writeln!(
        out,
        "  graph [fontsize=\"20\", outputorder=\"edgesfirst\", splines={}];",
        quote(if snapshot.edges.len() <= 300 { "true" } else { "line" })
    )?;
    writeln!(out, "  node [fontsize=\"{FRAME_FONT}\"];")?;
    let node_change = |a: ActorIx| match previous {
        _ if snapshot.contains(a) && previous.is_some_and(|b| !b.contains(a)) => Some(FrameChange::New),
        _ if snapshot.contains(a) => Some(FrameChange::Same),
        Some(before) if before.contains(a) => Some(FrameChange::Ended),
        _ => None,
    };
    let write_actor = |out: &mut dyn Write, a: ActorIx, x: f64, y: f64, indent: &str| {
        let look = match node_change(a) {
            Some(change) => frame_node(ds, a, change),
            None => format!("{}, style=\"invis\"", node_attributes(ds, a, Emphasis::Normal)),
        };
        writeln!(out, "{indent}{} [{look}, pos=\"{x:.2},{y:.2}!\"];", frame_node_id(a))
    };
    // A cluster is drawn when one of its actors is; its actors are declared inside it.
    let mut in_cluster = vec![None; ds.actors.len()];
    for &(top, _) in &places.clusters {
        in_cluster[top.index()] = Some(top);
    }
    let cluster_of = |a: ActorIx| in_cluster[ds.top_parent(a).index()];
    for &(top, [x0, y0, x1, y1]) in &places.clusters {
        let members: Vec<&(ActorIx, f64, f64)> =
            places.actors.iter().filter(|(a, _, _)| cluster_of(*a) == Some(top)).collect();
        if !members.iter().any(|(a, _, _)| node_change(*a).is_some()) {
            for &&(a, x, y) in &members {
                write_actor(out, a, x, y, "  ")?;
            }
            continue;
        }
        writeln!(out, "  subgraph {} {{", quote_id(&frame_cluster_id(top)))?;
        writeln!(
            out,
            "    graph [{}, bb=\"{x0:.2},{y0:.2},{x1:.2},{y1:.2}\"];",
            cluster_attributes(ds, top)
        )?;
        for &&(a, x, y) in &members {
            write_actor(out, a, x, y, "    ")?;
        }
        writeln!(out, "  }}")?;
    }
    for &(a, x, y) in places.actors.iter().filter(|(a, _, _)| cluster_of(*a).is_none()) {
        write_actor(out, a, x, y, "  ")?;
    }
    for edge in &snapshot.edges {
        let members = snapshot.members(edge);
        let change = if members.iter().any(|m| new_relations.contains(&m.relation)) {
            FrameChange::New
        } else {
            FrameChange::Same
        };
        let tooltip = edge_tooltip(snapshot, edge, &EdgeText::of(snapshot, edge));
        writeln!(
            out,
            "  {} -> {} [{}, tooltip={}];",
            frame_node_id(edge.source),
            frame_node_id(edge.target),
            frame_line(edge.kind, edge.directed, edge.status == Status::Possible, edge.contested, change),
            quote(&tooltip)
        )?;
    }
    if let Some(before) = previous {
        for edge in ended_edges {
            let tooltip = edge_tooltip(before, edge, &EdgeText::of(before, edge));
            writeln!(
                out,
                "  {} -> {} [{}, tooltip={}];",
                frame_node_id(edge.source),
                frame_node_id(edge.target),
                frame_line(edge.kind, edge.directed, false, false, FrameChange::Ended),
                quote(&format!("ended: {tooltip}"))
            )?;
        }
    }
    writeln!(out, "}}")
}

/// The legend of frames, as a small diagram of its own (laid out with `dot`): each kind's
/// line, the possible, contested, new and ended looks of a line, the shape of each actor
/// kind, and how new and departed actors look. Drawn by the very functions that draw the
/// frames, so that it cannot say otherwise.
///
/// # Errors
/// When `out` fails.
pub fn write_frames_legend(out: &mut dyn Write) -> io::Result<()> {
    // Laid out left to right, where dot stacks each column's nodes from the bottom up: the
    // rows are written last first.
    let mut rows: Vec<String> = Vec::new();
    let mut line_row = |i: usize, text: &str, line: String| {
        rows.push(format!(
            "  l{i} [shape=\"point\", style=\"invis\", width=\"0.01\"];\n  t{i} [shape=\"plaintext\", style=\"\", width=\"2.4\", fixedsize=\"true\", label=\"{text}\\l\"];\n  l{i} -> t{i} [{line}];"
        ));
    };
    for (i, &kind) in RelationKind::ALL.iter().enumerate() {
        line_row(
            i,
            kind.as_str(),
            frame_line(kind, kind.directed_by_default(), false, false, FrameChange::Same),
        );
    }
    let plain = RelationKind::Cooperation;
    let n = RelationKind::ALL.len();
    line_row(n, "possible (partial date)", frame_line(plain, false, true, false, FrameChange::Same));
    line_row(n + 1, "contested", frame_line(plain, false, false, true, FrameChange::Same));
    line_row(n + 2, "new since the previous frame", frame_line(plain, false, false, false, FrameChange::New));
    line_row(
        n + 3,
        "ended since the previous frame",
        frame_line(plain, false, false, false, FrameChange::Ended),
    );
    let mut shapes: Vec<String> = ActorKind::WRITABLE
        .iter()
        .enumerate()
        .map(|(i, &kind)| {
            let (shape, fill) = shape(kind);
            format!(
                "k{i} [label={}, shape={}, fillcolor={}]",
                quote(kind.as_str()),
                quote(shape),
                quote(fill)
            )
        })
        .collect();
    let country = ActorKind::Country;
    let (shape_new, fill_new) = shape(country);
    shapes.push(format!(
        "k_new [label=\"new actor\", shape={}, fillcolor={}, color={}, penwidth=\"3.5\"]",
        quote(shape_new),
        quote(fill_new),
        quote(NEW_COLOUR)
    ));
    shapes.push(format!(
        "k_gone [label=\"actor gone\", shape={}, style=\"filled,dashed\", fillcolor=\"#f5f5f5\", color=\"#9e9e9e\", fontcolor=\"#757575\"]",
        quote(shape_new)
    ));
    // Two shapes to a row: an invisible edge puts the second in the second column.
    let id = |n: &str| n.split_whitespace().next().unwrap_or_default().to_string();
    for pair in shapes.chunks(2) {
        let mut row = pair.iter().map(|node| format!("  {node};")).collect::<Vec<_>>().join("\n");
        if let [first, second] = pair {
            row.push_str(&format!("\n  {} -> {} [style=\"invis\"];", id(first), id(second)));
        }
        rows.push(row);
    }
    writeln!(out, "digraph \"legend\" {{")?;
    writeln!(
        out,
        "  graph [rankdir=\"LR\", nodesep=\"0.1\", ranksep=\"0.3\", fontname=\"Helvetica\", fontsize=\"13\", label=\"Legend\", labelloc=\"t\", labeljust=\"l\", margin=\"0.05\"];"
    )?;
    writeln!(out, "  node [fontname=\"Helvetica\", fontsize=\"11\", style=\"filled\", penwidth=\"1.2\"];")?;
    for row in rows.iter().rev() {
        writeln!(out, "{row}")?;
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

/// The clusters a diagram draws, one rule for every diagram: agencies, people and other
/// dependants among `present` go inside a cluster for their top-level parent (a country,
/// usually), with the parent itself when it is present; the clusters come in the parents' id
/// order, each with its members in the order of `present`. The second list holds the actors
/// in no cluster.
pub fn clusters(ds: &Dataset, present: &[ActorIx]) -> (Vec<(ActorIx, Vec<ActorIx>)>, Vec<ActorIx>) {
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
    (clusters.into_values().collect(), loose)
}

/// The attributes of a cluster: its parent's name, and the look every diagram gives it.
fn cluster_attributes(ds: &Dataset, top: ActorIx) -> String {
    format!(
        "label={}, style=\"rounded,filled\", fillcolor=\"#f7f7f7\", color=\"#9e9e9e\", fontsize=\"12\"",
        quote(&ds.actor(top).name)
    )
}

/// Writes the nodes, clustered as [`clusters`] says.
fn write_nodes(
    ds: &Dataset,
    present: &[ActorIx],
    highlight: &Highlight,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (clusters, loose) = clusters(ds, present);
    for (top, members) in &clusters {
        writeln!(out, "  subgraph {} {{", quote_id(&format!("cluster_{}", ds.actor(*top).id)))?;
        writeln!(out, "    graph [{}];", cluster_attributes(ds, *top))?;
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

/// How many actors and relations the diff picture ([`write_diff`]) draws: each relation
/// once, whether it is in the first day's snapshot, the last's or both, or came and went in
/// between. The size a picture is refused or laid out by.
pub fn diff_size(before: &Snapshot<'_>, after: &Snapshot<'_>, diff: &Diff) -> (usize, usize) {
    let (actors, relations) = diff_drawn(before, after, diff);
    (actors.len(), relations.len())
}

/// The actors (in rank order) and relations (each once) of the diff picture.
fn diff_drawn(before: &Snapshot<'_>, after: &Snapshot<'_>, diff: &Diff) -> (Vec<ActorIx>, Vec<RelationIx>) {
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
    let mut relations: Vec<RelationIx> = [before, after]
        .iter()
        .flat_map(|s| s.edges.iter().flat_map(|e| s.members(e)).map(|m| m.relation))
        .chain(transient())
        .chain(diff.pairs.iter().flat_map(|p| p.relations.iter().copied()))
        .collect();
    relations.sort_unstable();
    relations.dedup();
    (present, relations)
}

/// Writes what changed between two snapshots (taken with the same options). Every line has
/// its kind's colour, as in a snapshot; how it changed is its line style and label (started
/// solid and thick, ended dashed, transient dotted, a changed status bold, unchanged faded),
/// and the relations whose contest began or ended say so in the contested colour.
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
    let (present, relations) = diff_drawn(before, after, diff);
    // The counts the text summary gives, in its words.
    let became = diff.pairs.iter().filter(|p| p.became).count();
    let title = format!(
        "georel diff {} → {}\n{}; {} became contested, {} stopped being contested",
        diff.from,
        diff.to,
        count(diff.relations.len(), "changed relation", "changed relations"),
        count(became, "pair", "pairs"),
        diff.pairs.len() - became
    );
    write_header(&format!("georel diff {} {}", diff.from, diff.to), &title, out)?;
    write_nodes(ds, &present, &Highlight::default(), out)?;
    let changes: HashMap<RelationIx, Change> =
        diff.relations.iter().map(|c| (c.relation, c.change)).collect();
    // Contestedness belongs to each relation: a pair's change is drawn on the relations it
    // names, never on a line of its own (which Graphviz put beside the pair's dispute).
    let mut contest_changes: HashMap<RelationIx, &str> = HashMap::new();
    for p in &diff.pairs {
        let text = if p.became { "became contested" } else { "no longer contested" };
        for &r in &p.relations {
            contest_changes.insert(r, text);
        }
    }
    for r in relations {
        let rel = ds.relation(r);
        let (source, target) = (grouping.unit(ds, rel.source), grouping.unit(ds, rel.target));
        let colour = kind_colour(rel.kind);
        let change = changes.get(&r).copied();
        let (line, width) = diff_line(change);
        let mut label = match change {
            Some(c) => vec![format!("{}: {} {}", c.as_str(), rel.kind, rel.id)],
            None => Vec::new(),
        };
        let contest = contest_changes.get(&r);
        if let Some(text) = contest {
            if change.is_none() {
                label.push(format!("{} {}", rel.kind, rel.id));
            }
            label.push((*text).to_string());
        }
        // Unchanged relations are context: their kind's colour, faded.
        let colour =
            if change.is_none() && contest.is_none() { format!("{colour}40") } else { colour.to_string() };
        let font = if contest.is_some() { CONTESTED_COLOUR } else { colour.as_str() };
        let end = rel.end.map_or_else(|| "open".to_string(), |e| e.to_string());
        writeln!(
            out,
            "  {} -> {} [color={}, style={}, penwidth={}, dir={}, label={}, fontcolor={}, tooltip={}];",
            quote_id(&ds.actor(source).id),
            quote_id(&ds.actor(target).id),
            quote(&colour),
            quote(line),
            quote(if contest.is_some() { "3.2" } else { width }),
            quote(if rel.directed { "forward" } else { "none" }),
            quote(&label.join("\n")),
            quote(font),
            quote(&format!("{} {} ({} to {end}){}", rel.id, rel.kind, rel.start, cited(ds, rel.evidence()))),
        )?;
    }
    let mut rows = kind_rows();
    for change in [
        Some(Change::Started),
        Some(Change::Ended),
        Some(Change::Transient),
        Some(Change::BecameActive),
        None,
    ] {
        let what = match change {
            Some(Change::BecameActive) => "status changed (active or possible)",
            Some(c) => c.as_str(),
            None => "unchanged (faded)",
        };
        rows.push_str(&format!(
            "<tr><td align=\"left\">{}</td><td align=\"left\">{what}</td></tr>",
            line_sample(change)
        ));
    }
    rows.push_str(&format!(
        "<tr><td align=\"left\"><b>━━━━</b></td><td align=\"left\"><font color=\"{CONTESTED_COLOUR}\">became or no longer contested</font></td></tr>"
    ));
    writeln!(
        out,
        "  \" legend\" [shape=\"plaintext\", style=\"\", fontsize=\"9\", label=<<table border=\"1\" cellborder=\"0\" cellspacing=\"1\" color=\"#bdbdbd\"><tr><td colspan=\"2\"><b>Changes</b></td></tr>{rows}</table>>];"
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
/// with the relation and its dates. With `roles` (the conflicts picture), a contested edge's
/// label says its part in the contest and its relations' ids instead of "contested".
fn edge_attributes(snapshot: &Snapshot<'_>, edge: &Edge, emphasis: Emphasis, roles: bool) -> String {
    let text = EdgeText::of(snapshot, edge);
    let mut label = Vec::new();
    if roles && edge.contested {
        let role = match edge.kind {
            RelationKind::Cooperation => "contested cooperation",
            _ => "covering restriction",
        };
        label.push(format!("{role} {}", text.relations.join(", ")));
    } else if text.relations.len() > 1 {
        label.push(format!("×{}", text.relations.len()));
    }
    if edge.status == Status::Possible {
        label.push("possible".to_string());
    }
    if edge.contested && !roles {
        // The kind is named: Graphviz may set a label beside another line of the pair (a
        // dispute, which is never contested).
        label.push(format!("contested {}", edge.kind));
    }
    let tooltip = edge_tooltip(snapshot, edge, &text);
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

/// The most sources an edge's tooltip cites; the rest are counted. A merged edge
/// (`--by-country`) can rest on thousands, which no hover can show.
const TOOLTIP_SOURCES: usize = 8;

/// ` [short citations]` of `sources` for a tooltip, the first [`TOOLTIP_SOURCES`] of them and
/// how many more; nothing when there are none.
fn cited(ds: &Dataset, sources: &[SourceIx]) -> String {
    match sources.len() {
        0 => String::new(),
        n if n <= TOOLTIP_SOURCES => format!(" [{}]", cite::shorts(ds, sources.iter().copied())),
        n => format!(
            " [{}; and {} more]",
            cite::shorts(ds, sources[..TOOLTIP_SOURCES].iter().copied()),
            n - TOOLTIP_SOURCES
        ),
    }
}

/// An edge's tooltip: its relations, ends, dates, grades, claimants, short citations of its
/// sources ([`cite::shorts`], as text outputs cite) and summary.
fn edge_tooltip(snapshot: &Snapshot<'_>, edge: &Edge, text: &EdgeText) -> String {
    let ds = snapshot.dataset;
    let claimed = if text.claimants.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = text.claimants.iter().map(|&c| &*ds.actor(c).name).collect();
        format!(", claimed by {}", names.join(", "))
    };
    let cited = cited(ds, &edge_sources(snapshot, edge));
    format!(
        "{} {} {} {} {} ({} to {}; grade {}{claimed}){cited}{}{}",
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
    )
}

/// The line style and width of a relation in a diff picture, by how it changed.
fn diff_line(change: Option<Change>) -> (&'static str, &'static str) {
    match change {
        Some(Change::Started) => ("solid", "3"),
        Some(Change::Ended) => ("dashed", "3"),
        Some(Change::Transient) => ("dotted", "3"),
        Some(Change::BecameActive | Change::BecamePossible) => ("bold", "2.4"),
        None => ("solid", "1.2"),
    }
}

/// A sample of a change's line, in the diff legend's text.
fn line_sample(change: Option<Change>) -> &'static str {
    match change {
        Some(Change::Started) => "<b>━━━━</b>",
        Some(Change::Ended) => "<b>╺ ╺ ╺ ╺</b>",
        Some(Change::Transient) => "<b>┈┈┈┈</b>",
        Some(Change::BecameActive | Change::BecamePossible) => "━━━━",
        None => "<font color=\"#bdbdbd\">━━━━</font>",
    }
}

/// The legend's rows for the relation kinds: each kind's colour, with an arrowhead where
/// the kind is directed by default. Every picture's legend uses these.
fn kind_rows() -> String {
    let mut rows = String::new();
    for kind in RelationKind::ALL {
        let arrow = if kind.directed_by_default() { "━━━▶" } else { "━━━━" };
        rows.push_str(&format!(
            "<tr><td align=\"left\"><font color=\"{}\">{arrow}</font></td><td align=\"left\">{}</td></tr>",
            kind_colour(kind),
            kind.as_str()
        ));
    }
    rows
}

/// The legend, in a cluster of its own: an HTML table of the relation colours and line
/// styles, and one sample node per actor kind drawn (in the order of [`ActorKind::ALL`]),
/// with that kind's own shape and fill, labelled with the kind. Its text is fixed (nothing
/// from the data), and its ids start with a space, which no actor id can (CSV cells are
/// trimmed), so they never clash with the data.
fn write_legend(kinds: &[ActorKind], out: &mut dyn Write) -> io::Result<()> {
    let mut rows = kind_rows();
    rows.push_str("<tr><td align=\"left\">╺ ╺ ╺ ╺</td><td align=\"left\">possible (partial date)</td></tr>");
    rows.push_str(&format!(
        "<tr><td align=\"left\"><b>━━━━</b></td><td align=\"left\"><font color=\"{CONTESTED_COLOUR}\">contested</font></td></tr>"
    ));
    // The samples stack down one column (the layout runs left to right): a row of them
    // would stretch across the picture's ranks.
    writeln!(out, "  subgraph \"cluster_ legend\" {{")?;
    writeln!(
        out,
        "    graph [label=\"Legend\", style=\"rounded\", color=\"#bdbdbd\", fontsize=\"10\", fontname=\"Helvetica\"];"
    )?;
    writeln!(
        out,
        "    \" legend\" [shape=\"plaintext\", style=\"\", fontsize=\"9\", label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"1\">{rows}</table>>];"
    )?;
    let drawn: Vec<ActorKind> = ActorKind::ALL.into_iter().filter(|k| kinds.contains(k)).collect();
    let id = |kind: ActorKind| quote_id(&format!(" legend {}", kind.as_str()));
    for &kind in &drawn {
        let (shape, fill) = shape(kind);
        writeln!(
            out,
            "    {} [label={}, shape={}, fillcolor={}, fontsize=\"8\", height=\"0.3\", width=\"0.7\", margin=\"0.02\", tooltip={}];",
            id(kind),
            quote(kind.as_str()),
            quote(shape),
            quote(fill),
            quote(&format!("an actor of kind {}", kind.as_str())),
        )?;
    }
    writeln!(out, "  }}")
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
