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

/// A day as one integer with the same order, so that building and querying compare integers
/// rather than (year, month, day) triples: building the index of 10 million relations took
/// half again as long with dates.
type Key = i32;

fn key(day: Day) -> Key {
    (i32::from(day.year()) << 9) | (i32::from(day.month()) << 5) | i32::from(day.day())
}

#[derive(Debug, Clone, Copy)]
struct Node {
    /// Every relation stored at this node holds (possibly) on `center`.
    center: Key,
    /// Range of this node's relations in `by_start` and `by_end`.
    lo: u32,
    hi: u32,
    /// Subtrees: relations that end on or before `center`, and those that start after it.
    left: u32,
    right: u32,
}

/// A relation while the tree is built: its possible interval and its index.
#[derive(Debug, Clone, Copy)]
struct Member {
    from: Key,
    until: Key,
    relation: u32,
}

/// Relations indexed by their possible interval. Built once per dataset.
#[derive(Debug, Default)]
pub struct TimeIndex {
    nodes: Vec<Node>,
    root: u32,
    /// Per node: (possible_from, relation), ascending by possible_from.
    by_start: Vec<(Key, u32)>,
    /// Per node: (possible_until, relation), descending by possible_until.
    by_end: Vec<(Key, u32)>,
    /// Every relation's possible_from, and possible_until, each sorted: for counting.
    starts: Vec<Key>,
    ends: Vec<Key>,
}

impl TimeIndex {
    /// Builds the index in O(n log n).
    pub fn build(relations: &[Relation]) -> Self {
        // The two sorted bound lists and the tree are independent: the lists are sorted on a
        // second thread while this one builds the tree.
        let bounds = |of: fn(&Relation) -> Day| {
            let mut keys: Vec<Key> = relations.iter().map(|r| key(of(r))).collect();
            keys.sort_unstable();
            keys
        };
        // The bounds are copied next to each relation's index, so that building reads
        // contiguous memory rather than jumping into the relations (which took 40% of loading
        // 10 million of them).
        let all: Vec<Member> = relations
            .iter()
            .enumerate()
            .map(|(i, r)| Member {
                from: key(r.span.possible_from),
                until: key(r.span.possible_until),
                relation: i as u32,
            })
            .collect();
        let mut index = TimeIndex {
            nodes: Vec::new(),
            root: NONE,
            by_start: Vec::with_capacity(relations.len()),
            by_end: Vec::with_capacity(relations.len()),
            starts: Vec::new(),
            ends: Vec::new(),
        };
        let (starts, ends) = std::thread::scope(|scope| {
            let sorted =
                scope.spawn(|| (bounds(|r| r.span.possible_from), bounds(|r| r.span.possible_until)));
            index.root = index.build_node(all);
            sorted.join().expect("sorting the bounds does not panic")
        });
        index.starts = starts;
        index.ends = ends;
        index
    }

    fn build_node(&mut self, mut members: Vec<Member>) -> u32 {
        if members.is_empty() {
            return NONE;
        }
        // The median start as centre: at least that relation overlaps it, and each side gets
        // at most half of the members, so the depth stays O(log n).
        let mid = members.len() / 2;
        members.select_nth_unstable_by_key(mid, |m| m.from);
        let center = members[mid].from;

        let mut left = Vec::new();
        let mut right = Vec::new();
        let lo = self.by_start.len();
        for m in members {
            if m.until <= center {
                left.push(m);
            } else if m.from > center {
                right.push(m);
            } else {
                self.by_start.push((m.from, m.relation));
                self.by_end.push((m.until, m.relation));
            }
        }
        self.by_start[lo..].sort_unstable();
        self.by_end[lo..].sort_unstable_by(|a, b| b.cmp(a));
        let (lo, hi) = (lo as u32, self.by_start.len() as u32);

        let slot = self.nodes.len() as u32;
        self.nodes.push(Node { center, lo, hi, left: NONE, right: NONE });
        let left = self.build_node(left);
        let right = self.build_node(right);
        let node = &mut self.nodes[slot as usize];
        node.left = left;
        node.right = right;
        slot
    }

    /// Calls `visit` for every relation whose possible interval contains `day`, in no
    /// particular order. O(log n + k).
    pub fn for_each_on(&self, day: Day, mut visit: impl FnMut(RelationIx)) {
        let day = key(day);
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
        let day = key(day);
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn any_day() -> impl Strategy<Value = Day> {
        (Day::MIN.year()..=Day::MAX.year(), 1i8..=12, 1i8..=31)
            .prop_map(|(y, m, d)| date(y, m, d.min(date(y, m, 1).days_in_month())))
    }

    #[test]
    fn keys_keep_the_extremes_in_order() {
        assert!(key(Day::MIN) < key(date(1, 1, 1)));
        assert!(key(date(9998, 12, 31)) < key(Day::MAX));
        assert!(key(date(-1, 12, 31)) < key(date(0, 1, 1)));
    }

    proptest! {
        /// The index compares keys in place of days: they must order exactly as the days do.
        #[test]
        fn keys_order_as_the_days_do(a in any_day(), b in any_day()) {
            prop_assert_eq!(key(a).cmp(&key(b)), a.cmp(&b));
        }
    }
}
