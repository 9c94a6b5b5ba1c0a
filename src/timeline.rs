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

use bytemuck::{Pod, Zeroable};

use crate::date::Day;
use crate::model::{Relation, RelationIx};

const NONE: u32 = u32::MAX;

/// A day as one integer with the same order, so that building and querying compare integers
/// rather than (year, month, day) triples: building the index of 10 million relations took
/// half again as long with dates.
pub(crate) type Key = i32;

pub(crate) fn key(day: Day) -> Key {
    (i32::from(day.year()) << 9) | (i32::from(day.month()) << 5) | i32::from(day.day())
}

/// A node of the tree. Plain old data, so that the index file (see [`crate::load::index`])
/// can hold the tree as it is in memory.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Pod, Zeroable)]
pub(crate) struct Node {
    /// Every relation stored at this node holds (possibly) on `center`.
    center: Key,
    /// Range of this node's relations in `by_start` and `by_end`.
    lo: u32,
    hi: u32,
    /// Subtrees: relations that end on or before `center`, and those that start after it.
    /// A child always comes after its parent in the node list.
    left: u32,
    right: u32,
}

/// One bound of a relation's possible interval, next to the relation's index.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Pod, Zeroable)]
pub(crate) struct Bound {
    key: Key,
    relation: u32,
}

/// A relation while the tree is built: its possible interval and its index.
#[derive(Debug, Clone, Copy)]
struct Member {
    from: Key,
    until: Key,
    relation: u32,
}

/// Relations indexed by their possible interval. Built once per dataset.
#[derive(Debug)]
pub struct TimeIndex(Repr);

#[derive(Debug)]
enum Repr {
    /// The interval tree, over every relation of the dataset.
    Tree {
        nodes: Vec<Node>,
        root: u32,
        /// Per node: (possible_from, relation), ascending by possible_from.
        by_start: Vec<Bound>,
        /// Per node: (possible_until, relation), descending by possible_until.
        by_end: Vec<Bound>,
        /// Every relation's possible_from, and possible_until, each sorted: for counting.
        starts: Vec<Key>,
        ends: Vec<Key>,
    },
    /// All of `len` relations hold on `day`, and the index answers for that day only: a
    /// dataset cut down to the relations of one day (see [`crate::model::Dataset::cut`]),
    /// where a tree, or even a list of intervals to scan, would cost more to build than it
    /// saves (0.035 s for the list at 10 million relations, 3.7 million of them on the day).
    Day { day: Key, len: u32 },
}

impl Default for TimeIndex {
    fn default() -> Self {
        TimeIndex::build(&[])
    }
}

/// The parts of a tree, borrowed from a [`TimeIndex`] or from an index file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tree<'a> {
    pub nodes: &'a [Node],
    pub root: u32,
    pub by_start: &'a [Bound],
    pub by_end: &'a [Bound],
}

/// Why the parts of a tree read from a file do not make a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TreeError {
    #[error("node {0} has a bad range or child")]
    Node(u32),
    #[error("the root is not a node")]
    Root,
    #[error("the bound lists differ in length")]
    Lengths,
    #[error("a bound names relation {0}, beyond the last or twice")]
    Relation(u32),
}

