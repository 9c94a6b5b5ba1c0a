//! Property tests: the time index, snapshots, dates and spans, and the CSV loader, each
//! checked against a brute-force model on random datasets built through the public API.
//!
//! Dates are drawn from a narrow window (2018–2021) at random precision, so that overlaps,
//! touching intervals, same-month starts and ends, and duplicate relations on one pair are
//! frequent.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use georel::date::{Day, PartialDate, Precision, Span, Status, OPEN_END};
use georel::model::{
    Actor, ActorIx, ActorKind, Dataset, KindSet, Relation, RelationId, RelationIx, RelationKind, SourceIx,
};
use georel::snapshot::{ActorScope, Edge, Filter, Grouping, Options, Snapshot};
use jiff::civil::Date;
use proptest::prelude::*;
use proptest::sample::{select, Index};

const CASES: u32 = 256;

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

fn days_in_month(year: i16, month: i8) -> i8 {
    Date::new(year, month, 1).unwrap().days_in_month()
}

/// The text of a date at the given precision; `day_sel` 0 means the 1st, values past the
/// month's end mean its last day (so both month bounds are frequent).
fn date_text(year: i16, month: i8, day_sel: i8, precision: Precision) -> String {
    let last = days_in_month(year, month);
    let day = match day_sel {
        0 => 1,
        d if d > last => last,
        d => d,
    };
    match precision {
        Precision::Year => format!("{year:04}"),
        Precision::Month => format!("{year:04}-{month:02}"),
        Precision::Day => format!("{year:04}-{month:02}-{day:02}"),
    }
}

fn precision() -> impl Strategy<Value = Precision> {
    prop_oneof![Just(Precision::Year), Just(Precision::Month), Just(Precision::Day)]
}

/// A valid partial date with a year in `years`, at a random precision.
fn partial_date(years: std::ops::RangeInclusive<i16>) -> impl Strategy<Value = (String, PartialDate)> {
    (years, 1..=12i8, 0..=31i8, precision()).prop_map(|(y, m, d, p)| {
        let text = date_text(y, m, d, p);
        let date = PartialDate::parse(&text).expect("generated dates are valid");
        (text, date)
    })
}

/// A date in the narrow window where relations are generated.
fn window_date() -> impl Strategy<Value = PartialDate> {
    partial_date(2018..=2021).prop_map(|(_, d)| d)
}

fn relation_kind() -> impl Strategy<Value = RelationKind> {
    select(RelationKind::ALL.to_vec())
}

/// How one generated relation is made.
#[derive(Debug, Clone)]
enum Recipe {
    /// Any pair, any dates.
    Fresh {
        pair: (Index, Index),
        kind: RelationKind,
        directed: bool,
        start: PartialDate,
        end: Option<PartialDate>,
    },
    /// Starts where an earlier relation ends: at its end date as written, or on the first
    /// day after its possible period. Same pair or another.
    Touching {
        of: Index,
        same_pair: bool,
        pair: (Index, Index),
        after_possible: bool,
        kind: RelationKind,
        directed: bool,
        end: Option<PartialDate>,
    },
    /// The same pair and dates as an earlier relation, with any kind.
    Duplicate { of: Index, kind: RelationKind, reversed: bool },
}

fn recipe() -> impl Strategy<Value = Recipe> {
    let pair = (any::<Index>(), any::<Index>());
    let fresh = (
        pair.clone(),
        relation_kind(),
        any::<bool>(),
        window_date(),
        proptest::option::weighted(0.7, window_date()),
    )
        .prop_map(|(pair, kind, directed, start, end)| Recipe::Fresh {
            pair,
            kind,
            directed,
            start,
            end,
        });
    let touching =
        (
            any::<Index>(),
            any::<bool>(),
            pair,
            any::<bool>(),
            relation_kind(),
            any::<bool>(),
            proptest::option::weighted(0.6, window_date()),
        )
            .prop_map(|(of, same_pair, pair, after_possible, kind, directed, end)| {
                Recipe::Touching { of, same_pair, pair, after_possible, kind, directed, end }
            });
    let duplicate = (any::<Index>(), relation_kind(), any::<bool>())
        .prop_map(|(of, kind, reversed)| Recipe::Duplicate { of, kind, reversed });
    prop_oneof![6 => fresh, 3 => touching, 2 => duplicate]
}

/// Distinct actor ids whose sort order differs from their index order.
const ACTOR_IDS: [&str; 8] = ["b", "A", "Z", "aa", "0", "é", "a", "B"];

