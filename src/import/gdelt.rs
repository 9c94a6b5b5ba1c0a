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
use std::sync::OnceLock;

use anyhow::{Context, Result};
use csv::ByteRecord;

use crate::date::{Day, PartialDate, MAX_YEAR, MIN_YEAR};
use crate::import::{
    cameo, ids, parallel, ActorMode, ActorSpec, Builder, Event, Lines, Options, Progress, SourceSpec,
};
use crate::model::ActorKind;

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

/// Streams the rows of one event file.
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
    let mut record = ByteRecord::new();
    // The file's version, and the line that decided it.
    let mut version: Option<(Version, u64)> = None;
    while reader.read_byte_record(&mut record).with_context(|| format!("cannot read {}", file.display()))? {
        builder.rows += 1;
        progress.row();
        let line = reader.get_mut().line_at(record.position().map_or(0, csv::Position::byte));
        // A row met before is a duplicate first, whatever else is wrong with it.
        let id = event_id(field(&record, GLOBALEVENTID)).ok().map(|n| format!("gdelt:{n}"));
        if id.as_deref().is_some_and(|id| builder.duplicate(id)) {
            continue;
        }
        let columns = record.len();
        let this = match (Version::of(columns), version) {
            (None, _) => Err(format!(
                "{columns} columns: GDELT 1.0 rows have 57 or 58 (58 with SOURCEURL), GDELT 2.0 rows 61"
            )),
            (Some(v), Some((file_version, at))) if v != file_version => Err(format!(
                "{columns} columns: a {} row in a {} file (as told by line {at})",
                v.name(),
                file_version.name()
            )),
            (Some(v), _) => {
                version.get_or_insert((v, line));
                Ok(v)
            }
        };
        let outcome = this.and_then(|v| parse(&record, v, options));
        match outcome {
            Ok(Row::Event(found)) => {
                let Found { event, source, actors } = *found;
                for actor in actors {
                    builder.actor(actor);
                }
                builder.source(source);
                builder.event(event);
            }
            Ok(Row::Skip(reason)) => builder.skip(reason),
            Err(reason) => builder.reject(file, line, reason, raw(&record))?,
        }
        if let Some(id) = id {
            builder.met(&id);
        }
    }
    Ok(())
}

/// The id prefix of GDELT events.
const PREFIX: &str = "gdelt:";

/// A row split at its tabs, as the CSV reader (tab-separated, unquoted) splits it.
struct Split<'a> {
    row: &'a [u8],
    /// Where each field but the last ends (its tab).
    tabs: Vec<usize>,
}

impl<'a> Split<'a> {
    fn new(row: &'a [u8], mut tabs: Vec<usize>) -> Split<'a> {
        tabs.clear();
        find_tabs(row, &mut tabs);
        Split { row, tabs }
    }
}

impl Fields for Split<'_> {
    fn get(&self, index: usize) -> Option<&[u8]> {
        if index > self.tabs.len() {
            return None;
        }
        let start = if index == 0 { 0 } else { self.tabs[index - 1] + 1 };
        let end = self.tabs.get(index).copied().unwrap_or(self.row.len());
        Some(&self.row[start..end])
    }

    fn len(&self) -> usize {
        self.tabs.len() + 1
    }
}

/// Pushes where `row`'s tabs are, eight bytes at a time: a GDELT row has a tab every six
/// bytes or so, too dense for `memchr`'s search, which restarts at every hit.
fn find_tabs(row: &[u8], out: &mut Vec<usize>) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const TABS: u64 = 0x0909_0909_0909_0909;
    let mut words = row.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes")) ^ TABS;
        // 0x80 in exactly the bytes of `x` that are zero (the tabs), no carry between bytes.
        let mut zero = !(((x & LOW7) + LOW7) | x | LOW7);
        while zero != 0 {
            out.push(at + (zero.trailing_zeros() / 8) as usize);
            zero &= zero - 1;
        }
        at += 8;
    }
    out.extend(words.remainder().iter().enumerate().filter(|(_, &b)| b == b'\t').map(|(i, _)| at + i));
}

