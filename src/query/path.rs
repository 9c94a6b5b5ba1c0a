//! `path`: the shortest connection between two actors in a snapshot (fewest hops), or every simple
//! path up to a length, shortest first. Among paths of one length, the preferred one has the
//! fewest strained hops, then the better grades (weakest hop first), then the first actor ids
//! hop by hop: [`PathKey`].

use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use crate::date::{Day, Window};
use crate::model::{ActorIx, Dataset, Grade, RelationKind};
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

    /// The weakest grade on the path: each hop counts at its best graded relation (a link
    /// holds as well as its best evidence), and the path is as good as its weakest hop, on
    /// each scale separately ([`Grade::weakest`]). `None` when no hop has a relation (only
    /// "part of" hops).
    pub fn weakest_grade(&self, snapshot: &Snapshot<'_>) -> Option<Grade> {
        self.hops.iter().filter_map(|hop| best_grade(snapshot, hop)).reduce(Grade::weakest)
    }
}

/// The best grade ([`Grade::rank`]) of a hop's relations, as a hop stands if one of its
/// links does; `None` when it has none.
fn best_grade(snapshot: &Snapshot<'_>, hop: &Hop) -> Option<Grade> {
    let ds = snapshot.dataset;
    hop.edges
        .iter()
        .flat_map(|&e| snapshot.members(&snapshot.edges[e]))
        .map(|m| ds.grade(m.relation))
        .min_by_key(|g| g.rank())
}

/// Whether a hop is strained: one of its edges is contested, a restriction or a dispute.
pub fn strained(snapshot: &Snapshot<'_>, edges: &[usize]) -> bool {
    edges.iter().any(|&i| {
        let e = &snapshot.edges[i];
        e.contested || matches!(e.kind, RelationKind::Restriction | RelationKind::Dispute)
    })
}

/// How well a hop is attested, lower is better: the best grade ([`Grade::rank`]: the
/// source's reliability, then the information's credibility) of any of its relations, as a
/// hop stands if one of its links does. A "part of" hop with no relation comes from
/// actors.csv, not from a report: it is as good as a grade gets. The one place a hop's grade
/// is read for choosing paths.
fn hop_grade_key(snapshot: &Snapshot<'_>, hop: &Hop) -> u8 {
    if hop.part_of {
        return 0;
    }
    best_grade(snapshot, hop).unwrap_or(Grade::UNJUDGED).rank()
}

/// What orders the paths of one length, smaller first: the count of strained hops, then the
/// hops' grade keys weakest first (so the path whose weakest hop is better comes first, then
/// its second weakest...), then the actors' id ranks hop by hop.
///
/// Extending two paths to the same node by the same hop keeps their order (each part does:
/// adding the same number, inserting the same grade into two sorted lists, appending the same
/// id), which is what lets [`shortest`] find the first path one layer at a time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct PathKey {
    strained: u32,
    /// Descending: the weakest hop first.
    grades: Vec<u8>,
    ids: Vec<u32>,
}

/// What a hop adds to a [`PathKey`].
#[derive(Debug, Clone, Copy)]
struct Step {
    strained: bool,
    grade: u8,
    rank: u32,
}

impl Step {
    fn of(snapshot: &Snapshot<'_>, hop: &Hop, to: ActorIx) -> Step {
        Step {
            strained: strained(snapshot, &hop.edges),
            grade: hop_grade_key(snapshot, hop),
            rank: snapshot.dataset.rank(to),
        }
    }
}

impl PathKey {
    /// The key of a path extended by `step`.
    fn then(&self, step: Step) -> PathKey {
        let mut next = self.clone();
        next.strained += u32::from(step.strained);
        let at = next.grades.partition_point(|&g| g >= step.grade);
        next.grades.insert(at, step.grade);
        next.ids.push(step.rank);
        next
    }

    /// How this key extended by `step` compares with `other`, without building it: a search
    /// compares far more candidates than it keeps.
    fn cmp_then(&self, step: Step, other: &PathKey) -> Ordering {
        let at = self.grades.partition_point(|&g| g >= step.grade);
        let grades = self.grades[..at].iter().chain([&step.grade]).chain(&self.grades[at..]);
        let ids = self.ids.iter().chain([&step.rank]);
        (self.strained + u32::from(step.strained))
            .cmp(&other.strained)
            .then_with(|| grades.cmp(other.grades.iter()))
            .then_with(|| ids.cmp(other.ids.iter()))
    }

