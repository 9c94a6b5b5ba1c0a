//! Brokers: betweenness centrality on the day's graph ([`Signed`]'s ties, any sign, read as
//! undirected links), exact by Brandes or estimated from pivots as networkx does, each node's
//! degree by kind, and the rank changes between the days of a series.
//!
//! The numbers are networkx's (`betweenness_centrality`, networkx 3.6): shortest paths
//! counted for every ordered pair of nodes, scaled by its `_rescale`, so that a value here
//! can be checked against a networkx run on the same edge list (bench/brokers_networkx.py).
//! Written here rather than taken from rustworkx-core: see README's dependency table.

use std::collections::BTreeMap;

use crate::date::Window;
use crate::model::ActorIx;
use crate::query::signed::{ContestedAs, Signed};
use crate::snapshot::Snapshot;

/// How betweenness is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Settings {
    /// Count the ends of each shortest path as on it (networkx's `endpoints=True`).
    pub endpoints: bool,
    /// Estimate from this many source nodes (networkx's `k`) instead of every node.
    pub pivots: Option<usize>,
    /// Chooses the pivots.
    pub seed: u64,
}

/// An undirected simple graph on nodes `0..n`, as adjacency lists in one array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    offsets: Vec<usize>,
    targets: Vec<u32>,
}

impl Graph {
    /// The graph of `n` nodes with these links; loops and repeated links are dropped.
    pub fn new(n: usize, links: impl IntoIterator<Item = (u32, u32)>) -> Graph {
        let mut pairs: Vec<(u32, u32)> = links
            .into_iter()
            .filter(|&(a, b)| a != b && (a as usize) < n && (b as usize) < n)
            .flat_map(|(a, b)| [(a, b), (b, a)])
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut offsets = vec![0usize; n + 1];
        for &(a, _) in &pairs {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        Graph { offsets, targets: pairs.into_iter().map(|(_, b)| b).collect() }
    }

    /// The ties of `signed`, whatever their sign, contested ones included: on its nodes.
    pub fn of(signed: &Signed) -> Graph {
        Graph::new(signed.node_count(), signed.ties.iter().map(|t| (t.a, t.b)))
    }

    pub fn node_count(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The number of links (each counted once).
    pub fn link_count(&self) -> usize {
        self.targets.len() / 2
    }

    fn neighbours(&self, v: u32) -> &[u32] {
        &self.targets[self.offsets[v as usize]..self.offsets[v as usize + 1]]
    }
}

/// What a betweenness was computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// From every node.
    Exact,
    /// Estimated from these source nodes (sorted), as networkx's `k` sample.
    Sampled(Vec<u32>),
}

/// Betweenness centrality of every node, normalised as networkx does.
#[derive(Debug, Clone, PartialEq)]
pub struct Betweenness {
    pub values: Vec<f64>,
    pub method: Method,
}

/// The `k` pivots for `seed` among `n` nodes, sorted: a partial Fisher–Yates shuffle driven
/// by SplitMix64, so the same seed picks the same nodes on every machine. (Not networkx's
/// choice, which Python's `random` makes.)
pub fn pivots(n: usize, k: usize, seed: u64) -> Vec<u32> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut order: Vec<u32> = (0..n as u32).collect();
    let k = k.min(n);
    for i in 0..k {
        // The modulo bias is below 2^-40 for any graph that fits in memory.
        let j = i + (next() % (n - i) as u64) as usize;
        order.swap(i, j);
    }
    order.truncate(k);
    order.sort_unstable();
    order
}

/// Sources are summed in chunks of at most this many, each chunk from zero and the chunks in
/// order: the same sums, to the last bit, whatever the number of threads.
const CHUNK: usize = 64;

/// Betweenness centrality of every node of `g` (Brandes 2001), normalised as networkx's
/// `betweenness_centrality(G, k, normalized=True, endpoints)`. With `settings.pivots` below
/// the node count, estimated from that many pivots ([`pivots`]) and scaled as networkx
/// scales its `k` sample; at or above it, exact.
///
/// Cost: O(S·(n + m)) time for S sources (n, or the pivots), on every core; memory O(n + m)
/// per thread.
pub fn betweenness(g: &Graph, settings: Settings) -> Betweenness {
    let cores = std::thread::available_parallelism().map_or(1, |t| t.get());
    betweenness_on(g, settings, cores)
}

