//! Property tests for the query library (`georel::query`): paths, neighbourhoods, diffs, pair
//! histories, contested periods, fractures, the country roll-up of snapshots and the search
//! for the nearest date with a path. Each is checked against a brute-force model written here
//! from the documented rules only: relation statuses come from the start and end dates as
//! the README states them, graphs are walked by plain breadth-first or depth-first search,
//! and anything "over time" is decided day by day.
//!
//! Random datasets (made by `common`, shaped by `SHAPE` below) have 2–9 actors with random
//! kinds and parent chains, and up to 40 relations dated at random precision in 2019–2020, so
//! that overlaps, touching intervals and possible-only days are frequent. Memberships point at
//! alliances, agreements or organisations (or at actors of unknown kind, in datasets without
//! actors.csv), as the loader requires. Every relation bound lies in [2019-01-01, 2021-01-02],
//! so the day-by-day window below (2018-06-01 to 2021-06-30) sees every state the data can
//! have.

mod common;

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::fmt;

use common::{
    covers, dataset, day_pick, edge_views, kind_set, pick_day, top, unit, ymd, DayPick, EdgeKey, EdgeView,
    Shape,
};
use georel::date::{Day, PartialDate, Precision, Span, Status, Window};
use georel::model::{
    Actor, ActorIx, ActorKind, Credibility, Dataset, KindSet, Notes, Relation, RelationId, RelationIx,
    RelationKind, Reliability, Source, SourceIx,
};
use georel::query::diff::{self, Change};
use georel::query::history::{self, Event, Reach};
use georel::query::network::{Follow, Walk};
use georel::query::path::{self, Bounds, Path};
use georel::query::{conflicts, fractures, neighbours};
use georel::snapshot::{ActorScope, Edge, Filter, Grouping, Options, Snapshot};
use proptest::prelude::*;
use proptest::sample::Index;

const CASES: u32 = 256;

/// 256 cases, and no regression file: a failure prints its minimal case, which goes into a
/// test of its own.
fn config() -> ProptestConfig {
    ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(CASES) }
}

// ---------------------------------------------------------------------------------------------
// Days
// ---------------------------------------------------------------------------------------------

/// The first day checked one by one.
fn window_from() -> Day {
    ymd(2018, 6, 1)
}

/// Every day from 2018-06-01 to 2021-06-30: all relation bounds fall inside, so each state
/// the data can have shows on some day of it.
fn window_days() -> Vec<Day> {
    let until = ymd(2021, 7, 1);
    let mut days = Vec::new();
    let mut d = window_from();
    while d < until {
        days.push(d);
        d = d.tomorrow().unwrap();
    }
    days
}

/// Days far outside the window, where the state is that of the window's first or last day.
fn far_days() -> [Day; 3] {
    [ymd(1900, 1, 1), ymd(2030, 5, 17), ymd(9998, 12, 31)]
}

/// A random query day, from 2018-09-01 to 2021-03-29.
fn random_day() -> impl Strategy<Value = Day> {
    common::random_day(ymd(2018, 9, 1), 940)
}

