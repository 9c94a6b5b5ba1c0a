//! Property tests of the index file (`georel::load::index`): on random small datasets, written
//! as CSV files and loaded by the CSV loader, the index built from them answers exactly as the
//! CSV does, and a damaged index is refused or decoded, never a panic.
//!
//! - `the_index_answers_as_the_csv_does`: for random days and snapshot options, the dataset
//!   an index gives for one day (`Index::dataset_on`, a [`Dataset::cut`]) and the whole
//!   dataset it gives (`Index::dataset`) have the loader's actors, sources and relations,
//!   their time indexes list the same relations, and the snapshots of both write the same
//!   edges CSV, nodes CSV, JSON and DOT, byte for byte, as the snapshot of the loaded dataset.
//!   Writing the index again from what it decodes gives the same bytes.
//! - `a_changed_index_with_a_recomputed_checksum_never_panics`: bytes of a valid index are
//!   changed and its checksum recomputed, as a faulty writer would leave it; opening and
//!   decoding it returns an error or a dataset, and never panics.
//! - `the_store_never_answers_from_an_index_of_other_data`: a dataset folder goes through a
//!   random sequence of changes (the files replaced by another dataset's or edited with their
//!   size and modification time kept, rewritten as they were, another folder's index and
//!   stamp copied in, the index cut short, the stamp damaged or removed, `georel index`
//!   run); after each, a store opened twice (the first open may verify the index and record
//!   the stamp, the second trusts it) reads exactly what the CSV loader reads, or fails
//!   when it fails.
//!
//! The datasets are generated as CSV text, so that the loader's own readings (implicit line
//! ids, default directions, interned actors and sources when actors.csv or sources.csv is
//! missing, quoted cells with commas, quotes and line breaks) are what the index must keep.
//! Dates fall in 2018–2021 at year, month or day precision, so that overlaps and bounds on
//! the query days are frequent.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use georel::date::{Day, PartialDate, Span};
use georel::export::{csv as csv_export, dot, json};
use georel::load::index::{self, Index, Key, INDEX_FILE};
use georel::model::{
    ActorIx, Credibility, Dataset, GradeFilter, Held, KindSet, LeftOut, Relation, RelationIx, RelationKind,
    Reliability,
};
use georel::snapshot::{ActorScope, Filter, Grouping, Options, Snapshot};
use jiff::civil::Date;
use proptest::prelude::*;
use proptest::sample::{select, Index as Pick};

mod checksum;
mod days;
use checksum::{rehash, HASH_FROM_END};
use days::{bound_days, shift};

/// Few cases: each writes three files and an index, and checks several days.
const CASES: u32 = 48;

// ---------------------------------------------------------------------------------------------
// Random datasets, as CSV files
// ---------------------------------------------------------------------------------------------

/// Actor ids: some need quoting in CSV, some are not ASCII.
const ACTOR_IDS: [&str; 8] = ["USA", "cia", "a,b", "x\"y", "é", "Z9", "q r", "Δ"];
/// The kinds column: empty means unknown.
const ACTOR_KINDS: [&str; 7] = ["", "country", "agency", "alliance", "agreement", "organisation", "person"];
const NAMES: [&str; 5] = ["", "A name", "Name, with a comma", "Ünïcode \"quoted\"", "two\nlines"];
/// The aliases column, as written: `;`-separated lists.
const ALIASES: [&str; 4] = ["", "Alias", "Bogotá;Other one", "x\"y"];
const SOURCE_IDS: [&str; 4] = ["S1", "src-é", "W,2", "q\"s"];
const TEXTS: [&str; 6] = ["", "plain", "with, a comma", "with \"quotes\"", "two\nlines", "ünï ☃"];

/// A date's text at a random precision, in 2018–2021.
fn date_text() -> impl Strategy<Value = String> {
    (2018i16..=2021, 1i8..=12, 1i8..=31, 0u8..3).prop_map(|(y, m, d, precision)| {
        let d = d.min(Date::new(y, m, 1).unwrap().days_in_month());
        match precision {
            0 => format!("{y:04}"),
            1 => format!("{y:04}-{m:02}"),
            _ => format!("{y:04}-{m:02}-{d:02}"),
        }
    })
}

