//! The index file: a dataset's actors, sources, relations and time index in a binary form
//! that opens in a fraction of the time that parsing the CSV takes, kept beside the data
//! (`DIR/.georel-index`) and trusted only while the CSV files it was built from are unchanged
//! and it is itself intact.
//!
//! # Layout
//!
//! The file is a body of sections followed by a fixed-size trailer. Each section starts
//! at a multiple of 8 bytes and holds plain little-endian data as it is in memory: relation
//! records (28 bytes each, the grade among their bits), the relation ids (one of the form
//! prefix and number, `r12` or `448329571`, in its record: the number, and the prefix's entry
//! in a small table of prefixes; any other in an offset table over UTF-8 text), the summaries
//! as an offset table over UTF-8 text, evidence lists and claimants, the actors and sources (a
//! small length-prefixed encoding), the time index's tree ([`crate::timeline`]), and each
//! actor's relations (an offset table over one list of relation numbers). The file is mapped, guarded against another program making
//! it shorter meanwhile (`load::mapped`: the pages it lost read as zeros instead of killing
//! the process with SIGBUS, and whatever was read is refused, [`Unusable::Changed`]; off
//! Linux it is read into memory); a snapshot on one day
//! walks the tree in place and decodes only the relations that may hold that day, and a path
//! or a neighbourhood reads the relations of the actors it reaches ([`Around`]) and decodes
//! only those it needs.
//!
//! # Trust
//!
//! The trailer records, for each of `relations.csv`, `actors.csv` and `sources.csv`,
//! whether it exists, its size and the hash of its content (xxh3-128, block by block: see
//! `load::digest`) as the loader read it when it built the dataset ([`super::load_keyed`]:
//! the bytes parsed are the bytes hashed, so that a file changed while it is read leaves an
//! index that is found stale, never one trusted for other data), and a checksum of the whole
//! index file (with the checksum field zeroed). Verifying an index ([`Index::verify`])
//! recomputes all of them and refuses the index when any differs, so an index is never used
//! for data it was not built from, and a truncated, corrupt, foreign or older-format file is
//! reported, not read. That reads every byte of the index and of the data files: 0.36–0.47 s
//! at 10 million relations (a 522 MB index, a 400 MB relations.csv), on every command.
//!
//! So once an index is verified (or just built, and then verified), georel records beside
//! it, in `DIR/.georel-index.stamp`, what `stat` showed of the four files when they were
//! hashed ([`super::trust`]: device, inode, size, modification and change time to the
//! nanosecond, the index's checksum, and the kernel's clock before they were looked at).
//! [`Index::open`] trusts the index without hashing anything while the four files still show
//! exactly those identities and none was racy (changed in the clock's tick in which it was
//! recorded, or later): the kernel sets a file's change time on every write, truncation,
//! rename or `touch`, and nothing sets it back, so an edit restored with `touch -r`, a
//! backup put back, an edit in the same second, or another index copied or moved in all
//! show. Otherwise it verifies in full, as above, and the stamp is written again (atomically,
//! best effort: in a folder georel cannot write, every command verifies in full). A trusted
//! open still reads the trailer (magic, format, byte order, version, section bounds) and
//! compares the data files' sizes with those recorded, so an older-format or cut-short index
//! is refused either way. `georel index --verify` verifies in full whatever the stamp says.
//!
//! What passes is still bounds-checked as it is decoded: a bad index is an error, never a
//! panic. The time index's tree, which a day's walk reads without bounds checks, is checked
//! whole when it is first walked, unless the stamp says it was checked in this very content.
//! A bit flipped in the index without its identity changing (only a write to the raw device
//! below the file system, or a failing disk, can do that: the same holds of the pages of an
//! index read again from disk after it was hashed, before stamps) is not caught by the
//! checksum then: decoding refuses what is out of bounds (an actor, a source, a section, a
//! date, a grade, a kind), and the rest (a date moved by a day, an actor index changed to
//! another actor's) would be answered as it reads.

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::OnceLock;

use bytemuck::{Pod, Zeroable};
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use super::digest::{combine, FileKey, Piece, BLOCK};
use super::trust::{self, FileId, Fingerprint};
use super::{ACTORS_FILE, RELATIONS_FILE, SOURCES_FILE};
use crate::date::{Day, PartialDate, Precision, Span, Status, OPEN_END};
use crate::model::{
    self, Actor, ActorIx, ActorKind, Credibility, Dataset, Grade, GradeFilter, GradedOut, Held, IdText,
    KindSet, Relation, RelationId, RelationIx, RelationKind, Reliability, Source, SourceIx,
};
use crate::timeline::{self, Bound, Hits, Node, Tree};

/// The index file's name inside a dataset folder.
pub const INDEX_FILE: &str = ".georel-index";

const MAGIC: [u8; 8] = *b"GEORELIX";
/// Raised whenever the layout or the meaning of any field changes, or the way the loader reads
/// the CSV files does, so that older files are rebuilt rather than misread. (An index also
/// records the georel version that wrote it, and another version rebuilds it.)
const FORMAT: u32 = 7;
/// The version of georel, as recorded in an index.
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Written in the machine's byte order: reads back differently on a machine of the other.
const BYTE_ORDER: u32 = 0x0102_0304;
const NONE: u32 = u32::MAX;
/// From this many relations of a day up, they are decoded on two threads.
const PARALLEL_DECODE: usize = 100_000;

/// The data files an index is built from, in the order of [`Key`].
pub const DATA_FILES: [&str; 3] = [RELATIONS_FILE, ACTORS_FILE, SOURCES_FILE];

/// Where the data file `name` of `dir` is: the relations are relations.csv, or
/// relations.parquet when only that is there. Hashing and the stamp's identities both look
/// here, so that a stamp speaks for the file that was hashed.
fn data_path(dir: &Path, name: &str) -> std::path::PathBuf {
    if name == RELATIONS_FILE {
        super::relations_path(dir)
    } else {
        dir.join(name)
    }
}

/// The sections of the body, in file order.
#[derive(Debug, Clone, Copy)]
enum Section {
    Actors,
    Sources,
    Records,
    IdOffsets,
    IdText,
    SummaryOffsets,
    SummaryText,
    EvidenceOffsets,
    Evidence,
    Nodes,
    ByStart,
    ByEnd,
    IncidentOffsets,
    Incident,
    /// Each notes entry's claimant (an actor index), or `NONE`.
    Claimants,
    /// The prefixes of the ids stored as a prefix and a number ([`NUMBERED`]).
    IdPrefixOffsets,
    IdPrefixText,
}
const SECTIONS: usize = 17;

/// What the data files were when an index was built: compare with [`Key::of`] to know
/// whether an index still describes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(pub(crate) [FileKey; 3]);

impl Key {
    /// Reads and hashes the data files in `dir`. O(size of the files).
    ///
    /// # Errors
    /// When a present file cannot be read (named in the error).
    pub fn of(dir: &Path) -> Result<Key, DataFileError> {
        Key::identified(dir).map(|(key, _)| key)
    }

