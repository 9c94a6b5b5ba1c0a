//! `path`: the shortest connection between two actors on a day (fewest hops), or every simple
//! path up to a length, shortest first and then by actor ids.

use crate::date::{Day, OPEN_END};
use crate::model::{ActorIx, Dataset};
use crate::query::network::{Link, Network, Walk};
use crate::snapshot::{Options, Snapshot};

/// A path: its actors in order, and for each hop how the two actors are linked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub actors: Vec<ActorIx>,
    pub hops: Vec<Hop>,
}

/// How two consecutive actors of a path are linked: the snapshot edges (indexes) usable in
/// the walking direction, and whether one is part of the other (with `Walk::part_of`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub edges: Vec<usize>,
    pub part_of: bool,
}

impl Path {
    pub fn hop_count(&self) -> usize {
        self.hops.len()
    }
}

/// The shortest path from `from` to `to`; among shortest paths, the first by actor ids (in id
/// order, hop by hop). `None` when there is none.
///
/// Breadth-first search over the snapshot: O(V + E).
pub fn shortest(snapshot: &Snapshot<'_>, walk: &Walk, from: ActorIx, to: ActorIx) -> Option<Path> {
    if from == to {
        return Some(Path { actors: vec![from], hops: Vec::new() });
    }
    let net = Network::new(snapshot, walk);
    let n = snapshot.dataset.actors.len();
    let mut parent: Vec<Option<(ActorIx, Hop)>> = vec![None; n];
    let mut seen = vec![false; n];
    seen[from.index()] = true;
    let mut frontier = vec![from];
    // Level by level, expanding in discovery order with neighbours in id order: the first
    // time `to` is reached, its parent chain is the first shortest path by ids.
    // The search stops there: later discoveries cannot change `to`'s parent.
    'search: while !frontier.is_empty() {
        let mut next = Vec::new();
        for &at in &frontier {
            for Link { to: nb, edges, part_of } in net.links_to(at, false, |nb| !seen[nb.index()]) {
                if !seen[nb.index()] {
                    seen[nb.index()] = true;
                    parent[nb.index()] = Some((at, Hop { edges, part_of }));
                    if nb == to {
                        break 'search;
                    }
                    next.push(nb);
                }
            }
        }
        frontier = next;
    }
    if !seen[to.index()] {
        return None;
    }
    let mut actors = vec![to];
    let mut hops = Vec::new();
    let mut at = to;
    while let Some((prev, hop)) = parent[at.index()].take() {
        actors.push(prev);
        hops.push(hop);
        at = prev;
    }
    actors.reverse();
    hops.reverse();
    Some(Path { actors, hops })
}

/// Every simple path from `from` to `to` of at most `max_hops` hops, shortest first, then in
/// actor-id order, at most `limit` of them.
///
/// Paths are enumerated length by length by depth-first search in id order, pruned by each
/// node's distance to `to`, so the search stops as soon as `limit` paths are found. The
/// number of paths can still grow exponentially with `max_hops` on dense graphs.
pub fn all(
    snapshot: &Snapshot<'_>,
    walk: &Walk,
    from: ActorIx,
    to: ActorIx,
    max_hops: usize,
    limit: usize,
) -> Vec<Path> {
    if limit == 0 {
        return Vec::new();
    }
    if from == to {
        // As in `shortest`: an actor is connected to itself, by the path of no hops.
        return vec![Path { actors: vec![from], hops: Vec::new() }];
    }
    let net = Network::new(snapshot, walk);
    // Hop distances to `to`, for pruning. The start may be avoided (it is not entered, only
    // left), so the backward search must be allowed to reach it; letting it pass through the
    // start only shortens other distances, which keeps them valid lower bounds.
    let mut backward = walk.clone();
    backward.avoid.remove(&from);
    let mut to_target = vec![usize::MAX; snapshot.dataset.actors.len()];
    for (a, d) in Network::new(snapshot, &backward).distances(to, max_hops, true) {
        to_target[a.index()] = d;
    }
    let mut found = Vec::new();
    for length in 1..=max_hops {
        if to_target[from.index()] > length {
            continue;
        }
        let mut stack = Path { actors: vec![from], hops: Vec::new() };
        extend(&net, &to_target, to, length, limit, &mut stack, &mut found);
        if found.len() >= limit {
            break;
        }
    }
    found.truncate(limit);
    found
}

fn extend(
    net: &Network<'_, '_>,
    to_target: &[usize],
    to: ActorIx,
    length: usize,
    limit: usize,
    path: &mut Path,
    found: &mut Vec<Path>,
) {
    let at = *path.actors.last().expect("a path has a start");
    let left = length - path.hops.len();
    for Link { to: nb, edges, part_of } in net.links(at, false) {
        if found.len() >= limit {
            return;
        }
        if to_target[nb.index()] > left - 1 || path.actors.contains(&nb) {
            continue;
        }
        path.actors.push(nb);
        path.hops.push(Hop { edges, part_of });
        if nb == to {
            if left == 1 {
                found.push(path.clone());
            }
        } else if left > 1 {
            extend(net, to_target, to, length, limit, path, found);
        }
        path.actors.pop();
        path.hops.pop();
    }
}

/// The dates nearest to `date` on which a path exists, when there is none on `date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nearest {
    /// The last day before `date` with a path.
    pub earlier: Option<Day>,
    /// The first day after `date` with a path.
    pub later: Option<Day>,
    /// True when the search gave up (after `probes` dates on a side) before finding one.
    pub gave_up: bool,
}

/// Looks for the nearest days before and after `date` on which `from` and `to` are
/// connected, with the same options and walk. The graph only changes on the days where some
/// relation's status changes, so only those are tried, nearest first, at most `probes` on
/// each side (each try takes a snapshot).
pub fn nearest(
    dataset: &Dataset,
    options: Options,
    walk: &Walk,
    from: ActorIx,
    to: ActorIx,
    date: Day,
    probes: usize,
) -> Nearest {
    let mut bounds: Vec<Day> = dataset
        .relations
        .iter()
        .flat_map(|r| [r.span.possible_from, r.span.active_from, r.span.active_until, r.span.possible_until])
        .filter(|&d| d != OPEN_END)
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let connected = |day: Day| shortest(&Snapshot::at(dataset, day, options), walk, from, to).is_some();
    let split = bounds.partition_point(|&d| d <= date);
    let mut gave_up = false;

    // Each bound before `date` opens a stretch that lasts until the next bound (or `date`).
    let mut earlier = None;
    for (tried, i) in (0..split).rev().enumerate() {
        if tried == probes {
            gave_up = true;
            break;
        }
        let start = bounds[i];
        let next = bounds.get(i + 1).copied().filter(|&d| d <= date).unwrap_or(date);
        if start < next && connected(start) {
            earlier = next.yesterday().ok();
            break;
        }
    }
    let mut later = None;
    for (tried, &day) in bounds[split..].iter().enumerate() {
        if tried == probes {
            gave_up = true;
            break;
        }
        if connected(day) {
            later = Some(day);
            break;
        }
    }
    Nearest { earlier, later, gave_up }
}
