//! `georel path`: how two actors are connected on a day or over a period.

use std::collections::HashSet;

use anyhow::Result;

use georel::date::Window;
use georel::export::dot::{self, Highlight};
use georel::export::{csv, json, text};
use georel::model::Dataset;
use georel::query::path::{self as paths, AllPaths, Bounds, Path};
use georel::query::resolve::Resolver;
use georel::snapshot::{Options, Snapshot};
use georel::store::{NearPath, Store};

use super::{actor, emit, emit_diagram, empty, walk, Exit};
use crate::cli::QueryFormat;
use crate::plan::{Output, WalkPlan};

/// How many change dates to try on each side when looking for the nearest date with a path:
/// each try takes a snapshot, so the budget is about 20 million relations visited in all,
/// between 4 and 200 tries a side. Deterministic, unlike a time limit.
fn probes(ds: &Dataset) -> usize {
    (10_000_000 / ds.relations.len().max(1)).clamp(4, 200)
}

pub struct Args {
    pub from: String,
    pub to: String,
    pub at: Window,
    pub all: Option<Bounds>,
    pub walk: WalkPlan,
    pub options: Options,
}

/// Runs the query on what the store reads for it: for a shortest path on a day, the relations
/// around the two ends (see `georel::store::near`), else the day's cut or, over a period, the
/// whole dataset; the search for other dates with a path reads the whole dataset after that.
pub fn run(store: &Store, args: Args, output: &Output, diagram: bool) -> Result<Exit> {
    let ds = match (args.at.as_day(), args.all) {
        (Some(at), None) => {
            let request = NearPath { at, options: args.options, diagram };
            store.near_path(request, |people| -> Result<_> {
                let resolver = Resolver::new(people);
                let grouping = args.options.grouping;
                let unit = |name| actor(&resolver, name).map(|a| grouping.unit(people, a));
                Ok((unit(&args.from)?, unit(&args.to)?, walk(&resolver, &args.walk, grouping, people)?))
            })?
        }
        _ => store.within(args.at)?,
    };
    answer(&ds, args, output, || Ok(store.whole_after(&ds)?))
}

