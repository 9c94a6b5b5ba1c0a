//! The divan suite of georel's core operations (parse, index, snapshot, path, neighbourhood,
//! write) and of the index file (write, open, open and decode one day) on synthetic
//! `source,target,kind,start,end` files shaped like the peer benchmark's
//! (`bench/gen_relations.py`): `cargo bench --bench core`. Under `cargo test` each benchmark runs once.
//!
//! The data is made here, by a seeded generator, before anything is timed: each size's file is
//! written as `relations.csv` into a dataset folder of its own in a temporary folder and loaded
//! once, its index file (`.georel-index`) is written beside it once, and the benchmarks that
//! need a dataset, a snapshot or the index share those. Only the operation itself is inside the
//! timed closure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;

use georel::date::Day;
use georel::export::csv;
use georel::load::index::{self as index_file, Index, Key, INDEX_FILE};
use georel::load::{load_relations, RELATIONS_FILE};
use georel::model::{ActorIx, Dataset};
use georel::query::neighbours;
use georel::query::network::Walk;
use georel::query::path as paths;
use georel::snapshot::{Options, Snapshot};
use georel::timeline::TimeIndex;

/// Relations per file (rows before the generator drops empty intervals).
const SIZES: [usize; 2] = [10_000, 100_000];
/// bench/gen_relations.py's default seed.
const SEED: u64 = 20_240_601;

/// Where the generated files go; removed when `main` returns.
static DIR: OnceLock<PathBuf> = OnceLock::new();

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder for the generated files");
    DIR.set(dir.path().to_owned()).expect("set once");
    divan::main();
}

/// One size's data, made once and shared by every benchmark of that size.
struct Fixture {
    /// The dataset folder: `relations.csv` and its `.georel-index`.
    folder: PathBuf,
    csv: PathBuf,
    csv_bytes: u64,
    /// The key of the folder's data files, as `georel index` computes it before writing.
    key: Key,
    index_bytes: u64,
    dataset: &'static Dataset,
    /// The graph on `day`, as `georel snapshot --at` takes it.
    snapshot: Snapshot<'static>,
    day: Day,
    /// A00001, and the actor farthest from it on the day.
    from: ActorIx,
    to: ActorIx,
}

fn fixture(n: usize) -> &'static Fixture {
    static MADE: Mutex<Vec<(usize, &'static Fixture)>> = Mutex::new(Vec::new());
    let mut made = MADE.lock().expect("no benchmark panicked");
    if let Some(&(_, f)) = made.iter().find(|(size, _)| *size == n) {
        return f;
    }
    let folder = DIR.get().expect("main sets the folder").join(format!("data_{n}"));
    std::fs::create_dir(&folder).expect("a dataset folder");
    let csv = folder.join(RELATIONS_FILE);
    generate(n, SEED, &csv).expect("write the generated relations");
    let csv_bytes = std::fs::metadata(&csv).expect("the file just written").len();
    // The folder holds only `relations.csv`, so this is what `load::load` makes of it.
    let dataset: &'static Dataset =
        Box::leak(Box::new(load_relations(&csv).expect("the generated file loads")));
    let key = Key::of(&folder).expect("hash the generated file");
    let index_path = folder.join(INDEX_FILE);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&index_path).expect("create the index"));
    index_file::write(dataset, &key, &mut out).expect("write the index");
    out.into_inner().expect("flush the index").sync_all().expect("sync the index");
    let index_bytes = std::fs::metadata(&index_path).expect("the index just written").len();
    let day = jiff::civil::date(2001, 9, 11);
    let snapshot = Snapshot::at(dataset, day, Options::default());
    let from = dataset.actor_by_id(&actor_id(0)).expect("A00001 has relations");
    // The day's graph is dense at these sizes (every actor is within two hops of A00001): take
    // the actor farthest from A00001 (the last by id among the farthest), for the longest path.
    let all = neighbours::around(&snapshot, &Walk::default(), from, usize::MAX);
    let &(to, _) = all.actors.last().expect("A00001 itself at least");
    let f: &'static Fixture = Box::leak(Box::new(Fixture {
        folder,
        csv,
        csv_bytes,
        key,
        index_bytes,
        dataset,
        snapshot,
        day,
        from,
        to,
    }));
    // It opens, and counts the dataset's relations, before anything about it is timed.
    let index = Index::open(&f.folder).expect("the index just written opens");
    assert_eq!(index.relations(), dataset.relations.len());
    made.push((n, f));
    f
}

