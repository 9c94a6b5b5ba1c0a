//! Property tests of the store's parts (`georel::store`): on random small datasets, written
//! as CSV files, read without an index and with one, a question asked of the part the store
//! reads for it gets, byte for byte, the answer the whole dataset gives.
//!
//! - `a_diff_of_the_changes_is_the_diff_of_the_whole`: `Store::changes(first, last)` holds
//!   what `query::diff::between` needs: the text and CSV of the diff, and the note on what
//!   the grades left out of the period, are the whole dataset's.
//! - `the_contests_of_the_contested_part_are_the_days`: `Store::contested_on(day)` holds
//!   every contested edge of the day whole: `conflicts --at` (text and CSV) is the whole's.
//! - `the_fractures_of_the_fractured_part_are_the_days`: as much for `Store::fractured_on`
//!   and `fractures --at`.
//! - `the_contests_of_a_period_are_the_wholes`, `the_fractures_of_a_period_are_the_wholes`:
//!   as much over a period of days for `Store::contested_within` and
//!   `Store::fractured_within` (`conflicts` and `fractures` with `--at MONTH` or `--from
//!   --to`), and the note on what the grades left out of the period.
//! - `a_diff_drawn_from_its_part_is_the_wholes`: `Store::changes_drawn(first, last)` holds
//!   what the diff's diagram draws: the DOT of `diff --format dot` is the whole dataset's.
//! - `a_record_of_the_actors_relations_is_the_record_of_the_whole`: `Store::of_actors`
//!   holds what `query::history` reads for a record of one actor or a pair (with the
//!   covering restrictions between ancestors, and the claims the actor made).
//!
//! The datasets have parent chains, claims and graded sources, so that contests through
//! ancestors, claims and the grade filter are exercised.

// Each test file compiles tests/common on its own; this one uses only some of it.
#[allow(dead_code)]
mod common;

use std::path::Path;

use common::{bound_days, dataset, day_pick, kind_set, pick_day, Shape};
use georel::date::Window;
use georel::export::{csv, dataset as export_dataset, text};
use georel::model::{
    ActorIx, Credibility, Dataset, GradeFilter, KindSet, Notes, RelationKind, Reliability, Source, SourceIx,
};
use georel::query::diff;
use georel::query::history::{self, Reach};
use georel::snapshot::{ActorScope, Filter, Grouping, Options, Snapshot};
use georel::store::{build_index, Store};
use proptest::prelude::*;
use proptest::sample::Index;

/// Few cases: each writes a dataset and an index.
const CASES: u32 = 64;

const SHAPE: Shape = Shape {
    years: 2019..=2020,
    relations: &[(1, 0..=12), (3, 12..=40)],
    recipes: [6, 3, 2, 4, 2],
    parent: 0.4,
    without_actors: 0.1,
};

/// A relation's extras: a source (graded A or E) or none, and a claimant or none.
fn extras() -> impl Strategy<Value = Vec<(Option<bool>, Option<Index>)>> {
    proptest::collection::vec(
        (proptest::option::of(any::<bool>()), proptest::option::weighted(0.2, any::<Index>())),
        40,
    )
}

/// The grades kept: all of them half the time, else from reliability C or credibility 3.
fn grades() -> impl Strategy<Value = GradeFilter> {
    prop_oneof![
        2 => Just(GradeFilter::default()),
        1 => Just(GradeFilter { min_reliability: Reliability::C, ..GradeFilter::default() }),
        1 => Just(GradeFilter { min_credibility: Credibility::Possible, ..GradeFilter::default() }),
    ]
}

fn options() -> impl Strategy<Value = Options> {
    let kinds = prop_oneof![2 => Just(KindSet::ALL), 1 => (0u8..16).prop_map(kind_set)];
    let grouping = prop_oneof![Just(Grouping::Actors), Just(Grouping::Countries)];
    (kinds, any::<bool>(), grouping).prop_map(|(kinds, strict, grouping)| Options {
        filter: Filter { kinds, strict },
        scope: ActorScope::Connected,
        grouping,
    })
}

/// The dataset with sources, evidence, credibilities and claims added.
fn dressed(ds: Dataset, extras: &[(Option<bool>, Option<Index>)]) -> Dataset {
    let source = |id: &str, reliability| Source {
        id: id.into(),
        title: id.into(),
        publisher: "".into(),
        published: None,
        url: "".into(),
        reliability: Some(reliability),
    };
    let sources = vec![source("good", Reliability::A), source("poor", Reliability::E)];
    let n = ds.actors.len();
    let Dataset { actors, mut relations, .. } = ds;
    for (i, r) in relations.iter_mut().enumerate() {
        let (evidence, claimant) = extras[i % extras.len()];
        let evidence: Vec<SourceIx> = evidence.map(|poor| SourceIx(u32::from(poor))).into_iter().collect();
        if i % 3 == 0 {
            r.credibility = Some(Credibility::Doubtful);
        }
        r.notes = Notes::claimed(evidence, "".into(), claimant.map(|c| ActorIx(c.index(n) as u32)));
    }
    Dataset::new(actors, sources, relations)
}

