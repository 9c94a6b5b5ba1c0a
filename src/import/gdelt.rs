//! GDELT event exports (1.0 and 2.0, plain or zipped as published) into point events between
//! two actors, one per valid row, for the shared aggregation into dated relations.
//!
//! # The files
//!
//! GDELT event files are tab-separated, without a header and without quoting, despite their
//! `.CSV` name. The version is told by the column count of the first row whose count is known:
//!
//! | columns | version |
//! |---|---|
//! | 57 | GDELT 1.0, historical backfile (events before April 2013: no `SOURCEURL`) |
//! | 58 | GDELT 1.0, daily files (`SOURCEURL` last, column 57) |
//! | 61 | GDELT 2.0 (an `ADM2Code` added to each of the three geography blocks; `SOURCEURL` is column 60) |
//!
//! Every later row of the file must be of the same version (57 and 58 mix freely: published
//! samples concatenate backfile and daily rows). Columns 0 to 35 are the same in both versions,
//! and those are the ones read (0-based):
//!
//! | index | column | use |
//! |---|---|---|
//! | 0 | `GLOBALEVENTID` | the event and source id `gdelt:<id>` |
//! | 1 | `SQLDATE` | the event's day (`YYYYMMDD`) |
//! | 5, 15 | `Actor1Code`, `Actor2Code` | with `--actors code`: the actor |
//! | 7, 17 | `Actor1CountryCode`, `Actor2CountryCode` | the actor's country |
//! | 25 | `IsRootEvent` | `--root-only` (0 or 1) |
//! | 26 | `EventCode` | the kind, through the CAMEO map ([`cameo::CameoMap`]); the source's title (with its CAMEO label) |
//! | 28 | `EventRootCode` | checked: the root of `EventCode` |
//! | 29 | `QuadClass` | checked (1 to 4), but the CAMEO map decides the kind |
//! | 30 | `GoldsteinScale` | the event's Goldstein score (may be empty) |
//! | 32, 33 | `NumSources`, `NumArticles` | `--min-sources`, `--min-articles` (whole numbers), and the evidence ranking |
//! | 56 (1.0, 58 columns), 59 (2.0) | `DATEADDED` | the source's published date: the day GDELT saw the article |
//! | 57 (1.0, 58 columns), 60 (2.0) | `SOURCEURL` | the source's url |
//!
//! Zip archives as published (and `.gz`, `.zst`) are opened by [`crate::import::input`]:
//! rejected rows name a member as `ARCHIVE.zip/MEMBER.CSV`.
//!
//! # Actors
//!
//! By default an actor is its country: id the ISO 3166-1 alpha-3 code of the CAMEO country
//! code ([`ids::from_cameo`]: the code itself but for `ROM`, `TMP` and a few more), name from
//! the CAMEO country table (the code itself when the table does not know it), kind country, or
//! region for CAMEO's regions (`AFR`, `EUR`, `WSB`). With
//! `--actors code` it is the full actor code (`USAGOV`, `COLSPY`): an agency whose parent is the
//! country of the country-code column, and whose name is read from the code itself, three
//! letters at a time, with the CAMEO country and actor-type tables: `USAGOV` is "United States
//! Government (USAGOV)", `MNCUSAMED` "Multinational Corporation United States Media
//! (MNCUSAMED)"; a part neither table knows stays as written (`IGOEUREEC`: "Inter-Governmental
//! Organization Europe EEC (IGOEUREEC)"). Names come from the code and not from `Actor1Name`,
//! which names whatever one article mentioned (`USAGOV` is "HILLARY CLINTON" in one row,
//! "OBAMA" in the next), so an actor's name does not depend on which row came first. A code
//! equal to its country's code, or an empty code, is the country itself; a code that is
//! another country's code is that country.
//!
//! # Rows
//!
//! Every row is counted. A bad row is rejected with its file, line and a precise reason (wrong
//! column count, a missing or invalid `GLOBALEVENTID`, `SQLDATE`, `EventCode`, `EventRootCode`,
//! `QuadClass`, `GoldsteinScale`, `IsRootEvent`, `NumSources`, `NumArticles` or `DATEADDED`, a
//! malformed country or actor code); a valid row without a country on one side, or with the
//! same actor on both sides, is skipped and counted by reason (a relation needs two actors),
//! and then one whose code the CAMEO map skips, or that a quality filter (`--root-only`,
//! `--min-sources`, `--min-articles`) removes, so that each of those counts is exactly what it
//! removed. A row whose `GLOBALEVENTID` was met before is a duplicate before anything else. Validation comes first, so the rejected rows are the same
//! whichever `--actors` is chosen. Each remaining row is one event, and its source:
//! "GDELT 2.0 event 881990833: CAMEO 040 (Consult, not specified below)", published by GDELT
//! on the article's day (`DATEADDED`: an event's day is often days or years before the
//! article that reports it), with the article's url. Backfile rows (57 columns) have no
//! published date: their `DATEADDED` is the day in 2013 the backfile was coded.
//!
//! The CAMEO event labels are `cameo_eventcodes.tsv` and the actor types
//! `cameo_actortype.tsv` beside this file: `CAMEO.eventcodes.txt` and `CAMEO.actortype.txt` as
//! published with GDELT's lookup tables, unmodified (one mis-encoded label is corrected in
//! `EVENT_CORRECTIONS`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::{Mutex, OnceLock, PoisonError};

use anyhow::{Context, Result};
use csv::ByteRecord;

use crate::date::{Day, PartialDate, MAX_YEAR, MIN_YEAR};
use crate::import::{
    aggregate, cameo, ids, parallel, ActorMode, ActorSpec, Builder, Lines, Options, Progress, SourceSpec,
};
use crate::model::{ActorKind, RelationKind};

const GLOBALEVENTID: usize = 0;
const SQLDATE: usize = 1;
const ACTOR1_CODE: usize = 5;
const ACTOR1_COUNTRY: usize = 7;
const ACTOR2_CODE: usize = 15;
const ACTOR2_COUNTRY: usize = 17;
const IS_ROOT_EVENT: usize = 25;
const EVENT_CODE: usize = 26;
const EVENT_ROOT_CODE: usize = 28;
const QUAD_CLASS: usize = 29;
const GOLDSTEIN: usize = 30;
const NUM_SOURCES: usize = 32;
const NUM_ARTICLES: usize = 33;