    /// As [`Key::of`], with each file's identity as `stat` showed it once opened, before it
    /// was read: the identity of the very content hashed (see `load::trust`).
    fn identified(dir: &Path) -> Result<(Key, [FileId; 3]), DataFileError> {
        let mut key = [FileKey::zeroed(); 3];
        let mut ids = [FileId::MISSING; 3];
        for ((slot, id), name) in key.iter_mut().zip(&mut ids).zip(DATA_FILES) {
            let failed = |error| DataFileError { file: name, error };
            *slot = match File::open(data_path(dir, name)) {
                Ok(file) => {
                    *id = FileId::of(&file.metadata().map_err(failed)?);
                    hash_file(file).map_err(failed)?
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => FileKey::zeroed(),
                Err(e) => return Err(failed(e)),
            };
        }
        #[cfg(test)]
        tests::HASHED.lock().unwrap().push(dir.to_path_buf());
        Ok((Key(key), ids))
    }
}

/// A data file that could not be read to compute a [`Key`].
#[derive(Debug, thiserror::Error)]
#[error("{file} cannot be read: {error}")]
pub struct DataFileError {
    pub file: &'static str,
    pub error: io::Error,
}

fn hash_file(mut file: File) -> io::Result<FileKey> {
    let mut piece = Piece::at(0);
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => piece.feed(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(piece.key().expect("a piece from the start"))
}

pub(super) fn version_field() -> [u8; 16] {
    let mut field = [0u8; 16];
    let bytes = VERSION.as_bytes();
    let n = bytes.len().min(16);
    field[..n].copy_from_slice(&bytes[..n]);
    field
}

fn split(hash: u128) -> [u64; 2] {
    [hash as u64, (hash >> 64) as u64]
}

/// The end of the file: where the sections are, and what the index was built from.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
struct Trailer {
    /// The version of georel that wrote it, zero-padded (cut to 16 bytes).
    georel: [u8; 16],
    /// Each section's (offset, length) in bytes.
    sections: [[u64; 2]; SECTIONS],
    files: [FileKey; 3],
    relations: u64,
    actors: u64,
    sources: u64,
    root: u64,
    /// xxh3-128 of the body and of this trailer with `hash` zeroed.
    hash: [u64; 2],
    format: u32,
    byte_order: u32,
    magic: [u8; 8],
}
const TRAILER: usize = std::mem::size_of::<Trailer>();

/// A relation as the index stores it.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
struct Record {
    source: u32,
    target: u32,
    /// Packed [`PartialDate`]s (see [`pack`]); `end` is `NONE` when open.
    start: u32,
    end: u32,
    /// The line number, or (when `NAMED`) the entry in the id table, or (when also
    /// `NUMBERED`) the id's number.
    id: u32,
    /// The entry in the notes tables, or `NONE`.
    notes: u32,
    /// The kind in bits 0–1, then `DIRECTED` and `NAMED`; the credibility in bits 4–6 (0
    /// when not given, else its digit); the grade's reliability in bits 8–10 (`A` is 0), so
    /// that a search can leave a relation out by grade before decoding it (checked against
    /// its evidence when it is decoded); `NUMBERED`, and the id's prefix (its entry in the
    /// prefix table) in bits 16–23.
    bits: u32,
}
const DIRECTED: u32 = 1 << 2;
const NAMED: u32 = 1 << 3;
const CREDIBILITY_SHIFT: u32 = 4;
const RELIABILITY_SHIFT: u32 = 8;
/// A named id stored as a prefix and a number ([`IdText::split_number`]): read from the record
/// itself, where an id in the text table cost two reads at random in a day's decoding (its
/// offsets, then its text), most of the cost of an `id` column.
const NUMBERED: u32 = 1 << 11;
const PREFIX_SHIFT: u32 = 16;
/// At most this many prefixes, of at most `LONGEST_PREFIX` bytes each: the table is checked
/// whole each time the sections are read, so it stays small. (An import's ids share one or a
/// few prefixes; the ids of any others go to the text table.)
const PREFIXES: usize = 256;
const LONGEST_PREFIX: usize = 32;

/// A record's grade, from its bits.
fn record_grade(record: &Record) -> Result<Grade, Unusable> {
    let credibility = match (record.bits >> CREDIBILITY_SHIFT) & 7 {
        0 => Credibility::Unjudged,
        c => *Credibility::ALL.get(c as usize - 1).ok_or(Unusable::Corrupt("a credibility"))?,
    };
    let reliability = *Reliability::ALL
        .get(((record.bits >> RELIABILITY_SHIFT) & 7) as usize)
        .ok_or(Unusable::Corrupt("a grade"))?;
    Ok(Grade { reliability, credibility })
}

/// Why an index file cannot be used. Each is reported and the index rebuilt from the CSV.
#[derive(Debug)]
pub enum Unusable {
    Missing,
    Unreadable(io::Error),
    /// Shorter than a trailer, or not ending in one.
    NotAnIndex,
    /// It came up shorter than it was when opened: another program changed it meanwhile.
    Changed,
    /// Something other than a regular file is in its place (a folder, a device, a FIFO).
    NotAFile,
    /// A symbolic link is in its place: never followed (its target may be any file of the
    /// user's, which a rebuild would then replace) nor replaced (someone put it there).
    Link,
    Format(u32),
    /// Written by another version of georel.
    Version(String),
    ByteOrder,
    /// The content does not hash to what the trailer records.
    Damaged,
    /// It hashes right but does not decode: written by a faulty georel.
    Corrupt(&'static str),
    /// A data file changed (or appeared, or went) since the index was built.
    Stale(&'static str),
    /// A data file cannot be read, so whether the index still describes it is unknown.
    DataUnreadable(DataFileError),
}

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unusable::Missing => write!(f, "there is no index"),
            Unusable::Unreadable(e) => write!(f, "the index cannot be read: {e}"),
            Unusable::NotAnIndex => write!(f, "the index is truncated or is not a georel index"),
            Unusable::Changed => {
                write!(f, "the index changed while georel read it (it became shorter: another program wrote into it)")
            }
            Unusable::NotAFile => write!(f, "{INDEX_FILE} is not a regular file"),
            Unusable::Link => {
                write!(f, "{INDEX_FILE} is a symbolic link, which georel never follows or replaces")
            }
            Unusable::Format(found) => {
                write!(f, "the index has format {found}; this georel reads format {FORMAT}")
            }
            Unusable::Version(other) => {
                write!(f, "the index was written by georel {other}; this is georel {VERSION}")
            }
            Unusable::ByteOrder => write!(f, "the index was written on a machine of the other byte order"),
            Unusable::Damaged => write!(f, "the index is damaged (its content does not match its checksum)"),
            Unusable::Corrupt(what) => write!(f, "the index is corrupt ({what})"),
            Unusable::Stale(file) => write!(f, "{file} has changed since the index was built"),
            Unusable::DataUnreadable(e) => write!(f, "{e}"),
        }
    }
}

impl From<io::Error> for Unusable {
    fn from(e: io::Error) -> Self {
        Unusable::Unreadable(e)
    }
}

/// Writes the index of `dataset`, built from data files whose key is `key`. The dataset
/// must be whole (not a [`Dataset::cut`]); `out` should be a temporary file renamed into
/// place once written (see `export::atomic`).
///
/// # Errors
/// Write errors.
///
/// # Panics
/// When `dataset` is a cut.
pub fn write(dataset: &Dataset, key: &Key, out: &mut dyn Write) -> io::Result<()> {
    let tree = dataset.timeline().tree().expect("the index of a whole dataset is a tree");
    let mut w = Writer { out, hasher: Piece::at(0), at: 0 };
    let mut sections = [[0u64; 2]; SECTIONS];
    sections[Section::Actors as usize] = w.whole(&encode_actors(&dataset.actors))?;
    sections[Section::Sources as usize] = w.whole(&encode_sources(&dataset.sources))?;

    // Records are written in chunks, so that 10 million of them are never all copied at once;
    // the text tables are collected as they go (event data has neither ids nor notes).
    let mut ids = Ids::default();
    let mut summaries = Text::default();
    let mut evidence_offsets: Vec<u64> = vec![0];
    let mut evidence: Vec<u32> = Vec::new();
    let mut claimants: Vec<u32> = Vec::new();
    let mut chunk: Vec<Record> = Vec::with_capacity(1 << 14);
    sections[Section::Records as usize] = w.section(|w| {
        for relation in &dataset.relations {
            let notes = Notes {
                summaries: &mut summaries,
                evidence_offsets: &mut evidence_offsets,
                evidence: &mut evidence,
                claimants: &mut claimants,
            };
            chunk.push(record(dataset, relation, &mut ids, notes));
            if chunk.len() == chunk.capacity() {
                w.put(bytemuck::cast_slice(&chunk))?;
                chunk.clear();
            }
        }
        w.put(bytemuck::cast_slice(&chunk))
    })?;
    let incidence = model::Incidence::of(dataset);
    let tables: [(Section, &[u8]); 14] = [
        (Section::IdOffsets, bytemuck::cast_slice(&ids.text.offsets)),
        (Section::IdText, &ids.text.text),
        (Section::SummaryOffsets, bytemuck::cast_slice(&summaries.offsets)),
        (Section::SummaryText, &summaries.text),
        (Section::EvidenceOffsets, bytemuck::cast_slice(&evidence_offsets)),
        (Section::Evidence, bytemuck::cast_slice(&evidence)),
        (Section::Nodes, bytemuck::cast_slice(tree.nodes)),
        (Section::ByStart, bytemuck::cast_slice(tree.by_start)),
        (Section::ByEnd, bytemuck::cast_slice(tree.by_end)),
        (Section::IncidentOffsets, bytemuck::cast_slice(&incidence.offsets)),
        (Section::Incident, bytemuck::cast_slice(&incidence.list)),
        (Section::Claimants, bytemuck::cast_slice(&claimants)),
        (Section::IdPrefixOffsets, bytemuck::cast_slice(&ids.prefixes.offsets)),
        (Section::IdPrefixText, &ids.prefixes.text),
    ];
    for (section, bytes) in tables {
        sections[section as usize] = w.whole(bytes)?;
    }
    w.pad()?;

    let mut trailer = Trailer {
        georel: version_field(),
        sections,
        files: key.0,
        relations: dataset.relations.len() as u64,
        actors: dataset.actors.len() as u64,
        sources: dataset.sources.len() as u64,
        root: u64::from(tree.root),
        hash: [0; 2],
        format: FORMAT,
        byte_order: BYTE_ORDER,
        magic: MAGIC,
    };
    let body = w.hasher.key().expect("a piece from the start").hash;
    trailer.hash = checksum(body, &trailer);
    w.out.write_all(bytemuck::bytes_of(&trailer))?;
    w.out.flush()
}

/// Writes the body, hashing it and counting bytes as it goes.
struct Writer<'w> {
    out: &'w mut dyn Write,
    /// The body's hash, block by block (see [`checksum`]).
    hasher: Piece,
    at: u64,
}

impl Writer<'_> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.hasher.feed(bytes);
        self.at += bytes.len() as u64;
        Ok(())
    }

    fn pad(&mut self) -> io::Result<()> {
        let gap = (8 - self.at % 8) % 8;
        self.put(&[0u8; 8][..gap as usize])
    }

    /// Writes `bytes` as one section.
    fn whole(&mut self, bytes: &[u8]) -> io::Result<[u64; 2]> {
        self.section(|w| w.put(bytes))
    }

    /// Writes one section, aligned, and returns its (offset, length).
    fn section(&mut self, body: impl FnOnce(&mut Self) -> io::Result<()>) -> io::Result<[u64; 2]> {
        self.pad()?;
        let start = self.at;
        body(self)?;
        Ok([start, self.at - start])
    }
}

/// A table of strings: entry `i` is `text[offsets[i]..offsets[i + 1]]`.
struct Text {
    offsets: Vec<u64>,
    text: Vec<u8>,
}

impl Default for Text {
    fn default() -> Self {
        Text { offsets: vec![0], text: Vec::new() }
    }
}

impl Text {
    fn push(&mut self, s: &str) -> u32 {
        self.text.extend_from_slice(s.as_bytes());
        self.offsets.push(self.text.len() as u64);
        (self.offsets.len() - 2) as u32
    }
}

/// The id tables as they are written: the text of the ids not stored as a prefix and a
/// number, and the prefixes of those that are.
#[derive(Default)]
struct Ids {
    text: Text,
    prefixes: Text,
    prefix_of: std::collections::HashMap<String, u32>,
}

impl Ids {
    /// Stores `id`: returns the record's `id` field and the id's bits.
    fn push(&mut self, id: &str) -> (u32, u32) {
        if let Some((prefix, number)) = IdText::split_number(id).filter(|(p, _)| p.len() <= LONGEST_PREFIX) {
            let entry = match self.prefix_of.get(prefix) {
                Some(&entry) => Some(entry),
                None if self.prefix_of.len() < PREFIXES => {
                    let entry = self.prefixes.push(prefix);
                    self.prefix_of.insert(prefix.to_owned(), entry);
                    Some(entry)
                }
                None => None,
            };
            if let Some(entry) = entry {
                return (number, NAMED | NUMBERED | entry << PREFIX_SHIFT);
            }
        }
        (self.text.push(id), NAMED)
    }
}

/// The notes tables as they are written: entry `i` of each is notes entry `i`.
struct Notes<'a> {
    summaries: &'a mut Text,
    evidence_offsets: &'a mut Vec<u64>,
    evidence: &'a mut Vec<u32>,
    claimants: &'a mut Vec<u32>,
}

fn record(dataset: &Dataset, r: &Relation, ids: &mut Ids, n: Notes<'_>) -> Record {
    let (id, named) = match &r.id {
        RelationId::Line(line) => (*line, 0),
        RelationId::Named(name) => ids.push(name),
    };
    let notes = if r.evidence().is_empty() && r.summary().is_empty() && r.claimant().is_none() {
        NONE
    } else {
        n.evidence.extend(r.evidence().iter().map(|s| s.0));
        n.evidence_offsets.push(n.evidence.len() as u64);
        n.claimants.push(r.claimant().map_or(NONE, |c| c.0));
        n.summaries.push(r.summary())
    };
    let credibility = r.credibility.map_or(0, |c| c as u32 + 1);
    let reliability = dataset.grade_of(r).reliability as u32;
    Record {
        source: r.source.0,
        target: r.target.0,
        start: pack(r.start),
        end: r.end.map_or(NONE, pack),
        id,
        notes,
        bits: r.kind as u32
            | if r.directed { DIRECTED } else { 0 }
            | named
            | credibility << CREDIBILITY_SHIFT
            | reliability << RELIABILITY_SHIFT,
    }
}

/// A partial date as one integer: the first day's order-preserving key, then the precision
/// in the two low bits.
fn pack(date: PartialDate) -> u32 {
    let precision = match date.precision() {
        Precision::Year => 0,
        Precision::Month => 1,
        Precision::Day => 2,
    };
    // Keys of dates (years 1 to 9998) are positive and below 2^23.
    ((timeline::key(date.first()) as u32) << 2) | precision
}

fn unpack(packed: u32) -> Result<PartialDate, Unusable> {
    let key = packed >> 2;
    let precision = match packed & 3 {
        0 => Precision::Year,
        1 => Precision::Month,
        2 => Precision::Day,
        _ => return Err(Unusable::Corrupt("a date's precision")),
    };
    let (year, month, day) = ((key >> 9) as i16, ((key >> 5) & 15) as i8, (key & 31) as i8);
    // The year's bits are cut to fit; a date that does not pack back to `packed` had more.
    Day::new(year, month, day)
        .ok()
        .and_then(|first| PartialDate::from_parts(first, precision))
        .filter(|&date| pack(date) == packed)
        .ok_or(Unusable::Corrupt("a date"))
}

/// What [`Span::status_on`] gives, on the day whose key is `day`, for a relation stored with
/// the packed dates `start` and `end` ([`pack`]; `end` is `NONE` when open), computed on the
/// keys without decoding the dates: a search reads thousands of records to decode a few. A
/// partial date's last day is taken as day 31 of its last month, which has the same order
/// against every real day. (The dates themselves are checked when a relation is decoded.)
/// The key of the first day of a packed date, and of its last (as day 31 of the last month).
fn packed_bounds(packed: u32) -> Result<(i64, i64), Unusable> {
    let first = i64::from(packed >> 2);
    let last = match packed & 3 {
        0 => (first & !0x1ff) | (12 << 5) | 31,
        1 => (first & !0x1f) | 31,
        2 => first,
        _ => return Err(Unusable::Corrupt("a date's precision")),
    };
    Ok((first, last))
}

/// Whether a packed date is partial (a month or a year, not a day).
fn packed_partial(packed: u32) -> bool {
    packed & 3 != 2
}

