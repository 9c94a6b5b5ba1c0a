//! `conflicts`: contests (a cooperation and a restriction covering it, holding together: see
//! [`crate::contest`]), on one day with the competing relations side by side, or over all
//! time as periods.

use std::collections::{BTreeMap, HashMap};

use crate::contest::{self, Contest};
use crate::date::{Day, Status};
use crate::model::{ActorIx, Dataset, Held, RelationIx, RelationKind};
use crate::snapshot::{Grouping, Snapshot};

/// The contests of one pair on one day: the pair's contested cooperations, and beside them
/// the restrictions that cover them (between the same two, or between their ancestors: the
/// DNI–CIA cooperation against Colombia's order about the United States).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The cooperation's ends (rolled up to countries, their countries), in id order.
    pub a: ActorIx,
    pub b: ActorIx,
    /// Indexes into the snapshot's edges.
    pub cooperation: Vec<usize>,
    pub restriction: Vec<usize>,
}

/// The contests of a snapshot, grouped by the pair of the contested cooperation, in id
/// order. They are the snapshot's actor-by-actor contests ([`Snapshot::contests`]): rolled
/// up to countries, each is shown on the edges its relations were merged into, so the
/// grouping never makes a contest of its own.
pub fn on(snapshot: &Snapshot<'_>) -> Vec<Conflict> {
    let ds = snapshot.dataset;
    let mut edge_of: HashMap<RelationIx, usize> = HashMap::new();
    for (i, e) in snapshot.edges.iter().enumerate().filter(|(_, e)| e.contested) {
        for m in snapshot.members(e) {
            edge_of.insert(m.relation, i);
        }
    }
    let mut pairs: BTreeMap<(u32, u32), Conflict> = BTreeMap::new();
    for c in &snapshot.contests {
        let (Some(&ce), Some(&re)) = (edge_of.get(&c.cooperation), edge_of.get(&c.restriction)) else {
            continue;
        };
        let e = &snapshot.edges[ce];
        let (a, b) =
            if ds.rank(e.source) <= ds.rank(e.target) { (e.source, e.target) } else { (e.target, e.source) };
        let conflict = pairs.entry((ds.rank(a), ds.rank(b))).or_insert_with(|| Conflict {
            a,
            b,
            cooperation: Vec::new(),
            restriction: Vec::new(),
        });
        conflict.cooperation.push(ce);
        conflict.restriction.push(re);
    }
    let mut out: Vec<Conflict> = pairs.into_values().collect();
    for c in &mut out {
        for list in [&mut c.cooperation, &mut c.restriction] {
            list.sort_unstable();
            list.dedup();
        }
    }
    out
}

/// A period in which a pair's cooperation was contested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestedPeriod {
    /// The cooperation's ends (rolled up to countries, their countries), in id order.
    pub a: ActorIx,
    pub b: ActorIx,
    pub from: Day,
    /// Exclusive; `None` when it is still going on.
    pub until: Option<Day>,
    /// False when the contest rests on relations that are only possible.
    pub certain: bool,
    /// The contested cooperations and the restrictions covering them, throughout the period.
    pub cooperation: Vec<RelationIx>,
    pub restriction: Vec<RelationIx>,
}

/// Every period in which a pair's cooperation was contested, in date order then pair order.
/// The contests are found once among all the relations, whenever they hold (a cooperation
/// only meets the restrictions that cover it, [`contest::candidates`]); then each pair's
/// contests are cut into periods at their relations' bounds. A period ends where the
/// relations in it change, so none is listed before it started. Rolled up to countries, the
/// same contests are grouped by the cooperation's countries.
pub fn periods_all(dataset: &Dataset, grouping: Grouping, strict: bool) -> Vec<ContestedPeriod> {
    let held: Vec<Held> = dataset
        .relations
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.kind, RelationKind::Cooperation | RelationKind::Restriction))
        .map(|(i, r)| r.held_as(RelationIx(i as u32), Status::Active))
        .collect();
    // Each contest under its pair's key (the ends' ranks), sorted by it: one sort where a map
    // of a million pairs, each with a list of its own, cost more than finding the contests.
    let unit_pair = |c: &Contest| {
        let rel = dataset.relation(c.cooperation);
        let (s, t) = (grouping.unit(dataset, rel.source), grouping.unit(dataset, rel.target));
        if dataset.rank(s) <= dataset.rank(t) {
            (s, t)
        } else {
            (t, s)
        }
    };
    let mut keyed: Vec<(u64, Contest)> = contest::candidates(dataset, &held)
        .into_iter()
        .filter_map(|c| {
            let (a, b) = unit_pair(&c);
            (a != b).then(|| (u64::from(dataset.rank(a)) << 32 | u64::from(dataset.rank(b)), c))
        })
        .collect();
    drop(held);
    keyed.sort_unstable();
    let span = |r: RelationIx| &dataset.relation(r).span;
    let counts = |status: Option<Status>, strict: bool| status.is_some_and(|s| s.counts(strict));
    let mut out = Vec::new();
    let mut contests: Vec<Contest> = Vec::new();
    for group in keyed.chunk_by(|x, y| x.0 == y.0) {
        contests.clear();
        contests.extend(group.iter().map(|&(_, c)| c));
        let (a, b) = unit_pair(&contests[0]);
        let mut bounds: Vec<Day> = contests
            .iter()
            .flat_map(|c| [c.cooperation, c.restriction])
            .flat_map(|r| span(r).changes())
            .collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut last: Option<ContestedPeriod> = None;
        for (i, &from) in bounds.iter().enumerate() {
            let until = bounds.get(i + 1).copied();
            let on = |r: RelationIx, strict| counts(span(r).status_on(from), strict);
            let holding: Vec<&Contest> =
                contests.iter().filter(|c| on(c.cooperation, strict) && on(c.restriction, strict)).collect();
            if holding.is_empty() {
                out.extend(last.take());
                continue;
            }
            let certain = holding.iter().any(|c| on(c.cooperation, true) && on(c.restriction, true));
            let mut cooperation: Vec<RelationIx> = holding.iter().map(|c| c.cooperation).collect();
            let mut restriction: Vec<RelationIx> = holding.iter().map(|c| c.restriction).collect();
            for list in [&mut cooperation, &mut restriction] {
                list.sort_unstable();
                list.dedup();
            }
            match &mut last {
                Some(p)
                    if p.until == Some(from)
                        && p.certain == certain
                        && p.cooperation == cooperation
                        && p.restriction == restriction =>
                {
                    p.until = until;
                }
                _ => {
                    out.extend(last.take());
                    last = Some(ContestedPeriod { a, b, from, until, certain, cooperation, restriction });
                }
            }
        }
        out.extend(last);
    }
    out.sort_by_key(|p| (p.from, dataset.rank(p.a), dataset.rank(p.b)));
    out
}
