//! Contests: a cooperation and a restriction that covers it, holding together. This is the one
//! place where the rule is written; snapshot flags, `conflicts`, `path` and `neighbours`,
//! `diff`, `timeline` periods and `--by-country` (which rolls up the contests found actor by
//! actor) all ask it.
//!
//! An actor is *within* another when it is that actor or a descendant of it (the `parent`
//! chain). A restriction from A to B **covers** the ordered pair (a, b) for every a within A
//! and b within B, and also every (a, b) with a within B and b within A when it is mutual. A
//! cooperation between a and b is **contested** when it holds together with a restriction that
//! covers (a, b), or (b, a) when the cooperation is mutual; the restriction is contested too.
//! A restriction narrower than the cooperation (the AIVD restricting sharing with the United
//! States while the Netherlands and the United States cooperate) covers nothing of it: a
//! part may hold back while the whole cooperates. A dispute is never contested.

use crate::date::{Span, Status, Window};
use crate::model::{ActorIx, Dataset, Held, RelationIx, RelationKind};

/// A cooperation and a restriction that covers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Contest {
    pub cooperation: RelationIx,
    pub restriction: RelationIx,
}

/// Which orientations of its pair a relation between `x` and another actor speaks of, seen
/// from `x`: bit 0 for (x, other), bit 1 for (other, x). A mutual relation speaks of both.
fn sides(h: &Held, x: ActorIx) -> u8 {
    if !h.directed {
        3
    } else if h.source == x {
        1
    } else {
        2
    }
}

/// What the relations between `x` and one other actor say about contests between the two
/// themselves (the case of the rule where the restriction and the cooperation join the same
/// two actors), built up one relation at a time: what a snapshot streamed actor by actor
/// decides from an actor's own relations. Bits 0–1: a cooperation speaks of (x, o), (o, x);
/// bits 2–3: a restriction covers (x, o), (o, x).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SamePair(pub u8);

impl SamePair {
    /// Adds a relation between `x` and the other actor.
    #[inline]
    pub fn add(&mut self, h: &Held, x: ActorIx) {
        self.0 |= match h.kind {
            RelationKind::Cooperation => sides(h, x),
            RelationKind::Restriction => sides(h, x) << 2,
            RelationKind::Dispute | RelationKind::Membership => 0,
        };
    }

    /// Whether `h`, one of the relations added, is contested by another of them.
    #[inline]
    pub fn contests(self, h: &Held, x: ActorIx) -> bool {
        match h.kind {
            RelationKind::Cooperation => (sides(h, x) << 2) & self.0 != 0,
            RelationKind::Restriction => sides(h, x) & self.0 != 0,
            RelationKind::Dispute | RelationKind::Membership => false,
        }
    }
}

/// No actor.
const NONE: u32 = u32::MAX;
/// Not worked out yet.
const UNKNOWN: u32 = u32::MAX - 1;

/// For a set of actors (the ends of some restrictions), each actor's nearest ancestor-or-self
/// in the set: so that an actor's covering ancestors are walked without the others.
struct Ancestry {
    /// The nearest actor in the set among the actor and its ancestors; `NONE` when none is.
    nearest: Vec<u32>,
    /// Each actor's entry and exit in a depth-first walk of the parent forest: `b` is within
    /// `a` when `a`'s interval holds `b`'s (`NONE`: never entered).
    enter: Vec<u32>,
    exit: Vec<u32>,
}