#[derive(Debug, Clone)]
struct ActorSpec {
    kind: &'static str,
    name: &'static str,
    aliases: &'static str,
    /// An earlier actor, so that parent chains end.
    parent: Option<Pick>,
}

#[derive(Debug, Clone)]
struct SourceSpec {
    title: &'static str,
    publisher: &'static str,
    published: Option<String>,
    url: &'static str,
    reliability: &'static str,
}

#[derive(Debug, Clone)]
struct RelationSpec {
    /// 0: implicit (the line number), 1: a name, 2: a name of digits only.
    id: u8,
    pair: (Pick, Pick),
    kind: RelationKind,
    start: String,
    end: Option<String>,
    directed: &'static str,
    evidence: Vec<Pick>,
    summary: &'static str,
    claimant: Option<Pick>,
    credibility: &'static str,
}

fn actor_spec() -> impl Strategy<Value = ActorSpec> {
    (select(ACTOR_KINDS.to_vec()), select(NAMES.to_vec()), select(ALIASES.to_vec()), any::<Option<Pick>>())
        .prop_map(|(kind, name, aliases, parent)| ActorSpec { kind, name, aliases, parent })
}

fn source_spec() -> impl Strategy<Value = SourceSpec> {
    (
        select(TEXTS.to_vec()),
        select(TEXTS.to_vec()),
        proptest::option::of(date_text()),
        select(vec!["", "https://example.org/a", "https://example.org/b?x=1,2"]),
        select(vec!["", "A", "B", "C", "D", "E", "F"]),
    )
        .prop_map(|(title, publisher, published, url, reliability)| SourceSpec {
            title,
            publisher,
            published,
            url,
            reliability,
        })
}

fn relation_spec() -> impl Strategy<Value = RelationSpec> {
    (
        0u8..3,
        (any::<Pick>(), any::<Pick>()),
        select(RelationKind::ALL.to_vec()),
        date_text(),
        proptest::option::weighted(0.6, date_text()),
        select(vec!["", "true", "false"]),
        proptest::collection::vec(any::<Pick>(), 0..3),
        select(TEXTS.to_vec()),
        any::<Option<Pick>>(),
        select(vec!["", "1", "2", "3", "4", "5", "6"]),
    )
        .prop_map(|(id, pair, kind, start, end, directed, evidence, summary, claimant, credibility)| {
            RelationSpec { id, pair, kind, start, end, directed, evidence, summary, claimant, credibility }
        })
}

/// The three files of a dataset folder: `None` for a file that is not there.
#[derive(Clone)]
struct Files {
    relations: String,
    actors: Option<String>,
    sources: Option<String>,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "--- relations.csv ---\n{}", self.relations)?;
        match &self.actors {
            Some(text) => writeln!(f, "--- actors.csv ---\n{text}")?,
            None => writeln!(f, "--- no actors.csv ---")?,
        }
        match &self.sources {
            Some(text) => writeln!(f, "--- sources.csv ---\n{text}"),
            None => writeln!(f, "--- no sources.csv ---"),
        }
    }
}

