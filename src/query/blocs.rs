//! `blocs`: a partition of a day's signed graph ([`crate::query::signed`]) into at most K
//! blocs with the fewest frustrating ties, weighed by Doreian and Mrvar's criterion
//! P = α·N + (1−α)·P₊, where N counts the negative ties inside blocs and P₊ the positive ties
//! between them (Doreian and Mrvar 1996, 2009; R signnet's `signed_blockmodel(g, k, alpha)`).
//!
//! Matching signnet: a bloc may end up empty (its search moves nodes freely between K labels,
//! so a partition into fewer blocs is allowed when it frustrates less); and signnet sums over
//! every non-zero entry of the symmetric adjacency matrix, so each undirected tie counts
//! twice: its `criterion` is twice [`Partition::criterion`] ([`Partition::signnet_criterion`]).
//! Both are reported.
//!
//! The search is exact (branch and bound over partitions with bloc labels numbered by first
//! appearance, so each partition is visited once) when it finishes within [`EXACT_STEPS`]
//! steps, which covers every graph of at most [`EXACT_ALWAYS`] nodes whatever K, and often
//! more; beyond, it is a heuristic: [`RESTARTS`] runs of relocation (each node moved to the
//! bloc where it frustrates least, until no move helps: Doreian and Mrvar's relocation
//! neighbourhood, signnet's greedy move), from random starts drawn with the seed, keeping the
//! best. Both are deterministic: the exact search returns the first optimal partition in its
//! own order, whatever the seed; the heuristic, the same partition for the same seed.
//! Nodes without a signed tie (only contested pairs left out) are in no bloc.

use crate::query::signed::{ContestedAs, Sign, Signed};

/// How a partition is asked for (`georel blocs --k --alpha --seed --contested`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The most blocs (at least 1).
    pub k: usize,
    /// The weight of a negative tie inside a bloc; a positive tie between blocs weighs 1 − α.
    pub alpha: f64,
    /// The seed of the heuristic's random starts.
    pub seed: u64,
    pub contested: ContestedAs,
}

/// The exact search's step budget: partial partitions extended. Counted, not timed, so that
/// the answer (exact or not) never depends on the machine.
pub const EXACT_STEPS: u64 = 10_000_000;

/// The largest graph the exact search always finishes within [`EXACT_STEPS`]: the search tree
/// of 12 nodes has at most 5,034,585 nodes (the root and the partial partitions with canonical
/// labels, 1 + B(1) + … + B(12) Bell numbers), whatever K and before any pruning.
pub const EXACT_ALWAYS: usize = 12;

/// The exact search is not tried beyond this many nodes (it would run out of steps).
pub const EXACT_TRIED: usize = 40;

/// The heuristic's number of runs: one from every node in one bloc, the rest from random
/// starts.
pub const RESTARTS: u32 = 16;

/// How a partition was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The exact search: no partition into at most K blocs frustrates less.
    Exact,
    /// The heuristic: a local minimum, the best of [`RESTARTS`] runs. `gave_up` when the
    /// exact search was tried and ran out of steps.
    Heuristic { gave_up: bool },
}

impl Method {
    /// `exact` or `heuristic`, as every output says.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Heuristic { .. } => "heuristic",
        }
    }
}

/// A partition of the nodes into blocs, with its frustration.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// Each node's bloc, numbered from 0 by first appearance in node order (the first node's
    /// bloc is 0, the next new bloc 1, ...); `None` for a node without a signed tie.
    pub bloc: Vec<Option<u32>>,
    /// The number of non-empty blocs (at most K).
    pub blocs: u32,
    /// Negative ties inside a bloc.
    pub negative_inside: u64,
    /// Positive ties between two blocs.
    pub positive_between: u64,
    pub method: Method,
}

impl Partition {
    /// Doreian and Mrvar's criterion, each undirected tie counted once: α·N + (1−α)·P,
    /// rounded to 9 decimals so that it reads as the sum it is (3 × 0.7 is 2.1, not the
    /// 2.0999999999999996 of floating point).
    pub fn criterion(&self, alpha: f64) -> f64 {
        (criterion(alpha, self.negative_inside, self.positive_between) * 1e9).round() / 1e9
    }

