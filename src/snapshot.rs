//! The graph as it stood on one day, or over a window of days (the union of its days'
//! graphs): which relations hold (active or possible), which are contested, and each node's
//! degree, either actor by actor or rolled up to countries.
//! petgraph holds the graph; callers see actor and relation indexes only.

use std::collections::HashMap;
use std::ops::Range;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::contest::{self, Contest, SamePair};
use crate::date::{Day, Status, Window};
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
    /// One of its relations is a cooperation or a restriction in a contest on the day (over
    /// a window, on a common day of it; see [`crate::contest`]).
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
    /// The contests of the day (or of the window), actor by actor (see [`crate::contest`]),
    /// before the kind filter: sorted by cooperation, then restriction.
    pub contests: Vec<Contest>,
    members: Vec<Member>,
    graph: DiGraph<ActorIx, usize>,
    node_of: Vec<Option<NodeIndex>>,
}

impl<'d> Snapshot<'d> {
    /// Takes the snapshot of `dataset` on `date`.
    ///
    /// A relation is contested when it is a cooperation and a restriction covering it (see
    /// [`crate::contest`]) both hold on the day, or that restriction. This is decided actor
    /// by actor and before the kind filter, so a cooperation shown alone is still flagged
    /// when a hidden restriction contradicts it; with `strict`, only active relations count.
    ///
    /// Cost: O(log n + k log k) for k holding relations, via the time index.
    ///
    /// # Panics
    /// When `dataset` is a cut for another day (see [`Dataset::covers`]): a caller's mistake.
    pub fn at(dataset: &'d Dataset, date: Day, options: Options) -> Self {
        assert!(dataset.covers(date), "a snapshot on {date} of a dataset cut for another day");
        let filter = options.filter;
        // Vectors of millions are sized once: growing them by doubling touched twice the
        // memory, and zeroing fresh pages was a sixth of a large snapshot's time.
        let mut holding: Vec<Member> = Vec::with_capacity(dataset.timeline().count_on(date));
        dataset.timeline().for_each_on(date, |r| {
            if let Some(status) = dataset.relation(r).span.status_on(date) {
                if !filter.strict || status == Status::Active {
                    holding.push(Member { relation: r, status });
                }
            }
        });
        holding.sort_unstable_by_key(|m| m.relation);
        Snapshot::of_holding(dataset, Window::day(date), options, holding)
    }

