//! `georel neighbours`: who surrounds an actor on a day or over a period.

use std::collections::HashSet;

use anyhow::Result;

use georel::date::Window;
use georel::export::dot::{self, Highlight};
use georel::export::text::count;
use georel::export::{csv, json, text};
use georel::model::{ActorIx, Dataset};
use georel::query::neighbours;
use georel::query::network::Walk;
use georel::query::resolve::Resolver;
use georel::snapshot::{Options, Snapshot};
use georel::store::Store;

use super::{actor, emit, emit_diagram, empty, walk, Exit};
use crate::cli::QueryFormat;
use crate::plan::{Output, WalkPlan};

/// Above these, Graphviz's `dot` layout takes minutes or does not finish on this kind of
/// machine (measured: over 1 s at 100 nodes and 270 edges; no result at 300 and 2,000).
const DOT_NODES: usize = 150;
const DOT_EDGES: usize = 500;

/// Runs the query on what the store reads for it: on a day, the relations around the centre
/// (see `georel::store::near`); over a period, the whole dataset.
pub fn run(
    store: Store,
    name: &str,
    at: Window,
    depth: usize,
    walk_plan: &WalkPlan,
    options: Options,
    output: &Output,
) -> Result<Exit> {
    let ds = match at.as_day() {
        Some(day) => store.near_neighbours(day, depth, options, |people| {
            centre_and_walk(people, name, walk_plan, options)
        })?,
        None => store.whole()?,
    };
    drop(store);
    answer(&ds, name, at, depth, walk_plan, options, output)
}

/// The centre named `name` and the walk from it, resolved among the actors of `ds`.
fn centre_and_walk(
    ds: &Dataset,
    name: &str,
    walk_plan: &WalkPlan,
    options: Options,
) -> Result<(ActorIx, Walk)> {
    let resolver = Resolver::new(ds);
    let centre = options.grouping.unit(ds, actor(&resolver, name)?);
    Ok((centre, walk(&resolver, walk_plan, options.grouping, ds)?))
}

fn answer(
    ds: &Dataset,
    name: &str,
    at: Window,
    depth: usize,
    walk_plan: &WalkPlan,
    options: Options,
    output: &Output,
) -> Result<Exit> {
    let (centre, walk) = centre_and_walk(ds, name, walk_plan, options)?;
    let snap = Snapshot::over(ds, at, options);
    let hood = neighbours::around(&snap, &walk, centre, depth);
    let actors: Vec<_> = hood.actors.iter().map(|&(a, _)| a).collect();
    let sub = snap.restrict(&hood.edges, &actors);
    let centre_id = ds.actor(centre).id.to_string();
    let stem = ["neighbours", &centre_id, &at.file_part(), &format!("d{depth}")];
    if output.format == QueryFormat::Dot && (sub.nodes.len() > DOT_NODES || sub.edges.len() > DOT_EDGES) {
        eprintln!(
            "georel: warning: {} actors and {} relations is more than Graphviz's dot lays out in reasonable time; \
             render with sfdp (sfdp -Tsvg), or narrow it with a smaller --depth, --kinds, --strict, --relations-only or --by-country",
            sub.nodes.len(),
            sub.edges.len()
        );
    }
    super::tell_graded(output, &format!("neighbours {}", at.phrase()), &ds.graded_out().note_on(at));
    match output.format {
        QueryFormat::Text => emit(output, &stem, |out| text::neighbours(&sub, &hood, out))?,
        QueryFormat::Csv => emit(output, &stem, |out| csv::neighbours(&sub, &hood, out))?,
        QueryFormat::Json => emit(output, &stem, |out| json::neighbours(&sub, &hood, out))?,
        QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png => {
            let highlight = Highlight {
                edges: None,
                nodes: HashSet::from([centre]),
                title: Some(format!(
                    "georel neighbours of {} {}, depth {depth}",
                    ds.actor(centre).name,
                    at.phrase()
                )),
                actors: Some(format!(
                    "{} and {} within reach",
                    ds.actor(centre).name,
                    count(hood.within_reach(), "actor", "actors")
                )),
                ..Highlight::default()
            };
            emit_diagram(output, &stem, (sub.nodes.len(), sub.edges.len()), |out| {
                dot::write_highlighted(&sub, &highlight, out)
            })?
        }
    }
    if hood.actors.len() <= 1 {
        return empty(format!(
            "{} has no neighbours {} with these filters",
            text::actor(ds, centre),
            at.phrase()
        ));
    }
    Ok(Exit::Success)
}
