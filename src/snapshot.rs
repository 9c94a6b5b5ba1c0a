//! The graph as it stood on one day, or over a window of days (the union of its days'
//! graphs): which relations hold (active or possible), which pairs are contested, and each
//! node's degree, either actor by actor or rolled up to countries.
//! petgraph holds the graph; callers see actor and relation indexes only.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::date::{Day, Span, Status, Window};
use crate::hint::prefetch;
use crate::model::{ActorIx, Dataset, Held, KindSet, Relation, RelationIx, RelationKind};
use crate::timeline;

/// Which relations a snapshot keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    /// Only relations of these kinds are shown.
    pub kinds: KindSet,
    /// Keep only `active` relations, dropping those that are merely `possible`.
    pub strict: bool,
}

impl Default for Filter {
    fn default() -> Self {
        Filter { kinds: KindSet::ALL, strict: false }
    }
}

/// Which actors a snapshot lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActorScope {
    /// Only actors with at least one relation in the snapshot.
    #[default]
    Connected,
    /// Every actor (every top-level actor, when rolled up to countries).
    All,
}

/// What the snapshot's nodes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    /// Each actor is a node, and each relation an edge.
    #[default]
    Actors,
    /// Each agency, person or other dependant is merged into its top-level parent (a country,
    /// usually). Relations between the same two nodes, of the same kind and direction, merge
    /// into one edge that keeps the list of its relations. Relations inside one country
    /// (CIA → FBI) are left out and counted in [`Snapshot::internal`].
    Countries,
}

impl Grouping {
    /// The node that an actor belongs to under this grouping.
    pub fn unit(self, dataset: &Dataset, actor: ActorIx) -> ActorIx {
        match self {
            Grouping::Actors => actor,
            Grouping::Countries => dataset.top_parent(actor),
        }
    }
}

/// How a snapshot is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub filter: Filter,
    pub scope: ActorScope,
    pub grouping: Grouping,
}

/// A relation as it stands in a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub relation: RelationIx,
    pub status: Status,
}

/// An edge of the snapshot: one relation, or (rolled up to countries) several relations of
/// the same kind and direction between the same two nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub source: ActorIx,
    pub target: ActorIx,
    pub kind: RelationKind,
    pub directed: bool,
    /// `active` when any of its relations is active.
    pub status: Status,
    /// The pair has both a cooperation and a restriction holding on the day (in a window: on
    /// a day of it on which the edge holds too).
    pub contested: bool,
    members: Range<u32>,
}

/// A node of the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub actor: ActorIx,
    /// The number of the snapshot's edges that touch the node.
    pub degree: u32,
}

/// The graph on one day, or over a window of days.
#[derive(Debug)]
pub struct Snapshot<'d> {
    pub dataset: &'d Dataset,
    /// The day ([`Snapshot::at`]) or the days ([`Snapshot::over`]) it is taken over.
    pub window: Window,
    pub options: Options,
    /// Sorted by source id, target id, start, then dataset order.
    pub edges: Vec<Edge>,
    /// Sorted by actor id.
    pub nodes: Vec<Node>,
    /// Relations that hold and pass the filter but join two actors of the same country, so
    /// have no edge when rolled up to countries (always 0 actor by actor).
    pub internal: usize,
    members: Vec<Member>,
    graph: DiGraph<ActorIx, usize>,
    node_of: Vec<Option<NodeIndex>>,
}

