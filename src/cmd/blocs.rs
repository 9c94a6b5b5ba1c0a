//! `georel blocs`: a signed partition into K blocs (Doreian and Mrvar's criterion), on a day,
//! over a window, or on each date of a series.

use anyhow::Result;

use georel::date::Window;
use georel::export::blocs;
use georel::query::blocs::{self as query, Settings};
use georel::query::signed::Signed;
use georel::snapshot::{Options, Snapshot};
use georel::store::Store;

use super::{emit, emit_diagram, empty, Exit};
use crate::cli::QueryFormat;
use crate::plan::{Output, When};

/// Reads what the dates need (a day's cut; over a window or a series, the whole dataset:
/// a series is read once and cut day by day in memory), then partitions each date's signed
/// graph.
pub fn run(store: Store, when: &When, settings: Settings, options: Options, output: &Output) -> Result<Exit> {
    let (windows, series) = match when {
        When::Window(w) => (vec![*w], false),
        When::Series(days) => (days.iter().map(|&d| Window::day(d)).collect(), true),
    };
    let span = match (windows.first(), windows.last()) {
        (Some(first), Some(last)) if windows.len() > 1 => {
            Window::between(first.first, last.last).expect("a series runs forward")
        }
        _ => windows[0],
    };
    let ds = &store.within(span)?;
    drop(store);
    let snapshots: Vec<Snapshot<'_>> = windows
        .iter()
        .map(|&w| match w.as_day() {
            Some(day) => Snapshot::at(ds, day, options),
            None => Snapshot::over(ds, w, options),
        })
        .collect();
    let signed: Vec<Signed<'_, '_>> = snapshots.iter().map(|s| Signed::of(s, settings.contested)).collect();
    let found: Vec<query::Blocs> = signed.iter().map(|s| query::of(s, &settings)).collect();
    let dates: Vec<blocs::Dated<'_, '_, '_>> = signed.iter().zip(&found).collect();
    let part = if series { format!("{}_to_{}", span.first, span.last) } else { span.file_part() };
    let stem = ["blocs", part.as_str()];
    let note = if series {
        let days: Vec<_> = windows.iter().map(|w| w.first).collect();
        ds.graded_out().note_on_days(&days)
    } else {
        ds.graded_out().note_on(span)
    };
    super::tell_graded(output, &format!("blocs {}", span.phrase()), &note);
    match output.format {
        QueryFormat::Text => emit(output, &stem, |out| blocs::text(&dates, &settings, out))?,
        QueryFormat::Csv => emit(output, &stem, |out| blocs::csv(&dates, series, out))?,
        QueryFormat::Json => emit(output, &stem, |out| blocs::json(&dates, &settings, series, out))?,
        QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png => {
            let (signed, found) = dates[0];
            emit_diagram(output, &stem, blocs::diagram_size(signed), |out| {
                blocs::dot(signed, found, &settings, out)
            })?
        }
    }
    if signed.iter().all(|s| s.signed().next().is_none()) {
        return empty(format!("no signed tie {}: nothing to partition", span.phrase()));
    }
    Ok(Exit::Success)
}