fn pick_pair(n: usize, (a, b): &(Index, Index)) -> (ActorIx, ActorIx) {
    let source = a.index(n);
    let target = (source + 1 + b.index(n - 1)) % n;
    (ActorIx(source as u32), ActorIx(target as u32))
}

fn build_relations(n_actors: usize, recipes: &[Recipe]) -> Vec<Relation> {
    let mut relations: Vec<Relation> = Vec::new();
    for recipe in recipes {
        let made = match recipe {
            Recipe::Fresh { pair, kind, directed, start, end } => {
                let (s, t) = pick_pair(n_actors, pair);
                Some((s, t, *kind, *directed, *start, *end))
            }
            Recipe::Touching { of, same_pair, pair, after_possible, kind, directed, end } => {
                // Only relations with an end can be touched.
                let ended: Vec<&Relation> = relations.iter().filter(|r| r.end.is_some()).collect();
                if ended.is_empty() {
                    None
                } else {
                    let prev = ended[of.index(ended.len())];
                    let start = if *after_possible {
                        PartialDate::day(prev.span.possible_until)
                    } else {
                        prev.end.unwrap()
                    };
                    let (s, t) =
                        if *same_pair { (prev.source, prev.target) } else { pick_pair(n_actors, pair) };
                    Some((s, t, *kind, *directed, start, *end))
                }
            }
            Recipe::Duplicate { of, kind, reversed } => {
                if relations.is_empty() {
                    None
                } else {
                    let prev = &relations[of.index(relations.len())];
                    let (s, t) =
                        if *reversed { (prev.target, prev.source) } else { (prev.source, prev.target) };
                    Some((s, t, *kind, prev.directed, prev.start, prev.end))
                }
            }
        };
        let Some((source, target, kind, directed, start, end)) = made else {
            continue;
        };
        // Combinations that could never hold are rejected by the loader; skip them here.
        let Ok(span) = Span::new(start, end) else {
            continue;
        };
        let i = relations.len() as u32;
        relations.push(Relation {
            id: if i % 3 == 0 { RelationId::Line(i + 2) } else { RelationId::Named(format!("r{i}").into()) },
            source,
            target,
            kind,
            directed,
            start,
            end,
            span,
            evidence: Box::new([]),
            summary: "".into(),
        });
    }
    relations
}

fn dataset() -> impl Strategy<Value = Dataset> {
    (
        2usize..=8,
        Just(ACTOR_IDS.to_vec()).prop_shuffle(),
        proptest::collection::vec(proptest::option::of(any::<Index>()), 8),
        proptest::collection::vec(recipe(), 0..=60),
    )
        .prop_map(|(n, ids, parents, recipes)| {
            let actors = ids[..n]
                .iter()
                .enumerate()
                .map(|(i, id)| Actor {
                    id: (*id).into(),
                    name: format!("Actor {id}").into(),
                    kind: ActorKind::WRITABLE[i % ActorKind::WRITABLE.len()],
                    // Only an earlier actor, so that parent chains are acyclic (as the loader
                    // guarantees); chains may be several levels deep.
                    parent: parents[i].filter(|_| i > 0).map(|p| ActorIx(p.index(i) as u32)),
                    aliases: Box::new([]),
                })
                .collect();
            let relations = build_relations(n, &recipes);
            Dataset::new(actors, Vec::new(), relations)
        })
}

fn shift(day: Day, days: i32) -> Option<Day> {
    day.checked_add(jiff::Span::new().days(days)).ok()
}

/// Every interval bound of the dataset, the day before and the day after, plus the extremes.
fn bound_days(ds: &Dataset) -> Vec<Day> {
    let mut days = BTreeSet::new();
    for r in &ds.relations {
        let s = r.span;
        for bound in [s.possible_from, s.active_from, s.active_until, s.possible_until] {
            if bound == OPEN_END {
                continue;
            }
            days.insert(bound);
            days.extend(shift(bound, -1));
            days.extend(shift(bound, 1));
        }
    }
    days.extend([Date::MIN, Date::MAX, Date::new(9998, 12, 31).unwrap()]);
    days.into_iter().collect()
}

/// A random day from 2017-07-01 to about 2022-06-30: in and around the window.
fn random_day() -> impl Strategy<Value = Day> {
    (0i32..(365 * 5)).prop_map(|offset| shift(Date::new(2017, 7, 1).unwrap(), offset).unwrap())
}

fn kind_set(mask: u8) -> KindSet {
    RelationKind::ALL.into_iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, k)| k).collect()
}

fn unordered(a: ActorIx, b: ActorIx) -> (ActorIx, ActorIx) {
    (a.min(b), a.max(b))
}

