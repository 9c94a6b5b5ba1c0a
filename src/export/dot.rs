//! A snapshot as a Graphviz DOT diagram meant to be read by people: colours by relation
//! kind, dashed lines for relations that are only possible, contested pairs highlighted,
//! shapes by actor kind, agencies clustered inside their country, and a legend.
//!
//! Everything that comes from the data goes through [`quote`], the one place where DOT
//! escaping is done. The writer is direct (not graphviz-rust's printer, which neither escapes
//! ids nor is fast enough for large graphs).

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::date::Status;
use crate::model::{ActorIx, ActorKind, RelationKind};
use crate::snapshot::Snapshot;

/// Quotes any text as a DOT string that Graphviz reads back as the same text, shown
/// literally in labels: `"` and `\` are escaped, line breaks become DOT's `\n`, and other
/// control characters become spaces.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
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

const CONTESTED_COLOUR: &str = "#6a1b9a";

/// Writes the snapshot as a DOT digraph. Mutual relations are drawn without arrowheads.
///
/// # Errors
/// When `out` fails.
pub fn write(snapshot: &Snapshot<'_>, out: &mut dyn Write) -> io::Result<()> {
    let ds = snapshot.dataset;
    let possible = snapshot
        .edges
        .iter()
        .filter(|e| e.status == Status::Possible)
        .count();
    let title = format!(
        "georel snapshot {}\n{} actors, {} relations ({} possible, {} contested){}",
        snapshot.date,
        snapshot.nodes.len(),
        snapshot.edges.len(),
        possible,
        snapshot.contested_count(),
        if snapshot.filter.strict {
            ", active only"
        } else {
            ""
        },
    );
    writeln!(
        out,
        "digraph {} {{",
        quote(&format!("georel {}", snapshot.date))
    )?;
    writeln!(
        out,
        "  graph [label={}, labelloc=\"t\", fontname=\"Helvetica\", fontsize=\"16\", rankdir=\"LR\", nodesep=\"0.35\", ranksep=\"0.9\", compound=\"true\"];",
        quote(&title)
    )?;
    writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=\"11\", style=\"filled\", penwidth=\"1.2\"];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"Helvetica\", fontsize=\"9\", penwidth=\"1.6\"];"
    )?;

    // Agencies, people and other dependants are drawn inside a cluster for their top-level
    // parent (a country, usually); the parent itself goes in the cluster too.
    let present: Vec<ActorIx> = snapshot.nodes.iter().map(|n| n.actor).collect();
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
            clusters
                .entry(&ds.actor(top).id)
                .or_insert_with(|| (top, Vec::new()))
                .1
                .push(a);
        } else {
            loose.push(a);
        }
    }
    for (top_id, (top, members)) in &clusters {
        writeln!(out, "  subgraph {} {{", quote(&format!("cluster_{top_id}")))?;
        writeln!(
            out,
            "    graph [label={}, style=\"rounded,filled\", fillcolor=\"#f7f7f7\", color=\"#9e9e9e\", fontsize=\"12\"];",
            quote(&ds.actor(*top).name)
        )?;
        for &a in members {
            write_node(snapshot, a, out, "    ")?;
        }
        writeln!(out, "  }}")?;
    }
    for &a in &loose {
        write_node(snapshot, a, out, "  ")?;
    }

    for edge in &snapshot.edges {
        let r = ds.relation(edge.relation);
        let (source, target) = (ds.actor(r.source), ds.actor(r.target));
        let mut label = String::new();
        if edge.status == Status::Possible {
            label.push_str("possible");
        }
        if edge.contested {
            if !label.is_empty() {
                label.push_str(", ");
            }
            label.push_str("contested");
        }
        let tooltip = format!(
            "{} {} {} → {} ({} to {}){}{}",
            r.id,
            r.kind,
            source.name,
            target.name,
            r.start,
            r.end.map_or_else(|| "open".to_string(), |e| e.to_string()),
            if r.summary.is_empty() { "" } else { ": " },
            r.summary,
        );
        write!(
            out,
            "  {} -> {} [color={}, style={}, penwidth={}, dir={}, tooltip={}",
            quote(&source.id),
            quote(&target.id),
            quote(kind_colour(r.kind)),
            if edge.status == Status::Possible {
                "\"dashed\""
            } else {
                "\"solid\""
            },
            if edge.contested { "\"3.2\"" } else { "\"1.6\"" },
            if r.directed {
                "\"forward\""
            } else {
                "\"none\""
            },
            quote(&tooltip),
        )?;
        if !label.is_empty() {
            write!(
                out,
                ", label={}, fontcolor={}",
                quote(&label),
                quote(if edge.contested {
                    CONTESTED_COLOUR
                } else {
                    "#555555"
                })
            )?;
        }
        writeln!(out, "];")?;
    }
    write_legend(out)?;
    writeln!(out, "}}")
}

fn write_node(
    snapshot: &Snapshot<'_>,
    a: ActorIx,
    out: &mut dyn Write,
    indent: &str,
) -> io::Result<()> {
    let actor = snapshot.dataset.actor(a);
    let (shape, fill) = shape(actor.kind);
    writeln!(
        out,
        "{indent}{} [label={}, shape={}, fillcolor={}, tooltip={}];",
        quote(&actor.id),
        quote(&actor.name),
        quote(shape),
        quote(fill),
        quote(&format!("{} ({})", actor.id, actor.kind)),
    )
}

/// The legend: one HTML-table node listing the relation colours, the line styles and the
/// actor shapes. Its text is fixed (nothing from the data), and its node id starts with a
/// space, which no actor id can (CSV cells are trimmed), so it never clashes with the data.
fn write_legend(out: &mut dyn Write) -> io::Result<()> {
    let mut rows = String::new();
    for kind in RelationKind::ALL {
        let arrow = if kind.directed_by_default() {
            "━━━▶"
        } else {
            "━━━━"
        };
        rows.push_str(&format!(
            "<tr><td align=\"left\"><font color=\"{}\">{arrow}</font></td><td align=\"left\">{}</td></tr>",
            kind_colour(kind),
            kind.as_str()
        ));
    }
    rows.push_str(
        "<tr><td align=\"left\">╺ ╺ ╺ ╺</td><td align=\"left\">possible (partial date)</td></tr>",
    );
    rows.push_str(&format!(
        "<tr><td align=\"left\"><b>━━━━</b></td><td align=\"left\"><font color=\"{CONTESTED_COLOUR}\">contested pair</font></td></tr>"
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
    }
}
