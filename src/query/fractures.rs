//! `fractures`: restrictions and disputes between members of the same alliance or agreement
//! on a day, or over a window of days. Membership comes from the membership relations holding
//! then (over a window, on a day in common with the relation), and an agency (or person)
//! counts for its top-level parent: CIA ↔ DDIS is USA ↔ DNK within NATO.

use std::collections::HashMap;

use crate::date::{Day, Span, Status, Window};
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

/// Days on which a relation holds, half-open, with its status on them.
type Segment = (Day, Day, Status);

/// The fractures over `window`: the union of its days' fractures ([`on`]), each with its
/// best status on a day of the window (a relation and two memberships holding on a common
/// day, the weakest of the three that day).
pub fn over(dataset: &Dataset, window: Window, group: Option<ActorIx>, strict: bool) -> Vec<Fracture> {
    if let Some(day) = window.as_day() {
        return on(dataset, day, group, strict);
    }
    // The days of the window on which a relation holds, as half-open intervals with their
    // status; the possible one covers the active one.
    let segments = |span: &Span| -> Vec<Segment> {
        let mut out = vec![(span.active_from, span.active_until, Status::Active)];
        if !strict {
            out.push((span.possible_from, span.possible_until, Status::Possible));
        }
        out.into_iter()
            .map(|(from, until, status)| (from.max(window.first), until.min(window.after()), status))
            .filter(|(from, until, _)| from < until)
            .collect()
    };
    // group -> member country -> the days of its memberships
    let mut members: HashMap<ActorIx, HashMap<ActorIx, Vec<Segment>>> = HashMap::new();
    let mut strains: Vec<(RelationIx, Vec<Segment>)> = Vec::new();
    for (i, rel) in dataset.relations.iter().enumerate() {
        let days = segments(&rel.span);
        if days.is_empty() {
            continue;
        }
        match rel.kind {
            RelationKind::Membership => members
                .entry(rel.target)
                .or_default()
                .entry(dataset.top_parent(rel.source))
                .or_default()
                .extend(days),
            RelationKind::Restriction | RelationKind::Dispute => strains.push((RelationIx(i as u32), days)),
            RelationKind::Cooperation => {}
        }
    }
    let mut out = Vec::new();
    for (&g, in_group) in members.iter().filter(|(&g, _)| group.is_none_or(|only| only == g)) {
        for (r, days) in &strains {
            let rel = dataset.relation(*r);
            let (s, t) = (dataset.top_parent(rel.source), dataset.top_parent(rel.target));
            let (Some(ms), Some(mt)) = (in_group.get(&s), in_group.get(&t)) else { continue };
            if s == t {
                continue;
            }
            let best = days
                .iter()
                .flat_map(|a| ms.iter().flat_map(move |b| mt.iter().map(move |c| (a, b, c))))
                .filter(|(a, b, c)| a.0.max(b.0).max(c.0) < a.1.min(b.1).min(c.1))
                .map(|(a, b, c)| a.2.min(b.2).min(c.2))
                .max();
            if let Some(status) = best {
                out.push(Fracture { group: g, relation: *r, source_member: s, target_member: t, status });
            }
        }
    }
    out.sort_by_key(|f| {
        let (a, b) = (dataset.rank(f.source_member), dataset.rank(f.target_member));
        (dataset.rank(f.group), a.min(b), a.max(b), f.relation)
    });
    out
}

/// The fractures on `date`, optionally within one group, in group, pair and dataset order.
/// With `strict`, only active relations and memberships count.
pub fn on(dataset: &Dataset, date: Day, group: Option<ActorIx>, strict: bool) -> Vec<Fracture> {
    let counts = |s: Option<Status>| s.filter(|&s| s.counts(strict));
    // group -> member country -> best membership status
    let mut members: HashMap<ActorIx, HashMap<ActorIx, Status>> = HashMap::new();
    let mut strains: Vec<(RelationIx, Status)> = Vec::new();
    for r in dataset.timeline().on(date) {
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
    // Each member country's groups (of those asked about), so that each strain looks up its
    // two countries' groups once: going through every group's members for every strain cost
    // groups × strains, and the day of 10 million relations holds 1.8 million strains.
    let mut groups_of: HashMap<ActorIx, Vec<(ActorIx, Status)>> = HashMap::new();
    for (&g, in_group) in members.iter().filter(|(&g, _)| group.is_none_or(|only| only == g)) {
        for (&country, &status) in in_group {
            groups_of.entry(country).or_default().push((g, status));
        }
    }
    let mut out = Vec::new();
    if groups_of.is_empty() {
        return out;
    }
    for &(r, status) in &strains {
        let rel = dataset.relation(r);
        let (s, t) = (dataset.top_parent(rel.source), dataset.top_parent(rel.target));
        if s == t {
            continue;
        }
        let (Some(gs), Some(gt)) = (groups_of.get(&s), groups_of.get(&t)) else { continue };
        for &(g, ms) in gs {
            if let Some(&(_, mt)) = gt.iter().find(|(h, _)| *h == g) {
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

/// The fractures over `window` within `groups` (each once; none: every group), as
/// `georel fractures --group` lists them: each group's in pair order, the groups in dataset
/// order, as for all.
pub fn of_groups(dataset: &Dataset, window: Window, groups: &[ActorIx], strict: bool) -> Vec<Fracture> {
    if groups.is_empty() {
        return over(dataset, window, None, strict);
    }
    let mut by_rank = groups.to_vec();
    by_rank.sort_unstable_by_key(|&g| dataset.rank(g));
    by_rank.dedup();
    by_rank.iter().flat_map(|&g| over(dataset, window, Some(g), strict)).collect()
}

/// Why `g` cannot be a group whose members fractures are between, in words that follow its
/// name ("is a country"); `None` when it can: an alliance, an agreement or an organisation,
/// or an actor of unknown kind (without actors.csv) that some membership points to, which
/// `targeted` says (asked only then: the caller may have to read the whole dataset for it,
/// with [`is_targeted`]).
///
/// # Errors
/// `targeted`'s.
pub fn not_a_group<E>(
    dataset: &Dataset,
    g: ActorIx,
    targeted: impl FnOnce() -> Result<bool, E>,
) -> Result<Option<String>, E> {
    use crate::model::ActorKind;
    Ok(match dataset.actor(g).kind {
        ActorKind::Alliance | ActorKind::Agreement | ActorKind::Organisation => None,
        ActorKind::Unknown => (!targeted()?).then(|| "never the target of a membership".to_string()),
        kind => Some(format!("a {kind}")),
    })
}

/// Whether some membership of `dataset` (whole, for every day) points to `g`.
pub fn is_targeted(dataset: &Dataset, g: ActorIx) -> bool {
    dataset.relations.iter().any(|r| r.kind == RelationKind::Membership && r.target == g)
}

/// The message for a group that is not one ([`not_a_group`]): `named` is how the request named
/// it (`--group Denmark (DNK)`).
pub fn not_a_group_message(named: &str, what: &str) -> String {
    format!("{named} is {what}, not an alliance, agreement or organisation: fractures are strains between the members of one")
}
