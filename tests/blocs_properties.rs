//! The blocs partition (`georel::query::blocs`) against brute force and against R signnet's
//! published result on Read's Gahuku-Gama tribes.
//!
//! Brute force: every assignment of the n ≤ 8 nodes to K labels (K^n of them, at most
//! 4^8 = 65,536), the criterion α·N + (1−α)·P counted tie by tie as the module's
//! introduction defines it. The exact search must reach its minimum; the heuristic may miss
//! it, so it is only held to its own partition's value and to never beating the minimum.

use georel::query::blocs::{self, Method, Partition};
use georel::query::signed::Sign;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

type Tie = (u32, u32, Sign);

fn value(ties: &[Tie], labels: &[u32], alpha: f64) -> f64 {
    let (mut n, mut p) = (0u64, 0u64);
    for &(a, b, s) in ties {
        let same = labels[a as usize] == labels[b as usize];
        match s {
            Sign::Negative if same => n += 1,
            Sign::Positive if !same => p += 1,
            _ => {}
        }
    }
    alpha * n as f64 + (1.0 - alpha) * p as f64
}

fn brute_force(n: usize, ties: &[Tie], k: usize, alpha: f64) -> f64 {
    let mut labels = vec![0u32; n];
    let mut best = f64::INFINITY;
    loop {
        best = best.min(value(ties, &labels, alpha));
        // The next assignment, as a number written in base k.
        let mut i = 0;
        loop {
            if i == n {
                return best;
            }
            labels[i] += 1;
            if (labels[i] as usize) < k {
                break;
            }
            labels[i] = 0;
            i += 1;
        }
    }
}

/// What a partition claims, checked against its own labels.
fn check_own_value(p: &Partition, ties: &[Tie], alpha: f64) {
    let labels: Vec<u32> = p.bloc.iter().map(|b| b.unwrap_or(u32::MAX)).collect();
    let (mut n, mut pos) = (0u64, 0u64);
    for &(a, b, s) in ties {
        let same = labels[a as usize] == labels[b as usize];
        match s {
            Sign::Negative if same => n += 1,
            Sign::Positive if !same => pos += 1,
            _ => {}
        }
    }
    assert_eq!((p.negative_inside, p.positive_between), (n, pos), "the counts are the partition's own");
    assert!((p.criterion(alpha) - value(ties, &labels, alpha)).abs() < 1e-9);
    // Labels are canonical: numbered by first appearance, no gap.
    let mut next = 0;
    for b in p.bloc.iter().flatten() {
        assert!(*b <= next, "bloc {b} appears before bloc {next}");
        if *b == next {
            next += 1;
        }
    }
    assert_eq!(next, p.blocs);
    // A node is in a bloc exactly when it has a tie.
    for (v, b) in p.bloc.iter().enumerate() {
        let tied = ties.iter().any(|&(a, c, _)| a as usize == v || c as usize == v);
        assert_eq!(b.is_some(), tied, "node {v}");
    }
}

fn graph() -> impl Strategy<Value = (usize, Vec<Tie>)> {
    (1usize..=8)
        .prop_flat_map(|n| {
            let pairs: Vec<(u32, u32)> =
                (0..n as u32).flat_map(|a| (a + 1..n as u32).map(move |b| (a, b))).collect();
            let count = pairs.len();
            // Each pair: no tie, positive or negative.
            (Just(n), Just(pairs), proptest::collection::vec(0u8..3, count))
        })
        .prop_map(|(n, pairs, picks)| {
            let ties = pairs
                .into_iter()
                .zip(picks)
                .filter_map(|((a, b), pick)| match pick {
                    1 => Some((a, b, Sign::Positive)),
                    2 => Some((a, b, Sign::Negative)),
                    _ => None,
                })
                .collect();
            (n, ties)
        })
}

fn alpha() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(0.25), Just(0.5), Just(0.7), Just(1.0), 0.0f64..=1.0]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_exact_search_finds_the_brute_force_minimum(
        (n, ties) in graph(),
        k in 1usize..=4,
        alpha in alpha(),
        seed in any::<u64>(),
    ) {
        let best = brute_force(n, &ties, k, alpha);
        let exact = blocs::exact(n, &ties, k, alpha, blocs::EXACT_STEPS).expect("8 nodes fit the budget");
        prop_assert!((exact.criterion(alpha) - best).abs() < 1e-9, "exact {} vs {best}", exact.criterion(alpha));
        prop_assert!(exact.blocs as usize <= k);
        check_own_value(&exact, &ties, alpha);
        // What the command runs: exact at this size, whatever the seed.
        let chosen = blocs::partition(n, &ties, k, alpha, seed);
        prop_assert_eq!(chosen.method, Method::Exact);
        prop_assert!((chosen.criterion(alpha) - best).abs() < 1e-9);
        check_own_value(&chosen, &ties, alpha);
    }

    #[test]
    fn the_heuristic_never_beats_the_minimum_and_reports_its_own_value(
        (n, ties) in graph(),
        k in 1usize..=4,
        alpha in alpha(),
        seed in any::<u64>(),
    ) {
        let best = brute_force(n, &ties, k, alpha);
        let h = blocs::heuristic(n, &ties, k, alpha, seed);
        prop_assert!(h.criterion(alpha) >= best - 1e-9);
        prop_assert!(h.blocs as usize <= k);
        check_own_value(&h, &ties, alpha);
        prop_assert_eq!(&h, &blocs::heuristic(n, &ties, k, alpha, seed), "deterministic for a seed");
    }
}