/// [`betweenness`] on at most `cores` threads.
fn betweenness_on(g: &Graph, settings: Settings, cores: usize) -> Betweenness {
    let n = g.node_count();
    let method = match settings.pivots {
        Some(k) if k < n => Method::Sampled(pivots(n, k, settings.seed)),
        _ => Method::Exact,
    };
    let all: Vec<u32>;
    let sources: &[u32] = match &method {
        Method::Exact => {
            all = (0..n as u32).collect();
            &all
        }
        Method::Sampled(p) => p,
    };
    let mut values = vec![0.0; n];
    // Fewer sources than chunks to share them: smaller chunks (the size still depends on
    // the sources alone).
    let chunk = (sources.len() / 32).clamp(1, CHUNK);
    let chunks = sources.len().div_ceil(chunk).max(1);
    let threads = cores.clamp(1, chunks);
    for wave in sources.chunks(chunk * threads) {
        let partials: Vec<Vec<f64>> = std::thread::scope(|scope| {
            let running: Vec<_> = wave
                .chunks(chunk)
                .map(|chunk| {
                    scope.spawn(move || {
                        let mut work = Work::new(n);
                        let mut sums = vec![0.0; n];
                        for &s in chunk {
                            work.from(g, s, settings.endpoints, &mut sums);
                        }
                        sums
                    })
                })
                .collect();
            running.into_iter().map(|t| t.join().expect("a betweenness thread failed")).collect()
        });
        for part in partials {
            for (v, x) in values.iter_mut().zip(part) {
                *v += x;
            }
        }
    }
    rescale(&mut values, settings.endpoints, &method);
    Betweenness { values, method }
}

/// One source's shortest paths, reused from source to source.
struct Work {
    distance: Vec<i64>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    order: Vec<u32>,
}

impl Work {
    fn new(n: usize) -> Work {
        Work { distance: vec![-1; n], sigma: vec![0.0; n], delta: vec![0.0; n], order: Vec::new() }
    }

    /// Adds source `s`'s dependencies to `sums` (networkx's `_single_source_shortest_path_basic`
    /// and `_accumulate_basic` / `_accumulate_endpoints`).
    fn from(&mut self, g: &Graph, s: u32, endpoints: bool, sums: &mut [f64]) {
        let Work { distance, sigma, delta, order } = self;
        order.clear();
        distance[s as usize] = 0;
        sigma[s as usize] = 1.0;
        order.push(s);
        let mut head = 0;
        while head < order.len() {
            let v = order[head];
            head += 1;
            let (dv, sv) = (distance[v as usize], sigma[v as usize]);
            for &w in g.neighbours(v) {
                let w = w as usize;
                if distance[w] < 0 {
                    distance[w] = dv + 1;
                    order.push(w as u32);
                }
                if distance[w] == dv + 1 {
                    sigma[w] += sv;
                }
            }
        }
        if endpoints {
            sums[s as usize] += (order.len() - 1) as f64;
        }
        for &w in order.iter().rev() {
            let w = w as usize;
            let coefficient = (1.0 + delta[w]) / sigma[w];
            let before = distance[w] - 1;
            for &v in g.neighbours(w as u32) {
                if distance[v as usize] == before {
                    delta[v as usize] += sigma[v as usize] * coefficient;
                }
            }
            if w != s as usize {
                sums[w] += if endpoints { delta[w] + 1.0 } else { delta[w] };
            }
        }
        for &w in order.iter() {
            let w = w as usize;
            distance[w] = -1;
            sigma[w] = 0.0;
            delta[w] = 0.0;
        }
    }
}

/// networkx 3.6's `_rescale` for `normalized=True` on an undirected graph: sums over ordered
/// pairs divided by the pairs a node could lie between; for a sample, the pivots' own
/// values divided by one pair fewer, since a pivot is never between itself and another.
fn rescale(values: &mut [f64], endpoints: bool, method: &Method) {
    let n = values.len();
    let big_n = if endpoints { n } else { n.saturating_sub(1) };
    if big_n < 2 {
        return;
    }
    let pairs = (big_n - 1) as f64;
    match method {
        Method::Exact => values.iter_mut().for_each(|v| *v /= big_n as f64 * pairs),
        Method::Sampled(p) if endpoints => values.iter_mut().for_each(|v| *v /= p.len() as f64 * pairs),
        Method::Sampled(p) => {
            let k = p.len() as f64;
            // networkx leaves a lone pivot's own value undefined (NaN); the plan refuses
            // `--pivots 1` without `--endpoints`.
            let source = if p.len() > 1 { 1.0 / ((k - 1.0) * pairs) } else { f64::NAN };
            let other = 1.0 / (k * pairs);
            for (i, v) in values.iter_mut().enumerate() {
                *v *= if p.binary_search(&(i as u32)).is_ok() { source } else { other };
            }
        }
    }
}

