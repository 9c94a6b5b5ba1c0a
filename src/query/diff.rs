//! `diff`: what changed between two days: relations that started or ended, that went from
//! possible to active (or back), that started and ended in between (transient), and pairs
//! that became or stopped being contested.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::date::{Day, Status, Window};
use crate::model::{ActorIx, Dataset, RelationIx, RelationKind};
use crate::snapshot::{Options, Snapshot};

/// How a relation changed between the two days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    Started,
    Ended,
    BecameActive,
    BecamePossible,
    /// Started after the first day and ended before the last: held on neither, but on some
    /// day in between.
    Transient,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Started => "started",
            Change::Ended => "ended",
            Change::BecameActive => "became active",
            Change::BecamePossible => "became possible",
            Change::Transient => "transient",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationChange {
    pub change: Change,
    pub relation: RelationIx,
    /// The status on the first day (`None` for a transient relation).
    pub before: Option<Status>,
    /// The status on the last day (`None` for a transient relation).
    pub after: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairChange {
    /// True: the pair became contested; false: it stopped being contested.
    pub became: bool,
    pub a: ActorIx,
    pub b: ActorIx,
    /// The pair's contested cooperations and the restrictions covering them (as `conflicts`
    /// groups them), on the day it was contested.
    pub relations: Vec<RelationIx>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    pub from: Day,
    pub to: Day,
    /// Sorted by change, then start date, then dataset order.
    pub relations: Vec<RelationChange>,
    /// Became contested first, then stopped; each in id order.
    pub pairs: Vec<PairChange>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.relations.is_empty() && self.pairs.is_empty()
    }
}

/// Compares two snapshots of one day each, taken with the same options. The relation changes
/// are exactly the symmetric difference of the two snapshots' relations, plus the status
/// changes of the relations in both, plus (given `within`, the snapshot over the days from
/// the first to the last, with the same options) the relations that hold in between but on
/// neither day: transient.
pub fn between(before: &Snapshot<'_>, after: &Snapshot<'_>, within: Option<&Snapshot<'_>>) -> Diff {
    let ds = before.dataset;
    let (old, new) = (statuses(before), statuses(after));
    let mut relations: Vec<RelationChange> = Vec::new();
    for (&relation, &was) in &old {
        let now = new.get(&relation).copied();
        let change = match (was, now) {
            (_, None) => Some(Change::Ended),
            (Status::Possible, Some(Status::Active)) => Some(Change::BecameActive),
            (Status::Active, Some(Status::Possible)) => Some(Change::BecamePossible),
            _ => None,
        };
        if let Some(change) = change {
            relations.push(RelationChange { change, relation, before: Some(was), after: now });
        }
    }
    for (&relation, &now) in &new {
        if !old.contains_key(&relation) {
            relations.push(RelationChange {
                change: Change::Started,
                relation,
                before: None,
                after: Some(now),
            });
        }
    }
    if let Some(within) = within {
        for (relation, _) in statuses(within) {
            if !old.contains_key(&relation) && !new.contains_key(&relation) {
                relations.push(RelationChange {
                    change: Change::Transient,
                    relation,
                    before: None,
                    after: None,
                });
            }
        }
    }
    relations.sort_unstable_by_key(|c| (c.change, ds.relation(c.relation).span.possible_from, c.relation));

    let (was, now) = (contested(before), contested(after));
    let mut pairs = Vec::new();
    for (key, rels) in &now {
        if !was.contains_key(key) {
            pairs.push(PairChange { became: true, a: key.0, b: key.1, relations: rels.clone() });
        }
    }
    for (key, rels) in &was {
        if !now.contains_key(key) {
            pairs.push(PairChange { became: false, a: key.0, b: key.1, relations: rels.clone() });
        }
    }
    pairs.sort_unstable_by_key(|p| {
        (!p.became, ds.rank(p.a).min(ds.rank(p.b)), ds.rank(p.a).max(ds.rank(p.b)))
    });
    Diff { from: before.window.first, to: after.window.last, relations, pairs }
}

