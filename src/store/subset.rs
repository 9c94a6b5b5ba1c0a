//! Datasets that hold every actor and source but only the relations a question needs, for
//! every day: the relations of some actors (a timeline), and those whose status can change
//! between two days (a diff). Each is chosen so that the question, asked of it, gets the
//! answer the whole dataset gives (the property tests in tests/store_properties.rs check
//! it against the whole). Relations keep their dataset order, so that answers ordered by
//! relation come out in the same order.

use std::collections::HashMap;

use crate::date::Status;
use crate::date::{Day, Window};
use crate::load::index::{Ends, Index, Unusable};
use crate::model::{ActorIx, Dataset, Held, KindSet, RelationIx, RelationKind};

use super::{Source, Store, StoreError};

impl Store {
    /// The dataset with every actor and source, but of the relations only those touching an
    /// actor of the same hierarchy (parent chains) as one of `actors`, or claimed by one:
    /// everything a record of those actors reads (`query::history`), including the
    /// restrictions between their ancestors that contest their cooperations
    /// ([`crate::contest`]). From the index's lists of each actor's relations when it is
    /// current; else from the whole dataset read from the CSV files. `actors` are indexes
    /// into this store's actors (from [`Store::people`] or an earlier read).
    ///
    /// # Errors
    /// As [`Store::whole`].
    pub fn of_actors(&self, actors: &[ActorIx]) -> Result<Dataset, StoreError> {
        self.of_actors_with(|_| Ok::<_, StoreError>(actors.to_vec()))
    }

    /// As [`Store::of_actors`], with the actors chosen by `resolve` from the dataset's
    /// actors (names resolved against them), read once: the indexes it gives are those of
    /// the dataset returned, whatever happens to the files meanwhile.
    ///
    /// # Errors
    /// `resolve`'s; as [`Store::whole`].
    pub fn of_actors_with<E: From<StoreError>>(
        &self,
        resolve: impl FnOnce(&Dataset) -> Result<Vec<ActorIx>, E>,
    ) -> Result<Dataset, E> {
        let mut resolve = Some(resolve);
        // The actors, once named against the index's actors.
        let mut named: Option<(Vec<ActorIx>, Vec<crate::model::Actor>)> = None;
        let whole = match &self.source {
            Source::Indexed(index) => {
                let read = (|| -> Result<Result<Dataset, E>, Unusable> {
                    let people = index.actors_and_sources()?;
                    let resolve = resolve.take().expect("resolved once");
                    let actors = match resolve(&people) {
                        Ok(actors) => actors,
                        Err(e) => return Ok(Err(e)),
                    };
                    named = Some((actors.clone(), people.actors.clone()));
                    let family = hierarchy(&people, &actors);
                    let mut relations = index.claimed_by(&family)?;
                    for a in (0..family.len()).filter(|&a| family[a]) {
                        index.touching(ActorIx(a as u32), |e| relations.push(e.relation))?;
                    }
                    relations.sort_unstable();
                    relations.dedup();
                    Ok(Ok(index.dataset_with(people, &relations)?))
                })();
                match read {
                    Ok(Ok(ds)) => return Ok(self.graded_part(ds, None)?),
                    Ok(Err(e)) => return Err(e),
                    Err(why) => self.recover(&why)?,
                }
            }
            Source::Csv | Source::Rebuilt(_) => self.whole()?,
        };
        let actors = match (resolve, named) {
            (Some(resolve), _) => resolve(&whole)?,
            // The index failed after the names were resolved: they stand if the actors do.
            (None, Some((actors, people))) if people == whole.actors => actors,
            (None, _) => return Err(StoreError::Changed(self.dir.clone()).into()),
        };
        let family = hierarchy(&whole, &actors);
        let keep: Vec<RelationIx> = (0..whole.relations.len() as u32)
            .map(RelationIx)
            .filter(|&r| {
                let rel = whole.relation(r);
                family[rel.source.index()]
                    || family[rel.target.index()]
                    || rel.claimant().is_some_and(|c| family[c.index()])
            })
            .collect();
        Ok(part_of(whole, &keep))
    }