impl<'d> Snapshot<'d> {
    /// Takes the snapshot of `dataset` on `date`.
    ///
    /// A pair of nodes is contested when a cooperation and a restriction between them (in
    /// either direction) both hold on the day. This is decided before the kind filter, so a
    /// cooperation shown alone is still flagged when a hidden restriction contradicts it;
    /// with `strict`, only active relations count.
    ///
    /// Cost: O(log n + k log k) for k holding relations, via the time index.
    ///
    /// # Panics
    /// When `dataset` is a cut for another day (see [`Dataset::covers`]): a caller's mistake.
    pub fn at(dataset: &'d Dataset, date: Day, options: Options) -> Self {
        assert!(dataset.covers(date), "a snapshot on {date} of a dataset cut for another day");
        let Options { filter, grouping, .. } = options;
        let unit = |a: ActorIx| grouping.unit(dataset, a);
        // Vectors of millions are sized once: growing them by doubling touched twice the
        // memory, and zeroing fresh pages was a sixth of a large snapshot's time.
        let mut holding: Vec<Member> = Vec::with_capacity(dataset.timeline.count_on(date));
        dataset.timeline.for_each_on(date, |r| {
            if let Some(status) = dataset.relation(r).span.status_on(date) {
                if !filter.strict || status == Status::Active {
                    holding.push(Member { relation: r, status });
                }
            }
        });
        holding.sort_unstable_by_key(|m| m.relation);

        let contested = contested_pairs(dataset, &holding, unit);
        let contested = |s: ActorIx, t: ActorIx, _: &[Member]| contested.contains(&pair_key(s, t));
        Snapshot::of_holding(dataset, Window::day(date), options, holding, contested)
    }

    /// Takes the snapshot of `dataset` over the days of `window`: the union of its days'
    /// snapshots. A relation is in it when it holds on some day of the window, `active` when
    /// it is active on some day of it (with `strict`, only those); an edge is contested when,
    /// on some day of the window, it holds and its pair is contested. A window of one day is
    /// [`Snapshot::at`] that day.
    ///
    /// Cost, for more than one day: O(n + k log k), every relation being read.
    ///
    /// # Panics
    /// When `dataset` is a cut (see [`Dataset::covers`]) and the window is more than its day.
    pub fn over(dataset: &'d Dataset, window: Window, options: Options) -> Self {
        if let Some(day) = window.as_day() {
            return Snapshot::at(dataset, day, options);
        }
        assert!(dataset.is_whole(), "a snapshot over {window} of a dataset cut for one day");
        let Options { filter, grouping, .. } = options;
        let unit = |a: ActorIx| grouping.unit(dataset, a);
        let holding: Vec<Member> = (0..dataset.relations.len() as u32)
            .map(RelationIx)
            .filter_map(|r| {
                let status = dataset.relation(r).span.status_in(window)?;
                (!filter.strict || status == Status::Active).then_some(Member { relation: r, status })
            })
            .collect();
        let contested = contested_days(dataset, &holding, unit, window, filter.strict);
        let contested = |s: ActorIx, t: ActorIx, group: &[Member]| {
            contested.get(&pair_key(s, t)).is_some_and(|days| {
                group.iter().any(|m| {
                    let (from, until) = days_held(&dataset.relation(m.relation).span, window, filter.strict);
                    days.iter().any(|&(f, u)| f.max(from) < u.min(until))
                })
            })
        };
        Snapshot::of_holding(dataset, window, options, holding, contested)
    }

