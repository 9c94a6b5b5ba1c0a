//! Loading a dataset folder (`relations.csv`, and optionally `actors.csv` and
//! `sources.csv`) into a validated [`Dataset`]. Every problem in every file is collected and
//! reported together, each with its file, line and column.

mod digest;
mod error;
mod ids;
pub mod index;
pub(crate) mod lines;
#[cfg(target_os = "linux")]
mod mapped;
mod parquet;
mod table;
pub mod trust;

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

pub use error::{DataError, LoadErrors, Location, Problem};
use table::{Column, PartRows, Row, Schema, Table};

use crate::date::{Day, PartialDate, Span};
use crate::model::{
    Actor, ActorIx, ActorKind, Credibility, Dataset, Notes, ParentChains, Relation, RelationId, RelationKind,
    Reliability, Source, SourceIx,
};
use crate::names::Names;

pub const RELATIONS_FILE: &str = "relations.csv";
/// The relations as Parquet (what Spark, DuckDB and BigQuery write), read by the same rule
/// as relations.csv (`parquet.rs`); a folder holds one or the other.
pub const RELATIONS_PARQUET: &str = "relations.parquet";
pub const ACTORS_FILE: &str = "actors.csv";
pub const SOURCES_FILE: &str = "sources.csv";

const fn col(name: &'static str, required: bool) -> Column {
    Column { name, required }
}

// Column indexes into each schema, in the documented order.
const R_ID: usize = 0;
const R_SOURCE: usize = 1;
const R_TARGET: usize = 2;
const R_KIND: usize = 3;
const R_START: usize = 4;
const R_END: usize = 5;
const R_DIRECTED: usize = 6;
const R_EVIDENCE: usize = 7;
const R_SUMMARY: usize = 8;
const R_CLAIMANT: usize = 9;
const R_CREDIBILITY: usize = 10;
static RELATIONS: Schema = Schema {
    columns: &[
        col("id", false),
        col("source", true),
        col("target", true),
        col("kind", true),
        col("start", true),
        col("end", false),
        col("directed", false),
        col("evidence", false),
        col("summary", false),
        col("claimant", false),
        col("credibility", false),
    ],
    header: "id,source,target,kind,start,end,directed,evidence,summary,claimant,credibility",
    required: "source,target,kind,start",
};

const A_ID: usize = 0;
const A_NAME: usize = 1;
const A_KIND: usize = 2;
const A_PARENT: usize = 3;
const A_ALIASES: usize = 4;
static ACTORS: Schema = Schema {
    columns: &[
        col("id", true),
        col("name", false),
        col("kind", false),
        col("parent", false),
        col("aliases", false),
    ],
    header: "id,name,kind,parent,aliases",
    required: "id",
};

const S_ID: usize = 0;
const S_TITLE: usize = 1;
const S_PUBLISHER: usize = 2;
const S_PUBLISHED: usize = 3;
const S_URL: usize = 4;
const S_RELIABILITY: usize = 5;
static SOURCES: Schema = Schema {
    columns: &[
        col("id", true),
        col("title", false),
        col("publisher", false),
        col("published", false),
        col("url", false),
        col("reliability", false),
    ],
    header: "id,title,publisher,published,url,reliability",
    required: "id",
};

const KINDS_ALLOWED: &str = "cooperation, restriction, dispute, membership";
const ACTOR_KINDS_ALLOWED: &str = "country, agency, alliance, agreement, organisation, person, region";
const DIRECTED_ALLOWED: &str = "true or false (or empty for the kind's default)";
const RELIABILITY_ALLOWED: &str = "A, B, C, D, E or F (NATO Admiralty grade), or empty";
const CREDIBILITY_ALLOWED: &str = "1, 2, 3, 4, 5 or 6 (NATO Admiralty information credibility: 1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged), or empty for 6";

/// Loads and validates the dataset in `dir`.
///
/// # Errors
/// [`LoadErrors`] listing every problem found in every file, in file and line order.
pub fn load(dir: &Path) -> Result<Dataset, LoadErrors> {
    load_dir(dir, None)
}

/// Loads and validates the dataset in `dir` as [`load`] does (every row is checked, every
/// actor and source named is known), but keeps only the relations that may hold on `day`:
/// a [`Dataset::cut`], which answers for that day as the whole dataset would, in less time
/// and memory when few of the relations hold then.
///
/// # Errors
/// As [`load`].
pub fn load_on(dir: &Path, day: Day) -> Result<Dataset, LoadErrors> {
    load_dir(dir, Some(day))
}

fn load_dir(dir: &Path, day: Option<Day>) -> Result<Dataset, LoadErrors> {
    load_dir_keyed(dir, Reading { parallel_from: PARALLEL_FROM_BYTES, day, hash: false }).map(|(ds, _)| ds)
}

/// Loads the dataset in `dir` as [`load`] does, with the key of exactly the bytes it was
/// parsed from, hashed as they were read, for its index ([`index::write`]): whatever happens
/// to the files meanwhile, an index never holds data other than what its key describes.
/// The key is `None` when a file became shorter while its two halves were read.
///
/// # Errors
/// As [`load`].
pub fn load_keyed(dir: &Path) -> Result<(Dataset, Option<index::Key>), LoadErrors> {
    load_dir_keyed(dir, Reading { parallel_from: PARALLEL_FROM_BYTES, day: None, hash: true })
}

/// The relations file of the dataset in `dir`: relations.csv, or relations.parquet when only
/// that is there.
pub fn relations_path(dir: &Path) -> std::path::PathBuf {
    let csv = dir.join(RELATIONS_FILE);
    let parquet = dir.join(RELATIONS_PARQUET);
    if !csv.exists() && parquet.exists() {
        parquet
    } else {
        csv
    }
}

/// Refuses a folder with both relations.csv and relations.parquet: which is current cannot
/// be told.
fn one_relations_file(dir: &Path) -> Result<(), LoadErrors> {
    let parquet = dir.join(RELATIONS_PARQUET);
    if dir.join(RELATIONS_FILE).exists() && parquet.exists() {
        return Err(LoadErrors(vec![DataError {
            location: Box::new(Location { file: parquet, line: None, column: None }),
            problem: Problem::TwoRelationFiles,
        }]));
    }
    Ok(())
}

fn load_dir_keyed(dir: &Path, reading: Reading) -> Result<(Dataset, Option<index::Key>), LoadErrors> {
    one_relations_file(dir)?;
    let present = |name: &str| Some(dir.join(name)).filter(|p| p.exists());
    load_files_keyed(
        &relations_path(dir),
        present(ACTORS_FILE).as_deref(),
        present(SOURCES_FILE).as_deref(),
        reading,
    )
}

/// As [`load`], but the relations are read in two halves at once whatever the file's size:
/// the fuzz targets (fuzz/) check that this gives what [`load`] gives.
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub fn load_in_halves(dir: &Path) -> Result<Dataset, LoadErrors> {
    let present = |name: &str| Some(dir.join(name)).filter(|p| p.exists());
    load_files_with(
        &relations_path(dir),
        present(ACTORS_FILE).as_deref(),
        present(SOURCES_FILE).as_deref(),
        Reading { parallel_from: 0, day: None, hash: false },
    )
}

/// Loads a relations file on its own, under any name, as if it were alone in a dataset
/// folder (actors are the ids it uses; evidence ids are not checked).
///
/// # Errors
/// As [`load`].
pub fn load_relations(path: &Path) -> Result<Dataset, LoadErrors> {
    load_files(path, None, None)
}

/// Loads a relations file with the actors and sources files that are present.
fn load_files(
    relations_path: &Path,
    actors_path: Option<&Path>,
    sources_path: Option<&Path>,
) -> Result<Dataset, LoadErrors> {
    load_files_with(
        relations_path,
        actors_path,
        sources_path,
        Reading { parallel_from: PARALLEL_FROM_BYTES, day: None, hash: false },
    )
}

/// How the relations are read.
#[derive(Debug, Clone, Copy)]
struct Reading {
    /// From this many bytes, in two halves at once (tests lower it to check that both ways
    /// give the same result).
    parallel_from: u64,
    /// `Some(day)`: only the relations that may hold on that day are kept (see [`load_on`]).
    day: Option<Day>,
    /// Whether the files are hashed as they are read (see [`load_keyed`]).
    hash: bool,
}