static EVENT_CODES: &str = include_str!("cameo_eventcodes.tsv");
static ACTOR_TYPES: &str = include_str!("cameo_actortype.tsv");

/// Mis-encoded labels in the published event-code table, corrected here: (code, label).
const EVENT_CORRECTIONS: [(&str, &str); 1] = [("044", "Meet at a “third” location")];

/// The skip reasons, as counted in the report.
const NO_COUNTRY_1: &str = "no country for actor 1";
const NO_COUNTRY_2: &str = "no country for actor 2";
const NO_COUNTRY_EITHER: &str = "no country for either actor";
const SAME_ACTOR: &str = "same actor on both sides";
const NOT_ROOT: &str = "not a root event (--root-only)";
const FEW_SOURCES: &str = "fewer sources than --min-sources";
const FEW_ARTICLES: &str = "fewer articles than --min-articles";

/// The GDELT version of a row, from its column count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

impl Version {
    fn of(columns: usize) -> Option<Version> {
        match columns {
            57 | 58 => Some(Version::V1),
            61 => Some(Version::V2),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Version::V1 => "GDELT 1.0",
            Version::V2 => "GDELT 2.0",
        }
    }

    /// The `DATEADDED` column of a row with `columns` columns, where it is the article's
    /// date: the daily files of 1.0 and every file of 2.0. The 1.0 backfile (57 columns) has
    /// the column too, but there it is the day in 2013 the backfile was coded, not the
    /// article's, so backfile sources have no published date.
    fn dateadded_column(self, columns: usize) -> Option<usize> {
        match (self, columns) {
            (Version::V1, 58) => Some(56),
            (Version::V2, _) => Some(59),
            _ => None,
        }
    }

    /// The `SOURCEURL` column of a row with `columns` columns.
    fn url_column(self, columns: usize) -> Option<usize> {
        match (self, columns) {
            (Version::V1, 58) => Some(57),
            (Version::V2, _) => Some(60),
            _ => None,
        }
    }
}

/// The files of a folder this importer reads: event exports (`.export.CSV`, GDELT 1.0's
/// `.csv` and `.tsv` samples), not GDELT 2.0's mentions and GKG files beside them.
pub const FILES: crate::import::input::Matching =
    crate::import::input::Matching { extensions: &["csv", "tsv"], excluded: &[".mentions.", ".gkg."] };

/// Reads one GDELT event file into the builder; `name` is the file's name in messages and
/// rejects.csv (a zip archive or a compressed file is opened by [`crate::import::input`]).
///
/// # Errors
/// When the file cannot be read, or (with `--strict`) at the first bad row.
pub fn read(
    name: &Path,
    input: &mut dyn Read,
    builder: &mut Builder,
    options: &Options,
    progress: &Progress,
) -> Result<()> {
    match parallel::chunking() {
        Some(size) => read_chunked(input, size, name, builder, options, progress),
        None => read_rows(input, name, builder, options, progress),
    }
}

/// Streams the rows of one event file on one thread, the csv crate finding its lines: the
/// reference the chunked read is tested against (each row is read and folded as there).
fn read_rows(
    input: impl Read,
    file: &Path,
    builder: &mut Builder,
    options: &Options,
    progress: &Progress,
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .flexible(true)
        .quoting(false)
        .from_reader(Lines::with(input, crate::load::lines::Dialect { delimiter: b'\t', quoting: false }));
    let meanings = Meanings::new(options.cameo);
    let mut fold = Fold::new(file, options.actors);
    let mut record = ByteRecord::new();
    let mut row = Vec::new();
    let mut tabs = Vec::new();
    let mut found = Vec::with_capacity(1);
    let mut result = Ok(());
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                result = Err(anyhow::Error::new(e).context(format!("cannot read {}", file.display())));
                break;
            }
        }
        let line = reader.get_mut().line_at(record.position().map_or(0, csv::Position::byte));
        // The fields joined by the tabs the reader split them at: the row as read.
        row.clear();
        for (i, cell) in record.iter().enumerate() {
            if i > 0 {
                row.push(b'\t');
            }
            row.extend_from_slice(cell);
        }
        let parsed;
        found.clear();
        (parsed, tabs) = parse_row(&row, tabs, options, &meanings, &mut found);
        result = fold.row(builder, progress, line, &row, parsed, &found);
        if result.is_err() {
            break;
        }
    }
    fold.flush(builder);
    result
}

/// The id prefix of GDELT events.
const PREFIX: &str = "gdelt:";

/// The fields read at the start of a row: `GLOBALEVENTID` to `NumArticles`; of the rest, only
/// the last two (`DATEADDED` and `SOURCEURL`) are read.
const FRONT: usize = NUM_ARTICLES + 1;

/// A row split at its tabs, as the CSV reader (tab-separated, unquoted) splits it: where the
/// first [`FRONT`] fields end, and the last two fields. The fields between (geography and
/// names) are counted, not placed.
struct Split<'a> {
    row: &'a [u8],
    /// The row as text, when it is valid UTF-8 (then so is every field).
    text: Option<&'a str>,
    /// Where the first fields end (their tabs): every tab, or the first [`FRONT`].
    tabs: Vec<usize>,
    /// How many tabs the row has.
    count: usize,
    /// The last two tabs, when they are not in `tabs`.
    last: Option<(usize, usize)>,
}

impl<'a> Split<'a> {
    fn new(row: &'a [u8], mut tabs: Vec<usize>) -> Split<'a> {
        tabs.clear();
        let mut count = scan_tabs(row, FRONT, &mut tabs);
        let mut last = None;
        if count - tabs.len() >= 2 {
            let t1 = memchr::memrchr(b'\t', row);
            let t0 = t1.and_then(|t1| memchr::memrchr(b'\t', &row[..t1]));
            last = t0.zip(t1);
        }
        if last.is_none() && count > tabs.len() {
            tabs.clear();
            count = scan_tabs(row, usize::MAX, &mut tabs);
        }
        Split { row, text: std::str::from_utf8(row).ok(), tabs, count, last }
    }

    /// A field as read: `None` past the last field, or for a field between the first
    /// [`FRONT`] and the last two.
    fn get(&self, index: usize) -> Option<&'a [u8]> {
        let start = |i: usize| if i == 0 { 0 } else { self.tabs[i - 1] + 1 };
        let (from, to) = if index < self.tabs.len() {
            (start(index), self.tabs[index])
        } else if index == self.count && self.tabs.len() == self.count {
            (start(index), self.row.len())
        } else {
            match self.last {
                Some((_, t1)) if index == self.count => (t1 + 1, self.row.len()),
                Some((t0, t1)) if index + 1 == self.count => (t0 + 1, t1),
                _ => return None,
            }
        };
        Some(&self.row[from..to])
    }