fn status_packed(start: u32, end: u32, day: i64) -> Result<Option<Status>, Unusable> {
    let bounds = packed_bounds;
    let (from, start_last) = bounds(start)?;
    // Possible from the first day; active from the day after a partial start's last day.
    if day < from {
        return Ok(None);
    }
    let started = if packed_partial(start) { day > start_last } else { day >= from };
    let ended = if end == NONE {
        // Open-ended: possible and active until the end of time, which is excluded.
        if day >= i64::from(timeline::key(OPEN_END)) {
            return Ok(None);
        }
        false
    } else {
        // Active until the end's first day; possible through a partial end's last day.
        let (until, end_last) = bounds(end)?;
        let over = if packed_partial(end) { day > end_last } else { day >= until };
        if over {
            return Ok(None);
        }
        day >= until
    };
    Ok(Some(if started && !ended { Status::Active } else { Status::Possible }))
}

/// What [`Span::status_in`] gives over the days whose keys are `first` to `last` (both
/// included), for a relation stored with the packed dates `start` and `end`: its status on
/// the window's first day it may hold, or, when that is only possible, on the window's first
/// day it may be active (each interval being contiguous, no later day does better).
fn status_in_packed(start: u32, end: u32, first: i64, last: i64) -> Result<Option<Status>, Unusable> {
    let (from, start_last) = packed_bounds(start)?;
    let earliest = first.max(from);
    if earliest > last {
        return Ok(None);
    }
    match status_packed(start, end, earliest)? {
        None => Ok(None),
        Some(Status::Active) => Ok(Some(Status::Active)),
        Some(Status::Possible) => {
            // A partial start makes it active from the first day after its last month.
            let active_from = if packed_partial(start) { first_of_next_month(start_last) } else { from };
            let day = first.max(active_from);
            let active = day <= last && status_packed(start, end, day)? == Some(Status::Active);
            Ok(Some(if active { Status::Active } else { Status::Possible }))
        }
    }
}

/// The key of the first day of the month after the one of `key` ([`timeline::key`]).
fn first_of_next_month(key: i64) -> i64 {
    let (year, month) = (key >> 9, (key >> 5) & 0xf);
    if month >= 12 {
        ((year + 1) << 9) | (1 << 5) | 1
    } else {
        (year << 9) | ((month + 1) << 5) | 1
    }
}

/// The small length-prefixed encoding of the actors and sources sections.
#[derive(Default)]
struct Encoder(Vec<u8>);

impl Encoder {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
}

fn encode_actors(actors: &[Actor]) -> Vec<u8> {
    let mut e = Encoder::default();
    for a in actors {
        e.str(&a.id);
        e.str(&a.name);
        e.u32(a.kind as u32);
        e.u32(a.parent.map_or(NONE, |p| p.0));
        e.u32(a.aliases.len() as u32);
        for alias in &a.aliases {
            e.str(alias);
        }
    }
    e.0
}

fn encode_sources(sources: &[Source]) -> Vec<u8> {
    let mut e = Encoder::default();
    for s in sources {
        e.str(&s.id);
        e.str(&s.title);
        e.str(&s.publisher);
        e.u32(s.published.map_or(NONE, pack));
        e.str(&s.url);
        e.u32(s.reliability.map_or(NONE, |r| r as u32));
    }
    e.0
}

struct Decoder<'a>(&'a [u8]);

impl<'a> Decoder<'a> {
    fn bytes(&mut self, n: usize) -> Result<&'a [u8], Unusable> {
        if self.0.len() < n {
            return Err(Unusable::Corrupt("a record runs past its section"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, Unusable> {
        let bytes = self.bytes(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn str(&mut self) -> Result<Box<str>, Unusable> {
        let n = self.u32()? as usize;
        let bytes = self.bytes(n)?;
        std::str::from_utf8(bytes).map(Box::from).map_err(|_| Unusable::Corrupt("text that is not UTF-8"))
    }

    fn date(&mut self) -> Result<Option<PartialDate>, Unusable> {
        match self.u32()? {
            NONE => Ok(None),
            packed => unpack(packed).map(Some),
        }
    }
}

fn decode_actors(bytes: &[u8], count: usize) -> Result<Vec<Actor>, Unusable> {
    let mut d = Decoder(bytes);
    let mut actors = Vec::with_capacity(count.min(bytes.len()));
    for _ in 0..count {
        let id = d.str()?;
        let name = d.str()?;
        let kind = *ActorKind::ALL.get(d.u32()? as usize).ok_or(Unusable::Corrupt("an actor's kind"))?;
        let parent = match d.u32()? {
            NONE => None,
            p if (p as usize) < count => Some(ActorIx(p)),
            _ => return Err(Unusable::Corrupt("an actor's parent")),
        };
        let aliases = (0..d.u32()?).map(|_| d.str()).collect::<Result<Vec<_>, _>>()?;
        actors.push(Actor { id, name, kind, parent, aliases: aliases.into() });
    }
    // Parent chains must end: the loader rejects cycles, and `Dataset` relies on it.
    if !crate::model::ParentChains::of(&actors).cycles.is_empty() {
        return Err(Unusable::Corrupt("a cycle of parents"));
    }
    if !d.0.is_empty() {
        return Err(Unusable::Corrupt("bytes after the last actor"));
    }
    Ok(actors)
}

fn decode_sources(bytes: &[u8], count: usize) -> Result<Vec<Source>, Unusable> {
    let mut d = Decoder(bytes);
    let mut sources = Vec::with_capacity(count.min(bytes.len()));
    for _ in 0..count {
        let id = d.str()?;
        let title = d.str()?;
        let publisher = d.str()?;
        let published = d.date()?;
        let url = d.str()?;
        let reliability = match d.u32()? {
            NONE => None,
            r => Some(*Reliability::ALL.get(r as usize).ok_or(Unusable::Corrupt("a reliability"))?),
        };
        sources.push(Source { id, title, publisher, published, url, reliability });
    }
    if !d.0.is_empty() {
        return Err(Unusable::Corrupt("bytes after the last source"));
    }
    Ok(sources)
}

/// Opens the index file for reading without following a symbolic link in its place (one put
/// there after it was looked at is refused as [`Unusable::Link`]), nor waiting on a FIFO.
fn open_no_follow(path: &Path) -> Result<File, Unusable> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    match options.open(path) {
        Ok(file) => Ok(file),
        #[cfg(target_os = "linux")]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Err(Unusable::Link),
        Err(e) => Err(e.into()),
    }
}

/// The identity of an index's content: see [`Index::stamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp([u64; 2]);

/// An index file, mapped (or, off Linux, read into memory) and checked.
pub struct Index {
    map: FileBytes,
    trailer: Trailer,
    /// Whether the stored time index passed [`Tree::check`], once checked: on opening, or
    /// when first used (see [`Index::open_lazily`]).
    tree_ok: OnceLock<bool>,
    /// What to record beside the index for the next open, when this one verified it.
    fingerprint: Option<Box<Fingerprint>>,
}

/// The bytes of an index file as georel holds them: mapped and guarded against truncation
/// on Linux (see `load::mapped`), read into memory elsewhere.
#[cfg(target_os = "linux")]
type FileBytes = super::mapped::Mapped;
#[cfg(not(target_os = "linux"))]
type FileBytes = Bytes;

/// The bytes of an index file, in memory aligned for its widest tables (`u64`).
#[cfg(not(target_os = "linux"))]
struct Bytes {
    words: Vec<u64>,
    len: usize,
}

#[cfg(not(target_os = "linux"))]
impl Bytes {
    /// Nothing to give back: the bytes were read into memory.
    fn release<T>(&self, _part: &[T]) {}
}

#[cfg(not(target_os = "linux"))]
impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &bytemuck::cast_slice(&self.words)[..self.len]
    }
}

#[cfg(not(target_os = "linux"))]
impl Bytes {
    /// `len` zero bytes.
    fn zeroed(len: usize) -> Bytes {
        let words = vec![0u64; len.div_ceil(8)];
        Bytes { words, len }
    }

    /// Never: bytes read into memory cannot change (a short read is an error).
    fn faulted(&self) -> bool {
        false
    }
}

/// Holds all of `file` (`len` bytes: [`FileBytes`]) and hashes its body (its first `body_len`
/// bytes) [`READ_PIECE`] bytes at a time, on two threads; the second first calls `meanwhile`,
/// then helps. Returns the bytes and the hash of the body, with what `meanwhile` gave.
///
/// # Errors
/// [`Unusable::Changed`] when the file became shorter than `len` bytes as it was read; read
/// errors.
fn read_hashing<T: Send>(
    file: &File,
    len: usize,
    body_len: usize,
    meanwhile: impl FnOnce() -> T + Send,
) -> (Result<(FileBytes, [u64; 2]), Unusable>, T) {
    let held = match hold(file, len) {
        Ok(held) => held,
        Err(why) => return (Err(why), meanwhile()),
    };
    let pieces = std::sync::Mutex::new(held.chunks(READ_PIECE).enumerate());
    let hash = |hashes: &mut Vec<(usize, u128)>| loop {
        let Some((i, piece)) = pieces.lock().expect("hashing does not panic").next() else {
            return;
        };
        let at = i * READ_PIECE;
        if at < body_len || at == 0 {
            hashes.push((i, xxh3_128(&piece[..piece.len().min(body_len - at.min(body_len))])));
        }
        // Hashed, the piece's pages are given back: a question reads again only the part it
        // needs (from the page cache, a block of pages at a time), and the whole file no
        // longer counts in the process's memory (half a gigabyte at 10M relations).
        held.release(piece);
        #[cfg(test)]
        tests::seam::after_read(at + piece.len());
    };
    // A test that changes the file between pieces has them all hashed on its own thread.
    #[cfg(test)]
    let help = !tests::seam::is_set();
    #[cfg(not(test))]
    let help = true;
    let (mut mine, (theirs, given)) = std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            let given = meanwhile();
            let mut hashes = Vec::new();
            if help {
                hash(&mut hashes);
            }
            (hashes, given)
        });
        let mut hashes = Vec::new();
        hash(&mut hashes);
        (hashes, other.join().expect("hashing does not panic"))
    });
    if held.faulted() {
        return (Err(Unusable::Changed), given);
    }
    mine.extend(theirs);
    mine.sort_unstable_by_key(|&(i, _)| i);
    let body = combine(mine.into_iter().map(|(_, hash)| hash));
    (Ok((held, body)), given)
}

/// The file's `len` bytes, mapped.
#[cfg(target_os = "linux")]
fn hold(file: &File, len: usize) -> Result<FileBytes, Unusable> {
    Ok(super::mapped::Mapped::of(file, len)?)
}