// ---------------------------------------------------------------------------------------------
// Brute-force model of a snapshot
// ---------------------------------------------------------------------------------------------

/// An edge as the model expects it: its ends, kind, direction, status, contested flag and
/// member relations (with their own status, in dataset order).
type EdgeView = (ActorIx, ActorIx, RelationKind, bool, Status, bool, Vec<(RelationIx, Status)>);

/// What edges are grouped by: source, target, kind, directed.
type EdgeKey = (ActorIx, ActorIx, RelationKind, bool);

struct Expected {
    /// Sorted, for comparison as a set.
    edges: Vec<EdgeView>,
    /// Degree of each node that an edge touches.
    degrees: HashMap<ActorIx, u32>,
    internal: usize,
}

/// The top-level ancestor, found by walking the parent chain.
fn top_of(ds: &Dataset, mut a: ActorIx) -> ActorIx {
    while let Some(p) = ds.actor(a).parent {
        a = p;
    }
    a
}

fn unit_of(ds: &Dataset, grouping: Grouping, a: ActorIx) -> ActorIx {
    match grouping {
        Grouping::Actors => a,
        Grouping::Countries => top_of(ds, a),
    }
}

fn brute_snapshot(ds: &Dataset, day: Day, options: Options) -> Expected {
    let Options { filter, grouping, .. } = options;
    let unit = |a| unit_of(ds, grouping, a);
    let holds = |r: &Relation| -> Option<Status> {
        r.span.status_on(day).filter(|&s| !filter.strict || s == Status::Active)
    };
    // Contested is decided over all holding relations (between nodes), before the kind
    // filter; disputes and memberships play no part.
    let mut cooperating = BTreeSet::new();
    let mut restricting = BTreeSet::new();
    for r in &ds.relations {
        if holds(r).is_some() {
            let pair = unordered(unit(r.source), unit(r.target));
            match r.kind {
                RelationKind::Cooperation => cooperating.insert(pair),
                RelationKind::Restriction => restricting.insert(pair),
                RelationKind::Dispute | RelationKind::Membership => false,
            };
        }
    }
    let contested = |s, t| {
        let pair = unordered(s, t);
        cooperating.contains(&pair) && restricting.contains(&pair)
    };

    // Kept relations grouped into edges: one per relation actor by actor; by country, one per
    // (source, target, kind, directed), a mutual relation's ends in id order.
    let mut groups: Vec<(EdgeKey, Vec<(RelationIx, Status)>)> = Vec::new();
    let mut internal = 0;
    for (i, r) in ds.relations.iter().enumerate() {
        let Some(status) = holds(r) else { continue };
        if !filter.kinds.contains(r.kind) {
            continue;
        }
        let member = (RelationIx(i as u32), status);
        let (mut s, mut t) = (unit(r.source), unit(r.target));
        match grouping {
            Grouping::Actors => groups.push(((s, t, r.kind, r.directed), vec![member])),
            Grouping::Countries => {
                if s == t {
                    internal += 1;
                    continue;
                }
                if !r.directed && ds.actor(s).id > ds.actor(t).id {
                    std::mem::swap(&mut s, &mut t);
                }
                let key = (s, t, r.kind, r.directed);
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, members)) => members.push(member),
                    None => groups.push((key, vec![member])),
                }
            }
        }
    }
    let mut edges = Vec::new();
    let mut degrees: HashMap<ActorIx, u32> = HashMap::new();
    for ((s, t, kind, directed), members) in groups {
        let status =
            if members.iter().any(|m| m.1 == Status::Active) { Status::Active } else { Status::Possible };
        *degrees.entry(s).or_default() += 1;
        *degrees.entry(t).or_default() += 1;
        edges.push((s, t, kind, directed, status, contested(s, t), members));
    }
    edges.sort();
    Expected { edges, degrees, internal }
}

fn edge_view(snap: &Snapshot<'_>, e: &Edge) -> EdgeView {
    let members = snap.members(e).iter().map(|m| (m.relation, m.status)).collect();
    (e.source, e.target, e.kind, e.directed, e.status, e.contested, members)
}