/// A node's number of neighbours on the day by kind: cooperation, restriction, dispute,
/// membership (in [`RelationKind::ALL`]'s order), each pair counted once whatever the
/// direction or the number of relations.
pub type Degree = [u32; 4];

/// The brokers of a day (or a window).
#[derive(Debug)]
pub struct Brokers {
    pub window: Window,
    /// The nodes: actors (or countries) with a tie of the chosen kinds, by actor id.
    pub nodes: Vec<ActorIx>,
    pub ties: usize,
    pub betweenness: Betweenness,
    /// By node, over every kind whatever `--kinds`.
    pub degrees: Vec<Degree>,
    /// Node numbers from the highest betweenness down (equal values by actor id), with
    /// their rank: equal values share the rank of the first (1, 2, 2, 4).
    pub ranking: Vec<(u32, u32)>,
}

/// The brokers of `snapshot` (its kinds are the graph's: a membership links member and
/// group when they include it), with degrees read from `every_kind`, the same snapshot
/// taken with every kind.
pub fn of(snapshot: &Snapshot, every_kind: &Snapshot, settings: Settings) -> Brokers {
    let signed = Signed::of(snapshot, ContestedAs::Skip);
    let graph = Graph::of(&signed);
    let betweenness = betweenness(&graph, settings);
    let ranking = ranking(&betweenness.values);
    let degrees = degrees(every_kind, &signed.nodes);
    Brokers {
        window: snapshot.window,
        ties: graph.link_count(),
        nodes: signed.nodes,
        betweenness,
        degrees,
        ranking,
    }
}

/// Node numbers ranked by value, highest first (see [`Brokers::ranking`]). Values within
/// 1e-12 are equal: the same betweenness summed in another order differs in its last bits.
pub fn ranking(values: &[f64]) -> Vec<(u32, u32)> {
    let key = |v: f64| if v.is_nan() { i64::MIN } else { (v * 1e12).round() as i64 };
    let mut order: Vec<u32> = (0..values.len() as u32).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(key(values[i as usize])), i));
    let mut out = Vec::with_capacity(order.len());
    for (place, &i) in order.iter().enumerate() {
        let rank = match out.last() {
            Some(&(prev, rank)) if key(values[prev as usize]) == key(values[i as usize]) => rank,
            _ => place as u32 + 1,
        };
        out.push((i, rank));
    }
    out
}

/// Each of `nodes`' degree by kind in `snapshot`.
fn degrees(snapshot: &Snapshot, nodes: &[ActorIx]) -> Vec<Degree> {
    let ds = snapshot.dataset;
    let mut links: Vec<(u32, u32, u8)> = snapshot
        .edges
        .iter()
        .filter(|e| e.source != e.target)
        .map(|e| {
            let (a, b) = (ds.rank(e.source), ds.rank(e.target));
            (a.min(b), a.max(b), e.kind as u8)
        })
        .collect();
    links.sort_unstable();
    links.dedup();
    let mut out = vec![[0u32; 4]; nodes.len()];
    let number = |rank: u32| nodes.binary_search_by_key(&rank, |&x| ds.rank(x)).ok();
    for (a, b, kind) in links {
        for end in [a, b] {
            if let Some(i) = number(end) {
                out[i][kind as usize] += 1;
            }
        }
    }
    out
}

/// How the brokers changed from one date to the next: `before` and `after` are the brokers
/// of each (key and rank).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes<K> {
    /// Brokers after, not before, with their rank after.
    pub entered: Vec<(K, u32)>,
    /// Brokers before, not after, with their rank before.
    pub dropped: Vec<(K, u32)>,
    /// Brokers both times whose rank changed: (key, before, after).
    pub moved: Vec<(K, u32, u32)>,
}