fn csv_text(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(header).unwrap();
    for row in rows {
        w.write_record(row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// The files of a valid dataset: memberships only of groups (else cooperations), no relation
/// of an actor with itself, every end after its start.
fn render(
    n: usize,
    actors: &[ActorSpec],
    with_actors: bool,
    sources: &[SourceSpec],
    with_sources: bool,
    relations: &[RelationSpec],
) -> Files {
    let ids = &ACTOR_IDS[..n];
    let joinable =
        |a: usize| !with_actors || matches!(actors[a].kind, "" | "alliance" | "agreement" | "organisation");
    let actor_rows: Vec<Vec<String>> = (0..n)
        .map(|i| {
            let a = &actors[i];
            let parent = a.parent.filter(|_| i > 0).map_or("", |p| ids[p.index(i)]);
            vec![ids[i].into(), a.name.into(), a.kind.into(), parent.into(), a.aliases.into()]
        })
        .collect();
    let source_ids: Vec<&str> =
        if with_sources { SOURCE_IDS[..sources.len()].to_vec() } else { SOURCE_IDS.to_vec() };
    let source_rows: Vec<Vec<String>> = sources
        .iter()
        .zip(&source_ids)
        .map(|(s, id)| {
            vec![
                (*id).into(),
                s.title.into(),
                s.publisher.into(),
                s.published.clone().unwrap_or_default(),
                s.url.into(),
                s.reliability.into(),
            ]
        })
        .collect();
    let relation_rows: Vec<Vec<String>> = relations
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let source = r.pair.0.index(n);
            let target = (source + 1 + r.pair.1.index(n - 1)) % n;
            let kind = if r.kind == RelationKind::Membership && !joinable(target) {
                RelationKind::Cooperation
            } else {
                r.kind
            };
            let start = PartialDate::parse(&r.start).unwrap();
            let end = r
                .end
                .as_deref()
                .filter(|e| Span::new(start, Some(PartialDate::parse(e).unwrap())).is_ok())
                .unwrap_or("");
            let id = match r.id {
                0 => String::new(),
                1 => format!("r,{i} é"),
                _ => format!("{}", 100_000 + i),
            };
            let evidence: Vec<&str> = if source_ids.is_empty() {
                Vec::new()
            } else {
                r.evidence.iter().map(|p| source_ids[p.index(source_ids.len())]).collect()
            };
            vec![
                id,
                ids[source].into(),
                ids[target].into(),
                kind.as_str().into(),
                r.start.clone(),
                end.into(),
                r.directed.into(),
                evidence.join(";"),
                r.summary.into(),
                r.claimant.map_or("", |c| ids[c.index(n)]).into(),
                r.credibility.into(),
            ]
        })
        .collect();
    Files {
        relations: csv_text(
            &[
                "id",
                "source",
                "target",
                "kind",
                "start",
                "end",
                "directed",
                "evidence",
                "summary",
                "claimant",
                "credibility",
            ],
            &relation_rows,
        ),
        actors: with_actors.then(|| csv_text(&["id", "name", "kind", "parent", "aliases"], &actor_rows)),
        sources: with_sources.then(|| {
            csv_text(&["id", "title", "publisher", "published", "url", "reliability"], &source_rows)
        }),
    }
}

/// A random valid dataset: 2–8 actors, 0–4 sources, up to 24 relations; actors.csv missing
/// one time in five, sources.csv one time in four.
fn files() -> impl Strategy<Value = Files> {
    (
        2usize..=ACTOR_IDS.len(),
        proptest::collection::vec(actor_spec(), ACTOR_IDS.len()),
        proptest::bool::weighted(0.8),
        proptest::collection::vec(source_spec(), 0..=SOURCE_IDS.len()),
        proptest::bool::weighted(0.75),
        proptest::collection::vec(relation_spec(), 0..=24),
    )
        .prop_map(|(n, actors, with_actors, sources, with_sources, relations)| {
            render(n, &actors, with_actors, &sources, with_sources, &relations)
        })
}

/// Writes the files into `dir` (removing any that the dataset does not have).
fn write_files(dir: &Path, files: &Files) {
    std::fs::write(dir.join("relations.csv"), &files.relations).unwrap();
    for (name, text) in [("actors.csv", &files.actors), ("sources.csv", &files.sources)] {
        match text {
            Some(text) => std::fs::write(dir.join(name), text).unwrap(),
            None => {
                let _ = std::fs::remove_file(dir.join(name));
            }
        }
    }
}

/// Loads the folder with the CSV loader, writes its index as `georel index` does, and returns
/// both the dataset and the index's bytes.
fn load_and_index(dir: &Path) -> (Dataset, Vec<u8>) {
    let ds = georel::load::load(dir).unwrap_or_else(|e| panic!("the generated dataset is valid: {e}"));
    let key = Key::of(dir).unwrap();
    let mut bytes = Vec::new();
    index::write(&ds, &key, &mut bytes).unwrap();
    std::fs::File::create(dir.join(INDEX_FILE)).unwrap().write_all(&bytes).unwrap();
    (ds, bytes)
}

// ---------------------------------------------------------------------------------------------
// Days and options
// ---------------------------------------------------------------------------------------------

/// A query day: a bound (two times in three) or any day from mid-2017 to mid-2022.
#[derive(Debug, Clone)]
enum DayPick {
    Bound(Pick),
    Random(u32),
}

fn day_pick() -> impl Strategy<Value = DayPick> {
    prop_oneof![2 => any::<Pick>().prop_map(DayPick::Bound), 1 => (0u32..365 * 5).prop_map(DayPick::Random)]
}

fn pick_day(bounds: &[Day], pick: &DayPick) -> Day {
    match pick {
        DayPick::Bound(i) => bounds[i.index(bounds.len())],
        DayPick::Random(offset) => shift(Date::new(2017, 7, 1).unwrap(), *offset as i32),
    }
}

fn options() -> impl Strategy<Value = Options> {
    (1u8..16, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(mask, strict, all, by_country)| {
        let kinds: KindSet = RelationKind::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, k)| k)
            .collect();
        Options {
            filter: Filter { kinds, strict },
            scope: if all { ActorScope::All } else { ActorScope::Connected },
            grouping: if by_country { Grouping::Countries } else { Grouping::Actors },
        }
    })
}

