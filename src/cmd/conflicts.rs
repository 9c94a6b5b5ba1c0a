//! `georel conflicts`: where reports contradict each other.

use anyhow::Result;

use georel::date::Window;
use georel::export::dot::{self, Highlight};
use georel::export::{csv, json, text};
use georel::query::conflicts;
use georel::snapshot::{Filter, Grouping, Options, Snapshot};
use georel::store::Store;

use super::{emit, emit_diagram, empty, Exit};
use crate::cli::QueryFormat;
use crate::plan::Output;

/// Runs the query on the relations that can be contested on the day or in the period
/// ([`Store::contested_within`]); over all time, on the whole dataset.
pub fn run(
    store: Store,
    at: Option<Window>,
    grouping: Grouping,
    strict: bool,
    output: &Output,
) -> Result<Exit> {
    let ds = &match at {
        Some(at) => store.contested_within(at, strict)?,
        None => store.whole()?,
    };
    drop(store);
    let Some(at) = at else {
        let periods = conflicts::periods_all(ds, grouping, strict);
        let stem = ["conflicts"];
        super::tell_graded(output, "conflicts", &ds.graded_out().note(|_| true));
        match output.format {
            QueryFormat::Text => emit(output, &stem, |out| text::conflict_periods(ds, &periods, out))?,
            QueryFormat::Csv => emit(output, &stem, |out| csv::conflict_periods(ds, &periods, out))?,
            QueryFormat::Json => emit(output, &stem, |out| json::conflict_periods(ds, &periods, out))?,
            QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png => {
                unreachable!("the plan rejects diagrams without --at")
            }
        }
        return if periods.is_empty() { empty("no pair was ever contested") } else { Ok(Exit::Success) };
    };
    let options = Options { filter: Filter { strict, ..Filter::default() }, grouping, ..Options::default() };
    // Only the contested edges are written: the rest of the snapshot is not built.
    let snap = Snapshot::contested_part(ds, at, options);
    let found = conflicts::on(&snap);
    let stem = ["conflicts", &at.file_part()];
    super::tell_graded(output, &format!("conflicts {}", at.phrase()), &ds.graded_out().note_on(at));
    match output.format {
        QueryFormat::Text => emit(output, &stem, |out| text::conflicts_on(&snap, &found, out))?,
        QueryFormat::Csv => emit(output, &stem, |out| csv::conflicts_on(&snap, &found, out))?,
        QueryFormat::Json => emit(output, &stem, |out| json::conflicts_on(&snap, &found, out))?,
        QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png => {
            let contested: Vec<usize> = (0..snap.edges.len()).filter(|&i| snap.edges[i].contested).collect();
            let sub = snap.restrict(&contested, &[]);
            let highlight = Highlight {
                // The count the text gives first.
                title: Some(format!("georel conflicts: contested pairs {}: {}", at.phrase(), found.len())),
                contest_roles: true,
                ..Highlight::default()
            };
            emit_diagram(output, &stem, (sub.nodes.len(), sub.edges.len()), |out| {
                dot::write_highlighted(&sub, &highlight, out)
            })?
        }
    }
    if found.is_empty() {
        return empty(format!("no pair is contested {}", at.phrase()));
    }
    Ok(Exit::Success)
}
