//! `georel bench` gives the answers of a brute-force reading of the peers' semantics
//! (bench/common.py: a relation holds on D when start ≤ D < end; T2g–T4 work on the
//! simple undirected graph of the day), on small random relation files.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::process::Command;

use jiff::civil::{date, Date};
use proptest::prelude::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_georel");
const KINDS: [&str; 3] = ["cooperation", "restriction", "dispute"];

#[derive(Debug, Clone)]
struct Rel {
    source: usize,
    target: usize,
    kind: usize,
    start: Date,
    end: Option<Date>,
}

fn day(offset: i32) -> Date {
    date(2000, 1, 1).checked_add(jiff::Span::new().days(offset)).unwrap()
}

fn relation(actors: usize) -> impl Strategy<Value = Rel> {
    (0..actors, 1..actors, 0..3usize, 0..60i32, proptest::option::of(1..40i32)).prop_map(
        move |(source, shift, kind, start, length)| Rel {
            source,
            target: (source + shift) % actors,
            kind,
            start: day(start),
            end: length.map(|l| day(start + l)),
        },
    )
}

fn case() -> impl Strategy<Value = (usize, Vec<Rel>, Date, usize, usize)> {
    (2..12usize).prop_flat_map(|actors| {
        (Just(actors), proptest::collection::vec(relation(actors), 1..120), 0..70i32, 0..actors, 0..actors)
            .prop_map(|(n, rels, d, a, b)| (n, rels, day(d), a, b))
    })
}

fn id(actor: usize) -> String {
    format!("A{actor:02}")
}

/// Breadth-first distances from `from` in an adjacency map, up to `limit` hops.
fn distances(
    adjacent: &BTreeMap<usize, BTreeSet<usize>>,
    from: usize,
    limit: usize,
) -> BTreeMap<usize, usize> {
    let mut dist = BTreeMap::from([(from, 0)]);
    let mut queue = VecDeque::from([from]);
    while let Some(n) = queue.pop_front() {
        if dist[&n] == limit {
            continue;
        }
        for &m in adjacent.get(&n).into_iter().flatten() {
            if !dist.contains_key(&m) {
                dist.insert(m, dist[&n] + 1);
                queue.push_back(m);
            }
        }
    }
    dist
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn bench_answers_equal_a_brute_force_reading((actors, rels, on, a, b) in case()) {
        let dir = tempfile::tempdir().unwrap();
        let mut csv = String::from("source,target,kind,start,end\n");
        for r in &rels {
            let end = r.end.map(|e| e.to_string()).unwrap_or_default();
            csv.push_str(&format!("{},{},{},{},{end}\n", id(r.source), id(r.target), KINDS[r.kind], r.start));
        }
        fs::write(dir.path().join("r.csv"), csv).unwrap();
        let out = Command::new(BIN)
            .args(["bench", "r.csv", &on.to_string(), &id(a), &id(b), "--out", "t5.csv", "--json", "r.json"])
            .current_dir(dir.path())
            .env_clear()
            .output()
            .unwrap();
        prop_assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let json: Value = serde_json::from_str(&fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
        let task = |t: &str, k: &str| json["tasks"][t][k].clone();

        // T2: the holding relations, by kind.
        let holding: Vec<&Rel> = rels.iter().filter(|r| r.start <= on && r.end.is_none_or(|e| on < e)).collect();
        for (k, kind) in KINDS.iter().enumerate() {
            prop_assert_eq!(task("T2", kind), Value::from(holding.iter().filter(|r| r.kind == k).count()));
        }
        prop_assert_eq!(task("T2", "total"), Value::from(holding.len()));

        // T2g: one undirected edge per pair with any holding relation.
        let mut adjacent: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for r in &holding {
            adjacent.entry(r.source).or_default().insert(r.target);
            adjacent.entry(r.target).or_default().insert(r.source);
        }
        let edges: usize = adjacent.values().map(BTreeSet::len).sum::<usize>() / 2;
        prop_assert_eq!(task("T2g", "nodes"), Value::from(adjacent.len()));
        prop_assert_eq!(task("T2g", "edges"), Value::from(edges));

        // T3: the 2-hop ball around A (empty when A has no edge) and the edges inside it.
        let (n3, e3) = if adjacent.contains_key(&a) {
            let ball = distances(&adjacent, a, 2);
            let inside: usize = ball.keys().map(|n| adjacent[n].iter().filter(|m| ball.contains_key(m)).count()).sum();
            (ball.len(), inside / 2)
        } else {
            (0, 0)
        };
        prop_assert_eq!(task("T3", "nodes"), Value::from(n3));
        prop_assert_eq!(task("T3", "edges"), Value::from(e3));

        // T4: the hop distance from A to B, -1 when unreachable (A and B need not be loaded).
        let loaded: BTreeSet<usize> = rels.iter().flat_map(|r| [r.source, r.target]).collect();
        let length = if loaded.contains(&a) && loaded.contains(&b) {
            distances(&adjacent, a, actors).get(&b).map_or(-1, |&d| d as i64)
        } else {
            -1
        };
        prop_assert_eq!(task("T4", "length"), Value::from(length));

        // T5: the holding relations as `source,target,kind`, as a multiset of rows.
        let written = fs::read_to_string(dir.path().join("t5.csv")).unwrap();
        let mut rows: Vec<&str> = written.lines().skip(1).collect();
        rows.sort_unstable();
        let mut want: Vec<String> = holding.iter().map(|r| format!("{},{},{}", id(r.source), id(r.target), KINDS[r.kind])).collect();
        want.sort_unstable();
        prop_assert_eq!(rows, want);
    }
}
