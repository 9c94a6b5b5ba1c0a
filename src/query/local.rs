//! Searches that read only the part of a day's graph near a few actors: which relations a
//! shortest path or a neighbourhood needs, found from each actor's own relations (as an index
//! file lists them) rather than from every relation of the day. `path` and `neighbours` then
//! answer as usual on a dataset that holds just those relations, and give what the whole day
//! gives (each search says why). On a day when millions of relations hold, a path between
//! two actors touches a few thousand of them.

use crate::date::Status;
use crate::model::{ActorIx, Dataset, Held, RelationIx};
use crate::query::network::Walk;
use crate::snapshot::{Grouping, Options};

const UNSEEN: u32 = u32::MAX;

/// Why a search stopped early.
enum Stop<E> {
    /// It read more relations than its budget: reading the whole day costs less.
    Budget,
    /// Reading an actor's relations failed.
    Failed(E),
}

/// A search of one day around some actors.
struct Search<'a, R> {
    ds: &'a Dataset,
    options: Options,
    walk: &'a Walk,
    /// Calls its callback with each relation touching an actor that holds on the day; returns
    /// how many relations touch the actor.
    read: R,
    spent: usize,
    budget: usize,
    /// Rolled up to countries: the actors each top-level actor stands for (itself among them).
    members: Vec<Vec<ActorIx>>,
}

impl<'a, R, E> Search<'a, R>
where
    R: FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E>,
{
    fn new(ds: &'a Dataset, options: Options, walk: &'a Walk, read: R, budget: usize) -> Self {
        let mut members = Vec::new();
        if options.grouping == Grouping::Countries {
            members = vec![Vec::new(); ds.actors.len()];
            for a in 0..ds.actors.len() as u32 {
                members[ds.top_parent(ActorIx(a)).index()].push(ActorIx(a));
            }
        }
        Search { ds, options, walk, read, spent: 0, budget, members }
    }

    /// Calls `each` with every relation that holds on the day and touches `unit` (through
    /// any actor it stands for).
    fn each_holding(&mut self, unit: ActorIx, each: &mut dyn FnMut(Held)) -> Result<(), Stop<E>> {
        let one = [unit];
        let actors = if self.members.is_empty() { &one[..] } else { &self.members[unit.index()][..] };
        for &actor in actors {
            self.spent += (self.read)(actor, each).map_err(Stop::Failed)?;
            if self.spent > self.budget {
                return Err(Stop::Budget);
            }
        }
        Ok(())
    }

    /// The nodes one hop from `from` (backwards with `reverse`), in index order: those that
    /// [`crate::query::network::Network::links`] finds on the day's snapshot, by the same
    /// rules (the kind filter, `strict`, the walk's direction, part-of hops and avoided nodes).
    fn links(&mut self, from: ActorIx, reverse: bool) -> Result<Vec<ActorIx>, Stop<E>> {
        let Options { filter, grouping, .. } = self.options;
        let mut found = Vec::new();
        let (ds, walk) = (self.ds, self.walk);
        let unit = |a: ActorIx| grouping.unit(ds, a);
        self.each_holding(from, &mut |h: Held| {
            if (filter.strict && h.status != Status::Active) || !filter.kinds.contains(h.kind) {
                return;
            }
            let (s, t) = (unit(h.source), unit(h.target));
            if s == t {
                // Inside one country when rolled up (no edge); a loop otherwise.
                return;
            }
            // Along the edge s → t when walking forwards from s or backwards from t.
            if from == s && walk.follows(h.directed, !reverse) {
                found.push(t);
            }
            if from == t && walk.follows(h.directed, reverse) {
                found.push(s);
            }
        })?;
        found.extend(walk.part_of_hops(ds, grouping, from));
        found.retain(|a| !walk.avoid.contains(a));
        found.sort_unstable();
        found.dedup();
        Ok(found)
    }

    /// The relations holding on the day whose two ends are both among `inside` (marked by
    /// node), ascending.
    fn among(&mut self, nodes: &[ActorIx], inside: &[bool]) -> Result<Vec<RelationIx>, Stop<E>> {
        let mut relations = Vec::new();
        let ds = self.ds;
        let grouping = self.options.grouping;
        for &node in nodes {
            self.each_holding(node, &mut |h: Held| {
                let (s, t) = (grouping.unit(ds, h.source), grouping.unit(ds, h.target));
                if inside[s.index()] && inside[t.index()] {
                    relations.push(h.relation);
                }
            })?;
        }
        relations.sort_unstable();
        relations.dedup();
        self.with_partners(relations)
    }

    /// `relations` (ascending) with the relations that contest them through an ancestor
    /// (the Colombia → United States order for the DNI–CIA cooperation), so that a snapshot
    /// of them flags what the whole day flags. Contests between the same two actors, and all
    /// of them rolled up to countries (where a covering restriction joins the same two
    /// countries), are among the relations read already. Adding relations of the day never
    /// changes the answer (see [`path_relations`]).
    fn with_partners(&mut self, mut relations: Vec<RelationIx>) -> Result<Vec<RelationIx>, Stop<E>> {
        if self.options.grouping == Grouping::Countries {
            return Ok(relations);
        }
        let strict = self.options.filter.strict;
        let (ds, budget) = (self.ds, self.budget);
        let (read, spent) = (&mut self.read, &mut self.spent);
        let beyond = crate::contest::beyond_pairs(ds, strict, |a, each| {
            let n = read(a, each).map_err(Stop::Failed)?;
            *spent += n;
            if *spent > budget {
                return Err(Stop::Budget);
            }
            Ok(n)
        })?;
        let has = |r: RelationIx| relations.binary_search(&r).is_ok();
        let partners: Vec<RelationIx> = beyond
            .iter()
            .filter_map(|c| {
                if has(c.cooperation) {
                    Some(c.restriction)
                } else if has(c.restriction) {
                    Some(c.cooperation)
                } else {
                    None
                }
            })
            .collect();
        relations.extend(partners);
        relations.sort_unstable();
        relations.dedup();
        Ok(relations)
    }

    /// The relations holding on the day with at least one end among `nodes`, ascending.
    fn touching(&mut self, nodes: &[ActorIx]) -> Result<Vec<RelationIx>, Stop<E>> {
        let mut relations = Vec::new();
        for &node in nodes {
            self.each_holding(node, &mut |h: Held| relations.push(h.relation))?;
        }
        relations.sort_unstable();
        relations.dedup();
        self.with_partners(relations)
    }
}