/// One row of a chunk as a worker read it; what depends on the rows before it (whether its
/// id was met, the file's version) is decided when it is folded, in input order.
struct Parsed {
    /// Line breaks in the chunk before it.
    line: u64,
    /// Where it is in the chunk.
    start: usize,
    end: usize,
    /// Its `GLOBALEVENTID`, when valid.
    id: Option<u64>,
    /// Its version by its column count (`Err`: the reason it is rejected, whatever the
    /// file's version), and what it gives read as that version.
    version: Result<Version, String>,
    outcome: Result<Row, String>,
}

/// A chunk's rows, and its line breaks.
struct Batch {
    rows: Vec<Parsed>,
    breaks: u64,
}

/// Parses a chunk's rows (on a worker thread).
fn parse_chunk(bytes: &[u8], options: &Options) -> Batch {
    // GDELT rows are some 400 bytes: one allocation for most chunks.
    let mut rows = Vec::with_capacity(bytes.len() / 256 + 16);
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
        let split = Split::new(&bytes[at..end], tabs);
        let id = event_id(field(&split, GLOBALEVENTID)).ok();
        let columns = split.len();
        let (version, outcome) = match Version::of(columns) {
            None => {
                let why = format!(
                    "{columns} columns: GDELT 1.0 rows have 57 or 58 (58 with SOURCEURL), GDELT 2.0 rows 61"
                );
                (Err(why.clone()), Err(why))
            }
            Some(v) => (Ok(v), parse(&split, v, options)),
        };
        rows.push(Parsed { line, start: at, end, id, version, outcome });
        tabs = split.tabs;
        at = end;
    }
    Batch { rows, breaks: line }
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
    // Line breaks before the chunk being folded.
    let mut base = 0u64;
    let mut version: Option<(Version, u64)> = None;
    let folded = parallel::read(
        input,
        size,
        |chunk| parse_chunk(&chunk.bytes, options),
        |chunk, batch: Batch| {
            // Skips counted here and handed to the builder once a chunk: its count map is
            // keyed by text, and most rows of a GDELT file are skipped.
            let mut skips: Vec<(&'static str, u64)> = Vec::new();
            let mut skip = |reason: &'static str| match skips.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, n)) => *n += 1,
                None => skips.push((reason, 1)),
            };
            let mut result = Ok(());
            for row in batch.rows {
                builder.rows += 1;
                progress.row();
                let line = base + row.line + 1;
                // A row met before is a duplicate first, whatever else is wrong with it.
                if row.id.is_some_and(|n| builder.met_before(PREFIX, n)) {
                    skip(crate::import::DUPLICATE);
                    continue;
                }
                let outcome = match (row.version, version) {
                    (Err(why), _) => Err(why),
                    (Ok(v), Some((file_version, at))) if v != file_version => Err(format!(
                        "{} columns: a {} row in a {} file (as told by line {at})",
                        Split::new(&chunk.bytes[row.start..row.end], Vec::new()).len(),
                        v.name(),
                        file_version.name()
                    )),
                    (Ok(v), _) => {
                        version.get_or_insert((v, line));
                        row.outcome
                    }
                };
                match outcome {
                    Ok(Row::Event(found)) => {
                        let Found { event, source, actors } = *found;
                        for actor in actors {
                            builder.actor(actor);
                        }
                        builder.event_with(event, source);
                    }
                    Ok(Row::Skip(reason)) => skip(reason),
                    Err(reason) => {
                        let split = Split::new(&chunk.bytes[row.start..row.end], Vec::new());
                        result = builder.reject(file, line, reason, raw(&split));
                        if result.is_err() {
                            break;
                        }
                    }
                }
                if let Some(n) = row.id {
                    builder.met_number(PREFIX, n);
                }
            }
            for (reason, n) in skips {
                builder.skip_many(reason, n);
            }
            base += batch.breaks;
            result
        },
    );
    folded?.with_context(|| format!("cannot read {}", file.display()))
}

