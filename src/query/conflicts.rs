//! `conflicts`: contested pairs (a cooperation and a restriction holding together), on one
//! day with the competing relations side by side, or over all time as periods.

use std::collections::BTreeMap;

use crate::date::Day;
use crate::model::{ActorIx, Dataset, RelationIx, RelationKind};
use crate::query::history::periods;
use crate::snapshot::{pair, Grouping, Snapshot};

/// A contested pair on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub a: ActorIx,
    pub b: ActorIx,
    /// Indexes into the snapshot's edges.
    pub cooperation: Vec<usize>,
    pub restriction: Vec<usize>,
}

/// The contested pairs of a snapshot, in id order.
pub fn on(snapshot: &Snapshot<'_>) -> Vec<Conflict> {
    let ds = snapshot.dataset;
    let mut pairs: BTreeMap<(u32, u32), Conflict> = BTreeMap::new();
    for (i, e) in snapshot.edges.iter().enumerate().filter(|(_, e)| e.contested) {
        let (a, b) = pair(e.source, e.target);
        let (a, b) = if ds.rank(a) <= ds.rank(b) { (a, b) } else { (b, a) };
        let c = pairs.entry((ds.rank(a), ds.rank(b))).or_insert_with(|| Conflict {
            a,
            b,
            cooperation: Vec::new(),
            restriction: Vec::new(),
        });
        match e.kind {
            RelationKind::Cooperation => c.cooperation.push(i),
            RelationKind::Restriction => c.restriction.push(i),
            RelationKind::Dispute | RelationKind::Membership => {}
        }
    }
    pairs.into_values().collect()
}

/// A period in which a pair was contested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestedPeriod {
    pub a: ActorIx,
    pub b: ActorIx,
    pub from: Day,
    /// Exclusive; `None` when it is still going on.
    pub until: Option<Day>,
    /// False when the contest rests on relations that are only possible.
    pub certain: bool,
    pub cooperation: Vec<RelationIx>,
    pub restriction: Vec<RelationIx>,
}

/// Every period in which any pair was contested, in date order then pair order. Only pairs
/// with both cooperation and restriction relations are examined.
pub fn periods_all(dataset: &Dataset, grouping: Grouping, strict: bool) -> Vec<ContestedPeriod> {
    /// A pair's cooperation and restriction relations, and which of the two kinds it has.
    struct PairRelations {
        a: ActorIx,
        b: ActorIx,
        relations: Vec<RelationIx>,
        kinds: u8,
    }
    let mut by_pair: BTreeMap<(u32, u32), PairRelations> = BTreeMap::new();
    for (i, rel) in dataset.relations.iter().enumerate() {
        let bit = match rel.kind {
            RelationKind::Cooperation => 1,
            RelationKind::Restriction => 2,
            _ => continue,
        };
        let (s, t) = (grouping.unit(dataset, rel.source), grouping.unit(dataset, rel.target));
        if s == t {
            continue;
        }
        let (a, b) = if dataset.rank(s) <= dataset.rank(t) { (s, t) } else { (t, s) };
        let entry = by_pair.entry((dataset.rank(a), dataset.rank(b))).or_insert_with(|| PairRelations {
            a,
            b,
            relations: Vec::new(),
            kinds: 0,
        });
        entry.relations.push(RelationIx(i as u32));
        entry.kinds |= bit;
    }
    let mut out = Vec::new();
    for PairRelations { a, b, relations, kinds } in by_pair.into_values() {
        if kinds != 3 {
            continue;
        }
        for p in periods(dataset, &relations, strict).into_iter().filter(|p| p.state.is_contested()) {
            let (cooperation, restriction) =
                p.relations.iter().partition(|&&r| dataset.relation(r).kind == RelationKind::Cooperation);
            out.push(ContestedPeriod {
                a,
                b,
                from: p.from,
                until: p.until,
                certain: p.certain,
                cooperation,
                restriction,
            });
        }
    }
    out.sort_by_key(|p| (p.from, dataset.rank(p.a), dataset.rank(p.b)));
    out
}