/// As [`load_files`], reading the relations as `reading` says.
fn load_files_with(
    relations_path: &Path,
    actors_path: Option<&Path>,
    sources_path: Option<&Path>,
    reading: Reading,
) -> Result<Dataset, LoadErrors> {
    load_files_keyed(relations_path, actors_path, sources_path, reading).map(|(ds, _)| ds)
}

/// As [`load_files_with`], with the key of the files as read when `reading.hash`.
fn load_files_keyed(
    relations_path: &Path,
    actors_path: Option<&Path>,
    sources_path: Option<&Path>,
    reading: Reading,
) -> Result<(Dataset, Option<index::Key>), LoadErrors> {
    let mut errors = Vec::new();
    // In the order of `index::DATA_FILES`; an absent file's key is all zeros.
    let mut keys = [Some(<digest::FileKey as bytemuck::Zeroable>::zeroed()); 3];
    let [relations_key, actors_key, sources_key] = &mut keys;
    let hash = |key| reading.hash.then_some(key);

    // A file that cannot be read at all (unreadable, bad header) is one problem; the
    // relations are then checked as if it were absent, rather than reporting every actor or
    // source they name as unknown.
    let mut actors = actors_path.and_then(|p| load_actors(p, &mut errors, hash(actors_key)));
    let mut sources = sources_path.and_then(|p| load_sources(p, &mut errors, hash(sources_key)));
    let relations =
        read_relations_from(relations_path, &mut actors, &mut sources, &mut errors, reading, relations_key);

    if !errors.is_empty() {
        // In file order (as loaded: actors, sources, relations), then line and column order;
        // the sort is stable, so problems of one cell keep the order they were found in.
        let file_order = |e: &DataError| {
            [actors_path, sources_path]
                .iter()
                .position(|p| *p == Some(e.location.file.as_path()))
                .unwrap_or(2)
        };
        errors.sort_by_key(|e| {
            (file_order(e), e.location.line.unwrap_or(0), e.location.column.as_ref().map_or(0, |c| c.0))
        });
        return Err(LoadErrors(errors));
    }
    let (actors, sources) = (actors.unwrap_or_default(), sources.unwrap_or_default());
    let dataset = match reading.day {
        Some(day) => Dataset::cut(actors.items, sources.items, relations, day),
        None => Dataset::new(actors.items, sources.items, relations),
    };
    let key = reading.hash.then(|| Some(index::Key([keys[0]?, keys[1]?, keys[2]?]))).flatten();
    Ok((dataset, key))
}

/// Items of one file with an id lookup. When the file is absent the relations fill one
/// themselves: any id they name becomes an item (see `Known`).
struct Registry<T> {
    items: Vec<T>,
    ids: Ids<u32>,
    /// The line where each item is defined (or first named, when the relations fill the
    /// registry), for messages about duplicates.
    lines: Vec<u64>,
    /// The actors' folded names, for suggestions: built on the first unknown actor (boxed:
    /// a registry is moved about, and most never need it).
    names: OnceLock<Box<Names>>,
}

impl<T> Default for Registry<T> {
    fn default() -> Self {
        Registry { items: Vec::new(), ids: Ids::default(), lines: Vec::new(), names: OnceLock::new() }
    }
}

impl Registry<Actor> {
    /// Suggests an actor for an unknown id, with [`Names::suggest`]: the best one, as
    /// `"COL", the id of "Colombia"`.
    fn suggest(&self, value: &str) -> Option<String> {
        let names = self.names.get_or_init(|| Box::new(Names::new(&self.items)));
        let (best, _) = names.suggest(&self.items, value).into_iter().next()?;
        let actor = &self.items[best.index()];
        Some(if actor.name == actor.id {
            format!("{:?}", &*actor.id)
        } else {
            format!("{:?}, the id of {:?}", &*actor.id, &*actor.name)
        })
    }
}

/// A map from ids to values, for the two lookups per row of a relations file. An id of up
/// to 15 bytes (every id of GDELT, ICEWS and COW data) is packed, with its length, into one
/// integer key, so that a lookup hashes and compares it in place rather than following a
/// pointer to compare strings: string keys made the lookups a fifth of the time of loading
/// 10 million relations. An id of up to 7 bytes fits in 8 bytes, and a table of them in half
/// the memory: the lookups wait on memory (50,000 actors' table does not stay in a core's
/// cache while the file streams through it), so a smaller table is a faster one.
struct Ids<V> {
    tiny: HashMap<u64, V, foldhash::fast::RandomState>,
    short: HashMap<u128, V, foldhash::fast::RandomState>,
    long: HashMap<Box<str>, V, foldhash::fast::RandomState>,
}

impl<V> Default for Ids<V> {
    fn default() -> Self {
        Ids { tiny: HashMap::default(), short: HashMap::default(), long: HashMap::default() }
    }
}