/// One side of a breadth-first search: the distance of each node reached, the nodes of
/// each level, and the links of each node expanded.
struct Side {
    dist: Vec<u32>,
    levels: Vec<Vec<ActorIx>>,
    links: std::collections::HashMap<ActorIx, Vec<ActorIx>>,
    reverse: bool,
}

impl Side {
    fn new(n: usize, start: ActorIx, reverse: bool) -> Side {
        let mut dist = vec![UNSEEN; n];
        dist[start.index()] = 0;
        Side { dist, levels: vec![vec![start]], links: Default::default(), reverse }
    }

    /// The search from `centre` up to `depth` hops: a neighbourhood's nodes, level by level.
    fn around<R, E>(search: &mut Search<'_, R>, centre: ActorIx, depth: usize) -> Result<Side, Stop<E>>
    where
        R: FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E>,
    {
        let mut side = Side::new(search.ds.actors.len(), centre, false);
        for _ in 0..depth {
            if side.frontier().is_empty() {
                break;
            }
            side.expand(search)?;
        }
        Ok(side)
    }

    fn frontier(&self) -> &[ActorIx] {
        self.levels.last().expect("a side has its start level")
    }

    /// Expands the last level: the next level is every node first reached from it.
    fn expand<R, E>(&mut self, search: &mut Search<'_, R>) -> Result<(), Stop<E>>
    where
        R: FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E>,
    {
        let level = self.levels.len() as u32;
        let mut next = Vec::new();
        for at in self.frontier().to_vec() {
            let links = search.links(at, self.reverse)?;
            for &to in &links {
                if self.dist[to.index()] == UNSEEN {
                    self.dist[to.index()] = level;
                    next.push(to);
                }
            }
            self.links.insert(at, links);
        }
        self.levels.push(next);
        Ok(())
    }

    /// Marks, level by level back to the start, the expanded nodes that link to a node
    /// already marked on the next level (`top`: the last level, already marked).
    fn mark_back(&self, top: usize, marked: &mut [bool]) {
        for k in (0..top).rev() {
            for &y in &self.levels[k] {
                let on =
                    self.links[&y].iter().any(|x| marked[x.index()] && self.dist[x.index()] == k as u32 + 1);
                if on {
                    marked[y.index()] = true;
                }
            }
        }
    }
}

fn finish<T, E>(result: Result<T, Stop<E>>) -> Result<Option<T>, E> {
    match result {
        Ok(found) => Ok(Some(found)),
        Err(Stop::Budget) => Ok(None),
        Err(Stop::Failed(e)) => Err(e),
    }
}

/// The relations that the shortest path from `from` to `to` (nodes: actors, or countries when
/// `options` rolls up) on the day needs: those holding between two nodes that lie on some
/// shortest path. `read` gives each actor's relations holding on the day. `Ok(None)` when the
/// search read more than `budget` relations (then read the whole day).
///
/// [`crate::query::path::shortest`] on a dataset of these relations (or of any relations of
/// the day that include them) gives the path that it gives on the whole day, with the same
/// edges on each hop. It searches breadth first from `from` and keeps, at each node, the
/// best path from the level before ([`crate::query::path::PathKey`]: strain, grades, ids,
/// all read from the relations between the two ends of each hop, which are all here); every
/// node that can precede a node on a shortest path is itself on one (a node one hop nearer
/// to `from` that links to it), so the best path to each node on shortest paths depends only
/// on those nodes and the links between them. Links to other nodes remain in the
/// smaller dataset (part-of hops, which come from the actors; for a diagram, the relations
/// touching the path), but distances there are never shorter than on the whole day, so no
/// such node is reached a level earlier than on the whole day and none can precede a node
/// on a shortest path. Here, the shortest paths are found by searching from both
/// ends at once: when the two searches first meet, at `a` hops from `from` and `b` from `to`,
/// the shortest path has `a + b` hops (a shorter one would have met them a level earlier).
/// Every node met is at `a` and `b` hops from the two ends: a meeting node nearer to the end
/// whose search did not just move would have been reached, one level earlier, by its
/// neighbour on the moving side, and the searches would have met then. The nodes on shortest
/// paths are those met, and the nodes that lead to them level by level on each side.
///
/// # Errors
/// What `read` returns.
pub fn path_relations<R, E>(
    ds: &Dataset,
    options: Options,
    walk: &Walk,
    from: ActorIx,
    to: ActorIx,
    read: R,
    budget: usize,
) -> Result<Option<Vec<RelationIx>>, E>
where
    R: FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E>,
{
    if from == to || walk.avoid.contains(&to) {
        // The path of no hops, or none (the target may not be entered): no relations needed.
        return Ok(Some(Vec::new()));
    }
    let mut search = Search::new(ds, options, walk, read, budget);
    let n = ds.actors.len();
    // `from` may be avoided (it is only left, not entered). The search towards `to` does not
    // enter it either: the search from `from` expands first, so the two meet one level before
    // the search towards `to` could reach `from`.
    let mut sides = [Side::new(n, from, false), Side::new(n, to, true)];
    let found = (|| loop {
        if sides.iter().any(|s| s.frontier().is_empty()) {
            return Ok(None);
        }
        // The smaller frontier is expanded (the one from `from` on a tie); the nodes it
        // reaches first that the other side has reached already are where the two meet.
        let i = usize::from(sides[1].frontier().len() < sides[0].frontier().len());
        sides[i].expand(&mut search)?;
        let [this, other] = if i == 0 { [&sides[0], &sides[1]] } else { [&sides[1], &sides[0]] };
        let met: Vec<ActorIx> =
            this.frontier().iter().copied().filter(|x| other.dist[x.index()] != UNSEEN).collect();
        if !met.is_empty() {
            debug_assert!(met
                .iter()
                .all(|x| sides.iter().all(|s| s.dist[x.index()] == s.dist[met[0].index()])));
            let mut marked = vec![false; n];
            for x in &met {
                marked[x.index()] = true;
            }
            for side in &sides {
                // Each side's levels up to the meeting nodes' distance from its start.
                let top = side.dist[met[0].index()] as usize;
                side.mark_back(top, &mut marked);
            }
            let nodes: Vec<ActorIx> = (0..n as u32).map(ActorIx).filter(|a| marked[a.index()]).collect();
            return search.among(&nodes, &marked).map(Some);
        }
    })();
    // No path: the search proved it, and the answer needs no relations.
    finish(found).map(|found| found.map(Option::unwrap_or_default))
}

/// The relations holding on the day between two nodes within `depth` hops of `centre`: what
/// [`crate::query::neighbours::around`] needs. Its nodes are found by a breadth-first search
/// with the same links as the snapshot's, and a node's distance from the centre is the same
/// among these relations, as a shortest way to it passes only through nearer nodes. `Ok(None)`
/// when the search read more than `budget` relations (then read the whole day).
///
/// # Errors
/// What `read` returns.
pub fn neighbourhood_relations<R, E>(
    ds: &Dataset,
    options: Options,
    walk: &Walk,
    centre: ActorIx,
    depth: usize,
    read: R,
    budget: usize,
) -> Result<Option<Vec<RelationIx>>, E>
where
    R: FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E>,
{
    let mut search = Search::new(ds, options, walk, read, budget);
    finish((|| {
        let side = Side::around(&mut search, centre, depth)?;
        let mut inside = vec![false; ds.actors.len()];
        let nodes: Vec<ActorIx> = side.levels.iter().flatten().copied().collect();
        for a in &nodes {
            inside[a.index()] = true;
        }
        search.among(&nodes, &inside)
    })())
}

/// The nodes within `depth` hops of `centre` (with their distances): the actors of
/// [`crate::query::neighbours::around`], found by the same search as
/// [`neighbourhood_relations`] without reading the relations among them. `Ok(None)` when the
/// search read more than `budget` relations.
///
/// # Errors
/// What `read` returns.
pub fn neighbourhood_nodes<R, E>(
    ds: &Dataset,
    options: Options,
    walk: &Walk,
    centre: ActorIx,
    depth: usize,
    read: R,
    budget: usize,
) -> Result<Option<Vec<(ActorIx, usize)>>, E>
where
    R: FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E>,
{
    let mut search = Search::new(ds, options, walk, read, budget);
    finish((|| {
        let side = Side::around(&mut search, centre, depth)?;
        Ok(side.levels.iter().enumerate().flat_map(|(d, level)| level.iter().map(move |&a| (a, d))).collect())
    })())
}

/// The relations holding on the day with at least one end among `nodes` (actors, or countries
/// when `options` rolls up): every edge of the day's snapshot that touches them. `Ok(None)`
/// when that is more than `budget` relations read.
///
/// # Errors
/// What `read` returns.
pub fn touching_relations<R, E>(
    ds: &Dataset,
    options: Options,
    nodes: &[ActorIx],
    read: R,
    budget: usize,
) -> Result<Option<Vec<RelationIx>>, E>
where
    R: FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E>,
{
    let walk = Walk::default();
    let mut search = Search::new(ds, options, &walk, read, budget);
    finish(search.touching(nodes))
}

#[cfg(test)]
mod tests {
    //! On random datasets, days, snapshot options and walks: a path or a neighbourhood taken
    //! on a dataset of only the relations these searches choose is written out exactly as the
    //! one taken on the whole day (text, CSV and JSON; for a path, also the diagram of its
    //! surroundings), unless the search gave up for its budget. And a snapshot taken source by
    //! source from each actor's relations (`snapshot::stream`, which reads them the same way)
    //! writes the edges CSV and counts of the snapshot taken whole.

    use std::collections::HashSet;

    use proptest::prelude::*;
    use proptest::sample::Index as Pick;

    use super::*;
    use crate::date::{Day, PartialDate, Span};
    use crate::export::dot::{self, Highlight};
    use crate::export::{csv, json, text};
    use crate::model::{
        Actor, ActorKind, Notes, Relation, RelationId, RelationKind, Reliability, Source, SourceIx,
    };
    use crate::query::network::Follow;
    use crate::query::{neighbours, path};
    use crate::snapshot::{ActorScope, Filter, Snapshot};

    /// (source, target, kind, directed, start year and day of year, days to the end, the
    /// precision of the start and of the end: 0 year, 1 month, 2 day).
    type RelationCase = (Pick, Pick, usize, bool, (i16, u16), Option<u16>, (u8, u8));

    #[derive(Debug, Clone)]
    struct Case {
        /// Each actor's parent, an earlier actor (`None` for the first).
        parents: Vec<Option<Pick>>,
        relations: Vec<RelationCase>,
        day: (i16, u16),
        kinds: u8,
        strict: bool,
        countries: bool,
        forward: bool,
        part_of: bool,
        avoid: Vec<Pick>,
        ends: (Pick, Pick),
        depth: usize,
        budget: usize,
    }

    fn case() -> impl Strategy<Value = Case> {
        let year_day = (2000i16..2004, 0u16..365);
        (
            proptest::collection::vec(proptest::option::weighted(0.25, any::<Pick>()), 2..30),
            proptest::collection::vec(
                (
                    any::<Pick>(),
                    any::<Pick>(),
                    0usize..4,
                    any::<bool>(),
                    year_day.clone(),
                    proptest::option::weighted(0.6, 1u16..1000),
                    (0u8..3, 0u8..3),
                ),
                0..150,
            ),
            year_day,
            (1u8..16, any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
            proptest::collection::vec(any::<Pick>(), 0..3),
            (any::<Pick>(), any::<Pick>(), 1usize..4),
            prop_oneof![4 => Just(usize::MAX), 1 => 0usize..200],
        )
            .prop_map(
                |(
                    parents,
                    relations,
                    day,
                    (kinds, strict, countries, forward, part_of),
                    avoid,
                    (a, b, depth),
                    budget,
                )| {
                    Case {
                        parents,
                        relations,
                        day,
                        kinds,
                        strict,
                        countries,
                        forward,
                        part_of,
                        avoid,
                        ends: (a, b),
                        depth,
                        budget,
                    }
                },
            )
    }

    fn day((year, offset): (i16, u16)) -> Day {
        Day::new(year, 1, 1).unwrap().checked_add(jiff::Span::new().days(i64::from(offset))).unwrap()
    }

    fn dataset(case: &Case) -> Dataset {
        let n = case.parents.len();
        let actors: Vec<Actor> = (0..n)
            .map(|i| {
                let id: Box<str> = format!("A{:02}", (i * 7) % n).into();
                Actor {
                    name: id.clone(),
                    id,
                    kind: ActorKind::Country,
                    parent: case.parents[i].filter(|_| i > 0).map(|p| ActorIx(p.index(i) as u32)),
                    aliases: Box::default(),
                }
            })
            .collect();
        let relations = case
            .relations
            .iter()
            .enumerate()
            .map(|(line, &(s, t, kind, directed, start, days, (p, q)))| {
                let source = s.index(n);
                let target = (source + 1 + t.index(n - 1)) % n;
                // Coarser dates make relations `possible` on some days.
                let at = |d: Day, precision: u8| {
                    let text = match precision {
                        0 => format!("{:04}", d.year()),
                        1 => format!("{:04}-{:02}", d.year(), d.month()),
                        _ => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
                    };
                    PartialDate::parse(&text).unwrap()
                };
                let start = at(day(start), p);
                let end = days
                    .map(|y| at(start.first().checked_add(jiff::Span::new().days(i64::from(y))).unwrap(), q))
                    .filter(|&end| Span::new(start, Some(end)).is_ok());
                Relation {
                    id: RelationId::Line(line as u32 + 2),
                    source: ActorIx(source as u32),
                    target: ActorIx(target as u32),
                    kind: RelationKind::ALL[kind],
                    directed,
                    start,
                    end,
                    span: Span::new(start, end).unwrap(),
                    // Graded sources, so that paths of one length differ by grade too.
                    notes: Notes::new(vec![SourceIx((line * 5 % SOURCES) as u32)], Box::default()),
                    credibility: None,
                }
            })
            .collect();
        // A source of each reliability and one ungraded.
        const SOURCES: usize = Reliability::ALL.len() + 1;
        let sources = (0..SOURCES)
            .map(|i| Source {
                id: format!("S{i}").into(),
                title: Box::default(),
                publisher: Box::default(),
                published: None,
                url: Box::default(),
                reliability: Reliability::ALL.get(i).copied(),
            })
            .collect();
        Dataset::new(actors, sources, relations)
    }

    /// What `path` writes: text, CSV, JSON and the diagram of the path's surroundings.
    fn path_answer(snap: &Snapshot<'_>, walk: &Walk, from: ActorIx, to: ActorIx) -> Vec<u8> {
        let mut out = Vec::new();
        let found: Vec<_> = path::shortest(snap, walk, from, to).into_iter().collect();
        if found.is_empty() {
            // `georel path` says so and writes nothing.
            return b"none".to_vec();
        }
        text::paths(snap, &found, &mut out).unwrap();
        csv::paths(snap, &found, &mut out).unwrap();
        json::paths(snap, &found, false, &mut out).unwrap();
        let on_path: HashSet<ActorIx> = found.iter().flat_map(|p| &p.actors).copied().collect();
        let context: Vec<usize> = (0..snap.edges.len())
            .filter(|&i| on_path.contains(&snap.edges[i].source) || on_path.contains(&snap.edges[i].target))
            .collect();
        let sub = snap.restrict(&context, &on_path.iter().copied().collect::<Vec<_>>());
        let highlight =
            Highlight { edges: None, nodes: on_path, title: Some(String::new()), ..Highlight::default() };
        dot::write_highlighted(&sub, &highlight, &mut out).unwrap();
        out
    }

    /// What `neighbours` writes: text, CSV and JSON.
    fn neighbourhood_answer(snap: &Snapshot<'_>, walk: &Walk, centre: ActorIx, depth: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let hood = neighbours::around(snap, walk, centre, depth);
        let actors: Vec<_> = hood.actors.iter().map(|&(a, _)| a).collect();
        let sub = snap.restrict(&hood.edges, &actors);
        text::neighbours(&sub, &hood, &mut out).unwrap();
        csv::neighbours(&sub, &hood, &mut out).unwrap();
        json::neighbours(&sub, &hood, &mut out).unwrap();
        out
    }

    /// Each actor's relations, as an index lists them.
    /// The dataset with ids and notes that a CSV file must quote or neutralise: commas,
    /// quotes, line breaks, leading `=`/`-`/`@`, named relation ids and sources.
    fn awkward(ds: Dataset) -> Dataset {
        let marks = ["=", "a,", "q\"", "-", "l\n", " ", "@", "\r", ""];
        let actors = ds
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| Actor { id: format!("{}{}", marks[i % marks.len()], a.id).into(), ..a.clone() })
            .collect();
        let sources = ["s,1", "=s2", "s\"3"]
            .iter()
            .map(|id| crate::model::Source {
                id: (*id).into(),
                title: "".into(),
                publisher: "".into(),
                published: None,
                url: "".into(),
                reliability: None,
            })
            .collect();
        let relations = ds
            .relations
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut r = r.clone();
                if i % 3 == 0 {
                    r.id = RelationId::Named(format!("{}r{i}", marks[i % marks.len()]).into());
                }
                let evidence: Vec<crate::model::SourceIx> =
                    (0..i % 4).map(|s| crate::model::SourceIx((s % 3) as u32)).collect();
                let summary = format!("{}said \"x\", y", marks[(i / 2) % marks.len()]);
                r.notes = Notes::new(evidence, if i % 5 == 0 { "".into() } else { summary.into() });
                r
            })
            .collect();
        Dataset::new(actors, sources, relations)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        #[test]
        fn a_snapshot_streamed_by_source_is_the_snapshot(
            case in case(),
            all in any::<bool>(),
            chunk in 1usize..40,
            awkward_text in any::<bool>(),
        ) {
            let whole = dataset(&case);
            let on = day(case.day);
            let kinds = RelationKind::ALL
                .into_iter()
                .enumerate()
                .filter(|(i, _)| case.kinds & (1 << i) != 0)
                .map(|(_, k)| k)
                .collect();
            let options = Options {
                filter: Filter { kinds, strict: case.strict },
                scope: if all { ActorScope::All } else { ActorScope::Connected },
                grouping: Grouping::Actors,
            };
            let whole = if awkward_text { awkward(whole) } else { whole };
            let incident = crate::snapshot::Incident::of(&whole, on);
            let mut streamed = Vec::new();
            // In runs of `chunk` sources, one after the other, as `georel snapshot` takes them.
            csv::write_edge_header(&mut streamed).unwrap();
            let mut counts = crate::snapshot::Counts::default();
            let cells = csv::ActorCells::of(&whole);
            let beyond = crate::contest::beyond_pairs(&whole, case.strict, |a, each| {
                Ok::<_, ()>(incident.holding(a, each))
            })
            .unwrap();
            let beyond = crate::contest::contested(&beyond);
            for run in crate::snapshot::sources(&whole).chunks(chunk) {
                let mut rows = csv::EdgeStream::new(&mut streamed, &cells);
                counts += crate::snapshot::stream(
                    &whole,
                    options,
                    run,
                    &beyond,
                    |a, each| Ok::<_, ()>(incident.holding(a, each)),
                    |wanted, out| {
                        whole.copy_relations(wanted, out);
                        Ok(())
                    },
                    |edges| {
                        rows.rows(&whole, edges);
                        Ok::<(), ()>(())
                    },
                )
                .unwrap();
            }
            let snap = Snapshot::at(&whole, on, options);
            let mut expected = Vec::new();
            csv::write_edges(&snap, &mut expected).unwrap();
            prop_assert_eq!(String::from_utf8(streamed).unwrap(), String::from_utf8(expected).unwrap());
            prop_assert_eq!(counts.nodes, snap.nodes.len());
            prop_assert_eq!(counts.edges, snap.edges.len());
            prop_assert_eq!(counts.possible, snap.possible_count());
            prop_assert_eq!(counts.contested, snap.contested_count());
        }

        #[test]
        fn the_relations_found_answer_as_the_whole_day(case in case()) {
            let whole = dataset(&case);
            let n = whole.actors.len();
            let on = day(case.day);
            let options = Options {
                filter: Filter {
                    kinds: RelationKind::ALL
                        .into_iter()
                        .enumerate()
                        .filter(|(i, _)| case.kinds & (1 << i) != 0)
                        .map(|(_, k)| k)
                        .collect(),
                    strict: case.strict,
                },
                scope: ActorScope::Connected,
                grouping: if case.countries { Grouping::Countries } else { Grouping::Actors },
            };
            let unit = |p: Pick| options.grouping.unit(&whole, ActorIx(p.index(n) as u32));
            let walk = Walk {
                direction: if case.forward { Follow::Forward } else { Follow::Both },
                part_of: case.part_of,
                avoid: case.avoid.iter().map(|&p| unit(p)).collect(),
            };
            let (from, to) = (unit(case.ends.0), unit(case.ends.1));

            let incident = crate::snapshot::Incident::of(&whole, on);
            let read = |a: ActorIx, each: &mut dyn FnMut(Held)| Ok::<_, ()>(incident.holding(a, each));
            let part = |relations: &[RelationIx]| {
                let mut ds = Dataset::cut(whole.actors.clone(), whole.sources.clone(), Vec::new(), on);
                let relations = relations.iter().map(|&r| whole.relation(r).clone()).collect();
                ds = ds.recut(relations, on);
                ds
            };
            let full = Snapshot::at(&whole, on, options);
            let people = part(&[]);

            if let Some(mut relations) = path_relations(&people, options, &walk, from, to, read, case.budget).unwrap() {
                // As `georel path` does for a diagram: add every relation touching the path.
                let found = {
                    let ds = part(&relations);
                    let snap = Snapshot::at(&ds, on, options);
                    path::shortest(&snap, &walk, from, to).map(|p| p.actors)
                };
                if let Some(on_path) = found {
                    if let Some(more) = touching_relations(&people, options, &on_path, read, usize::MAX).unwrap() {
                        relations.extend(more);
                        relations.sort_unstable();
                        relations.dedup();
                    }
                }
                let ds = part(&relations);
                let snap = Snapshot::at(&ds, on, options);
                prop_assert_eq!(
                    String::from_utf8(path_answer(&snap, &walk, from, to)).unwrap(),
                    String::from_utf8(path_answer(&full, &walk, from, to)).unwrap()
                );
            }
            if let Some(relations) =
                neighbourhood_relations(&people, options, &walk, from, case.depth, read, case.budget).unwrap()
            {
                let ds = part(&relations);
                let snap = Snapshot::at(&ds, on, options);
                prop_assert_eq!(
                    String::from_utf8(neighbourhood_answer(&snap, &walk, from, case.depth)).unwrap(),
                    String::from_utf8(neighbourhood_answer(&full, &walk, from, case.depth)).unwrap()
                );
            }
            if let Some(mut nodes) =
                neighbourhood_nodes(&people, options, &walk, from, case.depth, read, case.budget).unwrap()
            {
                let mut expected = neighbours::around(&full, &walk, from, case.depth).actors;
                nodes.sort_unstable();
                expected.sort_unstable();
                prop_assert_eq!(nodes, expected);
            }
        }
    }
}