/// The file's `len` bytes, read with `pread`.
#[cfg(not(target_os = "linux"))]
fn hold(file: &File, len: usize) -> Result<FileBytes, Unusable> {
    let mut bytes = Bytes::zeroed(len);
    let buffer: &mut [u8] = &mut bytemuck::cast_slice_mut(&mut bytes.words)[..len];
    let mut done = 0;
    while done < len {
        match read_at(file, &mut buffer[done..], done as u64) {
            Ok(0) => return Err(Unusable::Changed),
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(bytes)
}

/// [`Unusable::Changed`] when some of `bytes` no longer are the file's (see [`Index::intact`]).
fn intact(bytes: &FileBytes) -> Result<(), Unusable> {
    if bytes.faulted() {
        Err(Unusable::Changed)
    } else {
        Ok(())
    }
}

/// What `read` gives, unless some of `bytes` stopped being the file's meanwhile: then
/// [`Unusable::Changed`], whatever `read` made of the zeros it saw instead.
fn checked<T>(bytes: &FileBytes, read: impl FnOnce() -> Result<T, Unusable>) -> Result<T, Unusable> {
    let result = read();
    intact(bytes)?;
    result
}

/// How much of an index is hashed at a time: a block of its body's hash.
const READ_PIECE: usize = BLOCK as usize;

#[cfg(all(unix, not(target_os = "linux")))]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

/// The sections of an open index, as typed slices of its bytes.
struct Parts<'a> {
    records: &'a [Record],
    id_offsets: &'a [u64],
    id_text: &'a [u8],
    /// Checked as UTF-8 whole (it is small: [`PREFIXES`]) when the sections are read.
    id_prefixes: &'a str,
    id_prefix_offsets: &'a [u64],
    summary_offsets: &'a [u64],
    summary_text: &'a [u8],
    evidence_offsets: &'a [u64],
    evidence: &'a [u32],
    claimants: &'a [u32],
    tree: Tree<'a>,
    incident_offsets: &'a [u64],
    incident: &'a [u32],
    actors: usize,
    sources: usize,
}

impl Index {
    /// Opens the index in `dir`, checking that it is whole and undamaged and that it was
    /// built from the data files as they are now: by the fingerprint recorded beside it when
    /// it vouches for the files as `stat` shows them (see `load::trust`), else by hashing the
    /// index and the data files (on two threads), after which [`Index::fingerprint`] is what
    /// to record. The stored time index is checked too, unless the fingerprint says it was.
    ///
    /// # Errors
    /// Why the index cannot be used; [`Unusable::Missing`] when there is none.
    pub fn open(dir: &Path) -> Result<Index, Unusable> {
        Index::open_checking(dir, true, false)
    }

    /// As [`Index::open`], but the stored time index is checked (O(n)) only when
    /// [`Index::dataset_on`] first walks it: for the whole dataset, and for a search around
    /// actors ([`Index::around`]), which do not use it. (Opening checks it on the second
    /// thread, beside the hashing of the data files, where it costs less.)
    ///
    /// # Errors
    /// As [`Index::open`].
    pub fn open_lazily(dir: &Path) -> Result<Index, Unusable> {
        Index::open_checking(dir, false, false)
    }

    /// As [`Index::open`], but hashing the index and the data files whatever a recorded
    /// fingerprint says (`georel index --verify`).
    ///
    /// # Errors
    /// As [`Index::open`].
    pub fn verify(dir: &Path) -> Result<Index, Unusable> {
        Index::open_checking(dir, true, true)
    }

    fn open_checking(dir: &Path, check_tree: bool, deep: bool) -> Result<Index, Unusable> {
        let path = dir.join(INDEX_FILE);
        // Looked at before it is opened: opening a FIFO would wait for a writer for ever.
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => return Err(Unusable::Link),
            Ok(m) if m.is_file() => {}
            Ok(_) => return Err(Unusable::NotAFile),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Unusable::Missing),
            Err(e) => return Err(e.into()),
        }
        let recorded = if deep { None } else { Fingerprint::recorded(dir) };
        let file = open_no_follow(&path)?;
        let metadata = file.metadata()?;
        if !metadata.is_file() {
            return Err(Unusable::NotAFile);
        }
        #[cfg(test)]
        tests::seam::opened(&path);
        let len = usize::try_from(metadata.len()).map_err(|_| Unusable::NotAnIndex)?;
        let body_len = len.checked_sub(TRAILER).ok_or(Unusable::NotAnIndex)?;
        if let Some(recorded) = recorded {
            if let Some(index) = Index::vouched(dir, &file, &metadata, &recorded, check_tree)? {
                return Ok(index);
            }
        }
        // Hashed in full. The kernel's clock is read before any file is looked at again,
        // and each file's identity taken as it is opened for hashing: a change made to it
        // later gives it another identity, or one that is racy (see `load::trust`).
        let data = DATA_FILES.map(|name| data_path(dir, name));
        trust::settle(&[&path, &data[0], &data[1], &data[2]]);
        let clock = trust::clock();
        let index_id = FileId::of(&file.metadata()?);
        if index_id.size != metadata.len() {
            return Err(Unusable::Changed);
        }
        // The data files are hashed on one thread while the index is read and hashed on the
        // other, which the first then helps.
        let (read, key) = read_hashing(&file, len, body_len, || Key::identified(dir));
        let (map, trailer) = read.and_then(|(map, body)| {
            let trailer = check(&map, body)?;
            View { map: &map, trailer: &trailer }.parts(check_tree)?;
            Ok((map, trailer))
        })?;
        let (key, ids) = key.map_err(Unusable::DataUnreadable)?;
        for ((now, then), name) in key.0.iter().zip(&trailer.files).zip(DATA_FILES) {
            if now != then {
                return Err(Unusable::Stale(name));
            }
        }
        let tree_ok = OnceLock::new();
        if check_tree {
            tree_ok.set(true).expect("a new cell is empty");
        }
        let fingerprint = Fingerprint::new(clock, ids, index_id, trailer.hash, check_tree).map(Box::new);
        Ok(Index { map, trailer, tree_ok, fingerprint })
    }

    /// The index in `file` (whose metadata is `metadata`), opened without hashing, when the
    /// fingerprint `recorded` vouches for it and for the data files as they are now; `None`
    /// when it does not (the index is then hashed). The trailer is still checked, the data
    /// files' sizes compared with those the index was built from, and the time index
    /// checked when `check_tree` unless the fingerprint says it was in this content.
    ///
    /// # Errors
    /// What the trailer or the sections say is wrong, as when hashed.
    fn vouched(
        dir: &Path,
        file: &File,
        metadata: &std::fs::Metadata,
        recorded: &Fingerprint,
        check_tree: bool,
    ) -> Result<Option<Index>, Unusable> {
        let mut files = [FileId::MISSING; 3];
        for (id, name) in files.iter_mut().zip(DATA_FILES) {
            match FileId::at(&data_path(dir, name)) {
                Ok(now) => *id = now,
                Err(_) => return Ok(None),
            }
        }
        if !recorded.vouches(&files, &FileId::of(metadata), trust::stat_is_trusted_in(dir)) {
            return Ok(None);
        }
        let len = usize::try_from(metadata.len()).map_err(|_| Unusable::NotAnIndex)?;
        let map = hold(file, len)?;
        let trailer = checked(&map, || check_trailer(&map, None))?;
        let sizes_agree = (trailer.files.iter().zip(&files))
            .all(|(key, id)| key.present == id.present && key.size == id.size);
        if !sizes_agree || trailer.hash != recorded.checksum() {
            return Ok(None);
        }
        let check_now = check_tree && !recorded.tree_ok();
        checked(&map, || View { map: &map, trailer: &trailer }.parts(check_now).map(|_| ()))?;
        let tree_ok = OnceLock::new();
        if check_tree || recorded.tree_ok() {
            tree_ok.set(true).expect("a new cell is empty");
        }
        // The tree checked now is recorded as checked, for the next open.
        let fingerprint = check_now.then(|| Box::new(recorded.with_tree_ok()));
        Ok(Some(Index { map, trailer, tree_ok, fingerprint }))
    }

    /// What to record beside the index (`load::trust`'s stamp file) after this open, when it
    /// verified the index (hashed it, or checked its time index) and the fingerprint can
    /// vouch for it next time; `None` otherwise.
    pub fn fingerprint(&self) -> Option<&Fingerprint> {
        self.fingerprint.as_deref()
    }

    /// How many relations the dataset holds.
    pub fn relations(&self) -> usize {
        self.trailer.relations as usize
    }

    /// What identifies this index's content (its checksum): two opened indexes with the same
    /// stamp hold the same data.
    pub fn stamp(&self) -> Stamp {
        Stamp(self.trailer.hash)
    }

    /// Whether what was read from the file since it was opened is the file as it was checked:
    /// [`Unusable::Changed`] when another program has since made it shorter (on Linux the
    /// pages it lost read as zeros: see `load::mapped`).
    ///
    /// # Errors
    /// [`Unusable::Changed`], as said.
    pub fn intact(&self) -> Result<(), Unusable> {
        intact(&self.map)
    }

    fn view(&self) -> View<'_> {
        View { map: &self.map, trailer: &self.trailer }
    }

    /// The sections as typed slices. The tree is not checked here: see [`Index::tree_parts`].
    fn parts(&self) -> Result<Parts<'_>, Unusable> {
        self.view().parts(false)
    }

    /// The sections, with the tree checked (once: when the index was opened, or now).
    fn tree_parts(&self) -> Result<Parts<'_>, Unusable> {
        if *self.tree_ok.get_or_init(|| self.view().parts(true).is_ok()) {
            self.parts()
        } else {
            Err(Unusable::Corrupt("the time index"))
        }
    }

    fn section(&self, section: Section) -> &[u8] {
        self.view().section(section)
    }

    fn people(&self, parts: &Parts<'_>) -> Result<(Vec<Actor>, Vec<Source>), Unusable> {
        Ok((
            decode_actors(self.section(Section::Actors), parts.actors)?,
            decode_sources(self.section(Section::Sources), parts.sources)?,
        ))
    }

    /// The whole dataset. Its time index is built again from the decoded relations rather
    /// than copied from the file, so that a whole-dataset answer never depends on the stored
    /// tree agreeing with them (about 0.8 s at 10 million relations).
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a part does not decode.
    pub fn dataset(&self) -> Result<Dataset, Unusable> {
        checked(&self.map, || {
            let parts = self.parts()?;
            let (actors, sources) = self.people(&parts)?;
            let mut relations = Vec::with_capacity(parts.records.len());
            for chunk in parts.records.chunks(RELEASE_EVERY) {
                for r in chunk {
                    relations.push(parts.relation(r)?);
                }
                self.map.release(chunk);
            }
            Ok(Dataset::new(actors, sources, relations))
        })
    }

    /// The dataset cut down to the relations that may hold on `day` (see [`Dataset::cut`]):
    /// the tree is walked in place and only those relations are decoded.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a part does not decode.
    pub fn dataset_on(&self, day: Day) -> Result<Dataset, Unusable> {
        self.dataset_on_with(day, PARALLEL_DECODE)
    }

    /// As [`Index::dataset_on`], on two threads from `parallel_from` relations (tests lower it).
    fn dataset_on_with(&self, day: Day, parallel_from: usize) -> Result<Dataset, Unusable> {
        checked(&self.map, || {
            let parts = self.tree_parts()?;
            let (actors, sources) = self.people(&parts)?;
            // A bitmap puts the hits in dataset order in O(n / 64 + k), where sorting them took
            // a fifth of a second for the 3.7 million of a day in the 10M benchmark.
            let mut hits = Hits::new(parts.records.len());
            parts.tree.for_each_on(day, |r| hits.insert(r));
            // Decoded in two halves, one per thread, when there are many.
            let hits: Vec<RelationIx> = hits.iter().collect();
            // The tree's pages are read no more.
            self.map.release(parts.tree.nodes);
            self.map.release(parts.tree.by_start);
            self.map.release(parts.tree.by_end);
            let decode_into = |some: &[RelationIx], relations: &mut Vec<Relation>| -> Result<(), Unusable> {
                for chunk in some.chunks(RELEASE_EVERY) {
                    for r in chunk {
                        let relation = parts.relation(&parts.records[r.index()])?;
                        if relation.span.status_on(day).is_none() {
                            return Err(Unusable::Corrupt("the time index"));
                        }
                        relations.push(relation);
                    }
                    // The records up to the last one decoded are behind this half's reader.
                    if let (Some(first), Some(last)) = (chunk.first(), chunk.last()) {
                        self.map.release(&parts.records[first.index()..last.index()]);
                    }
                }
                Ok(())
            };
            let decode = |some: &[RelationIx], capacity: usize| -> Result<Vec<Relation>, Unusable> {
                let mut relations = Vec::with_capacity(capacity);
                decode_into(some, &mut relations)?;
                Ok(relations)
            };
            let relations = if hits.len() < parallel_from {
                decode(&hits, hits.len())?
            } else {
                // The first half is decoded into room for both, so that the second is moved
                // in without a third copy growing (the peak was both halves and the whole).
                let (first, second) = hits.split_at(hits.len() / 2);
                let (first, second) = std::thread::scope(|scope| {
                    let second = scope.spawn(|| decode(second, second.len()));
                    (decode(first, hits.len()), second.join().expect("decoding does not panic"))
                });
                let (mut first, mut second) = (first?, second?);
                first.append(&mut second);
                first
            };
            Ok(Dataset::cut(actors, sources, relations, day))
        })
    }
}

/// How many relations are decoded between two releases of the index pages read for them.
const RELEASE_EVERY: usize = 1 << 16;