/// The bytes of an id shorter than 8 bytes as the low bytes of an integer (little-endian),
/// the rest zero. Built from loads of whole integers that overlap rather than by copying the
/// bytes into an array and reading that back: the copy is a call, and reading back bytes
/// just stored one by one stalls the core (the store cannot be forwarded to the wider load).
/// Measured on a cold snapshot of 10 million relations: the lookups went from 15% to 8.5% of
/// the samples, and reading the file on two threads from 0.93 s to 0.80 s.
fn pack_tiny(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    debug_assert!(n < 8, "a tiny id has fewer than 8 bytes");
    if n >= 4 {
        let first = u64::from(u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes")));
        let last = u64::from(u32::from_le_bytes(bytes[n - 4..].try_into().expect("4 bytes")));
        first | last << (8 * (n - 4))
    } else if n > 0 {
        // 1 to 3 bytes: the first, the middle and the last (some of them the same byte).
        u64::from(bytes[0])
            | u64::from(bytes[n / 2]) << (8 * (n / 2))
            | u64::from(bytes[n - 1]) << (8 * (n - 1))
    } else {
        0
    }
}

/// An id as a key of [`Ids`].
enum Key<'a> {
    Tiny(u64),
    Short(u128),
    Long(&'a str),
}

impl<V> Ids<V> {
    fn key(id: &str) -> Key<'_> {
        let bytes = id.as_bytes();
        let n = bytes.len();
        if n < 8 {
            Key::Tiny(pack_tiny(bytes) | (n as u64) << 56)
        } else if n < 16 {
            // Two loads of 8 bytes that overlap, the second shifted into place.
            let first = u128::from(u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")));
            let last = u128::from(u64::from_le_bytes(bytes[n - 8..].try_into().expect("8 bytes")));
            Key::Short(first | last << (8 * (n - 8)) | (n as u128) << 120)
        } else {
            Key::Long(id)
        }
    }

    fn get(&self, id: &str) -> Option<&V> {
        match Ids::<V>::key(id) {
            Key::Tiny(key) => self.tiny.get(&key),
            Key::Short(key) => self.short.get(&key),
            Key::Long(id) => self.long.get(id),
        }
    }

    fn insert(&mut self, id: &str, value: V) {
        match Ids::<V>::key(id) {
            Key::Tiny(key) => self.tiny.insert(key, value),
            Key::Short(key) => self.short.insert(key, value),
            Key::Long(id) => self.long.insert(id.into(), value),
        };
    }
}

impl<T> Registry<T> {
    fn lookup(&self, id: &str) -> Option<u32> {
        self.ids.get(id).copied()
    }
}

/// The actors of `actors.csv`; `None` when the file cannot be read at all.
fn load_actors(
    path: &Path,
    errors: &mut Vec<DataError>,
    key: Option<&mut Option<digest::FileKey>>,
) -> Option<Registry<Actor>> {
    let mut registry = Registry::default();
    let opened = if key.is_some() { Table::open_hashed(path, &ACTORS) } else { Table::open(path, &ACTORS) };
    let table = match opened {
        Ok(t) => t,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    // Parents may be defined after their children: resolve them in a second pass.
    let mut parents: Vec<Option<(String, Location)>> = Vec::new();
    let read = table.rows(errors, |row, errors| {
        let Some(id) = collect(errors, row.require(A_ID)) else {
            return;
        };
        if let Some(first_line) = registry.ids.get(id).map(|&ix| registry.lines[ix as usize]) {
            errors
                .push(row.error(A_ID, Problem::DuplicateId { what: "actor", value: id.into(), first_line }));
            return;
        }
        let name = collect(errors, row.get(A_NAME)).flatten().unwrap_or(id);
        let kind =
            match collect(errors, row.get(A_KIND)).flatten() {
                None => ActorKind::Unknown,
                Some(text) => text.parse().unwrap_or_else(|()| {
                    errors.push(row.error(
                        A_KIND,
                        Problem::NotAllowed { value: text.into(), allowed: ACTOR_KINDS_ALLOWED },
                    ));
                    ActorKind::Unknown
                }),
            };
        let aliases = collect(errors, row.get(A_ALIASES)).flatten().map_or_else(Vec::new, split_list);
        let parent = collect(errors, row.get(A_PARENT)).flatten().map(|p| {
            let location = *row.error(A_PARENT, Problem::Missing).location;
            (p.to_string(), location)
        });
        registry.ids.insert(id, registry.items.len() as u32);
        registry.lines.push(row.line);
        registry.items.push(Actor {
            id: id.into(),
            name: name.into(),
            kind,
            parent: None,
            aliases: aliases.into_iter().map(Box::from).collect(),
        });
        parents.push(parent);
    });

    let locations: Vec<Option<Location>> =
        parents.iter().map(|p| p.as_ref().map(|(_, l)| l.clone())).collect();
    for (ix, parent) in parents.into_iter().enumerate() {
        let Some((parent, location)) = parent else {
            continue;
        };
        match registry.lookup(&parent) {
            Some(p) if p as usize == ix => errors.push(DataError {
                location: Box::new(location),
                problem: Problem::OwnParent { value: parent },
            }),
            Some(p) => registry.items[ix].parent = Some(ActorIx(p)),
            None => {
                let suggestion = registry.suggest(&parent);
                errors.push(DataError {
                    location: Box::new(location),
                    problem: Problem::UnknownActor { value: parent, suggestion },
                });
            }
        }
    }
    report_parent_cycles(path, &mut registry, &locations, errors);
    if let Some(key) = key {
        *key = read;
    }
    Some(registry)
}

/// Finds every parent cycle ([`ParentChains`]), reports each once, and cuts it so that
/// later code can follow parent chains safely.
fn report_parent_cycles(
    path: &Path,
    registry: &mut Registry<Actor>,
    locations: &[Option<Location>],
    errors: &mut Vec<DataError>,
) {
    let actors = &mut registry.items;
    for cycle in ParentChains::of(actors).cycles {
        let cut = cycle[0].index();
        let chain = cycle.iter().take(CYCLE_SHOWN).map(|&a| actors[a.index()].id.to_string()).collect();
        let location = Box::new(locations[cut].clone().unwrap_or_else(|| Location {
            file: path.to_path_buf(),
            line: None,
            column: None,
        }));
        errors.push(DataError { location, problem: Problem::ParentCycle { chain, length: cycle.len() } });
        actors[cut].parent = None;
    }
}

/// How many actors of a parent cycle its error names: a cycle of 200,000 made one line of
/// 2 MB.
const CYCLE_SHOWN: usize = 5;

/// The sources of `sources.csv`; `None` when the file cannot be read at all.
fn load_sources(
    path: &Path,
    errors: &mut Vec<DataError>,
    key: Option<&mut Option<digest::FileKey>>,
) -> Option<Registry<Source>> {
    let mut registry = Registry::default();
    let opened = if key.is_some() { Table::open_hashed(path, &SOURCES) } else { Table::open(path, &SOURCES) };
    let table = match opened {
        Ok(t) => t,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    let read = table.rows(errors, |row, errors| {
        let Some(id) = collect(errors, row.require(S_ID)) else {
            return;
        };
        if let Some(first_line) = registry.ids.get(id).map(|&ix| registry.lines[ix as usize]) {
            errors
                .push(row.error(S_ID, Problem::DuplicateId { what: "source", value: id.into(), first_line }));
            return;
        }
        let text = |errors: &mut Vec<DataError>, column| -> Box<str> {
            collect(errors, row.get(column)).flatten().unwrap_or("").into()
        };
        let published = collect(errors, row.get(S_PUBLISHED)).flatten().and_then(|value| {
            PartialDate::parse(value)
                .map_err(|reason| {
                    errors.push(row.error(S_PUBLISHED, Problem::InvalidDate { value: value.into(), reason }))
                })
                .ok()
        });
        let reliability = collect(errors, row.get(S_RELIABILITY)).flatten().and_then(|value| {
            value
                .parse::<Reliability>()
                .map_err(|()| {
                    errors.push(row.error(
                        S_RELIABILITY,
                        Problem::NotAllowed { value: value.into(), allowed: RELIABILITY_ALLOWED },
                    ))
                })
                .ok()
        });
        let source = Source {
            id: id.into(),
            title: text(errors, S_TITLE),
            publisher: text(errors, S_PUBLISHER),
            published,
            url: text(errors, S_URL),
            reliability,
        };
        registry.ids.insert(id, registry.items.len() as u32);
        registry.lines.push(row.line);
        registry.items.push(source);
    });
    if let Some(key) = key {
        *key = read;
    }
    Some(registry)
}

/// Files from this size up are read in two halves at once (see [`Table::rows_in_parts`]).
/// Below it a second thread costs more than it saves.
const PARALLEL_FROM_BYTES: u64 = 8 << 20;

/// A registry that the relations only look ids up in (the file was given), or one that they
/// fill (the file is absent: every id named is an item).
enum Known<'a, T> {
    Defined(&'a Registry<T>),
    Implicit(Registry<T>),
}

impl<T> Known<'_, T> {
    fn lookup(&self, id: &str) -> Option<u32> {
        match self {
            Known::Defined(r) => r.lookup(id),
            Known::Implicit(r) => r.lookup(id),
        }
    }

    fn items(&self) -> &[T] {
        match self {
            Known::Defined(r) => &r.items,
            Known::Implicit(r) => &r.items,
        }
    }
}

/// What one part of a relations file gives.
struct Part<'a> {
    relations: Vec<Relation>,
    actors: Known<'a, Actor>,
    sources: Known<'a, Source>,
    /// Every named id, with its line: duplicates are found once all parts are read.
    named_ids: ids::NamedIds,
    /// `Some(day)`: only the relations that may hold on that day are kept.
    day: Option<Day>,
    /// When the file has an id column and only some relations are kept: the lines of the
    /// valid rows without an id that were not kept (their implicit id, the line, is checked
    /// against the named ids like the kept ones').
    dropped: Option<Vec<u32>>,
}

/// Reads and checks the relations, in two halves at once when the file has at least
/// `reading.parallel_from` bytes, keeping those that `reading.day` asks for.
fn read_relations_from(
    path: &Path,
    actors: &mut Option<Registry<Actor>>,
    sources: &mut Option<Registry<Source>>,
    errors: &mut Vec<DataError>,
    reading: Reading,
    key: &mut Option<digest::FileKey>,
) -> Vec<Relation> {
    let (defined_actors, defined_sources) = (actors.as_ref(), sources.as_ref());
    let part = |reserve: usize, has_ids: bool| Part {
        relations: Vec::with_capacity(reserve),
        actors: defined_actors.map_or_else(|| Known::Implicit(Registry::default()), Known::Defined),
        sources: defined_sources.map_or_else(|| Known::Implicit(Registry::default()), Known::Defined),
        named_ids: ids::NamedIds::default(),
        day: reading.day,
        dropped: (has_ids && reading.day.is_some()).then(Vec::new),
    };
    let (parts, shape) = if path.extension().is_some_and(|e| e == "parquet") {
        // The same checks, row by row, as a CSV file's (`relation_row`), in one part.
        let has_ids = true;
        match parquet::rows(path, &RELATIONS, reading.hash, part(0, has_ids), relation_row) {
            Ok((one, shape)) => (vec![one], shape),
            Err(e) => {
                errors.push(e);
                return Vec::new();
            }
        }
    } else {
        let opened =
            if reading.hash { Table::open_hashed(path, &RELATIONS) } else { Table::open(path, &RELATIONS) };
        let table = match opened {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                return Vec::new();
            }
        };
        // Reserved once, with a little room: growing by doubling would, for a moment, hold the
        // old and the new buffer together, which at ten million relations is the peak of
        // memory. The first part reserves room for all, so that appending the second (a copy,
        // while both are alive) does not grow it.
        let estimate = table.estimated_rows();
        let has_ids = table.has(R_ID);
        table.rows_in_parts(
            reading.parallel_from,
            |n| part(if n == 0 { estimate + estimate / 32 } else { estimate / 2 + estimate / 32 }, has_ids),
            relation_row,
        )
    };
    *key = shape.key();
    let mut parts = parts.into_iter();
    let mut first = parts.next().expect("at least one part");
    debug_assert_eq!(first.lines_before, 0, "the first part counts the file's lines");
    let mut named = vec![std::mem::take(&mut first.state.named_ids)];
    let mut whole = first.state;
    errors.extend(first.errors);
    for mut part in parts {
        let mut ids = std::mem::take(&mut part.state.named_ids);
        ids.shift(part.lines_before);
        named.push(ids);
        merge(&mut whole, part, errors);
    }
    let Part { relations, actors: found_actors, sources: found_sources, dropped, .. } = whole;
    let implicit_actors = match found_actors {
        Known::Implicit(registry) => Some(registry),
        Known::Defined(_) => None,
    };
    let implicit_sources = match found_sources {
        Known::Implicit(registry) => Some(registry),
        Known::Defined(_) => None,
    };
    if let Some(registry) = implicit_actors {
        *actors = Some(registry);
    }
    if let Some(registry) = implicit_sources {
        *sources = Some(registry);
    }

    let found = ids::find(named);
    errors.extend(found.duplicates.into_iter().map(|d| {
        shape.error_at(
            d.line,
            R_ID,
            Problem::DuplicateId { what: "relation", value: d.value, first_line: d.first_line },
        )
    }));
    // An implicit id is the row's line number; a named id equal to one would be ambiguous.
    if !found.numbers.is_empty() {
        let kept = relations.iter().filter_map(|r| match r.id {
            RelationId::Line(line) => Some(line),
            RelationId::Named(_) => None,
        });
        for line in kept.chain(dropped.into_iter().flatten()) {
            if let Some(&first_line) = found.numbers.get(&line) {
                errors.push(DataError {
                    location: Box::new(Location {
                        file: path.to_path_buf(),
                        line: Some(u64::from(line)),
                        column: None,
                    }),
                    problem: Problem::DuplicateId { what: "relation", value: line.to_string(), first_line },
                });
            }
        }
    }
    relations
}

