//! `georel diff`: what changed from one day to another, and what came and went in between.

use anyhow::Result;

use georel::date::{Day, Window};
use georel::export::{csv, dot, json, text};
use georel::query::diff;
use georel::snapshot::{Options, Snapshot};
use georel::store::Store;

use super::{emit, emit_diagram, empty, Exit};
use crate::cli::QueryFormat;
use crate::plan::Output;

/// Runs the query on the relations whose status can change between the two days and those
/// of the pairs they may make or end contests in ([`Store::changes`]); a diagram draws both
/// days whole, and reads their relations too ([`Store::changes_drawn`]).
pub fn run(store: Store, from: Day, to: Day, options: Options, output: &Output) -> Result<Exit> {
    let diagram = matches!(output.format, QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png);
    let ds = &if diagram { store.changes_drawn(from, to)? } else { store.changes(from, to)? };
    drop(store);
    let (before, after) = (Snapshot::at(ds, from, options), Snapshot::at(ds, to, options));
    // What held in between, for what started and ended there: only when there are days
    // between the two.
    let days = Window::between(from, to).expect("the plan puts the first day before the last");
    let within = (days.first.tomorrow().ok() < Some(days.last)).then(|| Snapshot::over(ds, days, options));
    let changes = diff::between(&before, &after, within.as_ref());
    let stem = ["diff", &from.to_string(), &to.to_string()];
    super::tell_graded(output, &format!("diff from {from} to {to}"), &ds.graded_out().note_on(days));
    match output.format {
        QueryFormat::Text => emit(output, &stem, |out| text::diff(ds, &changes, out))?,
        QueryFormat::Csv => emit(output, &stem, |out| csv::diff(ds, &changes, out))?,
        QueryFormat::Json => emit(output, &stem, |out| json::diff(ds, &changes, out))?,
        QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png => {
            let size = dot::diff_size(&before, &after, &changes);
            emit_diagram(output, &stem, size, |out| dot::write_diff(&before, &after, &changes, out))?
        }
    }
    if changes.is_empty() {
        return empty(format!("nothing changed between {from} and {to} with these filters"));
    }
    Ok(Exit::Success)
}