fn grade_filter() -> impl Strategy<Value = GradeFilter> {
    (select(Reliability::ALL.to_vec()), select(Credibility::ALL.to_vec()))
        .prop_map(|(min_reliability, min_credibility)| GradeFilter { min_reliability, min_credibility })
}

/// Everything a snapshot writes: edges CSV, nodes CSV, JSON and DOT.
fn written(snapshot: &Snapshot<'_>) -> [String; 4] {
    let run = |write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>| {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    [
        run(&|out| csv_export::write_edges(snapshot, out)),
        run(&|out| csv_export::write_nodes(snapshot, out)),
        run(&|out| json::write(snapshot, out)),
        run(&|out| dot::write(snapshot, out)),
    ]
}

/// The relations that `ds`'s time index lists on `day`, as values.
fn listed_on(ds: &Dataset, day: Day) -> Vec<&Relation> {
    ds.timeline().on(day).into_iter().map(|r| ds.relation(r)).collect()
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(CASES) })]

    #[test]
    fn the_index_answers_as_the_csv_does(
        files in files(),
        picks in proptest::collection::vec((day_pick(), options(), grade_filter()), 1..6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        write_files(dir.path(), &files);
        let (csv, bytes) = load_and_index(dir.path());
        let index = Index::open(dir.path()).unwrap_or_else(|why| panic!("a fresh index is usable: {why}"));
        prop_assert_eq!(index.relations(), csv.relations.len());

        // The whole dataset.
        let whole = index.dataset().unwrap_or_else(|why| panic!("a fresh index decodes: {why}"));
        prop_assert!(whole.is_whole());
        prop_assert_eq!(&whole.actors, &csv.actors);
        prop_assert_eq!(&whole.sources, &csv.sources);
        prop_assert_eq!(&whole.relations, &csv.relations);
        prop_assert_eq!(whole.date_range(), csv.date_range());
        // Written again from what it decodes, the index is the same, byte for byte.
        let mut again = Vec::new();
        index::write(&whole, &Key::of(dir.path()).unwrap(), &mut again).unwrap();
        prop_assert!(again == bytes, "the index written from the decoded dataset differs");

        let bounds = bound_days(&csv, [Date::new(1, 1, 1).unwrap(), Date::new(9998, 12, 31).unwrap()]);
        for (pick, options, grades) in &picks {
            let day = pick_day(&bounds, pick);
            let holding: Vec<&Relation> =
                csv.relations.iter().filter(|r| r.span.status_on(day).is_some()).collect();
            prop_assert_eq!(&listed_on(&csv, day), &holding, "the loader's time index on {}", day);
            prop_assert_eq!(&listed_on(&whole, day), &holding, "the index's whole dataset on {}", day);
            prop_assert_eq!(whole.timeline().count_on(day), holding.len(), "count_on {}", day);

            // The dataset cut to the day.
            let cut = index.dataset_on(day).unwrap_or_else(|why| panic!("a fresh index decodes on {day}: {why}"));
            prop_assert!(!cut.is_whole());
            prop_assert!(cut.covers(day));
            prop_assert_eq!(&cut.actors, &csv.actors);
            prop_assert_eq!(&cut.sources, &csv.sources);
            prop_assert_eq!(&cut.relations.iter().collect::<Vec<_>>(), &holding, "the cut's relations on {}", day);
            prop_assert_eq!(&listed_on(&cut, day), &holding, "the cut's time index on {}", day);
            prop_assert_eq!(cut.timeline().count_on(day), holding.len());

            // Each actor's relations on the day, as a search around it reads them.
            let around = index.around(day).unwrap();
            for a in 0..csv.actors.len() as u32 {
                let actor = ActorIx(a);
                let touching: Vec<usize> = (0..csv.relations.len())
                    .filter(|&i| csv.relations[i].source == actor || csv.relations[i].target == actor)
                    .collect();
                let expected: Vec<Held> = touching
                    .iter()
                    .filter_map(|&i| csv.relations[i].held_on(RelationIx(i as u32), day))
                    .collect();
                let mut read = Vec::new();
                let work = around.holding(actor, |h| read.push(h)).unwrap();
                prop_assert_eq!(work, touching.len(), "relations touching {} on {}", a, day);
                prop_assert_eq!(&read, &expected, "relations of {} holding on {}", a, day);
                // Left out by grade from their records, as the CSV's grades leave them out.
                let graded: Vec<Held> =
                    expected.iter().copied().filter(|h| grades.admits(csv.grade(h.relation))).collect();
                let mut read = Vec::new();
                index.around(day).unwrap().graded(*grades).holding(actor, |h| read.push(h)).unwrap();
                prop_assert_eq!(&read, &graded, "relations of {} holding on {} of grades {}", a, day, grades);
            }
            // The day's relations left out by grade, counted from their records.
            let left: Vec<LeftOut> =
                holding.iter().filter(|r| !grades.admits(csv.grade_of(r))).map(|r| r.left_out()).collect();
            prop_assert_eq!(&index.graded_out_on(day, *grades).unwrap().relations, &left);
            let kept: Vec<RelationIx> = (0..csv.relations.len() as u32)
                .map(RelationIx)
                .filter(|&r| csv.relation(r).span.status_on(day).is_some() && grades.admits(csv.grade(r)))
                .collect();
            let part = index.dataset_of_graded(index.people_on(day).unwrap(), &kept, day, *grades).unwrap();
            let graded_cut = cut.graded(*grades);
            prop_assert_eq!(&part.relations, &graded_cut.relations);
            prop_assert_eq!(part.graded_out(), graded_cut.graded_out());
            let cut = index.dataset_on(day).unwrap();
            // And completed with chosen relations (here, all of the day's).
            let chosen: Vec<RelationIx> = (0..csv.relations.len() as u32)
                .map(RelationIx)
                .filter(|&r| csv.relation(r).span.status_on(day).is_some())
                .collect();
            let part = index.dataset_of(index.people_on(day).unwrap(), &chosen, day).unwrap();
            prop_assert_eq!(&part.actors, &csv.actors);
            prop_assert_eq!(&part.relations.iter().collect::<Vec<_>>(), &holding, "chosen relations on {}", day);
            prop_assert_eq!(&listed_on(&part, day), &holding);

            for options in [Options::default(), *options] {
                let expected = written(&Snapshot::at(&csv, day, options));
                let from_cut = written(&Snapshot::at(&cut, day, options));
                let from_whole = written(&Snapshot::at(&whole, day, options));
                for (i, what) in ["edges CSV", "nodes CSV", "JSON", "DOT"].into_iter().enumerate() {
                    prop_assert_eq!(&from_cut[i], &expected[i], "{} on {} with {:?}, cut", what, day, options);
                    prop_assert_eq!(&from_whole[i], &expected[i], "{} on {} with {:?}, whole", what, day, options);
                }
            }
        }
    }

    #[test]
    fn a_changed_index_with_a_recomputed_checksum_never_panics(
        files in files(),
        changes in proptest::collection::vec((any::<Pick>(), 1u8..=255), 1..4),
        days in proptest::collection::vec(day_pick(), 1..4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        write_files(dir.path(), &files);
        let (csv, mut bytes) = load_and_index(dir.path());
        let hash = hash_field(&bytes);
        for (at, xor) in &changes {
            // Anywhere but the checksum itself.
            let mut i = at.index(bytes.len() - 16);
            if i >= hash.start {
                i += 16;
            }
            bytes[i] ^= xor;
        }
        rehash(&mut bytes);
        std::fs::write(dir.path().join(INDEX_FILE), &bytes).unwrap();
        let bounds = bound_days(&csv, [Date::new(1, 1, 1).unwrap(), Date::new(9998, 12, 31).unwrap()]);
        let days: Vec<Day> = days.iter().map(|p| pick_day(&bounds, p)).collect();
        // Decoded, and then used: a snapshot of each day, on the whole dataset and on the cut,
        // and the counts of the time index (a decoded index that is used wrongly panics late).
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if let Ok(index) = Index::open(dir.path()) {
                if let Ok(whole) = index.dataset() {
                    for &day in &days {
                        let _ = Snapshot::at(&whole, day, Options::default());
                        let _ = whole.timeline().count_on(day);
                    }
                }
                for &day in &days {
                    if let Ok(cut) = index.dataset_on(day) {
                        let _ = Snapshot::at(&cut, day, Options::default());
                        let _ = cut.timeline().count_on(day);
                    }
                    // What a path or a neighbourhood reads: each actor's relations, then the
                    // dataset of those found.
                    if let (Ok(around), Ok(people)) = (index.around(day), index.people_on(day)) {
                        let mut found = Vec::new();
                        for a in 0..people.actors.len() as u32 {
                            let _ = around.holding(ActorIx(a), |h| found.push(h.relation));
                        }
                        found.sort_unstable();
                        found.dedup();
                        if let Ok(part) = index.dataset_of(people, &found, day) {
                            let _ = Snapshot::at(&part, day, Options::default());
                        }
                    }
                }
            }
        }));
        prop_assert!(outcome.is_ok(), "a changed index made georel panic (changes {:?})", changes);
    }
}