    /// The criterion as signnet's `signed_blockmodel` reports it: each undirected tie counted
    /// both ways (twice [`Partition::criterion`]).
    pub fn signnet_criterion(&self, alpha: f64) -> f64 {
        2.0 * self.criterion(alpha)
    }

    /// Each bloc's nodes, in node order, blocs in their order.
    pub fn members(&self) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); self.blocs as usize];
        for (v, b) in self.bloc.iter().enumerate() {
            if let Some(b) = b {
                out[*b as usize].push(v as u32);
            }
        }
        out
    }

    /// Whether a tie of this sign between these nodes frustrates the partition.
    pub fn frustrates(&self, a: u32, b: u32, sign: Sign) -> bool {
        let same = self.bloc[a as usize] == self.bloc[b as usize];
        match sign {
            Sign::Negative => same,
            Sign::Positive => !same,
        }
    }
}

/// α·N + (1−α)·P.
pub fn criterion(alpha: f64, negative_inside: u64, positive_between: u64) -> f64 {
    alpha * negative_inside as f64 + (1.0 - alpha) * positive_between as f64
}

/// Within this of each other, two criterion values are equal (sums of α and 1 − α).
const EPS: f64 = 1e-9;

/// The partition of `n` nodes joined by `ties` (`(a, b, sign)`, `a != b`, each pair once)
/// into at most `k` blocs with the least criterion: exact when the search finishes (see the
/// module's introduction), else the heuristic's with `seed`.
///
/// Cost: the heuristic is O(RESTARTS · sweeps · (E + n·K)); the exact search at most
/// [`EXACT_STEPS`] steps of O(deg·K + n·K) each, on graphs of at most [`EXACT_TRIED`] nodes.
pub fn partition(n: usize, ties: &[(u32, u32, Sign)], k: usize, alpha: f64, seed: u64) -> Partition {
    let graph = Graph::new(n, ties);
    let heuristic = graph.heuristic(k, alpha, seed);
    if graph.placed.len() > EXACT_TRIED {
        return graph.finish(&heuristic, Method::Heuristic { gave_up: false });
    }
    let upper = graph.value(&heuristic, alpha);
    match graph.exact(k, alpha, upper, EXACT_STEPS) {
        Some(best) => graph.finish(&best.unwrap_or(heuristic), Method::Exact),
        None => graph.finish(&heuristic, Method::Heuristic { gave_up: true }),
    }
}

/// The exact search alone, with its step budget: `None` when it ran out.
pub fn exact(n: usize, ties: &[(u32, u32, Sign)], k: usize, alpha: f64, steps: u64) -> Option<Partition> {
    let graph = Graph::new(n, ties);
    let found = graph.exact(k, alpha, f64::INFINITY, steps)?;
    let labels = found.unwrap_or_else(|| vec![0; graph.placed.len()]);
    Some(graph.finish(&labels, Method::Exact))
}

/// The heuristic alone.
pub fn heuristic(n: usize, ties: &[(u32, u32, Sign)], k: usize, alpha: f64, seed: u64) -> Partition {
    let graph = Graph::new(n, ties);
    let labels = graph.heuristic(k, alpha, seed);
    graph.finish(&labels, Method::Heuristic { gave_up: false })
}

/// The nodes with a signed tie, renumbered `0..m`, and their ties.
struct Graph {
    n: usize,
    /// Node numbers of the placed nodes, in node order.
    placed: Vec<u32>,
    adj: Vec<Vec<(u32, Sign)>>,
    /// Each node's positive ties: what its costs start from (counted once, not per visit).
    positive: Vec<u32>,
    ties: Vec<(u32, u32, Sign)>,
}

impl Graph {
    fn new(n: usize, ties: &[(u32, u32, Sign)]) -> Graph {
        let mut index = vec![u32::MAX; n];
        let mut used = vec![false; n];
        for &(a, b, _) in ties {
            used[a as usize] = true;
            used[b as usize] = true;
        }
        let placed: Vec<u32> = (0..n as u32).filter(|&v| used[v as usize]).collect();
        for (i, &v) in placed.iter().enumerate() {
            index[v as usize] = i as u32;
        }
        let ties: Vec<(u32, u32, Sign)> =
            ties.iter().map(|&(a, b, s)| (index[a as usize], index[b as usize], s)).collect();
        let mut adj = vec![Vec::new(); placed.len()];
        for &(a, b, s) in &ties {
            adj[a as usize].push((b, s));
            adj[b as usize].push((a, s));
        }
        let positive =
            adj.iter().map(|list| list.iter().filter(|(_, s)| *s == Sign::Positive).count() as u32).collect();
        Graph { n, placed, adj, positive, ties }
    }