impl Index {
    /// The dataset's actors and sources, and none of its relations: a cut for `day` to be
    /// completed with [`Index::dataset_of`] once a search ([`Index::around`]) knows which
    /// relations it needs.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a part does not decode.
    pub fn people_on(&self, day: Day) -> Result<Dataset, Unusable> {
        checked(&self.map, || {
            let parts = self.parts()?;
            let (actors, sources) = self.people(&parts)?;
            Ok(Dataset::cut(actors, sources, Vec::new(), day))
        })
    }

    /// The relations around actors on `day`, read on demand: see [`Around`].
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when the sections do not fit together.
    pub fn around(&self, day: Day) -> Result<Around<'_>, Unusable> {
        Ok(Around {
            parts: self.parts()?,
            key: i64::from(timeline::key(day)),
            bytes: &self.map,
            filter: GradeFilter::default(),
        })
    }

    /// `people` (from [`Index::people_on`] or an earlier call) with the given relations
    /// (indexes into the whole dataset, ascending, each holding on `day`) decoded: see
    /// [`Dataset::recut`].
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a relation does not decode or does not hold on `day`.
    pub fn dataset_of(
        &self,
        people: Dataset,
        relations: &[RelationIx],
        day: Day,
    ) -> Result<Dataset, Unusable> {
        checked(&self.map, || {
            let around = self.around(day)?;
            let relations = relations.iter().map(|&r| around.relation(r)).collect::<Result<Vec<_>, _>>()?;
            // `recut` panics on a relation that does not hold: the decoded dates must agree with
            // the packed ones that chose it.
            if relations.iter().any(|r| r.span.status_on(day).is_none()) {
                return Err(Unusable::Corrupt("a relation's dates"));
            }
            Ok(people.recut(relations, day))
        })
    }

    /// As [`Index::dataset_of`], for relations chosen by a search that left out those whose
    /// grade `filter` does not admit ([`Around::graded`]): each relation's stored grade is
    /// checked against the one its decoded evidence gives (the search trusted it), and the
    /// relations of `day` left out are counted from their records, not decoded.
    ///
    /// # Errors
    /// As [`Index::dataset_of`]; [`Unusable::Corrupt`] when a stored grade is not the
    /// relation's.
    pub fn dataset_of_graded(
        &self,
        people: Dataset,
        relations: &[RelationIx],
        day: Day,
        filter: GradeFilter,
    ) -> Result<Dataset, Unusable> {
        let records = self.parts()?.records;
        let ds = self.dataset_of(people, relations, day)?;
        for (r, &ix) in ds.relations.iter().zip(relations) {
            let stored = records.get(ix.index()).ok_or(Unusable::Corrupt("a relation index"))?;
            if record_grade(stored)? != ds.grade_of(r) || !filter.admits(ds.grade_of(r)) {
                return Err(Unusable::Corrupt("a relation's grade"));
            }
        }
        if filter.is_all() {
            return Ok(ds);
        }
        let left = self.graded_out_on(day, filter)?;
        Ok(ds.with_graded_out(left))
    }

    /// The relations that may hold on `day` whose stored grade `filter` does not admit.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a part does not decode.
    pub fn graded_out_on(&self, day: Day, filter: GradeFilter) -> Result<GradedOut, Unusable> {
        checked(&self.map, || {
            let parts = self.tree_parts()?;
            let mut hits = Hits::new(parts.records.len());
            parts.tree.for_each_on(day, |r| hits.insert(r));
            let mut relations = Vec::new();
            for r in hits.iter() {
                let record = parts.records.get(r.index()).ok_or(Unusable::Corrupt("the time index"))?;
                if filter.admits(record_grade(record)?) {
                    continue;
                }
                let relation = parts.relation(record)?;
                if relation.span.status_on(day).is_none() {
                    return Err(Unusable::Corrupt("the time index"));
                }
                relations.push(relation.left_out());
            }
            Ok(GradedOut { filter, relations })
        })
    }
}

/// A relation's ends and kind, read from its record without decoding it: what the store
/// needs to choose which relations a question reads (`store`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ends {
    pub relation: RelationIx,
    pub source: ActorIx,
    pub target: ActorIx,
    pub kind: RelationKind,
}

impl Index {
    /// The dataset's actors and sources and none of its relations, for every day (not a cut):
    /// what names are resolved against before [`Index::dataset_with`] reads the relations a
    /// question needs.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a part does not decode.
    pub fn actors_and_sources(&self) -> Result<Dataset, Unusable> {
        checked(&self.map, || {
            let parts = self.parts()?;
            let (actors, sources) = self.people(&parts)?;
            Ok(Dataset::new(actors, sources, Vec::new()))
        })
    }

    /// `people`'s actors and sources (from [`Index::actors_and_sources`]) with the given relations
    /// (indexes into the whole dataset, ascending), decoded: a dataset for every day that
    /// holds only those relations, in dataset order.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a relation does not decode or is not in the index.
    pub fn dataset_with(&self, people: Dataset, relations: &[RelationIx]) -> Result<Dataset, Unusable> {
        checked(&self.map, || {
            let parts = self.parts()?;
            let decoded = relations
                .iter()
                .map(|r| {
                    let record = parts.records.get(r.index()).ok_or(Unusable::Corrupt("a relation index"))?;
                    parts.relation(record)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let Dataset { actors, sources, .. } = people;
            Ok(Dataset::new(actors, sources, decoded))
        })
    }

    /// Calls `each` with every relation touching `actor` (whenever it holds), in dataset
    /// order, from the index's list of the actor's relations.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when the list does not decode or names a relation not touching
    /// `actor`.
    pub fn touching(&self, actor: ActorIx, mut each: impl FnMut(Ends)) -> Result<(), Unusable> {
        checked(&self.map, || {
            let p = self.parts()?;
            let list = &p.incident[range(p.incident_offsets, p.incident.len(), actor.0)?];
            for &r in list {
                let record = p.records.get(r as usize).ok_or(Unusable::Corrupt("an actor's relations"))?;
                if record.source != actor.0 && record.target != actor.0 {
                    return Err(Unusable::Corrupt("an actor's relations"));
                }
                each(p.ends(r, record)?);
            }
            Ok(())
        })
    }

    /// The relations touching `actor` (whenever they hold), as indexes into the dataset,
    /// ascending: the index's list of the actor's relations, read in place. Two actors'
    /// lists meet in the relations between them, found without reading any record.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when the list does not decode or is not ascending.
    pub fn relations_of(&self, actor: ActorIx) -> Result<&[u32], Unusable> {
        let p = self.parts()?;
        let list = &p.incident[range(p.incident_offsets, p.incident.len(), actor.0)?];
        if list.windows(2).any(|w| w[0] >= w[1])
            || list.last().is_some_and(|&r| r as usize >= p.records.len())
        {
            return Err(Unusable::Corrupt("an actor's relations"));
        }
        intact(&self.map)?;
        Ok(list)
    }

    /// Relation `r`'s ends and kind, from its record.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when `r` is not in the index or its ends do not decode.
    pub fn ends(&self, r: RelationIx) -> Result<Ends, Unusable> {
        checked(&self.map, || {
            let p = self.parts()?;
            let record = p.records.get(r.index()).ok_or(Unusable::Corrupt("a relation index"))?;
            p.ends(r.0, record)
        })
    }

    /// Calls `each` with every relation of a kind in `kinds` that may hold on `day` and whose
    /// stored grade `filter` admits, with its status, in dataset order, from the records: none
    /// is decoded. Every record is read, in file order, rather than the time index walked: at
    /// 10 million relations, 3.7 million of them on the day, reading them all cost about as
    /// much as walking the tree to its hits and reading theirs (records in order, 28 bytes each
    /// to a cache line of 64), and the tree's check (O(n), on opening or first use) is not
    /// needed; the kind is looked at before the dates, so that a search for a rare kind
    /// (memberships) costs little more than the reading. Each run of records read is given back.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a record does not decode.
    pub fn holding_on(
        &self,
        day: Day,
        filter: GradeFilter,
        kinds: KindSet,
        mut each: impl FnMut(Held),
    ) -> Result<(), Unusable> {
        let key = i64::from(timeline::key(day));
        checked(&self.map, || {
            let p = self.parts()?;
            for (first, chunk) in (0u32..).step_by(RELEASE_EVERY).zip(p.records.chunks(RELEASE_EVERY)) {
                for (r, record) in (first..).zip(chunk) {
                    if !kinds.contains(RelationKind::ALL[(record.bits & 3) as usize]) {
                        continue;
                    }
                    let Some(status) = status_packed(record.start, record.end, key)? else { continue };
                    if !filter.is_all() && !filter.admits(record_grade(record)?) {
                        continue;
                    }
                    let e = p.ends(r, record)?;
                    each(Held {
                        relation: e.relation,
                        source: e.source,
                        target: e.target,
                        kind: e.kind,
                        directed: record.bits & DIRECTED != 0,
                        status,
                    });
                }
                self.map.release(chunk);
            }
            Ok(())
        })
    }

    /// Calls `each` with every relation whose status (none, possible, active) changes on
    /// some day after `first` up to `last` (one of its bounds, [`Span::changes`], falls
    /// there): the only relations whose status on `last` can differ from that on `first`,
    /// and those that hold only in between. Every record is read, none decoded: O(n), about
    /// 0.05 s at 10 million relations.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a record's dates or ends do not decode.
    pub fn changing(&self, first: Day, last: Day, mut each: impl FnMut(Ends)) -> Result<(), Unusable> {
        let (k1, k2) = (i64::from(timeline::key(first)), i64::from(timeline::key(last)));
        checked(&self.map, || {
            let p = self.parts()?;
            for (r, record) in (0u32..).zip(p.records) {
                if changes_packed(record.start, record.end, k1, k2)? {
                    each(p.ends(r, record)?);
                }
            }
            Ok(())
        })
    }

    /// Calls `each` with every relation that may hold on some day of `window` and whose
    /// stored grade `filter` admits, with its status over the window ([`Span::status_in`]),
    /// in dataset order: what a question over a period reads before choosing which relations
    /// to decode. Every record is read, none decoded: O(n).
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a record's dates, grade or ends do not decode.
    pub fn holding_in(
        &self,
        window: crate::date::Window,
        filter: GradeFilter,
        mut each: impl FnMut(Held),
    ) -> Result<(), Unusable> {
        let (k1, k2) = (i64::from(timeline::key(window.first)), i64::from(timeline::key(window.last)));
        checked(&self.map, || {
            let p = self.parts()?;
            for (r, record) in (0u32..).zip(p.records) {
                let Some(status) = status_in_packed(record.start, record.end, k1, k2)? else { continue };
                if !filter.is_all() && !filter.admits(record_grade(record)?) {
                    continue;
                }
                let e = p.ends(r, record)?;
                each(Held {
                    relation: RelationIx(r),
                    source: e.source,
                    target: e.target,
                    kind: e.kind,
                    directed: record.bits & DIRECTED != 0,
                    status,
                });
            }
            Ok(())
        })
    }

    /// The relations claimed by an actor marked in `claimants` (by actor index), ascending.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when the claimants do not decode.
    pub fn claimed_by(&self, claimants: &[bool]) -> Result<Vec<RelationIx>, Unusable> {
        checked(&self.map, || {
            let p = self.parts()?;
            // Most datasets claim nothing, or little: the notes are looked at first, and the
            // records read only when some claimant is marked.
            let notes: Vec<bool> = p
                .claimants
                .iter()
                .map(|&c| c != NONE && claimants.get(c as usize).copied().unwrap_or(false))
                .collect();
            if !notes.contains(&true) {
                return Ok(Vec::new());
            }
            Ok((0u32..)
                .zip(p.records)
                .filter(|(_, record)| record.notes != NONE && notes.get(record.notes as usize) == Some(&true))
                .map(|(r, _)| RelationIx(r))
                .collect())
        })
    }

    /// The relations whose possible interval meets `window` and whose stored grade `filter`
    /// does not admit: what a question over the window says was left out by grade, read from
    /// every record (those left out are decoded).
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a part does not decode.
    pub fn graded_out_in(
        &self,
        window: crate::date::Window,
        filter: GradeFilter,
    ) -> Result<GradedOut, Unusable> {
        if filter.is_all() {
            return Ok(GradedOut { filter, relations: Vec::new() });
        }
        checked(&self.map, || {
            let p = self.parts()?;
            let mut relations = Vec::new();
            for record in p.records {
                if filter.admits(record_grade(record)?) {
                    continue;
                }
                let relation = p.relation(record)?;
                if relation.span.status_in(window).is_some() {
                    relations.push(relation.left_out());
                }
            }
            Ok(GradedOut { filter, relations })
        })
    }
}

/// Whether a relation with these packed dates changes status on a day whose key is in
/// `(k1, k2]`: the packed form of [`Span::changes`] (a partial start makes it active the day
/// after its last day; a partial end keeps it possible through its last day).
fn changes_packed(start: u32, end: u32, k1: i64, k2: i64) -> Result<bool, Unusable> {
    let bounds =
        |packed: u32| packed_bounds(packed).map(|(first, last)| (first, last, packed_partial(packed)));
    // A bound on day d is in (k1, k2]; "the day after `last`" is there when k1 <= last < k2.
    let on = |d: i64| k1 < d && d <= k2;
    let after = |last: i64| k1 <= last && last < k2;
    let (from, start_last, partial) = bounds(start)?;
    if on(from) || (partial && after(start_last)) {
        return Ok(true);
    }
    if end == NONE {
        return Ok(false);
    }
    let (until, end_last, partial) = bounds(end)?;
    Ok(on(until) || (partial && after(end_last)))
}

/// The relations of one day around given actors, read from the index's lists of each actor's
/// relations: a search near a few actors (`query::local`) reads these rather than the whole
/// day. Each entry is checked against its record as it is read; a list that leaves out one of
/// its actor's relations, in an index whose checksum was recomputed over the change, is not
/// detected (as with the time index: see `Tree::check`).
pub struct Around<'a> {
    parts: Parts<'a>,
    /// The day's key ([`timeline::key`]).
    key: i64,
    /// The file's bytes, asked after each read whether they are still the file's.
    bytes: &'a FileBytes,
    /// The relations whose stored grade this does not admit are not there.
    filter: GradeFilter,
}

impl Around<'_> {
    /// The same, without the relations whose grade `filter` does not admit (read from their
    /// records: see [`Index::dataset_of_graded`], which checks them).
    pub fn graded(self, filter: GradeFilter) -> Self {
        Around { filter, ..self }
    }
}