impl Ancestry {
    /// O(actors) whatever the depth: each chain is walked up to the first actor in the set
    /// or already worked out, and every actor on the way is given the answer.
    fn of(ds: &Dataset, in_set: &[bool]) -> Ancestry {
        let n = ds.actors.len();
        let mut nearest = vec![UNKNOWN; n];
        let mut path = Vec::new();
        for start in 0..n {
            let mut at = start;
            let found = loop {
                if nearest[at] != UNKNOWN {
                    break nearest[at];
                }
                if in_set[at] {
                    nearest[at] = at as u32;
                    break at as u32;
                }
                path.push(at);
                match Self::parent(ds, ActorIx(at as u32)) {
                    Some(p) => at = p.index(),
                    None => break NONE,
                }
            };
            for p in path.drain(..) {
                nearest[p] = found;
            }
        }
        // The depth-first walk, with a stack of its own rather than recursion: a chain may be
        // 200,000 deep.
        let (mut enter, mut exit) = (vec![NONE; n], vec![NONE; n]);
        let mut clock = 0u32;
        let mut stack: Vec<(ActorIx, usize)> = Vec::new();
        for root in (0..n as u32).map(ActorIx).filter(|&a| Self::parent(ds, a).is_none()) {
            enter[root.index()] = clock;
            clock += 1;
            stack.push((root, 0));
            while let Some((a, next)) = stack.last_mut() {
                let (a, children) = (*a, ds.children(*a));
                if let Some(&child) = children.get(*next) {
                    *next += 1;
                    if enter[child.index()] == NONE && Self::parent(ds, child) == Some(a) {
                        enter[child.index()] = clock;
                        clock += 1;
                        stack.push((child, 0));
                    }
                } else {
                    exit[a.index()] = clock;
                    stack.pop();
                }
            }
        }
        Ancestry { nearest, enter, exit }
    }

    /// Whether `b` is `a` or a descendant of it.
    fn holds(&self, a: ActorIx, b: ActorIx) -> bool {
        let (ea, eb) = (self.enter[a.index()], self.enter[b.index()]);
        ea != NONE && eb != NONE && ea <= eb && self.exit[b.index()] <= self.exit[a.index()]
    }

    /// The parent, unless the actor is the top of its chain (which, on a parent cycle, is
    /// where the loader cut it).
    fn parent(ds: &Dataset, a: ActorIx) -> Option<ActorIx> {
        if ds.top_parent(a) == a {
            None
        } else {
            ds.actor(a).parent
        }
    }

    /// The actor's ancestors-or-self in the set, nearest first.
    fn walk<'a>(&'a self, ds: &'a Dataset, a: ActorIx) -> impl Iterator<Item = ActorIx> + 'a {
        let mut at = self.nearest[a.index()];
        std::iter::from_fn(move || {
            if at == NONE {
                return None;
            }
            let here = ActorIx(at);
            at = Self::parent(ds, here).map_or(NONE, |p| self.nearest[p.index()]);
            Some(here)
        })
    }
}

/// Restrictions by the ordered pair (A, B) they cover from (a mutual one under both orders).
struct Covering {
    /// Restrictions covering from A: `entries[offsets[A]..offsets[A + 1]]`, sorted by B.
    offsets: Vec<u32>,
    entries: Vec<(ActorIx, RelationIx)>,
    ancestry: Ancestry,
}

impl Covering {
    fn of<'h>(ds: &Dataset, restrictions: impl Iterator<Item = &'h Held> + Clone) -> Covering {
        let n = ds.actors.len();
        let mut offsets = vec![0u32; n + 1];
        let mut in_set = vec![false; n];
        let oriented = |h: &'h Held| {
            std::iter::once((h.source, h.target)).chain((!h.directed).then_some((h.target, h.source)))
        };
        for h in restrictions.clone() {
            for (a, b) in oriented(h) {
                offsets[a.index() + 1] += 1;
                in_set[a.index()] = true;
                in_set[b.index()] = true;
            }
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut next = offsets.clone();
        let mut entries = vec![(ActorIx(0), RelationIx(0)); offsets[n] as usize];
        for h in restrictions {
            for (a, b) in oriented(h) {
                let slot = &mut next[a.index()];
                entries[*slot as usize] = (b, h.relation);
                *slot += 1;
            }
        }
        for w in offsets.windows(2) {
            entries[w[0] as usize..w[1] as usize].sort_unstable();
        }
        Covering { offsets, entries, ancestry: Ancestry::of(ds, &in_set) }
    }

    /// The restrictions covering from `a` itself, by the actor they cover to.
    fn from(&self, a: ActorIx) -> &[(ActorIx, RelationIx)] {
        &self.entries[self.offsets[a.index()] as usize..self.offsets[a.index() + 1] as usize]
    }

    /// Calls `each` with every restriction covering the ordered pair (a, b).
    ///
    /// Cost: for each of a's ancestors-or-self A that covers anything, the smaller of its k_A
    /// restrictions (each checked for holding b, O(1)) and d_b binary searches among them (one
    /// for each of b's ancestors-or-self that is covered by any): O(d_a + d_b + Σ_A min(k_A,
    /// d_b log k_A)), where d counts only the actors on the chain that are ends of
    /// restrictions (usually 1 or 2, however deep the chain). Two chains 200,000 deep that
    /// restrict each other level by level cost their restrictions, not their product.
    fn covering(&self, ds: &Dataset, a: ActorIx, b: ActorIx, each: &mut impl FnMut(RelationIx)) {
        let mut depth_b: Option<usize> = None;
        for big_a in self.ancestry.walk(ds, a) {
            let (from, to) = (self.offsets[big_a.index()] as usize, self.offsets[big_a.index() + 1] as usize);
            if from == to {
                continue;
            }
            let list = &self.entries[from..to];
            let d_b = *depth_b.get_or_insert_with(|| self.ancestry.walk(ds, b).count());
            if d_b == 0 {
                return;
            }
            if list.len() <= d_b {
                for &(big_b, r) in list {
                    if self.ancestry.holds(big_b, b) {
                        each(r);
                    }
                }
                continue;
            }
            for big_b in self.ancestry.walk(ds, b) {
                let from = list.partition_point(|&(t, _)| t < big_b);
                for &(_, r) in list[from..].iter().take_while(|&&(t, _)| t == big_b) {
                    each(r);
                }
            }
        }
    }
}