    fn counts(&self, labels: &[u32]) -> (u64, u64) {
        let (mut negative, mut positive) = (0, 0);
        for &(a, b, s) in &self.ties {
            let same = labels[a as usize] == labels[b as usize];
            match s {
                Sign::Negative if same => negative += 1,
                Sign::Positive if !same => positive += 1,
                _ => {}
            }
        }
        (negative, positive)
    }

    fn value(&self, labels: &[u32], alpha: f64) -> f64 {
        let (n, p) = self.counts(labels);
        criterion(alpha, n, p)
    }

    /// The partition as reported: labels renumbered by first appearance in node order, and
    /// the counts taken again from the labels (never carried over from the search).
    fn finish(&self, labels: &[u32], method: Method) -> Partition {
        let mut renumber: Vec<Option<u32>> = Vec::new();
        let mut bloc = vec![None; self.n];
        let mut blocs = 0;
        for (i, &v) in self.placed.iter().enumerate() {
            let l = labels[i] as usize;
            if renumber.len() <= l {
                renumber.resize(l + 1, None);
            }
            let b = *renumber[l].get_or_insert_with(|| {
                blocs += 1;
                blocs - 1
            });
            bloc[v as usize] = Some(b);
        }
        let (negative_inside, positive_between) = self.counts(labels);
        Partition { bloc, blocs, negative_inside, positive_between, method }
    }

    /// The cost of each bloc `0..k` for node `v`, given the others' labels.
    fn costs(&self, v: usize, labels: &[u32], alpha: f64, cost: &mut [f64]) {
        cost.fill((1.0 - alpha) * f64::from(self.positive[v]));
        for &(u, s) in &self.adj[v] {
            let c = labels[u as usize] as usize;
            match s {
                Sign::Negative => cost[c] += alpha,
                Sign::Positive => cost[c] -= 1.0 - alpha,
            }
        }
    }