// ---------------------------------------------------------------------------------------------
// The checksum, as `src/load/index.rs` computes it
// ---------------------------------------------------------------------------------------------

/// The trailer's size and where its checksum lies, counted from the end of the file: the
/// trailer ends with the checksum (16 bytes), the format and byte order (4 each) and the magic
/// (8). Mirrors `Trailer` in `src/load/index.rs`.
const MAGIC: &[u8; 8] = b"GEORELIX";

fn hash_field(bytes: &[u8]) -> std::ops::Range<usize> {
    assert_eq!(&bytes[bytes.len() - 8..], MAGIC, "an index ends with its magic (has the layout changed?)");
    let start = bytes.len() - HASH_FROM_END;
    start..start + 16
}

/// The checksum helpers agree with the index's own: a valid index, zeroed and rehashed, is
/// still usable (so that the property above tests decoding, not the checksum).
#[test]
fn rehashing_a_valid_index_keeps_it_valid() {
    let dir = tempfile::tempdir().unwrap();
    let files = Files {
        relations:
            "id,source,target,kind,start,end\nR1,A,B,cooperation,2019,2020-06\n,B,C,restriction,2020-03-04,\n"
                .into(),
        actors: None,
        sources: None,
    };
    write_files(dir.path(), &files);
    let (_, mut bytes) = load_and_index(dir.path());
    let original = bytes.clone();
    rehash(&mut bytes);
    assert_eq!(bytes, original, "the recomputed checksum is the one georel wrote");
    // And a change that is rehashed passes the checksum: it is refused, if at all, as corrupt.
    let trailer_actors = bytes.len() - 56;
    bytes[trailer_actors] ^= 1;
    rehash(&mut bytes);
    std::fs::write(dir.path().join(INDEX_FILE), &bytes).unwrap();
    let why = Index::open(dir.path()).and_then(|index| index.dataset().map(|_| ())).unwrap_err();
    assert!(why.to_string().starts_with("the index is corrupt ("), "{why}");
}