    fn len(&self) -> usize {
        self.count + 1
    }

    /// Where a field is in the row, trimmed as [`field`] trims it (empty when there is no
    /// such field).
    fn span(&self, index: usize) -> Span {
        let Some(bytes) = self.get(index) else { return Span::default() };
        let trimmed = bytes.trim_ascii();
        let start = trimmed.as_ptr() as usize - self.row.as_ptr() as usize;
        Span { start, end: start + trimmed.len() }
    }
}

/// Where a field is in its row: a parsed event keeps places, not copies of its text.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    fn of(self, row: &[u8]) -> &[u8] {
        &row[self.start..self.end]
    }
}

/// Pushes where the first `front` of `row`'s tabs are, and counts them all, eight bytes at a
/// time: a GDELT row has a tab every six bytes or so, too dense for `memchr`'s search, which
/// restarts at every hit.
fn scan_tabs(row: &[u8], front: usize, out: &mut Vec<usize>) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const TABS: u64 = 0x0909_0909_0909_0909;
    let first = out.len();
    let mut at = 0;
    // Tabs seen in the word that placed the last of `front`, after it.
    let mut unplaced = 0;
    while out.len() - first < front {
        let Some(word) = row.get(at..at + 8) else { break };
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes")) ^ TABS;
        // 0x80 in exactly the bytes of `x` that are zero (the tabs), no carry between bytes.
        let mut zero = !(((x & LOW7) + LOW7) | x | LOW7);
        while zero != 0 {
            if out.len() - first < front {
                out.push(at + (zero.trailing_zeros() / 8) as usize);
            } else {
                unplaced += 1;
            }
            zero &= zero - 1;
        }
        at += 8;
    }
    let rest = &row[at..];
    if out.len() - first < front {
        for (i, _) in rest.iter().enumerate().filter(|(_, &b)| b == b'\t') {
            if out.len() - first < front {
                out.push(at + i);
            } else {
                unplaced += 1;
            }
        }
    } else {
        // Counted only, in byte-wide sums the compiler turns into vector compares (a wider
        // count widens every byte first).
        unplaced += rest
            .chunks(255)
            .map(|part| usize::from(part.iter().fold(0u8, |n, &b| n + u8::from(b == b'\t'))))
            .sum::<usize>();
    }
    out.len() - first + unplaced
}

/// One row as read on its own; what depends on the rows before it (whether its id was met,
/// the file's version) is decided when it is folded, in input order.
struct Parsed {
    /// Its `GLOBALEVENTID`, when valid.
    id: Option<u64>,
    /// Its version by its column count and what it gives read as that version, or the reason
    /// it is rejected whatever the file's version (its column count).
    read: Result<(Version, Result<Row<usize>, String>), String>,
}

/// Reads one row (on a worker thread, or the one thread); `tabs` is a buffer, given back.
/// An event goes to `found` (kept apart: most rows are skipped, and their place stays small).
fn parse_row(
    row: &[u8],
    tabs: Vec<usize>,
    options: &Options,
    meanings: &Meanings,
    found: &mut Vec<Found>,
) -> (Parsed, Vec<usize>) {
    let split = Split::new(row, tabs);
    let id = event_id(field(&split, GLOBALEVENTID));
    let number = id.as_ref().ok().copied();
    let columns = split.len();
    let read = match Version::of(columns) {
        None => Err(format!(
            "{columns} columns: GDELT 1.0 rows have 57 or 58 (58 with SOURCEURL), GDELT 2.0 rows 61"
        )),
        Some(v) => Ok((
            v,
            check(&split, id, v, options, meanings).map(|row| match row {
                Row::Event(event) => {
                    found.push(event);
                    Row::Event(found.len() - 1)
                }
                Row::Skip(reason) => Row::Skip(reason),
            }),
        )),
    };
    (Parsed { id: number, read }, split.tabs)
}

/// One row of a chunk, where it is.
struct Line {
    /// Line breaks in the chunk before it.
    line: u64,
    start: usize,
    end: usize,
    parsed: Parsed,
}

/// A chunk's rows, and its line breaks.
#[derive(Default)]
struct Batch {
    rows: Vec<Line>,
    found: Vec<Found>,
    breaks: u64,
}

/// Parses a chunk's rows (on a worker thread).
/// `batch` is a folded one whose buffers are reused.
fn parse_chunk(bytes: &[u8], options: &Options, meanings: &Meanings, batch: Batch) -> Batch {
    let Batch { mut rows, mut found, .. } = batch;
    rows.clear();
    found.clear();
    // GDELT rows are some 400 bytes: one allocation for most chunks.
    rows.reserve(bytes.len() / 256 + 16);
    let mut tabs = Vec::with_capacity(64);
    let mut line = 0u64;
    let mut at = 0usize;
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => {
                line += 1;
                at += 1;
                continue;
            }
            b'\r' => {
                if bytes.get(at + 1) != Some(&b'\n') {
                    line += 1;
                }
                at += 1;
                continue;
            }
            _ => {}
        }
        let end = memchr::memchr2(b'\n', b'\r', &bytes[at..]).map_or(bytes.len(), |n| at + n);
        let parsed;
        (parsed, tabs) = parse_row(&bytes[at..end], tabs, options, meanings, &mut found);
        rows.push(Line { line, start: at, end, parsed });
        at = end;
    }
    Batch { rows, found, breaks: line }
}