    /// Relocation to a local minimum: every node in turn moves to the bloc where its ties
    /// frustrate least, when that is strictly better, until a sweep moves none.
    fn relocate(&self, labels: &mut [u32], k: usize, alpha: f64) {
        let mut cost = vec![0.0; k];
        // Each move lowers the criterion by at least min(α, 1 − α) > 0 (or by a move of
        // weight 0, which is never strictly better): the loop ends. The cap is a guard.
        for _ in 0..10_000 {
            let mut moved = false;
            for v in 0..labels.len() {
                self.costs(v, labels, alpha, &mut cost);
                let here = labels[v] as usize;
                let mut best = here;
                for (c, &x) in cost.iter().enumerate() {
                    if x < cost[best] - EPS {
                        best = c;
                    }
                }
                if best != here {
                    labels[v] = best as u32;
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
    }

    /// The best of [`RESTARTS`] relocation runs (the first of equal ones).
    fn heuristic(&self, k: usize, alpha: f64, seed: u64) -> Vec<u32> {
        let m = self.placed.len();
        let k = k.clamp(1, m.max(1));
        let mut rng = SplitMix64(seed);
        let mut best: Option<(f64, Vec<u32>)> = None;
        for run in 0..RESTARTS {
            let mut labels: Vec<u32> =
                if run == 0 { vec![0; m] } else { (0..m).map(|_| rng.below(k as u64) as u32).collect() };
            self.relocate(&mut labels, k, alpha);
            let value = self.value(&labels, alpha);
            if best.as_ref().is_none_or(|(b, _)| value < b - EPS) {
                best = Some((value, labels));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// Branch and bound. `Some(None)` when no partition beats `upper`; `None` when it ran
    /// out of `steps`.
    fn exact(&self, k: usize, alpha: f64, upper: f64, steps: u64) -> Option<Option<Vec<u32>>> {
        let m = self.placed.len();
        if m == 0 {
            return Some(Some(Vec::new()));
        }
        let k = k.clamp(1, m);
        let order = self.search_order();
        let mut search = Search {
            graph: self,
            k,
            alpha,
            order: &order,
            labels: vec![u32::MAX; m],
            cost: vec![vec![0.0; k]; m],
            best: None,
            best_value: upper,
            steps,
        };
        search.descend(0, 0, 0.0).then_some(search.best)
    }

    /// Nodes in the order the search places them: each next the one with the most ties to
    /// those already placed (then the most ties, then node order), so that costs, and the
    /// bound, grow early.
    fn search_order(&self) -> Vec<usize> {
        let m = self.placed.len();
        let mut taken = vec![false; m];
        let mut links = vec![0usize; m];
        let mut order = Vec::with_capacity(m);
        for _ in 0..m {
            let v = (0..m)
                .filter(|&v| !taken[v])
                .max_by_key(|&v| (links[v], self.adj[v].len(), std::cmp::Reverse(v)))
                .expect("a node is left");
            taken[v] = true;
            order.push(v);
            for &(u, _) in &self.adj[v] {
                links[u as usize] += 1;
            }
        }
        order
    }
}

struct Search<'g> {
    graph: &'g Graph,
    k: usize,
    alpha: f64,
    order: &'g [usize],
    labels: Vec<u32>,
    /// `cost[v][c]`: what placing the unplaced node `v` in bloc `c` adds, given the placed.
    cost: Vec<Vec<f64>>,
    best: Option<Vec<u32>>,
    best_value: f64,
    steps: u64,
}

impl Search<'_> {
    /// Places `order[depth..]` given `used` labels so far at cost `value`; false when the
    /// steps ran out.
    fn descend(&mut self, depth: usize, used: usize, value: f64) -> bool {
        if self.steps == 0 {
            return false;
        }
        self.steps -= 1;
        if depth == self.order.len() {
            // The first leaf at most the heuristic's value is kept; after that only strictly
            // better ones, so the answer is the first optimal partition in search order.
            let better = if self.best.is_none() {
                value <= self.best_value + EPS
            } else {
                value < self.best_value - EPS
            };
            if better {
                self.best = Some(self.labels.clone());
                self.best_value = value;
            }
            return true;
        }
        let v = self.order[depth];
        let choices = (used + 1).min(self.k);
        // The bound: what is placed, plus each unplaced node's cheapest bloc given the placed.
        let rest: f64 = self.order[depth + 1..]
            .iter()
            .map(|&u| self.cost[u][..(used + 1).min(self.k)].iter().copied().fold(f64::INFINITY, f64::min))
            .sum();
        for c in 0..choices {
            let here = value + self.cost[v][c];
            if !self.worth(here + rest) {
                continue;
            }
            self.place(v, c, 1.0);
            let ok = self.descend(depth + 1, used.max(c + 1), here);
            self.place(v, c, -1.0);
            if !ok {
                return false;
            }
        }
        true
    }

    /// Whether a subtree bounded below by `bound` may hold a partition worth keeping.
    fn worth(&self, bound: f64) -> bool {
        if self.best.is_none() {
            bound <= self.best_value + EPS
        } else {
            bound < self.best_value - EPS
        }
    }

    /// Places (`sign` 1) or unplaces (−1) node `v` in bloc `c`, updating its neighbours' costs.
    fn place(&mut self, v: usize, c: usize, sign: f64) {
        self.labels[v] = if sign > 0.0 { c as u32 } else { u32::MAX };
        let (alpha, k) = (self.alpha, self.k);
        for &(u, s) in &self.graph.adj[v] {
            let costs = &mut self.cost[u as usize];
            match s {
                Sign::Negative => costs[c] += sign * alpha,
                Sign::Positive => {
                    for (d, x) in costs.iter_mut().enumerate().take(k) {
                        if d != c {
                            *x += sign * (1.0 - alpha);
                        }
                    }
                }
            }
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a few lines give the heuristic its seeded,
/// reproducible starts; no generator crate is needed for this.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (n ≥ 1), by multiply-shift: unbiased enough for starts.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

/// The blocs of a day's signed graph, with the ties that frustrate them.
#[derive(Debug)]
pub struct Blocs {
    pub partition: Partition,
    /// Indexes into [`Signed::ties`] of the frustrating ties: negative ties inside a bloc
    /// first, then positive ties between blocs, each in tie order.
    pub frustrating: Vec<usize>,
}

/// The blocs of `signed` as `settings` asks (its `contested` was applied by
/// [`Signed::of`]).
pub fn of(signed: &Signed<'_, '_>, settings: &Settings) -> Blocs {
    let ties: Vec<(u32, u32, Sign)> = signed.signed().map(|(t, s)| (t.a, t.b, s)).collect();
    let partition = partition(signed.node_count(), &ties, settings.k, settings.alpha, settings.seed);
    let mut frustrating: Vec<(Sign, usize)> = signed
        .ties
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.sign.filter(|&s| partition.frustrates(t.a, t.b, s)).map(|s| (s, i)))
        .collect();
    // Negative (inside) before positive (between): `Sign` orders positive first.
    frustrating.sort_by_key(|&(s, i)| (s == Sign::Positive, i));
    Blocs { partition, frustrating: frustrating.into_iter().map(|(_, i)| i).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Sign::{Negative as N, Positive as P};

    #[test]
    fn two_camps_split_along_their_enmity() {
        // 0–1 and 2–3 friends, every cross pair enemies: two blocs, nothing frustrated.
        let ties = [(0, 1, P), (2, 3, P), (0, 2, N), (0, 3, N), (1, 2, N), (1, 3, N)];
        let p = partition(4, &ties, 2, 0.5, 0);
        assert_eq!(p.bloc, vec![Some(0), Some(0), Some(1), Some(1)]);
        assert_eq!((p.negative_inside, p.positive_between, p.blocs), (0, 0, 2));
        assert_eq!(p.method, Method::Exact);
        assert_eq!(p.criterion(0.5), 0.0);
    }

    #[test]
    fn blocs_may_stay_empty_and_lone_nodes_are_in_none() {
        // All friends: one bloc of K = 3 is best; node 3 has no signed tie.
        let ties = [(0, 1, P), (1, 2, P), (0, 2, P)];
        let p = partition(4, &ties, 3, 0.5, 7);
        assert_eq!(p.bloc, vec![Some(0), Some(0), Some(0), None]);
        assert_eq!(p.blocs, 1);
    }

    #[test]
    fn an_unbalanced_triangle_costs_one_tie_and_signnet_counts_it_twice() {
        // + + −: either the negative tie inside or a positive tie between.
        let ties = [(0, 1, P), (1, 2, P), (0, 2, N)];
        let p = partition(3, &ties, 2, 0.5, 0);
        assert_eq!(p.negative_inside + p.positive_between, 1);
        assert_eq!(p.criterion(0.5), 0.5);
        assert_eq!(p.signnet_criterion(0.5), 1.0);
        // α = 1: only negative ties inside count, so splitting costs nothing.
        let p = partition(3, &ties, 2, 1.0, 0);
        assert_eq!((p.negative_inside, p.criterion(1.0)), (0, 0.0));
    }

    #[test]
    fn the_reported_criterion_reads_as_the_sum_it_is() {
        let p = Partition {
            bloc: vec![],
            blocs: 0,
            negative_inside: 0,
            positive_between: 3,
            method: Method::Exact,
        };
        assert_eq!(criterion(0.3, 0, 3), 2.0999999999999996, "what floating point gives");
        assert_eq!(p.criterion(0.3), 2.1);
        assert_eq!(p.signnet_criterion(0.3), 4.2);
    }

    #[test]
    fn the_exact_answer_does_not_depend_on_the_seed() {
        let ties = [(0, 1, P), (1, 2, N), (2, 3, P), (3, 0, N), (0, 2, P), (1, 3, N), (3, 4, N), (4, 0, P)];
        let first = partition(5, &ties, 3, 0.3, 0);
        for seed in 1..20 {
            assert_eq!(partition(5, &ties, 3, 0.3, seed), first);
        }
    }

    #[test]
    fn the_exact_search_gives_up_when_out_of_steps() {
        let ties = [(0, 1, P), (1, 2, N), (2, 3, P)];
        assert!(exact(4, &ties, 2, 0.5, 2).is_none());
        assert!(exact(4, &ties, 2, 0.5, 1000).is_some());
    }

    #[test]
    fn splitmix_matches_its_published_first_outputs() {
        // The reference implementation's first outputs for seed 1234567
        // (https://prng.di.unimi.it/splitmix64.c).
        let mut r = SplitMix64(1234567);
        assert_eq!(r.next(), 6457827717110365317);
        assert_eq!(r.next(), 3203168211198807973);
    }
}
