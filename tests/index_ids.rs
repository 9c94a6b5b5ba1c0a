//! Property tests of how the index stores relation ids (`georel::load::index`): an id of the
//! form prefix and number (`r12`, `448329571`) is stored in its record, any other in a text
//! table. On random relations files whose ids are of every kind, the index gives back every
//! id exactly as the CSV loader read it, for the whole dataset, for a day's cut and for
//! relations read one by one, and the edges CSV written from it is the loader's, byte for
//! byte.
//!
//! - `every_id_comes_back_from_the_index`: ids of any text (not ASCII, quoted, very long),
//!   numbers with leading zeros, numbers at `u32`'s edge and past it, prefixes ending in
//!   zeros, many prefixes, and rows without an id (the line number).
//! - `ids_past_the_table_of_prefixes_come_back_too`: 350 prefixes, more than the table holds.

use std::path::Path;

use georel::date::Day;
use georel::export::csv as csv_export;
use georel::load::index::{self, Index, Key, INDEX_FILE};
use georel::model::{RelationId, RelationIx};
use georel::snapshot::{Options, Snapshot};
use proptest::prelude::*;

/// Few cases: each writes a file and an index.
const CASES: u32 = 48;

/// One relation's id, as a kind of id and the numbers that make it.
fn id_text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Any text: not ASCII, commas and quotes, a line break.
        "[a-zé\u{0394}\u{4e2d},\" 0-9-]{1,12}".prop_map(|s| s.trim().to_string()),
        // Numbers, with leading zeros, at u32's edge and past it.
        "0{0,4}[0-9]{1,10}",
        prop_oneof![
            Just(u64::from(u32::MAX)),
            Just(u64::from(u32::MAX) + 1),
            any::<u32>().prop_map(u64::from)
        ]
        .prop_map(|n| n.to_string()),
        // One of many prefixes, some with zeros before the number, some not ASCII.
        (0..400u32, any::<u32>(), 0..3usize)
            .prop_map(|(p, n, zeros)| format!("p{p}é-{}{n}", "0".repeat(zeros))),
        // A few common prefixes, as imported data has.
        (prop::sample::select(vec!["r", "ev-", "Δ", "gdelt:", ""]), 0..100_000u32)
            .prop_map(|(p, n)| format!("{p}{n}")),
        // Very long, ending in digits or not.
        "[a-z]{60,200}[0-9]{0,12}",
    ]
    .prop_filter("an id the loader keeps as written", |id| !id.is_empty() && id.trim() == id)
}

/// Ids, unique, some rows left without one (the line is the id).
fn ids() -> impl Strategy<Value = Vec<Option<String>>> {
    prop::collection::vec(prop::option::weighted(0.9, id_text()), 1..400).prop_map(|ids| {
        let mut seen = std::collections::HashSet::new();
        // A bare number that could be a row's line would be ambiguous (a load error).
        let line_like = |id: &str| id.parse::<u32>().is_ok_and(|n| n.to_string() == id && n < 1_000);
        ids.into_iter()
            .filter(|id| id.as_ref().is_none_or(|id| !line_like(id) && seen.insert(id.clone())))
            .collect()
    })
}

fn write_relations(dir: &Path, ids: &[Option<String>]) {
    let mut w = csv::Writer::from_path(dir.join("relations.csv")).unwrap();
    w.write_record(["id", "source", "target", "kind", "start", "end"]).unwrap();
    for (i, id) in ids.iter().enumerate() {
        let (source, target) = (format!("A{}", i % 7), format!("B{}", i % 5));
        let start = format!("20{:02}-0{}", 10 + i % 10, 1 + i % 9);
        w.write_record([id.as_deref().unwrap_or(""), &source, &target, "cooperation", &start, ""]).unwrap();
    }
    w.flush().unwrap();
}

fn edges_csv(snapshot: &Snapshot<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    csv_export::write_edges(snapshot, &mut out).unwrap();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(CASES) })]

    #[test]
    fn every_id_comes_back_from_the_index(ids in ids()) {
        let dir = tempfile::tempdir().unwrap();
        write_relations(dir.path(), &ids);
        let csv = georel::load::load(dir.path()).unwrap_or_else(|e| panic!("the generated file loads: {e}"));
        prop_assert_eq!(csv.relations.len(), ids.len());
        // The loader reads each id as written; a row without one is its line.
        for (i, (relation, id)) in csv.relations.iter().zip(&ids).enumerate() {
            let expected = match id {
                Some(id) => RelationId::Named(id.as_str().into()),
                None => RelationId::Line(i as u32 + 2),
            };
            prop_assert_eq!(&relation.id, &expected);
        }
        let mut bytes = Vec::new();
        index::write(&csv, &Key::of(dir.path()).unwrap(), &mut bytes).unwrap();
        std::fs::write(dir.path().join(INDEX_FILE), &bytes).unwrap();
        let index = Index::open(dir.path()).unwrap_or_else(|why| panic!("a fresh index is usable: {why}"));

        let whole = index.dataset().unwrap();
        prop_assert_eq!(&whole.relations, &csv.relations);
        for (r, relation) in csv.relations.iter().enumerate() {
            let one = index.dataset_with(index.actors_and_sources().unwrap(), &[RelationIx(r as u32)]).unwrap();
            prop_assert_eq!(&one.relations[0].id, &relation.id);
        }
        let day = Day::new(2015, 6, 1).unwrap();
        let cut = index.dataset_on(day).unwrap();
        let holding: Vec<_> = csv.relations.iter().filter(|r| r.span.status_on(day).is_some()).collect();
        prop_assert_eq!(cut.relations.iter().collect::<Vec<_>>(), holding);
        let options = Options::default();
        prop_assert_eq!(
            edges_csv(&Snapshot::at(&cut, day, options)),
            edges_csv(&Snapshot::at(&csv, day, options))
        );
        // Written again from what it decodes, the index is the same, byte for byte.
        let mut again = Vec::new();
        index::write(&whole, &Key::of(dir.path()).unwrap(), &mut again).unwrap();
        prop_assert!(again == bytes, "the index written from the decoded dataset differs");
    }
}

/// More prefixes than the index's table holds: the ids past it go to the text table, and
/// every id still comes back as written.
#[test]
fn ids_past_the_table_of_prefixes_come_back_too() {
    let ids: Vec<Option<String>> = (0..700u32)
        .map(|i| {
            Some(if i % 2 == 0 { format!("prefix{i}-{}", u32::MAX - i) } else { format!("q{}", i * 1_000) })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    write_relations(dir.path(), &ids);
    let csv = georel::load::load(dir.path()).unwrap();
    let mut bytes = Vec::new();
    index::write(&csv, &Key::of(dir.path()).unwrap(), &mut bytes).unwrap();
    std::fs::write(dir.path().join(INDEX_FILE), &bytes).unwrap();
    let whole = Index::open(dir.path()).unwrap().dataset().unwrap();
    let back: Vec<String> = whole.relations.iter().map(|r| r.id.to_string()).collect();
    let written: Vec<String> = ids.into_iter().flatten().collect();
    assert_eq!(back, written);
}