    /// The snapshot made of the `holding` relations (in dataset order); `contested` says
    /// whether the edge between two nodes made of a group of them is contested.
    fn of_holding(
        dataset: &'d Dataset,
        window: Window,
        options: Options,
        holding: Vec<Member>,
        contested: impl Fn(ActorIx, ActorIx, &[Member]) -> bool,
    ) -> Self {
        let Options { filter, scope, grouping } = options;
        let unit = |a: ActorIx| grouping.unit(dataset, a);
        let mut internal = 0;
        let mut members = Vec::with_capacity(holding.len());
        let mut edges = Vec::with_capacity(holding.len());
        let mut first_start = Vec::with_capacity(holding.len());
        let mut push_edge = |edges: &mut Vec<Edge>, group: &[Member], source: ActorIx, target: ActorIx| {
            let r = dataset.relation(group[0].relation);
            let start = members.len() as u32;
            members.extend_from_slice(group);
            edges.push(Edge {
                source,
                target,
                kind: r.kind,
                directed: r.directed,
                status: group.iter().map(|m| m.status).max().unwrap_or(Status::Possible),
                contested: contested(source, target, group),
                members: start..members.len() as u32,
            });
            first_start.push((r.span.possible_from, group[0].relation));
        };
        let kept = holding.into_iter().filter(|m| filter.kinds.contains(dataset.relation(m.relation).kind));
        match grouping {
            Grouping::Actors => {
                for m in kept {
                    let r = dataset.relation(m.relation);
                    push_edge(&mut edges, &[m], r.source, r.target);
                }
            }
            Grouping::Countries => {
                // One edge per (source, target, kind, directed); a mutual relation's ends are
                // put in id order so that both directions merge.
                let mut groups: HashMap<(ActorIx, ActorIx, RelationKind, bool), Vec<Member>> = HashMap::new();
                for m in kept {
                    let r = dataset.relation(m.relation);
                    let (mut s, mut t) = (unit(r.source), unit(r.target));
                    if s == t {
                        internal += 1;
                        continue;
                    }
                    if !r.directed && dataset.rank(s) > dataset.rank(t) {
                        std::mem::swap(&mut s, &mut t);
                    }
                    groups.entry((s, t, r.kind, r.directed)).or_default().push(m);
                }
                // Members arrive in dataset order; order the groups by their first member so
                // that the result does not depend on hash order.
                let mut groups: Vec<_> = groups.into_iter().collect();
                groups.sort_unstable_by_key(|(key, group)| (group[0].relation, key.2));
                for ((s, t, _, _), group) in groups {
                    push_edge(&mut edges, &group, s, t);
                }
            }
        }

        let (edges, members) = sort_edges(dataset, edges, &members, &first_start);

        let extra: Vec<ActorIx> = match scope {
            ActorScope::All => (0..dataset.actors.len() as u32).map(|a| unit(ActorIx(a))).collect(),
            ActorScope::Connected => Vec::new(),
        };
        Snapshot::assemble(dataset, window, options, edges, members, &extra, internal)
    }

    /// The part of this snapshot made of the given edges (indexes; the result keeps them in
    /// snapshot order, so the i-th smallest index becomes edge i) and their ends, plus
    /// `extra` nodes; degrees count only the kept edges. For
    /// neighbourhoods and other sub-graphs that are written like a snapshot.
    pub fn restrict(&self, edges: &[usize], extra: &[ActorIx]) -> Snapshot<'d> {
        let mut keep = edges.to_vec();
        keep.sort_unstable();
        keep.dedup();
        let mut members = Vec::new();
        let kept = keep
            .iter()
            .map(|&i| {
                let e = &self.edges[i];
                let start = members.len() as u32;
                members.extend_from_slice(self.members(e));
                Edge { members: start..members.len() as u32, ..e.clone() }
            })
            .collect();
        Snapshot::assemble(self.dataset, self.window, self.options, kept, members, extra, 0)
    }

    /// Builds the graph, the nodes and their degrees around sorted edges.
    fn assemble(
        dataset: &'d Dataset,
        window: Window,
        options: Options,
        edges: Vec<Edge>,
        members: Vec<Member>,
        extra: &[ActorIx],
        internal: usize,
    ) -> Snapshot<'d> {
        let mut graph = DiGraph::with_capacity(0, edges.len());
        let mut node_of: Vec<Option<NodeIndex>> = vec![None; dataset.actors.len()];
        let mut node = |graph: &mut DiGraph<ActorIx, usize>, a: ActorIx| {
            *node_of[a.index()].get_or_insert_with(|| graph.add_node(a))
        };
        for &a in extra {
            node(&mut graph, a);
        }
        let mut degree: Vec<u32> = Vec::new();
        for (i, e) in edges.iter().enumerate() {
            let (s, t) = (node(&mut graph, e.source), node(&mut graph, e.target));
            graph.add_edge(s, t, i);
            degree.resize(graph.node_count(), 0);
            degree[s.index()] += 1;
            degree[t.index()] += 1;
        }
        degree.resize(graph.node_count(), 0);
        let mut nodes: Vec<Node> =
            graph.node_indices().map(|n| Node { actor: graph[n], degree: degree[n.index()] }).collect();
        nodes.sort_unstable_by_key(|n| dataset.rank(n.actor));
        Snapshot { dataset, window, options, edges, nodes, internal, members, graph, node_of }
    }

    /// The relations that make up an edge, in dataset order.
    pub fn members(&self, edge: &Edge) -> &[Member] {
        &self.members[edge.members.start as usize..edge.members.end as usize]
    }

    /// Whether `actor` is a node of the snapshot.
    pub fn contains(&self, actor: ActorIx) -> bool {
        self.node_of[actor.index()].is_some()
    }

    /// Number of edges of contested pairs in the snapshot.
    pub fn contested_count(&self) -> usize {
        self.edges.iter().filter(|e| e.contested).count()
    }

    /// Number of edges whose status is `possible`.
    pub fn possible_count(&self) -> usize {
        self.edges.iter().filter(|e| e.status == Status::Possible).count()
    }

    /// The petgraph graph (node weight: actor, edge weight: index into `edges`) and the node
    /// of each actor, for the query code.
    pub(crate) fn graph(&self) -> (&DiGraph<ActorIx, usize>, &[Option<NodeIndex>]) {
        (&self.graph, &self.node_of)
    }
}

