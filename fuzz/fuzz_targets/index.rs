//! The index reader on damaged index files. A valid index is built from a small dataset once
//! per process; each input is a list of changes to its bytes (4 bytes each: a little-endian
//! u16 position in the file, scaled to its length, a byte to XOR there, and a byte that,
//! when odd, also cuts the file there), after which the checksum is recomputed, as a faulty
//! writer would leave it, so that the changes reach the decoder. Opening and decoding and
//! using what decodes may fail with a typed error, never panic or read out of bounds.

#![no_main]

#[path = "../../tests/checksum/mod.rs"]
mod checksum;
mod common;
use checksum::rehash;

use std::sync::OnceLock;

use georel::load::index::{self, Index, Key, INDEX_FILE};
use georel::model::ActorIx;
use georel::snapshot::{Options, Snapshot};
use libfuzzer_sys::fuzz_target;

/// The dataset the index is built from: a little of everything an index stores (named and
/// implicit ids, parents, aliases, evidence, summaries, open ends, every kind).
const RELATIONS: &str = "\
id,source,target,kind,start,end,directed,evidence,summary
R1,USA,COL,cooperation,2019,2020-06,,S1;S2,Joint work
,CIA,DNI,restriction,2020-03-04,,true,S2,\"quoted, with a comma\"
R3,COL,VEN,dispute,2018-05,2021,,,
R4,COL,NATO,membership,2017,,,S1,
,USA,VEN,restriction,2020,2020-12-31,false,,
";
const ACTORS: &str = "\
id,name,kind,parent,aliases
USA,United States,country,,America;US
CIA,Central Intelligence Agency,agency,USA,
COL,Colombia,country,,
DNI,Dirección Nacional de Inteligencia,agency,COL,DNI Colombia
VEN,Venezuela,country,,
NATO,North Atlantic Treaty Organization,alliance,,OTAN
";
const SOURCES: &str = "\
id,title,publisher,published,url,reliability
S1,A report,Press,2020-01-02,https://example.org/1,B
S2,Another,,2020,,
";

/// The data folder (kept for the process's life) and the valid index of its files.
fn fixture() -> &'static (tempfile::TempDir, Vec<u8>) {
    static FIXTURE: OnceLock<(tempfile::TempDir, Vec<u8>)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for (name, text) in [("relations.csv", RELATIONS), ("actors.csv", ACTORS), ("sources.csv", SOURCES)] {
            std::fs::write(dir.path().join(name), text).expect("the temporary folder is writable");
        }
        let ds = georel::load::load(dir.path()).expect("the fixture loads");
        let key = Key::of(dir.path()).expect("the fixture is readable");
        let bytes = common::written("the index", |out| index::write(&ds, &key, out));
        (dir, bytes)
    })
}

fuzz_target!(|data: &[u8]| {
    let (dir, valid) = fixture();
    let mut bytes = valid.clone();
    for change in data.chunks_exact(4) {
        if bytes.is_empty() {
            break;
        }
        let at = u16::from_le_bytes([change[0], change[1]]) as usize * bytes.len() / 65536;
        bytes[at] ^= change[2];
        if change[3] & 1 == 1 {
            bytes.truncate(at);
        }
    }
    // The last byte of an odd-length tail, when set, leaves the checksum as it is.
    if data.len() % 4 != 1 || data.last() != Some(&0xff) {
        rehash(&mut bytes);
    }
    // Each run writes the index anew (the data files are never changed), and one run at a
    // time uses the folder: libFuzzer runs one input at a time in a process.
    let path = dir.path().join(INDEX_FILE);
    std::fs::write(&path, &bytes).expect("the temporary folder is writable");

    let days = [
        jiff::civil::date(2016, 1, 1),
        jiff::civil::date(2019, 6, 1),
        jiff::civil::date(2020, 3, 4),
        jiff::civil::date(2020, 12, 31),
        jiff::civil::date(2021, 1, 1),
    ];
    for lazily in [false, true] {
        let opened = if lazily { Index::open_lazily(dir.path()) } else { Index::open(dir.path()) };
        let Ok(index) = opened else { continue };
        let _ = index.relations();
        let _ = index.stamp();
        if let Ok(whole) = index.dataset() {
            for &day in &days {
                let snap = Snapshot::at(&whole, day, Options::default());
                let _ = common::written("edges CSV", |out| georel::export::csv::write_edges(&snap, out));
                let _ = whole.timeline().count_on(day);
            }
            // Whatever decodes must hold together well enough for every query (once: both
            // ways of opening decode the same whole dataset).
            if !lazily {
                common::every_query(&whole);
            }
        }
        for &day in &days {
            if let Ok(cut) = index.dataset_on(day) {
                let snap = Snapshot::at(&cut, day, Options::default());
                let _ = common::written("edges CSV", |out| georel::export::csv::write_edges(&snap, out));
            }
            // What a path or a neighbourhood reads: each actor's relations, then the dataset
            // of those found.
            if let (Ok(around), Ok(people)) = (index.around(day), index.people_on(day)) {
                let mut found = Vec::new();
                for a in 0..people.actors.len() as u32 {
                    let _ = around.holding(ActorIx(a), |h| found.push(h.relation));
                }
                let _ = around.holding_share(4);
                for &r in found.iter().take(8) {
                    let _ = around.relation(r);
                }
                found.sort_unstable();
                found.dedup();
                if let Ok(part) = index.dataset_of(people, &found, day) {
                    let _ = Snapshot::at(&part, day, Options::default());
                }
            }
        }
    }
});