/// Reads one event file in chunks parsed on every core, folded into the builder in input
/// order: the same builder as [`read_rows`] makes.
fn read_chunked(
    input: &mut dyn Read,
    size: usize,
    file: &Path,
    builder: &mut Builder,
    options: &Options,
    progress: &Progress,
) -> Result<()> {
    let meanings = Meanings::new(options.cameo);
    let mut fold = Fold::new(file, options.actors);
    // Line breaks before the chunk being folded.
    let mut base = 0u64;
    // Folded batches, their buffers taken up again by the workers: a chunk's rows take some
    // MB, which allocated afresh for each chunk (and freed on another thread) cost the fold
    // and the workers time in the allocator and in fresh pages.
    let spare: Mutex<Vec<Batch>> = Mutex::new(Vec::new());
    let folded = parallel::read(
        input,
        size,
        |chunk| {
            let batch = spare.lock().unwrap_or_else(PoisonError::into_inner).pop().unwrap_or_default();
            parse_chunk(&chunk.bytes, options, &meanings, batch)
        },
        |chunk, mut batch: Batch| {
            let mut result = Ok(());
            for row in batch.rows.drain(..) {
                let line = base + row.line + 1;
                let bytes = &chunk.bytes[row.start..row.end];
                result = fold.row(builder, progress, line, bytes, row.parsed, &batch.found);
                if result.is_err() {
                    break;
                }
            }
            fold.flush(builder);
            base += batch.breaks;
            spare.lock().unwrap_or_else(PoisonError::into_inner).push(batch);
            result
        },
    );
    folded?.with_context(|| format!("cannot read {}", file.display()))
}

/// Folds parsed rows into the builder in input order (on one thread): the duplicate check,
/// the file's version, and for an event its actors' numbers and its pair-day.
struct Fold<'a> {
    file: &'a Path,
    mode: ActorMode,
    /// The file's version, and the line that decided it.
    version: Option<(Version, u64)>,
    /// The actors met, by the bytes that decide them (the country code, and with `--actors
    /// code` the actor code): an actor is described and numbered once, not per event.
    actors: HashMap<Box<[u8]>, u32, foldhash::fast::RandomState>,
    key: Vec<u8>,
    /// The same for `--actors country`, by the three letters as a number (a look-up per side
    /// of every event: no hashing, no comparing text); `u32::MAX` for a country not met yet.
    countries: Vec<u32>,
    /// The event id being added, written out.
    id: String,
    /// Skips counted here and handed to the builder in batches: its count map is keyed by
    /// text, and most rows of a GDELT file are skipped.
    skips: Vec<(&'static str, u64)>,
}

impl<'a> Fold<'a> {
    fn new(file: &'a Path, mode: ActorMode) -> Fold<'a> {
        Fold {
            file,
            mode,
            version: None,
            actors: HashMap::default(),
            key: Vec::new(),
            countries: vec![u32::MAX; 26 * 26 * 26],
            id: String::new(),
            skips: Vec::new(),
        }
    }

    /// Folds the row at `line`.
    ///
    /// # Errors
    /// With `--strict`, a bad row.
    fn row(
        &mut self,
        builder: &mut Builder,
        progress: &Progress,
        line: u64,
        row: &[u8],
        parsed: Parsed,
        found: &[Found],
    ) -> Result<()> {
        builder.rows += 1;
        progress.row();
        // A row met before is a duplicate first, whatever else is wrong with it.
        if parsed.id.is_some_and(|n| !builder.first_met(PREFIX, n)) {
            self.skip(crate::import::DUPLICATE);
            return Ok(());
        }
        let outcome = match (parsed.read, self.version) {
            (Err(why), _) => Err(why),
            (Ok((v, _)), Some((file_version, at))) if v != file_version => Err(format!(
                "{} columns: a {} row in a {} file (as told by line {at})",
                Split::new(row, Vec::new()).len(),
                v.name(),
                file_version.name()
            )),
            (Ok((v, outcome)), _) => {
                self.version.get_or_insert((v, line));
                outcome.map(|row| (v, row))
            }
        };
        match outcome {
            Ok((v, Row::Event(at))) => self.event(builder, row, v, &found[at]),
            Ok((_, Row::Skip(reason))) => self.skip(reason),
            Err(reason) => builder.reject(self.file, line, reason, raw(row))?,
        }
        Ok(())
    }

    fn skip(&mut self, reason: &'static str) {
        // By address: each reason is one constant (were one met at two addresses, it would be
        // counted in two entries, which add up the same).
        match self.skips.iter_mut().find(|(r, _)| std::ptr::eq(*r, reason)) {
            Some((_, n)) => *n += 1,
            None => self.skips.push((reason, 1)),
        }
    }

    /// Hands the skips counted so far to the builder.
    fn flush(&mut self, builder: &mut Builder) {
        for (reason, n) in self.skips.drain(..) {
            builder.skip_many(reason, n);
        }
    }

    fn event(&mut self, builder: &mut Builder, row: &[u8], version: Version, found: &Found) {
        let source = self.actor(builder, row, found.sides[0]);
        let target = self.actor(builder, row, found.sides[1]);
        self.id.clear();
        self.id.push_str(PREFIX);
        self.id.push_str(itoa::Buffer::new().format(found.id));
        let point = aggregate::Point {
            source,
            target,
            kind: found.kind,
            day: found.day,
            goldstein: found.goldstein,
            article: found.article,
            sources: found.sources,
            articles: found.articles,
        };
        let id = &self.id;
        builder.event_point(id, point, || found.source(row, version, id));
    }

    /// The number of a side's actor, described to the builder the first time it is met.
    fn actor(&mut self, builder: &mut Builder, row: &[u8], side: Side) -> u32 {
        let country = side.country.of(row);
        if self.mode == ActorMode::Country {
            if let &[a, b, c] = country {
                // Three capital letters ([`country`] checked them).
                let at = [a, b, c].iter().fold(0usize, |n, &l| n * 26 + usize::from(l.wrapping_sub(b'A')));
                if let Some(&ix) = self.countries.get(at).filter(|&&ix| ix != u32::MAX) {
                    return ix;
                }
                let ix = self.describe(builder, country, &[]);
                if let Some(slot) = self.countries.get_mut(at) {
                    *slot = ix;
                }
                return ix;
            }
        }
        let code = if self.mode == ActorMode::Code { side.code.of(row) } else { &[] };
        // The country code is always three letters: the two run together are one key.
        self.key.clear();
        self.key.extend_from_slice(country);
        self.key.extend_from_slice(code);
        if let Some(&ix) = self.actors.get(self.key.as_slice()) {
            return ix;
        }
        let ix = self.describe(builder, country, code);
        self.actors.insert(self.key.as_slice().into(), ix);
        ix
    }

    /// Describes an actor met for the first time to the builder, and gives its number.
    fn describe(&self, builder: &mut Builder, country: &[u8], code: &[u8]) -> u32 {
        let mut described = Vec::with_capacity(2);
        let id = actor(&text(country), &text(code), self.mode, &mut described);
        for a in described {
            builder.actor(a);
        }
        builder.actor_index(&id)
    }
}

/// What a valid row gives: an event (as read, or its place among a batch's events), or a
/// reason to skip.
enum Row<E> {
    Event(E),
    Skip(&'static str),
}

/// An event as numbers, and where its text is in its row: its actors and its source are
/// described from the row when the fold needs them (an actor met for the first time, an
/// event that enters its pair-day's evidence sample).
struct Found {
    id: u64,
    /// [`aggregate::day_number`] of `SQLDATE`.
    day: i32,
    kind: RelationKind,
    goldstein: Option<f64>,
    sources: u32,
    articles: u32,
    published: Option<Day>,
    article: Option<u64>,
    /// `EventCode`.
    code: Span,
    sides: [Side; 2],
    /// `SOURCEURL` (empty in the 1.0 backfile).
    url: Span,
}

/// One side's actor columns.
#[derive(Debug, Clone, Copy)]
struct Side {
    country: Span,
    code: Span,
}

impl Found {
    /// The event's source: "GDELT 2.0 event 881990833: CAMEO 040 (Consult, not specified
    /// below)", published by GDELT on the article's day, with its url.
    fn source(&self, row: &[u8], version: Version, id: &str) -> SourceSpec {
        let code = text(self.code.of(row));
        let title = match event_label(&code) {
            Some(label) => format!("{} event {}: CAMEO {code} ({label})", version.name(), self.id),
            None => format!("{} event {}: CAMEO {code}", version.name(), self.id),
        };
        SourceSpec {
            id: id.to_string(),
            title,
            publisher: "GDELT".into(),
            published: self.published.map(PartialDate::day),
            url: text(self.url.of(row)).into_owned(),
            reliability: None,
        }
    }
}

/// The CAMEO map's meaning of every event code of two to four digits, by number: one array
/// look-up a row instead of up to three look-ups of text.
struct Meanings(Vec<Option<cameo::Meaning>>);

impl Meanings {
    fn new(map: &cameo::CameoMap) -> Meanings {
        let mut all = Vec::with_capacity(11_100);
        for digits in 2..=4 {
            for n in 0..10usize.pow(digits) {
                all.push(map.meaning(&format!("{n:0width$}", width = digits as usize)));
            }
        }
        Meanings(all)
    }