/// An edge of a snapshot taken source by source ([`stream`]): one relation, decoded, with
/// its status and whether its pair is contested on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamEdge<'r> {
    pub relation: &'r Relation,
    pub status: Status,
    pub contested: bool,
}

/// What a snapshot taken source by source held: the counts that a [`Snapshot`] reports.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub nodes: usize,
    pub edges: usize,
    pub possible: usize,
    pub contested: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.nodes += other.nodes;
        self.edges += other.edges;
        self.possible += other.possible;
        self.contested += other.contested;
    }
}

/// The actors in id order: the order of a snapshot's sources, in which [`stream`] takes them.
pub fn sources(people: &Dataset) -> Vec<ActorIx> {
    let mut sources: Vec<ActorIx> = (0..people.actors.len() as u32).map(ActorIx).collect();
    sources.sort_unstable_by_key(|&a| people.rank(a));
    sources
}

/// The edges of a snapshot on one day, actor by actor ([`Grouping::Actors`]), whose sources
/// are `sources`, handed to `each` one source at a time, without holding them all: so that
/// writing them out starts at once. With every actor in the order of [`sources`] (or that list
/// cut into runs, taken one after the other), the edges come in the order of [`Snapshot::at`].
/// `people` holds the dataset's actors (its relations are not used); `read` gives the
/// relations touching an actor that hold on the day, and `decode` appends the relations with
/// the given numbers, in that order (all the edges of a source at once, so that reading them
/// can overlap).
/// Each actor's relations are read once, which gives both its edges and which of its pairs
/// are contested (the edges of a pair are all among the relations of either end). `each`
/// receives the edges of one source, in the snapshot's order; the result counts, for these
/// sources, what a snapshot would report (its nodes: the sources that are nodes).
///
/// # Errors
/// What `read`, `decode` or `each` returns.
///
/// # Panics
/// When `options` rolls up to countries (a caller's mistake: those edges merge relations of
/// many actors).
pub fn stream<E>(
    people: &Dataset,
    options: Options,
    sources: &[ActorIx],
    mut read: impl FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E>,
    mut decode: impl FnMut(&[RelationIx], &mut Vec<Relation>) -> Result<(), E>,
    mut each: impl FnMut(&[StreamEdge]) -> Result<(), E>,
) -> Result<Counts, E> {
    assert_eq!(options.grouping, Grouping::Actors, "a snapshot streamed by source is actor by actor");
    let Filter { kinds, strict } = options.filter;
    let n = people.actors.len();
    let mut counts = Counts::default();
    // For each other end of the source's relations: a cooperation (bit 0) and a restriction
    // (bit 1) hold with it.
    let mut pair_kinds = vec![0u8; n];
    let (mut held, mut wanted, mut decoded) = (Vec::new(), Vec::new(), Vec::new());
    // Each outgoing edge's place in the output, its number among the source's decoded
    // relations, its status and whether its pair is contested: sorted small, the relations
    // themselves (64 bytes each) are not moved about.
    let mut keyed = Vec::<((u32, Day, RelationIx), u32, Status, bool)>::new();
    for &source in sources {
        held.clear();
        read(source, &mut |h: Held| {
            if !strict || h.status == Status::Active {
                held.push(h);
            }
        })?;
        let other = |h: &Held| if h.source == source { h.target } else { h.source };
        let mut connected = false;
        for h in &held {
            pair_kinds[other(h).index()] |= match h.kind {
                RelationKind::Cooperation => 1,
                RelationKind::Restriction => 2,
                RelationKind::Dispute | RelationKind::Membership => 0,
            };
            connected |= kinds.contains(h.kind);
        }
        if connected || options.scope == ActorScope::All {
            counts.nodes += 1;
        }
        // The source's edges, decoded together (so that the reads can overlap).
        let outgoing = || held.iter().filter(|h| h.source == source && kinds.contains(h.kind));
        wanted.clear();
        wanted.extend(outgoing().map(|h| h.relation));
        decoded.clear();
        decode(&wanted, &mut decoded)?;
        keyed.clear();
        keyed.extend(outgoing().zip(&decoded).zip(0u32..).map(|((h, relation), i)| {
            let key = (people.rank(h.target), relation.span.possible_from, h.relation);
            (key, i, h.status, pair_kinds[h.target.index()] == 3)
        }));
        for h in &held {
            pair_kinds[other(h).index()] = 0;
        }
        keyed.sort_unstable_by_key(|e| e.0);
        let edges: Vec<StreamEdge<'_>> = keyed
            .iter()
            .map(|&(_, i, status, contested)| StreamEdge {
                relation: &decoded[i as usize],
                status,
                contested,
            })
            .collect();
        counts.edges += edges.len();
        counts.possible += edges.iter().filter(|e| e.status == Status::Possible).count();
        counts.contested += edges.iter().filter(|e| e.contested).count();
        if !edges.is_empty() {
            each(&edges)?;
        }
    }
    Ok(counts)
}