    /// The dataset with every actor and source, but of the relations only those a diff from
    /// `first` to `last` (`first` before `last`) needs: every relation whose status changes
    /// on some day after `first` up to `last` (the only ones whose status differs between
    /// the two days, and those that hold only in between), and every cooperation and
    /// restriction between the same two hierarchies as one of those (a pair's contests on
    /// either day, and so whether it became or stopped being contested, rest on them).
    /// `query::diff::between` of snapshots of it gives what it gives on the whole dataset;
    /// so does the note on relations left out by grade in the period, which is the whole
    /// dataset's. From the index when it is current (every record is read, few decoded);
    /// else from the whole dataset read from the CSV files.
    ///
    /// # Errors
    /// As [`Store::whole`].
    pub fn changes(&self, first: Day, last: Day) -> Result<Dataset, StoreError> {
        let whole = match &self.source {
            Source::Indexed(index) => match changes_from_index(index, first, last) {
                Ok((people, relations)) => {
                    let window = Window::between(first, last).unwrap_or_else(|| Window::day(first));
                    let ds = index.dataset_with(people, &relations);
                    let graded_out = index.graded_out_in(window, self.grades);
                    match ds.and_then(|ds| Ok((ds, graded_out?))) {
                        Ok((ds, graded_out)) => return self.graded_part(ds, Some(graded_out)),
                        Err(why) => self.recover(&why)?,
                    }
                }
                Err(why) => self.recover(&why)?,
            },
            Source::Csv | Source::Rebuilt(_) => self.whole()?,
        };
        let keep = changes_in(&whole, first, last);
        Ok(part_of(whole, &keep))
    }

    /// What the contests on `day` need: every actor and source, and of the day's relations
    /// (a cut, [`Store::on`]) only the cooperations and restrictions (with `strict`, the
    /// active ones: the only ones a contest or a contested edge counts) between two
    /// hierarchies joined by a contest that day: every relation of each contested edge, and
    /// nothing else. A snapshot's contested part of it ([`Snapshot::contested_part`], what
    /// `conflicts --at` reports) is the whole day's, and so is the note on the day's relations
    /// left out by grade. From the index, the contests are found from the day's records and
    /// only those relations decoded; without one, the day's cut is read.
    ///
    /// [`Snapshot::contested_part`]: crate::snapshot::Snapshot::contested_part
    ///
    /// # Errors
    /// As [`Store::on`].
    pub fn contested_on(&self, day: Day, strict: bool) -> Result<Dataset, StoreError> {
        let Source::Indexed(index) = &self.source else {
            return self.on(day);
        };
        let read = (|| -> Result<Dataset, Unusable> {
            let people = index.people_on(day)?;
            let mut counted = Vec::new();
            index.holding_on(day, self.grades, CONTESTS, |h| {
                if !strict || h.status == Status::Active {
                    counted.push(h);
                }
            })?;
            let keep = contested_among(&people, &counted);
            drop(counted);
            index.dataset_of_graded(people, &keep, day, self.grades)
        })();
        match read {
            Ok(ds) => Ok(ds),
            Err(why) => self.recover(&why),
        }
    }

    /// What the fractures on `day` need: every actor and source, and of the day's relations
    /// (a cut, [`Store::on`]) only the restrictions and disputes between two members of one
    /// group that day (an agency counting for its top-level parent), and the memberships that
    /// make them members (with `strict`, active ones only count). `query::fractures::on` of
    /// it gives the whole day's fractures, and its note on the day's relations left out by
    /// grade is the day's. From the index, the day's memberships are read first from its
    /// records, and its restrictions and disputes only when some group has members; only the
    /// relations kept are decoded. Without an index, the day's cut is read.
    ///
    /// # Errors
    /// As [`Store::on`].
    pub fn fractured_on(&self, day: Day, strict: bool) -> Result<Dataset, StoreError> {
        let Source::Indexed(index) = &self.source else {
            return self.on(day);
        };
        let counts = |h: &Held| !strict || h.status == Status::Active;
        let read = (|| -> Result<Dataset, Unusable> {
            let people = index.people_on(day)?;
            let mut memberships = Vec::new();
            index.holding_on(day, self.grades, MEMBERSHIPS, |h| {
                if counts(&h) {
                    memberships.push(h);
                }
            })?;
            let mut fractured = Fractured::new(&people, &memberships);
            if fractured.has_members() {
                index.holding_on(day, self.grades, STRAINS, |h| {
                    if counts(&h) {
                        fractured.strain(&h);
                    }
                })?;
            }
            let keep = fractured.relations(&memberships);
            index.dataset_of_graded(people, &keep, day, self.grades)
        })();
        match read {
            Ok(ds) => Ok(ds),
            Err(why) => self.recover(&why),
        }
    }

    /// A part read from the index, graded; with `graded_out`, the whole dataset's relations
    /// left out by grade stand for those of the part.
    fn graded_part(
        &self,
        ds: Dataset,
        graded_out: Option<crate::model::GradedOut>,
    ) -> Result<Dataset, StoreError> {
        let ds = ds.graded(self.grades);
        Ok(match graded_out {
            Some(left) => ds.with_graded_out(left),
            None => ds,
        })
    }
}