/// A relation's implicit id (its line) counted from a part's start, as the file's line,
/// given the lines before the part.
fn shifted(line: u32, by: u64) -> u32 {
    u32::try_from(u64::from(line) + by).unwrap_or(u32::MAX)
}

/// Makes the line numbers of a part that counted them from its start the file's, given the
/// lines before it: those of its rows not kept (implicit relation ids), its problems (and
/// the earlier lines they name, which are in the part), its first named ids, and where its
/// actors were first named. (Its relations' implicit ids are shifted by [`merge`], in the
/// pass that moves them.)
fn shift_lines(part: &mut Part<'_>, part_errors: &mut [DataError], by: u64) {
    if by == 0 {
        return;
    }
    for line in part.dropped.iter_mut().flatten() {
        *line = shifted(*line, by);
    }
    for e in part_errors {
        if let Some(line) = &mut e.location.line {
            *line += by;
        }
        if let Problem::DuplicateId { first_line, .. } = &mut e.problem {
            *first_line += by;
        }
    }
    // (The lines of implicit actors are not shown today; they are kept right all the same.)
    if let Known::Implicit(registry) = &mut part.actors {
        registry.lines.iter_mut().for_each(|line| *line += by);
    }
}

/// Appends a later part to the parts before it, as if the file had been read in one: its
/// lines become the file's ([`shift_lines`]), its implicit actors and sources are numbered
/// after the earlier ones (in order of first use). (Its named ids are taken out before, to be
/// checked with all the others: [`ids::find`].)
fn merge(whole: &mut Part<'_>, part: PartRows<Part<'_>>, errors: &mut Vec<DataError>) {
    let PartRows { state: mut part, errors: mut part_errors, lines_before } = part;
    shift_lines(&mut part, &mut part_errors, lines_before);
    /// The earlier parts' index of each of the part's implicit items, adding those unseen.
    fn renumber<T: Clone>(
        whole: &mut Known<'_, T>,
        part: &Known<'_, T>,
        id: impl Fn(&T) -> &str,
    ) -> Vec<u32> {
        let (Known::Implicit(whole), Known::Implicit(part)) = (whole, part) else {
            return Vec::new();
        };
        part.items
            .iter()
            .zip(&part.lines)
            .map(|(item, &line)| {
                let key = id(item);
                whole.lookup(key).unwrap_or_else(|| {
                    let ix = whole.items.len() as u32;
                    whole.ids.insert(key, ix);
                    whole.lines.push(line);
                    whole.items.push(item.clone());
                    ix
                })
            })
            .collect()
    }
    let actor_ix = renumber(&mut whole.actors, &part.actors, |a: &Actor| &a.id);
    let source_ix = renumber(&mut whole.sources, &part.sources, |s: &Source| &s.id);

    errors.extend(part_errors);
    if let (Some(dropped), Some(more)) = (&mut whole.dropped, part.dropped) {
        dropped.extend(more);
    }

    // Lines shifted and items renumbered as they are moved, in one pass over them.
    whole.relations.extend(part.relations.into_iter().map(|mut r| {
        if let RelationId::Line(line) = &mut r.id {
            *line = shifted(*line, lines_before);
        }
        if !actor_ix.is_empty() {
            r.source = ActorIx(actor_ix[r.source.index()]);
            r.target = ActorIx(actor_ix[r.target.index()]);
        }
        let claimant =
            r.claimant().map(|c| if actor_ix.is_empty() { c } else { ActorIx(actor_ix[c.index()]) });
        if (!source_ix.is_empty() && !r.evidence().is_empty()) || claimant != r.claimant() {
            let evidence: Vec<SourceIx> = if source_ix.is_empty() {
                r.evidence().to_vec()
            } else {
                r.evidence().iter().map(|s| SourceIx(source_ix[s.index()])).collect()
            };
            r.notes = Notes::claimed(evidence, r.summary().into(), claimant);
        }
        r
    }));
}