/// The changes from `before` to `after`, each list in rank order (then key order).
pub fn changes<K: Ord + Clone>(before: &[(K, u32)], after: &[(K, u32)]) -> Changes<K> {
    let was: BTreeMap<&K, u32> = before.iter().map(|(k, r)| (k, *r)).collect();
    let is: BTreeMap<&K, u32> = after.iter().map(|(k, r)| (k, *r)).collect();
    let mut entered: Vec<(K, u32)> = after.iter().filter(|(k, _)| !was.contains_key(k)).cloned().collect();
    let mut dropped: Vec<(K, u32)> = before.iter().filter(|(k, _)| !is.contains_key(k)).cloned().collect();
    let mut moved: Vec<(K, u32, u32)> = after
        .iter()
        .filter_map(|(k, r)| was.get(k).filter(|&&b| b != *r).map(|&b| (k.clone(), b, *r)))
        .collect();
    entered.sort_by(|x, y| (x.1, &x.0).cmp(&(y.1, &y.0)));
    dropped.sort_by(|x, y| (x.1, &x.0).cmp(&(y.1, &y.0)));
    moved.sort_by(|x, y| (x.2, &x.0).cmp(&(y.2, &y.0)));
    Changes { entered, dropped, moved }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fixture of issue 18: edges (0,4),(1,2),(2,3),(3,4),(1,4).
    fn fixture() -> Graph {
        Graph::new(5, [(0, 4), (1, 2), (2, 3), (3, 4), (1, 4)])
    }

    fn close(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len(), "{got:?} against {want:?}");
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?} against {want:?}");
        }
    }

    /// networkx 3.6.1, `betweenness_centrality(G)` and `(G, endpoints=True)` on the fixture:
    /// tests/reference/brokers_networkx.py prints them (tests/reference/brokers_networkx.txt).
    #[test]
    fn the_fixture_gives_networkx_values() {
        let exact = betweenness(&fixture(), Settings::default());
        assert_eq!(exact.method, Method::Exact);
        close(&exact.values, &[0.0, 1.0 / 6.0, 1.0 / 12.0, 1.0 / 6.0, 7.0 / 12.0]);
        let ends = betweenness(&fixture(), Settings { endpoints: true, ..Settings::default() });
        close(&ends.values, &[0.4, 0.5, 0.45, 0.5, 0.75]);
    }

    /// networkx 3.6.1 with `k=2` and the sample {1, 4} (tests/reference/brokers_networkx.py
    /// gives networkx that sample by seeding its choice; see the script and its .txt).
    #[test]
    fn a_sample_is_scaled_as_networkx_scales_it() {
        let g = fixture();
        let seed = (0..).find(|&s| pivots(5, 2, s) == [1, 4]).unwrap();
        let sampled = betweenness(&g, Settings { endpoints: false, pivots: Some(2), seed });
        assert_eq!(sampled.method, Method::Sampled(vec![1, 4]));
        close(&sampled.values, &[0.0, 1.0 / 6.0, 1.0 / 12.0, 1.0 / 12.0, 0.5]);
        let ends = betweenness(&g, Settings { endpoints: true, pivots: Some(2), seed });
        close(&ends.values, &[0.25, 0.6875, 0.3125, 0.3125, 0.8125]);
    }

    #[test]
    fn pivots_are_distinct_sorted_and_the_seeds() {
        let p = pivots(100, 10, 7);
        assert_eq!(p.len(), 10);
        assert!(p.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(p, pivots(100, 10, 7));
        assert_ne!(p, pivots(100, 10, 8));
        assert_eq!(pivots(3, 5, 1), vec![0, 1, 2]);
        // At or above the node count the count is exact.
        let all = betweenness(&fixture(), Settings { pivots: Some(5), ..Settings::default() });
        assert_eq!(all.method, Method::Exact);
    }

    /// The sums are chunked by the sources alone: one thread or several, the same bits.
    #[test]
    fn the_values_are_the_same_whatever_the_threads() {
        // A ring of 300 with chords: 300 sources, several chunks and waves.
        let links: Vec<(u32, u32)> =
            (0..300u32).flat_map(|i| [(i, (i + 1) % 300), (i, (i * 7 + 3) % 300)]).collect();
        let g = Graph::new(300, links);
        for settings in [Settings::default(), Settings { pivots: Some(40), seed: 9, endpoints: true }] {
            let one = betweenness_on(&g, settings, 1);
            for cores in [2, 3, 8] {
                let many = betweenness_on(&g, settings, cores);
                let bits = |b: &Betweenness| b.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&one), bits(&many), "{cores} threads");
            }
        }
    }

    #[test]
    fn equal_values_share_a_rank() {
        let r = ranking(&[0.5, 0.0, 0.5 + 1e-15, 0.75, 0.0]);
        assert_eq!(r, vec![(3, 1), (0, 2), (2, 2), (1, 4), (4, 4)]);
    }

    #[test]
    fn changes_say_who_entered_dropped_and_moved() {
        let before = [("A", 1), ("B", 2), ("C", 3)];
        let after = [("B", 1), ("D", 2), ("A", 3)];
        let c = changes(&before, &after);
        assert_eq!(c.entered, vec![("D", 2)]);
        assert_eq!(c.dropped, vec![("C", 3)]);
        assert_eq!(c.moved, vec![("B", 2, 1), ("A", 1, 3)]);
    }

    /// Betweenness by enumerating every shortest path between every ordered pair whose first
    /// node is in `sources`, each path adding 1/(number of shortest paths) to the nodes on it
    /// (its ends too with `endpoints`), scaled as networkx's `_rescale`.
    fn brute_force(
        n: usize,
        links: &[(u32, u32)],
        sources: &[u32],
        endpoints: bool,
        sampled: bool,
    ) -> Vec<f64> {
        let mut adj = vec![Vec::new(); n];
        for &(a, b) in links {
            if a != b && !adj[a as usize].contains(&(b as usize)) {
                adj[a as usize].push(b as usize);
                adj[b as usize].push(a as usize);
            }
        }
        let mut raw = vec![0.0; n];
        for &s in sources {
            let s = s as usize;
            let mut dist = vec![usize::MAX; n];
            dist[s] = 0;
            let mut queue = std::collections::VecDeque::from([s]);
            while let Some(v) = queue.pop_front() {
                for &w in &adj[v] {
                    if dist[w] == usize::MAX {
                        dist[w] = dist[v] + 1;
                        queue.push_back(w);
                    }
                }
            }
            for t in (0..n).filter(|&t| t != s && dist[t] != usize::MAX) {
                // Every path s → t along which the distance grows by one each step.
                let mut paths: Vec<Vec<usize>> = Vec::new();
                let mut stack = vec![vec![s]];
                while let Some(path) = stack.pop() {
                    let last = *path.last().unwrap();
                    if last == t {
                        paths.push(path);
                        continue;
                    }
                    for &w in &adj[last] {
                        if dist[w] == dist[last] + 1 && dist[w] <= dist[t] {
                            let mut longer = path.clone();
                            longer.push(w);
                            stack.push(longer);
                        }
                    }
                }
                let paths: Vec<_> = paths.into_iter().filter(|p| *p.last().unwrap() == t).collect();
                let share = 1.0 / paths.len() as f64;
                for p in &paths {
                    let inner = if endpoints { &p[..] } else { &p[1..p.len() - 1] };
                    for &v in inner {
                        raw[v] += share;
                    }
                }
            }
        }
        let big_n = if endpoints { n } else { n.saturating_sub(1) };
        if big_n < 2 {
            return raw;
        }
        let pairs = (big_n - 1) as f64;
        let k = sources.len() as f64;
        (0..n)
            .map(|v| {
                let scale = if !sampled || endpoints {
                    1.0 / ((if sampled { k } else { big_n as f64 }) * pairs)
                } else if sources.contains(&(v as u32)) {
                    1.0 / ((k - 1.0) * pairs)
                } else {
                    1.0 / (k * pairs)
                };
                raw[v] * scale
            })
            .collect()
    }

    proptest! {
        #[test]
        fn brandes_agrees_with_every_shortest_path_counted(
            n in 1usize..9,
            links in proptest::collection::vec((0u32..9, 0u32..9), 0..20),
            endpoints in any::<bool>(),
        ) {
            let links: Vec<(u32, u32)> = links.into_iter().filter(|&(a, b)| (a as usize) < n && (b as usize) < n).collect();
            let g = Graph::new(n, links.iter().copied());
            let got = betweenness(&g, Settings { endpoints, ..Settings::default() });
            let all: Vec<u32> = (0..n as u32).collect();
            close(&got.values, &brute_force(n, &links, &all, endpoints, false));
        }

        #[test]
        fn a_sample_agrees_with_its_pivots_paths_counted(
            n in 3usize..9,
            links in proptest::collection::vec((0u32..9, 0u32..9), 0..20),
            endpoints in any::<bool>(),
            k in 2usize..9,
            seed in any::<u64>(),
        ) {
            let links: Vec<(u32, u32)> = links.into_iter().filter(|&(a, b)| (a as usize) < n && (b as usize) < n).collect();
            let g = Graph::new(n, links.iter().copied());
            let got = betweenness(&g, Settings { endpoints, pivots: Some(k), seed });
            match &got.method {
                Method::Exact => prop_assert!(k >= n),
                Method::Sampled(p) => {
                    prop_assert_eq!(p.len(), k);
                    close(&got.values, &brute_force(n, &links, p, endpoints, true));
                }
            }
        }
    }
}