/// `whole` (graded) with only the relations `keep` (ascending), keeping the whole dataset's
/// note on what was left out by grade.
pub(super) fn part_of(mut whole: Dataset, keep: &[RelationIx]) -> Dataset {
    let graded_out = whole.graded_out().clone();
    let mut relations = std::mem::take(&mut whole.relations);
    let mut i = 0;
    let mut next = keep.iter().peekable();
    relations.retain(|_| {
        let kept = next.peek().is_some_and(|r| r.index() == i);
        if kept {
            next.next();
        }
        i += 1;
        kept
    });
    let Dataset { actors, sources, .. } = whole;
    Dataset::new(actors, sources, relations).with_graded_out(graded_out)
}

/// Marks every actor in the same hierarchy as one of `actors`: everything under the top of
/// each one's parent chain. O(n) for n actors.
fn hierarchy(ds: &Dataset, actors: &[ActorIx]) -> Vec<bool> {
    let n = ds.actors.len();
    let mut tops = vec![false; n];
    for &a in actors {
        tops[ds.top_parent(a).index()] = true;
    }
    (0..n as u32).map(|a| tops[ds.top_parent(ActorIx(a)).index()]).collect()
}

/// The relations [`Store::contested_on`] keeps, of `counted` (the day's cooperations and
/// restrictions that pass the grade filter and, with `strict`, are active; ascending): the
/// selection, whether they come from an index or from a dataset in memory ([`contested_in`]).
pub(super) fn contested_among(people: &Dataset, counted: &[Held]) -> Vec<RelationIx> {
    let contests = crate::contest::candidates(people, counted);
    if contests.is_empty() {
        return Vec::new();
    }
    let key = |h: &Held| Pairs::key(people, h.source, h.target);
    let held = |r: RelationIx| counted.binary_search_by_key(&r, |h| h.relation).ok().map(|i| &counted[i]);
    // A day's contests join tens of thousands of pairs, looked up for each of millions of
    // relations: with the standard library's hasher that was a tenth of `conflicts --at`.
    let joined: std::collections::HashSet<(ActorIx, ActorIx), foldhash::fast::RandomState> =
        contests.iter().filter_map(|c| held(c.cooperation)).map(key).collect();
    counted.iter().filter(|h| joined.contains(&key(h))).map(|h| h.relation).collect()
}

/// The relations [`Store::fractured_on`] keeps, found as a day's relations are read (those
/// that pass the grade filter and, with `strict`, are active): its memberships first, then
/// its restrictions and disputes, the selection whether they come from an index or from a
/// dataset in memory ([`fractured_in`]).
pub(super) struct Fractured<'p> {
    people: &'p Dataset,
    /// Each member (a top-level actor) with the groups it belongs to that day.
    groups_of: HashMap<ActorIx, Vec<ActorIx>>,
    /// The (group, member) pairs that some fracture rests on.
    used: std::collections::HashSet<(ActorIx, ActorIx)>,
    /// The restrictions and disputes between two members of a group.
    strains: Vec<RelationIx>,
}

impl<'p> Fractured<'p> {
    pub(super) fn new(people: &'p Dataset, memberships: &[Held]) -> Self {
        let mut groups_of: HashMap<ActorIx, Vec<ActorIx>> = HashMap::new();
        for h in memberships {
            groups_of.entry(people.top_parent(h.source)).or_default().push(h.target);
        }
        for groups in groups_of.values_mut() {
            groups.sort_unstable();
            groups.dedup();
        }
        Fractured { people, groups_of, used: Default::default(), strains: Vec::new() }
    }

    /// Whether some actor is a member of a group that day (else nothing is fractured).
    pub(super) fn has_members(&self) -> bool {
        !self.groups_of.is_empty()
    }

    /// Takes a restriction or dispute of the day.
    pub(super) fn strain(&mut self, h: &Held) {
        let (s, t) = (self.people.top_parent(h.source), self.people.top_parent(h.target));
        let (Some(gs), Some(gt)) = (self.groups_of.get(&s), self.groups_of.get(&t)) else { return };
        if s == t {
            return;
        }
        let mut fractured = false;
        for g in gs.iter().filter(|g| gt.binary_search(g).is_ok()) {
            self.used.insert((*g, s));
            self.used.insert((*g, t));
            fractured = true;
        }
        if fractured {
            self.strains.push(h.relation);
        }
    }