impl<'a> Tree<'a> {
    /// Checks that the parts make the tree [`TimeIndex::build`] makes of `relations`
    /// relations, as far as can be told without the relations: queries stay in bounds, end,
    /// and visit every node once; each node's lists are ordered and hold on its centre; every
    /// relation is in each list once. O(n). (That each bound is
    /// its relation's own is not checked here: the caller checks the relations it decodes.)
    pub fn check(self, relations: usize) -> Result<Self, TreeError> {
        let n = self.nodes.len() as u32;
        if self.by_start.len() != self.by_end.len() || self.by_start.len() != relations {
            return Err(TreeError::Lengths);
        }
        // The root is the first node; every other node is the child of exactly one node,
        // after it, so that a query reaches each node once and ends.
        if self.root != if n == 0 { NONE } else { 0 } {
            return Err(TreeError::Root);
        }
        let mut parents = vec![0u8; self.nodes.len()];
        for (slot, node) in (0u32..).zip(self.nodes) {
            for child in [node.left, node.right] {
                if child == NONE {
                    continue;
                }
                if child <= slot || child >= n || parents[child as usize] > 0 {
                    return Err(TreeError::Node(slot));
                }
                parents[child as usize] = 1;
            }
        }
        // The nodes' ranges follow one another and cover the bound lists; within each node the
        // starts ascend and the ends descend, every member holds on the centre, and the two
        // lists hold the same relations.
        let mut next = 0u32;
        for (slot, node) in (0u32..).zip(self.nodes) {
            if node.lo != next || node.hi < node.lo || node.hi as usize > relations {
                return Err(TreeError::Node(slot));
            }
            next = node.hi;
            let (starts, ends) = (
                &self.by_start[node.lo as usize..node.hi as usize],
                &self.by_end[node.lo as usize..node.hi as usize],
            );
            let ordered = starts.windows(2).all(|w| w[0] <= w[1]) && ends.windows(2).all(|w| w[0] >= w[1]);
            let around =
                starts.iter().all(|b| b.key <= node.center) && ends.iter().all(|b| b.key > node.center);
            let sum = |list: &[Bound]| {
                list.iter().fold((0u64, 0u32), |(s, x), b| (s + u64::from(b.relation), x ^ b.relation))
            };
            if !ordered || !around || sum(starts) != sum(ends) {
                return Err(TreeError::Node(slot));
            }
        }
        if next as usize != relations {
            return Err(TreeError::Lengths);
        }
        // Each relation once in each list.
        for list in [self.by_start, self.by_end] {
            let mut seen = vec![0u64; relations.div_ceil(64)];
            for b in list {
                let r = b.relation as usize;
                if r >= relations || seen[r / 64] & (1 << (r % 64)) != 0 {
                    return Err(TreeError::Relation(b.relation));
                }
                seen[r / 64] |= 1 << (r % 64);
            }
        }
        Ok(self)
    }

    /// As [`TimeIndex::for_each_on`].
    pub fn for_each_on(self, day: Day, mut visit: impl FnMut(RelationIx)) {
        let day = key(day);
        let mut at = self.root;
        while at != NONE {
            let node = self.nodes[at as usize];
            let (lo, hi) = (node.lo as usize, node.hi as usize);
            if day < node.center {
                // All of them end after the centre, hence after `day`: they hold if they
                // have started.
                for b in &self.by_start[lo..hi] {
                    if b.key > day {
                        break;
                    }
                    visit(RelationIx(b.relation));
                }
                at = node.left;
            } else {
                // All of them started by the centre, hence by `day`: they hold until their end.
                for b in &self.by_end[lo..hi] {
                    if b.key <= day {
                        break;
                    }
                    visit(RelationIx(b.relation));
                }
                at = node.right;
            }
        }
    }
}

impl TimeIndex {
    /// Builds the index in O(n log n).
    pub fn build(relations: &[Relation]) -> Self {
        // The two sorted bound lists and the tree are independent: the lists are sorted on a
        // second thread while this one builds the tree.
        let bounds = |of: fn(&Relation) -> Day| {
            let keys: Vec<Key> = relations.iter().map(|r| key(of(r))).collect();
            radix_sorted(keys)
        };
        // The bounds are copied next to each relation's index, so that building reads
        // contiguous memory rather than jumping into the relations (which took 40% of loading
        // 10 million of them).
        let mut all: Vec<Member> = relations
            .iter()
            .enumerate()
            .map(|(i, r)| Member {
                from: key(r.span.possible_from),
                until: key(r.span.possible_until),
                relation: i as u32,
            })
            .collect();
        let mut builder = Builder {
            nodes: Vec::new(),
            by_start: Vec::with_capacity(relations.len()),
            by_end: Vec::with_capacity(relations.len()),
        };
        let (root, (starts, ends)) = std::thread::scope(|scope| {
            let sorted =
                scope.spawn(|| (bounds(|r| r.span.possible_from), bounds(|r| r.span.possible_until)));
            let root = builder.node(&mut all);
            (root, sorted.join().expect("sorting the bounds does not panic"))
        });
        let Builder { nodes, by_start, by_end } = builder;
        TimeIndex(Repr::Tree { nodes, root, by_start, by_end, starts, ends })
    }

    /// The index of `len` relations that all may hold on `day`, and of no other day: O(1) to
    /// build, for a dataset that is itself the answer to one query (see
    /// [`crate::model::Dataset::cut`], which checks that they do).
    pub fn of_day(day: Day, len: usize) -> Self {
        TimeIndex(Repr::Day { day: key(day), len: u32::try_from(len).expect("fewer than 2^32 relations") })
    }