/// Each actor's relations in a dataset that hold on a day (a relation under its source and
/// its target), as a search of the day sees them: what [`stream`] reads when the dataset is
/// in memory rather than in an index file. The relations are read in dataset order when the
/// lists are laid out, and the lists are read in sequence: reading the relations themselves
/// actor by actor, in random order, waited on memory for a tenth of the time of streaming a
/// snapshot.
pub struct Incident {
    /// The lists of the first half of the relations, then of the second: each half is laid
    /// out by its own thread, and an actor's relations are its list in the first, then its
    /// list in the second (so, in dataset order).
    halves: [Lists; 2],
}

/// Each actor's relations of a range of relations: actor `a`'s are
/// `list[offsets[a]..offsets[a + 1]]`, in dataset order.
struct Lists {
    offsets: Vec<usize>,
    list: Vec<Held>,
}

impl Incident {
    /// The lists of `dataset`'s actors on `day`: a counting sort, O(actors + relations), on
    /// two threads, each reading half of the relations. Laid out by halves of the actors
    /// instead, each thread read every relation: 0.17 s against 0.11 s at 10 million relations
    /// (3.7 million on the day). The index file's lists are laid out by a counting sort too
    /// (`load::index`); a shared generic version needed a second pass over the day's relations
    /// here, 0.15 s more at 10 million.
    pub fn of(dataset: &Dataset, day: Day) -> Incident {
        let n = dataset.actors.len();
        let relations = &dataset.relations;
        let lay_out = |from: usize, to: usize| -> Lists {
            let ends = |h: &Held| std::iter::once(h.source).chain((h.target != h.source).then_some(h.target));
            let mut offsets = vec![0usize; n + 1];
            // Room for all at once, not grown by doubling (which copies, and touches twice the
            // memory); the pages beyond what is used are never touched.
            let mut held = Vec::with_capacity(to - from);
            for (r, i) in relations[from..to].iter().zip(from..) {
                let ix = RelationIx(u32::try_from(i).expect("fewer than 2^32 relations"));
                if let Some(h) = r.held_on(ix, day) {
                    for a in ends(&h) {
                        offsets[a.index() + 1] += 1;
                    }
                    held.push(h);
                }
            }
            for i in 1..offsets.len() {
                offsets[i] += offsets[i - 1];
            }
            let mut next = offsets.clone();
            let mut list = vec![EMPTY; offsets[n]];
            for h in held {
                for a in ends(&h) {
                    let slot = &mut next[a.index()];
                    list[*slot] = h;
                    *slot += 1;
                }
            }
            Lists { offsets, list }
        };
        let middle = relations.len() / 2;
        let (first, second) = std::thread::scope(|scope| {
            let second = scope.spawn(|| lay_out(middle, relations.len()));
            (lay_out(0, middle), second.join().expect("laying out lists does not panic"))
        });
        Incident { halves: [first, second] }
    }