fn check_snapshot(ds: &Dataset, day: Day, options: Options) -> Result<(), TestCaseError> {
    let snap = Snapshot::at(ds, day, options);
    let expected = brute_snapshot(ds, day, options);
    let connected = options.scope == ActorScope::Connected;

    // Same edges, each with the same relations, status and contested flag.
    let mut got: Vec<EdgeView> = snap.edges.iter().map(|e| edge_view(&snap, e)).collect();
    got.sort();
    prop_assert_eq!(&got, &expected.edges, "edges on {} with {:?}", day, options);
    prop_assert_eq!(snap.internal, expected.internal, "internal relations");
    prop_assert_eq!(snap.contested_count(), expected.edges.iter().filter(|e| e.5).count());
    prop_assert_eq!(snap.possible_count(), expected.edges.iter().filter(|e| e.4 == Status::Possible).count());
    if options.grouping == Grouping::Actors {
        for e in &snap.edges {
            let members = snap.members(e);
            prop_assert_eq!(members.len(), 1);
            let r = ds.relation(members[0].relation);
            prop_assert_eq!((e.source, e.target), (r.source, r.target));
            prop_assert_eq!(e.status, members[0].status);
        }
    }

    // A contested edge's pair really has a holding cooperation and a holding restriction,
    // found here by a different route: scanning every relation between the two nodes.
    for e in snap.edges.iter().filter(|e| e.contested) {
        let pair = unordered(e.source, e.target);
        let kinds: BTreeSet<RelationKind> = ds
            .relations
            .iter()
            .filter(|o| {
                unordered(unit_of(ds, options.grouping, o.source), unit_of(ds, options.grouping, o.target))
                    == pair
            })
            .filter(|o| o.span.status_on(day).is_some_and(|s| !options.filter.strict || s == Status::Active))
            .map(|o| o.kind)
            .collect();
        prop_assert!(kinds.contains(&RelationKind::Cooperation));
        prop_assert!(kinds.contains(&RelationKind::Restriction));
    }

    // Nodes: the nodes an edge touches (or every node, for ActorScope::All), with degree =
    // the number of edges touching each.
    let got_nodes: HashMap<ActorIx, u32> = snap.nodes.iter().map(|n| (n.actor, n.degree)).collect();
    prop_assert_eq!(got_nodes.len(), snap.nodes.len(), "a node is listed twice");
    let want_nodes: HashMap<ActorIx, u32> = if connected {
        expected.degrees.clone()
    } else {
        (0..ds.actors.len() as u32)
            .map(|a| unit_of(ds, options.grouping, ActorIx(a)))
            .map(|u| (u, expected.degrees.get(&u).copied().unwrap_or(0)))
            .collect()
    };
    prop_assert_eq!(&got_nodes, &want_nodes, "nodes on {} with {:?}", day, options);
    for a in 0..ds.actors.len() as u32 {
        let a = ActorIx(a);
        prop_assert_eq!(snap.contains(a), want_nodes.contains_key(&a));
    }

    // Documented order: edges by source id, target id, start (of the first relation), then
    // dataset order; nodes by id.
    let edge_key = |e: &Edge| {
        let first = snap.members(e)[0].relation;
        (
            ds.actor(e.source).id.clone(),
            ds.actor(e.target).id.clone(),
            ds.relation(first).start.first(),
            first,
        )
    };
    for w in snap.edges.windows(2) {
        prop_assert!(edge_key(&w[0]) < edge_key(&w[1]), "edges out of order");
    }
    for w in snap.nodes.windows(2) {
        prop_assert!(ds.actor(w[0].actor).id < ds.actor(w[1].actor).id, "nodes out of order");
    }

    // Deterministic: a second call gives the same result, in the same order.
    let again = Snapshot::at(ds, day, options);
    prop_assert_eq!(&again.edges, &snap.edges);
    prop_assert_eq!(&again.nodes, &snap.nodes);
    for (a, b) in again.edges.iter().zip(&snap.edges) {
        prop_assert_eq!(again.members(a), snap.members(b));
    }

    // The scope changes the nodes only.
    let other_scope =
        Options { scope: if connected { ActorScope::All } else { ActorScope::Connected }, ..options };
    let other = Snapshot::at(ds, day, other_scope);
    prop_assert_eq!(&other.edges, &snap.edges);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Time index and snapshots
// ---------------------------------------------------------------------------------------------

/// Which day a snapshot query uses: one of the bound days, or a random one.
#[derive(Debug, Clone)]
enum DayPick {
    Bound(Index),
    Random(Day),
}

fn day_pick() -> impl Strategy<Value = DayPick> {
    prop_oneof![
        2 => any::<Index>().prop_map(DayPick::Bound),
        1 => random_day().prop_map(DayPick::Random),
    ]
}

fn options() -> impl Strategy<Value = Options> {
    (
        0u8..16,
        any::<bool>(),
        prop_oneof![Just(ActorScope::Connected), Just(ActorScope::All)],
        prop_oneof![Just(Grouping::Actors), Just(Grouping::Countries)],
    )
        .prop_map(|(mask, strict, scope, grouping)| Options {
            filter: Filter { kinds: kind_set(mask), strict },
            scope,
            grouping,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn timeline_on_matches_brute_force(
        ds in dataset(),
        random in proptest::collection::vec(random_day(), 0..20),
    ) {
        let mut days = bound_days(&ds);
        days.extend(random);
        for day in days {
            let expected: Vec<RelationIx> = ds
                .relations
                .iter()
                .enumerate()
                .filter(|(_, r)| r.span.status_on(day).is_some())
                .map(|(i, _)| RelationIx(i as u32))
                .collect();
            let got = ds.timeline.on(day);
            prop_assert_eq!(&got, &expected, "on {}", day);

            // for_each_on reports each hit exactly once.
            let mut visited = Vec::new();
            ds.timeline.for_each_on(day, |r| visited.push(r));
            visited.sort_unstable();
            prop_assert_eq!(&visited, &expected);
        }
    }

    #[test]
    fn snapshot_matches_brute_force(
        ds in dataset(),
        queries in proptest::collection::vec((day_pick(), options()), 1..24),
    ) {
        let bounds = bound_days(&ds);
        for (pick, options) in queries {
            let day = match pick {
                DayPick::Bound(i) => bounds[i.index(bounds.len())],
                DayPick::Random(d) => d,
            };
            check_snapshot(&ds, day, options)?;
        }
        // The default options (all kinds, possible included, connected actors) on every
        // bound day.
        for &day in &bounds {
            check_snapshot(&ds, day, Options::default())?;
        }
    }
}

/// A small dataset written out by hand for the contested rule: a cooperation and a
/// restriction in opposite directions contest the pair, disputes never do, and the kind
/// filter does not hide the contest.
#[test]
fn contested_is_decided_before_the_kind_filter_and_ignores_disputes() {
    let p = |s: &str| PartialDate::parse(s).unwrap();
    let actor = |id: &str| Actor {
        id: id.into(),
        name: id.into(),
        kind: ActorKind::Country,
        parent: None,
        aliases: Box::new([]),
    };
    let rel = |i: u32, s: u32, t: u32, kind, start: &str, end: Option<&str>| {
        let (start, end) = (p(start), end.map(p));
        Relation {
            id: RelationId::Line(i),
            source: ActorIx(s),
            target: ActorIx(t),
            kind,
            directed: kind.directed_by_default(),
            start,
            end,
            span: Span::new(start, end).unwrap(),
            evidence: Box::new([]),
            summary: "".into(),
        }
    };
    use RelationKind::*;
    let ds = Dataset::new(
        vec![actor("A"), actor("B"), actor("C")],
        Vec::new(),
        vec![
            rel(0, 0, 1, Cooperation, "2019-01-01", None),
            rel(1, 1, 0, Restriction, "2019-11", None),
            rel(2, 0, 2, Cooperation, "2019-01-01", None),
            rel(3, 2, 0, Dispute, "2019-01-01", None),
            rel(4, 0, 2, Membership, "2019-01-01", None),
        ],
    );
    let day = Date::new(2019, 11, 15).unwrap();
    let only_coop = Options {
        filter: Filter { kinds: [Cooperation].into_iter().collect(), strict: false },
        ..Options::default()
    };
    let snap = Snapshot::at(&ds, day, only_coop);
    let flags: Vec<(u32, bool)> =
        snap.edges.iter().map(|e| (snap.members(e)[0].relation.0, e.contested)).collect();
    assert_eq!(flags, vec![(0, true), (2, false)]);
    // With strict, the restriction is only possible in November 2019: not contested.
    let mut strict = only_coop;
    strict.filter.strict = true;
    let snap = Snapshot::at(&ds, day, strict);
    assert!(snap.edges.iter().all(|e| !e.contested));
}

// ---------------------------------------------------------------------------------------------
// Dates and spans
// ---------------------------------------------------------------------------------------------

/// The spec of a span, written independently of `Span`: may it hold on `day`, and does it
/// certainly hold then?
fn spec_status(start: PartialDate, end: Option<PartialDate>, day: Day) -> Option<Status> {
    let possible_from = start.first();
    let active_from = if start.is_partial() { start.after() } else { start.first() };
    let (active_until, possible_until) = match end {
        None => (None, None),
        Some(e) if e.is_partial() => (Some(e.first()), Some(e.after())),
        Some(e) => (Some(e.first()), Some(e.first())),
    };
    let possible = day >= possible_from && possible_until.is_none_or(|u| day < u);
    let active = day >= active_from && active_until.is_none_or(|u| day < u);
    match (possible, active) {
        (true, true) => Some(Status::Active),
        (true, false) => Some(Status::Possible),
        (false, false) => None,
        (false, true) => panic!("spec: active on {day} but not possible"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn partial_date_display_parses_back(
        (text, date) in partial_date(1..=9998),
    ) {
        prop_assert_eq!(date.to_string(), text.clone());
        prop_assert_eq!(PartialDate::parse(&date.to_string()), Ok(date));
        let precision = match text.len() {
            4 => Precision::Year,
            7 => Precision::Month,
            _ => Precision::Day,
        };
        prop_assert_eq!(date.precision(), precision);
        prop_assert_eq!(date.is_partial(), precision != Precision::Day);
        let first = date.first();
        let expected_after = match precision {
            Precision::Year => Date::new(first.year() + 1, 1, 1).unwrap(),
            Precision::Month if first.month() == 12 => Date::new(first.year() + 1, 1, 1).unwrap(),
            Precision::Month => Date::new(first.year(), first.month() + 1, 1).unwrap(),
            Precision::Day => first.tomorrow().unwrap(),
        };
        prop_assert_eq!(date.after(), expected_after);
        prop_assert_eq!(georel::date::parse_day(&text), Ok(first));
    }

    #[test]
    fn day_past_the_end_of_the_month_is_rejected(
        year in 1i16..=9998, month in 1i8..=12, extra in 1i8..=3,
    ) {
        let day = days_in_month(year, month) + extra;
        let text = format!("{year:04}-{month:02}-{day:02}");
        prop_assert!(PartialDate::parse(&text).is_err(), "{} accepted", text);
    }

    #[test]
    fn span_matches_its_spec(
        start in partial_date(2019..=2020),
        end in proptest::option::weighted(0.8, partial_date(2019..=2020)),
    ) {
        let (start, end) = (start.1, end.map(|e| e.1));
        let window_start = Date::new(2018, 12, 1).unwrap();
        let days: Vec<Day> = (0..800).map(|i| shift(window_start, i).unwrap()).collect();
        let ever = days.iter().any(|&d| spec_status(start, end, d).is_some());
        match Span::new(start, end) {
            Err(_) => prop_assert!(!ever, "rejected although it holds on some day"),
            Ok(span) => {
                prop_assert!(ever, "accepted although it never holds");
                // active ⊆ possible, as bounds.
                prop_assert!(span.possible_from <= span.active_from);
                prop_assert!(span.active_until <= span.possible_until);
                prop_assert_eq!(span.is_open_ended(), end.is_none());
                let day_precision = !start.is_partial() && end.is_none_or(|e| !e.is_partial());
                let mut holding = Vec::with_capacity(days.len());
                for &day in &days {
                    let status = span.status_on(day);
                    prop_assert_eq!(status, spec_status(start, end, day), "on {}", day);
                    if day_precision {
                        prop_assert_ne!(status, Some(Status::Possible), "possible-only day {}", day);
                    }
                    holding.push(status.is_some());
                }
                let runs = holding.windows(2).filter(|w| w[0] != w[1]).count();
                // The days it may hold form one interval (no gap).
                prop_assert!(runs <= 2, "holding days are not one interval");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Load round trip
// ---------------------------------------------------------------------------------------------

/// Actor ids with CSV hazards. None has leading or trailing whitespace (cells are trimmed)
/// and none is only digits (an unnamed relation's id is its line number).
const HAZARD_IDS: [&str; 10] = [
    "USA",
    "United States",
    "say \"hi\"",
    "a,b",
    "Bogotá",
    "Côte d'Ivoire",
    "multi\nline",
    "crlf\r\nline",
    "日本",
    "x=1;y",
];

/// Pieces that summaries and names are made of.
const PIECES: [&str; 20] = [
    "a", "Z", " ", ",", "\"", "\n", "\r\n", "\r", "\t", ";", "é", "日本", "🌍", "\\", "''", "=cmd",
    "\u{2028}", "x y", "\"\"", "#",
];

fn text_from_pieces(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(select(PIECES.to_vec()), 0..=max).prop_map(|v| v.concat())
}

/// What the loader keeps of a cell: ASCII whitespace around it is trimmed.
fn trimmed(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_ascii_whitespace())
}

#[derive(Debug, Clone)]
struct ActorRow {
    id: String,
    name: String,
    kind: Option<ActorKind>,
    parent: Option<usize>,
}

#[derive(Debug, Clone)]
struct RelationRow {
    named: bool,
    source: usize,
    target: usize,
    kind: RelationKind,
    start: PartialDate,
    end: Option<PartialDate>,
    directed: Option<bool>,
    evidence: Vec<usize>,
    /// Written with spaces around the `;` separators.
    spaced_evidence: bool,
    summary: String,
}

const SOURCE_IDS: [&str; 5] = ["S1", "src,2", "S \"3\"", "ñ-4", "five five"];

/// How relations.csv is laid out: the order of its columns, an extra column the loader does
/// not know, and a UTF-8 byte order mark.
#[derive(Debug, Clone)]
struct Layout {
    columns: Vec<usize>,
    extra_column: bool,
    bom: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (Just((0..9).collect::<Vec<usize>>()).prop_shuffle(), any::<bool>(), any::<bool>())
        .prop_map(|(columns, extra_column, bom)| Layout { columns, extra_column, bom })
}

#[derive(Debug, Clone)]
struct CsvDataset {
    actors: Vec<ActorRow>,
    relations: Vec<RelationRow>,
    layout: Layout,
}

fn csv_dataset() -> impl Strategy<Value = CsvDataset> {
    let actor_kinds = {
        let mut kinds: Vec<Option<ActorKind>> = ActorKind::WRITABLE.into_iter().map(Some).collect();
        kinds.push(None);
        kinds
    };
    (
        Just(HAZARD_IDS.to_vec()).prop_shuffle(),
        proptest::collection::vec(
            (text_from_pieces(4), select(actor_kinds), proptest::option::of(any::<Index>())),
            2..=HAZARD_IDS.len(),
        ),
    )
        .prop_flat_map(|(ids, actor_parts)| {
            let actors: Vec<ActorRow> = actor_parts
                .into_iter()
                .enumerate()
                .map(|(i, (name, kind, parent))| ActorRow {
                    id: ids[i].to_string(),
                    name,
                    kind,
                    // Only earlier actors, so there is no cycle.
                    parent: parent.filter(|_| i > 0).map(|p| p.index(i)),
                })
                .collect();
            let n = actors.len();
            let relation = (
                any::<bool>(),
                (any::<Index>(), any::<Index>()),
                relation_kind(),
                window_date(),
                proptest::option::of(window_date()),
                proptest::option::of(any::<bool>()),
                proptest::collection::vec(0..SOURCE_IDS.len(), 0..4),
                any::<bool>(),
                text_from_pieces(12),
            );
            (
                Just(actors),
                proptest::collection::vec(relation, 0..=20).prop_map(move |rows| {
                    rows.into_iter()
                        .map(
                            |(
                                named,
                                pair,
                                kind,
                                start,
                                end,
                                directed,
                                evidence,
                                spaced_evidence,
                                summary,
                            )| {
                                let (s, t) = pick_pair(n, &pair);
                                RelationRow {
                                    named,
                                    source: s.index(),
                                    target: t.index(),
                                    kind,
                                    start,
                                    // An end that is not after the start is an error: drop it.
                                    end: end.filter(|&e| Span::new(start, Some(e)).is_ok()),
                                    directed,
                                    evidence,
                                    spaced_evidence,
                                    summary,
                                }
                            },
                        )
                        .collect::<Vec<_>>()
                }),
            )
        })
        .prop_map(|(actors, mut relations)| {
            // A membership must point at an alliance, agreement, organisation or an actor
            // without a kind; make the others cooperations.
            for r in &mut relations {
                let target_kind = actors[r.target].kind;
                if r.kind == RelationKind::Membership
                    && !matches!(
                        target_kind,
                        None | Some(ActorKind::Alliance | ActorKind::Agreement | ActorKind::Organisation)
                    )
                {
                    r.kind = RelationKind::Cooperation;
                }
            }
            (actors, relations)
        })
        .prop_flat_map(|(actors, relations)| {
            layout().prop_map(move |layout| CsvDataset {
                actors: actors.clone(),
                relations: relations.clone(),
                layout,
            })
        })
}

/// Writes the three CSV files; returns the line on which each relation row starts.
fn write_csv(dir: &Path, data: &CsvDataset) -> Vec<u32> {
    let mut w = csv::Writer::from_path(dir.join("actors.csv")).unwrap();
    w.write_record(["id", "name", "kind", "parent", "aliases"]).unwrap();
    for a in &data.actors {
        w.write_record([
            a.id.as_str(),
            a.name.as_str(),
            a.kind.map_or("", ActorKind::as_str),
            a.parent.map_or("", |p| data.actors[p].id.as_str()),
            "",
        ])
        .unwrap();
    }
    w.flush().unwrap();

    let mut w = csv::Writer::from_path(dir.join("sources.csv")).unwrap();
    w.write_record(["id", "title", "publisher", "published", "url", "reliability"]).unwrap();
    for (i, id) in SOURCE_IDS.iter().enumerate() {
        let published = if i % 2 == 0 { "2019-11" } else { "" };
        w.write_record([*id, "Title, with \"quotes\"", "Pub", published, "", "B"]).unwrap();
    }
    w.flush().unwrap();

    const HEADER: [&str; 9] =
        ["id", "source", "target", "kind", "start", "end", "directed", "evidence", "summary"];
    let layout = &data.layout;
    // Puts the cells in the layout's column order, with the extra column in the middle.
    let arrange = |cells: [String; 9], extra: &str| -> Vec<String> {
        let mut row: Vec<String> = layout.columns.iter().map(|&c| cells[c].clone()).collect();
        if layout.extra_column {
            row.insert(row.len() / 2, extra.to_string());
        }
        row
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(arrange(HEADER.map(String::from), "notes")).unwrap();
    let mut lines = Vec::new();
    for (i, r) in data.relations.iter().enumerate() {
        w.flush().unwrap();
        let newlines = w.get_ref().iter().filter(|&&b| b == b'\n').count();
        lines.push(newlines as u32 + 1);
        let separator = if r.spaced_evidence { " ; " } else { ";" };
        let evidence: Vec<&str> = r.evidence.iter().map(|&s| SOURCE_IDS[s]).collect();
        w.write_record(arrange(
            [
                if r.named { format!("rel-{i}") } else { String::new() },
                data.actors[r.source].id.clone(),
                data.actors[r.target].id.clone(),
                r.kind.to_string(),
                r.start.to_string(),
                r.end.map(|e| e.to_string()).unwrap_or_default(),
                r.directed.map(|d| d.to_string()).unwrap_or_default(),
                evidence.join(separator),
                r.summary.clone(),
            ],
            "ignored, \"extra\"\ncell",
        ))
        .unwrap();
    }
    let mut bytes = if layout.bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
    bytes.extend(w.into_inner().unwrap());
    std::fs::write(dir.join("relations.csv"), bytes).unwrap();
    lines
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn load_reads_back_what_was_written(data in csv_dataset()) {
        let dir = tempfile::tempdir().unwrap();
        let lines = write_csv(dir.path(), &data);
        let ds = match georel::load::load(dir.path()) {
            Ok(ds) => ds,
            Err(e) => return Err(TestCaseError::fail(format!("load failed: {e}"))),
        };

        prop_assert_eq!(ds.actors.len(), data.actors.len());
        for (i, (got, want)) in ds.actors.iter().zip(&data.actors).enumerate() {
            prop_assert_eq!(&*got.id, want.id.as_str());
            let name = match trimmed(&want.name) {
                "" => want.id.as_str(),
                name => name,
            };
            prop_assert_eq!(&*got.name, name, "name of actor {}", i);
            prop_assert_eq!(got.kind, want.kind.unwrap_or(ActorKind::Unknown));
            prop_assert_eq!(got.parent, want.parent.map(|p| ActorIx(p as u32)));
            prop_assert_eq!(ds.actor_by_id(&want.id), Some(ActorIx(i as u32)));
        }
        prop_assert_eq!(ds.sources.len(), SOURCE_IDS.len());

        prop_assert_eq!(ds.relations.len(), data.relations.len());
        for (i, (got, want)) in ds.relations.iter().zip(&data.relations).enumerate() {
            let id = if want.named {
                RelationId::Named(format!("rel-{i}").into())
            } else {
                RelationId::Line(lines[i])
            };
            prop_assert_eq!(&got.id, &id, "relation {}", i);
            prop_assert_eq!(&*ds.actor(got.source).id, data.actors[want.source].id.as_str());
            prop_assert_eq!(&*ds.actor(got.target).id, data.actors[want.target].id.as_str());
            prop_assert_eq!(got.kind, want.kind);
            prop_assert_eq!(got.start, want.start);
            prop_assert_eq!(got.end, want.end);
            prop_assert_eq!(got.span, Span::new(want.start, want.end).unwrap());
            prop_assert_eq!(
                got.directed,
                want.directed.unwrap_or(want.kind.directed_by_default())
            );
            let evidence: Vec<&str> = got.evidence.iter().map(|&s: &SourceIx| &*ds.source(s).id).collect();
            let want_evidence: Vec<&str> = want.evidence.iter().map(|&s| SOURCE_IDS[s]).collect();
            prop_assert_eq!(evidence, want_evidence);
            prop_assert_eq!(&*got.summary, trimmed(&want.summary), "summary of relation {}", i);
        }
    }
}