    /// The key of a whole path.
    pub fn of(snapshot: &Snapshot<'_>, path: &Path) -> PathKey {
        let mut key = PathKey::default();
        for (hop, &to) in path.hops.iter().zip(&path.actors[1..]) {
            key = key.then(Step::of(snapshot, hop, to));
        }
        key
    }
}

/// The shortest path from `from` to `to`; among shortest paths, the first by [`PathKey`]
/// (fewest strained hops, better grades, then actor ids). `None` when there is none.
///
/// Three passes, none of them a list of paths: a breadth-first search from `from` that stops
/// when it reaches `to` (O(V + E) at most), giving each node reached its level; a walk back
/// from `to` through the links that come from one level nearer, which marks the nodes on
/// shortest paths; and, level by level over those nodes only, each node's best path, which
/// extends a best path to a node of the level before (extending keeps [`PathKey`]'s order).
/// The last two are O((V' + E') · L) for the V' nodes and E' links on shortest paths of L
/// hops, as a key is compared and copied in O(L).
pub fn shortest(snapshot: &Snapshot<'_>, walk: &Walk, from: ActorIx, to: ActorIx) -> Option<Path> {
    if from == to {
        return Some(Path { actors: vec![from], hops: Vec::new() });
    }
    let net = Network::new(snapshot, walk);
    let n = snapshot.dataset.actors.len();
    const UNSEEN: u32 = u32::MAX;
    let mut level = vec![UNSEEN; n];
    level[from.index()] = 0;
    let mut frontier = vec![from];
    let mut depth = 0;
    // The search stops once `to` is reached: its level is then known, and so are the levels
    // of all the nodes before it, which is all the later passes read.
    'search: while !frontier.is_empty() {
        depth += 1;
        let mut next = Vec::new();
        for &at in &frontier {
            for link in net.links_to(at, false, |nb| level[nb.index()] == UNSEEN) {
                level[link.to.index()] = depth;
                if link.to == to {
                    break 'search;
                }
                next.push(link.to);
            }
        }
        frontier = next;
    }
    if level[to.index()] == UNSEEN {
        return None;
    }
    // Back from `to`, level by level: the nodes on some shortest path.
    let hops = level[to.index()] as usize;
    let mut on_path: Vec<Vec<ActorIx>> = vec![Vec::new(); hops + 1];
    on_path[hops].push(to);
    let mut marked: HashMap<ActorIx, ()> = HashMap::from([(to, ())]);
    // Level 1 is what `from` links to, so level 0 is `from` alone: looked up backwards, an
    // avoided start (which a walk may leave but not enter) would not be found.
    on_path[0].push(from);
    for k in (2..=hops).rev() {
        let mut before = Vec::new();
        for &x in &on_path[k] {
            let wanted = |nb: ActorIx| level[nb.index()] == k as u32 - 1 && !marked.contains_key(&nb);
            for link in net.links_to(x, true, wanted) {
                marked.insert(link.to, ());
                before.push(link.to);
            }
        }
        on_path[k - 1] = before;
    }
    // Forward over those nodes: each one's best path and its last hop.
    let mut best: HashMap<ActorIx, (PathKey, Option<(ActorIx, Hop)>)> = HashMap::new();
    best.insert(from, (PathKey::default(), None));
    for (k, nodes) in on_path.iter().enumerate().take(hops) {
        for &at in nodes {
            let key = best[&at].0.clone();
            let wanted = |nb: ActorIx| level[nb.index()] == k as u32 + 1 && marked.contains_key(&nb);
            for Link { to: nb, edges, part_of } in net.links_to(at, false, wanted) {
                let hop = Hop { edges, part_of };
                let step = Step::of(snapshot, &hop, nb);
                match best.get(&nb) {
                    Some((known, _)) if key.cmp_then(step, known) != Ordering::Less => {}
                    _ => {
                        best.insert(nb, (key.then(step), Some((at, hop))));
                    }
                }
            }
        }
    }
    let mut actors = vec![to];
    let mut hops = Vec::new();
    let mut at = to;
    while let Some((prev, hop)) = best.get_mut(&at).and_then(|b| b.1.take()) {
        actors.push(prev);
        hops.push(hop);
        at = prev;
    }
    actors.reverse();
    hops.reverse();
    Some(Path { actors, hops })
}

