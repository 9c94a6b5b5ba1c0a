//! The simple undirected graph of a day, as the shared peer benchmark defines it (`georel
//! bench`'s T2g–T4): one edge per pair of actors with any holding relation, no self loops.
//! petgraph stays inside; callers see actor indexes, counts and distances.

use std::collections::VecDeque;

use petgraph::csr::Csr;

use crate::model::{ActorIx, Dataset, RelationIx};

/// Actors by index, each pair stored in both directions.
type Graph = Csr<(), (), petgraph::Directed, u32>;

/// The day's simple undirected graph over all the dataset's actors.
pub struct DayGraph {
    graph: Graph,
    /// Each pair once, smaller actor first, in order.
    pairs: Vec<(u32, u32)>,
}

impl DayGraph {
    /// The graph of the given relations (those holding on the day): one edge per pair of
    /// distinct actors that any of them links, whatever its kind or direction.
    pub fn new(ds: &Dataset, holding: &[RelationIx]) -> Self {
        let mut pairs: Vec<(u32, u32)> = holding
            .iter()
            .map(|&r| {
                let rel = ds.relation(r);
                let (a, b) = (rel.source.0, rel.target.0);
                (a.min(b), a.max(b))
            })
            .filter(|(a, b)| a != b)
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        // Stored compressed (CSR: each node's neighbours in one slice), both directions of each
        // pair: the breadth-first searches of T3 and T4 then read contiguous memory. (A petgraph
        // `UnGraph`, whose edge lists are linked, made T4 take 0.5 s at 10M.)
        let graph: Graph = {
            // Both directions in order, by a counting sort on the first actor: `pairs` is sorted, so
            // each actor's neighbours arrive in ascending order (those below it, then above it).
            let mut next = vec![0usize; ds.actors.len() + 1];
            for &(a, b) in &pairs {
                next[a as usize + 1] += 1;
                next[b as usize + 1] += 1;
            }
            for i in 1..next.len() {
                next[i] += next[i - 1];
            }
            let mut both = vec![(0u32, 0u32); 2 * pairs.len()];
            for &(a, b) in &pairs {
                for (from, to) in [(a, b), (b, a)] {
                    both[next[from as usize]] = (from, to);
                    next[from as usize] += 1;
                }
            }
            let mut g = Graph::from_sorted_edges(&both).expect("the edges are sorted");
            while g.node_count() < ds.actors.len() {
                g.add_node(());
            }
            g
        };
        DayGraph { graph, pairs }
    }

    /// How many actors have at least one edge.
    pub fn node_count(&self) -> usize {
        (0..self.graph.node_count() as u32).filter(|&n| !self.graph.neighbors_slice(n).is_empty()).count()
    }

    /// How many edges (pairs of actors) there are.
    pub fn edge_count(&self) -> usize {
        self.pairs.len()
    }

    /// The actors within `depth` hops of `centre` (itself included) and the edges among them,
    /// as counts; (0, 0) when `centre` has no edge.
    pub fn ball(&self, centre: ActorIx, depth: usize) -> (usize, usize) {
        let graph = &self.graph;
        if graph.neighbors_slice(centre.0).is_empty() {
            return (0, 0);
        }
        let ball = within(graph, centre.0, depth);
        let inside = |n: u32| ball[n as usize];
        let members: Vec<u32> = (0..graph.node_count() as u32).filter(|&n| inside(n)).collect();
        let edges: usize = members
            .iter()
            .map(|&n| graph.neighbors_slice(n).iter().filter(|&&m| inside(m) && m > n).count())
            .sum();
        (members.len(), edges)
    }

    /// The hop distance from `a` to `b`, or -1 when `b` cannot be reached.
    pub fn distance(&self, a: ActorIx, b: ActorIx) -> i64 {
        distance(&self.graph, a.0, b.0)
    }
}

fn within(graph: &Graph, from: u32, depth: usize) -> Vec<bool> {
    let mut seen = vec![false; graph.node_count()];
    seen[from as usize] = true;
    let mut frontier = vec![from];
    for _ in 0..depth {
        let mut next = Vec::new();
        for &n in &frontier {
            for &m in graph.neighbors_slice(n) {
                if !seen[m as usize] {
                    seen[m as usize] = true;
                    next.push(m);
                }
            }
        }
        frontier = next;
    }
    seen
}

/// The hop distance from `a` to `b` by breadth-first search, or -1 when `b` cannot be reached.
fn distance(graph: &Graph, a: u32, b: u32) -> i64 {
    let mut dist = vec![-1i64; graph.node_count()];
    dist[a as usize] = 0;
    let mut queue = VecDeque::from([a]);
    while let Some(n) = queue.pop_front() {
        if n == b {
            return dist[n as usize];
        }
        for &m in graph.neighbors_slice(n) {
            if dist[m as usize] < 0 {
                dist[m as usize] = dist[n as usize] + 1;
                queue.push_back(m);
            }
        }
    }
    -1
}
