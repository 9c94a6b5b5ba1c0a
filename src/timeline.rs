//! The time index: which relations may hold on a given day, found without scanning every
//! relation.
//!
//! It is a centred interval tree over each relation's `possible` interval (the widest period
//! in which it can hold; see [`crate::date::Span`]). A stabbing query visits O(log n) nodes
//! and reports each hit in O(1), so a snapshot costs O(log n + k) for k holding relations.
//! Whether a hit is `active` or only `possible` is decided by the caller from the span.
//!
//! The tree is stored flat: nodes in one vector, and each node's relations as a slice of two
//! shared vectors (sorted by start ascending, and by end descending), with the bounds copied
//! alongside so that a scan touches contiguous memory only.

use crate::date::Day;
use crate::model::{Relation, RelationIx};

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Node {
    /// Every relation stored at this node holds (possibly) on `center`.
    center: Day,
    /// Range of this node's relations in `by_start` and `by_end`.
    lo: u32,
    hi: u32,
    /// Subtrees: relations that end on or before `center`, and those that start after it.
    left: u32,
    right: u32,
}

/// Relations indexed by their possible interval. Built once per dataset.
#[derive(Debug, Default)]
pub struct TimeIndex {
    nodes: Vec<Node>,
    root: u32,
    /// Per node: (possible_from, relation), ascending by possible_from.
    by_start: Vec<(Day, u32)>,
    /// Per node: (possible_until, relation), descending by possible_until.
    by_end: Vec<(Day, u32)>,
    /// Every relation's possible_from, and possible_until, each sorted: for counting.
    starts: Vec<Day>,
    ends: Vec<Day>,
}

impl TimeIndex {
    /// Builds the index in O(n log n).
    pub fn build(relations: &[Relation]) -> Self {
        let mut index = TimeIndex {
            nodes: Vec::new(),
            root: NONE,
            by_start: Vec::with_capacity(relations.len()),
            by_end: Vec::with_capacity(relations.len()),
            starts: relations.iter().map(|r| r.span.possible_from).collect(),
            ends: relations.iter().map(|r| r.span.possible_until).collect(),
        };
        index.starts.sort_unstable();
        index.ends.sort_unstable();
        let all: Vec<u32> = (0..relations.len() as u32).collect();
        index.root = index.build_node(relations, all);
        index
    }

    fn build_node(&mut self, relations: &[Relation], mut members: Vec<u32>) -> u32 {
        if members.is_empty() {
            return NONE;
        }
        let span = |r: u32| relations[r as usize].span;
        // The median start as centre: at least that relation overlaps it, and each side gets
        // at most half of the members, so the depth stays O(log n).
        let mid = members.len() / 2;
        members.select_nth_unstable_by_key(mid, |&r| span(r).possible_from);
        let center = span(members[mid]).possible_from;

        let mut left = Vec::new();
        let mut right = Vec::new();
        let mut here = Vec::new();
        for r in members {
            let s = span(r);
            if s.possible_until <= center {
                left.push(r);
            } else if s.possible_from > center {
                right.push(r);
            } else {
                here.push(r);
            }
        }
        let lo = self.by_start.len() as u32;
        let mut starts: Vec<(Day, u32)> = here.iter().map(|&r| (span(r).possible_from, r)).collect();
        starts.sort_unstable();
        let mut ends: Vec<(Day, u32)> = here.iter().map(|&r| (span(r).possible_until, r)).collect();
        ends.sort_unstable_by(|a, b| b.cmp(a));
        self.by_start.extend(starts);
        self.by_end.extend(ends);
        let hi = self.by_start.len() as u32;

        let slot = self.nodes.len() as u32;
        self.nodes.push(Node { center, lo, hi, left: NONE, right: NONE });
        let left = self.build_node(relations, left);
        let right = self.build_node(relations, right);
        let node = &mut self.nodes[slot as usize];
        node.left = left;
        node.right = right;
        slot
    }

    /// Calls `visit` for every relation whose possible interval contains `day`, in no
    /// particular order. O(log n + k).
    pub fn for_each_on(&self, day: Day, mut visit: impl FnMut(RelationIx)) {
        let mut at = self.root;
        while at != NONE {
            let node = self.nodes[at as usize];
            let (lo, hi) = (node.lo as usize, node.hi as usize);
            if day < node.center {
                // All of them end after the centre, hence after `day`: they hold if they
                // have started.
                for &(from, r) in &self.by_start[lo..hi] {
                    if from > day {
                        break;
                    }
                    visit(RelationIx(r));
                }
                at = node.left;
            } else {
                // All of them started by the centre, hence by `day`: they hold until their end.
                for &(until, r) in &self.by_end[lo..hi] {
                    if until <= day {
                        break;
                    }
                    visit(RelationIx(r));
                }
                at = node.right;
            }
        }
    }

    /// How many relations may hold on `day` (possible interval contains it): the relations
    /// started by then less those ended by then. O(log n), without visiting them.
    pub fn count_on(&self, day: Day) -> usize {
        let started = self.starts.partition_point(|&d| d <= day);
        let ended = self.ends.partition_point(|&d| d <= day);
        started - ended
    }

    /// The relations whose possible interval contains `day`, in dataset order.
    pub fn on(&self, day: Day) -> Vec<RelationIx> {
        let mut hits = Vec::new();
        self.for_each_on(day, |r| hits.push(r));
        hits.sort_unstable();
        hits
    }
}
