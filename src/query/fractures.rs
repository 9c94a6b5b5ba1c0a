//! `fractures`: restrictions and disputes between members of the same alliance or agreement
//! on a day. Membership comes from the membership relations holding that day, and an agency
//! (or person) counts for its top-level parent: CIA ↔ DDIS is USA ↔ DNK within NATO.

use std::collections::{BTreeSet, HashMap};

use crate::date::{Day, Status};
use crate::model::{ActorIx, Dataset, RelationIx, RelationKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fracture {
    pub group: ActorIx,
    pub relation: RelationIx,
    /// The countries (top-level parents) of the relation's two actors.
    pub source_member: ActorIx,
    pub target_member: ActorIx,
    /// `possible` when the relation or either membership is only possible that day.
    pub status: Status,
}

/// The fractures on `date`, optionally within one group, in group, pair and dataset order.
/// With `strict`, only active relations and memberships count.
pub fn on(dataset: &Dataset, date: Day, group: Option<ActorIx>, strict: bool) -> Vec<Fracture> {
    let counts = |s: Option<Status>| s.filter(|&s| !strict || s == Status::Active);
    // group -> member country -> best membership status
    let mut members: HashMap<ActorIx, HashMap<ActorIx, Status>> = HashMap::new();
    let mut strains: Vec<(RelationIx, Status)> = Vec::new();
    for r in dataset.timeline.on(date) {
        let rel = dataset.relation(r);
        let Some(status) = counts(rel.span.status_on(date)) else { continue };
        match rel.kind {
            RelationKind::Membership => {
                let slot = members
                    .entry(rel.target)
                    .or_default()
                    .entry(dataset.top_parent(rel.source))
                    .or_insert(status);
                *slot = (*slot).max(status);
            }
            RelationKind::Restriction | RelationKind::Dispute => strains.push((r, status)),
            RelationKind::Cooperation => {}
        }
    }
    let groups: BTreeSet<(u32, ActorIx)> = members
        .keys()
        .filter(|&&g| group.is_none_or(|only| only == g))
        .map(|&g| (dataset.rank(g), g))
        .collect();
    let mut out = Vec::new();
    for (_, g) in groups {
        let in_group = &members[&g];
        for &(r, status) in &strains {
            let rel = dataset.relation(r);
            let (s, t) = (dataset.top_parent(rel.source), dataset.top_parent(rel.target));
            if s == t {
                continue;
            }
            if let (Some(&ms), Some(&mt)) = (in_group.get(&s), in_group.get(&t)) {
                out.push(Fracture {
                    group: g,
                    relation: r,
                    source_member: s,
                    target_member: t,
                    status: status.min(ms).min(mt),
                });
            }
        }
    }
    out.sort_by_key(|f| {
        let (a, b) = (dataset.rank(f.source_member), dataset.rank(f.target_member));
        (dataset.rank(f.group), a.min(b), a.max(b), f.relation)
    });
    out
}
