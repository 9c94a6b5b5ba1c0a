//! What the fuzz targets share: a dataset folder from one fuzz input, and every query and
//! exporter run on a loaded dataset.

#![allow(dead_code)]

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use georel::date::{Day, Window, OPEN_END};
use georel::export::dot::{self, Highlight};
use georel::export::{chart, csv, dataset, dossier, gexf, graphml, json, node_link, sheet, text};
use georel::import::{self, ActorMode, Builder, Progress};
use georel::load::{ACTORS_FILE, RELATIONS_FILE, SOURCES_FILE};
use georel::model::{ActorIx, Dataset, KindSet, RelationKind};
use georel::query::network::{Follow, Walk};
use georel::query::resolve::Resolver;
use georel::query::{conflicts, diff, fractures, history, neighbours, path};
use georel::snapshot::{ActorScope, Filter, Grouping, Options, Snapshot};

/// Separates the three files in one input: ASCII "file separator", which CSV never needs.
pub const FILE_SEPARATOR: u8 = 0x1c;

/// Writes `data` into `dir` as relations.csv, then (after a separator) actors.csv, then
/// sources.csv; a file with no part of its own is absent.
pub fn write_dataset(dir: &Path, data: &[u8]) {
    let mut parts = data.splitn(3, |&b| b == FILE_SEPARATOR);
    for name in [RELATIONS_FILE, ACTORS_FILE, SOURCES_FILE] {
        if let Some(part) = parts.next() {
            std::fs::write(dir.join(name), part).expect("the temporary folder is writable");
        }
    }
}

/// Runs `write` into memory: writing to a `Vec` cannot fail, so an error is a bug.
pub fn written(what: &str, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out).unwrap_or_else(|e| panic!("{what} failed writing into memory: {e}"));
    out
}

/// The days queried: a day well inside the usual range, and the first few bounds where
/// relations start, become active or end (where answers change), with the day before each.
pub fn days(ds: &Dataset) -> Vec<Day> {
    let mut days = vec![jiff::civil::date(2000, 6, 1)];
    for r in ds.relations.iter().take(8) {
        for d in [r.span.possible_from, r.span.active_from, r.span.active_until, r.span.possible_until] {
            if d != OPEN_END {
                days.push(d);
                if let Ok(before) = d.yesterday() {
                    days.push(before);
                }
            }
        }
    }
    days.sort_unstable();
    days.dedup();
    // A few, spread out: each day costs several snapshots.
    let step = days.len().div_ceil(3).max(1);
    days.into_iter().step_by(step).collect()
}

/// The snapshot options tried: the default, and everything else at once.
fn option_sets() -> [Options; 2] {
    let kinds: KindSet = [RelationKind::Cooperation, RelationKind::Restriction].into_iter().collect();
    [
        Options::default(),
        Options {
            filter: Filter { kinds, strict: true },
            scope: ActorScope::All,
            grouping: Grouping::Countries,
        },
    ]
}

/// The actors queried: a few, first and last in file order.
fn actors(ds: &Dataset) -> Vec<ActorIx> {
    let n = ds.actors.len() as u32;
    let mut some: Vec<ActorIx> = (0..n.min(3)).chain(n.saturating_sub(2)..n).map(ActorIx).collect();
    some.dedup();
    some
}