/// What a valid row gives: an event (boxed: it is large beside a skip), or a reason to skip.
enum Row {
    Event(Box<Found>),
    Skip(&'static str),
}

/// An event, its source and the actors it names (with their countries).
struct Found {
    event: Event,
    source: SourceSpec,
    actors: Vec<ActorSpec>,
}

/// Reads one row of a known version: `Err` is the reason it is rejected.
fn parse(record: &impl Fields, version: Version, options: &Options) -> Result<Row, String> {
    let id = event_id(field(record, GLOBALEVENTID))?;
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
    let meaning = options
        .cameo
        .meaning(code)
        .ok_or_else(|| format!("EventCode {code} has no meaning in the CAMEO map"))?;
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
    let mut actors = Vec::with_capacity(4);
    let source_actor = actor(&country1, &code1, options.actors, &mut actors);
    let target_actor = actor(&country2, &code2, options.actors, &mut actors);
    if source_actor == target_actor {
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
    let url = match version.url_column(record.len()) {
        Some(i) => web_address(&field(record, i))?,
        None => String::new(),
    };
    let article = (!url.is_empty()).then(|| crate::import::aggregate::article_key(&url));
    let title = match event_label(code) {
        Some(label) => format!("{} event {id}: CAMEO {code} ({label})", version.name()),
        None => format!("{} event {id}: CAMEO {code}", version.name()),
    };
    let id = format!("gdelt:{id}");
    let source = SourceSpec {
        id: id.clone(),
        title,
        publisher: "GDELT".into(),
        published: published.map(PartialDate::day),
        url,
        reliability: None,
    };
    let event = Event {
        source: source_actor,
        target: target_actor,
        kind,
        day,
        id,
        goldstein,
        article,
        sources,
        articles,
    };
    Ok(Row::Event(Box::new(Found { event, source, actors })))
}

/// SOURCEURL as the source's url: empty, or a web address (`http://` or `https://`, in any
/// case). Anything else is refused, and the row rejected: the dataset's sources.csv keeps its
/// cells exact (for a round trip), so a cell such as `=HYPERLINK(...)` must never get there,
/// where a spreadsheet would run it and a reader would follow it.
fn web_address(text: &str) -> Result<String, String> {
    let scheme = |s: &str| text.get(..s.len()).is_some_and(|head| head.eq_ignore_ascii_case(s));
    if text.is_empty() || scheme("http://") || scheme("https://") {
        Ok(text.to_string())
    } else {
        Err(format!("SOURCEURL {text:?} is not a web address (it must start with http:// or https://)"))
    }
}

/// A row's fields: as the CSV reader splits them, or as [`split_row`] does.
trait Fields {
    fn get(&self, index: usize) -> Option<&[u8]>;
    fn len(&self) -> usize;
}

impl Fields for ByteRecord {
    fn get(&self, index: usize) -> Option<&[u8]> {
        ByteRecord::get(self, index)
    }

    fn len(&self) -> usize {
        ByteRecord::len(self)
    }
}

/// A field, trimmed of ASCII white space; invalid UTF-8 is replaced (and then fails
/// validation where the field must be a code or a number).
fn field(record: &impl Fields, index: usize) -> Cow<'_, str> {
    match record.get(index).map(<[u8]>::trim_ascii) {
        // `from_utf8` first: the lossy conversion is slower on the valid text of most rows.
        Some(bytes) => {
            std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed)
        }
        None => Cow::Borrowed(""),
    }
}

/// The row as read, tab-separated, for rejects.csv.
fn raw(record: &impl Fields) -> String {
    let mut out = String::new();
    for i in 0..record.len() {
        if i > 0 {
            out.push('\t');
        }
        out.push_str(&String::from_utf8_lossy(record.get(i).unwrap_or_default()));
    }
    out
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
    if mode == ActorMode::Country || code.is_empty() || code == country {
        return country_actor(country);
    }
    if cameo::country_name(code).is_some() {
        return country_actor(code);
    }
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
            find_tabs(&row[..len], &mut got);
            let want: Vec<usize> = (0..len).filter(|&i| row[i] == b'\t').collect();
            assert_eq!(got, want, "{len}");
        }
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
