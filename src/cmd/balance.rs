//! `georel balance`: structural balance of the signed graph on a day or over a series.

use anyhow::Result;

use georel::date::Window;
use georel::export::balance as write;
use georel::export::chart::line::{self, Line};
use georel::export::dot::{self, Highlight};
use georel::query::balance::{Balance, Row};
use georel::query::signed::{ContestedAs, Signed};
use georel::snapshot::{Options, Snapshot};
use georel::store::Store;

use super::{emit, emit_diagram, empty, Exit};
use crate::cli::QueryFormat;
use crate::plan::{Output, When};

pub fn run(
    store: Store,
    when: &When,
    contested: ContestedAs,
    options: Options,
    output: &Output,
) -> Result<Exit> {
    match when {
        When::Window(window) => day(store, *window, contested, options, output),
        When::Series(days) => series(store, days, contested, options, output),
    }
}

/// One day (or the union of a window's days): the census, the score and the triangles.
fn day(
    store: Store,
    window: Window,
    contested: ContestedAs,
    options: Options,
    output: &Output,
) -> Result<Exit> {
    let ds = &store.within(window)?;
    drop(store);
    let snap = match window.as_day() {
        Some(day) => Snapshot::at(ds, day, options),
        None => Snapshot::over(ds, window, options),
    };
    let balance = Balance::of(Signed::of(&snap, contested));
    let stem = ["balance", &window.file_part()];
    super::tell_graded(output, &format!("balance {}", window.phrase()), &ds.graded_out().note_on(window));
    match output.format {
        QueryFormat::Text => emit(output, &stem, |out| write::text(&balance, contested, out))?,
        QueryFormat::Csv => emit(output, &stem, |out| write::csv(&balance, out))?,
        QueryFormat::Json => emit(output, &stem, |out| write::json(&balance, contested, out))?,
        QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png => {
            // The signed graph, the unbalanced triangles' ties drawn in full and the rest faded.
            let signing: Vec<usize> =
                (0..snap.edges.len()).filter(|&i| snap.edges[i].source != snap.edges[i].target).collect();
            let mut strong: Vec<usize> = balance
                .unbalanced
                .iter()
                .flat_map(|u| u.ties.iter())
                .flat_map(|&t| {
                    balance.signed.edge_list(&balance.signed.ties[t as usize]).iter().map(|&e| e as usize)
                })
                .collect();
            strong.sort_unstable();
            strong.dedup();
            let sub = snap.restrict(&signing, &[]);
            // restrict keeps the edges in snapshot order: edge k of `sub` is signing[k].
            let edges =
                signing.iter().enumerate().filter(|(_, e)| strong.binary_search(e).is_ok()).map(|(k, _)| k);
            let nodes = balance
                .unbalanced
                .iter()
                .flat_map(|u| u.nodes.iter().map(|&n| balance.signed.nodes[n as usize]))
                .collect();
            let highlight = Highlight {
                edges: (!balance.unbalanced.is_empty()).then(|| edges.collect()),
                nodes,
                title: Some(write::picture_title(window, &balance)),
                ..Highlight::default()
            };
            emit_diagram(output, &stem, (sub.nodes.len(), sub.edges.len()), |out| {
                dot::write_highlighted(&sub, &highlight, out)
            })?
        }
    }
    if balance.census.total() == 0 {
        return empty(format!("no triangle of signed ties {}", window.phrase()));
    }
    Ok(Exit::Success)
}

/// A series: one row of counts per date, or the score's line chart.
fn series(
    store: Store,
    days: &[georel::date::Day],
    contested: ContestedAs,
    options: Options,
    output: &Output,
) -> Result<Exit> {
    let mut rows: Vec<Row> = Vec::with_capacity(days.len());
    store.each_day(days, |day, ds| -> Result<()> {
        let snap = Snapshot::at(ds, day, options);
        rows.push(Row::of(day, &Signed::of(&snap, contested)));
        Ok(())
    })?;
    drop(store);
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return empty("no date in the series");
    };
    let part =
        format!("{}_to_{}", georel::date::PartialDate::day(*first), georel::date::PartialDate::day(*last));
    let stem = ["balance", &part];
    let left_out: usize = rows.iter().map(|r| r.left_out).sum();
    if left_out > 0 && output.format != QueryFormat::Text {
        tell!("georel: balance: relations left out by grade on the dates of the series: {left_out} in all (see the left_out_by_grade column)");
    }
    let title = format!(
        "Triangle balance score, {} to {}",
        georel::date::PartialDate::day(*first),
        georel::date::PartialDate::day(*last)
    );
    let subtitle = format!(
        "(+++ and +−− triangles) over all, {} dates; contested pairs {}",
        rows.len(),
        write::contested_phrase(contested)
    );
    let points: Vec<_> = rows.iter().map(|r| (r.day, r.census.score())).collect();
    let chart = Line { title: &title, subtitle: &subtitle, value: "balance score", points: &points };
    match output.format {
        QueryFormat::Text => emit(output, &stem, |out| write::series_text(&rows, contested, out))?,
        QueryFormat::Csv => emit(output, &stem, |out| write::series_csv(&rows, out))?,
        QueryFormat::Json => emit(output, &stem, |out| write::series_json(&rows, contested, out))?,
        QueryFormat::Svg => emit(output, &stem, |out| line::svg(&chart, out))?,
        QueryFormat::Png => emit(output, &stem, |out| line::png(&chart, out))?,
        QueryFormat::Dot => unreachable!("the plan rejects a diagram of a series"),
    }
    if rows.iter().all(|r| r.census.total() == 0) {
        return empty("no triangle of signed ties on any date of the series");
    }
    Ok(Exit::Success)
}