    /// Takes the snapshot of `dataset` over the days of `window`: the union of its days'
    /// snapshots. A relation is in it when it holds on some day of the window, `active` when
    /// it is active on some day of it (with `strict`, only those); a relation is contested
    /// when it is in a contest on some day of the window (a cooperation and a restriction
    /// covering it both hold then). A window of one day is [`Snapshot::at`] that day.
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
        let strict = options.filter.strict;
        let holding: Vec<Member> = (0..dataset.relations.len() as u32)
            .map(RelationIx)
            .filter_map(|r| {
                let status = dataset.relation(r).span.status_in(window)?;
                (!strict || status == Status::Active).then_some(Member { relation: r, status })
            })
            .collect();
        Snapshot::of_holding(dataset, window, options, holding)
    }

    /// The contested part of the snapshot over `window` (one day or more): what
    /// [`Snapshot::restrict`] to its contested edges gives, with the same contests, but
    /// built from the cooperations and restrictions that hold only, and of them only the
    /// contested ones (rolled up to countries, those merged with them): the rest of the
    /// snapshot is never built. For `conflicts` on a day, where the whole snapshot of a day
    /// of 3.7 million relations took over a second to show a few thousand contests.
    ///
    /// Cost: O(k log k) for the k cooperations and restrictions that hold, plus the contests'
    /// look-ups ([`contest::candidates`]).
    ///
    /// # Panics
    /// As [`Snapshot::over`], when `dataset` is a cut for another day.
    pub fn contested_part(dataset: &'d Dataset, window: Window, options: Options) -> Self {
        let strict = options.filter.strict;
        let keep = |r: RelationIx, status: Option<Status>| {
            let status = status.filter(|&s| !strict || s == Status::Active)?;
            matches!(dataset.relation(r).kind, RelationKind::Cooperation | RelationKind::Restriction)
                .then_some(Member { relation: r, status })
        };
        let mut holding: Vec<Member> = Vec::new();
        match window.as_day() {
            Some(day) => {
                assert!(dataset.covers(day), "a snapshot on {day} of a dataset cut for another day");
                dataset.timeline().for_each_on(day, |r| {
                    holding.extend(keep(r, dataset.relation(r).span.status_on(day)));
                });
                holding.sort_unstable_by_key(|m| m.relation);
            }
            None => {
                assert!(dataset.is_whole(), "a snapshot over {window} of a dataset cut for one day");
                holding.extend(
                    (0..dataset.relations.len() as u32)
                        .map(RelationIx)
                        .filter_map(|r| keep(r, dataset.relation(r).span.status_in(window))),
                );
            }
        }
        let contests = window_contests(dataset, window, strict, &holding);
        let flagged = contest::contested(&contests);
        let grouping = options.grouping;
        // An edge's relations: rolled up to countries, those of its kind and direction
        // between its two countries.
        let key = |r: RelationIx| {
            let rel = dataset.relation(r);
            let (s, t) = (grouping.unit(dataset, rel.source), grouping.unit(dataset, rel.target));
            let (s, t) = if !rel.directed && dataset.rank(s) > dataset.rank(t) { (t, s) } else { (s, t) };
            (s, t, rel.kind, rel.directed)
        };
        let edges: std::collections::HashSet<_, foldhash::fast::RandomState> = match grouping {
            Grouping::Actors => Default::default(),
            Grouping::Countries => flagged.iter().map(|&r| key(r)).collect(),
        };
        // A cheap test before the hash: the edge's first end is one of theirs.
        let mut first_end = vec![false; if edges.is_empty() { 0 } else { dataset.actors.len() }];
        for e in &edges {
            first_end[e.0.index()] = true;
        }
        let merged = |r: RelationIx| {
            let rel = dataset.relation(r);
            let ends = [rel.source, rel.target].map(|a| grouping.unit(dataset, a));
            ends.iter().any(|a| first_end[a.index()]) && edges.contains(&key(r))
        };
        // Both in dataset order: one walk along the contested relations.
        let mut next = 0;
        holding.retain(|m| {
            while flagged.get(next).is_some_and(|&f| f < m.relation) {
                next += 1;
            }
            flagged.get(next) == Some(&m.relation) || (!edges.is_empty() && merged(m.relation))
        });
        // Nodes only at the ends of its edges, as `restrict` gives them.
        let connected = Options { scope: ActorScope::Connected, ..options };
        let mut snap = Snapshot::of_holding_with(dataset, window, connected, holding, contests);
        snap.options = options;
        // Those of the whole snapshot are not counted, as `restrict` does not count them.
        snap.internal = 0;
        snap
    }

    /// The snapshot made of the `holding` relations (in dataset order) of `window`.
    fn of_holding(dataset: &'d Dataset, window: Window, options: Options, holding: Vec<Member>) -> Self {
        // Contests are found actor by actor, whatever the grouping: rolled up to countries,
        // an edge is contested when one of its relations is (merged units would make the
        // Netherlands–United States cooperation contested by the AIVD's restriction).
        let contests = window_contests(dataset, window, options.filter.strict, &holding);
        Snapshot::of_holding_with(dataset, window, options, holding, contests)
    }

    /// [`Snapshot::of_holding`] with the window's contests among (at least) `holding`.
    fn of_holding_with(
        dataset: &'d Dataset,
        window: Window,
        options: Options,
        holding: Vec<Member>,
        contests: Vec<Contest>,
    ) -> Self {
        let Options { filter, scope, grouping } = options;
        let unit = |a: ActorIx| grouping.unit(dataset, a);
        let mut flagged = vec![false; holding.len()];
        for r in contest::contested(&contests) {
            if let Ok(i) = holding.binary_search_by_key(&r, |m| m.relation) {
                flagged[i] = true;
            }
        }
        let mut internal = 0;
        let mut members = Vec::with_capacity(holding.len());
        let mut edges = Vec::with_capacity(holding.len());
        let mut first_start = Vec::with_capacity(holding.len());
        let mut push_edge =
            |edges: &mut Vec<Edge>, group: &[Member], contested: bool, source: ActorIx, target: ActorIx| {
                let r = dataset.relation(group[0].relation);
                let start = members.len() as u32;
                members.extend_from_slice(group);
                edges.push(Edge {
                    source,
                    target,
                    kind: r.kind,
                    directed: r.directed,
                    status: group.iter().map(|m| m.status).max().unwrap_or(Status::Possible),
                    contested,
                    members: start..members.len() as u32,
                });
                first_start.push((r.span.possible_from, group[0].relation));
            };
        let kept = holding
            .into_iter()
            .zip(flagged)
            .filter(|(m, _)| filter.kinds.contains(dataset.relation(m.relation).kind));
        match grouping {
            Grouping::Actors => {
                for (m, contested) in kept {
                    let r = dataset.relation(m.relation);
                    push_edge(&mut edges, &[m], contested, r.source, r.target);
                }
            }
            Grouping::Countries => {
                // One edge per (source, target, kind, directed); a mutual relation's ends are
                // put in id order so that both directions merge.
                // Each group's members, and whether one of them is contested.
                type Group = (Vec<Member>, bool);
                let mut groups: HashMap<(ActorIx, ActorIx, RelationKind, bool), Group> = HashMap::new();
                for (m, contested) in kept {
                    let r = dataset.relation(m.relation);
                    let (mut s, mut t) = (unit(r.source), unit(r.target));
                    if s == t {
                        internal += 1;
                        continue;
                    }
                    if !r.directed && dataset.rank(s) > dataset.rank(t) {
                        std::mem::swap(&mut s, &mut t);
                    }
                    let group = groups.entry((s, t, r.kind, r.directed)).or_default();
                    group.0.push(m);
                    group.1 |= contested;
                }
                // Members arrive in dataset order; order the groups by their first member so
                // that the result does not depend on hash order.
                let mut groups: Vec<_> = groups.into_iter().collect();
                groups.sort_unstable_by_key(|(key, group)| (group.0[0].relation, key.2));
                for ((s, t, _, _), (group, contested)) in groups {
                    push_edge(&mut edges, &group, contested, s, t);
                }
            }
        }

        let (edges, members) = sort_edges(dataset, edges, &members, &first_start);

        let extra: Vec<ActorIx> = match scope {
            ActorScope::All => (0..dataset.actors.len() as u32).map(|a| unit(ActorIx(a))).collect(),
            ActorScope::Connected => Vec::new(),
        };
        let mut snap = Snapshot::assemble(dataset, window, options, edges, members, &extra, internal);
        snap.contests = contests;
        snap
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
        let mut snap = Snapshot::assemble(self.dataset, self.window, self.options, kept, members, extra, 0);
        snap.contests = self.contests.clone();
        snap
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
        Snapshot {
            dataset,
            window,
            options,
            edges,
            nodes,
            internal,
            contests: Vec::new(),
            members,
            graph,
            node_of,
        }
    }

    /// The relations that make up an edge, in dataset order.
    pub fn members(&self, edge: &Edge) -> &[Member] {
        &self.members[edge.members.start as usize..edge.members.end as usize]
    }

    /// Whether `actor` is a node of the snapshot.
    pub fn contains(&self, actor: ActorIx) -> bool {
        self.node_of[actor.index()].is_some()
    }

    /// Number of contested edges in the snapshot.
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
/// its status on the day.
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
/// Each actor's relations are read once, which gives both its edges and which of them are
/// contested by a relation between the same two actors (the edges of a pair are all among
/// the relations of either end); `beyond` (from [`crate::contest::beyond_pairs`], found
/// once for all the runs of sources) lists those contested through a restriction between
/// their ends' ancestors. `each`
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
    beyond: &[RelationIx],
    mut read: impl FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E>,
    mut decode: impl FnMut(&[RelationIx], &mut Vec<Relation>) -> Result<(), E>,
    mut each: impl FnMut(&[StreamEdge]) -> Result<(), E>,
) -> Result<Counts, E> {
    assert_eq!(options.grouping, Grouping::Actors, "a snapshot streamed by source is actor by actor");
    let Filter { kinds, strict } = options.filter;
    let n = people.actors.len();
    let mut counts = Counts::default();
    // For each other end of the source's relations: what the relations with it say about
    // contests between the two (the rest, through ancestors, is in `beyond`).
    let mut pair_kinds = vec![SamePair::default(); n];
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
            pair_kinds[other(h).index()].add(h, source);
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
            let contested = pair_kinds[h.target.index()].contests(h, source)
                || (!beyond.is_empty() && beyond.binary_search(&h.relation).is_ok());
            (key, i, h.status, contested)
        }));
        for h in &held {
            pair_kinds[other(h).index()] = SamePair::default();
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

/// The contests in `window` among the relations holding in it (sorted by relation; with
/// `strict`, only those active in it).
///
/// At 10 million relations (3.7 million holding) the cooperations are each looked up among
/// the restrictions of their ends' covering ancestors, grouped by actor: one short binary
/// search per end when no actor has a parent.
fn window_contests(dataset: &Dataset, window: Window, strict: bool, holding: &[Member]) -> Vec<Contest> {
    let held: Vec<Held> = holding
        .iter()
        .filter_map(|m| {
            let r = dataset.relation(m.relation);
            matches!(r.kind, RelationKind::Cooperation | RelationKind::Restriction)
                .then(|| r.held_as(m.relation, m.status))
        })
        .collect();
    contest::in_window(dataset, &held, window, strict)
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