    /// The meaning of a code of two to four digits ([`event_code`] checked it).
    fn of(&self, code: &str) -> Option<cameo::Meaning> {
        let n = code
            .bytes()
            .fold(0usize, |n, b| n.wrapping_mul(10).wrapping_add(usize::from(b.wrapping_sub(b'0'))));
        let at = match code.len() {
            2 => n,
            3 => 100 + n,
            4 => 1_100 + n,
            _ => return None,
        };
        self.0.get(at).copied().flatten()
    }
}

/// Checks one row of a known version (`id`: its `GLOBALEVENTID` read) and reads what an event
/// needs of it: `Err` is the reason it is rejected. Nothing is copied: most rows are skipped.
fn check(
    record: &Split,
    id: Result<u64, String>,
    version: Version,
    options: &Options,
    meanings: &Meanings,
) -> Result<Row<Found>, String> {
    let id = id?;
    let day = sqldate(&field(record, SQLDATE))?;
    let root = root_code(&field(record, EVENT_ROOT_CODE))?;
    // Checked, but the CAMEO map decides the kind, from the code, for GDELT and ICEWS alike.
    quad_class(&field(record, QUAD_CLASS))?;
    let code_text = field(record, EVENT_CODE);
    let code = event_code(&code_text, root)?;
    let goldstein = goldstein(&field(record, GOLDSTEIN))?;
    let is_root = is_root_event(&field(record, IS_ROOT_EVENT))?;
    let sources = count(&field(record, NUM_SOURCES), "NumSources")?;
    let articles = count(&field(record, NUM_ARTICLES), "NumArticles")?;
    let meaning =
        meanings.of(code).ok_or_else(|| format!("EventCode {code} has no meaning in the CAMEO map"))?;
    let country1 = country(field(record, ACTOR1_COUNTRY), "Actor1CountryCode")?;
    let country2 = country(field(record, ACTOR2_COUNTRY), "Actor2CountryCode")?;
    let code1 = actor_code(field(record, ACTOR1_CODE), "Actor1Code")?;
    let code2 = actor_code(field(record, ACTOR2_CODE), "Actor2Code")?;
    let (country1, country2) = match (country1, country2) {
        (None, None) => return Ok(Row::Skip(NO_COUNTRY_EITHER)),
        (None, Some(_)) => return Ok(Row::Skip(NO_COUNTRY_1)),
        (Some(_), None) => return Ok(Row::Skip(NO_COUNTRY_2)),
        (Some(a), Some(b)) => (a, b),
    };
    let mode = options.actors;
    if resolve(&country1, &code1, mode).id() == resolve(&country2, &code2, mode).id() {
        return Ok(Row::Skip(SAME_ACTOR));
    }
    // After the skips above, so that these count exactly the events they remove.
    let cameo::Meaning::Kind(kind) = meaning else {
        return Ok(Row::Skip(cameo::MAPPED_SKIP));
    };
    let quality = &options.quality;
    if quality.root_only && !is_root {
        return Ok(Row::Skip(NOT_ROOT));
    }
    if sources < quality.min_sources {
        return Ok(Row::Skip(FEW_SOURCES));
    }
    if articles < quality.min_articles {
        return Ok(Row::Skip(FEW_ARTICLES));
    }
    let published = match version.dateadded_column(record.len()) {
        Some(i) => dateadded(&field(record, i))?,
        None => None,
    };
    let url_column = version.url_column(record.len());
    let url = match url_column {
        Some(i) => web_address(field(record, i))?,
        None => Cow::Borrowed(""),
    };
    let article = (!url.is_empty()).then(|| crate::import::aggregate::article_key(&url));
    Ok(Row::Event(Found {
        id,
        day: aggregate::day_number(day),
        kind,
        goldstein,
        sources,
        articles,
        published,
        article,
        code: record.span(EVENT_CODE),
        sides: [
            Side { country: record.span(ACTOR1_COUNTRY), code: record.span(ACTOR1_CODE) },
            Side { country: record.span(ACTOR2_COUNTRY), code: record.span(ACTOR2_CODE) },
        ],
        url: url_column.map_or(Span::default(), |i| record.span(i)),
    }))
}

/// SOURCEURL as the source's url: empty, or a web address (`http://` or `https://`, in any
/// case). Anything else is refused, and the row rejected: the dataset's sources.csv keeps its
/// cells exact (for a round trip), so a cell such as `=HYPERLINK(...)` must never get there,
/// where a spreadsheet would run it and a reader would follow it.
fn web_address(text: Cow<'_, str>) -> Result<Cow<'_, str>, String> {
    let scheme = |s: &str| text.get(..s.len()).is_some_and(|head| head.eq_ignore_ascii_case(s));
    if text.is_empty() || scheme("http://") || scheme("https://") {
        Ok(text)
    } else {
        Err(format!("SOURCEURL {text:?} is not a web address (it must start with http:// or https://)"))
    }
}

/// A field, trimmed of ASCII white space; invalid UTF-8 is replaced (and then fails
/// validation where the field must be a code or a number).
fn field<'a>(record: &Split<'a>, index: usize) -> Cow<'a, str> {
    match (record.text, record.get(index)) {
        // A field of a valid row, as text without checking it again.
        (Some(row), Some(bytes)) => {
            let start = bytes.as_ptr() as usize - row.as_ptr() as usize;
            Cow::Borrowed(row.get(start..start + bytes.len()).unwrap_or_default().trim_ascii())
        }
        (None, Some(bytes)) => text(bytes.trim_ascii()),
        (_, None) => Cow::Borrowed(""),
    }
}

/// Bytes as text, invalid UTF-8 replaced.
fn text(bytes: &[u8]) -> Cow<'_, str> {
    // `from_utf8` first: the lossy conversion is slower on the valid text of most rows.
    std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed)
}

