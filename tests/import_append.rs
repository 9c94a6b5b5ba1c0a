//! Importing any split of the input in any number of `--append` batches gives exactly the
//! dataset (and the stage-A table) of one import of all of it: runs join across batches,
//! duplicates are caught across batches (of skipped rows too, counted once as duplicates),
//! evidence, sums and distinct articles merge.

use std::collections::BTreeMap;
use std::path::Path;

use georel::date::{Day, PartialDate};
use georel::import::{self, table, ActorSpec, Builder, Event, Options, SourceSpec};
use georel::model::{ActorKind, RelationKind};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Ev {
    source: u8,
    target: u8,
    kind: u8,
    day: u8,
    id: u32,
    /// Tenths.
    goldstein: Option<i8>,
    sources: u32,
    articles: u32,
    /// One of a few articles, shared by events of several days and pairs.
    article: Option<u8>,
    /// A row skipped on purpose (it makes no event, but its id is met).
    skip: bool,
}

fn day(n: u8) -> Day {
    if n < 31 {
        Day::new(2020, 1, n as i8 + 1).unwrap()
    } else {
        Day::new(2020, 2, n as i8 - 30).unwrap()
    }
}

/// A row as an importer reads it: a duplicate first, whatever else it is; then skipped, or
/// an event; its id met either way.
fn add(b: &mut Builder, e: &Ev) {
    let id = format!("t:{}", e.id);
    if b.duplicate(&id) {
        return;
    }
    if e.skip {
        b.skip("skipped on purpose");
    } else {
        add_event(b, e);
    }
    b.met(&id);
}

fn add_event(b: &mut Builder, e: &Ev) {
    let names = ["AAA", "BBB", "CCC", "DDD"];
    for n in [e.source, e.target] {
        b.actor(ActorSpec {
            id: names[n as usize].into(),
            name: names[n as usize].into(),
            kind: ActorKind::Country,
            parent: None,
            aliases: Vec::new(),
        });
    }
    let id = format!("t:{}", e.id);
    b.source(SourceSpec {
        id: id.clone(),
        title: format!("event {}", e.id),
        publisher: "P".into(),
        published: Some(PartialDate::day(day(e.day))),
        url: format!("http://example.org/{}", e.id),
        reliability: None,
    });
    b.event(Event {
        source: names[e.source as usize].into(),
        target: names[e.target as usize].into(),
        kind: RelationKind::ALL[e.kind as usize],
        day: day(e.day),
        id,
        goldstein: e.goldstein.map(|g| f64::from(g) / 10.0),
        sources: e.sources,
        articles: e.articles,
        article: e.article.map(|a| import::aggregate::article_key(&format!("http://example.org/a{a}"))),
    });
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["relations.csv", "actors.csv", "sources.csv", &table::file_name("t")]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(dir.join(f)).unwrap_or_default()))
        .collect()
}

fn events() -> impl Strategy<Value = Vec<Ev>> {
    prop::collection::vec(
        (
            (0u8..4, 1u8..4, 0u8..3, 0u8..45, prop::option::of(-100i8..=100), 0u32..3, 0u32..3),
            (prop::option::of(0u8..6), prop::bool::weighted(0.15)),
        ),
        1..40,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, ((source, step, kind, day, goldstein, sources, articles), (article, skip)))| Ev {
                source,
                target: (source + step) % 4,
                kind,
                day,
                // Ids of different lengths, so that id order is not text order.
                id: [7, 95, 1003][i % 3] * 1000 + i as u32,
                goldstein,
                sources,
                articles,
                article,
                skip,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_split_in_appended_batches_gives_the_one_import(
        (stream, batches) in (events(), prop::collection::vec(any::<prop::sample::Index>(), 0..8))
            .prop_flat_map(|(events, dups)| {
                // Some events twice (overlapping files), in any order.
                let mut stream = events.clone();
                stream.extend(dups.iter().map(|d| events[d.index(events.len())].clone()));
                let n = stream.len();
                (Just(stream).prop_shuffle(), prop::collection::vec(0usize..4, n))
            }),
        gap in 0u32..10,
        min_events in 1u32..3,
        evidence in 1u32..4,
    ) {
        let options = Options { gap_days: gap, min_events, evidence, ..Options::default() };
        let tmp = tempfile::tempdir().unwrap();
        let (one, split) = (tmp.path().join("one"), tmp.path().join("split"));

        let mut b = Builder::new(&options);
        for e in &stream {
            add(&mut b, e);
        }
        let finished = b.finish_import("t", &options).unwrap();
        let one_skipped = finished.summary.skipped.clone();
        // An import that kept no relation is written as `--force` writes it.
        import::write_import(finished, &[], &one, false, false, Vec::new()).unwrap();

        // The first event goes to the first batch, which starts the dataset.
        let mut first = true;
        let mut skipped: BTreeMap<String, u64> = BTreeMap::new();
        for batch in 0..4 {
            let part: Vec<&Ev> = stream
                .iter()
                .enumerate()
                .filter(|(i, _)| if *i == 0 { batch == 0 } else { batches[*i] == batch })
                .map(|(_, e)| e)
                .collect();
            if part.is_empty() {
                continue;
            }
            let mut b = if first {
                Builder::new(&options)
            } else {
                let t = table::read(&split.join(table::file_name("t")), &table::settings("t", &options), evidence).unwrap();
                Builder::resume(&options, t)
            };
            for e in part {
                add(&mut b, e);
            }
            let finished = b.finish_import("t", &options).unwrap();
            for (why, n) in &finished.summary.skipped {
                *skipped.entry(why.clone()).or_default() += n;
            }
            // As `georel import` does (a first batch that kept no relation as with `--force`):
            // a continued batch writes when it met a new id.
            if !first && finished.summary.new_ids == 0 {
                continue;
            }
            import::write_import(finished, &[], &split, !first, false, Vec::new()).unwrap();
            first = false;
        }
        prop_assert_eq!(files(&split), files(&one));
        prop_assert_eq!(skipped, one_skipped, "skip counts, duplicates among them");
    }
}