/// Every query and every exporter on `ds` (a whole dataset): none may panic, and each
/// writes into memory without an error.
pub fn every_query(ds: &Dataset) {
    let days = days(ds);
    let actors = actors(ds);
    let resolver = Resolver::new(ds);
    for &a in &actors {
        let actor = ds.actor(a);
        let _ = resolver.resolve(&actor.id);
        let _ = resolver.resolve(&actor.name);
        let _ = text::actor(ds, a);
    }
    let _ = resolver.resolve("  no such actor ");

    // Whole-dataset exports.
    written("GEXF", |out| gexf::write(ds, out));
    written("GraphML", |out| graphml::write(ds, out));
    written("GraphML, mixed", |out| graphml::write_with(ds, graphml::Options { mixed: true }, out));
    written("node-link JSON", |out| node_link::write(ds, out));
    written("sheet CSV", |out| sheet::write(ds, out));

    for grouping in [Grouping::Actors, Grouping::Countries] {
        {
            let strict = grouping == Grouping::Countries;
            let periods = conflicts::periods_all(ds, grouping, strict);
            written("conflict periods text", |out| text::conflict_periods(ds, &periods, out));
            written("conflict periods CSV", |out| csv::conflict_periods(ds, &periods, out));
            written("conflict periods JSON", |out| json::conflict_periods(ds, &periods, out));
        }
        for (i, &a) in actors.iter().enumerate() {
            let subject = grouping.unit(ds, a);
            let other = actors.get(i + 1).map(|&b| grouping.unit(ds, b)).filter(|&b| b != subject);
            let filter = if i % 2 == 0 { Filter::default() } else { option_sets()[1].filter };
            // Both reaches, one actor in two: what lies within, and the actors alone.
            let reach = if i % 4 < 2 { history::Reach::Within } else { history::Reach::Exact };
            let record = history::of(ds, grouping, filter, reach, subject, other);
            let claims =
                if other.is_none() { history::claims(ds, grouping, filter, &record) } else { Vec::new() };
            let _ = history::left_out_note(ds, &record);
            written("timeline text", |out| text::timeline(ds, &record, &claims, out));
            written("timeline CSV", |out| csv::timeline(ds, grouping, &record, &claims, out));
            written("timeline JSON", |out| json::timeline(ds, grouping, &record, &claims, out));
            let d = dossier::Dossier::of(ds, &record, &claims);
            written("timeline Markdown", |out| dossier::markdown(&d, out));
            written("timeline HTML", |out| dossier::html(&d, out));
            if chart::check(ds, &record).is_ok() {
                written("timeline chart", |out| chart::svg(ds, &record, i % 2 == 0, out));
            }
        }
    }

    // Each day with both option sets, and per day one walk, one depth per actor and one
    // pair per actor: a spread of cases at a cost that keeps the target at many runs a second.
    let walks = [
        Walk::default(),
        Walk {
            direction: Follow::Forward,
            part_of: true,
            avoid: actors.iter().skip(2).take(1).copied().collect(),
        },
    ];
    let mut previous: Option<Snapshot<'_>> = None;
    let mut frames = Vec::new();
    for (d, &day) in days.iter().enumerate() {
        for (o, options) in option_sets().into_iter().enumerate() {
            let snap = Snapshot::at(ds, day, options);
            snapshot_exports(&snap);
            if o == 0 {
                if let Some(before) = &previous {
                    // What held between the two days, for the transient changes, when the
                    // days are in order (a reversed diff is refused before it is asked).
                    let within = Window::between(before.window.first, snap.window.last)
                        .filter(|_| ds.is_whole())
                        .map(|w| Snapshot::over(ds, w, options));
                    let changes = diff::between(before, &snap, within.as_ref());
                    written("diff text", |out| text::diff(ds, &changes, out));
                    written("diff CSV", |out| csv::diff(ds, &changes, out));
                    written("diff JSON", |out| json::diff(ds, &changes, out));
                    written("diff DOT", |out| dot::write_diff(before, &snap, &changes, out));
                }
            }
            let found = conflicts::on(&snap);
            written("conflicts text", |out| text::conflicts_on(&snap, &found, out));
            written("conflicts CSV", |out| csv::conflicts_on(&snap, &found, out));
            written("conflicts JSON", |out| json::conflicts_on(&snap, &found, out));

            let walk = &walks[(d + o) % 2];
            for (i, &a) in actors.iter().enumerate() {
                let centre = options.grouping.unit(ds, a);
                let hood = neighbours::around(&snap, walk, centre, 1 + (i + d) % 3);
                let inside: Vec<_> = hood.actors.iter().map(|&(a, _)| a).collect();
                let sub = snap.restrict(&hood.edges, &inside);
                written("neighbours text", |out| text::neighbours(&sub, &hood, out));
                written("neighbours CSV", |out| csv::neighbours(&sub, &hood, out));
                written("neighbours JSON", |out| json::neighbours(&sub, &hood, out));
                let highlight = Highlight { edges: None, nodes: HashSet::from([centre]), title: None, contest_roles: false, actors: None };
                written("neighbours DOT", |out| dot::write_highlighted(&sub, &highlight, out));

                let to = options.grouping.unit(ds, actors[(i + 1 + d) % actors.len()]);
                paths(&snap, walk, centre, to, i == 0);
            }
            if o == 0 {
                previous = Some(snap);
            } else {
                frames.push(snap);
            }
        }
        let group = actors.get(d % 2).copied().filter(|_| d > 0);
        let found = fractures::on(ds, day, group, d % 2 == 1);
        written("fractures text", |out| text::fractures(ds, Window::day(day), &found, d % 2 == 0, out));
        written("fractures CSV", |out| csv::fractures(ds, &found, out));
        written("fractures JSON", |out| json::fractures(ds, Window::day(day), group.as_slice(), &found, out));
    }
    let mut series: Vec<ActorIx> = frames.iter().flat_map(|s| s.nodes.iter().map(|n| n.actor)).collect();
    series.sort_unstable();
    series.dedup();
    let mut pairs: Vec<(ActorIx, ActorIx)> = frames.iter().flat_map(|s| s.edges.iter().map(|e| (e.source, e.target))).collect();
    pairs.sort_unstable();
    pairs.dedup();
    written("frames layout", |out| dot::write_frames_layout(ds, &series, &pairs, out));
    let places = dot::FramePlaces {
        actors: series.iter().enumerate().map(|(i, &a)| (a, i as f64, -(i as f64))).collect(),
        clusters: Vec::new(),
    };
    for (i, snap) in frames.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| &frames[p]);
        written("frame DOT", |out| dot::write_frame(snap, previous, &places, out));
    }
}