// ---------------------------------------------------------------------------------------------
// The stamp: an index trusted without reading it is never one of other data
// ---------------------------------------------------------------------------------------------

/// A change to a dataset folder.
#[derive(Debug, Clone)]
enum Change {
    /// Its files replaced by the other dataset's, relations.csv keeping its modification time.
    Other,
    /// Its files put back to the first dataset's, the same way.
    First,
    /// A year in relations.csv changed to another (the same size), its modification time kept.
    Year,
    /// relations.csv written again as it is.
    Rewrite,
    /// The other folder's index and stamp copied in.
    ForeignIndex,
    /// The index cut to this share of its length, in place.
    Truncate(u8),
    /// The stamp cut to this share of its length, or removed (0).
    Stamp(u8),
    /// `georel index`.
    Index,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        1 => Just(Change::Other),
        1 => Just(Change::First),
        2 => Just(Change::Year),
        1 => Just(Change::Rewrite),
        1 => Just(Change::ForeignIndex),
        1 => (0u8..100).prop_map(Change::Truncate),
        1 => (0u8..100).prop_map(Change::Stamp),
        2 => Just(Change::Index),
    ]
}

/// Writes `files` into `dir` as [`write_files`] does, keeping relations.csv's modification time.
fn write_keeping_mtime(dir: &Path, files: &Files) {
    let relations = dir.join("relations.csv");
    let before = std::fs::metadata(&relations).unwrap().modified().unwrap();
    write_files(dir, files);
    std::fs::File::options().write(true).open(&relations).unwrap().set_modified(before).unwrap();
}