/// Two stores of the same dataset written to `dir`: from the CSV files, and from an index
/// built in a copy.
fn stores(ds: &Dataset, dir: &Path, grades: GradeFilter) -> (Store, Store) {
    let (plain, indexed) = (dir.join("plain"), dir.join("indexed"));
    export_dataset::write_dir(ds, &plain).unwrap();
    export_dataset::write_dir(ds, &indexed).unwrap();
    build_index(&indexed).unwrap().1.unwrap();
    let (plain, indexed) = (Store::open(&plain, grades).unwrap(), Store::open(&indexed, grades).unwrap());
    assert!(!plain.is_indexed() && indexed.is_indexed());
    (plain, indexed)
}

/// The relations `keep` of `whole` (read whole, ungraded) that pass `grades`: what the
/// explorer's server answers from with the store's in-memory selections; a day's cut for a
/// day. With the note on what the grade filter left out of the whole (`graded`: the whole
/// graded; the server's JSON documents do not carry it, the text compared here does).
fn kept(
    whole: &Dataset,
    keep: &[georel::model::RelationIx],
    grades: GradeFilter,
    day: Option<georel::date::Day>,
    graded: &Dataset,
) -> Dataset {
    let note = graded.graded_out().clone();
    let relations: Vec<_> = keep
        .iter()
        .map(|&r| whole.relation(r))
        .filter(|r| grades.admits(whole.grade_of(r)))
        .cloned()
        .collect();
    let (actors, sources) = (whole.actors.clone(), whole.sources.clone());
    match day {
        Some(day) => Dataset::cut(actors, sources, relations, day),
        None => Dataset::new(actors, sources, relations),
    }
    .with_graded_out(note)
}

fn diff_bytes(ds: &Dataset, from: georel::date::Day, to: georel::date::Day, options: Options) -> String {
    let (before, after) = (Snapshot::at(ds, from, options), Snapshot::at(ds, to, options));
    let days = Window::between(from, to).unwrap();
    let within = (days.first.tomorrow().ok() < Some(days.last)).then(|| Snapshot::over(ds, days, options));
    let changes = diff::between(&before, &after, within.as_ref());
    let mut out = Vec::new();
    text::diff(ds, &changes, &mut out).unwrap();
    csv::diff(ds, &changes, &mut out).unwrap();
    out.extend(ds.graded_out().note_on(days).bytes());
    String::from_utf8(out).unwrap()
}

fn record_bytes(
    ds: &Dataset,
    grouping: Grouping,
    filter: Filter,
    reach: Reach,
    a: ActorIx,
    b: Option<ActorIx>,
) -> String {
    let (a, b) = (grouping.unit(ds, a), b.map(|b| grouping.unit(ds, b)));
    let record = history::of(ds, grouping, filter, reach, a, b);
    let claims = if b.is_none() { history::claims(ds, grouping, filter, &record) } else { Vec::new() };
    let mut out = Vec::new();
    text::timeline(ds, &record, &claims, &mut out).unwrap();
    csv::timeline(ds, grouping, &record, &claims, &mut out).unwrap();
    out.extend(history::left_out_note(ds, &record).bytes());
    String::from_utf8(out).unwrap()
}

