//! The dataset loader on any relations.csv, actors.csv and sources.csv (one input, split at
//! the byte 0x1C; a file with no part is absent). No input may panic. On what loads:
//! - reading the relations in two halves at once gives exactly what one reader gives (the
//!   same data, or the same problems);
//! - loading one day (`load_on`) keeps exactly the relations of the whole that may hold then;
//! - every query and exporter runs, into memory, without a panic or an error;
//! - the index written from it opens, and gives the loader's dataset, whole and on each day;
//! - the dataset written back as CSV loads again, with the same actors, sources and relations.

#![no_main]

mod common;

use georel::load::index::{self, Index, Key, INDEX_FILE};
use georel::load::{self as loader, LoadErrors};
use georel::model::{Dataset, Relation, RelationId};
use georel::snapshot::{Options, Snapshot};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("a temporary folder");
    common::write_dataset(dir.path(), data);

    let one = loader::load(dir.path());
    let two = loader::load_in_halves(dir.path());
    assert_eq!(outcome(&one), outcome(&two), "two halves read differently from one");
    let Ok(ds) = one else { return };

    let days = common::days(&ds);
    for &day in &days {
        let cut = loader::load_on(dir.path(), day)
            .unwrap_or_else(|e| panic!("the whole loads, the day {day} not: {e}"));
        assert!(ds.agrees_with(&cut), "the dataset loaded for {day} disagrees with the whole");
        let holding: Vec<_> = ds.relations.iter().filter(|r| r.span.status_on(day).is_some()).collect();
        assert_eq!(cut.relations.iter().collect::<Vec<_>>(), holding, "relations loaded for {day}");
    }

    common::every_query(&ds);

    // The index, built and read back as `georel index` and later commands do.
    let key = Key::of(dir.path()).expect("the files just written are readable");
    let bytes = common::written("the index", |out| index::write(&ds, &key, out));
    std::fs::write(dir.path().join(INDEX_FILE), &bytes).expect("the temporary folder is writable");
    let index = Index::open(dir.path()).unwrap_or_else(|why| panic!("a fresh index is unusable: {why}"));
    let whole = index.dataset().unwrap_or_else(|why| panic!("a fresh index does not decode: {why}"));
    assert_eq!(whole.actors, ds.actors, "actors from the index");
    assert_eq!(whole.sources, ds.sources, "sources from the index");
    assert_eq!(whole.relations, ds.relations, "relations from the index");
    for &day in &days {
        let cut = index
            .dataset_on(day)
            .unwrap_or_else(|why| panic!("a fresh index does not decode on {day}: {why}"));
        for options in [
            Options::default(),
            Options { grouping: georel::snapshot::Grouping::Countries, ..Options::default() },
        ] {
            let (a, b) = (Snapshot::at(&ds, day, options), Snapshot::at(&cut, day, options));
            for (what, write) in [
                (
                    "edges CSV",
                    georel::export::csv::write_edges
                        as fn(&Snapshot<'_>, &mut dyn std::io::Write) -> std::io::Result<()>,
                ),
                ("nodes CSV", georel::export::csv::write_nodes),
                ("JSON", georel::export::json::write),
                ("DOT", georel::export::dot::write),
            ] {
                assert!(
                    common::written(what, |out| write(&a, out))
                        == common::written(what, |out| write(&b, out)),
                    "the {what} of {day} from the index differs from the CSV's"
                );
            }
        }
    }
    drop(index);

    // Written back as CSV (the dataset export), it loads again as it was.
    let again = tempfile::tempdir().expect("a temporary folder");
    let files = common::dataset_files(&ds);
    for (name, bytes) in
        [loader::RELATIONS_FILE, loader::ACTORS_FILE, loader::SOURCES_FILE].iter().zip(&files)
    {
        std::fs::write(again.path().join(name), bytes).expect("the temporary folder is writable");
    }
    let reloaded =
        loader::load(again.path()).unwrap_or_else(|e| panic!("the dataset export does not load: {e}"));
    same_data(&ds, &reloaded);
});

/// A load's outcome, comparable: the data, or every problem as reported.
fn outcome(loaded: &Result<Dataset, LoadErrors>) -> Result<String, String> {
    match loaded {
        Ok(ds) => Ok(format!("{:?}\n{:?}\n{:?}", ds.actors, ds.sources, ds.relations)),
        Err(e) => Err(e.to_string()),
    }
}

/// The dataset export keeps every actor, source and relation (ids, dates, kinds, notes).
fn same_data(before: &Dataset, after: &Dataset) {
    assert_eq!(before.actors, after.actors, "actors after the dataset export");
    assert_eq!(before.sources, after.sources, "sources after the dataset export");
    // An implicit id (the line number) is written out as a named id of the same text.
    let named = |ds: &Dataset| -> Vec<Relation> {
        ds.relations
            .iter()
            .map(|r| Relation { id: RelationId::Named(r.id.key().as_ref().into()), ..r.clone() })
            .collect()
    };
    assert_eq!(named(before), named(after), "relations after the dataset export");
}