/// A snapshot's own exports.
fn snapshot_exports(snap: &Snapshot<'_>) {
    written("edges CSV", |out| csv::write_edges(snap, out));
    written("nodes CSV", |out| csv::write_nodes(snap, out));
    written("snapshot JSON", |out| json::write(snap, out));
    written("snapshot DOT", |out| dot::write(snap, out));
}

/// The shortest path and all paths (bounded) from `from` to `to`, and their exports; when
/// there is none (and `near`), the nearest dates with one.
fn paths(snap: &Snapshot<'_>, walk: &Walk, from: ActorIx, to: ActorIx, near: bool) {
    let shortest = path::shortest(snap, walk, from, to);
    let bounds = path::Bounds { max_hops: 4, limit: 8, tries: 100_000 };
    let all = path::all(snap, walk, from, to, bounds);
    assert!(all.tried <= bounds.tries, "the search went past its tries");
    let all = all.paths;
    if let Some(p) = &shortest {
        assert!(all.is_empty() || all[0].hop_count() >= p.hop_count(), "a path shorter than the shortest");
    }
    if shortest.is_none() && near {
        let found = path::nearest(snap.dataset, snap.options, walk, from, to, snap.window, 2);
        let _ = (found.earlier, found.later);
    }
    for (found, every) in [(shortest.into_iter().collect::<Vec<_>>(), false), (all, true)] {
        if found.is_empty() {
            continue;
        }
        written("paths text", |out| text::paths(snap, &found, out));
        written("paths CSV", |out| csv::paths(snap, &found, out));
        written("paths JSON", |out| json::paths(snap, &found, every, out));
        if every {
            let on_path: HashSet<ActorIx> = found.iter().flat_map(|p| &p.actors).copied().collect();
            let edges: HashSet<usize> =
                found.iter().flat_map(|p| p.hops.iter().flat_map(|h| h.edges.iter().copied())).collect();
            let highlight = Highlight { edges: Some(edges), nodes: on_path, title: Some("path".into()), contest_roles: false, actors: None };
            written("paths DOT", |out| dot::write_highlighted(snap, &highlight, out));
        }
    }
}

/// The dataset written back as CSV files (as `georel export --format dataset` does).
pub fn dataset_files(ds: &Dataset) -> [Vec<u8>; 3] {
    [
        written("relations.csv", |out| dataset::write_relations(ds, out)),
        written("actors.csv", |out| dataset::write_actors(ds, out)),
        written("sources.csv", |out| dataset::write_sources(ds, out)),
    ]
}

/// An importer's reader: a named logical file into the builder.
pub type Reader =
    fn(&Path, &mut dyn std::io::Read, &mut Builder, &import::Options, &Progress) -> anyhow::Result<()>;

/// One importer on one input, as `georel import` runs it: the first byte chooses the options
/// (bit 0 `--strict`, bit 1 `--actors code`, bits 2–3 the gap, bit 5 `--min-events 2`, bit 6
/// `--evidence 1`), the
/// rest is the file (named `name`). Reading may fail with an error, never panic; what is
/// written must load with the loader.
pub fn import(data: &[u8], name: &str, prefix: &str, read: Reader) {
    let Some((&flags, file)) = data.split_first() else { return };
    let options = import::Options {
        gap_days: [7, 0, 1, 400][usize::from(flags >> 2 & 3)],
        min_events: if flags & 32 != 0 { 2 } else { 1 },
        strict: flags & 1 != 0,
        actors: if flags & 2 != 0 { ActorMode::Code } else { ActorMode::Country },
        evidence: if flags & 64 != 0 { 1 } else { 5 },
        ..import::Options::default()
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let input = dir.path().join(name);
    std::fs::write(&input, file).expect("the temporary folder is writable");
    let mut builder = Builder::new(&options);
    // Through the reading layer, as `georel import` reads it: text, gzip, zip or zstd.
    let (one, progress) = (import::input::Input::file(&input), Progress::hidden());
    if import::input::sniff(&one).is_err() {
        return;
    }
    let mut each = |name: &Path, r: &mut dyn std::io::Read| read(name, r, &mut builder, &options, &progress);
    if import::input::read(&one, &progress, &mut each).is_err() {
        return;
    }
    let rejects = builder.rejects.clone();
    let Ok((dataset, _summary)) = builder.finish(prefix, &options) else { return };
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("the temporary folder is writable");
    let written = import::write(dataset, &rejects, &out, false, false, Vec::new())
        .unwrap_or_else(|e| panic!("an import failed to write: {e:#}"));
    let ds = georel::load::load(&out).unwrap_or_else(|e| panic!("an import does not load: {e}"));
    assert_eq!(
        (ds.actors.len(), ds.relations.len(), ds.sources.len()),
        (written.actors, written.relations, written.sources),
        "the loaded import's counts differ from those written"
    );
}