    /// The strains taken that fracture a group, and of `memberships` (the ones given to
    /// [`Fractured::new`]) those they rest on, ascending.
    pub(super) fn relations(self, memberships: &[Held]) -> Vec<RelationIx> {
        let Fractured { people, used, mut strains, .. } = self;
        strains.extend(
            memberships
                .iter()
                .filter(|h| used.contains(&(h.target, people.top_parent(h.source))))
                .map(|h| h.relation),
        );
        strains.sort_unstable();
        strains
    }
}

/// The relations of `ds` (a whole dataset in memory, ungraded) holding on `day` whose grade
/// `grades` admits, as [`Held`], ascending.
fn holding_in(ds: &Dataset, day: Day, grades: crate::model::GradeFilter, kinds: KindSet) -> Vec<Held> {
    let mut holding = Vec::new();
    let all = grades.is_all();
    ds.timeline().for_each_on(day, |r| {
        let rel = ds.relation(r);
        if kinds.contains(rel.kind) && (all || grades.admits(ds.grade_of(rel))) {
            holding.extend(rel.held_on(r, day));
        }
    });
    holding.sort_unstable_by_key(|h| h.relation);
    holding
}

/// In memory: the relations of `ds` (whole, ungraded) that [`Store::contested_on`] keeps for
/// the contests on `day` under `grades`, ascending.
pub fn contested_in(
    ds: &Dataset,
    day: Day,
    grades: crate::model::GradeFilter,
    strict: bool,
) -> Vec<RelationIx> {
    let mut counted = holding_in(ds, day, grades, CONTESTS);
    counted.retain(|h| !strict || h.status == Status::Active);
    contested_among(ds, &counted)
}

/// In memory: the relations of `ds` (whole, ungraded) that [`Store::fractured_on`] keeps for
/// the fractures on `day` under `grades`, ascending.
pub fn fractured_in(
    ds: &Dataset,
    day: Day,
    grades: crate::model::GradeFilter,
    strict: bool,
) -> Vec<RelationIx> {
    let counted = |kinds| {
        let mut holding = holding_in(ds, day, grades, kinds);
        holding.retain(|h| !strict || h.status == Status::Active);
        holding
    };
    let memberships = counted(MEMBERSHIPS);
    let mut fractured = Fractured::new(ds, &memberships);
    if fractured.has_members() {
        counted(STRAINS).iter().for_each(|h| fractured.strain(h));
    }
    fractured.relations(&memberships)
}

/// The kinds of relation that make a group's members, and that strain them.
pub(super) const MEMBERSHIPS: KindSet = KindSet::of(&[RelationKind::Membership]);
pub(super) const STRAINS: KindSet = KindSet::of(&[RelationKind::Restriction, RelationKind::Dispute]);

/// The kinds of relation that take part in contests.
pub(super) const CONTESTS: KindSet = KindSet::of(&[RelationKind::Cooperation, RelationKind::Restriction]);

/// Whether a relation of this kind can take part in a contest.
fn contests(kind: RelationKind) -> bool {
    CONTESTS.contains(kind)
}

/// The relations a diff from `first` to `last` needs (see [`Store::changes`]), ascending,
/// from a dataset in memory.
pub fn changes_in(ds: &Dataset, first: Day, last: Day) -> Vec<RelationIx> {
    let ends = |r: RelationIx| {
        let rel = ds.relation(r);
        Ends { relation: r, source: rel.source, target: rel.target, kind: rel.kind }
    };
    let changing: Vec<Ends> = (0..ds.relations.len() as u32)
        .map(RelationIx)
        .filter(|&r| ds.relation(r).span.changes().any(|d| first < d && d <= last))
        .map(ends)
        .collect();
    let pairs = Pairs::of(ds, &changing);
    let mut keep: Vec<RelationIx> = changing.iter().map(|e| e.relation).collect();
    if !pairs.is_empty() {
        keep.extend((0..ds.relations.len() as u32).map(RelationIx).filter(|&r| pairs.holds(ds, &ends(r))));
    }
    keep.sort_unstable();
    keep.dedup();
    keep
}