/// How far `path --all` looks: the longest path, how many paths to list, and how much work to
/// spend before giving up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// The longest path to list, in hops.
    pub max_hops: usize,
    /// List at most this many paths.
    pub limit: usize,
    /// Give up after this many tries: a try is one step of a partial path to one neighbour
    /// (kept or pruned), and a path found costs one per hop (it is copied). The work, and so
    /// the time, is proportional to it.
    pub tries: u64,
}

/// The default [`Bounds::tries`]: about a second at most (a try takes some nanoseconds), far
/// below on most graphs.
pub const DEFAULT_TRIES: u64 = 100_000_000;

/// The most paths [`all`] may be asked to list ([`Bounds::limit`]): more is no answer anyone
/// reads, and each is kept in memory until it is written.
pub const MAX_LIMIT: usize = 100_000;

/// What [`all`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllPaths {
    /// The paths found, in order (shortest first, then by [`PathKey`]). When the search gave
    /// up, they are still the first ones of the full answer, in order: nothing is skipped
    /// before them (the paths of the length it gave up in are left out, as a better one of
    /// that length may not have been found yet).
    pub paths: Vec<Path>,
    /// How many tries the search took.
    pub tried: u64,
    /// False when the search ran out of tries before it could tell whether more paths
    /// (up to the limit) exist: the answer is then incomplete.
    pub complete: bool,
    /// The path length being searched when the search gave up.
    pub stopped_at: Option<usize>,
}

/// Every simple path from `from` to `to` of at most `bounds.max_hops` hops, shortest first,
/// then by [`PathKey`] as [`shortest`] prefers them, at most `bounds.limit` of them, found
/// within `bounds.tries`.
///
/// Paths are enumerated length by length by depth-first search, and each length is sorted
/// once it is done (only its best `limit` paths are kept meanwhile), so the search stops at
/// the end of the length that reaches the limit. A step is pruned when its node cannot reach `to`
/// in the hops left (its distance to `to` in the graph without the start, which no simple
/// path from the start goes back through). That bound ignores the other nodes already on the
/// path, so some graphs still hold exponentially many dead ends (a clique reachable only
/// through the start's one link to the target's side); the count of tries bounds the work
/// there, and [`AllPaths::complete`] says when it ran out.
pub fn all(snapshot: &Snapshot<'_>, walk: &Walk, from: ActorIx, to: ActorIx, bounds: Bounds) -> AllPaths {
    let mut result = AllPaths { paths: Vec::new(), tried: 0, complete: true, stopped_at: None };
    if bounds.limit == 0 {
        return result;
    }
    if from == to {
        // As in `shortest`: an actor is connected to itself, by the path of no hops.
        result.paths.push(Path { actors: vec![from], hops: Vec::new() });
        return result;
    }
    let net = Network::new(snapshot, walk);
    // Hop distances to `to` that never pass through the start: a simple path leaves it once
    // and never comes back, so these are lower bounds on the hops left after any step.
    let mut backward = walk.clone();
    backward.avoid.insert(from);
    let n = snapshot.dataset.actors.len();
    let mut to_target = vec![usize::MAX; n];
    for (a, d) in Network::new(snapshot, &backward).distances(to, bounds.max_hops, true) {
        to_target[a.index()] = d;
    }
    let mut search = Search {
        snapshot,
        net,
        to_target,
        links: HashMap::new(),
        on_path: vec![false; n],
        to,
        limit: bounds.limit,
        tries: bounds.tries,
        tried: 0,
        found: Vec::new(),
        length_found: Vec::new(),
        gave_up: false,
    };
    search.on_path[from.index()] = true;
    // The shortest length worth searching: one hop to a neighbour, then its distance.
    let nearest = search
        .links_of(from)
        .iter()
        .filter_map(|l| search.to_target[l.to.index()].checked_add(1))
        .min()
        .unwrap_or(usize::MAX);
    for length in nearest..=bounds.max_hops {
        let mut path = Path { actors: vec![from], hops: Vec::new() };
        search.extend(length, &mut path);
        if search.gave_up {
            result.stopped_at = Some(length);
            break;
        }
        search.keep_best();
        search.found.extend(search.length_found.drain(..).map(|(_, p)| p));
        if search.found.len() >= bounds.limit {
            break;
        }
    }
    result.complete = !search.gave_up || search.found.len() >= bounds.limit;
    search.found.truncate(bounds.limit);
    result.paths = search.found;
    result.tried = search.tried;
    result
}