/// The days of `window` on which the network, as snapshots taken with `options` show it,
/// differs from the day before: the window's first day, then every later day on which a
/// relation shown started, ended or changed status, a pair became or stopped being
/// contested, or an edge did. A change of a relation
/// that the options hide (another kind, a possible one under `strict`) is no change, unless
/// it makes or ends a contest that shows.
///
/// A snapshot changes only on a day on which some relation's status changes
/// ([`crate::date::Span::changes`]), so only those days are compared, each with the one
/// before it; two snapshots are held at a time. The days come lazily, in order, so that a
/// caller that wants only so many stops there. Cost: O(n log n) to start, for n relations,
/// then O(log n + k log k) per such day (k relations holding on it).
///
/// # Panics
/// When `dataset` is a cut for one day (see [`Dataset::covers`]) and the window is longer.
pub fn change_days(dataset: &Dataset, options: Options, window: Window) -> ChangeDays<'_> {
    let mut bounds: Vec<Day> = dataset
        .relations
        .iter()
        .flat_map(|r| r.span.changes())
        .filter(|&d| window.first < d && d <= window.last)
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    ChangeDays { dataset, options, first: Some(window.first), bounds: bounds.into_iter(), before: None }
}

/// The days [`change_days`] finds, one at a time.
#[derive(Debug)]
pub struct ChangeDays<'d> {
    dataset: &'d Dataset,
    options: Options,
    /// The window's first day, until it is given.
    first: Option<Day>,
    /// The days after it on which some relation's status changes, ascending.
    bounds: std::vec::IntoIter<Day>,
    /// The snapshot of the last day compared.
    before: Option<Snapshot<'d>>,
}

impl Iterator for ChangeDays<'_> {
    type Item = Day;

    fn next(&mut self) -> Option<Day> {
        if let Some(first) = self.first.take() {
            self.before = Some(Snapshot::at(self.dataset, first, self.options));
            return Some(first);
        }
        for day in self.bounds.by_ref() {
            let after = Snapshot::at(self.dataset, day, self.options);
            let changed = self.before.as_ref().is_none_or(|before| differs(before, &after));
            self.before = Some(after);
            if changed {
                return Some(day);
            }
        }
        None
    }
}

/// The status of every relation a snapshot shows.
fn statuses(s: &Snapshot<'_>) -> HashMap<RelationIx, Status> {
    s.edges.iter().flat_map(|e| s.members(e)).map(|m| (m.relation, m.status)).collect()
}

/// Whether two snapshots taken with the same options show different networks: a relation
/// shown on one and not the other or with another status, a pair contested on one and not
/// the other, or an edge contested on one and not the other. That is more than [`between`]
/// reports: a pair that stays contested can gain a contested cooperation, and then an edge
/// that was not contested is. (An edge that stays contested while another of its relations
/// joins a contest looks the same, and is no change.)
fn differs(before: &Snapshot<'_>, after: &Snapshot<'_>) -> bool {
    // With the same relations shown, an edge is known by its ends, kind, direction and first
    // relation (by country, the ends are enough; actor by actor, each relation is an edge).
    let flagged = |s: &Snapshot<'_>| -> BTreeSet<(ActorIx, ActorIx, RelationKind, bool, RelationIx)> {
        s.edges
            .iter()
            .filter(|e| e.contested)
            .map(|e| (e.source, e.target, e.kind, e.directed, s.members(e)[0].relation))
            .collect()
    };
    statuses(before) != statuses(after)
        || !contested(before).keys().eq(contested(after).keys())
        || flagged(before) != flagged(after)
}

/// The contested pairs of a snapshot, grouped as `conflicts` groups them (by the contested
/// cooperation's pair, rolled up to countries when the snapshot is), each with its contested
/// cooperations and the restrictions covering them. Contests are decided before the kind
/// filter, but only the relations that pass it are listed (and a contest none of whose
/// relations does is left out), as the snapshot shows them.
fn contested(s: &Snapshot<'_>) -> BTreeMap<(ActorIx, ActorIx), Vec<RelationIx>> {
    let ds = s.dataset;
    let kinds = s.options.filter.kinds;
    let mut pairs: BTreeMap<(ActorIx, ActorIx), Vec<RelationIx>> = BTreeMap::new();
    for c in &s.contests {
        let shown: Vec<RelationIx> = [c.cooperation, c.restriction]
            .into_iter()
            .filter(|&r| kinds.contains(ds.relation(r).kind))
            .collect();
        if shown.is_empty() {
            continue;
        }
        let rel = ds.relation(c.cooperation);
        let (a, b) = (s.options.grouping.unit(ds, rel.source), s.options.grouping.unit(ds, rel.target));
        if a == b {
            continue;
        }
        let key = if ds.rank(a) <= ds.rank(b) { (a, b) } else { (b, a) };
        pairs.entry(key).or_default().extend(shown);
    }
    for list in pairs.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    pairs
}