/// Checks one row of the relations file and keeps its relation when the row is valid.
fn relation_row(part: &mut Part<'_>, row: &Row<'_>, errors: &mut Vec<DataError>) {
    let before = errors.len();
    // A named id is checked against the others once the whole file is read (`ids::find`),
    // and copied only when its relation is kept.
    let named = collect(errors, row.get(R_ID)).flatten();
    match named {
        Some(id) => part.named_ids.push(id, row.line),
        None => part.named_ids.unnamed(),
    }
    let source = actor_cell(row, R_SOURCE, &mut part.actors, errors);
    let target = actor_cell(row, R_TARGET, &mut part.actors, errors);
    let kind = collect(errors, row.require(R_KIND)).and_then(|text| {
        text.parse::<RelationKind>()
            .map_err(|()| {
                errors.push(
                    row.error(R_KIND, Problem::NotAllowed { value: text.into(), allowed: KINDS_ALLOWED }),
                )
            })
            .ok()
    });
    let start = collect(errors, row.require(R_START)).and_then(|text| date_cell(row, R_START, text, errors));
    let end = collect(errors, row.get(R_END)).flatten().map(|text| date_cell(row, R_END, text, errors));
    // In any case: spreadsheets write TRUE and FALSE.
    let directed = collect(errors, row.get(R_DIRECTED)).flatten().and_then(|text| match text {
        _ if text.eq_ignore_ascii_case("true") => Some(true),
        _ if text.eq_ignore_ascii_case("false") => Some(false),
        _ => {
            errors.push(
                row.error(R_DIRECTED, Problem::NotAllowed { value: text.into(), allowed: DIRECTED_ALLOWED }),
            );
            None
        }
    });
    let sources = &mut part.sources;
    let evidence: Vec<SourceIx> = collect(errors, row.get(R_EVIDENCE))
        .flatten()
        .map(split_list)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|id| match sources.lookup(id) {
            Some(ix) => Some(SourceIx(ix)),
            None => match sources {
                Known::Implicit(registry) => Some(SourceIx(intern_source(registry, id))),
                Known::Defined(registry) => {
                    let suggestion = closest(id, registry.items.iter().map(|s| &*s.id));
                    errors
                        .push(row.error(R_EVIDENCE, Problem::UnknownSource { value: id.into(), suggestion }));
                    None
                }
            },
        })
        .collect();
    let summary: Box<str> = collect(errors, row.get(R_SUMMARY)).flatten().unwrap_or("").into();
    // An unknown claimant is reported as an unknown source or target is; without actors.csv
    // it becomes an actor of kind unknown, as they do.
    let claimant = match collect(errors, row.get(R_CLAIMANT)).flatten() {
        Some(_) => actor_cell(row, R_CLAIMANT, &mut part.actors, errors),
        None => None,
    };
    let credibility = collect(errors, row.get(R_CREDIBILITY)).flatten().and_then(|text| {
        text.parse::<Credibility>()
            .map_err(|()| {
                errors.push(row.error(
                    R_CREDIBILITY,
                    Problem::NotAllowed { value: text.into(), allowed: CREDIBILITY_ALLOWED },
                ))
            })
            .ok()
    });

    // Each check runs whenever its own inputs are valid, so that every problem of the row
    // is reported, not only the first.
    let actors = part.actors.items();
    if let (Some(s), Some(t)) = (source, target) {
        if s == t {
            let value = actors[s.index()].id.to_string();
            errors.push(row.error(R_TARGET, Problem::SelfRelation { value }));
        }
    }
    if let (Some(RelationKind::Membership), Some(t), Known::Defined(_)) = (kind, target, &part.actors) {
        let t = &actors[t.index()];
        if !matches!(
            t.kind,
            ActorKind::Alliance | ActorKind::Agreement | ActorKind::Organisation | ActorKind::Unknown
        ) {
            errors.push(row.error(
                R_TARGET,
                Problem::MembershipTarget { value: t.id.to_string(), kind: t.kind.as_str() },
            ));
        }
    }
    // `end` is None for an empty cell, Some(None) for an invalid one (already reported).
    let span = match (start, end) {
        (Some(start), None | Some(Some(_))) => {
            let end = end.flatten();
            Span::new(start, end)
                .map_err(|_| {
                    let end = end.map(|e| e.to_string()).unwrap_or_default();
                    errors
                        .push(row.error(R_END, Problem::EndNotAfterStart { start: start.to_string(), end }));
                })
                .ok()
        }
        _ => None,
    };
    if errors.len() > before {
        return;
    }
    let (Some(source), Some(target), Some(kind), Some(start), Some(span)) =
        (source, target, kind, start, span)
    else {
        return;
    };
    let end = end.flatten();
    let line = || u32::try_from(row.line).unwrap_or(u32::MAX);
    if part.day.is_some_and(|day| span.status_on(day).is_none()) {
        if let (Some(dropped), None) = (&mut part.dropped, named) {
            dropped.push(line());
        }
        return;
    }
    part.relations.push(Relation {
        id: named.map_or_else(|| RelationId::Line(line()), |id| RelationId::Named(id.into())),
        source,
        target,
        kind,
        directed: directed.unwrap_or_else(|| kind.directed_by_default()),
        start,
        end,
        span,
        credibility,
        notes: Notes::claimed(evidence, summary, claimant),
    });
}

fn actor_cell(
    row: &Row<'_>,
    column: usize,
    actors: &mut Known<'_, Actor>,
    errors: &mut Vec<DataError>,
) -> Option<ActorIx> {
    let id = collect(errors, row.require(column))?;
    if let Some(ix) = actors.lookup(id) {
        return Some(ActorIx(ix));
    }
    match actors {
        Known::Implicit(actors) => {
            let ix = actors.items.len() as u32;
            actors.ids.insert(id, ix);
            actors.lines.push(row.line);
            actors.items.push(Actor {
                id: id.into(),
                name: id.into(),
                kind: ActorKind::Unknown,
                parent: None,
                aliases: Box::new([]),
            });
            Some(ActorIx(ix))
        }
        Known::Defined(actors) => {
            let suggestion = actors.suggest(id);
            errors.push(row.error(column, Problem::UnknownActor { value: id.into(), suggestion }));
            None
        }
    }
}

fn intern_source(sources: &mut Registry<Source>, id: &str) -> u32 {
    let ix = sources.items.len() as u32;
    sources.ids.insert(id, ix);
    sources.lines.push(0);
    sources.items.push(Source {
        id: id.into(),
        title: "".into(),
        publisher: "".into(),
        published: None,
        url: "".into(),
        reliability: None,
    });
    ix
}

fn date_cell(row: &Row<'_>, column: usize, text: &str, errors: &mut Vec<DataError>) -> Option<PartialDate> {
    PartialDate::parse(text)
        .map_err(|reason| errors.push(row.error(column, Problem::InvalidDate { value: text.into(), reason })))
        .ok()
}

