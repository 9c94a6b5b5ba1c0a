//! Structural balance of a day's signed graph ([`Signed`]): the census of its triangles by
//! sign (+++, ++−, +−−, −−−), the triangle balance score, and the unbalanced triangles (++−:
//! a friend's friend is an enemy; −−−: three mutual enemies) with the ties that make them.
//!
//! The score is R signnet's `balance_score(g, "triangles")`: `(+++ + +−−) / all triangles`
//! (signnet's R/balance_scores.R, which counts with `count_signed_triangles`: every
//! triangle of the undirected graph, typed by its number of negative ties). On Read's
//! highland tribes it is 0.8676471 (signnet's "Structural Balance" vignette), which
//! tests/cli/balance.rs checks.

use crate::date::Day;
use crate::model::Grade;
use crate::query::signed::{Sign, Signed};

/// The number of triangles of each type, indexed by their count of negative ties.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Census {
    pub counts: [u64; 4],
}

impl Census {
    /// The types' names, as `counts` is indexed: `+++`, `++−`, `+−−`, `−−−` (U+2212).
    pub const NAMES: [&'static str; 4] = ["+++", "++−", "+−−", "−−−"];
    /// The same in ASCII, for CSV headers and JSON keys: `ppp`, `ppn`, `pnn`, `nnn`.
    pub const KEYS: [&'static str; 4] = ["ppp", "ppn", "pnn", "nnn"];

    /// Every triangle.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// +++ and +−− (Heider: the friend of a friend, the enemy of an enemy, is a friend).
    pub fn balanced(&self) -> u64 {
        self.counts[0] + self.counts[2]
    }

    /// ++− and −−−.
    pub fn unbalanced(&self) -> u64 {
        self.counts[1] + self.counts[3]
    }

    /// The triangle balance score, from 0 (every triangle unbalanced) to 1 (every one
    /// balanced); `None` without a triangle (signnet warns and divides 0 by 0).
    pub fn score(&self) -> Option<f64> {
        (self.total() > 0).then(|| self.balanced() as f64 / self.total() as f64)
    }

    /// Whether a triangle with `negatives` negative ties is balanced.
    pub fn is_balanced(negatives: usize) -> bool {
        negatives.is_multiple_of(2)
    }
}

const NONE: u32 = u32::MAX;

/// Counts the triangles of the signed graph on `nodes` nodes whose ties are `ties` (`(a, b,
/// sign)`, each pair at most once; a tie without a sign is no tie), calling `unbalanced` with
/// the three tie indexes of each unbalanced triangle.
///
/// Each triangle is found once, from its node of lowest (degree, number), by marking that
/// node's later neighbours and looking through each later neighbour's later neighbours: in
/// O(m^1.5) time for m ties and O(n + m) memory (Chiba and Nishizeki 1985; Latapy 2008).
pub fn census(
    nodes: usize,
    ties: &[(u32, u32, Option<Sign>)],
    mut unbalanced: impl FnMut([u32; 3]),
) -> Census {
    let mut degree = vec![0u32; nodes];
    for &(a, b, sign) in ties {
        if sign.is_some() && a != b {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
    }
    let before = |u: u32, v: u32| (degree[u as usize], u) < (degree[v as usize], v);
    // Forward adjacency (to later nodes only), as compressed rows of (node, tie).
    let mut start = vec![0u32; nodes + 1];
    for &(a, b, sign) in ties {
        if sign.is_some() && a != b {
            let from = if before(a, b) { a } else { b };
            start[from as usize + 1] += 1;
        }
    }
    for i in 0..nodes {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut forward = vec![(0u32, 0u32); start[nodes] as usize];
    for (i, &(a, b, sign)) in ties.iter().enumerate() {
        if sign.is_some() && a != b {
            let (from, to) = if before(a, b) { (a, b) } else { (b, a) };
            forward[next[from as usize] as usize] = (to, i as u32);
            next[from as usize] += 1;
        }
    }
    let row = |u: u32| &forward[start[u as usize] as usize..start[u as usize + 1] as usize];
    let negative = |tie: u32| usize::from(ties[tie as usize].2 == Some(Sign::Negative));
    let mut census = Census::default();
    let mut mark = vec![NONE; nodes];
    for u in 0..nodes as u32 {
        for &(v, uv) in row(u) {
            mark[v as usize] = uv;
        }
        for &(v, uv) in row(u) {
            for &(w, vw) in row(v) {
                let uw = mark[w as usize];
                if uw != NONE {
                    let negatives = negative(uv) + negative(uw) + negative(vw);
                    census.counts[negatives] += 1;
                    if !Census::is_balanced(negatives) {
                        unbalanced([uv, uw, vw]);
                    }
                }
            }
        }
        for &(v, _) in row(u) {
            mark[v as usize] = NONE;
        }
    }
    census
}

/// An unbalanced triangle of a [`Balance`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unbalanced {
    /// Its nodes' numbers ([`Signed::nodes`]), ascending.
    pub nodes: [u32; 3],
    /// Its ties (indexes into [`Signed::ties`]) between nodes 0–1, 0–2 and 1–2.
    pub ties: [u32; 3],
    /// How many of the ties are negative: 1 (++−) or 3 (−−−).
    pub negatives: usize,
    /// Each tie's grade ([`Signed::grade`]), in the order of `ties`.
    pub grades: [Grade; 3],
    /// The weakest of the three, scale by scale ([`Grade::weakest`]): a triangle is as well
    /// attested as its worst-attested tie.
    pub grade: Grade,
}

/// The structural balance of a signed graph.
#[derive(Debug)]
pub struct Balance<'s, 'd> {
    pub signed: Signed<'s, 'd>,
    pub census: Census,
    /// Counts of the signed ties by sign (contested pairs counted as `--contested` said).
    pub positive: usize,
    pub negative: usize,
    /// The unbalanced triangles, worst grade first ([`Grade::rank`], highest first), then by
    /// their nodes' numbers (by actor id).
    pub unbalanced: Vec<Unbalanced>,
    /// The contested pairs (indexes into [`Signed::ties`]), in tie order, whatever they were
    /// counted as.
    pub contested: Vec<u32>,
}

impl<'s, 'd> Balance<'s, 'd> {
    /// The census, the score's counts and the unbalanced triangles of `signed`, each with its
    /// grade (read for the ties of unbalanced triangles only).
    pub fn of(signed: Signed<'s, 'd>) -> Self {
        let ties: Vec<(u32, u32, Option<Sign>)> = signed.ties.iter().map(|t| (t.a, t.b, t.sign)).collect();
        let mut found: Vec<[u32; 3]> = Vec::new();
        let census = census(signed.node_count(), &ties, |t| found.push(t));
        drop(ties);
        let mut grades: Vec<Option<Grade>> = vec![None; signed.ties.len()];
        let mut unbalanced: Vec<Unbalanced> = found
            .into_iter()
            .map(|three| {
                let tie = |i: u32| &signed.ties[i as usize];
                // The ends of the three ties are the three nodes, each twice.
                let mut ends = [0; 6];
                for (k, &i) in three.iter().enumerate() {
                    (ends[2 * k], ends[2 * k + 1]) = (tie(i).a, tie(i).b);
                }
                ends.sort_unstable();
                let nodes = [ends[0], ends[2], ends[4]];
                let between = |x: u32, y: u32| {
                    *three.iter().find(|&&i| (tie(i).a, tie(i).b) == (x, y)).expect("a triangle's tie")
                };
                let ties =
                    [between(nodes[0], nodes[1]), between(nodes[0], nodes[2]), between(nodes[1], nodes[2])];
                let grades = ties.map(|i| *grades[i as usize].get_or_insert_with(|| signed.grade(tie(i))));
                let negatives = ties.iter().filter(|&&i| tie(i).sign == Some(Sign::Negative)).count();
                let grade = grades[0].weakest(grades[1]).weakest(grades[2]);
                Unbalanced { nodes, ties, negatives, grades, grade }
            })
            .collect();
        unbalanced.sort_unstable_by(|x, y| y.grade.rank().cmp(&x.grade.rank()).then(x.nodes.cmp(&y.nodes)));
        let positive = signed.signed().filter(|(_, s)| *s == Sign::Positive).count();
        let negative = signed.signed().filter(|(_, s)| *s == Sign::Negative).count();
        let contested =
            (0..signed.ties.len() as u32).filter(|&i| signed.ties[i as usize].contested).collect();
        Balance { signed, census, positive, negative, unbalanced, contested }
    }
}

/// One date of a series: the counts without the triangles' list.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub day: Day,
    /// The nodes of the signed graph (the ends of its ties, signed or contested).
    pub nodes: usize,
    pub positive: usize,
    pub negative: usize,
    /// Contested pairs, whatever they were counted as.
    pub contested: usize,
    pub census: Census,
    /// The relations that may hold on the day but were left out by grade.
    pub left_out: usize,
}

impl Row {
    /// The counts of `signed`, the graph of `day`.
    pub fn of(day: Day, signed: &Signed<'_, '_>) -> Row {
        let ties: Vec<(u32, u32, Option<Sign>)> = signed.ties.iter().map(|t| (t.a, t.b, t.sign)).collect();
        let census = census(signed.node_count(), &ties, |_| {});
        let left_out = signed
            .snapshot
            .dataset
            .graded_out()
            .relations
            .iter()
            .filter(|r| r.span.status_on(day).is_some())
            .count();
        Row {
            day,
            nodes: signed.node_count(),
            positive: signed.signed().filter(|(_, s)| *s == Sign::Positive).count(),
            negative: signed.signed().filter(|(_, s)| *s == Sign::Negative).count(),
            contested: signed.contested().count(),
            census,
            left_out,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    const P: Option<Sign> = Some(Sign::Positive);
    const N: Option<Sign> = Some(Sign::Negative);

    /// Every triple of nodes, with the three ties looked up: the census by definition.
    fn brute_force(nodes: usize, ties: &[(u32, u32, Option<Sign>)]) -> (Census, Vec<[u32; 3]>) {
        let sign: HashMap<(u32, u32), Sign> =
            ties.iter().filter_map(|&(a, b, s)| s.map(|s| ((a.min(b), a.max(b)), s))).collect();
        let mut census = Census::default();
        let mut unbalanced = Vec::new();
        let n = nodes as u32;
        for a in 0..n {
            for b in a + 1..n {
                for c in b + 1..n {
                    let (Some(x), Some(y), Some(z)) =
                        (sign.get(&(a, b)), sign.get(&(a, c)), sign.get(&(b, c)))
                    else {
                        continue;
                    };
                    let negatives = [x, y, z].iter().filter(|&&&s| s == Sign::Negative).count();
                    census.counts[negatives] += 1;
                    if negatives % 2 == 1 {
                        unbalanced.push([a, b, c]);
                    }
                }
            }
        }
        (census, unbalanced)
    }

    /// The nodes of each unbalanced triangle `census` reports, sorted.
    fn fast(nodes: usize, ties: &[(u32, u32, Option<Sign>)]) -> (Census, Vec<[u32; 3]>) {
        let mut unbalanced = Vec::new();
        let census = census(nodes, ties, |three| {
            let mut ends: Vec<u32> =
                three.iter().flat_map(|&i| [ties[i as usize].0, ties[i as usize].1]).collect();
            ends.sort_unstable();
            ends.dedup();
            assert_eq!(ends.len(), 3, "three ties of one triangle");
            unbalanced.push([ends[0], ends[1], ends[2]]);
        });
        unbalanced.sort_unstable();
        (census, unbalanced)
    }

    #[test]
    fn the_four_types_and_the_score() {
        // 0-1-2 +++, 0-2-3 ++− (0–3 negative), 1-2-4? no: 2–4 missing. 3-4-5 −−−.
        let ties = [(0, 1, P), (0, 2, P), (1, 2, P), (0, 3, N), (2, 3, P), (3, 4, N), (3, 5, N), (4, 5, N)];
        let (census, unbalanced) = fast(6, &ties);
        assert_eq!(census.counts, [1, 1, 0, 1]);
        assert_eq!(unbalanced, vec![[0, 2, 3], [3, 4, 5]]);
        assert_eq!(census.score(), Some(1.0 / 3.0));
        assert_eq!(Census::default().score(), None, "no triangle, no score");
    }

    #[test]
    fn a_pair_without_a_sign_closes_no_triangle() {
        let ties = [(0, 1, P), (0, 2, P), (1, 2, None)];
        assert_eq!(fast(3, &ties).0.total(), 0);
    }

    /// Read's highland tribes (tests/data/tribes): 19 +++, 2 ++−, 40 +−−, 7 −−− (counted
    /// independently by tools/tribes_census.py with networkx), and signnet's published score
    /// 0.8676471 (its "Structural Balance" vignette: `balance_score(tribes, "triangles")`).
    #[test]
    fn the_highland_tribes_have_signnets_score() {
        let text = include_str!("../../tests/data/tribes/out.ucidata-gama");
        let ties: Vec<(u32, u32, Option<Sign>)> = text
            .lines()
            .skip(1)
            .filter_map(|line| {
                let f: Vec<i32> = line.split_whitespace().map(|x| x.parse().unwrap()).collect();
                (f.len() == 3).then(|| (f[0] as u32 - 1, f[1] as u32 - 1, if f[2] > 0 { P } else { N }))
            })
            .collect();
        assert_eq!(ties.len(), 58);
        let (census, _) = fast(16, &ties);
        assert_eq!(census.counts, [19, 2, 40, 7]);
        assert_eq!(format!("{:.7}", census.score().unwrap()), "0.8676471");
        assert_eq!(brute_force(16, &ties).0, census);
    }

    fn graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, Option<Sign>)>)> {
        (1usize..=9).prop_flat_map(|n| {
            let pairs: Vec<(u32, u32)> =
                (0..n as u32).flat_map(|a| (a + 1..n as u32).map(move |b| (a, b))).collect();
            let len = pairs.len();
            // Per pair: no tie, +, −, or a contested pair left out (no sign).
            (Just(n), Just(pairs), proptest::collection::vec(0u8..4, len), any::<bool>()).prop_map(
                |(n, pairs, kinds, flip)| {
                    let ties = pairs
                        .into_iter()
                        .zip(kinds)
                        .filter(|(_, k)| *k != 0)
                        .map(|((a, b), k)| {
                            let sign = [None, P, N, None][k as usize];
                            // Either end first: the census must not care.
                            if flip && (a + b) % 2 == 0 {
                                (b, a, sign)
                            } else {
                                (a, b, sign)
                            }
                        })
                        .collect();
                    (n, ties)
                },
            )
        })
    }

    proptest! {
        #[test]
        fn the_census_is_the_brute_force_count((n, ties) in graph()) {
            prop_assert_eq!(fast(n, &ties), brute_force(n, &ties));
        }
    }
}