/// T1 of the peer benchmark: read, validate and intern the file, and build the time index.
#[divan::bench(args = SIZES)]
fn parse(bencher: Bencher, n: usize) {
    let f = fixture(n);
    bencher.counter(BytesCount::new(f.csv_bytes)).bench(|| load_relations(&f.csv).expect("loads"));
}

/// The time index alone, over the loaded relations.
#[divan::bench(args = SIZES)]
fn index(bencher: Bencher, n: usize) {
    let f = fixture(n);
    bencher
        .counter(ItemsCount::new(f.dataset.relations.len()))
        .bench(|| TimeIndex::build(&f.dataset.relations));
}

/// The graph on a day: the relations holding then, contested pairs, degrees.
#[divan::bench(args = SIZES)]
fn snapshot(bencher: Bencher, n: usize) {
    let f = fixture(n);
    bencher.bench(|| Snapshot::at(f.dataset, f.day, Options::default()));
}

/// The shortest path between two actors on the day's snapshot (`georel path`).
#[divan::bench(args = SIZES)]
fn path(bencher: Bencher, n: usize) {
    let f = fixture(n);
    let walk = Walk::default();
    bencher.bench(|| paths::shortest(&f.snapshot, &walk, f.from, f.to).expect("a path"));
}

/// Everything within two hops of an actor on the day's snapshot (`georel neighbours --depth 2`).
#[divan::bench(args = SIZES)]
fn neighbourhood(bencher: Bencher, n: usize) {
    let f = fixture(n);
    let walk = Walk::default();
    bencher.bench(|| neighbours::around(&f.snapshot, &walk, f.from, 2));
}

/// The day's snapshot as the edges CSV of `georel snapshot --format edges-csv`, into memory.
#[divan::bench(args = SIZES)]
fn write(bencher: Bencher, n: usize) {
    let f = fixture(n);
    let mut probe = Vec::new();
    csv::write_edges(&f.snapshot, &mut probe).expect("writes to memory");
    let len = probe.len();
    bencher.counter(BytesCount::new(len)).with_inputs(|| Vec::with_capacity(len)).bench_local_values(
        |mut out: Vec<u8>| {
            csv::write_edges(&f.snapshot, &mut out).expect("writes to memory");
            out
        },
    );
}

/// The index file of the loaded dataset (`georel index`, given the data files' key) into a
/// `Vec<u8>` reserved beforehand; throughput in bytes written.
#[divan::bench(args = SIZES)]
fn index_file_write(bencher: Bencher, n: usize) {
    let f = fixture(n);
    let len = usize::try_from(f.index_bytes).expect("fits in memory");
    bencher.counter(BytesCount::new(len)).with_inputs(|| Vec::with_capacity(len)).bench_local_values(
        |mut out: Vec<u8>| {
            index_file::write(f.dataset, &f.key, &mut out).expect("writes to memory");
            out
        },
    );
}

/// `Index::open` on the dataset folder: hash `relations.csv` (and look for the other data
/// files), map the index, check its trailer and checksum and its sections; throughput in the
/// bytes hashed (the CSV file and the index).
#[divan::bench(args = SIZES)]
fn index_file_open(bencher: Bencher, n: usize) {
    let f = fixture(n);
    bencher
        .counter(BytesCount::new(f.csv_bytes + f.index_bytes))
        .bench(|| Index::open(&f.folder).expect("the index is current"));
}

/// What `georel snapshot/path/neighbours --at 2001-09-11` load when the index is current:
/// `Index::open`, then `dataset_on` the day (the relations that may hold then, decoded).
#[divan::bench(args = SIZES)]
fn index_file_day(bencher: Bencher, n: usize) {
    let f = fixture(n);
    bencher.bench(|| {
        let index = Index::open(&f.folder).expect("the index is current");
        index.dataset_on(f.day).expect("the day decodes")
    });
}