/// The row as read, for rejects.csv (what replacing invalid UTF-8 field by field and joining
/// the fields with tabs gives: a tab is never part of an invalid sequence).
fn raw(row: &[u8]) -> String {
    String::from_utf8_lossy(row).into_owned()
}

fn event_id(text: Cow<'_, str>) -> Result<u64, String> {
    if text.is_empty() {
        return Err("GLOBALEVENTID is empty".into());
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("GLOBALEVENTID {text:?} is not a number"));
    }
    text.parse().map_err(|_| format!("GLOBALEVENTID {text} is too large (at most {})", u64::MAX))
}

/// `SQLDATE`: `YYYYMMDD`, a day that exists, in georel's years.
fn sqldate(text: &str) -> Result<Day, String> {
    yyyymmdd(text, "SQLDATE")
}

/// `DATEADDED`, the day GDELT saw the article: `YYYYMMDDHHMMSS` in GDELT 2.0 (its
/// fifteen-minute update), `YYYYMMDD` in 1.0; empty is no date.
fn dateadded(text: &str) -> Result<Option<Day>, String> {
    match text.len() {
        0 => Ok(None),
        14 if text.bytes().all(|b| b.is_ascii_digit()) => yyyymmdd(&text[..8], "DATEADDED").map(Some),
        8 => yyyymmdd(text, "DATEADDED").map(Some),
        _ => Err(format!("DATEADDED {text:?} is not a date (YYYYMMDD, or YYYYMMDDHHMMSS in GDELT 2.0)")),
    }
}

/// A `YYYYMMDD` column: a day that exists, in georel's years.
fn yyyymmdd(text: &str, column: &str) -> Result<Day, String> {
    if text.is_empty() {
        return Err(format!("{column} is empty"));
    }
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{column} {text:?} is not a date (YYYYMMDD)"));
    }
    // Eight ASCII digits: each part parses and fits.
    let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(4..6), number(6..8));
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(format!(
            "{column} {text} is not a date (year {year:04}; years run from {MIN_YEAR:04} to {MAX_YEAR})"
        ));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("{column} {text} is not a date (month {month:02})"));
    }
    // In range: month is 1..=12 and day has two digits.
    let (month, day) = (month as i8, day as i8);
    let day = Day::new(year, month, day).map_err(|_| {
        let days = Day::new(year, month, 1).map_or(0, |d| d.days_in_month());
        format!("{column} {text} is not a date (day {day:02}: {year:04}-{month:02} has {days} days)")
    })?;
    // A relation ends the day after its last event, and that day must be writable too.
    if day.tomorrow().map_or(true, |next| next.year() > MAX_YEAR) {
        return Err(format!(
            "{column} {text} is too late: a relation ends the day after its last event, and dates stop at \
             {MAX_YEAR}-12-31"
        ));
    }
    Ok(day)
}

/// `EventRootCode`: two digits, 01 to 20.
fn root_code(text: &str) -> Result<u8, String> {
    if text.is_empty() {
        return Err("EventRootCode is empty".into());
    }
    match cameo::root_code(text) {
        Some(root @ 1..=20) if text.len() == 2 => Ok(root),
        _ => Err(format!("EventRootCode {text:?} is not a CAMEO root code (01 to 20)")),
    }
}

/// `QuadClass`: 1 to 4.
fn quad_class(text: &str) -> Result<u8, String> {
    if text.is_empty() {
        return Err("QuadClass is empty".into());
    }
    match text {
        "1" | "2" | "3" | "4" => Ok(text.as_bytes()[0] - b'0'),
        _ => Err(format!("QuadClass {text:?} is not a CAMEO quad class (1 to 4)")),
    }
}

/// `EventCode`: two to four digits, under the row's root code.
fn event_code(text: &str, root: u8) -> Result<&str, String> {
    if text.is_empty() {
        return Err("EventCode is empty".into());
    }
    let digits = (2..=4).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    if !digits || cameo::root_code(text) != Some(root) {
        return Err(format!("EventCode {text:?} is not a CAMEO event code under EventRootCode {root:02}"));
    }
    Ok(text)
}