    /// Calls `each` with every relation touching `actor` that holds on the day, in dataset
    /// order, as [`stream`] reads them. Returns how many there are.
    pub fn holding(&self, actor: ActorIx, mut each: impl FnMut(Held)) -> usize {
        let a = actor.index();
        let mut count = 0;
        for Lists { offsets, list } in &self.halves {
            let list = &list[offsets[a]..offsets[a + 1]];
            for &h in list {
                each(h);
            }
            count += list.len();
        }
        count
    }
}

/// A filler for [`Incident`]'s list before it is laid out.
const EMPTY: Held = Held {
    relation: RelationIx(0),
    source: ActorIx(0),
    target: ActorIx(0),
    kind: RelationKind::Cooperation,
    directed: false,
    status: Status::Active,
};

/// An unordered pair, as a map key.
pub(crate) fn pair(a: ActorIx, b: ActorIx) -> (ActorIx, ActorIx) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// An unordered pair as one integer.
fn pair_key(a: ActorIx, b: ActorIx) -> u64 {
    let (a, b) = pair(a, b);
    u64::from(a.0) << 32 | u64::from(b.0)
}

/// The unordered pairs of nodes with both a cooperation and a restriction holding.
///
/// The pairs of each kind are sorted and intersected. At 10 million relations (3.7 million
/// holding) a map from every pair to its kinds took 0.38 s to fill, and building the edges,
/// each looked up in it, another second; the contested pairs are a few ten thousand.
fn contested_pairs(dataset: &Dataset, holding: &[Member], unit: impl Fn(ActorIx) -> ActorIx) -> HashSet<u64> {
    let (mut cooperation, mut restriction) = (Vec::new(), Vec::new());
    for m in holding {
        let rel = dataset.relation(m.relation);
        let list = match rel.kind {
            RelationKind::Cooperation => &mut cooperation,
            RelationKind::Restriction => &mut restriction,
            RelationKind::Dispute | RelationKind::Membership => continue,
        };
        list.push(pair_key(unit(rel.source), unit(rel.target)));
    }
    for list in [&mut cooperation, &mut restriction] {
        list.sort_unstable();
        list.dedup();
    }
    let (small, large) = if cooperation.len() <= restriction.len() {
        (cooperation, restriction)
    } else {
        (restriction, cooperation)
    };
    small.into_iter().filter(|p| large.binary_search(p).is_ok()).collect()
}

/// The days of `window` on which the relation with `span` holds (only when active, with
/// `strict`), as a half-open interval; empty when `from >= until`.
fn days_held(span: &Span, window: Window, strict: bool) -> (Day, Day) {
    let (from, until) = if strict {
        (span.active_from, span.active_until)
    } else {
        (span.possible_from, span.possible_until)
    };
    (from.max(window.first), until.min(window.after()))
}