/// How often the heuristic reaches the minimum on small graphs: not a property (it may
/// legitimately miss), but it should on nearly all of them; a drop says the search broke.
#[test]
fn the_heuristic_reaches_the_minimum_on_most_small_graphs() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (graph(), 1usize..=4, alpha());
    let (mut hits, total) = (0, 300);
    for _ in 0..total {
        let ((n, ties), k, alpha) = strategy.new_tree(&mut runner).unwrap().current();
        let best = brute_force(n, &ties, k, alpha);
        if (blocs::heuristic(n, &ties, k, alpha, 0).criterion(alpha) - best).abs() < 1e-9 {
            hits += 1;
        }
    }
    assert!(hits * 100 >= total * 95, "the heuristic reached the minimum on {hits} of {total}");
}

/// Read's Gahuku-Gama subtribes (16 nodes, 29 positive and 29 negative ties), as R signnet
/// ships them (`data(tribes)`), from `tests/data/signnet/tribes.net` (origin in
/// tests/data/README.md).
fn tribes() -> (Vec<String>, Vec<Tie>) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/signnet/tribes.net"))
        .expect("the tribes fixture");
    let (mut names, mut ties, mut edges) = (Vec::new(), Vec::new(), false);
    for line in text.lines().filter(|l| !l.starts_with('%')) {
        if line.starts_with("*vertices") {
            continue;
        }
        if line.starts_with("*edges") {
            edges = true;
            continue;
        }
        let cells: Vec<&str> = line.split_whitespace().collect();
        if edges {
            let a: u32 = cells[0].parse().unwrap();
            let b: u32 = cells[1].parse().unwrap();
            let sign = if cells[2] == "1" { Sign::Positive } else { Sign::Negative };
            ties.push((a - 1, b - 1, sign));
        } else {
            names.push(cells[1].to_string());
        }
    }
    (names, ties)
}

/// signnet's blockmodeling vignette (articles/blockmodeling.md, signnet 1.0.x):
/// `signed_blockmodel(tribes, k = 3, alpha = 0.5)` gives criterion 2 and membership
/// 1 1 3 3 2 3 3 3 2 2 3 3 2 2 1 1, with annealing and without (the labels differ).
#[test]
fn tribes_with_three_blocs_match_signnet() {
    let (names, ties) = tribes();
    assert_eq!((names.len(), ties.len()), (16, 58));
    let signnet_membership = [1, 1, 3, 3, 2, 3, 3, 3, 2, 2, 3, 3, 2, 2, 1, 1];
    // signnet's criterion of its own partition, counted as signnet counts (each tie twice).
    let labels: Vec<u32> = signnet_membership.iter().map(|&b| b - 1).collect();
    assert_eq!(2.0 * value(&ties, &labels, 0.5), 2.0);

    let p = blocs::partition(16, &ties, 3, 0.5, 0);
    assert_eq!(p.method, Method::Exact, "16 nodes: the exact search finishes");
    assert_eq!(p.signnet_criterion(0.5), 2.0);
    assert_eq!(p.criterion(0.5), 1.0);
    assert_eq!((p.negative_inside, p.positive_between), (0, 2));
    // The same partition, relabelled by first appearance: signnet's 1 → 1, 3 → 2, 2 → 3.
    let ours: Vec<u32> = p.bloc.iter().map(|b| b.unwrap() + 1).collect();
    let relabelled: Vec<u32> = signnet_membership.iter().map(|&b| [0, 1, 3, 2][b as usize]).collect();
    assert_eq!(ours, relabelled);
    // The heuristic finds it too.
    let h = blocs::heuristic(16, &ties, 3, 0.5, 0);
    assert_eq!(h.bloc, p.bloc);
}

/// The module's promise: on 12 nodes the exact search always finishes within its budget,
/// whatever K (here K = 12, the most labels) and however little the bound prunes.
#[test]
fn twelve_nodes_always_fit_the_exact_search() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let pairs: Vec<(u32, u32)> = (0..12u32).flat_map(|a| (a + 1..12).map(move |b| (a, b))).collect();
    for _ in 0..3 {
        let picks = proptest::collection::vec(0u8..3, pairs.len()).new_tree(&mut runner).unwrap().current();
        let ties: Vec<Tie> = pairs
            .iter()
            .zip(picks)
            .filter_map(|(&(a, b), pick)| match pick {
                1 => Some((a, b, Sign::Positive)),
                2 => Some((a, b, Sign::Negative)),
                _ => None,
            })
            .collect();
        assert!(blocs::exact(12, &ties, 12, 0.5, blocs::EXACT_STEPS).is_some());
    }
    // A positive path: many partitions of cost 0 to walk past, all 12 nodes in play.
    let path: Vec<Tie> = (0..11u32).map(|a| (a, a + 1, Sign::Positive)).collect();
    assert!(blocs::exact(12, &path, 12, 0.5, blocs::EXACT_STEPS).is_some());
}