/// As [`changes_in`], from an index: the actors and sources, and the relations.
pub(super) fn changes_from_index(
    index: &Index,
    first: Day,
    last: Day,
) -> Result<(Dataset, Vec<RelationIx>), Unusable> {
    let people = index.actors_and_sources()?;
    let mut changing = Vec::new();
    index.changing(first, last, |e| changing.push(e))?;
    let pairs = Pairs::of(&people, &changing);
    let mut keep: Vec<RelationIx> = changing.iter().map(|e| e.relation).collect();
    // The actors of each hierarchy in a pair.
    let mut members: HashMap<ActorIx, Vec<ActorIx>> = HashMap::new();
    for a in (0..people.actors.len() as u32).map(ActorIx) {
        let top = people.top_parent(a);
        if pairs.has_top(top) {
            members.entry(top).or_default().push(a);
        }
    }
    // A pair's relations are where the relation lists of its two hierarchies meet: found by
    // merging the lists (ascending), not by reading each relation's record, which cost 0.7 s
    // for a month's changes at 10 million relations (a record read is a cache miss). Each
    // hierarchy's list is made once (a lone actor's is read in place), not once per pair: a
    // hub is in hundreds of a month's pairs.
    let mut lists: HashMap<ActorIx, std::borrow::Cow<'_, [u32]>> = HashMap::with_capacity(members.len());
    for (&top, actors) in &members {
        let list = match actors[..] {
            [a] => std::borrow::Cow::Borrowed(index.relations_of(a)?),
            _ => {
                let mut all = Vec::new();
                for &a in actors {
                    all.extend_from_slice(index.relations_of(a)?);
                }
                all.sort_unstable();
                all.dedup();
                std::borrow::Cow::Owned(all)
            }
        };
        lists.insert(top, list);
    }
    for &(x, y) in &pairs.pairs {
        for r in meet(&lists[&x], &lists[&y]) {
            let e = index.ends(RelationIx(r))?;
            if pairs.holds(&people, &e) {
                keep.push(e.relation);
            }
        }
    }
    keep.sort_unstable();
    keep.dedup();
    Ok((people, keep))
}

/// The entries of two ascending lists found in both, ascending: by merging, or, when one is
/// much the longer (a hub's list against a small actor's), by searching it for each entry of
/// the other.
fn meet(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() / 16 > short.len() {
        return short.iter().copied().filter(|r| long.binary_search(r).is_ok()).collect();
    }
    // Each step moves past the smaller entry (or both), without a branch on which: the
    // branch was mispredicted at random, and most of the time of a month's diff at 10 million
    // relations (14,000 pairs of lists of some 400 relations) went to it.
    let (mut i, mut j, mut both) = (0, 0, Vec::new());
    while i < short.len() && j < long.len() {
        let (x, y) = (short[i], long[j]);
        if x == y {
            both.push(x);
        }
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    both
}

/// The pairs of hierarchies (by their tops, unordered) joined by a changing cooperation or
/// restriction.
struct Pairs {
    pairs: std::collections::HashSet<(ActorIx, ActorIx)>,
    /// The tops of the pairs.
    tops: Vec<bool>,
}

impl Pairs {
    fn of(people: &Dataset, changing: &[Ends]) -> Pairs {
        let mut tops = vec![false; people.actors.len()];
        let mut pairs = std::collections::HashSet::new();
        for e in changing.iter().filter(|e| contests(e.kind)) {
            let key = Pairs::key(people, e.source, e.target);
            tops[key.0.index()] = true;
            tops[key.1.index()] = true;
            pairs.insert(key);
        }
        Pairs { pairs, tops }
    }

    /// The pair of the hierarchies of `source` and `target`.
    fn key(people: &Dataset, source: ActorIx, target: ActorIx) -> (ActorIx, ActorIx) {
        let (a, b) = (people.top_parent(source), people.top_parent(target));
        (a.min(b), a.max(b))
    }

    fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    fn has_top(&self, top: ActorIx) -> bool {
        self.tops[top.index()]
    }

    /// Whether the relation is a cooperation or restriction between the hierarchies of a pair.
    fn holds(&self, people: &Dataset, e: &Ends) -> bool {
        contests(e.kind) && self.pairs.contains(&Pairs::key(people, e.source, e.target))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    fn ascending(max: u32, len: usize) -> impl Strategy<Value = Vec<u32>> {
        proptest::collection::btree_set(0..max, 0..len).prop_map(|s| s.into_iter().collect())
    }

    proptest! {
        /// Two lists meet in the entries found in both, ascending: merged, or searched when
        /// one is much the longer.
        #[test]
        fn lists_meet_in_their_common_entries(a in ascending(400, 20), b in ascending(400, 400)) {
            let expected: Vec<u32> = a.iter().copied().filter(|r| b.contains(r)).collect();
            prop_assert_eq!(&super::meet(&a, &b), &expected);
            prop_assert_eq!(&super::meet(&b, &a), &expected);
        }
    }
}