/// Every contest among `relations`, whenever they hold (time is not looked at): each
/// cooperation with each restriction that covers it. Sorted, each once. Other kinds are
/// ignored.
///
/// Cost: O(actors + n log n) for n relations, plus the walks of [`Covering::covering`]: no
/// cooperation is compared with a restriction that does not cover it.
pub fn candidates(ds: &Dataset, relations: &[Held]) -> Vec<Contest> {
    // No hierarchy (event data at scale): a pair is covered by the restrictions between its
    // own two actors only.
    let flat = ds.actors.iter().all(|a| a.parent.is_none());
    let paired;
    let relations = if flat {
        paired = sharing_pairs(relations);
        &paired[..]
    } else {
        relations
    };
    let restrictions = relations.iter().filter(|h| h.kind == RelationKind::Restriction);
    if restrictions.clone().next().is_none() {
        return Vec::new();
    }
    let covering = Covering::of(ds, restrictions);
    // The ordered pairs to look up, grouped by their first actor (a counting sort): asked in
    // dataset order, every look-up read a list at random (at 10 million relations, a third
    // of `conflicts` over all time went to missing the cache, even with a filter of the
    // pairs covered in front of the lists); grouped, each list is read while it is in the
    // cache. Pairs whose first actor has no covering ancestor are left out: nothing covers
    // them.
    let covered_from = |a: ActorIx| covering.ancestry.nearest[a.index()] != NONE;
    let asked = |c: &Held| {
        let (s, t) = (c.source, c.target);
        [(s, t), (t, s)]
            .into_iter()
            .take(if c.directed { 1 } else { 2 })
            .filter(move |&(a, _)| covered_from(a))
    };
    let cooperations = || relations.iter().filter(|h| h.kind == RelationKind::Cooperation);
    let n = ds.actors.len();
    let mut start = vec![0usize; n + 1];
    for c in cooperations() {
        for (a, _) in asked(c) {
            start[a.index() + 1] += 1;
        }
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    // Each actor's pairs: the other actor and the cooperation.
    let mut queries = vec![(ActorIx(0), RelationIx(0)); start[n]];
    let mut next = start.clone();
    for c in cooperations() {
        for (a, b) in asked(c) {
            queries[next[a.index()]] = (b, c.relation);
            next[a.index()] += 1;
        }
    }
    drop(next);
    // Without a hierarchy, a pair's restrictions are found in its first actor's list without
    // walking ancestors.
    let mut found = Vec::new();
    for (a, w) in start.windows(2).enumerate().filter(|(_, w)| w[0] < w[1]) {
        let a = ActorIx(a as u32);
        for &(b, cooperation) in &queries[w[0]..w[1]] {
            let mut push = |r| found.push(Contest { cooperation, restriction: r });
            if flat {
                let list = covering.from(a);
                let at = list.partition_point(|&(t, _)| t < b);
                list[at..].iter().take_while(|&&(t, _)| t == b).for_each(|&(_, r)| push(r));
            } else {
                covering.covering(ds, a, b, &mut push);
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// Of `relations`, the cooperations and restrictions between two actors that a relation of the
/// other kind joins too (in either direction): without a hierarchy, the only ones that can take
/// part in a contest. Found with two bitmaps of the pairs (unordered, hashed): the pairs of
/// the restrictions, then those of the cooperations found there; a false hit only keeps a
/// relation that the look-ups then find uncontested. On a day at 10 million relations, 3
/// million cooperations and restrictions hold, of which 2% are contested: grouping them all
/// by actor for the look-ups was most of the time of `conflicts --at` (see BENCHMARKS.md).
fn sharing_pairs(relations: &[Held]) -> Vec<Held> {
    let restrictions = relations.iter().filter(|h| h.kind == RelationKind::Restriction).count();
    // From 8 bits for each restriction's pair: about a tenth of false hits, and at 10 million
    // relations bitmaps of 1–2 MB, which stay in the cache as they are read at random.
    let bits = (restrictions * 8).next_power_of_two().max(64);
    let shift = 64 - bits.trailing_zeros();
    let slot = |h: &Held| {
        let (a, b) = (h.source.0.min(h.target.0), h.source.0.max(h.target.0));
        let pair = (u64::from(a) << 32) | u64::from(b);
        (pair.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
    };
    let has = |map: &[u64], i: usize| map[i / 64] & (1 << (i % 64)) != 0;
    let mut restricted = vec![0u64; bits / 64];
    for h in relations.iter().filter(|h| h.kind == RelationKind::Restriction) {
        let i = slot(h);
        restricted[i / 64] |= 1 << (i % 64);
    }
    // The cooperations found there, and their pairs.
    let mut cooperating = vec![0u64; bits / 64];
    let kept: Vec<bool> = relations
        .iter()
        .map(|h| {
            if h.kind != RelationKind::Cooperation {
                return false;
            }
            let i = slot(h);
            let hit = has(&restricted, i);
            if hit {
                cooperating[i / 64] |= 1 << (i % 64);
            }
            hit
        })
        .collect();
    relations
        .iter()
        .zip(kept)
        .filter(|&(h, kept)| kept || (h.kind == RelationKind::Restriction && has(&cooperating, slot(h))))
        .map(|(h, _)| *h)
        .collect()
}

/// Whether two relations hold together on some day of `window`: `Active` when both are
/// active on a common day, `Possible` when they may both hold on one but are never both
/// active then. With `strict`, only `Active` counts.
pub fn together(c: &Span, r: &Span, window: Window, strict: bool) -> Option<Status> {
    let meet = |from: [crate::date::Day; 3], until: [crate::date::Day; 3]| {
        let from = from.into_iter().max().expect("three days");
        let until = until.into_iter().min().expect("three days");
        from < until
    };
    let (first, after) = (window.first, window.after());
    if meet([c.active_from, r.active_from, first], [c.active_until, r.active_until, after]) {
        Some(Status::Active)
    } else if !strict
        && meet([c.possible_from, r.possible_from, first], [c.possible_until, r.possible_until, after])
    {
        Some(Status::Possible)
    } else {
        None
    }
}

/// The contests in `window` among `holding` (relations that hold in it; with `strict`, that
/// are active in it): each cooperation with each restriction that covers it and holds on a
/// common day of the window, so that a window's contests are the union of its days'. Sorted.
pub fn in_window(ds: &Dataset, holding: &[Held], window: Window, strict: bool) -> Vec<Contest> {
    let mut found = candidates(ds, holding);
    // On one day, everything given holds on it, together.
    if window.as_day().is_none() {
        found.retain(|c| {
            let span = |r: RelationIx| &ds.relation(r).span;
            together(span(c.cooperation), span(c.restriction), window, strict).is_some()
        });
    }
    found
}

/// The relations taking part in some contest, sorted, each once.
pub fn contested(contests: &[Contest]) -> Vec<RelationIx> {
    let mut out: Vec<RelationIx> = contests.iter().flat_map(|c| [c.cooperation, c.restriction]).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The contests on a day through a restriction between other actors than the cooperation's
/// own two (an ancestor of one end or both; a few same-pair ones may come along), for the
/// searches that read the day actor by actor: a streamed snapshot ([`SamePair`] finds the
/// rest from each actor's own relations), and a path or a neighbourhood read from an index. `read` gives the
/// relations touching an actor that hold on the day (as [`crate::snapshot::stream`] reads
/// them); with `strict` only the active ones count.
///
/// Reads the relations of every actor that has dependants (to find the restrictions that
/// could cover someone else's pair), and only when there are any, those of every actor
/// below the ends of those restrictions: nothing more when no actor has a parent (event data
/// at scale), and about the actors in hierarchies otherwise.
///
/// # Errors
/// What `read` returns.
pub fn beyond_pairs<E>(
    people: &Dataset,
    strict: bool,
    mut read: impl FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E>,
) -> Result<Vec<Contest>, E> {
    let n = people.actors.len();
    let keep = |h: &Held| !strict || h.status == Status::Active;
    let mut relations: Vec<Held> = Vec::new();
    for a in (0..n as u32).map(ActorIx).filter(|&a| !people.children(a).is_empty()) {
        read(a, &mut |h: Held| {
            if h.kind == RelationKind::Restriction && keep(&h) {
                relations.push(h);
            }
        })?;
    }
    if relations.is_empty() {
        return Ok(Vec::new());
    }
    relations.sort_unstable_by_key(|h| h.relation);
    relations.dedup_by_key(|h| h.relation);
    // The cooperations that such a restriction could cover: an end is strictly below one of
    // its ends.
    let mut is_end = vec![false; n];
    for h in &relations {
        is_end[h.source.index()] = true;
        is_end[h.target.index()] = true;
    }
    let ancestry = Ancestry::of(people, &is_end);
    let below = |a: ActorIx| Ancestry::parent(people, a).is_some_and(|p| ancestry.nearest[p.index()] != NONE);
    let restrictions = relations.len();
    for a in (0..n as u32).map(ActorIx).filter(|&a| below(a)) {
        read(a, &mut |h: Held| {
            if h.kind == RelationKind::Cooperation && keep(&h) {
                relations.push(h);
            }
        })?;
    }
    relations[restrictions..].sort_unstable_by_key(|h| h.relation);
    let mut cooperations = relations.split_off(restrictions);
    cooperations.dedup_by_key(|h| h.relation);
    relations.append(&mut cooperations);
    Ok(candidates(people, &relations))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::PartialDate;
    use crate::model::{Actor, ActorKind, Notes, Relation, RelationId};
    use proptest::prelude::*;

    /// Actors 0..parents.len() with the given parents.
    fn actors(parents: &[Option<usize>]) -> Vec<Actor> {
        parents
            .iter()
            .enumerate()
            .map(|(i, p)| Actor {
                id: format!("A{i:02}").into(),
                name: format!("A{i:02}").into(),
                kind: ActorKind::Agency,
                parent: p.map(|p| ActorIx(p as u32)),
                aliases: Box::new([]),
            })
            .collect()
    }

    /// A relation (kind, source, target, directed, start year, end year).
    type Spec = (RelationKind, usize, usize, bool, i16, Option<i16>);

    fn dataset(parents: &[Option<usize>], specs: &[Spec]) -> Dataset {
        let relations = specs
            .iter()
            .enumerate()
            .map(|(i, &(kind, s, t, directed, start, end))| {
                let start = PartialDate::parse(&start.to_string()).unwrap();
                let end = end.map(|e| PartialDate::parse(&e.to_string()).unwrap());
                Relation {
                    id: RelationId::Named(format!("R{i}").into()),
                    source: ActorIx(s as u32),
                    target: ActorIx(t as u32),
                    kind,
                    directed,
                    start,
                    end,
                    span: Span::new(start, end).unwrap(),
                    notes: Notes::default(),
                    credibility: None,
                }
            })
            .collect();
        Dataset::new(actors(parents), Vec::new(), relations)
    }

    fn held(ds: &Dataset, window: Window, strict: bool) -> Vec<Held> {
        ds.relations
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let status = r.span.status_in(window)?;
                (!strict || status == Status::Active).then_some(Held {
                    relation: RelationIx(i as u32),
                    source: r.source,
                    target: r.target,
                    kind: r.kind,
                    directed: r.directed,
                    status,
                })
            })
            .collect()
    }

    /// Section 1 read word for word: within, covers, contested on a common day.
    fn brute(ds: &Dataset, window: Window, strict: bool) -> Vec<Contest> {
        let within = |mut a: ActorIx, big: ActorIx| loop {
            if a == big {
                return true;
            }
            match ds.actor(a).parent {
                Some(p) => a = p,
                None => return false,
            }
        };
        let covers = |r: &Relation, a, b| {
            (within(a, r.source) && within(b, r.target))
                || (!r.directed && within(a, r.target) && within(b, r.source))
        };
        let mut out = Vec::new();
        for (ci, c) in ds.relations.iter().enumerate().filter(|(_, c)| c.kind == RelationKind::Cooperation) {
            for (ri, r) in
                ds.relations.iter().enumerate().filter(|(_, r)| r.kind == RelationKind::Restriction)
            {
                let covered = covers(r, c.source, c.target) || (!c.directed && covers(r, c.target, c.source));
                let mut day = window.first;
                let mut common = false;
                while day <= window.last && !common {
                    let ok = |s: Option<Status>| s.is_some_and(|s| !strict || s == Status::Active);
                    common = ok(c.span.status_on(day)) && ok(r.span.status_on(day));
                    day = day.tomorrow().unwrap();
                }
                if covered && common {
                    out.push(Contest {
                        cooperation: RelationIx(ci as u32),
                        restriction: RelationIx(ri as u32),
                    });
                }
            }
        }
        out
    }

    fn day(y: i16) -> crate::date::Day {
        jiff::civil::date(y, 6, 1)
    }

    use RelationKind::{Cooperation as C, Restriction as R};

    /// 0 NLD, 1 AIVD (in NLD), 2 USA, 3 CIA (in USA), 4 COL, 5 DNI (in COL).
    const WORLD: [Option<usize>; 6] = [None, Some(0), None, Some(2), None, Some(4)];

    #[test]
    fn a_country_order_covers_its_agencies() {
        let ds = dataset(&WORLD, &[(C, 5, 3, false, 2020, None), (R, 4, 2, true, 2020, None)]);
        let w = Window::day(day(2021));
        assert_eq!(
            in_window(&ds, &held(&ds, w, false), w, false),
            vec![Contest { cooperation: RelationIx(0), restriction: RelationIx(1) }]
        );
    }

    #[test]
    fn a_narrower_restriction_does_not_contest_the_whole() {
        // AIVD → USA while NLD and USA cooperate.
        let ds = dataset(&WORLD, &[(C, 0, 2, false, 2020, None), (R, 1, 2, true, 2020, None)]);
        let w = Window::day(day(2021));
        assert_eq!(in_window(&ds, &held(&ds, w, false), w, false), vec![]);
    }

    #[test]
    fn a_directed_restriction_covers_one_way_only() {
        // COL → USA covers DNI → CIA, not CIA → DNI (a directed cooperation).
        let ds = dataset(
            &WORLD,
            &[(C, 3, 5, true, 2020, None), (R, 4, 2, true, 2020, None), (C, 5, 3, true, 2020, None)],
        );
        let w = Window::day(day(2021));
        assert_eq!(
            in_window(&ds, &held(&ds, w, false), w, false),
            vec![Contest { cooperation: RelationIx(2), restriction: RelationIx(1) }]
        );
    }

    #[test]
    fn a_window_needs_a_common_day() {
        // The cooperation ends in 2021, the restriction starts in 2022: 2020–2023 has no
        // common day.
        let ds = dataset(&WORLD, &[(C, 5, 3, false, 2019, Some(2021)), (R, 4, 2, true, 2022, None)]);
        let w = Window::between(day(2020), day(2023)).unwrap();
        assert_eq!(in_window(&ds, &held(&ds, w, false), w, false), vec![]);
    }

    /// Two chains 100,000 deep, every level of one restricting the same level of the other,
    /// and a cooperation between the two deepest: each end has 100,000 covering ancestors,
    /// but only 100,000 restrictions cover the pair, and only those are looked at.
    #[test]
    fn two_deep_chains_restricting_at_every_level_cost_their_restrictions_not_their_product() {
        const DEPTH: usize = 100_000;
        let parents: Vec<Option<usize>> =
            (0..2 * DEPTH).map(|i| (i % DEPTH).checked_sub(1).map(|p| p + i / DEPTH * DEPTH)).collect();
        let mut specs: Vec<Spec> = (0..DEPTH).map(|i| (R, i, DEPTH + i, true, 2020, None)).collect();
        specs.push((C, DEPTH - 1, 2 * DEPTH - 1, true, 2020, None));
        let ds = dataset(&parents, &specs);
        let w = Window::day(day(2021));
        // The deepest pair is covered by the deepest restriction only (A_i → B_i covers a
        // within A_i and b within B_i: all of them, as both ends are at the bottom).
        assert_eq!(in_window(&ds, &held(&ds, w, false), w, false).len(), DEPTH);
    }

    #[test]
    fn a_deep_chain_walks_only_restriction_ends() {
        const DEPTH: usize = 200_000;
        let mut parents: Vec<Option<usize>> = (0..DEPTH).map(|i| i.checked_sub(1)).collect();
        parents.push(None);
        let ds =
            dataset(&parents, &[(C, DEPTH - 1, DEPTH, false, 2020, None), (R, 0, DEPTH, true, 2020, None)]);
        let w = Window::day(day(2021));
        assert_eq!(in_window(&ds, &held(&ds, w, false), w, false).len(), 1);
    }

    /// Random hierarchies up to 4 deep (each actor's parent comes before it, of depth < 4).
    fn world() -> impl Strategy<Value = (Vec<Option<usize>>, Vec<Spec>)> {
        (2usize..10)
            .prop_flat_map(|n| {
                let parents = proptest::collection::vec(proptest::option::of(0usize..n), n);
                (Just(n), parents)
            })
            .prop_map(|(n, raw)| {
                let mut parents = vec![None; n];
                let mut depth = vec![0; n];
                for i in 0..n {
                    if let Some(p) = raw[i].map(|p| p % i.max(1)).filter(|&p| p < i && depth[p] < 3) {
                        parents[i] = Some(p);
                        depth[i] = depth[p] + 1;
                    }
                }
                parents
            })
            .prop_flat_map(|parents| {
                let n = parents.len();
                let spec = (
                    prop_oneof![Just(C), Just(R), Just(RelationKind::Dispute)],
                    0..n,
                    0..n,
                    any::<bool>(),
                    2019i16..2024,
                    proptest::option::of(1i16..4),
                )
                    .prop_map(|(k, s, t, d, start, len)| (k, s, t, d, start, len.map(|l| start + l)));
                (Just(parents), proptest::collection::vec(spec, 0..14))
            })
    }

    proptest! {
        #[test]
        fn contests_are_section_1_read_word_for_word(
            (parents, specs) in world(),
            first in 2019i16..2026,
            len in 0i16..3,
            strict in any::<bool>(),
        ) {
            let ds = dataset(&parents, &specs);
            let w = if len == 0 { Window::day(day(first)) } else { Window::between(day(first), day(first + len)).unwrap() };
            prop_assert_eq!(in_window(&ds, &held(&ds, w, strict), w, strict), brute(&ds, w, strict));
        }

        /// Snapshot flags and `conflicts`, actor by actor and rolled up to countries, are the
        /// brute-force contests (and their roll-up: never contests of merged units).
        #[test]
        fn snapshots_and_by_country_roll_up_the_actor_contests(
            (parents, specs) in world(),
            year in 2019i16..2026,
            strict in any::<bool>(),
        ) {
            use crate::snapshot::{Filter, Grouping, Options, Snapshot};
            use std::collections::BTreeSet;
            let ds = dataset(&parents, &specs);
            let on = day(year);
            let b = brute(&ds, Window::day(on), strict);
            let flagged: BTreeSet<RelationIx> = contested(&b).into_iter().collect();
            for grouping in [Grouping::Actors, Grouping::Countries] {
                let options = Options { filter: Filter { strict, ..Filter::default() }, grouping, ..Options::default() };
                let snap = Snapshot::at(&ds, on, options);
                prop_assert_eq!(&snap.contests, &b);
                for e in &snap.edges {
                    prop_assert_eq!(e.contested, snap.members(e).iter().any(|m| flagged.contains(&m.relation)));
                }
                let rolled: BTreeSet<(ActorIx, ActorIx)> = b
                    .iter()
                    .filter_map(|c| {
                        let r = ds.relation(c.cooperation);
                        let (s, t) = (grouping.unit(&ds, r.source), grouping.unit(&ds, r.target));
                        let (s, t) = if ds.rank(s) <= ds.rank(t) { (s, t) } else { (t, s) };
                        (s != t || grouping == Grouping::Actors).then_some((s, t))
                    })
                    .collect();
                let found: BTreeSet<(ActorIx, ActorIx)> =
                    crate::query::conflicts::on(&snap).iter().map(|c| (c.a, c.b)).collect();
                prop_assert_eq!(found, rolled);
            }
        }

        #[test]
        fn streamed_pairs_and_beyond_find_the_same_relations(
            (parents, specs) in world(),
            year in 2019i16..2026,
            strict in any::<bool>(),
        ) {
            let ds = dataset(&parents, &specs);
            let w = Window::day(day(year));
            let holding = held(&ds, w, strict);
            let expected = contested(&brute(&ds, w, strict));
            let beyond = beyond_pairs(&ds, strict, |a, each| {
                let mut k = 0;
                for h in holding.iter().filter(|h| h.source == a || h.target == a) {
                    each(*h);
                    k += 1;
                }
                Ok::<_, ()>(k)
            }).unwrap();
            let beyond = contested(&beyond);
            let mut found: Vec<RelationIx> = Vec::new();
            for h in &holding {
                let x = h.source;
                let other = h.target;
                let mut pair = SamePair::default();
                for g in holding.iter().filter(|g| (g.source == x && g.target == other) || (g.source == other && g.target == x)) {
                    pair.add(g, x);
                }
                if pair.contests(h, x) || beyond.binary_search(&h.relation).is_ok() {
                    found.push(h.relation);
                }
            }
            prop_assert_eq!(found, expected);
        }

        /// Without a hierarchy, and with many relations among few actors (so that pairs meet
        /// in the bitmaps of `sharing_pairs`), the contests are still section 1's.
        #[test]
        fn flat_contests_are_section_1_read_word_for_word(
            specs in proptest::collection::vec(
                (prop_oneof![Just(C), Just(R), Just(RelationKind::Dispute)], 0usize..7, 0usize..7, any::<bool>(), 2019i16..2024, proptest::option::of(1i16..4))
                    .prop_map(|(k, s, t, d, start, len)| (k, s, t, d, start, len.map(|l| start + l))),
                0..80,
            ),
            first in 2019i16..2026,
            strict in any::<bool>(),
        ) {
            let ds = dataset(&[None; 7], &specs);
            let w = Window::day(day(first));
            prop_assert_eq!(in_window(&ds, &held(&ds, w, strict), w, strict), brute(&ds, w, strict));
        }

        /// `sharing_pairs` keeps, in order, every cooperation and restriction whose two actors
        /// a relation of the other kind joins, and only cooperations and restrictions (a few
        /// more on false hits, which 40 actors' pairs in bitmaps of a few hundred bits make).
        #[test]
        fn sharing_pairs_keeps_the_pairs_with_both_kinds(
            specs in proptest::collection::vec(
                (prop_oneof![Just(C), Just(R), Just(RelationKind::Dispute)], 0usize..40, 0usize..40, any::<bool>(), Just(2020i16), Just(None)),
                0..120,
            ),
        ) {
            let ds = dataset(&[None; 40], &specs);
            let w = Window::day(day(2021));
            let holding = held(&ds, w, false);
            let pair = |h: &Held| (h.source.min(h.target), h.source.max(h.target));
            let other = |k| if k == C { R } else { C };
            let joined = |h: &Held| holding.iter().any(|g| g.kind == other(h.kind) && pair(g) == pair(h));
            let kept = sharing_pairs(&holding);
            let expected: Vec<Held> = holding.iter().filter(|h| matches!(h.kind, C | R) && joined(h)).copied().collect();
            // In order, a superset of the expected ones, of the two kinds only.
            prop_assert!(kept.windows(2).all(|w| w[0].relation < w[1].relation));
            prop_assert!(kept.iter().all(|h| matches!(h.kind, C | R)));
            prop_assert!(expected.iter().all(|h| kept.contains(h)));
        }
    }
}
