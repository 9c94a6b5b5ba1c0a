//! Snapshot tables as CSV for spreadsheets: `nodes.csv` and `edges.csv`.
//!
//! Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
//! carriage return) are neutralised as OWASP recommends for CSV injection: a single quote is
//! put in front, so the cell shows as text.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::export::evidence_ids;
use crate::snapshot::Snapshot;

pub const NODES_HEADER: [&str; 5] = ["id", "name", "kind", "parent", "degree"];
pub const EDGES_HEADER: [&str; 11] = [
    "id",
    "source",
    "target",
    "kind",
    "start",
    "end",
    "directed",
    "status",
    "contested",
    "evidence",
    "summary",
];

/// Makes a cell safe to open in a spreadsheet (see the module docs).
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new().from_writer(out)
}

fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes `id,name,kind,parent,degree`, one row per actor in the snapshot, sorted by id.
///
/// # Errors
/// When `out` fails.
pub fn write_nodes(snapshot: &Snapshot<'_>, out: &mut dyn Write) -> io::Result<()> {
    let ds = snapshot.dataset;
    let mut w = writer(out);
    w.write_record(NODES_HEADER).map_err(io_error)?;
    let mut degree = itoa::Buffer::new();
    for node in &snapshot.nodes {
        let a = ds.actor(node.actor);
        let parent = a.parent.map_or("", |p| &ds.actor(p).id);
        w.write_record([
            &*spreadsheet_safe(&a.id),
            &*spreadsheet_safe(&a.name),
            a.kind.as_str(),
            &*spreadsheet_safe(parent),
            degree.format(node.degree),
        ])
        .map_err(io_error)?;
    }
    w.flush()
}

/// Writes `id,source,target,kind,start,end,directed,status,contested,evidence,summary`, one
/// row per relation in the snapshot, in the snapshot's order.
///
/// # Errors
/// When `out` fails.
pub fn write_edges(snapshot: &Snapshot<'_>, out: &mut dyn Write) -> io::Result<()> {
    let ds = snapshot.dataset;
    let mut w = writer(out);
    w.write_record(EDGES_HEADER).map_err(io_error)?;
    for edge in &snapshot.edges {
        let r = ds.relation(edge.relation);
        let id = r.id.to_string();
        let end = r.end.map(|e| e.to_string()).unwrap_or_default();
        w.write_record([
            &*spreadsheet_safe(&id),
            &*spreadsheet_safe(&ds.actor(r.source).id),
            &*spreadsheet_safe(&ds.actor(r.target).id),
            r.kind.as_str(),
            &r.start.to_string(),
            &end,
            if r.directed { "true" } else { "false" },
            edge.status.as_str(),
            if edge.contested { "true" } else { "false" },
            &*spreadsheet_safe(&evidence_ids(ds, r)),
            &*spreadsheet_safe(&r.summary),
        ])
        .map_err(io_error)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formula_starts_are_neutralised_and_nothing_else_is_touched() {
        for cell in [
            "=1+1",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"http://x\")",
        ] {
            assert_eq!(spreadsheet_safe(cell), format!("'{cell}"));
        }
        for cell in ["", "USA", "a=b", "1-2", "Côte d'Ivoire", "'quoted"] {
            assert_eq!(spreadsheet_safe(cell), cell);
        }
    }
}