/// Answers the query on `ds`, which may be cut to the day (see [`Dataset::cut`]); `whole` loads
/// the whole dataset, which the search for other dates with a path needs.
fn answer(
    ds: &Dataset,
    args: Args,
    output: &Output,
    whole: impl FnOnce() -> Result<Dataset>,
) -> Result<Exit> {
    let resolver = Resolver::new(ds);
    let grouping = args.options.grouping;
    let from = grouping.unit(ds, actor(&resolver, &args.from)?);
    let to = grouping.unit(ds, actor(&resolver, &args.to)?);
    let walk = walk(&resolver, &args.walk, grouping, ds)?;
    let snap = Snapshot::over(ds, args.at, args.options);
    let (found, incomplete): (Vec<Path>, Option<String>) = match args.all {
        Some(bounds) => {
            let search = paths::all(&snap, &walk, from, to, bounds);
            let why = (!search.complete).then(|| gave_up(&search, bounds));
            (search.paths, why)
        }
        None => (paths::shortest(&snap, &walk, from, to).into_iter().collect(), None),
    };
    let (from_id, to_id) = (ds.actor(from).id.to_string(), ds.actor(to).id.to_string());
    if let (true, Some(why)) = (found.is_empty(), &incomplete) {
        // Not "no path": the search did not finish, so there may be one.
        tell!(
            "georel: no path from {} to {} {} found before the search gave up; {why}",
            text::actor(ds, from),
            text::actor(ds, to),
            args.at.phrase()
        );
        return Ok(Exit::Incomplete);
    }
    if found.is_empty() {
        // The grade filters may be why: say how many they left out (the nearest dates below
        // are under the same filters).
        let mut message = format!(
            "no path from {} to {} {}{}",
            text::actor(ds, from),
            text::actor(ds, to),
            args.at.phrase(),
            ds.graded_out().note_on(args.at)
        );
        if let Some(Bounds { max_hops, .. }) = args.all {
            message.push_str(&format!(" within {}", text::count(max_hops, "hop", "hops")));
            // A longer one may exist that very day: say so rather than send the user to
            // other dates.
            if let Some(longer) = paths::shortest(&snap, &walk, from, to) {
                message.push_str(&format!(
                    "; the shortest path that day has {} hops (raise --max-hops)",
                    longer.hop_count()
                ));
                return empty(message);
            }
        }
        let loaded;
        let ds = if ds.is_whole() {
            ds
        } else {
            loaded = whole()?;
            &loaded
        };
        let probes = probes(ds);
        // Before the window's first day, and after its last.
        let near = paths::nearest(ds, args.options, &walk, from, to, args.at, probes);
        match (near.earlier, near.later) {
            (None, None) if near.gave_up => message.push_str(&format!(
                "; none either on the {probes} nearest dates before and after where the graph changes"
            )),
            (None, None) => message.push_str("; there is none on any date"),
            (earlier, later) => {
                let mut parts = Vec::new();
                if let Some(d) = earlier {
                    parts.push(format!("the nearest earlier date with one is {d}"));
                }
                if let Some(d) = later {
                    parts.push(format!("the nearest later date with one is {d}"));
                }
                message.push_str(&format!("; {}", parts.join(", and ")));
            }
        }
        if args.all.is_some() {
            message.push_str(" (nearest dates are for a path of any length)");
        }
        return empty(message);
    }
    let stem = ["path", &from_id, &to_id, &args.at.file_part()];
    super::tell_graded(output, &format!("path {}", args.at.phrase()), &ds.graded_out().note_on(args.at));
    match output.format {
        QueryFormat::Text => emit(output, &stem, |out| text::paths(&snap, &found, out))?,
        QueryFormat::Csv => emit(output, &stem, |out| csv::paths(&snap, &found, out))?,
        QueryFormat::Json => emit(output, &stem, |out| json::paths(&snap, &found, args.all.is_some(), out))?,
        QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png => {
            // The path's edges, drawn over their surroundings: every edge touching the path.
            let on_path: HashSet<_> = found.iter().flat_map(|p| &p.actors).copied().collect();
            let context: Vec<usize> = (0..snap.edges.len())
                .filter(|&i| {
                    on_path.contains(&snap.edges[i].source) || on_path.contains(&snap.edges[i].target)
                })
                .collect();
            let sub = snap.restrict(&context, &on_path.iter().copied().collect::<Vec<_>>());
            // `restrict` keeps edges in snapshot order, and `context` is ascending, so an
            // edge's place in `context` is its index in `sub`.
            let path_edges: HashSet<usize> = found
                .iter()
                .flat_map(|p| p.hops.iter().flat_map(|h| h.edges.iter()))
                .filter_map(|i| context.binary_search(i).ok())
                .collect();
            let highlight = Highlight {
                edges: Some(path_edges),
                nodes: on_path,
                title: Some(format!(
                    "georel path {} → {} {}",
                    ds.actor(from).name,
                    ds.actor(to).name,
                    args.at.phrase()
                )),
                ..Highlight::default()
            };
            emit_diagram(output, &stem, (sub.nodes.len(), sub.edges.len()), |out| {
                dot::write_highlighted(&sub, &highlight, out)
            })?
        }
    }
    if let Some(why) = incomplete {
        let listed = match found.len() {
            1 => "this is the first path".to_string(),
            n => format!("these are the first {n} paths"),
        };
        tell!(
            "georel: incomplete: {listed} in order, but the search gave up before it could tell whether more exist; {why}"
        );
        return Ok(Exit::Incomplete);
    }
    Ok(Exit::Success)
}

/// Why `path --all` stopped, and how to ask a question it can answer.
fn gave_up(search: &AllPaths, bounds: Bounds) -> String {
    let at = search
        .stopped_at
        .map(|l| format!(" while looking for paths of {}", text::count(l, "hop", "hops")))
        .unwrap_or_default();
    format!(
        "it stopped after {} tries (--max-tries){at}, on a graph with very many paths that lead nowhere. \
         Narrow the question: fewer hops (--max-hops, now {}), a smaller graph (--kinds, --strict, \
         --directed, --avoid ACTOR, --by-country, another --at date), or raise --max-tries (slower)",
        search.tried, bounds.max_hops
    )
}