fn conflicts_bytes(ds: &Dataset, day: georel::date::Day, grouping: Grouping, strict: bool) -> String {
    let options = Options { filter: Filter { strict, ..Filter::default() }, grouping, ..Options::default() };
    let snap = Snapshot::at(ds, day, options);
    let found = georel::query::conflicts::on(&snap);
    let mut out = Vec::new();
    text::conflicts_on(&snap, &found, &mut out).unwrap();
    csv::conflicts_on(&snap, &found, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn fractures_bytes(ds: &Dataset, day: georel::date::Day, strict: bool) -> String {
    let found = georel::query::fractures::on(ds, day, None, strict);
    let mut out = Vec::new();
    text::fractures(ds, Window::day(day), &found, false, &mut out).unwrap();
    csv::fractures(ds, &found, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn period_conflicts_bytes(ds: &Dataset, window: Window, grouping: Grouping, strict: bool) -> String {
    let options = Options { filter: Filter { strict, ..Filter::default() }, grouping, ..Options::default() };
    let snap = Snapshot::contested_part(ds, window, options);
    let found = georel::query::conflicts::on(&snap);
    let mut out = Vec::new();
    text::conflicts_on(&snap, &found, &mut out).unwrap();
    csv::conflicts_on(&snap, &found, &mut out).unwrap();
    out.extend(ds.graded_out().note_on(window).bytes());
    String::from_utf8(out).unwrap()
}

fn period_fractures_bytes(ds: &Dataset, window: Window, strict: bool) -> String {
    let found = georel::query::fractures::over(ds, window, None, strict);
    let mut out = Vec::new();
    text::fractures(ds, window, &found, false, &mut out).unwrap();
    csv::fractures(ds, &found, &mut out).unwrap();
    out.extend(ds.graded_out().note_on(window).bytes());
    String::from_utf8(out).unwrap()
}

fn drawn_diff_bytes(
    ds: &Dataset,
    from: georel::date::Day,
    to: georel::date::Day,
    options: Options,
) -> String {
    let (before, after) = (Snapshot::at(ds, from, options), Snapshot::at(ds, to, options));
    let days = Window::between(from, to).unwrap();
    let within = (days.first.tomorrow().ok() < Some(days.last)).then(|| Snapshot::over(ds, days, options));
    let changes = diff::between(&before, &after, within.as_ref());
    let mut out = Vec::new();
    georel::export::dot::write_diff(&before, &after, &changes, &mut out).unwrap();
    out.extend(format!("{:?}", georel::export::dot::diff_size(&before, &after, &changes)).bytes());
    out.extend(ds.graded_out().note_on(days).bytes());
    String::from_utf8(out).unwrap()
}

/// A period of more than one day from two picks.
fn period(ds: &Dataset, picks: &(common::DayPick, common::DayPick)) -> Option<Window> {
    let bounds = bound_days(ds, [common::ymd(2019, 6, 1)]);
    let (a, b) = (pick_day(&bounds, &picks.0), pick_day(&bounds, &picks.1));
    Window::between(a.min(b), a.max(b)).filter(|w| w.as_day().is_none())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    #[test]
    fn the_contests_of_a_period_are_the_wholes(
        data in dataset(SHAPE),
        extras in extras(),
        grades in grades(),
        picks in (day_pick(common::random_day(common::ymd(2018, 12, 1), 800)), day_pick(common::random_day(common::ymd(2018, 12, 1), 800))),
        grouping in prop_oneof![Just(Grouping::Actors), Just(Grouping::Countries)],
        strict in any::<bool>(),
    ) {
        let ds = dressed(data.0, &extras);
        let Some(window) = period(&ds, &picks) else { return Ok(()) };
        let dir = tempfile::tempdir().unwrap();
        let (plain, indexed) = stores(&ds, dir.path(), grades);
        let whole = plain.whole().unwrap();
        let expected = period_conflicts_bytes(&whole, window, grouping, strict);
        for store in [&plain, &indexed] {
            let part = store.contested_within(window, strict).unwrap();
            prop_assert_eq!(&period_conflicts_bytes(&part, window, grouping, strict), &expected, "indexed: {}", store.is_indexed());
        }
        let ungraded = georel::load::load(&dir.path().join("plain")).unwrap();
        let part = kept(&ungraded, &georel::store::contested_over(&ungraded, window, grades, strict), grades, None, &whole);
        prop_assert_eq!(&period_conflicts_bytes(&part, window, grouping, strict), &expected, "in memory");
    }

    #[test]
    fn the_fractures_of_a_period_are_the_wholes(
        data in dataset(SHAPE),
        extras in extras(),
        grades in grades(),
        picks in (day_pick(common::random_day(common::ymd(2018, 12, 1), 800)), day_pick(common::random_day(common::ymd(2018, 12, 1), 800))),
        strict in any::<bool>(),
    ) {
        let ds = dressed(data.0, &extras);
        let Some(window) = period(&ds, &picks) else { return Ok(()) };
        let dir = tempfile::tempdir().unwrap();
        let (plain, indexed) = stores(&ds, dir.path(), grades);
        let whole = plain.whole().unwrap();
        let expected = period_fractures_bytes(&whole, window, strict);
        for store in [&plain, &indexed] {
            let part = store.fractured_within(window, strict).unwrap();
            prop_assert_eq!(&period_fractures_bytes(&part, window, strict), &expected, "indexed: {}", store.is_indexed());
        }
        let ungraded = georel::load::load(&dir.path().join("plain")).unwrap();
        let part = kept(&ungraded, &georel::store::fractured_over(&ungraded, window, grades, strict), grades, None, &whole);
        prop_assert_eq!(&period_fractures_bytes(&part, window, strict), &expected, "in memory");
    }

    #[test]
    fn a_diff_drawn_from_its_part_is_the_wholes(
        data in dataset(SHAPE),
        extras in extras(),
        grades in grades(),
        picks in (day_pick(common::random_day(common::ymd(2018, 12, 1), 800)), day_pick(common::random_day(common::ymd(2018, 12, 1), 800))),
        options in options(),
    ) {
        let ds = dressed(data.0, &extras);
        let Some(window) = period(&ds, &picks) else { return Ok(()) };
        let (first, last) = (window.first, window.last);
        let dir = tempfile::tempdir().unwrap();
        let (plain, indexed) = stores(&ds, dir.path(), grades);
        let whole = plain.whole().unwrap();
        let expected = drawn_diff_bytes(&whole, first, last, options);
        for store in [&plain, &indexed] {
            let part = store.changes_drawn(first, last).unwrap();
            prop_assert_eq!(&drawn_diff_bytes(&part, first, last, options), &expected, "indexed: {}", store.is_indexed());
        }
        let ungraded = georel::load::load(&dir.path().join("plain")).unwrap();
        let part = kept(&ungraded, &georel::store::changes_drawn_in(&ungraded, first, last), grades, None, &whole);
        prop_assert_eq!(&drawn_diff_bytes(&part, first, last, options), &expected, "in memory");
    }

    #[test]
    fn a_diff_of_the_changes_is_the_diff_of_the_whole(
        data in dataset(SHAPE),
        extras in extras(),
        grades in grades(),
        picks in (day_pick(common::random_day(common::ymd(2018, 12, 1), 800)), day_pick(common::random_day(common::ymd(2018, 12, 1), 800))),
        options in options(),
    ) {
        let ds = dressed(data.0, &extras);
        let bounds = bound_days(&ds, [common::ymd(2019, 6, 1)]);
        let (mut first, mut last) = (pick_day(&bounds, &picks.0), pick_day(&bounds, &picks.1));
        if first > last {
            std::mem::swap(&mut first, &mut last);
        }
        prop_assume!(first < last);
        let dir = tempfile::tempdir().unwrap();
        let (plain, indexed) = stores(&ds, dir.path(), grades);
        let whole = plain.whole().unwrap();
        let expected = diff_bytes(&whole, first, last, options);
        for store in [&plain, &indexed] {
            let part = store.changes(first, last).unwrap();
            prop_assert_eq!(&diff_bytes(&part, first, last, options), &expected, "indexed: {}", store.is_indexed());
        }
        // In memory, as the server reads: the same selection from the whole dataset kept.
        let ungraded = georel::load::load(&dir.path().join("plain")).unwrap();
        let part = kept(&ungraded, &georel::store::changes_in(&ungraded, first, last), grades, None, &whole);
        prop_assert_eq!(&diff_bytes(&part, first, last, options), &expected, "in memory");
    }

    #[test]
    fn the_contests_of_the_contested_part_are_the_days(
        data in dataset(SHAPE),
        extras in extras(),
        grades in grades(),
        pick in day_pick(common::random_day(common::ymd(2018, 12, 1), 800)),
        grouping in prop_oneof![Just(Grouping::Actors), Just(Grouping::Countries)],
        strict in any::<bool>(),
    ) {
        let ds = dressed(data.0, &extras);
        let day = pick_day(&bound_days(&ds, [common::ymd(2019, 6, 1)]), &pick);
        let dir = tempfile::tempdir().unwrap();
        let (plain, indexed) = stores(&ds, dir.path(), grades);
        let expected = conflicts_bytes(&plain.whole().unwrap(), day, grouping, strict);
        for store in [&plain, &indexed] {
            let part = store.contested_on(day, strict).unwrap();
            prop_assert_eq!(&conflicts_bytes(&part, day, grouping, strict), &expected, "indexed: {}", store.is_indexed());
        }
        let ungraded = georel::load::load(&dir.path().join("plain")).unwrap();
        let part = kept(&ungraded, &georel::store::contested_in(&ungraded, day, grades, strict), grades, Some(day), &plain.whole().unwrap());
        prop_assert_eq!(&conflicts_bytes(&part, day, grouping, strict), &expected, "in memory");
    }

    #[test]
    fn the_fractures_of_the_fractured_part_are_the_days(
        data in dataset(SHAPE),
        extras in extras(),
        grades in grades(),
        pick in day_pick(common::random_day(common::ymd(2018, 12, 1), 800)),
        strict in any::<bool>(),
    ) {
        let ds = dressed(data.0, &extras);
        let day = pick_day(&bound_days(&ds, [common::ymd(2019, 6, 1)]), &pick);
        let dir = tempfile::tempdir().unwrap();
        let (plain, indexed) = stores(&ds, dir.path(), grades);
        let expected = fractures_bytes(&plain.whole().unwrap(), day, strict);
        for store in [&plain, &indexed] {
            let part = store.fractured_on(day, strict).unwrap();
            prop_assert_eq!(&fractures_bytes(&part, day, strict), &expected, "indexed: {}", store.is_indexed());
        }
        let ungraded = georel::load::load(&dir.path().join("plain")).unwrap();
        let part = kept(&ungraded, &georel::store::fractured_in(&ungraded, day, grades, strict), grades, Some(day), &plain.whole().unwrap());
        prop_assert_eq!(&fractures_bytes(&part, day, strict), &expected, "in memory");
    }

    #[test]
    fn a_record_of_the_actors_relations_is_the_record_of_the_whole(
        data in dataset(SHAPE),
        extras in extras(),
        grades in grades(),
        a in any::<Index>(),
        b in proptest::option::of(any::<Index>()),
        options in options(),
        exact in any::<bool>(),
    ) {
        let ds = dressed(data.0, &extras);
        let n = ds.actors.len();
        let (a, b) = (ActorIx(a.index(n) as u32), b.map(|b| ActorIx(b.index(n) as u32)));
        prop_assume!(b.is_none_or(|b| options.grouping.unit(&ds, b) != options.grouping.unit(&ds, a)));
        let reach = if exact { Reach::Exact } else { Reach::Within };
        let dir = tempfile::tempdir().unwrap();
        let (plain, indexed) = stores(&ds, dir.path(), grades);
        let whole = plain.whole().unwrap();
        let expected = record_bytes(&whole, options.grouping, options.filter, reach, a, b);
        let actors: Vec<ActorIx> = std::iter::once(a).chain(b).collect();
        for store in [&plain, &indexed] {
            let part = store.of_actors(&actors).unwrap();
            prop_assert!(part.relations.len() <= whole.relations.len());
            prop_assert_eq!(
                &record_bytes(&part, options.grouping, options.filter, reach, a, b),
                &expected,
                "indexed: {}",
                store.is_indexed()
            );
        }
    }
}

/// The store reads less than the whole when a question needs less: a diff of a period in
/// which one relation of many changes reads that one (and no other pair's), and a record
/// of one actor reads its relations only. (Guards against a part that is always the whole,
/// which the properties above would accept.)
#[test]
fn the_parts_hold_only_what_the_question_needs() {
    use georel::date::PartialDate;
    use georel::model::{Actor, ActorKind, Relation, RelationId};
    let actor = |id: &str| Actor {
        id: id.into(),
        name: id.into(),
        kind: ActorKind::Country,
        parent: None,
        aliases: Box::new([]),
    };
    let date = |s: &str| PartialDate::parse(s).unwrap();
    let relation = |line, s, t, start: &str, end: Option<&str>| Relation {
        id: RelationId::Line(line),
        source: ActorIx(s),
        target: ActorIx(t),
        kind: RelationKind::Cooperation,
        directed: false,
        start: date(start),
        end: end.map(date),
        span: georel::date::Span::new(date(start), end.map(date)).unwrap(),
        credibility: None,
        notes: Notes::default(),
    };
    let actors = ["A", "B", "C", "D"].map(actor).to_vec();
    let relations = vec![
        relation(2, 0, 1, "2019-01-01", None),
        relation(3, 2, 3, "2019-01-01", Some("2019-06-15")),
        relation(4, 1, 2, "2018-01-01", None),
    ];
    let ds = Dataset::new(actors, Vec::new(), relations);
    let dir = tempfile::tempdir().unwrap();
    let (plain, indexed) = stores(&ds, dir.path(), GradeFilter::default());
    let day = |s: &str| georel::date::parse_day(s).unwrap();
    for store in [&plain, &indexed] {
        let changes = store.changes(day("2019-06-01"), day("2019-07-01")).unwrap();
        let ids: Vec<String> = changes.relations.iter().map(|r| r.id.to_string()).collect();
        assert_eq!(ids, ["3"], "indexed: {}", store.is_indexed());
        let of_a = store.of_actors(&[ActorIx(0)]).unwrap();
        let ids: Vec<String> = of_a.relations.iter().map(|r| r.id.to_string()).collect();
        assert_eq!(ids, ["2"], "indexed: {}", store.is_indexed());
        assert_eq!(of_a.actors.len(), 4, "every actor stays, with its index");
    }
}