/// Every relation bound and the days around it (see `common::bound_days`), and one more day;
/// all inside the window.
fn bound_days(ds: &Dataset) -> Vec<Day> {
    let days = common::bound_days(ds, [ymd(2019, 6, 15)]);
    for &d in &days {
        assert!(window_from() <= d && d <= ymd(2021, 6, 1), "bound day {d} outside the window");
    }
    days
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// Relation dates in 2019–2020; up to 12 relations one time in four, else 12 to 40;
/// memberships and strains frequent (for fractures); 40% of the actors (after the first)
/// have a parent, and one dataset in ten has no actors.csv.
const SHAPE: Shape = Shape {
    years: 2019..=2020,
    relations: &[(1, 0..=12), (3, 12..=40)],
    recipes: [6, 3, 2, 4, 2],
    parent: 0.4,
    without_actors: 0.1,
};

fn grouping() -> impl Strategy<Value = Grouping> {
    prop_oneof![Just(Grouping::Actors), Just(Grouping::Countries)]
}

/// Kind filters: all kinds two times in three, any subset otherwise.
fn kinds() -> impl Strategy<Value = KindSet> {
    prop_oneof![2 => Just(KindSet::ALL), 1 => (0u8..16).prop_map(kind_set)]
}

fn options() -> impl Strategy<Value = Options> {
    (kinds(), any::<bool>(), grouping()).prop_map(|(kinds, strict, grouping)| Options {
        filter: Filter { kinds, strict },
        scope: ActorScope::Connected,
        grouping,
    })
}

/// A walk rule: direction, part-of hops, and actors to avoid (none half the time, else one
/// or two, as indexes).
#[derive(Debug, Clone)]
struct WalkSpec {
    forward: bool,
    part_of: bool,
    avoid: Vec<Index>,
}

fn walk_spec() -> impl Strategy<Value = WalkSpec> {
    let avoid = prop_oneof![1 => Just(Vec::new()), 1 => proptest::collection::vec(any::<Index>(), 1..=2)];
    (any::<bool>(), any::<bool>(), avoid).prop_map(|(forward, part_of, avoid)| WalkSpec {
        forward,
        part_of,
        avoid,
    })
}

/// The walk, with avoided actors rolled up like the CLI does under `--by-country`.
fn make_walk(ds: &Dataset, grouping: Grouping, spec: &WalkSpec) -> Walk {
    let n = ds.actors.len();
    Walk {
        direction: if spec.forward { Follow::Forward } else { Follow::Both },
        part_of: spec.part_of,
        avoid: spec.avoid.iter().map(|i| unit(ds, grouping, ActorIx(i.index(n) as u32))).collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// Brute-force model
// ---------------------------------------------------------------------------------------------

/// A relation's status on a day, straight from the README's rules: possible from the first
/// day of its start until its end (a day end excluded, a partial end's whole period
/// included); active from its start (a partial start: the period after it) until the first
/// day of its end.
fn status_on(r: &Relation, day: Day) -> Option<Status> {
    let possible_until = r.end.map(|e| if e.is_partial() { e.after() } else { e.first() });
    if day < r.start.first() || possible_until.is_some_and(|u| day >= u) {
        return None;
    }
    let active_from = if r.start.is_partial() { r.start.after() } else { r.start.first() };
    let active_until = r.end.map(|e| e.first());
    if day >= active_from && active_until.is_none_or(|u| day < u) {
        Some(Status::Active)
    } else {
        Some(Status::Possible)
    }
}

/// The status with which a relation counts on a day: with `strict`, only active ones.
fn counts(r: &Relation, day: Day, strict: bool) -> Option<Status> {
    status_on(r, day).filter(|&s| !strict || s == Status::Active)
}

fn id(ds: &Dataset, a: ActorIx) -> &str {
    &ds.actor(a).id
}

/// An unordered pair, the actor with the smaller id first.
fn by_id(ds: &Dataset, a: ActorIx, b: ActorIx) -> (ActorIx, ActorIx) {
    if id(ds, a) <= id(ds, b) {
        (a, b)
    } else {
        (b, a)
    }
}

fn relations(ds: &Dataset) -> impl Iterator<Item = (RelationIx, &Relation)> {
    ds.relations.iter().enumerate().map(|(i, r)| (RelationIx(i as u32), r))
}

/// The relations a snapshot with these options shows on the day, with their status.
fn shown(ds: &Dataset, day: Day, options: Options) -> BTreeMap<RelationIx, Status> {
    let u = |a| unit(ds, options.grouping, a);
    relations(ds)
        .filter(|(_, r)| options.filter.kinds.contains(r.kind) && u(r.source) != u(r.target))
        .filter_map(|(i, r)| counts(r, day, options.filter.strict).map(|s| (i, s)))
        .collect()
}

/// Every (cooperation, restriction covering it) counting together on the day, actor by
/// actor, whatever the kind filter and the grouping.
fn contests(ds: &Dataset, day: Day, strict: bool) -> Vec<(RelationIx, RelationIx)> {
    let mut out = Vec::new();
    for (ci, c) in relations(ds).filter(|(_, r)| r.kind == RelationKind::Cooperation) {
        if counts(c, day, strict).is_none() {
            continue;
        }
        for (ri, r) in relations(ds).filter(|(_, r)| r.kind == RelationKind::Restriction) {
            if counts(r, day, strict).is_some()
                && (covers(ds, r, c.source, c.target) || (!c.directed && covers(ds, r, c.target, c.source)))
            {
                out.push((ci, ri));
            }
        }
    }
    out
}

/// The relations in some contest on the day.
fn contested_relations(ds: &Dataset, day: Day, strict: bool) -> BTreeSet<RelationIx> {
    contests(ds, day, strict).into_iter().flat_map(|(c, r)| [c, r]).collect()
}

/// The unordered node pairs (smaller id first) of the contested cooperations on the day
/// (rolled up when grouped), whatever the kind filter, each with the contests' relations of
/// the given kinds (a contest with none of them is left out).
fn contest_map(
    ds: &Dataset,
    day: Day,
    strict: bool,
    grouping: Grouping,
    kinds: KindSet,
) -> BTreeMap<(ActorIx, ActorIx), BTreeSet<RelationIx>> {
    let mut map: BTreeMap<(ActorIx, ActorIx), BTreeSet<RelationIx>> = BTreeMap::new();
    for (c, r) in contests(ds, day, strict) {
        let rel = ds.relation(c);
        let (s, t) = (unit(ds, grouping, rel.source), unit(ds, grouping, rel.target));
        let shown: Vec<RelationIx> =
            [c, r].into_iter().filter(|&x| kinds.contains(ds.relation(x).kind)).collect();
        if s == t || shown.is_empty() {
            continue;
        }
        map.entry(by_id(ds, s, t)).or_default().extend(shown);
    }
    map
}

/// The unordered node pairs (smaller id first) of the contested cooperations on the day.
fn contested_pairs(ds: &Dataset, day: Day, strict: bool, grouping: Grouping) -> BTreeSet<(ActorIx, ActorIx)> {
    contest_map(ds, day, strict, grouping, KindSet::ALL).into_keys().collect()
}

/// The snapshot's edges by brute force: one per relation actor by actor; by country, one per
/// (source, target, kind, direction) between top-level actors, a mutual relation's ends put
/// in id order; also the number of relations inside one country.
fn brute_edges(ds: &Dataset, day: Day, options: Options) -> (Vec<EdgeView>, usize) {
    let grouping = options.grouping;
    let contested = contested_relations(ds, day, options.filter.strict);
    let mut groups: Vec<(EdgeKey, Vec<(RelationIx, Status)>)> = Vec::new();
    let mut internal = 0;
    for (i, r) in relations(ds) {
        let Some(status) = counts(r, day, options.filter.strict) else { continue };
        if !options.filter.kinds.contains(r.kind) {
            continue;
        }
        let (mut s, mut t) = (unit(ds, grouping, r.source), unit(ds, grouping, r.target));
        if grouping == Grouping::Actors {
            groups.push(((s, t, r.kind, r.directed), vec![(i, status)]));
            continue;
        }
        if s == t {
            internal += 1;
            continue;
        }
        if !r.directed {
            (s, t) = by_id(ds, s, t);
        }
        let key = (s, t, r.kind, r.directed);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push((i, status)),
            None => groups.push((key, vec![(i, status)])),
        }
    }
    let mut edges: Vec<EdgeView> = groups
        .into_iter()
        .map(|((s, t, kind, directed), members)| {
            let status = members.iter().map(|m| m.1).max().unwrap();
            let flagged = members.iter().any(|m| contested.contains(&m.0));
            (s, t, kind, directed, status, flagged, members)
        })
        .collect();
    edges.sort();
    (edges, internal)
}

/// The graph the walks run on is the snapshot's: first make sure it is the right one.
fn check_snapshot_edges(snap: &Snapshot<'_>) -> Result<(), TestCaseError> {
    let (expected, internal) = brute_edges(snap.dataset, snap.window.first, snap.options);
    prop_assert_eq!(edge_views(snap), expected, "snapshot edges on {}", snap.window);
    prop_assert_eq!(snap.internal, internal);
    Ok(())
}

/// Whether the walk may step between `u` and `v` as parent and child: only when it allows
/// part-of hops, and only actor by actor (rolled up to countries there are no dependants).
fn part_of_hop(ds: &Dataset, grouping: Grouping, walk: &Walk, u: ActorIx, v: ActorIx) -> bool {
    walk.part_of
        && grouping == Grouping::Actors
        && (ds.actor(u).parent == Some(v) || ds.actor(v).parent == Some(u))
}

/// One step of a walk as the model allows it: the snapshot edges usable from `at` to the
/// neighbour, and whether the two are parent and child (when the walk allows it).
type Step = (Vec<usize>, bool);

/// The walk's moves on a snapshot, computed for every pair of actors by scanning all edges.
struct Moves<'a> {
    ds: &'a Dataset,
    /// For each actor, its neighbours and how it reaches them.
    links: Vec<BTreeMap<ActorIx, Step>>,
}

impl<'a> Moves<'a> {
    fn new(snap: &Snapshot<'a>, walk: &Walk) -> Self {
        let ds = snap.dataset;
        let n = ds.actors.len();
        let mut links = vec![BTreeMap::new(); n];
        for (u, out) in links.iter_mut().enumerate() {
            let u = ActorIx(u as u32);
            for v in (0..n as u32).map(ActorIx) {
                if u == v || walk.avoid.contains(&v) {
                    continue;
                }
                let edges: Vec<usize> = (0..snap.edges.len())
                    .filter(|&i| {
                        let e = &snap.edges[i];
                        let joins = (e.source == u && e.target == v) || (e.source == v && e.target == u);
                        joins && (walk.direction == Follow::Both || !e.directed || e.source == u)
                    })
                    .collect();
                let part_of = part_of_hop(ds, snap.options.grouping, walk, u, v);
                if !edges.is_empty() || part_of {
                    out.insert(v, (edges, part_of));
                }
            }
        }
        Moves { ds, links }
    }

    fn step(&self, from: ActorIx, to: ActorIx) -> Option<&Step> {
        self.links[from.index()].get(&to)
    }

    /// Hop distances from `start`, at most `depth`.
    fn distances(&self, start: ActorIx, depth: usize) -> BTreeMap<ActorIx, usize> {
        let mut dist = BTreeMap::from([(start, 0)]);
        let mut queue = VecDeque::from([start]);
        while let Some(u) = queue.pop_front() {
            let d = dist[&u];
            if d == depth {
                continue;
            }
            for &v in self.links[u.index()].keys() {
                if let Entry::Vacant(slot) = dist.entry(v) {
                    slot.insert(d + 1);
                    queue.push_back(v);
                }
            }
        }
        dist
    }

    /// Every simple path from `from` to `to` of at most `max_hops` hops, by depth-first
    /// search; from an actor to itself, only the path of no hops.
    fn simple_paths(&self, from: ActorIx, to: ActorIx, max_hops: usize) -> Vec<Vec<ActorIx>> {
        fn go(
            m: &Moves<'_>,
            path: &mut Vec<ActorIx>,
            to: ActorIx,
            max_hops: usize,
            out: &mut Vec<Vec<ActorIx>>,
        ) {
            let at = *path.last().unwrap();
            if at == to && path.len() > 1 {
                out.push(path.clone());
                return;
            }
            if path.len() > max_hops {
                return;
            }
            for &v in m.links[at.index()].keys() {
                if !path.contains(&v) {
                    path.push(v);
                    go(m, path, to, max_hops, out);
                    path.pop();
                }
            }
        }
        if from == to {
            return vec![vec![from]];
        }
        let mut out = Vec::new();
        go(self, &mut vec![from], to, max_hops, &mut out);
        out
    }

    /// Paths ordered by length, then as issue 14 says `path` prefers them: fewer strained
    /// hops (an edge contested, a restriction or a dispute), then better grades compared
    /// weakest hop first (a hop's grade: the best reliability among its relations' sources,
    /// F when none; a "part of" hop is A), then the sequence of the actors' ids.
    fn sort(&self, snap: &Snapshot<'_>, paths: &mut [Vec<ActorIx>]) {
        let ds = self.ds;
        paths.sort_by_cached_key(|p| {
            let mut strained = 0;
            // A hop's grade: its best relation's, reliability first, then credibility (F6 when
            // nothing is known); a "part of" hop is the best there is.
            let mut grades: Vec<(Reliability, Credibility)> = Vec::new();
            for w in p.windows(2) {
                let (edges, part_of) = self.step(w[0], w[1]).expect("a walkable hop");
                let es = edges.iter().map(|&i| &snap.edges[i]);
                if es.clone().any(|e| {
                    e.contested || matches!(e.kind, RelationKind::Restriction | RelationKind::Dispute)
                }) {
                    strained += 1;
                }
                let best = es
                    .flat_map(|e| snap.members(e))
                    .map(|m| {
                        let r = ds.relation(m.relation);
                        let reliability = r.evidence().iter().filter_map(|&s| ds.source(s).reliability).min();
                        (
                            reliability.unwrap_or(Reliability::F),
                            r.credibility.unwrap_or(Credibility::Unjudged),
                        )
                    })
                    .min();
                grades.push(if *part_of || edges.is_empty() {
                    (Reliability::A, Credibility::Confirmed)
                } else {
                    best.unwrap_or((Reliability::F, Credibility::Unjudged))
                });
            }
            grades.sort_unstable_by(|a, b| b.cmp(a));
            (p.len(), strained, grades, p.iter().map(|&a| id(ds, a).to_string()).collect::<Vec<_>>())
        });
    }

    /// Checks a path found by the library: it starts and ends where asked, is simple, enters
    /// no avoided actor, and each hop lists exactly the edges usable in the walking direction
    /// (and says part of exactly when the two are parent and child and the walk allows it).
    fn check_path(&self, p: &Path, from: ActorIx, to: ActorIx, walk: &Walk) -> Result<(), TestCaseError> {
        prop_assert_eq!(p.actors.first(), Some(&from));
        prop_assert_eq!(p.actors.last(), Some(&to));
        prop_assert_eq!(p.hops.len() + 1, p.actors.len(), "one hop between each two actors");
        let distinct: BTreeSet<ActorIx> = p.actors.iter().copied().collect();
        prop_assert_eq!(distinct.len(), p.actors.len(), "not simple: {:?}", p.actors);
        for a in &p.actors[1..] {
            prop_assert!(!walk.avoid.contains(a), "enters avoided {:?}", a);
        }
        for (i, hop) in p.hops.iter().enumerate() {
            let (u, v) = (p.actors[i], p.actors[i + 1]);
            let step = self.step(u, v);
            prop_assert!(step.is_some(), "hop {} from {:?} to {:?} cannot be walked", i, u, v);
            let (edges, part_of) = step.unwrap();
            prop_assert_eq!(&hop.edges, edges, "edges of hop {} ({:?} -> {:?})", i, u, v);
            prop_assert_eq!(hop.part_of, *part_of, "part of, hop {}", i);
        }
        Ok(())
    }
}

/// Is `to` reachable from `from` on `day`? Decided from the relations themselves (not the
/// snapshot), for the search over every day.
fn connected_on(ds: &Dataset, day: Day, options: Options, walk: &Walk, from: ActorIx, to: ActorIx) -> bool {
    if from == to {
        return true;
    }
    let u = |a| unit(ds, options.grouping, a);
    let arcs: Vec<(ActorIx, ActorIx, bool)> = ds
        .relations
        .iter()
        .filter(|r| options.filter.kinds.contains(r.kind) && counts(r, day, options.filter.strict).is_some())
        .map(|r| (u(r.source), u(r.target), r.directed))
        .filter(|(s, t, _)| s != t)
        .collect();
    let n = ds.actors.len();
    let mut seen = vec![false; n];
    seen[from.index()] = true;
    let mut queue = VecDeque::from([from]);
    while let Some(at) = queue.pop_front() {
        for v in (0..n as u32).map(ActorIx) {
            if seen[v.index()] || walk.avoid.contains(&v) {
                continue;
            }
            let by_relation = arcs.iter().any(|&(s, t, directed)| {
                (s == at && t == v) || (t == at && s == v && (walk.direction == Follow::Both || !directed))
            });
            let by_parent = part_of_hop(ds, options.grouping, walk, at, v);
            if by_relation || by_parent {
                if v == to {
                    return true;
                }
                seen[v.index()] = true;
                queue.push_back(v);
            }
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// 1–3, 9: paths and neighbourhoods
// ---------------------------------------------------------------------------------------------

/// Property 2 for each `(query, max_hops, limit)`, with the start avoided or not.
/// `ds` with a source of each reliability (and one ungraded), each relation citing one or
/// two of them: paths of one length then differ by grade as well as by strain and ids.
fn graded(ds: &Dataset) -> Dataset {
    let sources: Vec<Source> = (0..=Reliability::ALL.len())
        .map(|i| Source {
            id: format!("S{i}").into(),
            title: "".into(),
            publisher: "".into(),
            published: None,
            url: "".into(),
            reliability: Reliability::ALL.get(i).copied(),
        })
        .collect();
    let n = sources.len();
    let relations = ds
        .relations
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut evidence = vec![SourceIx((i * 3 % n) as u32)];
            if i % 4 == 1 {
                evidence.push(SourceIx(((i + 2) % n) as u32));
            }
            Relation { notes: Notes::new(evidence, "".into()), ..r.clone() }
        })
        .collect();
    Dataset::new(ds.actors.clone(), sources, relations)
}

fn check_all_queries(
    ds: &Dataset,
    queries: &[(WalkQuery, usize, usize)],
    start_avoided: bool,
) -> Result<(), TestCaseError> {
    let ds = &graded(ds);
    let bounds = bound_days(ds);
    for (q, max_hops, limit) in queries {
        let (snap, mut walk, from, to) = resolve(ds, &bounds, q);
        if start_avoided {
            walk.avoid.insert(from);
        } else {
            walk.avoid.remove(&from);
        }
        within(check_all(&snap, &walk, from, to, *max_hops, *limit), &(snap.window, from, to, &walk))?;
    }
    Ok(())
}

/// Adds the query to a failure's message: a case runs several queries, and proptest shrinks
/// the dataset better than the list of queries.
fn within<T: fmt::Debug>(result: Result<(), TestCaseError>, query: &T) -> Result<(), TestCaseError> {
    match result {
        Err(TestCaseError::Fail(reason)) => {
            Err(TestCaseError::fail(format!("{}\n  in query {query:?}", reason.message())))
        }
        other => other,
    }
}

/// A walk query: a day, snapshot options, the two ends, and the walk.
#[derive(Debug, Clone)]
struct WalkQuery {
    day: DayPick,
    options: Options,
    from: Index,
    to: Index,
    walk: WalkSpec,
}

fn walk_query() -> impl Strategy<Value = WalkQuery> {
    (day_pick(random_day()), options(), any::<Index>(), any::<Index>(), walk_spec())
        .prop_map(|(day, options, from, to, walk)| WalkQuery { day, options, from, to, walk })
}

/// The snapshot, walk and ends of a query; the ends rolled up as the CLI does.
fn resolve<'d>(ds: &'d Dataset, bounds: &[Day], q: &WalkQuery) -> (Snapshot<'d>, Walk, ActorIx, ActorIx) {
    let n = ds.actors.len();
    let g = q.options.grouping;
    let snap = Snapshot::at(ds, pick_day(bounds, &q.day), q.options);
    // Two different nodes, mostly (one query in eight asks for a path to the start).
    let nodes: Vec<ActorIx> = (0..n as u32).map(ActorIx).filter(|&a| unit(ds, g, a) == a).collect();
    let i = q.from.index(nodes.len());
    let j = if q.to.index(8) == 0 || nodes.len() == 1 {
        i
    } else {
        (i + 1 + q.to.index(nodes.len() - 1)) % nodes.len()
    };
    let (from, to) = (nodes[i], nodes[j]);
    (snap, make_walk(ds, g, &q.walk), from, to)
}

fn check_shortest(snap: &Snapshot<'_>, walk: &Walk, from: ActorIx, to: ActorIx) -> Result<(), TestCaseError> {
    let moves = Moves::new(snap, walk);
    let got = path::shortest(snap, walk, from, to);
    let dist = moves.distances(from, usize::MAX);
    let Some(&d) = dist.get(&to) else {
        prop_assert!(got.is_none(), "a path where brute force finds none: {:?}", got);
        return Ok(());
    };
    let got = got.ok_or_else(|| TestCaseError::fail(format!("no path, but {to:?} is {d} hops away")))?;
    moves.check_path(&got, from, to, walk)?;
    prop_assert_eq!(got.hop_count(), d, "not a shortest path");
    // Among all shortest paths, the first by actor ids.
    let mut shortest: Vec<Vec<ActorIx>> =
        moves.simple_paths(from, to, d).into_iter().filter(|p| p.len() == d + 1).collect();
    moves.sort(snap, &mut shortest);
    prop_assert_eq!(&got.actors, &shortest[0], "not the first shortest path by strain, grade and ids");
    Ok(())
}

fn check_all(
    snap: &Snapshot<'_>,
    walk: &Walk,
    from: ActorIx,
    to: ActorIx,
    max_hops: usize,
    limit: usize,
) -> Result<(), TestCaseError> {
    check_all_within(snap, walk, from, to, Bounds { max_hops, limit, tries: u64::MAX })
}

/// As [`check_all`], with a budget of tries: what is found is always the start of the full
/// answer, in order; it is the whole answer exactly when the search says it is complete.
fn check_all_within(
    snap: &Snapshot<'_>,
    walk: &Walk,
    from: ActorIx,
    to: ActorIx,
    bounds: Bounds,
) -> Result<(), TestCaseError> {
    let moves = Moves::new(snap, walk);
    let got = path::all(snap, walk, from, to, bounds);
    let mut expected = moves.simple_paths(from, to, bounds.max_hops);
    moves.sort(snap, &mut expected);
    expected.truncate(bounds.limit);
    let got_actors: Vec<Vec<ActorIx>> = got.paths.iter().map(|p| p.actors.clone()).collect();
    prop_assert!(got.tried <= bounds.tries, "{} tries, over the budget of {}", got.tried, bounds.tries);
    if got.complete {
        prop_assert_eq!(got_actors, expected, "all paths, {:?}", bounds);
    } else {
        prop_assert!(bounds.tries != u64::MAX, "incomplete without a budget");
        prop_assert!(
            got_actors.len() < expected.len() || expected.len() < bounds.limit,
            "incomplete, but {:?} is everything",
            got_actors
        );
        prop_assert_eq!(
            &got_actors[..],
            &expected[..got_actors.len()],
            "not the start of the answer, {:?}",
            bounds
        );
    }
    for p in &got.paths {
        moves.check_path(p, from, to, walk)?;
    }
    Ok(())
}

fn check_around(
    snap: &Snapshot<'_>,
    walk: &Walk,
    centre: ActorIx,
    depth: usize,
) -> Result<(), TestCaseError> {
    let ds = snap.dataset;
    let moves = Moves::new(snap, walk);
    let hood = neighbours::around(snap, walk, centre, depth);
    prop_assert_eq!(hood.centre, centre);
    prop_assert_eq!(hood.depth, depth);
    let mut expected: Vec<(ActorIx, usize)> = moves.distances(centre, depth).into_iter().collect();
    expected.sort_by_key(|&(a, d)| (d, id(ds, a).to_string()));
    prop_assert_eq!(&hood.actors, &expected, "actors and distances, in distance then id order");
    let inside: BTreeSet<ActorIx> = expected.iter().map(|&(a, _)| a).collect();
    let edges: Vec<usize> = (0..snap.edges.len())
        .filter(|&i| inside.contains(&snap.edges[i].source) && inside.contains(&snap.edges[i].target))
        .collect();
    prop_assert_eq!(&hood.edges, &edges, "edges with both ends inside");
    check_restrict(snap, &hood.edges, &expected.iter().map(|&(a, _)| a).collect::<Vec<_>>())
}

/// `Snapshot::restrict`, as the neighbours command uses it: the chosen edges in snapshot
/// order (whatever the order and repeats of the indexes given), with their relations; as
/// nodes, their ends and the extra actors; degrees counting only the kept edges.
fn check_restrict(snap: &Snapshot<'_>, edges: &[usize], extra: &[ActorIx]) -> Result<(), TestCaseError> {
    let mut shuffled: Vec<usize> = edges.iter().rev().copied().collect();
    shuffled.extend(edges.first());
    let sub = snap.restrict(&shuffled, extra);
    let kept: BTreeSet<usize> = edges.iter().copied().collect();
    prop_assert_eq!(sub.edges.len(), kept.len());
    let fields = |e: &Edge| (e.source, e.target, e.kind, e.directed, e.status, e.contested);
    for (e, &i) in sub.edges.iter().zip(&kept) {
        prop_assert_eq!(fields(e), fields(&snap.edges[i]));
        prop_assert_eq!(sub.members(e), snap.members(&snap.edges[i]));
    }
    let mut degree: BTreeMap<ActorIx, u32> = extra.iter().map(|&a| (a, 0)).collect();
    for &i in &kept {
        *degree.entry(snap.edges[i].source).or_default() += 1;
        *degree.entry(snap.edges[i].target).or_default() += 1;
    }
    let nodes: BTreeMap<ActorIx, u32> = sub.nodes.iter().map(|n| (n.actor, n.degree)).collect();
    prop_assert_eq!(nodes.len(), sub.nodes.len(), "a node listed twice");
    prop_assert_eq!(nodes, degree, "nodes and degrees of the restricted snapshot");
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// 1. `path::shortest` gives a valid walk of the brute-force BFS length, the first such
    /// by actor ids, and None exactly when there is no route.
    #[test]
    fn shortest_path_matches_brute_force(
        data in dataset(SHAPE),
        queries in proptest::collection::vec(walk_query(), 1..16),
    ) {
        let ds = &graded(&data.0);
        let bounds = bound_days(ds);
        for q in &queries {
            let (snap, walk, from, to) = resolve(ds, &bounds, q);
            check_snapshot_edges(&snap)?;
            within(check_shortest(&snap, &walk, from, to), &(snap.window, from, to, &walk))?;
        }
    }

    /// 2. `path::all` lists every simple path up to `max_hops`, by length then ids, cut to
    /// `limit`, each hop with exactly the usable edges.
    ///
    /// The start is never among the avoided actors here: see
    /// `all_paths_match_brute_force_with_an_avoided_start` for what happens then.
    #[test]
    fn all_paths_match_brute_force(
        data in dataset(SHAPE),
        queries in proptest::collection::vec((walk_query(), 0usize..=5, 0usize..=8), 1..12),
    ) {
        check_all_queries(&data.0, &queries, false)?;
    }

    /// 2, with the start among the avoided actors (which `Walk` allows: avoided nodes "may
    /// still be the start", and `path::shortest` starts from one).
    #[test]
    // Regression (fixed): path::all finds no path when the start is avoided, though path::shortest does.
    fn all_paths_match_brute_force_with_an_avoided_start(
        data in dataset(SHAPE),
        queries in proptest::collection::vec((walk_query(), 0usize..=5, 0usize..=8), 1..12),
    ) {
        check_all_queries(&data.0, &queries, true)?;
    }

    /// 2, with a budget of tries (#4 of issue 13): the paths found are the first ones of
    /// the full answer, in order, the tries stay within the budget, and a search that says
    /// it is complete found exactly the answer.
    #[test]
    fn all_paths_within_a_budget_are_the_start_of_the_answer(
        data in dataset(SHAPE),
        queries in proptest::collection::vec((walk_query(), 1usize..=5, 1usize..=8, 0u64..=60), 1..12),
    ) {
        let ds = &graded(&data.0);
        let bounds = bound_days(ds);
        for (q, max_hops, limit, tries) in &queries {
            let (snap, walk, from, to) = resolve(ds, &bounds, q);
            let b = Bounds { max_hops: *max_hops, limit: *limit, tries: *tries };
            within(check_all_within(&snap, &walk, from, to, b), &(snap.window, from, to, &walk, b))?;
        }
    }

    /// 3. `neighbours::around` finds the brute-force distances up to K and the edges with
    /// both ends inside.
    #[test]
    fn neighbourhood_matches_brute_force(
        data in dataset(SHAPE),
        queries in proptest::collection::vec((walk_query(), 0usize..=4), 1..12),
    ) {
        let ds = &data.0;
        let bounds = bound_days(ds);
        for (q, depth) in &queries {
            let (snap, walk, centre, _) = resolve(ds, &bounds, q);
            within(check_around(&snap, &walk, centre, *depth), &(snap.window, centre, &walk))?;
        }
    }

    /// 9. `path::nearest`: an earlier date E has a path and no day strictly between E and
    /// the query date has one; likewise for a later date; with no answer and no giving up,
    /// there is no path on any day on that side. Checked against every day of the window.
    #[test]
    fn nearest_dates_are_the_nearest_with_a_path(
        data in dataset(SHAPE),
        q in walk_query(),
        probes in prop_oneof![1 => 1usize..=3, 3 => Just(10_000usize)],
        extra_days in proptest::collection::vec(day_pick(random_day()), 0..6),
    ) {
        check_nearest(&data.0, &q, probes, &extra_days)?;
    }
}

/// 9, for one walk query and some more days: see `nearest_dates_are_the_nearest_with_a_path`.
fn check_nearest(
    ds: &Dataset,
    q: &WalkQuery,
    probes: usize,
    extra_days: &[DayPick],
) -> Result<(), TestCaseError> {
    let bounds = bound_days(ds);
    let (_, walk, from, to) = resolve(ds, &bounds, q);
    let options = q.options;
    let days = window_days();
    let connected: Vec<bool> = days.iter().map(|&d| connected_on(ds, d, options, &walk, from, to)).collect();
    let connected_far: Vec<(Day, bool)> =
        far_days().iter().map(|&d| (d, connected_on(ds, d, options, &walk, from, to))).collect();
    let mut dates = vec![pick_day(&bounds, &q.day)];
    dates.extend(extra_days.iter().map(|p| pick_day(&bounds, p)));
    // The days on which some relation starts or stops being possible or active.
    let change_days: BTreeSet<Day> = ds
        .relations
        .iter()
        .flat_map(|r| {
            let active_from = if r.start.is_partial() { r.start.after() } else { r.start.first() };
            let ends = r.end.map(|e| [e.first(), if e.is_partial() { e.after() } else { e.first() }]);
            [r.start.first(), active_from].into_iter().chain(ends.into_iter().flatten())
        })
        .collect();
    for date in dates {
        let i = days.binary_search(&date).expect("query days are inside the window");
        if connected[i] {
            // The search is for days when there is no path.
            continue;
        }
        let near = path::nearest(ds, options, &walk, from, to, Window::day(date), probes);
        match near.earlier {
            Some(e) => {
                prop_assert!(e < date, "earlier {} is not before {}", e, date);
                let j = days.binary_search(&e).expect("earlier date inside the window");
                prop_assert!(connected[j], "no path on the earlier date {}", e);
                prop_assert!(!connected[j + 1..i].iter().any(|&c| c), "a path between {} and {}", e, date);
            }
            None if !near.gave_up => {
                let first = connected[..i].iter().position(|&c| c);
                prop_assert_eq!(first.map(|j| days[j]), None, "a path before {} was missed", date);
                prop_assert!(!connected_far.iter().any(|&(d, c)| d < date && c));
            }
            None => {}
        }
        match near.later {
            Some(l) => {
                prop_assert!(l > date, "later {} is not after {}", l, date);
                let j = days.binary_search(&l).expect("later date inside the window");
                prop_assert!(connected[j], "no path on the later date {}", l);
                prop_assert!(!connected[i + 1..j].iter().any(|&c| c), "a path between {} and {}", date, l);
            }
            None if !near.gave_up => {
                let first = connected[i + 1..].iter().position(|&c| c);
                prop_assert_eq!(first.map(|j| days[i + 1 + j]), None, "a path after {} was missed", date);
                prop_assert!(!connected_far.iter().any(|&(d, c)| d > date && c));
            }
            None => {}
        }
        // Giving up means trying `probes` days where the graph may change, on one side, and
        // finding no path: so that side has more of them than that.
        if near.gave_up {
            let (before, after) =
                change_days.iter().fold((0, 0), |(b, a), &d| if d <= date { (b + 1, a) } else { (b, a + 1) });
            prop_assert!(
                before > probes || after > probes,
                "gave up after {} and {} days, with {} probes",
                before,
                after,
                probes
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 4: diff
// ---------------------------------------------------------------------------------------------

type ChangeView = (Change, RelationIx, Option<Status>, Option<Status>);
type PairView = (bool, ActorIx, ActorIx, Vec<RelationIx>);

fn check_diff(ds: &Dataset, d1: Day, d2: Day, options: Options) -> Result<(), TestCaseError> {
    let (before, after) = (Snapshot::at(ds, d1, options), Snapshot::at(ds, d2, options));
    let got = diff::between(&before, &after, None);
    prop_assert_eq!((got.from, got.to), (d1, d2));

    let (old, new) = (shown(ds, d1, options), shown(ds, d2, options));
    let mut expected: Vec<ChangeView> = Vec::new();
    for (&r, &was) in &old {
        match new.get(&r) {
            None => expected.push((Change::Ended, r, Some(was), None)),
            Some(&now) if now != was => {
                let change =
                    if now == Status::Active { Change::BecameActive } else { Change::BecamePossible };
                expected.push((change, r, Some(was), Some(now)));
            }
            Some(_) => {}
        }
    }
    for (&r, &now) in &new {
        if !old.contains_key(&r) {
            expected.push((Change::Started, r, None, Some(now)));
        }
    }
    // Documented order: change, then start date, then dataset order.
    expected.sort_by_key(|c| (c.0, ds.relation(c.1).start.first(), c.1));
    let changes: Vec<ChangeView> =
        got.relations.iter().map(|c| (c.change, c.relation, c.before, c.after)).collect();
    prop_assert_eq!(changes, expected, "relation changes from {} to {}", d1, d2);

    // Contested pairs (by the contested cooperation's pair) with their contests' relations
    // of the shown kinds.
    let (was, now) = (
        contest_map(ds, d1, options.filter.strict, options.grouping, options.filter.kinds),
        contest_map(ds, d2, options.filter.strict, options.grouping, options.filter.kinds),
    );
    let mut expected: Vec<PairView> = Vec::new();
    for (&(a, b), rels) in now.iter().filter(|(k, _)| !was.contains_key(k)) {
        expected.push((true, a, b, rels.iter().copied().collect()));
    }
    for (&(a, b), rels) in was.iter().filter(|(k, _)| !now.contains_key(k)) {
        expected.push((false, a, b, rels.iter().copied().collect()));
    }
    expected.sort_by_key(|p| (!p.0, id(ds, p.1).to_string(), id(ds, p.2).to_string()));
    let pairs: Vec<PairView> = got.pairs.iter().map(|p| (p.became, p.a, p.b, p.relations.clone())).collect();
    prop_assert_eq!(pairs, expected, "contested pair changes from {} to {}", d1, d2);
    prop_assert_eq!(got.is_empty(), got.relations.is_empty() && got.pairs.is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// 4. `diff::between`: started and ended are the symmetric difference of the shown
    /// relations, status changes those of the relations in both, and contested pair changes
    /// the symmetric difference of the contested pairs.
    #[test]
    fn diff_matches_brute_force(
        data in dataset(SHAPE),
        queries in proptest::collection::vec(
            (day_pick(random_day()), day_pick(random_day()), options()),
            1..10,
        ),
    ) {
        let ds = &data.0;
        let bounds = bound_days(ds);
        for (p1, p2, options) in &queries {
            let (d1, d2) = (pick_day(&bounds, p1), pick_day(&bounds, p2));
            within(check_diff(ds, d1, d2, *options), &(d1, d2, options))?;
        }
    }
}

/// 4b. `diff::change_days`: the window's first day, and each later day of it on which the
/// network differs from the day before, decided day by day: the shown edges (with their
/// relations, statuses and contested flags) or the contested pairs differ.
fn check_change_days(ds: &Dataset, window: Window, options: Options) -> Result<(), TestCaseError> {
    let state = |day: Day| {
        let (edges, _) = brute_edges(ds, day, options);
        let pairs: BTreeSet<(ActorIx, ActorIx)> =
            contest_map(ds, day, options.filter.strict, options.grouping, options.filter.kinds)
                .into_keys()
                .collect();
        (edges, pairs)
    };
    let mut expected = vec![window.first];
    let mut before = state(window.first);
    let mut day = window.first;
    while day < window.last {
        day = day.tomorrow().unwrap();
        let now = state(day);
        if now != before {
            expected.push(day);
        }
        before = now;
    }
    prop_assert_eq!(
        diff::change_days(ds, options, window).collect::<Vec<_>>(),
        expected,
        "change days of {}",
        window
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..config() })]

    #[test]
    fn change_days_match_brute_force(
        data in dataset(SHAPE),
        queries in proptest::collection::vec((day_pick(random_day()), day_pick(random_day()), options()), 1..3),
    ) {
        let ds = &data.0;
        let bounds = bound_days(ds);
        for (p1, p2, options) in &queries {
            let (d1, d2) = (pick_day(&bounds, p1), pick_day(&bounds, p2));
            let window = Window { first: d1.min(d2), last: d1.max(d2) };
            within(check_change_days(ds, window, *options), &(window, options))?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 5: history of a pair
// ---------------------------------------------------------------------------------------------

/// cooperating, restricted, disputed, member, contested.
type StateView = (bool, bool, bool, bool, bool);

fn state_of<'a>(rels: impl Iterator<Item = &'a Relation>) -> StateView {
    let mut s = (false, false, false, false, false);
    for r in rels {
        match r.kind {
            RelationKind::Cooperation => s.0 = true,
            RelationKind::Restriction => s.1 = true,
            RelationKind::Dispute => s.2 = true,
            RelationKind::Membership => s.3 = true,
        }
    }
    s
}

fn view(s: history::State) -> StateView {
    (s.cooperating, s.restricted, s.disputed, s.member, s.contested)
}

fn in_period(day: Day, from: Day, until: Option<Day>) -> bool {
    from <= day && until.is_none_or(|u| day < u)
}

fn check_history(
    ds: &Dataset,
    grouping: Grouping,
    filter: Filter,
    reach: Reach,
    a: ActorIx,
    b: ActorIx,
    days: &[Day],
) -> Result<(), TestCaseError> {
    let u = |x| unit(ds, grouping, x);
    let reach = by_country_reach(grouping, reach);
    // Read from the issue: an end on each side, the narrower side taking what is within both.
    let side = |x: ActorIx, of: ActorIx, narrower: ActorIx| {
        reaches(ds, reach, x, of) && !(reaches(ds, reach, narrower, of) && reaches(ds, reach, x, narrower))
    };
    let pair_rels: Vec<RelationIx> = relations(ds)
        .filter(|(_, r)| {
            let (s, t) = (r.source, r.target);
            filter.kinds.contains(r.kind)
                && u(s) != u(t)
                && ((side(s, a, b) && side(t, b, a)) || (side(s, b, a) && side(t, a, b)))
        })
        .map(|(i, _)| i)
        .collect();
    let h = history::of(ds, grouping, filter, reach, a, Some(b));
    prop_assert_eq!((h.actor, h.other), (a, Some(b)));
    for e in &h.entries {
        let rel = ds.relation(e.relation);
        prop_assert!(
            (e.near, e.far) == (rel.source, rel.target) || (e.near, e.far) == (rel.target, rel.source)
        );
        prop_assert!(side(e.near, a, b) && side(e.far, b, a) && !e.inside, "{:?}", e);
    }

    // Entries: every start and end of the pair's relations, by date, precision, ends before
    // starts, then dataset order; except that an end whose period does not begin after its
    // own start (`2020` to `2020`, `2020-03` to `2020`) is placed on its start's day, after
    // everything else there, so that no relation is listed as ending before it starts.
    type Entry = (Day, Precision, Event, RelationIx);
    type Key = (Day, bool, Precision, Event, RelationIx);
    let mut keyed: Vec<(Key, Entry)> = Vec::new();
    for &r in &pair_rels {
        let rel = ds.relation(r);
        let (first, precision) = (rel.start.first(), rel.start.precision());
        keyed.push(((first, false, precision, Event::Start, r), (first, precision, Event::Start, r)));
        if let Some(end) = rel.end {
            let late = end.first() <= first;
            let day = if late { first } else { end.first() };
            keyed.push((
                (day, late, end.precision(), Event::End, r),
                (end.first(), end.precision(), Event::End, r),
            ));
        }
    }
    keyed.sort();
    let entries: Vec<_> = keyed.into_iter().map(|(_, entry)| entry).collect();
    let got: Vec<_> =
        h.entries.iter().map(|e| (e.date.first(), e.date.precision(), e.event, e.relation)).collect();
    prop_assert_eq!(&got, &entries, "entries");
    for r in &pair_rels {
        let at = |event| got.iter().position(|e| e.2 == event && e.3 == *r);
        if let (Some(start), Some(end)) = (at(Event::Start), at(Event::End)) {
            prop_assert!(start < end, "{:?} ends before it starts", r);
        }
    }

    // Periods: ordered, disjoint, and two that touch differ.
    let periods = &h.periods;
    for p in periods {
        prop_assert!(p.until.is_none_or(|until| p.from < until), "empty period {:?}", p);
        prop_assert!(p.relations.windows(2).all(|w| w[0] < w[1]), "relations not in dataset order");
    }
    for w in periods.windows(2) {
        let until = w[0].until;
        prop_assert!(until.is_some_and(|until| until <= w[1].from), "periods overlap or are out of order");
        if until == Some(w[1].from) {
            prop_assert!(
                (w[0].state, w[0].certain, &w[0].relations) != (w[1].state, w[1].certain, &w[1].relations),
                "two touching periods with the same state and relations: {:?}",
                w
            );
        }
    }

    // Day by day: the period holding the day has the state and certainty of the relations
    // counting that day; a day with none is in no period.
    for &day in days {
        let holding: Vec<RelationIx> = pair_rels
            .iter()
            .copied()
            .filter(|&r| counts(ds.relation(r), day, filter.strict).is_some())
            .collect();
        let active: Vec<RelationIx> = pair_rels
            .iter()
            .copied()
            .filter(|&r| status_on(ds.relation(r), day) == Some(Status::Active))
            .collect();
        let containing: Vec<usize> =
            (0..periods.len()).filter(|&i| in_period(day, periods[i].from, periods[i].until)).collect();
        if holding.is_empty() {
            prop_assert!(
                containing.is_empty(),
                "{} has no relation but is in {:?}",
                day,
                periods[containing[0]]
            );
            continue;
        }
        prop_assert_eq!(containing.len(), 1, "{} is in {} periods", day, containing.len());
        let p = &periods[containing[0]];
        // The pair's cooperations contested that day, by any restriction of the dataset
        // covering them (listed with the period's relations).
        let pair_contests = |strict: bool| -> Vec<(RelationIx, RelationIx)> {
            contests(ds, day, strict).into_iter().filter(|(c, _)| pair_rels.contains(c)).collect()
        };
        let mut state = state_of(holding.iter().map(|&r| ds.relation(r)));
        state.4 = !pair_contests(filter.strict).is_empty();
        let mut certain_state = state_of(active.iter().map(|&r| ds.relation(r)));
        certain_state.4 = !pair_contests(true).is_empty();
        prop_assert_eq!(view(p.state), state, "state on {}", day);
        prop_assert_eq!(p.certain, state == certain_state, "certain on {}", day);
        let listed: BTreeSet<RelationIx> = p.relations.iter().copied().collect();
        let mut expected: BTreeSet<RelationIx> = holding.iter().copied().collect();
        expected.extend(pair_contests(filter.strict).into_iter().map(|(_, r)| r));
        // A period lists the relations that count on each of its days.
        prop_assert_eq!(&listed, &expected, "relations of {:?} on {}", p, day);
    }
    Ok(())
}

/// By country an actor is merged with everything within it before anything else, so its own
/// relations (`--exact`) are those of everything within it.
fn by_country_reach(grouping: Grouping, reach: Reach) -> Reach {
    if grouping == Grouping::Countries {
        Reach::Within
    } else {
        reach
    }
}

/// Whether `x` is within `of` (itself, or `of` is on its parent chain); with `--exact`, only
/// `of` itself.
fn reaches(ds: &Dataset, reach: Reach, x: ActorIx, of: ActorIx) -> bool {
    let mut at = Some(x);
    while let Some(a) = at {
        if a == of {
            return true;
        }
        if reach == Reach::Exact {
            return false;
        }
        at = ds.actor(a).parent;
    }
    false
}

fn check_actor_history(
    ds: &Dataset,
    grouping: Grouping,
    filter: Filter,
    reach: Reach,
    a: ActorIx,
) -> Result<(), TestCaseError> {
    let u = |x| unit(ds, grouping, x);
    let reach = by_country_reach(grouping, reach);
    let within = |x| reaches(ds, reach, x, a);
    let h = history::of(ds, grouping, filter, reach, a, None);
    prop_assert!(h.periods.is_empty());
    let expected: BTreeSet<RelationIx> = relations(ds)
        .filter(|(_, r)| {
            filter.kinds.contains(r.kind)
                && u(r.source) != u(r.target)
                && (within(r.source) || within(r.target))
        })
        .map(|(i, _)| i)
        .collect();
    for e in &h.entries {
        let rel = ds.relation(e.relation);
        prop_assert!(within(e.near), "{:?}", e);
        prop_assert_eq!(e.inside, within(e.far), "{:?}", e);
        prop_assert!(
            (e.near, e.far) == (rel.source, rel.target) || (e.near, e.far) == (rel.target, rel.source)
        );
    }
    let starts: BTreeSet<RelationIx> =
        h.entries.iter().filter(|e| e.event == Event::Start).map(|e| e.relation).collect();
    prop_assert_eq!(&starts, &expected, "relations in the record of {:?}", a);
    let ends = h.entries.iter().filter(|e| e.event == Event::End).count();
    prop_assert_eq!(ends, expected.iter().filter(|&&r| ds.relation(r).end.is_some()).count());
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// 5. `history::of` for a pair: on every day of the window (and far outside it), the
    /// period holding the day has the state brute force computes, `certain` is false exactly
    /// when dropping possible relations changes the state, periods are disjoint and ordered,
    /// and days with no relation are in no period.
    #[test]
    fn pair_history_matches_day_by_day_brute_force(
        data in dataset(SHAPE),
        queries in proptest::collection::vec(
            (grouping(), kinds(), any::<bool>(), any::<Index>(), any::<Index>(), any::<bool>()),
            1..4,
        ),
    ) {
        let ds = &data.0;
        let mut days = window_days();
        days.extend(far_days());
        let n = ds.actors.len();
        for (grouping, kinds, strict, a, b, exact) in &queries {
            let filter = Filter { kinds: *kinds, strict: *strict };
            let reach = if *exact { Reach::Exact } else { Reach::Within };
            let a = unit(ds, *grouping, ActorIx(a.index(n) as u32));
            let b = unit(ds, *grouping, ActorIx(b.index(n) as u32));
            check_actor_history(ds, *grouping, filter, reach, a)?;
            if a != b {
                check_history(ds, *grouping, filter, reach, a, b, &days)?;
            }
            // A pair nested one in the other (an agency and its country) is rare at random.
            if let Some(parent) = ds.actor(a).parent.filter(|_| *grouping == Grouping::Actors) {
                check_history(ds, *grouping, filter, reach, parent, a, &days)?;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 6: conflicts
// ---------------------------------------------------------------------------------------------

fn check_conflict_periods(
    ds: &Dataset,
    grouping: Grouping,
    strict: bool,
    days: &[Day],
) -> Result<(), TestCaseError> {
    let periods = conflicts::periods_all(ds, grouping, strict);
    for p in &periods {
        prop_assert!(id(ds, p.a) < id(ds, p.b), "pair not in id order: {:?}", p);
        prop_assert!(p.until.is_none_or(|until| p.from < until), "empty period {:?}", p);
    }
    let key = |p: &conflicts::ContestedPeriod| (p.from, id(ds, p.a).to_string(), id(ds, p.b).to_string());
    for w in periods.windows(2) {
        prop_assert!(key(&w[0]) <= key(&w[1]), "periods out of order");
    }
    let u = |x| unit(ds, grouping, x);
    let mut seen: Vec<(BTreeSet<RelationIx>, BTreeSet<RelationIx>)> = vec![Default::default(); periods.len()];
    for &day in days {
        let contested = contested_pairs(ds, day, strict, grouping);
        let mut covered: BTreeSet<(ActorIx, ActorIx)> = BTreeSet::new();
        for (i, p) in periods.iter().enumerate().filter(|(_, p)| in_period(day, p.from, p.until)) {
            prop_assert!(covered.insert((p.a, p.b)), "two periods of {:?} cover {}", (p.a, p.b), day);
            // The pair's contests that day: its cooperations and the restrictions covering
            // them; certain when one contest has both active.
            let of_pair: Vec<(RelationIx, RelationIx)> = contests(ds, day, strict)
                .into_iter()
                .filter(|&(c, _)| {
                    let rel = ds.relation(c);
                    u(rel.source) != u(rel.target) && by_id(ds, u(rel.source), u(rel.target)) == (p.a, p.b)
                })
                .collect();
            let coop: BTreeSet<RelationIx> = of_pair.iter().map(|x| x.0).collect();
            let restr: BTreeSet<RelationIx> = of_pair.iter().map(|x| x.1).collect();
            let certain = contests(ds, day, true).iter().any(|x| of_pair.contains(x));
            prop_assert_eq!(p.certain, certain, "certain on {} for {:?}", day, p);
            // A period lists the contests' relations of each of its days.
            prop_assert_eq!(
                &p.cooperation.iter().copied().collect::<BTreeSet<_>>(),
                &coop,
                "{:?} on {}",
                p,
                day
            );
            prop_assert_eq!(
                &p.restriction.iter().copied().collect::<BTreeSet<_>>(),
                &restr,
                "{:?} on {}",
                p,
                day
            );
            seen[i].0.extend(coop);
            seen[i].1.extend(restr);
        }
        prop_assert_eq!(
            &covered,
            &contested,
            "contested pairs on {} ({:?}, strict {})",
            day,
            grouping,
            strict
        );
    }
    for (p, (coop, restr)) in periods.iter().zip(&seen) {
        prop_assert_eq!(
            &p.cooperation.iter().copied().collect::<BTreeSet<_>>(),
            coop,
            "cooperation of {:?}",
            p
        );
        prop_assert_eq!(
            &p.restriction.iter().copied().collect::<BTreeSet<_>>(),
            restr,
            "restriction of {:?}",
            p
        );
    }
    Ok(())
}

fn check_conflicts_on(ds: &Dataset, day: Day, grouping: Grouping, strict: bool) -> Result<(), TestCaseError> {
    let options =
        Options { filter: Filter { kinds: KindSet::ALL, strict }, scope: ActorScope::Connected, grouping };
    let snap = Snapshot::at(ds, day, options);
    let found = conflicts::on(&snap);
    let mut expected: Vec<(ActorIx, ActorIx)> =
        contested_pairs(ds, day, strict, grouping).into_iter().collect();
    expected.sort_by_key(|&(a, b)| (id(ds, a).to_string(), id(ds, b).to_string()));
    let got: Vec<(ActorIx, ActorIx)> = found.iter().map(|c| (c.a, c.b)).collect();
    prop_assert_eq!(got, expected, "contested pairs on {}", day);
    let u = |x| unit(ds, grouping, x);
    let all = contests(ds, day, strict);
    for c in &found {
        // The pair's contests: the edges holding their cooperations, and those holding the
        // restrictions covering them.
        let of_pair: Vec<&(RelationIx, RelationIx)> = all
            .iter()
            .filter(|(coop, _)| {
                let rel = ds.relation(*coop);
                u(rel.source) != u(rel.target) && by_id(ds, u(rel.source), u(rel.target)) == (c.a, c.b)
            })
            .collect();
        let edges_of = |wanted: BTreeSet<RelationIx>| -> Vec<usize> {
            (0..snap.edges.len())
                .filter(|&i| snap.members(&snap.edges[i]).iter().any(|m| wanted.contains(&m.relation)))
                .collect()
        };
        prop_assert_eq!(&c.cooperation, &edges_of(of_pair.iter().map(|x| x.0).collect()));
        prop_assert_eq!(&c.restriction, &edges_of(of_pair.iter().map(|x| x.1).collect()));
    }
    Ok(())
}

/// The contested part of a snapshot, built alone (what `conflicts --at` writes), is the whole
/// snapshot restricted to its contested edges: the same edges with the same relations, nodes
/// and degrees, contests and conflicts.
fn check_contested_part(
    ds: &Dataset,
    window: Window,
    grouping: Grouping,
    strict: bool,
) -> Result<(), TestCaseError> {
    for kinds in [KindSet::ALL, [RelationKind::Restriction].into_iter().collect()] {
        let options = Options { filter: Filter { kinds, strict }, scope: ActorScope::All, grouping };
        let whole = Snapshot::over(ds, window, options);
        let contested: Vec<usize> = (0..whole.edges.len()).filter(|&i| whole.edges[i].contested).collect();
        let whole = whole.restrict(&contested, &[]);
        let part = Snapshot::contested_part(ds, window, options);
        let view = |s: &Snapshot<'_>| {
            let edges: Vec<_> = s.edges.iter().map(|e| (e.clone(), s.members(e).to_vec())).collect();
            (edges, s.nodes.clone(), s.contests.clone(), s.internal, s.options)
        };
        prop_assert_eq!(view(&part), view(&whole), "{} {:?}", window, options);
        prop_assert_eq!(conflicts::on(&part), conflicts::on(&whole));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// 6. `conflicts::periods_all` covers a day with a period of a pair exactly when the
    /// pair is contested that day; `conflicts::on` lists exactly the day's contested pairs.
    #[test]
    fn conflicts_match_brute_force(
        data in dataset(SHAPE),
        grouping in grouping(),
        strict in any::<bool>(),
        picks in proptest::collection::vec(day_pick(random_day()), 1..8),
    ) {
        let ds = &data.0;
        let mut days = window_days();
        days.extend(far_days());
        check_conflict_periods(ds, grouping, strict, &days)?;
        let bounds = bound_days(ds);
        for pick in &picks {
            check_conflicts_on(ds, pick_day(&bounds, pick), grouping, strict)?;
            check_contested_part(ds, Window::day(pick_day(&bounds, pick)), grouping, strict)?;
        }
        let (first, last) = (pick_day(&bounds, &picks[0]), pick_day(&bounds, picks.last().unwrap()));
        if let Some(window) = Window::between(first.min(last), first.max(last)).filter(|w| w.as_day().is_none()) {
            check_contested_part(ds, window, grouping, strict)?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 7: fractures
// ---------------------------------------------------------------------------------------------

type FractureView = (ActorIx, RelationIx, ActorIx, ActorIx, Status);

/// Fractures by brute force: for each actor that memberships holding on the day point at,
/// its members (each member's top-level parent, with its best membership status), and each
/// restriction or dispute holding that day between two different members.
fn brute_fractures(ds: &Dataset, day: Day, only: Option<ActorIx>, strict: bool) -> Vec<FractureView> {
    let mut members: BTreeMap<ActorIx, BTreeMap<ActorIx, Status>> = BTreeMap::new();
    for (_, r) in relations(ds) {
        if r.kind != RelationKind::Membership {
            continue;
        }
        if let Some(s) = counts(r, day, strict) {
            let slot = members.entry(r.target).or_default().entry(top(ds, r.source)).or_insert(s);
            *slot = (*slot).max(s);
        }
    }
    let mut out = Vec::new();
    for (&g, in_group) in &members {
        if only.is_some_and(|o| o != g) {
            continue;
        }
        for (i, r) in relations(ds) {
            if !matches!(r.kind, RelationKind::Restriction | RelationKind::Dispute) {
                continue;
            }
            let Some(status) = counts(r, day, strict) else { continue };
            let (s, t) = (top(ds, r.source), top(ds, r.target));
            if s == t {
                continue;
            }
            if let (Some(&ms), Some(&mt)) = (in_group.get(&s), in_group.get(&t)) {
                out.push((g, i, s, t, status.min(ms).min(mt)));
            }
        }
    }
    out.sort_by_key(|f| {
        let (a, b) = by_id(ds, f.2, f.3);
        (id(ds, f.0).to_string(), id(ds, a).to_string(), id(ds, b).to_string(), f.1)
    });
    out
}

proptest! {
    #![proptest_config(config())]

    /// 7. `fractures::on` equals the brute-force list, in group, pair and dataset order, on
    /// every bound day and some others.
    #[test]
    fn fractures_match_brute_force(
        data in dataset(SHAPE),
        only in proptest::option::weighted(0.3, any::<Index>()),
        strict in any::<bool>(),
        random in proptest::collection::vec(random_day(), 0..4),
    ) {
        let ds = &data.0;
        let mut days = bound_days(ds);
        days.extend(random);
        let only = only.map(|i| ActorIx(i.index(ds.actors.len()) as u32));
        for day in days {
            let strict = &strict;
            let got: Vec<FractureView> = fractures::on(ds, day, only, *strict)
                .into_iter()
                .map(|f| (f.group, f.relation, f.source_member, f.target_member, f.status))
                .collect();
            prop_assert_eq!(got, brute_fractures(ds, day, only, *strict), "fractures on {}", day);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 8: snapshots rolled up to countries
// ---------------------------------------------------------------------------------------------

fn check_country_snapshot(ds: &Dataset, day: Day, filter: Filter) -> Result<(), TestCaseError> {
    let options = Options { filter, scope: ActorScope::Connected, grouping: Grouping::Countries };
    let snap = Snapshot::at(ds, day, options);
    let is_top = |a: ActorIx| ds.actor(a).parent.is_none();
    // The contests found actor by actor, rolled up: an edge is contested when one of its
    // relations is (never worked out again between the merged countries).
    let contested = contested_relations(ds, day, filter.strict);
    let mut keys = BTreeSet::new();
    for e in &snap.edges {
        prop_assert!(is_top(e.source) && is_top(e.target), "edge between dependants: {:?}", e);
        prop_assert!(e.source != e.target, "an edge inside one country: {:?}", e);
        prop_assert!(
            keys.insert((e.source, e.target, e.kind, e.directed)),
            "two edges with the key of {:?}",
            e
        );
        let members = snap.members(e);
        prop_assert_eq!(
            e.contested,
            members.iter().any(|m| contested.contains(&m.relation)),
            "contested {:?}",
            e
        );
        prop_assert!(!members.is_empty());
        prop_assert!(
            members.windows(2).all(|w| w[0].relation < w[1].relation),
            "members not in dataset order"
        );
        prop_assert_eq!(e.status, members.iter().map(|m| m.status).max().unwrap());
        if !e.directed {
            prop_assert!(id(ds, e.source) < id(ds, e.target), "mutual edge ends not in id order: {:?}", e);
        }
    }
    // Each relation that counts appears in exactly one edge whose kind, direction and ends
    // match it; those inside one country are counted in `internal` instead.
    let mut internal = 0;
    for (i, r) in relations(ds) {
        let in_edges: Vec<_> = snap
            .edges
            .iter()
            .filter_map(|e| snap.members(e).iter().find(|m| m.relation == i).map(|m| (e, m.status)))
            .collect();
        let status = counts(r, day, filter.strict).filter(|_| filter.kinds.contains(r.kind));
        let (s, t) = (top(ds, r.source), top(ds, r.target));
        match status {
            Some(_) if s == t => {
                internal += 1;
                prop_assert!(in_edges.is_empty(), "relation {:?} inside one country has an edge", i);
            }
            Some(status) => {
                prop_assert_eq!(in_edges.len(), 1, "relation {:?} is in {} edges", i, in_edges.len());
                let (e, member_status) = in_edges[0];
                prop_assert_eq!(member_status, status);
                prop_assert_eq!((e.kind, e.directed), (r.kind, r.directed));
                let ends_match =
                    (e.source, e.target) == (s, t) || (!r.directed && (e.source, e.target) == (t, s));
                prop_assert!(ends_match, "relation {:?} ({:?} -> {:?}) in edge {:?}", i, s, t, e);
            }
            None => prop_assert!(in_edges.is_empty(), "relation {:?} does not count but is in an edge", i),
        }
    }
    prop_assert_eq!(snap.internal, internal);
    check_snapshot_edges(&snap)
}

proptest! {
    #![proptest_config(config())]

    /// 8. Rolled up to countries, every edge joins two top-level actors, no relation inside
    /// one country has an edge, each counting relation is in exactly one matching edge, and
    /// contested is decided between countries.
    #[test]
    fn country_snapshot_merges_relations(
        data in dataset(SHAPE),
        queries in proptest::collection::vec((day_pick(random_day()), kinds(), any::<bool>()), 1..10),
    ) {
        let ds = &data.0;
        let bounds = bound_days(ds);
        for (pick, kinds, strict) in &queries {
            check_country_snapshot(ds, pick_day(&bounds, pick), Filter { kinds: *kinds, strict: *strict })?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bugs found, as minimal cases
// ---------------------------------------------------------------------------------------------

/// A relation written out by hand: source, target (actor indexes), kind, directed, start, end.
type HandRelation<'a> = (u32, u32, RelationKind, bool, &'a str, Option<&'a str>);

/// A dataset written out by hand: actors as (id, kind, parent index).
fn hand_dataset(actors: &[(&str, ActorKind, Option<u32>)], relations: &[HandRelation<'_>]) -> Dataset {
    let actors = actors
        .iter()
        .map(|&(id, kind, parent)| Actor {
            id: id.into(),
            name: id.into(),
            kind,
            parent: parent.map(ActorIx),
            aliases: Box::new([]),
        })
        .collect();
    let relations = relations
        .iter()
        .enumerate()
        .map(|(i, &(s, t, kind, directed, start, end))| {
            let start = PartialDate::parse(start).unwrap();
            let end = end.map(|e| PartialDate::parse(e).unwrap());
            Relation {
                id: RelationId::Named(format!("r{i}").into()),
                source: ActorIx(s),
                target: ActorIx(t),
                kind,
                directed,
                start,
                end,
                span: Span::new(start, end).unwrap(),
                notes: Notes::new(Vec::new(), "".into()),
                credibility: None,
            }
        })
        .collect();
    Dataset::new(actors, Vec::new(), relations)
}

/// Two countries that cooperate; the walk avoids the start. `shortest` finds the one-hop
/// path (avoided nodes may still be the start), `all` finds nothing: it prunes with the
/// distances *to* the target, computed by a backward search that may not enter avoided
/// nodes, the start included. On the command line, `georel path COL USA --at 2025-11-12
/// --avoid COL --all` says there is no path, and that the nearest dates with one are the day
/// before and the day after.
#[test]
// Regression (fixed): path::all finds no path when the start is avoided, though path::shortest does.
fn all_paths_from_an_avoided_start() {
    let ds = hand_dataset(
        &[("A", ActorKind::Country, None), ("B", ActorKind::Country, None)],
        &[(0, 1, RelationKind::Cooperation, false, "2019-01-01", None)],
    );
    let snap = Snapshot::at(&ds, ymd(2019, 6, 1), Options::default());
    let walk = Walk { avoid: HashSet::from([ActorIx(0)]), ..Walk::default() };
    let shortest = path::shortest(&snap, &walk, ActorIx(0), ActorIx(1)).expect("shortest: A - B");
    assert_eq!(shortest.actors, [ActorIx(0), ActorIx(1)]);
    let all: Vec<Vec<ActorIx>> =
        path::all(&snap, &walk, ActorIx(0), ActorIx(1), Bounds { max_hops: 4, limit: 20, tries: u64::MAX })
            .paths
            .into_iter()
            .map(|p| p.actors)
            .collect();
    assert_eq!(all, [shortest.actors]);
}

/// By country, showing cooperation and dispute: the pair b–A is contested all along (b→A
/// restriction over b→A cooperation). On 2020-08-01 an undirected b–A restriction becomes
/// possible and covers Z→b cooperation too (Z is in A), so the A→b cooperation edge turns
/// contested. The pair was contested before and after, and `diff::between` lists no change,
/// but the picture does change: `frames --on-changes` must make a frame that day.
#[test]
// Regression (fixed): change_days skipped a day on which a contested pair gained a contested cooperation.
fn change_day_when_a_contested_pair_gains_a_contest() {
    let ds = hand_dataset(
        &[
            ("b", ActorKind::Country, None),
            ("A", ActorKind::Country, None),
            ("Z", ActorKind::Alliance, Some(1)),
        ],
        &[
            (0, 1, RelationKind::Cooperation, true, "2019", Some("2020-12-26")),
            (2, 0, RelationKind::Cooperation, true, "2019-06-10", Some("2020")),
            (0, 1, RelationKind::Restriction, true, "2019-07", None),
            (0, 1, RelationKind::Restriction, false, "2020-08", Some("2020-12")),
        ],
    );
    let options = Options {
        filter: Filter { kinds: kind_set(0b101), strict: false },
        scope: ActorScope::Connected,
        grouping: Grouping::Countries,
    };
    let window = Window { first: ymd(2019, 12, 2), last: ymd(2020, 8, 6) };
    let days: Vec<Day> = diff::change_days(&ds, options, window).collect();
    assert_eq!(days, [ymd(2019, 12, 2), ymd(2020, 1, 1), ymd(2020, 8, 1)]);
    check_change_days(&ds, window, options).unwrap();
}

/// By country, showing restriction, dispute and membership: b–A is contested all along (b–A
/// cooperation under an A–b restriction), and the b–A restriction edge, one of whose
/// relations is that restriction, is drawn contested. On 2020-03-01 a hidden Z→A cooperation
/// (Z is in b) becomes possible under the Z–A restriction, another relation of the same
/// edge: the edge was contested and stays so, the pair too, and nothing shown changes.
#[test]
// Regression (fixed): change_days called a day a change when a contested edge only gained a contested relation.
fn no_change_day_when_a_contested_edge_gains_a_contested_relation() {
    let ds = hand_dataset(
        &[
            ("b", ActorKind::Country, None),
            ("A", ActorKind::Country, None),
            ("Z", ActorKind::Country, Some(0)),
        ],
        &[
            (1, 0, RelationKind::Restriction, false, "2019", None),
            (0, 1, RelationKind::Cooperation, false, "2019", None),
            (2, 1, RelationKind::Restriction, false, "2019-04-19", Some("2020-12")),
            (2, 1, RelationKind::Cooperation, true, "2020-03", Some("2020-12")),
        ],
    );
    let options = Options {
        filter: Filter { kinds: kind_set(0b1110), strict: false },
        scope: ActorScope::Connected,
        grouping: Grouping::Countries,
    };
    let window = Window { first: ymd(2020, 1, 15), last: ymd(2020, 6, 30) };
    check_change_days(&ds, window, options).unwrap();
    assert_eq!(diff::change_days(&ds, options, window).collect::<Vec<_>>(), [ymd(2020, 1, 15)]);
}

// ---------------------------------------------------------------------------------------------
// 9: windows of days (`--at 2025-11`, `--from D1 --to D2`)
// ---------------------------------------------------------------------------------------------

/// A window from a random day, some days long: up to two months two times in three, else up
/// to two years (so that whole years and relations that come and go inside are common).
fn random_window() -> impl Strategy<Value = (Day, i32)> {
    (random_day(), prop_oneof![2 => 0i32..62, 1 => 0i32..730])
}

/// An edge of the union of daily snapshots: what it is between, its best status, whether it
/// was contested on any day, and each member relation's best status. Keyed by its ends, kind
/// and direction, and (actor by actor, where two relations of one pair are two edges) by its
/// relation.
type UnionKey = (ActorIx, ActorIx, RelationKind, bool, Option<RelationIx>);
type UnionEdge = (Status, bool, BTreeMap<RelationIx, Status>);

fn union_key(snap: &Snapshot<'_>, e: &Edge) -> UnionKey {
    let one = match snap.options.grouping {
        Grouping::Actors => Some(snap.members(e)[0].relation),
        Grouping::Countries => None,
    };
    (e.source, e.target, e.kind, e.directed, one)
}

/// Adds a snapshot's edges to a union of edges: statuses the best, contested if ever.
fn add_edges(union: &mut BTreeMap<UnionKey, UnionEdge>, snap: &Snapshot<'_>) {
    for e in &snap.edges {
        let slot = union.entry(union_key(snap, e)).or_insert((e.status, false, BTreeMap::new()));
        slot.0 = slot.0.max(e.status);
        slot.1 |= e.contested;
        for m in snap.members(e) {
            let status = slot.2.entry(m.relation).or_insert(m.status);
            *status = (*status).max(m.status);
        }
    }
}

/// A window's snapshot as the day-by-day union: checked against `Snapshot::over`.
fn check_window_snapshot(ds: &Dataset, first: Day, last: Day, options: Options) -> Result<(), TestCaseError> {
    let window = georel::date::Window::between(first, last).unwrap();
    let over = Snapshot::over(ds, window, options);
    prop_assert_eq!(over.window, window);
    let mut daily = BTreeMap::new();
    let mut nodes = BTreeSet::new();
    let mut day = first;
    while day <= last {
        let snap = Snapshot::at(ds, day, options);
        add_edges(&mut daily, &snap);
        nodes.extend(snap.nodes.iter().map(|n| n.actor));
        day = day.tomorrow().unwrap();
    }
    let mut got = BTreeMap::new();
    add_edges(&mut got, &over);
    prop_assert_eq!(got.len(), over.edges.len(), "two edges of the window's snapshot have one key");
    prop_assert_eq!(&got, &daily, "the snapshot over {} and its days' union", window);
    let over_nodes: BTreeSet<ActorIx> = over.nodes.iter().map(|n| n.actor).collect();
    prop_assert_eq!(over_nodes, nodes, "nodes over {}", window);
    // Each node's degree counts the window's edges that touch it.
    for n in &over.nodes {
        let touching = over.edges.iter().filter(|e| e.source == n.actor || e.target == n.actor).count();
        prop_assert_eq!(n.degree as usize, touching);
    }
    Ok(())
}

/// What a diff from `first` to `last` lists as transient: the relations shown on some day
/// in between but on neither end.
fn check_transients(ds: &Dataset, first: Day, last: Day, options: Options) -> Result<(), TestCaseError> {
    let window = georel::date::Window::between(first, last).unwrap();
    let (before, after) = (Snapshot::at(ds, first, options), Snapshot::at(ds, last, options));
    let over = Snapshot::over(ds, window, options);
    let shown = |s: &Snapshot<'_>| -> BTreeSet<RelationIx> {
        s.edges.iter().flat_map(|e| s.members(e)).map(|m| m.relation).collect()
    };
    let ends: BTreeSet<RelationIx> = shown(&before).union(&shown(&after)).copied().collect();
    let mut expected = BTreeSet::new();
    let mut day = first;
    while day <= last {
        expected.extend(shown(&Snapshot::at(ds, day, options)).difference(&ends).copied());
        day = day.tomorrow().unwrap();
    }
    let got: BTreeSet<RelationIx> = diff::between(&before, &after, Some(&over))
        .relations
        .iter()
        .filter(|c| c.change == Change::Transient)
        .map(|c| c.relation)
        .collect();
    prop_assert_eq!(got, expected, "transients from {} to {}", first, last);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..config() })]

    /// 9. A snapshot over a window is the union of its days' snapshots: the same edges, each
    /// with its best status, contested when it was on some day, the same actors; the
    /// relations a diff calls transient are those of the days in between and of neither end;
    /// and the fractures over a window are the union of its days'.
    #[test]
    fn a_window_is_the_union_of_its_days(
        data in dataset(SHAPE),
        (first, length) in random_window(),
        options in options(),
        only in proptest::option::weighted(0.3, any::<Index>()),
    ) {
        let ds = &data.0;
        let last = common::shift(first, length);
        check_window_snapshot(ds, first, last, options)?;
        check_transients(ds, first, last, options)?;
        let strict = options.filter.strict;
        let only = only.map(|i| ActorIx(i.index(ds.actors.len()) as u32));
        let mut union: BTreeMap<(ActorIx, RelationIx), (ActorIx, ActorIx, Status)> = BTreeMap::new();
        let mut day = first;
        while day <= last {
            for f in fractures::on(ds, day, only, strict) {
                let slot = union.entry((f.group, f.relation)).or_insert((f.source_member, f.target_member, f.status));
                slot.2 = slot.2.max(f.status);
            }
            day = day.tomorrow().unwrap();
        }
        let window = georel::date::Window::between(first, last).unwrap();
        let got: BTreeMap<(ActorIx, RelationIx), (ActorIx, ActorIx, Status)> = fractures::over(ds, window, only, strict)
            .into_iter()
            .map(|f| ((f.group, f.relation), (f.source_member, f.target_member, f.status)))
            .collect();
        prop_assert_eq!(got, union, "fractures over {}", window);
    }
}

// ---------------------------------------------------------------------------------------------
// The timeline chart
// ---------------------------------------------------------------------------------------------

/// Datasets over thirty years, so that the chart's axis is cut at quiet stretches often.
const CHART_SHAPE: Shape = Shape {
    years: 1990..=2020,
    relations: &[(1, 0..=6), (3, 6..=20)],
    recipes: [6, 3, 2, 4, 2],
    parent: 0.4,
    without_actors: 0.1,
};

/// The chart of a record: well-formed SVG holding exactly one bar per relation of the record,
/// each hatched where the relation is only possible and ending in an arrow when it is open,
/// one state per period of a pair, and every coordinate on the canvas.
fn check_chart(ds: &Dataset, h: &history::History, strict: bool) -> Result<(), TestCaseError> {
    let mut svg = Vec::new();
    georel::export::chart::svg(ds, h, strict, &mut svg).unwrap();
    let svg = String::from_utf8(svg).unwrap();
    let doc = roxmltree::Document::parse(&svg).map_err(|e| TestCaseError::fail(format!("{e}: {svg}")))?;
    let class = |n: &roxmltree::Node<'_, '_>| n.attribute("class").unwrap_or("").to_string();
    let mut expected: Vec<String> = h
        .entries
        .iter()
        .filter(|e| e.event == Event::Start)
        .map(|e| ds.relation(e.relation).id.to_string())
        .collect();
    expected.sort();
    let bars: Vec<roxmltree::Node<'_, '_>> =
        doc.descendants().filter(|n| n.is_element() && class(n) == "bar").collect();
    let mut got: Vec<String> =
        bars.iter().map(|b| b.attribute("data-relation").unwrap().to_string()).collect();
    got.sort();
    prop_assert_eq!(&got, &expected, "one bar per relation of the record");
    for e in h.entries.iter().filter(|e| e.event == Event::Start) {
        let id = ds.relation(e.relation).id.to_string();
        let bar = bars.iter().find(|b| b.attribute("data-relation") == Some(id.as_str())).unwrap();
        let span = ds.relation(e.relation).span;
        let count = |of: &str| bar.children().filter(|c| c.is_element() && class(c) == of).count();
        let possible = span.possible_from < span.active_from.min(span.active_until)
            || span.active_from >= span.active_until
            || span.active_until < span.possible_until;
        prop_assert_eq!(count("possible") > 0, possible, "hatching of {:?}", span);
        prop_assert_eq!(count("open-end"), usize::from(span.is_open_ended()), "arrow of {:?}", span);
    }
    let states = doc.descendants().filter(|n| n.is_element() && class(n) == "state").count();
    prop_assert_eq!(states, h.periods.len());
    let width: f64 = doc.root_element().attribute("width").unwrap().parse().unwrap();
    for n in doc.descendants().filter(|n| n.is_element()) {
        for name in ["x", "x1", "x2"] {
            if let Some(x) = n.attribute(name).filter(|v| !v.ends_with('%')) {
                let x: f64 = x.parse().unwrap();
                prop_assert!(x.is_finite() && (0.0..=width).contains(&x), "{}={} in {:?}", name, x, n);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..config() })]

    /// The timeline chart of random records, of one actor and of a pair.
    #[test]
    fn a_chart_has_one_bar_per_relation_of_its_record(
        data in dataset(CHART_SHAPE),
        (grouping, kinds, strict, a, b, exact) in (grouping(), kinds(), any::<bool>(), any::<Index>(), any::<Index>(), any::<bool>()),
    ) {
        let ds = &data.0;
        let filter = Filter { kinds, strict };
        let reach = if exact { Reach::Exact } else { Reach::Within };
        let n = ds.actors.len();
        let a = unit(ds, grouping, ActorIx(a.index(n) as u32));
        let b = unit(ds, grouping, ActorIx(b.index(n) as u32));
        check_chart(ds, &history::of(ds, grouping, filter, reach, a, None), strict)?;
        if a != b {
            check_chart(ds, &history::of(ds, grouping, filter, reach, a, Some(b)), strict)?;
        }
    }
}