/// `IsRootEvent`: 1 (the article's main event) or 0.
fn is_root_event(text: &str) -> Result<bool, String> {
    match text {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(format!("IsRootEvent {text:?} is not 0 or 1")),
    }
}

/// `NumSources`, `NumArticles`: a whole number.
fn count(text: &str, column: &str) -> Result<u32, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{column} {text:?} is not a whole number"));
    }
    Ok(text.parse().unwrap_or(u32::MAX))
}

/// `GoldsteinScale`: empty (no score), or a number from -10 to +10.
fn goldstein(text: &str) -> Result<Option<f64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let score: f64 = text.parse().map_err(|_| format!("GoldsteinScale {text:?} is not a number"))?;
    if !score.is_finite() || !(-10.0..=10.0).contains(&score) {
        return Err(format!("GoldsteinScale {text} is outside -10 to +10"));
    }
    Ok(Some(score))
}

/// A country-code column: empty (no country), or three capital letters.
fn country<'a>(text: Cow<'a, str>, column: &str) -> Result<Option<Cow<'a, str>>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!("{column} {text:?} is not a CAMEO country code (three capital letters)"));
    }
    Ok(Some(text))
}

/// An actor-code column: empty, or three-character CAMEO codes run together (letters and
/// digits; ethnic and religious codes are lower case).
fn actor_code<'a>(text: Cow<'a, str>, column: &str) -> Result<Cow<'a, str>, String> {
    if !text.is_empty() && (!text.len().is_multiple_of(3) || !text.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return Err(format!("{column} {text:?} is not a CAMEO actor code (three-letter codes run together)"));
    }
    Ok(text)
}

/// Which actor one side of a row stands for: the one rule behind its id ([`Resolved::id`],
/// to tell a row with the same actor on both sides) and its description ([`actor`]).
enum Resolved<'a> {
    /// The country of a CAMEO country code.
    Country(&'a str),
    /// An agency, in the country of the country-code column.
    Agency { code: &'a str, country: &'a str },
}

fn resolve<'a>(country: &'a str, code: &'a str, mode: ActorMode) -> Resolved<'a> {
    if mode == ActorMode::Country || code.is_empty() || code == country {
        Resolved::Country(country)
    } else if cameo::country_name(code).is_some() {
        Resolved::Country(code)
    } else {
        Resolved::Agency { code, country }
    }
}

impl<'a> Resolved<'a> {
    /// The actor's id: the country's ISO id (`ROM` is `ROU`), or the agency's code.
    fn id(&self) -> &'a str {
        match *self {
            Resolved::Country(code) => ids::cameo_id(code),
            Resolved::Agency { code, .. } => code,
        }
    }
}

/// The actor of one side, its description (and its country's) pushed to `actors`.
fn actor(country: &str, code: &str, mode: ActorMode, actors: &mut Vec<ActorSpec>) -> String {
    // The country's actor, under its ISO id (`ROM` is `ROU`; `AFR` is a region).
    let mut country_actor = |code: &str| {
        let (id, kind) = ids::from_cameo(code);
        actors.push(ActorSpec {
            id: id.clone(),
            name: cameo::country_name(code).unwrap_or(code).to_string(),
            kind,
            parent: None,
            aliases: Vec::new(),
        });
        id
    };
    match resolve(country, code, mode) {
        Resolved::Country(code) => country_actor(code),
        Resolved::Agency { code, country } => {
            let parent = country_actor(country);
            actors.push(ActorSpec {
                id: code.to_string(),
                name: format!("{} ({code})", code_name(code)),
                kind: ActorKind::Agency,
                parent: Some(parent),
                aliases: Vec::new(),
            });
            code.to_string()
        }
    }
}

/// An actor code in words, three letters at a time: `USAGOV` → "United States Government".
fn code_name(code: &str) -> String {
    let mut words = Vec::new();
    for start in (0..code.len()).step_by(3) {
        let part = code.get(start..start + 3).unwrap_or(&code[start..]);
        words.push(cameo::country_name(part).or_else(|| actor_type(part)).unwrap_or(part));
    }
    words.join(" ")
}

fn table(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .skip(1)
        .filter_map(|line| line.split_once('\t'))
        .map(|(code, label)| (code.trim(), label.trim()))
        .filter(|(code, _)| !code.is_empty())
        .collect()
}

/// The label of a CAMEO actor type (`GOV` → "Government").
fn actor_type(code: &str) -> Option<&'static str> {
    static TYPES: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TYPES.get_or_init(|| table(ACTOR_TYPES)).get(code).copied()
}