impl Around<'_> {
    /// Calls `each` with every relation touching `actor` that holds (is active or possible) on
    /// the day, in dataset order. Returns how many relations touch the actor: the work done.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when an entry does not decode or does not touch `actor`.
    pub fn holding(&self, actor: ActorIx, mut each: impl FnMut(Held)) -> Result<usize, Unusable> {
        checked(self.bytes, || {
            let p = &self.parts;
            let list = &p.incident[range(p.incident_offsets, p.incident.len(), actor.0)?];
            for &r in list {
                let record = p.records.get(r as usize).ok_or(Unusable::Corrupt("an actor's relations"))?;
                if record.source != actor.0 && record.target != actor.0 {
                    return Err(Unusable::Corrupt("an actor's relations"));
                }
                if !self.filter.is_all() && !self.filter.admits(record_grade(record)?) {
                    continue;
                }
                if let Some(status) = status_packed(record.start, record.end, self.key)? {
                    let ix = |a: u32| {
                        ((a as usize) < p.actors)
                            .then_some(ActorIx(a))
                            .ok_or(Unusable::Corrupt("an actor index"))
                    };
                    each(Held {
                        relation: RelationIx(r),
                        source: ix(record.source)?,
                        target: ix(record.target)?,
                        kind: RelationKind::ALL[(record.bits & 3) as usize],
                        directed: record.bits & DIRECTED != 0,
                        status,
                    });
                }
            }
            Ok(list.len())
        })
    }

    /// The share of the dataset's relations that hold on the day, estimated from `samples`
    /// records evenly spaced through the file (all of them when there are fewer): enough to
    /// choose between reading the day's relations and reading every actor's.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when a sampled date does not decode.
    pub fn holding_share(&self, samples: usize) -> Result<f64, Unusable> {
        let records = self.parts.records;
        let samples = samples.clamp(1, records.len().max(1));
        let mut holding = 0usize;
        for i in 0..samples {
            let Some(record) = records.get(i * records.len() / samples) else { break };
            holding += usize::from(status_packed(record.start, record.end, self.key)?.is_some());
        }
        Ok(holding as f64 / samples as f64)
    }

    /// Relation `r` of the dataset, decoded.
    ///
    /// # Errors
    /// [`Unusable::Corrupt`] when it does not decode, or does not hold on the day.
    pub fn relation(&self, r: RelationIx) -> Result<Relation, Unusable> {
        checked(self.bytes, || {
            let record = self.parts.records.get(r.index()).ok_or(Unusable::Corrupt("a relation index"))?;
            let relation = self.parts.relation(record)?;
            match status_packed(record.start, record.end, self.key)? {
                Some(_) => Ok(relation),
                None => Err(Unusable::Corrupt("an actor's relations")),
            }
        })
    }
}

/// An index file's bytes and trailer, before and after it is opened.
#[derive(Clone, Copy)]
struct View<'a> {
    map: &'a [u8],
    trailer: &'a Trailer,
}

impl<'a> View<'a> {
    fn section(&self, section: Section) -> &'a [u8] {
        let [offset, len] = self.trailer.sections[section as usize];
        // Checked by `check`.
        &self.map[offset as usize..(offset + len) as usize]
    }

    fn slice<T: Pod>(&self, section: Section) -> Result<&'a [T], Unusable> {
        bytemuck::try_cast_slice(self.section(section)).map_err(|_| Unusable::Corrupt("a misaligned section"))
    }

    /// The sections as typed slices, with the tree checked (O(n)) when `check_tree`.
    fn parts(&self, check_tree: bool) -> Result<Parts<'a>, Unusable> {
        let t = self.trailer;
        let relations = usize::try_from(t.relations).map_err(|_| Unusable::Corrupt("the relation count"))?;
        let root = u32::try_from(t.root).map_err(|_| Unusable::Corrupt("the root"))?;
        let tree = Tree {
            nodes: self.slice::<Node>(Section::Nodes)?,
            root,
            by_start: self.slice::<Bound>(Section::ByStart)?,
            by_end: self.slice::<Bound>(Section::ByEnd)?,
        };
        let tree = if check_tree {
            tree.check(relations).map_err(|_| Unusable::Corrupt("the time index"))?
        } else {
            tree
        };
        let parts = Parts {
            records: self.slice(Section::Records)?,
            id_offsets: self.slice(Section::IdOffsets)?,
            id_text: self.section(Section::IdText),
            id_prefixes: std::str::from_utf8(self.section(Section::IdPrefixText))
                .map_err(|_| Unusable::Corrupt("text that is not UTF-8"))?,
            id_prefix_offsets: self.slice(Section::IdPrefixOffsets)?,
            summary_offsets: self.slice(Section::SummaryOffsets)?,
            summary_text: self.section(Section::SummaryText),
            evidence_offsets: self.slice(Section::EvidenceOffsets)?,
            evidence: self.slice(Section::Evidence)?,
            claimants: self.slice(Section::Claimants)?,
            tree,
            incident_offsets: self.slice(Section::IncidentOffsets)?,
            incident: self.slice(Section::Incident)?,
            actors: usize::try_from(t.actors).map_err(|_| Unusable::Corrupt("the actor count"))?,
            sources: usize::try_from(t.sources).map_err(|_| Unusable::Corrupt("the source count"))?,
        };
        if parts.records.len() != relations
            || parts.id_offsets.is_empty()
            || parts.id_prefix_offsets.is_empty()
            || parts.id_prefix_offsets.len() > PREFIXES + 1
            || parts.id_prefixes.len() > PREFIXES * LONGEST_PREFIX
            || parts.summary_offsets.len() != parts.evidence_offsets.len()
            || parts.claimants.len() + 1 != parts.summary_offsets.len()
            || parts.summary_offsets.is_empty()
            || parts.incident_offsets.len() != parts.actors + 1
        {
            return Err(Unusable::Corrupt("the section sizes"));
        }
        Ok(parts)
    }
}

impl Parts<'_> {
    fn ends(&self, r: u32, record: &Record) -> Result<Ends, Unusable> {
        let actor = |ix: u32| {
            ((ix as usize) < self.actors).then_some(ActorIx(ix)).ok_or(Unusable::Corrupt("an actor index"))
        };
        Ok(Ends {
            relation: RelationIx(r),
            source: actor(record.source)?,
            target: actor(record.target)?,
            kind: RelationKind::ALL[(record.bits & 3) as usize],
        })
    }

    fn relation(&self, r: &Record) -> Result<Relation, Unusable> {
        let actor = |ix: u32| {
            ((ix as usize) < self.actors).then_some(ActorIx(ix)).ok_or(Unusable::Corrupt("an actor index"))
        };
        let kind = RelationKind::ALL[(r.bits & 3) as usize];
        let start = unpack(r.start)?;
        let end = match r.end {
            NONE => None,
            packed => Some(unpack(packed)?),
        };
        let span = Span::new(start, end).map_err(|_| Unusable::Corrupt("a relation's dates"))?;
        let id = if r.bits & NAMED == 0 {
            RelationId::Line(r.id)
        } else if r.bits & NUMBERED != 0 {
            let entry = (r.bits >> PREFIX_SHIFT) & 0xff;
            let prefix = self
                .id_prefixes
                .get(range(self.id_prefix_offsets, self.id_prefixes.len(), entry)?)
                .ok_or(Unusable::Corrupt("an id's prefix"))?;
            RelationId::Named(IdText::numbered(prefix, r.id))
        } else {
            RelationId::Named(text(self.id_offsets, self.id_text, r.id)?.into())
        };
        let notes = match r.notes {
            NONE => model::Notes::default(),
            j => {
                let summary = text(self.summary_offsets, self.summary_text, j)?;
                let evidence = range(self.evidence_offsets, self.evidence.len(), j)?;
                let evidence: Vec<SourceIx> = self.evidence[evidence]
                    .iter()
                    .map(|&s| {
                        ((s as usize) < self.sources)
                            .then_some(SourceIx(s))
                            .ok_or(Unusable::Corrupt("a source index"))
                    })
                    .collect::<Result<_, _>>()?;
                let claimant = match self.claimants.get(j as usize) {
                    Some(&NONE) => None,
                    Some(&c) => Some(actor(c)?),
                    None => return Err(Unusable::Corrupt("a claimant")),
                };
                model::Notes::claimed(evidence, summary.into(), claimant)
            }
        };
        let grade = record_grade(r)?;
        let credibility = match (r.bits >> CREDIBILITY_SHIFT) & 7 {
            0 => None,
            _ => Some(grade.credibility),
        };

        Ok(Relation {
            id,
            source: actor(r.source)?,
            target: actor(r.target)?,
            kind,
            directed: r.bits & DIRECTED != 0,
            start,
            end,
            span,
            credibility,
            notes,
        })
    }
}

/// Entry `i` of an offset table over `len` items.
fn range(offsets: &[u64], len: usize, i: u32) -> Result<std::ops::Range<usize>, Unusable> {
    let i = i as usize;
    match (offsets.get(i), offsets.get(i + 1)) {
        (Some(&a), Some(&b)) if a <= b && b as usize <= len => Ok(a as usize..b as usize),
        _ => Err(Unusable::Corrupt("an offset table")),
    }
}

fn text<'a>(offsets: &[u64], text: &'a [u8], i: u32) -> Result<&'a str, Unusable> {
    let bytes = &text[range(offsets, text.len(), i)?];
    std::str::from_utf8(bytes).map_err(|_| Unusable::Corrupt("text that is not UTF-8"))
}