/// The state of one [`all`] search.
struct Search<'s, 'd> {
    snapshot: &'s Snapshot<'d>,
    net: Network<'s, 'd>,
    to_target: Vec<usize>,
    /// Each node's links, computed once: a dense graph visits its nodes many times.
    links: HashMap<ActorIx, Rc<[Link]>>,
    on_path: Vec<bool>,
    to: ActorIx,
    limit: usize,
    tries: u64,
    tried: u64,
    found: Vec<Path>,
    /// The paths of the length being searched, with their keys; at most twice the paths
    /// still wanted between two calls of [`Search::keep_best`].
    length_found: Vec<(PathKey, Path)>,
    gave_up: bool,
}

impl Search<'_, '_> {
    /// Sorts the paths of the length being searched and keeps the best that are still wanted.
    fn keep_best(&mut self) {
        self.length_found.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.length_found.truncate(self.limit - self.found.len());
    }

    fn links_of(&mut self, at: ActorIx) -> Rc<[Link]> {
        let net = &self.net;
        self.links.entry(at).or_insert_with(|| net.links(at, false).into()).clone()
    }

    /// Extends `path` in every way that ends at `to` after exactly `length` hops. Iterative,
    /// with a stack of where each node's links stand: a long path must not exhaust the
    /// thread's stack.
    fn extend(&mut self, length: usize, path: &mut Path) {
        let start = *path.actors.last().expect("a path has a start");
        let mut stack: Vec<(Rc<[Link]>, usize)> = vec![(self.links_of(start), 0)];
        while let Some((links, next)) = stack.last_mut() {
            let Some(Link { to: nb, edges, part_of }) = links.get(*next) else {
                stack.pop();
                // Leave the node whose links are done (the start stays: it is the caller's).
                if !stack.is_empty() {
                    let done = path.actors.pop().expect("a node per level");
                    path.hops.pop();
                    self.on_path[done.index()] = false;
                }
                continue;
            };
            *next += 1;
            if self.tried == self.tries {
                self.gave_up = true;
                return;
            }
            self.tried += 1;
            let nb = *nb;
            let left = length - path.hops.len();
            if self.to_target[nb.index()] > left - 1 || self.on_path[nb.index()] {
                continue;
            }
            let hop = Hop { edges: edges.clone(), part_of: *part_of };
            if nb == self.to {
                if left == 1 {
                    // Keeping a path copies it: a try per hop, so that the tries bound the
                    // time even when most steps find one (a clique, a large --limit).
                    let copy = length as u64;
                    if self.tries - self.tried < copy {
                        self.gave_up = true;
                        return;
                    }
                    self.tried += copy;
                    path.actors.push(nb);
                    path.hops.push(hop);
                    self.length_found.push((PathKey::of(self.snapshot, path), path.clone()));
                    path.actors.pop();
                    path.hops.pop();
                    if self.length_found.len() >= 2 * (self.limit - self.found.len()) {
                        self.keep_best();
                    }
                }
            } else if left > 1 {
                path.actors.push(nb);
                path.hops.push(hop);
                self.on_path[nb.index()] = true;
                let links = self.links_of(nb);
                stack.push((links, 0));
            }
        }
    }
}

/// The dates nearest to a window on which a path exists, when there is none in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nearest {
    /// The last day before the window with a path.
    pub earlier: Option<Day>,
    /// The first day after the window with a path.
    pub later: Option<Day>,
    /// True when the search gave up (after `probes` dates on a side) before finding one.
    pub gave_up: bool,
}

/// Looks for the nearest days before and after `window` (one day, or a period) on which
/// `from` and `to` are connected, with the same options and walk. The graph only changes on
/// the days where some relation's status changes, so only those are tried, nearest first, at
/// most `probes` on each side (each try takes a snapshot); the days within the window are not
/// tried (the caller found no path there).
pub fn nearest(
    dataset: &Dataset,
    options: Options,
    walk: &Walk,
    from: ActorIx,
    to: ActorIx,
    window: Window,
    probes: usize,
) -> Nearest {
    let date = window.first;
    let mut bounds: Vec<Day> = dataset.relations.iter().flat_map(|r| r.span.changes()).collect();
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
    let after = bounds.partition_point(|&d| d <= window.last);
    for (tried, &day) in bounds[after..].iter().enumerate() {
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