/// The label of a CAMEO event code (`040` → "Consult, not specified below"); root codes,
/// written in capitals in the table, in sentence case.
fn event_label(code: &str) -> Option<Cow<'static, str>> {
    static LABELS: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    let labels = LABELS.get_or_init(|| {
        let mut labels = table(EVENT_CODES);
        labels.extend(EVENT_CORRECTIONS);
        labels
    });
    let label = *labels.get(code)?;
    if label.chars().any(char::is_lowercase) {
        return Some(Cow::Borrowed(label));
    }
    let lower = label.to_lowercase();
    let mut chars = lower.chars();
    Some(Cow::Owned(chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqldates_are_checked_precisely() {
        assert_eq!(sqldate("20191024"), Ok(Day::new(2019, 10, 24).unwrap()));
        assert_eq!(sqldate(""), Err("SQLDATE is empty".to_string()));
        assert_eq!(sqldate("20191332"), Err("SQLDATE 20191332 is not a date (month 13)".to_string()));
        assert_eq!(
            sqldate("20190230"),
            Err("SQLDATE 20190230 is not a date (day 30: 2019-02 has 28 days)".to_string())
        );
        assert_eq!(sqldate("2019102"), Err("SQLDATE \"2019102\" is not a date (YYYYMMDD)".to_string()));
        assert_eq!(sqldate("2019-10-2"), Err("SQLDATE \"2019-10-2\" is not a date (YYYYMMDD)".to_string()));
        assert!(sqldate("00001024").unwrap_err().contains("year 0000"));
        assert!(sqldate("20190100").unwrap_err().contains("day 00"));
        assert!(sqldate("99981230").is_ok());
        assert!(sqldate("99981231").unwrap_err().contains("too late"));
    }

    #[test]
    fn dateadded_is_a_day_or_a_fifteen_minute_update() {
        assert_eq!(dateadded("20191024143000"), Ok(Some(Day::new(2019, 10, 24).unwrap())));
        assert_eq!(dateadded("20160728"), Ok(Some(Day::new(2016, 7, 28).unwrap())));
        assert_eq!(dateadded(""), Ok(None));
        assert!(dateadded("2019102414300").unwrap_err().starts_with("DATEADDED \"2019102414300\""));
        assert_eq!(
            dateadded("20191332143000"),
            Err("DATEADDED 20191332 is not a date (month 13)".to_string())
        );
    }

    #[test]
    fn codes_and_scores_are_checked() {
        assert_eq!(root_code("04"), Ok(4));
        assert_eq!(root_code("16"), Ok(16));
        assert!(root_code("21").is_err());
        assert!(root_code("4").is_err());
        assert!(root_code("040").is_err());
        assert_eq!(quad_class("3"), Ok(3));
        assert!(quad_class("5").is_err());
        assert!(quad_class("").is_err());
        assert_eq!(event_code("0431", 4), Ok("0431"));
        assert!(event_code("0431", 5).is_err());
        assert_eq!(goldstein(""), Ok(None));
        assert_eq!(goldstein("-7.5"), Ok(Some(-7.5)));
        assert!(goldstein("high").is_err());
        assert!(goldstein("NaN").is_err());
        assert!(goldstein("10.5").is_err());
        assert_eq!(event_id("881990833".into()), Ok(881_990_833));
        assert!(event_id("88199O833".into()).is_err());
        assert!(event_id("+5".into()).is_err());
    }

    #[test]
    fn labels_and_names() {
        assert_eq!(event_label("040").as_deref(), Some("Consult, not specified below"));
        assert_eq!(event_label("01").as_deref(), Some("Make public statement"));
        assert_eq!(event_label("044").as_deref(), Some("Meet at a “third” location"));
        assert_eq!(event_label("9999"), None);
        assert_eq!(code_name("USAGOV"), "United States Government");
        assert_eq!(code_name("IGOEUREEC"), "Inter-Governmental Organization Europe EEC");
        assert_eq!(code_name("idgCOP"), "idg Police forces");
    }

    /// Gives one byte per read, to cross every buffer boundary.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((&b, rest)), Some(out)) => {
                    *out = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn rows_get_the_lines_an_editor_shows() {
        // Blank lines, CRLF line ends, a blank CRLF line and no final line break.
        let text = b"a\tb\r\n\r\nc\n\n\nd\r\n\r\n\r\ne\tf";
        for trickle in [false, true] {
            let mut builder = Builder::new(&Options::default());
            let file = Path::new("x.CSV");
            let progress = Progress::hidden();
            if trickle {
                read_rows(Trickle(text), file, &mut builder, &Options::default(), &progress).unwrap();
            } else {
                read_rows(&text[..], file, &mut builder, &Options::default(), &progress).unwrap();
            }
            let lines: Vec<u64> = builder.rejects.iter().map(|r| r.line).collect();
            assert_eq!(lines, [1, 3, 6, 9], "trickle: {trickle}");
            assert_eq!(builder.rows, 4);
            assert_eq!(builder.rejects[3].row, "e\tf");
        }
    }

    #[test]
    fn tabs_are_found_where_they_are() {
        let row: Vec<u8> =
            (0..200u32).map(|i| [b'\t', 8, 9 ^ 0x80, b'a', 0, 0x89][(i * 7 % 6) as usize]).collect();
        for len in 0..row.len() {
            let mut got = Vec::new();
            assert_eq!(scan_tabs(&row[..len], usize::MAX, &mut got), got.len());
            let want: Vec<usize> = (0..len).filter(|&i| row[i] == b'\t').collect();
            assert_eq!(got, want, "{len}");
            for front in [0, 1, 5, 34] {
                let mut got = Vec::new();
                assert_eq!(scan_tabs(&row[..len], front, &mut got), want.len(), "{len}, {front}");
                assert_eq!(got, want[..front.min(want.len())], "{len}, {front}");
            }
        }
    }

    #[test]
    fn rows_are_split_into_their_front_and_last_fields() {
        for columns in 1..70 {
            let cells: Vec<String> = (0..columns).map(|i| format!(" f{i}{}", "x".repeat(i % 9))).collect();
            let row = cells.join("\t");
            let split = Split::new(row.as_bytes(), Vec::new());
            assert_eq!(split.len(), columns);
            for (i, cell) in cells.iter().enumerate() {
                let got = split.get(i);
                if i < FRONT || i + 2 >= columns {
                    assert_eq!(got, Some(cell.as_bytes()), "{columns} columns, field {i}");
                    assert_eq!(field(&split, i), cell.trim(), "{columns} columns, field {i}");
                    assert_eq!(split.span(i).of(row.as_bytes()), cell.trim().as_bytes());
                } else {
                    assert_eq!(got, None, "{columns} columns, field {i}: not read");
                }
            }
            assert_eq!(split.get(columns), None);
        }
        // Invalid UTF-8 is replaced field by field, as the rows are written to rejects.csv.
        let row = b"1\t\xff2\t3\xe2\x82";
        let split = Split::new(row, Vec::new());
        assert_eq!(field(&split, 1), "\u{fffd}2");
        assert_eq!(raw(row), "1\t\u{fffd}2\t3\u{fffd}");
    }

    #[test]
    fn actors_by_mode() {
        let mut actors = Vec::new();
        assert_eq!(actor("USA", "USAGOV", ActorMode::Country, &mut actors), "USA");
        assert_eq!(actors.len(), 1);
        actors.clear();
        assert_eq!(actor("USA", "USAGOV", ActorMode::Code, &mut actors), "USAGOV");
        assert_eq!(actors[0].id, "USA");
        assert_eq!(actors[1].parent.as_deref(), Some("USA"));
        assert_eq!(actors[1].kind, ActorKind::Agency);
        assert_eq!(actors[1].name, "United States Government (USAGOV)");
        actors.clear();
        assert_eq!(actor("USA", "USA", ActorMode::Code, &mut actors), "USA");
        assert_eq!(actors.len(), 1);
        actors.clear();
        assert_eq!(actor("SCG", "SRB", ActorMode::Code, &mut actors), "SRB");
        assert_eq!(actors[0].kind, ActorKind::Country);
    }
}
