//! `neighbours`: the actors within K hops of a centre in a snapshot, each with its distance, and
//! the relations among them.

use std::collections::HashMap;

use crate::model::ActorIx;
use crate::query::network::{Network, Walk};
use crate::snapshot::Snapshot;

/// A neighbourhood: actors with their hop distance (the centre at 0), in distance then id
/// order, and the snapshot edges whose two ends are both in it. With `Walk::part_of`, an
/// actor reached only as part of another (an agency of a country) is in it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbourhood {
    pub centre: ActorIx,
    pub depth: usize,
    pub actors: Vec<(ActorIx, usize)>,
    pub edges: Vec<usize>,
}

impl Neighbourhood {
    /// The actors within reach of the centre, the centre not counted: what every output of a
    /// neighbourhood counts.
    pub fn within_reach(&self) -> usize {
        self.actors.len().saturating_sub(1)
    }
}

/// The neighbourhood of `centre` up to `depth` hops. Breadth-first search: O(V + E).
pub fn around(snapshot: &Snapshot<'_>, walk: &Walk, centre: ActorIx, depth: usize) -> Neighbourhood {
    let ds = snapshot.dataset;
    let mut actors = Network::new(snapshot, walk).distances(centre, depth, false);
    actors.sort_by_key(|&(a, d)| (d, ds.rank(a)));
    let inside: HashMap<ActorIx, usize> = actors.iter().copied().collect();
    let edges = snapshot
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| inside.contains_key(&e.source) && inside.contains_key(&e.target))
        .map(|(i, _)| i)
        .collect();
    Neighbourhood { centre, depth, actors, edges }
}