/// An index's checksum: the xxh3-128 of its body's hash (as a data file's, block by block:
/// see `digest`, so that the blocks can be hashed on two threads as they are read) and of
/// its trailer, with the checksum field zeroed.
fn checksum(body: [u64; 2], trailer: &Trailer) -> [u64; 2] {
    let mut hasher = Xxh3::new();
    hasher.update(bytemuck::bytes_of(&body));
    hasher.update(bytemuck::bytes_of(trailer));
    split(hasher.digest128())
}

/// Checks the trailer and the checksum of the whole file, given the hash of its body (all
/// but the trailer), and that every section lies inside the body.
fn check(map: &[u8], body: [u64; 2]) -> Result<Trailer, Unusable> {
    check_trailer(map, Some(body))
}

/// Checks the trailer: that it is one, of this format, byte order and version, that the
/// checksum is the content's when the hash of the body (all but the trailer) is given, and
/// that every section lies inside the body.
fn check_trailer(map: &[u8], body: Option<[u64; 2]>) -> Result<Trailer, Unusable> {
    let Some(body_len) = map.len().checked_sub(TRAILER) else {
        return Err(Unusable::NotAnIndex);
    };
    let mut trailer: Trailer = bytemuck::pod_read_unaligned(&map[body_len..]);
    if trailer.magic != MAGIC {
        return Err(Unusable::NotAnIndex);
    }
    if trailer.byte_order != BYTE_ORDER {
        return Err(Unusable::ByteOrder);
    }
    if trailer.format != FORMAT {
        return Err(Unusable::Format(trailer.format));
    }
    if trailer.georel != version_field() {
        let end = trailer.georel.iter().position(|&b| b == 0).unwrap_or(16);
        return Err(Unusable::Version(String::from_utf8_lossy(&trailer.georel[..end]).into_owned()));
    }
    if let Some(body) = body {
        let recorded = trailer.hash;
        trailer.hash = [0; 2];
        if checksum(body, &trailer) != recorded {
            return Err(Unusable::Damaged);
        }
        trailer.hash = recorded;
    }
    for [offset, len] in trailer.sections {
        if offset.checked_add(len).is_none_or(|end| end > body_len as u64) {
            return Err(Unusable::Corrupt("a section outside the file"));
        }
    }
    Ok(trailer)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The folders whose data files were hashed to open an index, by every test of this
    /// process (each test looks for its own folder).
    pub(crate) static HASHED: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

    /// A packed date is its key and precision, nothing else: a year past what the decoded
    /// date can hold (a changed index whose checksum was recomputed) once decoded to another
    /// year, so that a relation the packed dates said held on a day did not, and the cut of
    /// that day panicked ("a cut holds the day's relations only").
    #[test]
    fn a_packed_date_decodes_only_to_itself() {
        let date = PartialDate::parse("2019-05").unwrap();
        let packed = pack(date);
        assert_eq!(unpack(packed).unwrap(), date);
        // The same month, 65,536 years later in the key's bits.
        let wrapped = packed + (1 << (16 + 9 + 2));
        assert!(matches!(unpack(wrapped), Err(Unusable::Corrupt(_))), "{:?}", unpack(wrapped));
        // Such an end holds on any day by its packed bounds, not by the decoded one.
        let start = pack(PartialDate::parse("2018").unwrap());
        let on = Day::new(2020, 1, 1).unwrap();
        assert!(status_packed(start, wrapped, i64::from(timeline::key(on))).unwrap().is_some());
    }

    /// Points in the reading of an index where a test may change the file (on the thread that
    /// reads it).
    pub(crate) mod seam {
        use std::cell::RefCell;
        use std::path::Path;

        type Hook = Box<dyn FnMut(Option<&Path>, usize)>;
        thread_local! {
            static HOOK: RefCell<Option<Hook>> = RefCell::new(None);
        }

        /// Runs `hook` with the index's path once it is opened (its length known), and with
        /// `None` and the bytes read so far after each piece is read.
        pub(crate) fn set(hook: impl FnMut(Option<&Path>, usize) + 'static) {
            HOOK.with(|h| *h.borrow_mut() = Some(Box::new(hook)));
        }

        pub(crate) fn clear() {
            HOOK.with(|h| *h.borrow_mut() = None);
        }

        pub(crate) fn is_set() -> bool {
            HOOK.with(|h| h.borrow().is_some())
        }

        pub(crate) fn opened(path: &Path) {
            HOOK.with(|h| h.borrow_mut().as_mut().map(|hook| hook(Some(path), 0)));
        }

        pub(crate) fn after_read(at: usize) {
            HOOK.with(|h| h.borrow_mut().as_mut().map(|hook| hook(None, at)));
        }
    }

    /// A dataset folder with an index, of about 40 KB.
    fn indexed() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let mut csv = String::from("id,source,target,kind,start,end,evidence,summary\n");
        for i in 0..300 {
            csv +=
                &format!("r{i},A{},B{},cooperation,{},,S{},note {i}\n", i % 17, i % 13, 1990 + i % 20, i % 5);
        }
        std::fs::write(dir.path().join(RELATIONS_FILE), csv).unwrap();
        let dataset = crate::load::load(dir.path()).unwrap();
        let mut bytes = Vec::new();
        write(&dataset, &Key::of(dir.path()).unwrap(), &mut bytes).unwrap();
        std::fs::write(dir.path().join(INDEX_FILE), bytes).unwrap();
        dir
    }

    /// Cuts the file at `path` to `len` bytes, in place (the same inode, as another program
    /// truncating it would).
    fn truncate(path: &Path, len: u64) {
        std::fs::OpenOptions::new().write(true).open(path).unwrap().set_len(len).unwrap();
    }

    /// An index truncated in place once georel has opened it, before or while it is read, is
    /// an error that says so, never a crash (a mapped file cut short killed the process with
    /// SIGBUS when its pages were touched).
    #[test]
    fn an_index_truncated_while_it_is_read_is_an_error_not_a_crash() {
        let dir = indexed();
        let path = dir.path().join(INDEX_FILE);
        let len = std::fs::metadata(&path).unwrap().len();
        assert!(len > 3 * READ_PIECE as u64, "read in several pieces: {len}");
        assert!(Index::open(dir.path()).is_ok());
        // Once opened, before a byte is read; and after its first piece is read.
        for when in [0, READ_PIECE] {
            let index = std::fs::read(&path).unwrap();
            let at = path.clone();
            seam::set(move |opened, read| {
                if opened.is_some() == (when == 0) && read == when {
                    truncate(&at, len / 2);
                }
            });
            let opened = Index::open(dir.path());
            seam::clear();
            let why = opened.err().expect("a truncated index is not used");
            assert!(matches!(why, Unusable::Changed), "{why}");
            assert_eq!(
                why.to_string(),
                "the index changed while georel read it (it became shorter: another program wrote into it)"
            );
            std::fs::write(&path, index).unwrap();
        }
    }

    /// An index cut short after it was opened and checked: what is read from it next is
    /// refused, never a crash and never zeros taken for data.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_index_truncated_after_it_was_opened_is_an_error_when_read() {
        let dir = indexed();
        let path = dir.path().join(INDEX_FILE);
        let len = std::fs::metadata(&path).unwrap().len();
        let index = Index::open(dir.path()).unwrap();
        assert!(index.dataset().is_ok() && index.intact().is_ok());
        truncate(&path, len / 2);
        let why = index.dataset().expect_err("the relations past the cut are not read as zeros");
        assert!(matches!(why, Unusable::Changed), "{why}");
        assert!(matches!(index.intact(), Err(Unusable::Changed)));
    }

    /// A span from the generated parts of its start (year, month, day, precision) and end (days
    /// after the start, precision), with the days around each of its bounds and the extremes;
    /// `None` when the span could never hold.
    #[allow(clippy::type_complexity)]
    fn packed_case(
        (y, m, d, p): (i16, i8, i8, u8),
        end: Option<(i64, u8)>,
    ) -> Option<(PartialDate, Option<PartialDate>, Span, Vec<Day>)> {
        let partial = |first: Day, p: u8| {
            match p {
                0 => PartialDate::from_parts(first.first_of_year(), Precision::Year),
                1 => PartialDate::from_parts(first.first_of_month(), Precision::Month),
                _ => PartialDate::from_parts(first, Precision::Day),
            }
            .unwrap()
        };
        let first = Day::new(y, m, d.min(Day::new(y, m, 1).unwrap().days_in_month())).unwrap();
        let start = partial(first, p);
        let end = end.map(|(days, q)| partial(first.checked_add(jiff::Span::new().days(days)).unwrap(), q));
        let span = Span::new(start, end).ok()?;
        let mut days = vec![Day::MIN, Day::MAX, Day::new(1, 1, 1).unwrap()];
        for date in std::iter::once(start).chain(end) {
            for bound in [date.first(), date.after()] {
                days.extend(
                    [bound.yesterday().ok(), Some(bound), bound.tomorrow().ok()].into_iter().flatten(),
                );
            }
        }
        Some((start, end, span, days))
    }

    proptest::proptest! {
        /// On packed dates, the status is what the decoded span gives, on the days around
        /// each bound of the span (where an error would show) and on the extremes.
        #[test]
        fn the_status_of_packed_dates_is_the_span_s(
            start in (1i16..=9997, 1i8..=12, 1i8..=31, 0u8..3),
            end in proptest::option::of((0i64..900, 0u8..3)),
            pick in 0usize..20,
        ) {
            let Some((start, end, span, days)) = packed_case(start, end) else { return Ok(()) };
            let day = days[pick % days.len()];
            let packed = status_packed(pack(start), end.map_or(NONE, pack), i64::from(timeline::key(day)));
            proptest::prop_assert_eq!(packed.unwrap(), span.status_on(day), "{:?} {:?} on {}", start, end, day);
        }

        /// As much over a window of days ([`Span::status_in`]), the window's ends picked among
        /// the same days.
        #[test]
        fn the_status_of_packed_dates_over_a_window_is_the_span_s(
            start in (1i16..=9997, 1i8..=12, 1i8..=31, 0u8..3),
            end in proptest::option::of((0i64..900, 0u8..3)),
            picks in (0usize..20, 0usize..20),
        ) {
            let Some((start, end, span, days)) = packed_case(start, end) else { return Ok(()) };
            let (a, b) = (days[picks.0 % days.len()], days[picks.1 % days.len()]);
            let window = crate::date::Window::between(a.min(b), a.max(b)).unwrap();
            let (k1, k2) = (i64::from(timeline::key(window.first)), i64::from(timeline::key(window.last)));
            let packed = status_in_packed(pack(start), end.map_or(NONE, pack), k1, k2);
            proptest::prop_assert_eq!(packed.unwrap(), span.status_in(window), "{:?} {:?} over {}", start, end, window);
        }
    }

    /// The key an index is written with is that of exactly the bytes its dataset was parsed
    /// from. A relations file edited once georel has hashed it (or starts reading it) and put
    /// back before it hashes it again gave an index of the edited rows under the key of the
    /// original file, trusted by every later command: the data files are changed here between
    /// the moments the loader opens them and finishes reading them (a test seam), read in one
    /// pass and in two halves.
    #[test]
    fn an_index_holds_the_data_its_key_describes_when_the_files_change_as_they_are_read() {
        use crate::load::digest::seam::{self, Moment};
        let dir = tempfile::tempdir().unwrap();
        let relations = dir.path().join(RELATIONS_FILE);
        let mut original = String::from("source,target,kind,start,end\n");
        for i in 0..200 {
            original += &format!("A{},B{},cooperation,{},\n", i % 7, i % 5, 1950 + i % 50);
        }
        // The same size: only the years of the first rows change.
        let edited = original.replacen(",1950,", ",2050,", 1).replacen(",1951,", ",2051,", 1);
        assert_eq!(edited.len(), original.len());
        std::fs::write(&relations, &original).unwrap();
        let whole = |day| crate::load::load_on(dir.path(), Day::new(day, 6, 1).unwrap()).unwrap().relations;
        for parallel_from in [u64::MAX, 0] {
            let (from, to) = (original.clone(), edited.clone());
            let path = relations.clone();
            seam::set(move |at, moment| {
                if at == path {
                    std::fs::write(at, if moment == Moment::Opening { &to } else { &from }).unwrap();
                }
            });
            let reading = crate::load::Reading { parallel_from, day: None, hash: true };
            let loaded = crate::load::load_dir_keyed(dir.path(), reading);
            seam::clear();
            let (dataset, key) = loaded.unwrap();
            let key = key.expect("the file did not become shorter");
            assert_eq!(std::fs::read_to_string(&relations).unwrap(), original, "put back");
            assert!(dataset.relations.iter().any(|r| r.start.first().year() == 2050), "the edit was parsed");
            let mut bytes = Vec::new();
            write(&dataset, &key, &mut bytes).unwrap();
            std::fs::write(dir.path().join(INDEX_FILE), bytes).unwrap();
            match Index::open(dir.path()) {
                Err(Unusable::Stale(file)) => assert_eq!(file, RELATIONS_FILE),
                Err(other) => panic!("{other}"),
                Ok(index) => {
                    let day = Day::new(2050, 6, 1).unwrap();
                    assert_eq!(
                        index.dataset_on(day).unwrap().relations,
                        whole(2050),
                        "parallel_from {parallel_from}: an index of the edited file is trusted for the original"
                    );
                }
            }
            // With the edited file back in place, the index is its own.
            std::fs::write(&relations, &edited).unwrap();
            let index = Index::open(dir.path()).expect("the index of the edited file");
            assert_eq!(index.dataset_on(Day::new(2050, 6, 1).unwrap()).unwrap().relations, whole(2050));
            std::fs::write(&relations, &original).unwrap();
        }
    }

    /// Opens the index in `dir`, and records the fingerprint its opening gives (as the store
    /// does), which there must be.
    fn open_and_record(dir: &Path) -> Index {
        let index = Index::open(dir).unwrap();
        let fingerprint = index.fingerprint().expect("a verified index gives its fingerprint");
        std::fs::write(dir.join(trust::STAMP_FILE), fingerprint.bytes()).unwrap();
        index
    }

    /// Whether opening the index in `dir` hashed its data files.
    fn hashed_to_open(
        dir: &Path,
        open: impl FnOnce() -> Result<Index, Unusable>,
    ) -> (bool, Result<Index, Unusable>) {
        HASHED.lock().unwrap().retain(|d| d != dir);
        let opened = open();
        (HASHED.lock().unwrap().iter().any(|d| d == dir), opened)
    }

    /// With a fingerprint recorded, an index opens without reading the data files (hashing
    /// the 400 MB relations.csv of the 10M benchmark made every question take 0.4 s), and
    /// answers as when it was hashed; `verify` still hashes.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_fingerprinted_index_opens_without_hashing_the_data_files() {
        let dir = indexed();
        let hashed = open_and_record(dir.path());
        let day = Day::new(2000, 6, 1).unwrap();
        let (read, opened) = hashed_to_open(dir.path(), || Index::open(dir.path()));
        assert!(!read, "the fingerprint vouches for the files");
        let index = opened.unwrap();
        assert!(index.fingerprint().is_none(), "nothing new to record");
        assert_eq!(index.dataset_on(day).unwrap().relations, hashed.dataset_on(day).unwrap().relations);
        assert_eq!(index.stamp(), hashed.stamp());
        let (read, opened) = hashed_to_open(dir.path(), || Index::verify(dir.path()));
        assert!(read && opened.is_ok(), "verify hashes whatever the fingerprint says");
    }

    /// The time index checked by a later open is recorded as checked: a fingerprint from
    /// an open that did not check it says so, and the open that does gives a new one.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_tree_checked_later_is_recorded() {
        let dir = indexed();
        let lazily = Index::open_lazily(dir.path()).unwrap();
        let first = *lazily.fingerprint().unwrap();
        assert!(!first.tree_ok());
        std::fs::write(dir.path().join(trust::STAMP_FILE), first.bytes()).unwrap();
        let (read, opened) = hashed_to_open(dir.path(), || Index::open(dir.path()));
        assert!(!read);
        let second = *opened.unwrap().fingerprint().expect("the tree was checked now");
        assert!(second.tree_ok());
        assert_eq!(second, first.with_tree_ok());
    }

    /// Changes that keep the size and the modification time (an edit restored with
    /// `touch -r`, or within the same second) change the change time: the data files are
    /// hashed again and the index found stale, as is an index of another dataset put in its
    /// place, or one cut short, with the fingerprint of the old one beside it.
    #[test]
    fn a_fingerprint_vouches_for_nothing_changed_since() {
        let dir = indexed();
        let relations = dir.path().join(RELATIONS_FILE);
        let index_path = dir.path().join(INDEX_FILE);
        open_and_record(dir.path());
        let recorded = std::fs::read(dir.path().join(trust::STAMP_FILE)).unwrap();
        let text = std::fs::read_to_string(&relations).unwrap();
        let before = std::fs::metadata(&relations).unwrap();
        std::fs::write(&relations, text.replacen("note 0", "note X", 1)).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&relations)
            .unwrap()
            .set_modified(before.modified().unwrap())
            .unwrap();
        let after = std::fs::metadata(&relations).unwrap();
        assert_eq!((after.len(), after.modified().unwrap()), (before.len(), before.modified().unwrap()));
        let (read, opened) = hashed_to_open(dir.path(), || Index::open(dir.path()));
        assert!(read);
        assert!(matches!(opened, Err(Unusable::Stale(RELATIONS_FILE))), "{:?}", opened.err());
        std::fs::write(&relations, &text).unwrap();
        let index = std::fs::read(&index_path).unwrap();

        // Another dataset's index, with the fingerprint of this one's beside it.
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join(RELATIONS_FILE), text.replacen("note 0", "note Y", 1)).unwrap();
        let ds = crate::load::load(other.path()).unwrap();
        let mut bytes = Vec::new();
        write(&ds, &Key::of(other.path()).unwrap(), &mut bytes).unwrap();
        open_and_record(dir.path());
        std::fs::write(&index_path, &bytes).unwrap();
        let (read, opened) = hashed_to_open(dir.path(), || Index::open(dir.path()));
        assert!(read);
        assert!(matches!(opened, Err(Unusable::Stale(RELATIONS_FILE))), "{:?}", opened.err());

        // Cut short, in place.
        std::fs::write(&index_path, &index).unwrap();
        open_and_record(dir.path());
        truncate(&index_path, index.len() as u64 / 2);
        assert!(matches!(Index::open(dir.path()), Err(Unusable::NotAnIndex | Unusable::Damaged)));
        truncate(&index_path, 10);
        assert!(matches!(Index::open(dir.path()), Err(Unusable::NotAnIndex)));

        // A stamp that is not one is ignored: the index is hashed and opens.
        std::fs::write(&index_path, &index).unwrap();
        for stamp in [&recorded[..10], b"not a stamp at all", &[]] {
            std::fs::write(dir.path().join(trust::STAMP_FILE), stamp).unwrap();
            let (read, opened) = hashed_to_open(dir.path(), || Index::open(dir.path()));
            assert!(read && opened.is_ok());
        }
    }

    /// A fingerprint whose files changed in the clock's tick in which it was taken (or
    /// after) is never trusted: a change to one of them then, of the same size and times,
    /// is found by hashing. The same stamp with the change a tick before its clock would be
    /// trusted (which is why the rule is needed), and a clock read before a change always
    /// makes it racy.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_change_in_the_tick_of_the_fingerprint_is_hashed_not_trusted() {
        let dir = indexed();
        let relations = dir.path().join(RELATIONS_FILE);
        let index = Index::open(dir.path()).unwrap();
        let checksum = index.stamp().0;
        drop(index);
        // The clock is read, then relations.csv changes (the same size) in its tick.
        let clock = trust::clock();
        let text = std::fs::read_to_string(&relations).unwrap();
        std::fs::write(&relations, text.replacen("note 0", "note X", 1)).unwrap();
        let files = DATA_FILES.map(|name| FileId::at(&dir.path().join(name)).unwrap());
        let index_id = FileId::at(&dir.path().join(INDEX_FILE)).unwrap();
        assert!(files[0].racy(clock), "a change after the clock was read is racy");
        assert!(Fingerprint::new(clock, files, index_id, checksum, true).is_none());
        // Recorded all the same (with the change's own time as the clock): not trusted.
        let stamp = dir.path().join(trust::STAMP_FILE);
        std::fs::write(&stamp, Fingerprint::forged(files[0].ctime, files, index_id, checksum).bytes())
            .unwrap();
        let (read, opened) = hashed_to_open(dir.path(), || Index::open(dir.path()));
        assert!(read);
        assert!(matches!(opened, Err(Unusable::Stale(RELATIONS_FILE))), "{:?}", opened.err());
        // A tick later, the same identities would have been trusted.
        let later = [files[0].ctime[0] + 1, files[0].ctime[1]];
        std::fs::write(&stamp, Fingerprint::forged(later, files, index_id, checksum).bytes()).unwrap();
        let (read, opened) = hashed_to_open(dir.path(), || Index::open(dir.path()));
        assert!(!read && opened.is_ok(), "the forged stamp is what vouches here");
    }

    /// The share of relations holding on a day: exact when every record is sampled, and
    /// estimated from evenly spaced records otherwise.
    #[test]
    fn the_share_holding_is_counted_or_sampled() {
        let dir = tempfile::tempdir().unwrap();
        // 1,000 relations: those on even lines (the first is line 2) hold through 2000, the
        // others only in 1990.
        let mut csv = String::from("source,target,kind,start,end\n");
        for i in 0..1000 {
            let span = if i % 2 == 0 { "1999,2001" } else { "1990,1991" };
            csv += &format!("A{},B{},cooperation,{span}\n", i % 7, i % 5);
        }
        std::fs::write(dir.path().join(RELATIONS_FILE), csv).unwrap();
        let dataset = crate::load::load(dir.path()).unwrap();
        let mut bytes = Vec::new();
        write(&dataset, &Key::of(dir.path()).unwrap(), &mut bytes).unwrap();
        std::fs::write(dir.path().join(INDEX_FILE), bytes).unwrap();
        let index = Index::open(dir.path()).unwrap();
        let on = |year, samples| {
            index.around(Day::new(year, 6, 1).unwrap()).unwrap().holding_share(samples).unwrap()
        };
        assert_eq!(on(2000, 1024), 0.5);
        assert_eq!(on(1990, 5000), 0.5);
        assert_eq!(on(1980, 1024), 0.0);
        // Every other record, on an odd spacing: about half either way.
        assert!((on(2000, 333) - 0.5).abs() < 0.01, "{}", on(2000, 333));
        assert_eq!(on(2000, 1), 1.0, "one sample: the first record");
    }

    /// The day's relations decoded on two threads are those decoded on one, in order.
    #[test]
    fn two_threads_decode_what_one_does() {
        let dir = tempfile::tempdir().unwrap();
        let mut csv = String::from("id,source,target,kind,start,end,evidence,summary\n");
        for i in 0..300 {
            let (start, end) =
                (1990 + i % 20, if i % 3 == 0 { String::new() } else { format!("{}", 2011 + i % 7) });
            let id = if i % 4 == 0 { format!("r{i}") } else { String::new() };
            csv += &format!("{id},A{},B{},cooperation,{start},{end},S{},note {i}\n", i % 17, i % 13, i % 5);
        }
        std::fs::write(dir.path().join(RELATIONS_FILE), csv).unwrap();
        let dataset = crate::load::load(dir.path()).unwrap();
        let key = Key::of(dir.path()).unwrap();
        let mut bytes = Vec::new();
        write(&dataset, &key, &mut bytes).unwrap();
        std::fs::write(dir.path().join(INDEX_FILE), bytes).unwrap();
        let index = Index::open(dir.path()).unwrap();
        for year in [1995, 2005, 2012] {
            let day = Day::new(year, 6, 1).unwrap();
            let one = index.dataset_on_with(day, usize::MAX).unwrap();
            let two = index.dataset_on_with(day, 0).unwrap();
            assert!(one.relations.len() > 10);
            assert_eq!(one.relations, two.relations);
        }
    }
}