/// Moves a cell's error into the list, keeping the value.
fn collect<T>(errors: &mut Vec<DataError>, result: Result<T, DataError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// Splits a `;`-separated list, trimming and dropping empty items.
///
/// Items are trimmed of ASCII white space only, as cells are (by the CSV reader): trimming
/// more here would make an id that starts with, say, a no-break space definable in one file
/// but impossible to cite from another.
fn split_list(text: &str) -> Vec<&str> {
    text.split(';')
        .map(|item| item.trim_matches(|c: char| c.is_ascii_whitespace()))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The candidate closest to `value` by edit distance, if it is close enough to be a typo.
fn closest<'a>(value: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let folded = value.to_lowercase();
    let limit = (value.chars().count() / 3).max(1);
    candidates
        .map(|c| (strsim::levenshtein(&folded, &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min()
        .map(|(_, c)| format!("{c:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An id's key as [`Ids::key`] built it first: the bytes copied into a zeroed array,
    /// the length in its last byte. Injective on ids shorter than 16 bytes.
    fn key_by_copy(id: &str) -> Option<u128> {
        let bytes = id.as_bytes();
        let mut key = [0u8; 16];
        match bytes.len() {
            n @ 0..=7 => {
                key[..n].copy_from_slice(bytes);
                key[7] = n as u8;
                Some(u128::from(u64::from_le_bytes(key[..8].try_into().ok()?)))
            }
            n @ 8..=15 => {
                key[..n].copy_from_slice(bytes);
                key[15] = n as u8;
                Some(u128::from_le_bytes(key))
            }
            _ => None,
        }
    }

    proptest! {
        /// Ids are packed by overlapping loads; the key is still the bytes and the length,
        /// so two ids share a key only if they are the same id.
        #[test]
        fn an_id_is_packed_as_its_bytes_and_length(id in "[a-zA-Z0-9é\\x00-]{0,17}") {
            let packed = match Ids::<u32>::key(&id) {
                Key::Tiny(key) => Some(u128::from(key)),
                Key::Short(key) => Some(key),
                Key::Long(long) => {
                    prop_assert_eq!(long, id.as_str());
                    None
                }
            };
            prop_assert_eq!(packed, key_by_copy(&id));
        }
    }

    /// One generated row: id, source, target, kind, start, end, evidence, or a short row.
    fn any_row() -> impl Strategy<Value = String> {
        let id = prop::sample::select(vec!["", "", "", "r1", "r2", "r3", "3", "12"]);
        let actor = prop::sample::select(vec!["A", "B", "C", "Dd", "E1", "", "Zz"]);
        let kind = prop::sample::select(vec!["cooperation", "restriction", "dispute", "membership", "bogus"]);
        let start = prop::sample::select(vec!["2001", "2001-05", "2001-05-03", "2002-13-01", ""]);
        let end = prop::sample::select(vec!["", "", "2000", "2003-02", "2001-05-03"]);
        let evidence = prop::sample::select(vec!["", "", "S1", "S1;S2", "S9"]);
        (id, actor.clone(), actor, kind, start, end, evidence, 0..24u8).prop_map(
            |(id, s, t, kind, start, end, evidence, shape)| match shape {
                0 => format!("{id},{s},{t}"),
                // A byte-order mark that starts a row: one pass keeps it in the first cell, so
                // two halves must too.
                1..=2 => format!("\u{feff}{id},{s},{t},{kind},{start},{end},{evidence}"),
                // A lone carriage return ends a row and a line (Excel's "CSV (Macintosh)").
                3 => format!("{id},{s},{t}\r{id},{s},{t},{kind},{start},{end},{evidence}"),
                // White space: a row of it is a row (of one cell), around a cell it is trimmed.
                4 => " ".repeat(1 + id.len() % 2),
                5 => format!(" {id} ,{s} , {t},{kind} ,{start},{end}, {evidence} "),
                // A long row, across the reading buffer (small in the tests).
                6 => format!("{id},{s},{t},{kind},{start},{end},{evidence}{}", " ".repeat(40)),
                _ => format!("{id},{s},{t},{kind},{start},{end},{evidence}"),
            },
        )
    }

    /// A line end: LF, CRLF or CR alone (Excel's "CSV (Macintosh)").
    fn line_end(style: u8) -> &'static [u8] {
        [&b"\n"[..], b"\r\n", b"\r"][usize::from(style % 3)]
    }

    /// A relations file: rows with random line ends, blank lines and byte-order mark, a header
    /// ending in any line end, a last line with or without its line break, and maybe a quote:
    /// a quoted cell, or one left open in the middle of the file (which takes in the rows
    /// after it).
    fn any_file() -> impl Strategy<Value = Vec<u8>> {
        let rows = prop::collection::vec((any_row(), 0..3u8, 0..8u8), 0..40);
        (rows, any::<bool>(), 0..4u8, 0..3u8, any::<bool>()).prop_map(
            |(rows, bom, quoted, header_end, last_break)| {
                let mut text = Vec::new();
                if bom {
                    text.extend_from_slice(b"\xEF\xBB\xBF");
                }
                text.extend_from_slice(b"id,source,target,kind,start,end,evidence");
                text.extend_from_slice(line_end(header_end));
                let count = rows.len();
                for (i, (row, end, blank)) in rows.into_iter().enumerate() {
                    if quoted == 3 && i == count / 2 {
                        text.extend_from_slice(b"q3,A,B,dispute,2001,,\"oops, S1\n");
                    }
                    text.extend_from_slice(row.as_bytes());
                    if i + 1 < count || last_break || quoted == 1 {
                        text.extend_from_slice(line_end(end));
                    }
                    if blank == 0 {
                        text.extend_from_slice(b"\n");
                    }
                }
                match quoted {
                    // A quote anywhere: the file is then read in one part.
                    1 => text.extend_from_slice(b"\"q1\",A,B,dispute,2001,,\n"),
                    2 => text.extend_from_slice(b"\nq2,A,B,dispute,2001,,\"S1\r\n\"\n"),
                    _ => {}
                }
                text
            },
        )
    }

    /// The outcome of a load, comparable: the data, or every problem as reported.
    fn outcome(dir: &Path, actors: bool, sources: bool, parallel_from: u64) -> Result<String, String> {
        let reading = Reading { parallel_from, day: None, hash: false };
        loaded(dir, actors, sources, reading).map_err(|e| e.to_string()).map(|ds| {
            format!(
                "{:?}\n{:?}\n{:?}\n{:?}",
                ds.actors,
                ds.sources,
                ds.relations,
                ds.timeline().on(jiff::civil::date(2001, 6, 1))
            )
        })
    }

    fn loaded(dir: &Path, actors: bool, sources: bool, reading: Reading) -> Result<Dataset, LoadErrors> {
        let present = |yes: bool, name: &str| yes.then(|| dir.join(name));
        let (a, s) = (present(actors, ACTORS_FILE), present(sources, SOURCES_FILE));
        load_files_with(&dir.join(RELATIONS_FILE), a.as_deref(), s.as_deref(), reading)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Reading the relations in two halves gives exactly what reading them in one does:
        /// the same relations, actors and sources in the same order, or the same problems,
        /// with the same lines (CRLF, blank lines, byte-order mark, duplicate ids across the
        /// halves, unknown actors and sources).
        #[test]
        fn two_halves_read_as_one(file in any_file(), actors in any::<bool>(), sources in any::<bool>()) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(RELATIONS_FILE), &file).unwrap();
            std::fs::write(dir.path().join(ACTORS_FILE), "id,kind\nA,country\nB,country\nC,alliance\nDd,agency\nE1,organisation\n").unwrap();
            std::fs::write(dir.path().join(SOURCES_FILE), "id\nS1\nS2\n").unwrap();
            let one = outcome(dir.path(), actors, sources, u64::MAX);
            let two = outcome(dir.path(), actors, sources, 0);
            prop_assert_eq!(one, two);
        }

        /// Loading the relations of one day ([`load_on`]) checks every row as loading them all
        /// does: the same problems, or the same actors and sources and, of the relations,
        /// those that may hold that day, in the same order.
        #[test]
        fn a_day_is_the_whole_cut_to_it(
            file in any_file(),
            actors in any::<bool>(),
            sources in any::<bool>(),
            parallel in any::<bool>(),
            (year, day) in (1999i16..2005, 0i16..365),
        ) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(RELATIONS_FILE), &file).unwrap();
            std::fs::write(dir.path().join(ACTORS_FILE), "id,kind\nA,country\nB,country\nC,alliance\nDd,agency\nE1,organisation\n").unwrap();
            std::fs::write(dir.path().join(SOURCES_FILE), "id\nS1\nS2\n").unwrap();
            let on = jiff::civil::date(year, 1, 1).checked_add(jiff::Span::new().days(day)).unwrap();
            let parallel_from = if parallel { 0 } else { u64::MAX };
            let whole = loaded(dir.path(), actors, sources, Reading { parallel_from, day: None, hash: false });
            let cut = loaded(dir.path(), actors, sources, Reading { parallel_from, day: Some(on), hash: false });
            match (whole, cut) {
                (Ok(whole), Ok(cut)) => {
                    prop_assert!(!cut.is_whole() && cut.covers(on));
                    prop_assert!(whole.agrees_with(&cut), "{:?}\n{:?}", whole.relations, cut.relations);
                }
                (whole, cut) => prop_assert_eq!(
                    whole.map(|_| ()).map_err(|e| e.to_string()),
                    cut.map(|_| ()).map_err(|e| e.to_string())
                ),
            }
        }
    }

    /// One dataset with every line written with one line end: rows, blank lines, a quoted
    /// cell holding line breaks, and maybe an error on some row.
    fn any_rows() -> impl Strategy<Value = Vec<(String, bool)>> {
        prop::collection::vec((any_row(), any::<bool>()), 0..30)
            .prop_map(|rows| rows.into_iter().filter(|(row, _)| !row.contains('\r')).collect())
    }

    fn written_with(rows: &[(String, bool)], end: &str) -> String {
        let mut text = format!("id,source,target,kind,start,end,evidence{end}");
        for (i, (row, blank)) in rows.iter().enumerate() {
            if i == rows.len() / 2 {
                text.push_str(&format!(",A,B,dispute,2001,,\"S1;{end}S2\"{end}"));
            }
            text.push_str(row);
            text.push_str(end);
            if *blank {
                text.push_str(end);
            }
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        /// Regression (issue 13): CR-only line ends counted no lines, so every error was on
        /// line 1 and every relation without an id had the id "1". A dataset written with
        /// LF, CRLF or CR alone now loads alike: the same relations and implicit ids, or
        /// the same problems on the same lines, read in one part or in two halves.
        #[test]
        fn line_ends_do_not_change_what_is_loaded(rows in any_rows(), actors in any::<bool>(), parallel in any::<bool>()) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(ACTORS_FILE), "id,kind\nA,country\nB,country\nC,alliance\nDd,agency\nE1,organisation\n").unwrap();
            std::fs::write(dir.path().join(SOURCES_FILE), "id\nS1\nS2\n").unwrap();
            let parallel_from = if parallel { 0 } else { u64::MAX };
            let outcomes: Vec<_> = ["\n", "\r\n", "\r"]
                .into_iter()
                .map(|end| {
                    std::fs::write(dir.path().join(RELATIONS_FILE), written_with(&rows, end)).unwrap();
                    outcome(dir.path(), actors, true, parallel_from)
                })
                .collect();
            prop_assert_eq!(&outcomes[0], &outcomes[1], "LF and CRLF");
            prop_assert_eq!(&outcomes[0], &outcomes[2], "LF and CR");
        }
    }

    /// Regression (issue 13): an unterminated quote took every later row into its cell, and
    /// the load succeeded. It is reported at its line and cell, with the rows it took in,
    /// whichever way the file is read, in each of the three files.
    #[test]
    fn an_unterminated_quote_is_reported_with_the_rows_it_would_take_in() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write(ACTORS_FILE, "id,kind\nA,country\nB,country\n");
        write(SOURCES_FILE, "id\nS1\n");
        let relations = "id,source,target,kind,start,summary\nR0,A,B,cooperation,2019,\"fine\"\nR1,A,B,cooperation,2020,\"oops\nR2,A,B,dispute,2021,\n\nR3,A,B,dispute,2022,\n";
        write(RELATIONS_FILE, relations);
        for parallel_from in [0, u64::MAX] {
            let errors = loaded(dir.path(), true, true, Reading { parallel_from, day: None, hash: false })
                .unwrap_err();
            assert_eq!(errors.0.len(), 1, "{errors}");
            let e = &errors.0[0];
            assert_eq!((e.location.line, e.location.column.clone()), (Some(3), Some((6, "summary".into()))));
            assert_eq!(e.problem, Problem::UnterminatedQuote { rows: 2 });
        }
        // Not in the last column: the row would be ragged, but the quote is the problem.
        write(RELATIONS_FILE, "source,target,kind,start\nA,\"B,cooperation,2020\nA,B,dispute,2021\n");
        let e = &load(dir.path()).unwrap_err().0[0];
        assert_eq!((e.location.line, e.problem.clone()), (Some(2), Problem::UnterminatedQuote { rows: 1 }));
        write(RELATIONS_FILE, "source,target,kind,start\nA,B,cooperation,2020\n");
        write(ACTORS_FILE, "id,kind\nA,\"country\nB,country\n");
        let e = &load(dir.path()).unwrap_err().0[0];
        assert_eq!(
            e.to_string(),
            format!(
                "{}:2:2: column kind: {}",
                dir.path().join(ACTORS_FILE).display(),
                Problem::UnterminatedQuote { rows: 1 }
            )
        );
        write(ACTORS_FILE, "id,kind\nA,country\nB,country\n");
        write(SOURCES_FILE, "id,title\n\"S1,x\nS2,y\n");
        let e = &load(dir.path()).unwrap_err().0[0];
        assert_eq!(
            e.to_string(),
            format!(
                "{}:2:1: column id: {}",
                dir.path().join(SOURCES_FILE).display(),
                Problem::UnterminatedQuote { rows: 1 }
            )
        );
        // In the header: the whole file is taken in.
        write(SOURCES_FILE, "id,\"title\nS1,x\nS2,y\n");
        let e = &load(dir.path()).unwrap_err().0[0];
        assert_eq!((e.location.line, e.problem.clone()), (Some(1), Problem::UnterminatedQuote { rows: 2 }));
    }

    /// The whole dataset read after a cut of it is checked against the cut
    /// (`Dataset::agrees_with`): the files may change between the two reads (regression: a
    /// `path` without an index, reading the whole after finding no path on the day, used the
    /// cut's actor indexes on a changed file and panicked).
    #[test]
    fn a_whole_read_again_agrees_with_its_cut_only_if_nothing_changed() {
        let dir = tempfile::tempdir().unwrap();
        let write = |text: &str| std::fs::write(dir.path().join(RELATIONS_FILE), text).unwrap();
        let day = jiff::civil::date(2001, 6, 1);
        let base = "source,target,kind,start,end\nA,B,dispute,2001,\nB,C,dispute,1990,1995\n";
        write(base);
        let cut = load_on(dir.path(), day).unwrap();
        assert!(load(dir.path()).unwrap().agrees_with(&cut));
        // Another relation that day, one fewer, another actor, the same relations in another
        // order of first use: each is a change.
        for changed in [
            "source,target,kind,start,end\nA,B,dispute,2001,\nB,C,dispute,1990,\n",
            "source,target,kind,start,end\nB,C,dispute,1990,1995\n",
            "source,target,kind,start,end\nA,B,dispute,2001,\nB,D,dispute,1990,1995\n",
            "source,target,kind,start,end\nB,C,dispute,1990,1995\nA,B,dispute,2001,\n",
        ] {
            write(changed);
            assert!(!load(dir.path()).unwrap().agrees_with(&cut), "{changed:?}");
        }
        // A change to a relation that does not hold that day keeps the actors and the day:
        // the answers about the day stand.
        write("source,target,kind,start,end\nA,B,dispute,2001,\nB,C,cooperation,1990,1995\n");
        assert!(load(dir.path()).unwrap().agrees_with(&cut));
    }

    /// Regression: `load_in_halves` was compiled only for the fuzz targets, so when `Reading`
    /// gained a field it was left behind and `cargo fuzz build` failed; compiling it in the
    /// tests too keeps it in step, and it reads what `load` reads.
    #[test]
    fn load_in_halves_reads_what_load_reads() {
        let dir = tempfile::tempdir().unwrap();
        let rows: String = std::iter::once("source,target,kind,start\n".to_string())
            .chain((0..50).map(|i| format!("A{i},B{i},dispute,20{:02}\n", i % 30)))
            .collect();
        std::fs::write(dir.path().join(RELATIONS_FILE), rows).unwrap();
        let one = load(dir.path()).unwrap();
        let two = load_in_halves(dir.path()).unwrap();
        assert_eq!(format!("{:?}", one.relations), format!("{:?}", two.relations));
        assert_eq!(one.actors.len(), two.actors.len());
    }

    proptest! {
        /// The duplicate relation ids a load reports, read in one pass or in two halves, whole
        /// or cut to a day, are those found by comparing every row with the rows before it:
        /// each repeat of a named id against its first line, and each row without an id whose
        /// line is a named id (`3`) against that id's first line.
        #[test]
        fn duplicate_ids_are_those_of_brute_force(
            ids in prop::collection::vec(
                prop::sample::select(vec!["", "", "r1", "r2", "3", "5", "7", "03", "a-long-relation-id-12345"]),
                1..40,
            ),
            halves in any::<bool>(),
            day in any::<bool>(),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let mut text = String::from("id,source,target,kind,start,end\n");
            for (i, id) in ids.iter().enumerate() {
                let years = if i % 2 == 0 { "2001,2002" } else { "2010," };
                text.push_str(&format!("{id},A{i},B{i},dispute,{years}\n"));
            }
            std::fs::write(dir.path().join(RELATIONS_FILE), text).unwrap();
            // Row k is on line k + 2.
            let mut expected = Vec::new();
            for (k, id) in ids.iter().enumerate() {
                let line = k as u64 + 2;
                let first = |value: &str| ids[..].iter().position(|other| *other == value).map(|j| j as u64 + 2);
                if id.is_empty() {
                    if let Some(first_line) = first(&line.to_string()) {
                        expected.push((line, line.to_string(), first_line));
                    }
                } else if let Some(first_line) = first(id).filter(|&f| f < line) {
                    expected.push((line, id.to_string(), first_line));
                }
            }
            expected.sort();
            let reading = Reading {
                parallel_from: if halves { 0 } else { u64::MAX },
                day: day.then(|| crate::date::parse_day("2001-06-01").unwrap()),
                hash: false,
            };
            let present = |name: &str| Some(dir.path().join(name)).filter(|p| p.exists());
            let result = load_files_with(
                &dir.path().join(RELATIONS_FILE),
                present(ACTORS_FILE).as_deref(),
                present(SOURCES_FILE).as_deref(),
                reading,
            );
            let mut found: Vec<(u64, String, u64)> = match result {
                Ok(_) => Vec::new(),
                Err(LoadErrors(errors)) => errors
                    .into_iter()
                    .map(|e| match e.problem {
                        Problem::DuplicateId { what: "relation", value, first_line } => {
                            (e.location.line.unwrap(), value, first_line)
                        }
                        other => panic!("only duplicates are expected, not {other:?}"),
                    })
                    .collect(),
            };
            found.sort();
            prop_assert_eq!(found, expected);
        }
    }

    /// A claimant names an actor as source and target do: read in two halves, those first
    /// named in the second half (and those named in both) are numbered as one pass numbers them.
    #[test]
    fn claimants_read_in_halves_are_the_claimants_read_in_one() {
        let dir = tempfile::tempdir().unwrap();
        let rows: String = std::iter::once("source,target,kind,start,claimant,credibility\n".to_string())
            .chain((0..60).map(|i| {
                let claimant = match i % 3 {
                    0 => format!("P{}", i % 7),
                    1 => format!("A{}", 59 - i),
                    _ => String::new(),
                };
                format!("A{i},B{i},dispute,20{:02},{claimant},{}\n", i % 30, ["", "1", "6"][i % 3])
            }))
            .collect();
        std::fs::write(dir.path().join(RELATIONS_FILE), rows).unwrap();
        let one = load(dir.path()).unwrap();
        let two = load_in_halves(dir.path()).unwrap();
        assert_eq!(format!("{:?}", one.relations), format!("{:?}", two.relations));
        assert_eq!(one.actors, two.actors);
        let claimant =
            |ds: &Dataset, i: usize| ds.relations[i].claimant().map(|c| ds.actor(c).id.to_string());
        assert_eq!(claimant(&two, 57), Some("P1".to_string()));
        assert_eq!(claimant(&two, 58), Some("A1".to_string()));
        assert_eq!(two.relations[58].credibility, Some(Credibility::Confirmed));
        assert_eq!(claimant(&two, 59), None);
    }

    /// Regression: the halves opened the file again by name, so a file put in its place
    /// meanwhile was read in part (rows cut at the old file's offsets, reported as ragged).
    #[test]
    fn the_halves_read_the_file_that_was_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(RELATIONS_FILE);
        let old: String = std::iter::once("source,target,kind,start\n".to_string())
            .chain((0..200).map(|i| format!("A{i},B{i},dispute,2001\n")))
            .collect();
        std::fs::write(&path, &old).unwrap();
        let table = Table::open(&path, &RELATIONS).unwrap();
        let other = dir.path().join("other.csv");
        std::fs::write(&other, "source,target,kind,start\nX,Y,cooperation,1999-01-01,extra\n").unwrap();
        std::fs::rename(&other, &path).unwrap();
        let (parts, _) = table.rows_in_parts(
            0,
            |_| Vec::new(),
            |rows: &mut Vec<String>, row, _| rows.push(row.require(R_SOURCE).unwrap().to_string()),
        );
        assert_eq!(parts.len(), 2, "read in two halves");
        let sources: Vec<String> = parts
            .into_iter()
            .flat_map(|part| {
                assert!(part.errors.is_empty(), "{:?}", part.errors);
                part.state
            })
            .collect();
        assert_eq!(sources, (0..200).map(|i| format!("A{i}")).collect::<Vec<_>>());
    }

    #[test]
    fn a_file_without_quotes_is_split_after_a_line_break_past_its_middle() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(RELATIONS_FILE);
        std::fs::write(
            &path,
            "source,target,kind,start\nA,B,dispute,2001\nB,C,dispute,2002\nC,D,dispute,2003\n",
        )
        .unwrap();
        let (parts, _) = Table::open(&path, &RELATIONS).unwrap().rows_in_parts(
            0,
            |_| Vec::new(),
            |lines: &mut Vec<u64>, row, _| lines.push(row.line),
        );
        let lines: Vec<Vec<u64>> = parts
            .into_iter()
            .map(|part| {
                assert!(part.errors.is_empty());
                part.state.into_iter().map(|line| line + part.lines_before).collect()
            })
            .collect();
        assert_eq!(lines, [vec![2, 3], vec![4]], "two parts, with the file's line numbers");

        std::fs::write(&path, "source,target,kind,start,summary\nA,B,dispute,2001,\"x\"\nB,C,dispute,2002,\nC,D,dispute,2003,\n").unwrap();
        let (parts, _) = Table::open(&path, &RELATIONS).unwrap().rows_in_parts(0, |_| (), |(), _, _| {});
        assert_eq!(parts.len(), 1, "a quote keeps the file in one part");
    }

    /// Regression (issue 13): the duplicate-column check compared each name with every one
    /// before it, so a header of 100,000 columns took 12 to 45 seconds. This header bounds
    /// the work by its size: a quadratic check (5 billion comparisons) keeps the suite busy
    /// for minutes rather than failing.
    #[test]
    fn a_very_wide_header_is_checked_for_duplicates_in_linear_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(RELATIONS_FILE);
        let mut header: String = (0..100_000).map(|i| format!("extra{i},")).collect();
        header.push_str("source,target,kind,start,extra99999\n");
        std::fs::write(&path, header).unwrap();
        let Err(e) = Table::open(&path, &RELATIONS) else { panic!("a duplicate column is an error") };
        assert_eq!(e.problem, Problem::DuplicateColumn { name: "extra99999".into() });
        assert_eq!(e.location.column, Some((100_005, "extra99999".into())));
    }

    /// Regression (issue 13): a known column spelt `End` was ignored as an extra column,
    /// and the relation stayed in force years after it ended. Known columns are matched
    /// ignoring case and spaces; a header one slip from a known column that is absent is
    /// refused, with the known name; in each of the three files.
    #[test]
    fn known_columns_are_matched_ignoring_case_and_spaces_and_near_misses_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        let first_error = || load(dir.path()).unwrap_err().0.into_iter().next().unwrap();
        write(ACTORS_FILE, "ID , Name,KIND,parent\nA,Alpha,country,\nB,Beta,agency,A\n");
        write(SOURCES_FILE, "Id,URL,Reliability\nS1,https://example.org,B\n");
        for end in ["End", " end ", "END", "e nd"] {
            write(
                RELATIONS_FILE,
                &format!("source,target,Kind,start,{end},notes,Evidence\nA,B,dispute,2001,2002,x,S1\n"),
            );
            let ds = load(dir.path()).unwrap();
            assert_eq!(ds.relations[0].end.map(|d| d.to_string()).as_deref(), Some("2002"), "{end:?}");
            assert_eq!(ds.relations[0].evidence().len(), 1);
            assert_eq!((&*ds.actors[0].name, ds.actors[1].parent), ("Alpha", Some(ActorIx(0))));
            assert_eq!(ds.sources[0].url.as_ref(), "https://example.org");
        }
        write(RELATIONS_FILE, "source,target,kind,start,end,End\nA,B,dispute,2001,2002,2003\n");
        let e = first_error();
        assert_eq!(
            (e.location.column, e.problem),
            (Some((6, "End".into())), Problem::DuplicateColumn { name: "End".into() })
        );
        for (header, known) in [
            ("ends", "end"),
            ("edn", "end"),
            ("end_date", "end"),
            ("Start Date", "start"),
            ("sorce", "source"),
            ("id_old", "id"),
        ] {
            let mut columns =
                ["source", "target", "kind", "start"].map(|c| if c == known { header } else { c }).to_vec();
            if !columns.contains(&header) {
                columns.push(header);
            }
            write(RELATIONS_FILE, &format!("{}\n", columns.join(",")));
            let e = first_error();
            let at = columns.iter().position(|&c| c == header).unwrap() + 1;
            assert_eq!(e.location.line, Some(1));
            assert_eq!(e.location.column, Some((at, header.to_string())), "{header}");
            assert_eq!(e.problem, Problem::MisspeltColumn { name: header.into(), known }, "{header}");
            assert!(e.to_string().contains(&format!("did you mean {known}?")), "{e}");
        }
        // Near a known column that is present, or not near one: an extra column, ignored.
        write(
            RELATIONS_FILE,
            "source,target,kind,start,end,ends,notes,confidence,ix\nA,B,dispute,2001,2002,x,y,z,w\n",
        );
        assert_eq!(load(dir.path()).unwrap().relations.len(), 1);
        write(RELATIONS_FILE, "source,target,kind,start\nA,B,dispute,2001\n");
        write(ACTORS_FILE, "id,name,kind,parnet\nA,Alpha,country,\n");
        assert_eq!(first_error().problem, Problem::MisspeltColumn { name: "parnet".into(), known: "parent" });
        write(ACTORS_FILE, "id,name,kind,parent\nA,Alpha,country,\nB,Beta,country,\n");
        write(SOURCES_FILE, "id,urls\nS1,x\n");
        assert_eq!(first_error().problem, Problem::MisspeltColumn { name: "urls".into(), known: "url" });
    }

    /// Regression (issue 13): a quoted cell of 10 MB of line breaks took 2 GB: every line
    /// break was kept until its row was read (see `lines`), and the second half of the
    /// file, which starts inside the cell, read the cell's lines as millions of ragged rows,
    /// with an error each, before its quote sent the file to the CSV reader. A half now
    /// stops once the other has met a quote (see `table::tests`); the lines after the cell
    /// are right.
    #[test]
    fn a_long_multi_line_cell_is_read_and_the_lines_after_it_are_right() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("source,target,kind,start,summary\nA,B,dispute,2001,\"");
        text.push_str(&"x\r\n".repeat(300_000));
        text.push_str("\"\nA,B,dispute,2002,\nA,B,bogus,2003,\n");
        std::fs::write(dir.path().join(RELATIONS_FILE), text).unwrap();
        for parallel_from in [0, u64::MAX] {
            let errors = loaded(dir.path(), false, false, Reading { parallel_from, day: None, hash: false })
                .unwrap_err();
            assert_eq!(errors.0.len(), 1, "{errors}");
            assert_eq!(errors.0[0].location.line, Some(300_004));
        }
    }
}