/// The store's whole dataset against the loader's, on two opens.
fn store_reads_what_the_loader_reads(dir: &Path) -> Result<(), TestCaseError> {
    let truth = georel::load::load(dir);
    for open in ["first", "second"] {
        let read = georel::store::Store::open(dir, GradeFilter::default()).and_then(|store| store.whole());
        match (&truth, read) {
            (Ok(truth), Ok(read)) => {
                prop_assert_eq!(&read.relations, &truth.relations, "{} open", open);
                prop_assert_eq!(&read.actors, &truth.actors, "{} open", open);
                prop_assert_eq!(&read.sources, &truth.sources, "{} open", open);
            }
            (Err(_), Err(_)) => {}
            (truth, read) => {
                prop_assert!(
                    false,
                    "{} open: the loader gives {:?}, the store {:?}",
                    open,
                    truth.is_ok(),
                    read.is_ok()
                )
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(24) })]

    #[test]
    fn the_store_never_answers_from_an_index_of_other_data(
        first in files(),
        other in files(),
        changes in proptest::collection::vec(change(), 1..10),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        write_files(elsewhere.path(), &other);
        georel::store::build_index(elsewhere.path()).unwrap().1.unwrap();
        write_files(dir.path(), &first);
        georel::store::build_index(dir.path()).unwrap().1.unwrap();
        store_reads_what_the_loader_reads(dir.path())?;
        let (index, stamp) = (dir.path().join(INDEX_FILE), dir.path().join(".georel-index.stamp"));
        for change in changes {
            match change {
                Change::Other => write_keeping_mtime(dir.path(), &other),
                Change::First => write_keeping_mtime(dir.path(), &first),
                Change::Year => {
                    let relations = std::fs::read_to_string(dir.path().join("relations.csv")).unwrap();
                    let edited = match relations.find("2019") {
                        Some(_) => relations.replacen("2019", "2020", 1),
                        None => relations.replacen("2020", "2019", 1),
                    };
                    let files = Files { relations: edited, ..Files {
                        relations: String::new(),
                        actors: std::fs::read_to_string(dir.path().join("actors.csv")).ok(),
                        sources: std::fs::read_to_string(dir.path().join("sources.csv")).ok(),
                    } };
                    write_keeping_mtime(dir.path(), &files);
                }
                Change::Rewrite => {
                    let relations = dir.path().join("relations.csv");
                    std::fs::write(&relations, std::fs::read(&relations).unwrap()).unwrap();
                }
                Change::ForeignIndex => {
                    for name in [INDEX_FILE, ".georel-index.stamp"] {
                        let _ = std::fs::copy(elsewhere.path().join(name), dir.path().join(name));
                    }
                }
                Change::Truncate(share) => {
                    if let Ok(file) = std::fs::File::options().write(true).open(&index) {
                        let len = file.metadata().unwrap().len();
                        file.set_len(len * u64::from(share) / 100).unwrap();
                    }
                }
                Change::Stamp(0) => {
                    let _ = std::fs::remove_file(&stamp);
                }
                Change::Stamp(share) => {
                    if let Ok(bytes) = std::fs::read(&stamp) {
                        std::fs::write(&stamp, &bytes[..bytes.len() * usize::from(share) / 100]).unwrap();
                    }
                }
                Change::Index => {
                    let _ = georel::store::build_index(dir.path());
                }
            }
            store_reads_what_the_loader_reads(dir.path())?;
        }
    }
}
