//! The graph as it stood on one day: which relations hold (active or possible), which pairs
//! are contested, and each node's degree, either actor by actor or rolled up to countries.
//! petgraph holds the graph; callers see actor and relation indexes only.

use std::collections::HashMap;
use std::ops::Range;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;

use crate::date::{Day, Status};
use crate::model::{ActorIx, Dataset, KindSet, RelationIx, RelationKind};

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
    /// The pair has both a cooperation and a restriction holding on the day.
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

/// The graph on one day.
#[derive(Debug)]
pub struct Snapshot<'d> {
    pub dataset: &'d Dataset,
    pub date: Day,
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
    pub fn at(dataset: &'d Dataset, date: Day, options: Options) -> Self {
        let Options { filter, scope, grouping } = options;
        let unit = |a: ActorIx| grouping.unit(dataset, a);
        let mut holding: Vec<Member> = Vec::new();
        dataset.timeline.for_each_on(date, |r| {
            if let Some(status) = dataset.relation(r).span.status_on(date) {
                if !filter.strict || status == Status::Active {
                    holding.push(Member { relation: r, status });
                }
            }
        });
        holding.sort_unstable_by_key(|m| m.relation);

        let contested_pairs = contested_pairs(dataset, &holding, unit);
        let mut internal = 0;
        let mut members = Vec::new();
        let mut edges = Vec::new();
        let mut first_start = Vec::new();
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
                contested: contested_pairs.get(&pair(source, target)).is_some_and(|&f| f == BOTH),
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

        let mut order: Vec<usize> = (0..edges.len()).collect();
        order.sort_unstable_by_key(|&i| {
            let e = &edges[i];
            (dataset.rank(e.source), dataset.rank(e.target), first_start[i].0, first_start[i].1, e.kind)
        });
        let edges: Vec<Edge> = order.into_iter().map(|i| edges[i].clone()).collect();

        let extra: Vec<ActorIx> = match scope {
            ActorScope::All => (0..dataset.actors.len() as u32).map(|a| unit(ActorIx(a))).collect(),
            ActorScope::Connected => Vec::new(),
        };
        Snapshot::assemble(dataset, date, options, edges, members, &extra, internal)
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
        Snapshot::assemble(self.dataset, self.date, self.options, kept, members, extra, 0)
    }

    /// Builds the graph, the nodes and their degrees around sorted edges.
    fn assemble(
        dataset: &'d Dataset,
        date: Day,
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
        for (i, e) in edges.iter().enumerate() {
            let (s, t) = (node(&mut graph, e.source), node(&mut graph, e.target));
            graph.add_edge(s, t, i);
        }
        let mut nodes: Vec<Node> = graph
            .node_indices()
            .map(|n| {
                let degree = graph.edges_directed(n, Direction::Outgoing).count()
                    + graph.edges_directed(n, Direction::Incoming).count();
                Node { actor: graph[n], degree: degree as u32 }
            })
            .collect();
        nodes.sort_unstable_by_key(|n| dataset.rank(n.actor));
        Snapshot { dataset, date, options, edges, nodes, internal, members, graph, node_of }
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

const COOPERATION: u8 = 1;
const RESTRICTION: u8 = 2;
const BOTH: u8 = COOPERATION | RESTRICTION;

/// An unordered pair, as a map key.
pub(crate) fn pair(a: ActorIx, b: ActorIx) -> (ActorIx, ActorIx) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// For each unordered pair of nodes with a cooperation or restriction holding, which of the
/// two hold.
fn contested_pairs(
    dataset: &Dataset,
    holding: &[Member],
    unit: impl Fn(ActorIx) -> ActorIx,
) -> HashMap<(ActorIx, ActorIx), u8> {
    let mut flags: HashMap<(ActorIx, ActorIx), u8> = HashMap::new();
    for m in holding {
        let rel = dataset.relation(m.relation);
        let bit = match rel.kind {
            RelationKind::Cooperation => COOPERATION,
            RelationKind::Restriction => RESTRICTION,
            RelationKind::Dispute | RelationKind::Membership => continue,
        };
        *flags.entry(pair(unit(rel.source), unit(rel.target))).or_default() |= bit;
    }
    flags
}
