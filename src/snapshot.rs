//! The graph as it stood on one day: which relations hold (active or possible), which pairs
//! are contested, and each actor's degree. petgraph holds the graph; callers see actor and
//! relation indexes only.

use std::collections::HashMap;

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
        Filter {
            kinds: KindSet::ALL,
            strict: false,
        }
    }
}

/// Which actors a snapshot lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActorScope {
    /// Only actors with at least one relation in the snapshot.
    #[default]
    Connected,
    /// Every actor in the dataset, connected or not.
    All,
}

/// A relation in a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub relation: RelationIx,
    pub status: Status,
    /// The pair has both a cooperation and a restriction holding on the day.
    pub contested: bool,
}

/// An actor in a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub actor: ActorIx,
    /// The number of the snapshot's relations that touch the actor.
    pub degree: u32,
}

/// The graph on one day.
#[derive(Debug)]
pub struct Snapshot<'d> {
    pub dataset: &'d Dataset,
    pub date: Day,
    pub filter: Filter,
    /// Sorted by source id, target id, start, then dataset order.
    pub edges: Vec<Edge>,
    /// Sorted by actor id.
    pub nodes: Vec<Node>,
    graph: DiGraph<ActorIx, usize>,
}

impl<'d> Snapshot<'d> {
    /// Takes the snapshot of `dataset` on `date`.
    ///
    /// A pair is contested when a cooperation and a restriction between the two actors (in
    /// either direction) both hold on the day. This is decided before the kind filter, so a
    /// cooperation shown alone is still flagged when a hidden restriction contradicts it;
    /// with `strict`, only active relations count.
    ///
    /// Cost: O(log n + k log k) for k holding relations, via the time index.
    pub fn at(dataset: &'d Dataset, date: Day, filter: Filter, scope: ActorScope) -> Self {
        let mut holding: Vec<(RelationIx, Status)> = Vec::new();
        dataset.timeline.for_each_on(date, |r| {
            if let Some(status) = dataset.relation(r).span.status_on(date) {
                if !filter.strict || status == Status::Active {
                    holding.push((r, status));
                }
            }
        });

        let contested_pairs = contested_pairs(dataset, &holding);
        let rank = id_ranks(dataset);
        let mut edges: Vec<Edge> = holding
            .into_iter()
            .filter(|&(r, _)| filter.kinds.contains(dataset.relation(r).kind))
            .map(|(r, status)| {
                let rel = dataset.relation(r);
                let contested = contested_pairs
                    .get(&pair(rel.source, rel.target))
                    .is_some_and(|&f| f == BOTH);
                Edge {
                    relation: r,
                    status,
                    contested,
                }
            })
            .collect();
        edges.sort_unstable_by_key(|e| {
            let r = dataset.relation(e.relation);
            (
                rank[r.source.index()],
                rank[r.target.index()],
                r.span.possible_from,
                e.relation,
            )
        });

        let mut graph = DiGraph::with_capacity(0, edges.len());
        let mut node_of: Vec<Option<NodeIndex>> = vec![None; dataset.actors.len()];
        let mut node = |graph: &mut DiGraph<ActorIx, usize>, a: ActorIx| {
            *node_of[a.index()].get_or_insert_with(|| graph.add_node(a))
        };
        if scope == ActorScope::All {
            for a in 0..dataset.actors.len() {
                node(&mut graph, ActorIx(a as u32));
            }
        }
        for (i, e) in edges.iter().enumerate() {
            let r = dataset.relation(e.relation);
            let (s, t) = (node(&mut graph, r.source), node(&mut graph, r.target));
            graph.add_edge(s, t, i);
        }
        let mut nodes: Vec<Node> = graph
            .node_indices()
            .map(|n| {
                let degree = graph.edges_directed(n, Direction::Outgoing).count()
                    + graph.edges_directed(n, Direction::Incoming).count();
                Node {
                    actor: graph[n],
                    degree: degree as u32,
                }
            })
            .collect();
        nodes.sort_unstable_by_key(|n| rank[n.actor.index()]);

        Snapshot {
            dataset,
            date,
            filter,
            edges,
            nodes,
            graph,
        }
    }

    /// Number of relations in the snapshot.
    pub fn relation_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Number of contested relations (relations of contested pairs) in the snapshot.
    pub fn contested_count(&self) -> usize {
        self.edges.iter().filter(|e| e.contested).count()
    }
}

const COOPERATION: u8 = 1;
const RESTRICTION: u8 = 2;
const BOTH: u8 = COOPERATION | RESTRICTION;

fn pair(a: ActorIx, b: ActorIx) -> (ActorIx, ActorIx) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// For each unordered pair with a cooperation or restriction holding, which of the two hold.
fn contested_pairs(
    dataset: &Dataset,
    holding: &[(RelationIx, Status)],
) -> HashMap<(ActorIx, ActorIx), u8> {
    let mut flags: HashMap<(ActorIx, ActorIx), u8> = HashMap::new();
    for &(r, _) in holding {
        let rel = dataset.relation(r);
        let bit = match rel.kind {
            RelationKind::Cooperation => COOPERATION,
            RelationKind::Restriction => RESTRICTION,
            RelationKind::Dispute | RelationKind::Membership => continue,
        };
        *flags.entry(pair(rel.source, rel.target)).or_default() |= bit;
    }
    flags
}

/// Each actor's position when actors are sorted by id, for stable output order.
fn id_ranks(dataset: &Dataset) -> Vec<u32> {
    let mut order: Vec<usize> = (0..dataset.actors.len()).collect();
    order.sort_unstable_by(|&a, &b| dataset.actors[a].id.cmp(&dataset.actors[b].id));
    let mut rank = vec![0u32; order.len()];
    for (position, actor) in order.into_iter().enumerate() {
        rank[actor] = position as u32;
    }
    rank
}