fn actor_id(i: usize) -> String {
    format!("A{:05}", i + 1)
}

/// SplitMix64: small, seeded, the same numbers on every machine.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }

    fn exponential(&mut self, scale: f64) -> f64 {
        -scale * (1.0 - self.unit()).ln()
    }
}

/// Writes about `rows` relations the way `bench/gen_relations.py` draws them (not its exact
/// numbers): actors A00001… (rows / 200, clamped to 50..=50,000) on a ring, most relations between
/// actors near each other on it, 3% between one of a few hubs and anyone, kinds 50/30/20%,
/// start days from 1946-01-01 to 2026-12-31 denser in recent years, 27% with an (exclusive)
/// end; intervals of one (source, target, kind) never overlap (the earlier is cut at the
/// later's start, and emptied ones are dropped); rows shuffled.
fn generate(rows: usize, seed: u64, out: &Path) -> std::io::Result<()> {
    const KINDS: [&str; 3] = ["cooperation", "restriction", "dispute"];
    let mut rng = Rng(seed);
    let actors = (rows / 200).clamp(50, 50_000);
    let hub_count = (actors / 500).clamp(3, 20);
    let mut hubs: Vec<usize> = Vec::with_capacity(hub_count);
    while hubs.len() < hub_count {
        let h = rng.below(actors);
        if !hubs.contains(&h) {
            hubs.push(h);
        }
    }
    let first = jiff::civil::date(1946, 1, 1);
    let span = first.until(jiff::civil::date(2026, 12, 31)).expect("a span").get_days() as usize;
    let scale = (actors as f64 / 50.0).max((actors as f64 / 5.0).min(100.0));

    // (source, target, kind, start, end), days counted from 1946-01-01.
    let mut rels: Vec<(usize, usize, usize, usize, Option<usize>)> = (0..rows)
        .map(|_| {
            let (source, target) = if rng.unit() < 0.03 {
                let hub = hubs[rng.below(hub_count)];
                let mut partner = rng.below(actors - 1);
                if partner >= hub {
                    partner += 1;
                }
                if rng.unit() < 0.5 {
                    (partner, hub)
                } else {
                    (hub, partner)
                }
            } else {
                let source = rng.below(actors);
                let offset = 1 + (rng.exponential(scale) as usize) % (actors - 1);
                let offset = if rng.unit() < 0.5 { offset } else { actors - offset };
                (source, (source + offset) % actors)
            };
            let u = rng.unit();
            let kind = if u < 0.5 {
                0
            } else if u < 0.8 {
                1
            } else {
                2
            };
            let start = ((rng.unit().sqrt() * (span + 1) as f64) as usize).min(span);
            let has_end = rng.unit() < 0.27;
            let duration = 1 + rng.exponential(3000.0) as usize;
            let room = span - start;
            let end = (has_end && room >= 1).then(|| start + 1 + (duration - 1) % room);
            (source, target, kind, start, end)
        })
        .collect();

    // Interval hygiene per directed (source, target, kind).
    rels.sort_unstable_by_key(|&(s, t, k, start, _)| (s, t, k, start));
    for i in 0..rels.len().saturating_sub(1) {
        let next = rels[i + 1];
        let this = &mut rels[i];
        if (this.0, this.1, this.2) == (next.0, next.1, next.2) && this.4.is_none_or(|end| end > next.3) {
            this.4 = Some(next.3);
        }
    }
    rels.retain(|&(_, _, _, start, end)| end.is_none_or(|end| end > start));
    for i in (1..rels.len()).rev() {
        let j = rng.below(i + 1);
        rels.swap(i, j);
    }

    let days: Vec<String> = std::iter::successors(Some(first), |d| d.tomorrow().ok())
        .take(span + 1)
        .map(|d| d.to_string())
        .collect();
    let ids: Vec<String> = (0..actors).map(actor_id).collect();
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    w.write_all(b"source,target,kind,start,end\n")?;
    for (s, t, k, start, end) in rels {
        let end = end.map_or("", |e| days[e].as_str());
        writeln!(w, "{},{},{},{},{end}", ids[s], ids[t], KINDS[k], days[start])?;
    }
    w.flush()
}
