//! `georel brokers`: betweenness on the day's graph, degree by kind, rank changes over a series.

use anyhow::Result;

use georel::export::brokers::{self as out, Board, Report};
use georel::model::{Dataset, KindSet};
use georel::query::brokers::{self, Settings};
use georel::snapshot::{Options, Snapshot};
use georel::store::Store;

use super::{emit, empty, tell_graded_always, Exit};
use crate::cli::QueryFormat;
use crate::plan::{Output, When};

pub fn run(
    store: Store,
    when: &When,
    top: usize,
    settings: Settings,
    options: Options,
    output: &Output,
) -> Result<Exit> {
    let every_kind =
        Options { filter: georel::snapshot::Filter { kinds: KindSet::ALL, ..options.filter }, ..options };
    let board = |ds: &Dataset, snap: Snapshot| {
        tell_graded_always(
            &format!("brokers {}", snap.window.phrase()),
            &ds.graded_out().note_on(snap.window),
        );
        // The degrees need every kind: the same snapshot when it has them all.
        let found = if options.filter.kinds.is_all() {
            brokers::of(&snap, &snap, settings)
        } else {
            brokers::of(&snap, &Snapshot::over(ds, snap.window, every_kind), settings)
        };
        Board::of(ds, &found)
    };
    let (boards, stem) = match when {
        When::Window(window) => {
            let ds = store.within(*window)?;
            drop(store);
            (vec![board(&ds, Snapshot::over(&ds, *window, options))], window.file_part())
        }
        When::Series(days) => {
            let mut boards = Vec::with_capacity(days.len());
            store.each_day(days, |day, ds| -> Result<()> {
                boards.push(board(ds, Snapshot::at(ds, day, options)));
                Ok(())
            })?;
            let stem = match (days.first(), days.last()) {
                (Some(first), Some(last)) => format!("{first}_to_{last}"),
                _ => String::new(),
            };
            (boards, stem)
        }
    };
    let report = Report {
        kinds: options.filter.kinds,
        by_country: options.grouping == georel::snapshot::Grouping::Countries,
        strict: options.filter.strict,
        settings,
        top,
        boards,
    };
    let stem = ["brokers", stem.as_str()];
    match output.format {
        QueryFormat::Text => emit(output, &stem, |w| out::text(&report, w))?,
        QueryFormat::Csv => emit(output, &stem, |w| out::csv(&report, w))?,
        QueryFormat::Json => emit(output, &stem, |w| out::json(&report, w))?,
        QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png => {
            unreachable!("the plan rejects diagrams for brokers")
        }
    }
    if report.boards.iter().all(|b| b.nodes == 0) {
        return empty("no tie of these kinds on any date asked: no broker");
    }
    Ok(Exit::Success)
}