    /// The relations of an index of one day ([`TimeIndex::of_day`]): all of them on that day.
    ///
    /// # Panics
    /// On another day: such an index knows nothing of it (a caller's mistake; see
    /// [`crate::model::Dataset::covers`]).
    fn all_of(the_day: Key, len: u32, day: Day) -> std::ops::Range<u32> {
        assert_eq!(key(day), the_day, "an index of the relations of one day, asked about {day}");
        0..len
    }

    /// The tree's parts, for writing the index file; `None` for a scanning index.
    pub(crate) fn tree(&self) -> Option<Tree<'_>> {
        match &self.0 {
            Repr::Tree { nodes, root, by_start, by_end, .. } => {
                Some(Tree { nodes, root: *root, by_start, by_end })
            }
            Repr::Day { .. } => None,
        }
    }

    /// Calls `visit` for every relation whose possible interval contains `day`, in no
    /// particular order. O(log n + k).
    pub fn for_each_on(&self, day: Day, mut visit: impl FnMut(RelationIx)) {
        match &self.0 {
            Repr::Tree { .. } => self.tree().expect("a tree").for_each_on(day, visit),
            Repr::Day { day: the_day, len } => {
                TimeIndex::all_of(*the_day, *len, day).for_each(|r| visit(RelationIx(r)))
            }
        }
    }

    /// How many relations may hold on `day` (possible interval contains it): the relations
    /// started by then less those ended by then. O(log n), without visiting them.
    pub fn count_on(&self, day: Day) -> usize {
        match &self.0 {
            Repr::Tree { starts, ends, .. } => {
                let day = key(day);
                starts.partition_point(|&d| d <= day) - ends.partition_point(|&d| d <= day)
            }
            Repr::Day { day: the_day, len } => TimeIndex::all_of(*the_day, *len, day).len(),
        }
    }

    /// The relations whose possible interval contains `day`, in dataset order.
    pub fn on(&self, day: Day) -> Vec<RelationIx> {
        let relations = match &self.0 {
            Repr::Tree { starts, .. } => starts.len(),
            Repr::Day { len, .. } => *len as usize,
        };
        let mut hits = Hits::new(relations);
        self.for_each_on(day, |r| hits.insert(r));
        hits.iter().collect()
    }
}

/// `keys` in ascending order, by radix (see [`crate::radix`]).
fn radix_sorted(keys: Vec<Key>) -> Vec<Key> {
    // Flipping the sign bit maps i32 order onto u32 order, and back.
    let flip = |k: Key| u64::from(k as u32 ^ 0x8000_0000);
    let sorted = crate::radix::sorted(keys.into_iter().map(flip).collect(), u64::from(u32::MAX));
    sorted.into_iter().map(|k| (k as u32 ^ 0x8000_0000) as Key).collect()
}

/// Relation indexes met in any order (as a query of the tree meets them), given back in
/// dataset order by a bitmap: O(n / 64 + k), where sorting the 3.7 million hits of one day at
/// 10 million relations took a fifth of a second.
pub struct Hits {
    words: Vec<u64>,
    count: usize,
}

impl Hits {
    /// An empty set of the indexes below `relations`.
    pub fn new(relations: usize) -> Self {
        Hits { words: vec![0; relations.div_ceil(64)], count: 0 }
    }

    /// Adds `r` (once, however often it is added).
    ///
    /// # Panics
    /// When `r` is not below the `relations` given to [`Hits::new`].
    pub fn insert(&mut self, r: RelationIx) {
        let (word, bit) = (r.index() / 64, 1u64 << (r.index() % 64));
        self.count += usize::from(self.words[word] & bit == 0);
        self.words[word] |= bit;
    }

    /// How many indexes were added.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The indexes, ascending.
    pub fn iter(&self) -> impl Iterator<Item = RelationIx> + '_ {
        (0u32..).zip(&self.words).flat_map(|(word_ix, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let r = RelationIx(word_ix * 64 + bits.trailing_zeros());
                    bits &= bits - 1;
                    r
                })
            })
        })
    }
}

/// The tree while it is built.
struct Builder {
    nodes: Vec<Node>,
    by_start: Vec<Bound>,
    by_end: Vec<Bound>,
}