/// The days of `window` on which each pair of nodes is contested, as half-open intervals
/// (overlapping, unsorted): for each cooperation and restriction of the pair, the days on
/// which both hold. [`contested_pairs`] for a window of more than one day: the pair rule on
/// each day, so that a window's contests are the union of its days'. A new contest rule
/// changes both, and this one must stay "the day's rule, on some day of the window on which
/// the edge holds" ([`Snapshot::over`] checks the edge's days against these). Compares every
/// cooperation of a pair with every restriction of it, for the pairs that have both in the
/// window ([`contested_pairs`] of the window's relations): few, even when millions hold.
fn contested_days(
    dataset: &Dataset,
    holding: &[Member],
    unit: impl Fn(ActorIx) -> ActorIx,
    window: Window,
    strict: bool,
) -> HashMap<u64, Vec<(Day, Day)>> {
    let candidates = contested_pairs(dataset, holding, &unit);
    let mut kinds: HashMap<u64, [Vec<(Day, Day)>; 2]> = HashMap::new();
    for m in holding {
        let rel = dataset.relation(m.relation);
        let side = match rel.kind {
            RelationKind::Cooperation => 0,
            RelationKind::Restriction => 1,
            RelationKind::Dispute | RelationKind::Membership => continue,
        };
        let pair = pair_key(unit(rel.source), unit(rel.target));
        let days = days_held(&rel.span, window, strict);
        if days.0 < days.1 && candidates.contains(&pair) {
            kinds.entry(pair).or_default()[side].push(days);
        }
    }
    kinds
        .into_iter()
        .filter_map(|(pair, [cooperation, restriction])| {
            let both: Vec<(Day, Day)> = cooperation
                .iter()
                .flat_map(|&(cf, cu)| restriction.iter().map(move |&(rf, ru)| (cf.max(rf), cu.min(ru))))
                .filter(|(from, until)| from < until)
                .collect();
            (!both.is_empty()).then_some((pair, both))
        })
        .collect()
}

/// The edges in output order: by source id, target id, first start, then first relation
/// (unique to its edge, so the order is total). A counting sort by source rank, then a sort of
/// each source's edges: one comparison sort of all of them, through the ranks, took a sixth
/// of a query's time at 10 million relations. The members are laid out again in the new
/// order, so that writing the edges out reads them in sequence.
fn sort_edges(
    dataset: &Dataset,
    edges: Vec<Edge>,
    members: &[Member],
    first_start: &[(Day, RelationIx)],
) -> (Vec<Edge>, Vec<Member>) {
    let mut start = vec![0usize; dataset.actors.len() + 1];
    for e in &edges {
        start[dataset.rank(e.source) as usize + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    // Each edge's key within its source's bucket, computed once: (target rank, first start)
    // as one integer, then the first relation, then the edge's place.
    let mut next = start.clone();
    let mut order = vec![(0u64, 0u32, 0u32); edges.len()];
    for (i, e) in edges.iter().enumerate() {
        let (from, relation) = first_start[i];
        let from = (timeline::key(from) as u32) ^ 0x8000_0000;
        let slot = &mut next[dataset.rank(e.source) as usize];
        order[*slot] = (u64::from(dataset.rank(e.target)) << 32 | u64::from(from), relation.0, i as u32);
        *slot += 1;
    }
    for bucket in start.windows(2) {
        order[bucket[0]..bucket[1]].sort_unstable();
    }
    let mut sorted_members = Vec::with_capacity(members.len());
    // The edges are gathered in random order: each is asked for a few ahead of its turn, and
    // its members once it has arrived (a third of the gathering's time was waiting for them).
    let sorted = (0..order.len())
        .map(|at| {
            if let Some(&(_, _, ahead)) = order.get(at + 16) {
                prefetch(&edges[ahead as usize]);
            }
            if let Some(&(_, _, near)) = order.get(at + 4) {
                prefetch(&members[edges[near as usize].members.start as usize]);
            }
            let e = &edges[order[at].2 as usize];
            let start = sorted_members.len() as u32;
            match &members[e.members.start as usize..e.members.end as usize] {
                [one] => sorted_members.push(*one),
                several => sorted_members.extend_from_slice(several),
            }
            Edge { members: start..sorted_members.len() as u32, ..e.clone() }
        })
        .collect();
    (sorted, sorted_members)
}