impl Builder {
    fn node(&mut self, members: &mut [Member]) -> u32 {
        if members.is_empty() {
            return NONE;
        }
        // The median start as centre: at least that relation overlaps it, and each side gets
        // at most half of the members, so the depth stays O(log n).
        let mid = members.len() / 2;
        members.select_nth_unstable_by_key(mid, |m| m.from);
        let center = members[mid].from;

        // Partitioned in place into [ends by the centre | holds on it | starts after it]:
        // moving each side into a new vector cost a fresh allocation per node, and the
        // kernel zeroing their pages was a tenth of loading 10 million relations. (The order
        // within each part does not matter: a node's centre and lists depend only on which
        // members it has.)
        let (mut low, mut at, mut high) = (0, 0, members.len());
        while at < high {
            let m = members[at];
            if m.until <= center {
                members.swap(low, at);
                low += 1;
                at += 1;
            } else if m.from > center {
                high -= 1;
                members.swap(at, high);
            } else {
                at += 1;
            }
        }
        let lo = self.by_start.len();
        for m in &members[low..high] {
            self.by_start.push(Bound { key: m.from, relation: m.relation });
            self.by_end.push(Bound { key: m.until, relation: m.relation });
        }
        self.by_start[lo..].sort_unstable();
        self.by_end[lo..].sort_unstable_by(|a, b| b.cmp(a));
        let (lo, hi) = (lo as u32, self.by_start.len() as u32);

        // Children are pushed after their parent: `Tree::check` relies on it.
        let slot = self.nodes.len() as u32;
        self.nodes.push(Node { center, lo, hi, left: NONE, right: NONE });
        let (left, rest) = members.split_at_mut(low);
        let left = self.node(left);
        let right = self.node(&mut rest[high - low..]);
        let node = &mut self.nodes[slot as usize];
        node.left = left;
        node.right = right;
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Span;
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

    /// A relation of actor 0 to itself with the given (valid) start and end.
    fn relation(start: &str, end: Option<&str>) -> Relation {
        use crate::date::testing::{p, span};
        use crate::model::{ActorIx, Notes, RelationId, RelationKind};
        Relation {
            id: RelationId::Line(0),
            source: ActorIx(0),
            target: ActorIx(0),
            kind: RelationKind::Cooperation,
            directed: false,
            start: p(start),
            end: end.map(p),
            span: span(start, end),
            notes: Notes::default(),
            credibility: None,
        }
    }

    /// Relations with random partial starts and ends in 2000–2009, some open-ended.
    fn any_relations() -> impl Strategy<Value = Vec<Relation>> {
        let date = (2000i16..2010, 0u8..=12, 0u8..=28).prop_map(|(y, m, d)| match (m, d) {
            (0, _) => format!("{y}"),
            (m, 0) => format!("{y}-{m:02}"),
            (m, d) => format!("{y}-{m:02}-{d:02}"),
        });
        proptest::collection::vec((date.clone(), proptest::option::of(date)), 0..60).prop_map(|pairs| {
            pairs
                .into_iter()
                .filter_map(|(start, end)| {
                    let (s, e) =
                        (crate::date::testing::p(&start), end.as_deref().map(crate::date::testing::p));
                    Span::new(s, e).ok().map(|_| relation(&start, end.as_deref()))
                })
                .collect()
        })
    }

    fn hits(index: &TimeIndex, day: Day) -> Vec<u32> {
        let mut hits = Vec::new();
        index.for_each_on(day, |r| hits.push(r.0));
        hits.sort_unstable();
        hits
    }

    #[test]
    fn a_checked_tree_rejects_parts_that_would_loop_or_read_out_of_bounds() {
        let relations: Vec<Relation> =
            ["2001", "2002", "2003", "2004"].iter().map(|s| relation(s, None)).collect();
        let index = TimeIndex::build(&relations);
        let tree = index.tree().expect("a tree");
        assert!(tree.check(4).is_ok());
        assert_eq!(tree.check(5).unwrap_err(), TreeError::Lengths);
        assert!(tree.nodes.len() > 1, "the test needs a node with a child");

        let mut nodes = tree.nodes.to_vec();
        let parent = (0..nodes.len()).find(|&i| nodes[i].left != NONE || nodes[i].right != NONE).unwrap();
        // A child pointing back at its parent would loop for ever.
        let child = nodes[parent].left.min(nodes[parent].right) as usize;
        nodes[child].left = parent as u32;
        assert_eq!(Tree { nodes: &nodes, ..tree }.check(4).unwrap_err(), TreeError::Node(child as u32));

        let mut nodes = tree.nodes.to_vec();
        nodes[0].hi = 5;
        assert_eq!(Tree { nodes: &nodes, ..tree }.check(4).unwrap_err(), TreeError::Node(0));
        assert_eq!(Tree { root: 99, ..tree }.check(4).unwrap_err(), TreeError::Root);

        let mut by_end = tree.by_end.to_vec();
        by_end[2].relation = 4;
        assert!(matches!(
            Tree { by_end: &by_end, ..tree }.check(4),
            Err(TreeError::Node(_) | TreeError::Relation(4))
        ));

        // A node that lists no relation: its relations would never be found.
        let mut nodes = tree.nodes.to_vec();
        nodes[0].hi = nodes[0].lo;
        assert!(Tree { nodes: &nodes, ..tree }.check(4).is_err());
        // A relation twice, another never.
        let mut by_start = tree.by_start.to_vec();
        let mut by_end = tree.by_end.to_vec();
        let twice = by_start[0].relation;
        let (i, j) = (1, by_end.iter().position(|b| b.relation == by_start[1].relation).unwrap());
        (by_start[i].relation, by_end[j].relation) = (twice, twice);
        assert!(Tree { by_start: &by_start, by_end: &by_end, ..tree }.check(4).is_err());
    }

    proptest! {
        /// Hits come back once each, ascending, and are counted once.
        #[test]
        fn hits_come_back_sorted_and_once(added in proptest::collection::vec(0u32..300, 0..200)) {
            let mut hits = Hits::new(300);
            for &r in &added {
                hits.insert(RelationIx(r));
            }
            let mut expected = added.clone();
            expected.sort_unstable();
            expected.dedup();
            prop_assert_eq!(hits.len(), expected.len());
            prop_assert_eq!(hits.iter().map(|r| r.0).collect::<Vec<_>>(), expected);
        }

        /// The radix sort of the bounds sorts, negative keys and extremes included.
        #[test]
        fn radix_sorted_sorts(keys in proptest::collection::vec(any::<i32>(), 0..300)) {
            let mut expected = keys.clone();
            expected.sort_unstable();
            prop_assert_eq!(radix_sorted(keys), expected);
        }

        /// The index compares keys in place of days: they must order exactly as the days do.
        #[test]
        fn keys_order_as_the_days_do(a in any_day(), b in any_day()) {
            prop_assert_eq!(key(a).cmp(&key(b)), a.cmp(&b));
        }

        /// The tree and its checked parts find exactly the relations whose possible interval
        /// holds the day, and count them; so does the index of the day's relations alone.
        #[test]
        fn tree_copy_and_day_agree_with_brute_force(
            relations in any_relations(),
            (y, m, d) in (1999i16..2011, 1i8..=12, 1i8..=28),
        ) {
            let day = date(y, m, d);
            let expected: Vec<u32> = (0u32..)
                .zip(&relations)
                .filter(|(_, r)| r.span.status_on(day).is_some())
                .map(|(i, _)| i)
                .collect();
            let tree = TimeIndex::build(&relations);
            prop_assert_eq!(&hits(&tree, day), &expected);
            prop_assert_eq!(tree.count_on(day), expected.len());
            // The day's relations alone, in dataset order: all of them.
            let of_day = TimeIndex::of_day(day, expected.len());
            let all: Vec<u32> = (0..expected.len() as u32).collect();
            prop_assert_eq!(&hits(&of_day, day), &all);
            prop_assert_eq!(of_day.count_on(day), expected.len());
            prop_assert_eq!(of_day.on(day).len(), expected.len());
            // The parts as an index file holds them pass the check, and answer the same.
            let parts = tree.tree().expect("a tree").check(relations.len()).expect("a valid tree");
            let mut found = Vec::new();
            parts.for_each_on(day, |r| found.push(r.0));
            found.sort_unstable();
            prop_assert_eq!(&found, &expected);
        }
    }

    #[test]
    #[should_panic(expected = "an index of the relations of one day, asked about 2001-09-12")]
    fn an_index_of_one_day_does_not_answer_for_another() {
        TimeIndex::of_day(date(2001, 9, 11), 3).count_on(date(2001, 9, 12));
    }
}
