//! ICEWS importer: reads coded-event files of the Integrated Crisis Early Warning System (as
//! published on Harvard Dataverse, doi:10.7910/DVN/28075) into events between countries or,
//! with `--actors code`, between those countries' agencies and named actors.
//!
//! # The file
//!
//! Tab-separated, with a header row, no quoting, and the literal `NA` for a missing value;
//! LF or CRLF line ends. Blank lines (empty, or spaces only) are ignored: they are not rows.
//! Line numbers in messages are the ones an editor shows. Columns are found by their header
//! name, ignoring case and reading `_` and `.` as spaces (so `Event ID`, `event_id` and
//! `Event.ID` all work), in any order; extra columns are ignored. Required: `Event ID`,
//! `Event Date`, `Source Name`, `Source Country`, `CAMEO Code`, `Target Name`,
//! `Target Country`. Optional: `Event Text`, `Intensity`, `Publisher`. A header without a
//! required column stops the import with an error naming what is missing. The file is
//! streamed: one row in memory at a time.
//!
//! # Rows
//!
//! Every row is counted. A row becomes one [`Event`] from the source actor to the target
//! actor, on `Event Date`, with the id `icews:<Event ID>` (the number less any leading
//! zeros), of the kind the CAMEO map gives its code ([`cameo::CameoMap`]; a code mapped to
//! `skip` skips the row, after the country skips below). ICEWS has no Goldstein column; its
//! `Intensity` is a Goldstein-like score of the event's CAMEO code (-10 to +10; in the 2018
//! sample it equals the Goldstein score for all but four codes), so it is used as the
//! event's score, and the relations' "mean Goldstein" is the mean ICEWS intensity. Each event
//! is also a source: `icews:<Event ID>`, titled `ICEWS event <id>: <source name> → <target
//! name>: <Event Text> (CAMEO <code>)`, published on the event's day by the `Publisher`
//! column, without a URL.
//!
//! A bad row is rejected ([`Builder::reject`], all its problems in one reason, joined with
//! `; `): a field count other than the header's, text that is not UTF-8, an `Event ID` that
//! is missing or not a whole number, an `Event Date` that is missing or not a valid day
//! (`YYYY-MM-DD`, or `M/D/YYYY`, month/day/year, as in the Events.2017 file), a `CAMEO Code`
//! that is missing (`NA`) or not a code (2 to 4 digits with a root 01 to 20), an `Intensity` that is neither missing nor a number from -10 to 10, or a
//! country without a letter or digit in its name. A bad row is rejected before any skip
//! applies. A good row is skipped, and counted by reason ([`Builder::skip`]), when
//! `Source Country` or `Target Country` is `NA` or empty ([`NO_SOURCE_COUNTRY`],
//! [`NO_TARGET_COUNTRY`], [`NO_COUNTRY`]), or when both sides are the same actor
//! ([`SAME_COUNTRY`] by country, [`SAME_ACTOR`] with `--actors code`). A row whose
//! `Event ID` was met before (in any row, good or bad) is skipped as a duplicate, before
//! anything else is checked ([`Builder::duplicate`]).
//!
//! # Countries
//!
//! The country of each side is its `Country` column, always. A country name is mapped to its
//! CAMEO code, ignoring case: first through [`ICEWS_NAMES`], the ICEWS (ISO 3166) spellings
//! the CAMEO table spells differently (`Russian Federation` → `RUS`, `Cote d'Ivoire` →
//! `CIV`, …), then through the CAMEO table itself ([`cameo::country_code`]). The actor's id is
//! the code's ISO 3166-1 alpha-3 id ([`ids::from_cameo`]: the code itself but for `ROM`,
//! `TMP` and a few others; a CAMEO region is kind `region`), its name the CAMEO name, and its
//! aliases the ICEWS spellings of that code, so that ICEWS, GDELT and COW imports and the
//! curated data share ids. A country in neither table gets its id from the ids table's names
//! ([`ids::from_name`]: `Kosovo` → `XKX`, `Brunei` → `BRN`), and its name as written; a name
//! in no table at all gets an id made from the name ([`name_id`]: accents dropped, letters
//! and digits upper-cased, every run of other characters one `_`: `SAINT_MARTIN`).
//!
//! # Actors
//!
//! With `--actors country` (the default) an event is between the two countries; the names
//! are only used in the source's title.
//!
//! With `--actors code` the name says which actor of the country acted:
//!
//! - a name that is the country itself (`Bangladesh`, or `Russia` for the country `Russian
//!   Federation`: any name that maps to the same id) is the country;
//! - any other name is an **agency** of the country (what `--actors code` means, as for
//!   GDELT): a name ending in a parenthesised part that names the same country, ICEWS's
//!   "sector (country)" actors (`Foreign Affairs (Bangladesh)`, also `Citizen (India)` and
//!   `Police (India)`), gets the id `<country id>:<name without the part>`
//!   (`BGD:Foreign Affairs`); any other name gets `<country id>:<name>`
//!   (`NGA:Militant (Boko Haram)`, `USA:Central Intelligence Agency`, `USA:Donald Trump`).
//!   ICEWS does not say whether a named actor is a person or an organisation (many of the
//!   names without parentheses in its 2018 sample are parties, ministries, media, armed
//!   groups or regions), so people are agencies too: correct the kind in `actors.csv` where
//!   it matters.
//!
//! Agencies are named as in the data and have the country as parent. A name that
//! is `NA` or empty stands for the country.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{bail, Context, Result};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::date::{Day, PartialDate, Precision};
use crate::import::{cameo, ids, ActorMode, ActorSpec, Builder, Event, Options, Progress, SourceSpec};
use crate::model::ActorKind;

/// Skip reason: the row has no source country.
pub const NO_SOURCE_COUNTRY: &str = "no source country (NA)";
/// Skip reason: the row has no target country.
pub const NO_TARGET_COUNTRY: &str = "no target country (NA)";
/// Skip reason: the row has neither country.
pub const NO_COUNTRY: &str = "no source or target country (NA)";
/// Skip reason, by country: both sides are the same country.
pub const SAME_COUNTRY: &str = "same country on both sides";
/// Skip reason, with `--actors code`: both sides are the same actor.
pub const SAME_ACTOR: &str = "same actor on both sides";

/// Country names as ICEWS writes them (ISO 3166 short names) where the CAMEO table spells
/// them differently, with their CAMEO codes. Also the spellings met inside actor names
/// (`Government (Russia)` is fine, `Priest (Holy See (Vatican City State))` needs one).
pub const ICEWS_NAMES: [(&str, &str); 11] = [
    ("Cote d'Ivoire", "CIV"),
    ("Congo", "COG"),
    ("Democratic Republic of Congo", "COD"),
    ("Holy See", "VAT"),
    ("Holy See (Vatican City State)", "VAT"),
    ("Moldova, Republic of", "MDA"),
    ("Palestinian Territory, Occupied", "PSE"),
    ("Russian Federation", "RUS"),
    ("the former Yugoslav Republic of Macedonia", "MKD"),
    ("Timor-Leste", "TMP"),
    ("Vatican City State", "VAT"),
];

/// The columns an ICEWS events file must have.
const REQUIRED: [&str; 7] = [
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Country",
    "CAMEO Code",
    "Target Name",
    "Target Country",
];

/// Where each column is.
struct Columns {
    event_id: usize,
    event_date: usize,
    source_name: usize,
    source_country: usize,
    cameo_code: usize,
    target_name: usize,
    target_country: usize,
    event_text: Option<usize>,
    intensity: Option<usize>,
    publisher: Option<usize>,
    /// The story (article) that reported the event: relations count their distinct stories.
    story_id: Option<usize>,
}

/// A header name, compared ignoring case, with `_` and `.` read as spaces.
fn normalise_header(name: &str) -> String {
    let name = name.trim_start_matches('\u{feff}').to_lowercase().replace(['_', '.'], " ");
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Columns {
    fn from_header(path: &Path, line: u64, header: &[String]) -> Result<Columns> {
        let names: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
        let find = |wanted: &str| names.iter().position(|n| *n == normalise_header(wanted));
        let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| find(c).is_none()).collect();
        if !missing.is_empty() {
            let hint = if header.len() == 1 && header[0].contains(',') {
                " (it looks comma-separated; ICEWS files are tab-separated)"
            } else {
                ""
            };
            bail!(
                "{}:{line}: not an ICEWS events file: the header has no column {}{hint}; an ICEWS events file is \
                 tab-separated with a header row naming at least {}, as published on Dataverse",
                path.display(),
                missing.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
                REQUIRED.join(", "),
            );
        }
        let required = |wanted: &str| find(wanted).expect("checked above");
        Ok(Columns {
            event_id: required("Event ID"),
            event_date: required("Event Date"),
            source_name: required("Source Name"),
            source_country: required("Source Country"),
            cameo_code: required("CAMEO Code"),
            target_name: required("Target Name"),
            target_country: required("Target Country"),
            event_text: find("Event Text"),
            intensity: find("Intensity"),
            publisher: find("Publisher"),
            story_id: find("Story ID"),
        })
    }
}

/// The files of a folder this importer reads (Dataverse's `.tab`, and `.tsv` or `.txt`
/// copies).
pub const FILES: crate::import::input::Matching =
    crate::import::input::Matching { extensions: &["tab", "tsv", "txt"], excluded: &[] };

/// Reads one ICEWS events file into the builder; `path` is its name in messages and
/// rejects.csv (a `.tab.zip` or a compressed file is opened by [`crate::import::input`]).
///
/// # Errors
/// When the file cannot be read, its header lacks a required column, or (with `--strict`)
/// at the first bad row.
pub fn read(
    path: &Path,
    input: &mut dyn Read,
    builder: &mut Builder,
    options: &Options,
    progress: &Progress,
) -> Result<()> {
    let mut lines = Lines { reader: BufReader::with_capacity(1 << 16, input), buffer: Vec::new(), line: 0 };
    let cannot_read = || format!("cannot read {}", path.display());
    let Some(header_line) = lines.next().with_context(cannot_read)? else {
        bail!("{} is empty: an ICEWS events file starts with a header row", path.display());
    };
    let header: Vec<String> = String::from_utf8_lossy(lines.text()).split('\t').map(str::to_string).collect();
    let columns = Columns::from_header(path, header_line, &header)?;
    let mut importer = Importer {
        path,
        columns: &columns,
        width: header.len(),
        mode: options.actors,
        cameo: options.cameo,
        added: HashSet::new(),
    };
    while let Some(line) = lines.next().with_context(cannot_read)? {
        builder.rows += 1;
        progress.row();
        importer.row(builder, line, lines.text())?;
    }
    Ok(())
}

/// The non-blank lines of a file, one at a time, numbered as an editor numbers them (also
/// with CRLF line ends, and after blank lines). ICEWS files are not quoted, so a line is a
/// row; the csv crate is not used because its line numbers are off in exactly those two
/// cases (rust-csv#395).
struct Lines<R> {
    reader: R,
    buffer: Vec<u8>,
    line: u64,
}

impl<R: BufRead> Lines<R> {
    /// The number of the next non-blank line; its text is then [`Lines::text`].
    fn next(&mut self) -> std::io::Result<Option<u64>> {
        loop {
            self.buffer.clear();
            if self.reader.read_until(b'\n', &mut self.buffer)? == 0 {
                return Ok(None);
            }
            self.line += 1;
            while matches!(self.buffer.last(), Some(b'\n' | b'\r')) {
                self.buffer.pop();
            }
            if self.line == 1 && self.buffer.starts_with("\u{feff}".as_bytes()) {
                self.buffer.drain(..3);
            }
            // Blank: nothing but spaces. A line of tabs is a row of empty fields, and rejected.
            if !self.buffer.iter().all(|&b| b == b' ') {
                return Ok(Some(self.line));
            }
        }
    }

    /// The current line, without its line break.
    fn text(&self) -> &[u8] {
        &self.buffer
    }
}

/// One file's reading state.
struct Importer<'a> {
    path: &'a Path,
    columns: &'a Columns,
    /// The header's field count: every row must have it.
    width: usize,
    mode: ActorMode,
    /// Which CAMEO codes make which relation.
    cameo: &'a cameo::CameoMap,
    /// Actor ids already given to the builder (it keeps the first anyway; this saves the
    /// copies).
    added: HashSet<String>,
}

/// A row's checked values.
struct Row<'r> {
    id: String,
    day: Day,
    kind: cameo::Meaning,
    score: Option<f64>,
    source: Side<'r>,
    target: Side<'r>,
    code: &'r str,
    text: &'r str,
    publisher: &'r str,
    story: &'r str,
}

/// One side of an event: the actor's name as written and its country, when given.
struct Side<'r> {
    name: &'r str,
    country: Option<Country>,
}

impl Importer<'_> {
    fn row(&mut self, builder: &mut Builder, line: u64, bytes: &[u8]) -> Result<()> {
        // A row met before is a duplicate first, whatever else is wrong with it.
        let id = std::str::from_utf8(bytes)
            .ok()
            .and_then(|text| text.split('\t').nth(self.columns.event_id))
            .and_then(value)
            .filter(|f| f.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|f| f.parse::<u64>().ok())
            .map(|n| format!("icews:{n}"));
        if id.as_deref().is_some_and(|id| builder.duplicate(id)) {
            return Ok(());
        }
        self.checked_row(builder, line, bytes)?;
        if let Some(id) = id {
            builder.met(&id);
        }
        Ok(())
    }

    /// A row that is not a duplicate.
    fn checked_row(&mut self, builder: &mut Builder, line: u64, bytes: &[u8]) -> Result<()> {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return builder.reject(self.path, line, "not valid UTF-8 text", String::from_utf8_lossy(bytes));
        };
        let fields: Vec<&str> = text.split('\t').collect();
        if fields.len() != self.width {
            let reason = format!(
                "{} field{} but the header has {} (a tab inside a value, or a line cut short?)",
                fields.len(),
                if fields.len() == 1 { "" } else { "s" },
                self.width
            );
            return builder.reject(self.path, line, reason, text);
        }
        let row = match self.check(&fields) {
            Ok(row) => row,
            Err(problems) => return builder.reject(self.path, line, problems.join("; "), text),
        };
        let (source_country, target_country) = match (&row.source.country, &row.target.country) {
            (Some(s), Some(t)) => (s, t),
            (None, Some(_)) => {
                builder.skip(NO_SOURCE_COUNTRY);
                return Ok(());
            }
            (Some(_), None) => {
                builder.skip(NO_TARGET_COUNTRY);
                return Ok(());
            }
            (None, None) => {
                builder.skip(NO_COUNTRY);
                return Ok(());
            }
        };
        let (source, target) = match self.mode {
            ActorMode::Country => (source_country.spec(), target_country.spec()),
            ActorMode::Code => {
                (member(row.source.name, source_country), member(row.target.name, target_country))
            }
        };
        if source.id == target.id {
            builder.skip(if self.mode == ActorMode::Country { SAME_COUNTRY } else { SAME_ACTOR });
            return Ok(());
        }
        // After the skips above, so that it counts exactly the events the map removes.
        let cameo::Meaning::Kind(kind) = row.kind else {
            builder.skip(cameo::MAPPED_SKIP);
            return Ok(());
        };
        for (country, actor) in [(source_country, &source), (target_country, &target)] {
            if actor.parent.is_some() {
                self.add(builder, country.spec());
            }
        }
        let id = format!("icews:{}", row.id);
        let text = if row.text.is_empty() { String::new() } else { format!("{} ", row.text) };
        builder.source(SourceSpec {
            id: id.clone(),
            title: format!(
                "ICEWS event {}: {} → {}: {text}(CAMEO {})",
                row.id,
                display_name(row.source.name, source_country),
                display_name(row.target.name, target_country),
                row.code
            ),
            publisher: row.publisher.to_string(),
            published: Some(PartialDate::day(row.day)),
            url: String::new(),
            reliability: None,
        });
        builder.event(Event {
            source: source.id.clone(),
            target: target.id.clone(),
            kind,
            day: row.day,
            id,
            goldstein: row.score,
            article: (!row.story.is_empty()).then(|| crate::import::aggregate::article_key(row.story)),
            // ICEWS does not say how many reported an event: its evidence ranks by id.
            sources: 0,
            articles: 0,
        });
        self.add(builder, source);
        self.add(builder, target);
        Ok(())
    }

    fn add(&mut self, builder: &mut Builder, actor: ActorSpec) {
        if !self.added.contains(&actor.id) {
            self.added.insert(actor.id.clone());
            builder.actor(actor);
        }
    }

    /// Checks a row's values; every problem found, in column order, when it is bad.
    fn check<'r>(&self, fields: &[&'r str]) -> Result<Row<'r>, Vec<String>> {
        let c = self.columns;
        let get = |ix: usize| value(fields[ix]);
        let optional = |ix: Option<usize>| ix.and_then(get).unwrap_or("");
        let mut problems = Vec::new();

        let id = match get(c.event_id) {
            None => {
                problems.push(format!("Event ID is missing ({})", missing(fields[c.event_id])));
                None
            }
            Some(text) => match text.parse::<u64>() {
                Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) => Some(n.to_string()),
                _ => {
                    problems.push(format!(
                        "Event ID \"{text}\" is not a number: ICEWS event ids are whole numbers"
                    ));
                    None
                }
            },
        };
        let day = match get(c.event_date) {
            None => {
                problems.push(format!("Event Date is missing ({})", missing(fields[c.event_date])));
                None
            }
            Some(text) => match event_date(text) {
                Ok(day) => Some(day),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
        };
        let code = get(c.cameo_code);
        let kind = match code {
            None => {
                problems.push(format!("CAMEO Code is missing ({})", missing(fields[c.cameo_code])));
                None
            }
            Some(code) => match event_kind(code, self.cameo) {
                Ok(kind) => Some(kind),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
        };
        let score = match c.intensity.and_then(get) {
            None => None,
            Some(text) => match text.parse::<f64>() {
                Ok(g) if g.is_finite() && (-10.0..=10.0).contains(&g) => Some(g),
                Ok(_) => {
                    problems.push(format!("Intensity {text} is outside -10 to 10"));
                    None
                }
                Err(_) => {
                    problems.push(format!("Intensity \"{text}\" is not a number"));
                    None
                }
            },
        };
        let mut side = |name_ix: usize, country_ix: usize, column: &str| {
            let country = get(country_ix).and_then(|name| match Country::of(name) {
                Some(country) => Some(country),
                None => {
                    problems.push(format!("{column} \"{name}\" has no letter or digit"));
                    None
                }
            });
            Side { name: get(name_ix).unwrap_or(""), country }
        };
        let source = side(c.source_name, c.source_country, "Source Country");
        let target = side(c.target_name, c.target_country, "Target Country");

        match (id, day, kind) {
            (Some(id), Some(day), Some(kind)) if problems.is_empty() => Ok(Row {
                id,
                day,
                kind,
                score,
                source,
                target,
                code: code.unwrap_or(""),
                text: optional(c.event_text),
                publisher: optional(c.publisher),
                story: optional(c.story_id),
            }),
            _ => Err(problems),
        }
    }
}

/// `Event Date` in either of the styles ICEWS published: `2018-01-31` (ISO), or `1/31/2018`
/// (month/day/year, as in the Events.2017 file on Dataverse; leading zeros optional).
fn event_date(text: &str) -> Result<Day, String> {
    let styles = "write YYYY-MM-DD or M/D/YYYY";
    if !text.contains('/') {
        return match PartialDate::parse(text) {
            Ok(date) if date.precision() == Precision::Day => Ok(date.first()),
            Ok(_) => Err(format!("Event Date \"{text}\" is not a day: {styles}")),
            Err(e) => Err(format!("Event Date \"{text}\" is not a date: {e}; {styles}")),
        };
    }
    let parts: Vec<&str> = text.split('/').collect();
    let number = |part: &str, most: usize| {
        (!part.is_empty() && part.len() <= most && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<i16>().ok())
            .flatten()
    };
    let [m, d, y] = parts[..] else {
        return Err(format!("Event Date \"{text}\" is not a date: {styles}"));
    };
    let (Some(month), Some(day), Some(year)) = (number(m, 2), number(d, 2), number(y, 4)) else {
        return Err(format!("Event Date \"{text}\" is not a date: {styles}"));
    };
    if y.len() != 4 {
        return Err(format!("Event Date \"{text}\" has a two-digit year: {styles}"));
    }
    if !(1..=12).contains(&month) {
        return Err(format!(
            "Event Date \"{text}\" is not a date: month {month} (dates with / are month/day/year); {styles}"
        ));
    }
    let iso = format!("{year:04}-{month:02}-{day:02}");
    match PartialDate::parse(&iso) {
        Ok(date) => Ok(date.first()),
        Err(e) => Err(format!("Event Date \"{text}\" is not a date: {e}; {styles}")),
    }
}

/// A field's value: `None` when it is empty or `NA`.
fn value(field: &str) -> Option<&str> {
    let field = field.trim();
    (!field.is_empty() && field != "NA").then_some(field)
}

/// How a missing value was written, for messages.
fn missing(field: &str) -> &'static str {
    if field.trim().is_empty() {
        "empty"
    } else {
        "NA"
    }
}

/// The relation kind of a CAMEO event code, or why it is not one.
fn event_kind(code: &str, map: &cameo::CameoMap) -> Result<cameo::Meaning, String> {
    let shape = (2..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit());
    let root = if shape { cameo::root_code(code) } else { None };
    let not_a_code =
        || format!("CAMEO Code \"{code}\" is not a CAMEO event code (2 to 4 digits, from root 01 to 20)");
    let root = root.ok_or_else(not_a_code)?;
    map.meaning(code).ok_or_else(|| format!("CAMEO Code \"{code}\" has root {root:02}, not one of 01 to 20"))
}

/// A country as a `Country` column names it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Country {
    id: String,
    /// The CAMEO name, or the name as written for a country not in the CAMEO table.
    name: String,
    /// The CAMEO code, when it has one.
    code: Option<&'static str>,
    /// A country, or a region.
    kind: ActorKind,
}

impl Country {
    /// The country a name stands for; `None` when the name has no letter or digit to make an
    /// id from.
    fn of(name: &str) -> Option<Country> {
        if let Some(code) = country_code(name) {
            let name = cameo::country_name(code).unwrap_or(name);
            let (id, kind) = ids::from_cameo(code);
            return Some(Country { id, name: name.to_string(), code: Some(code), kind });
        }
        if let Some(known) = ids::from_name(name) {
            let name = name.trim().to_string();
            return Some(Country { id: known.id.to_string(), name, code: None, kind: known.kind });
        }
        let id = name_id(name);
        (!id.is_empty()).then(|| Country { id, name: name.to_string(), code: None, kind: ActorKind::Country })
    }

    fn spec(&self) -> ActorSpec {
        let aliases = match self.code {
            Some(code) => ICEWS_NAMES
                .iter()
                .filter(|(name, c)| *c == code && !name.eq_ignore_ascii_case(&self.name))
                .map(|(name, _)| (*name).to_string())
                .collect(),
            None => Vec::new(),
        };
        ActorSpec { id: self.id.clone(), name: self.name.clone(), kind: self.kind, parent: None, aliases }
    }
}

/// The CAMEO code of a country name as ICEWS writes it, ignoring case.
fn country_code(name: &str) -> Option<&'static str> {
    let name = name.trim();
    ICEWS_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, code)| *code)
        .or_else(|| cameo::country_code(name))
        // "0" is CAMEO's "Unknown or Not Applicable", not a country.
        .filter(|code| *code != "0")
}

/// The id of a country in neither table: accents dropped, letters and digits upper-cased,
/// every run of anything else one `_`, none at either end (`Saint Martin` → `SAINT_MARTIN`).
/// Empty when the name has no letter or digit.
pub fn name_id(name: &str) -> String {
    let mut id = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if gap && !id.is_empty() {
                id.push('_');
            }
            gap = false;
            id.extend(c.to_uppercase());
        } else {
            gap = true;
        }
    }
    id
}

/// Whether a name stands for this country itself (`Russia` for `Russian Federation`).
fn is_country(name: &str, country: &Country) -> bool {
    // Through the same mapping as the Country column, so that `Romania` is ROU's own name.
    Country::of(name).is_some_and(|named| named.id == country.id)
}

/// Splits `Foreign Affairs (Bangladesh)` into `Foreign Affairs` and `Bangladesh`; the
/// parenthesised part may itself hold parentheses (`Priest (Holy See (Vatican City State))`).
fn split_suffix(name: &str) -> Option<(&str, &str)> {
    let inner_end = name.strip_suffix(')')?.len();
    let mut depth = 0u32;
    for (at, c) in name[..inner_end].char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => return Some((name[..at].trim_end(), &name[at + 1..inner_end])),
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The actor a name stands for with `--actors code`: the country, or an agency of it (see the
/// module documentation).
fn member(name: &str, country: &Country) -> ActorSpec {
    if name.is_empty() || is_country(name, country) {
        return country.spec();
    }
    let short = match split_suffix(name) {
        Some((base, inner)) if !base.is_empty() && is_country(inner.trim(), country) => base,
        _ => name,
    };
    ActorSpec {
        id: format!("{}:{short}", country.id),
        name: name.to_string(),
        kind: ActorKind::Agency,
        parent: Some(country.id.clone()),
        aliases: Vec::new(),
    }
}

/// A side's name for a source title: the name as written, or the country's.
fn display_name<'a>(name: &'a str, country: &'a Country) -> &'a str {
    if name.is_empty() {
        &country.name
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(name: &str) -> Country {
        Country::of(name).unwrap()
    }

    #[test]
    fn countries_map_through_icews_spellings_then_cameo_then_their_name() {
        assert_eq!(country("Russian Federation").id, "RUS");
        assert_eq!(country("Russian Federation").name, "Russia");
        assert_eq!(country("Russian Federation").spec().aliases, ["Russian Federation"]);
        assert_eq!(country("Bangladesh").id, "BGD");
        assert_eq!(country("colombia").name, "Colombia");
        assert_eq!(country("Cote d'Ivoire").id, "CIV");
        // Regression (issue 17): names outside the CAMEO table got ids made from the name
        // (KOSOVO); the ids table gives their ISO code.
        assert_eq!(country("Kosovo").id, "XKX");
        assert_eq!(country("Kosovo").name, "Kosovo");
        assert_eq!(country("Brunei").id, "BRN");
        assert_eq!(country("Timor-Leste").id, "TLS", "CAMEO's TMP");
        assert_eq!(country("Romania").id, "ROU", "CAMEO's ROM");
        assert_eq!(country("Atlantis").id, "ATLANTIS", "a name in no table");
        assert_eq!(name_id("  Saint-Martin (French part) "), "SAINT_MARTIN_FRENCH_PART");
        assert_eq!(name_id("Curaçao"), "CURACAO");
        assert_eq!(Country::of("--"), None);
        assert_eq!(country_code("Unknown or Not Applicable"), None);
    }

    #[test]
    fn names_become_the_country_or_its_agencies() {
        let bgd = country("Bangladesh");
        let a = member("Foreign Affairs (Bangladesh)", &bgd);
        assert_eq!(
            (a.id.as_str(), a.name.as_str(), a.kind, a.parent.as_deref()),
            ("BGD:Foreign Affairs", "Foreign Affairs (Bangladesh)", ActorKind::Agency, Some("BGD"))
        );
        assert_eq!(member("Bangladesh", &bgd), bgd.spec());
        assert_eq!(member("", &bgd), bgd.spec());
        let rus = country("Russian Federation");
        assert_eq!(member("Russia", &rus).id, "RUS");
        assert_eq!(member("Government (Russia)", &rus).id, "RUS:Government");
        let nga = country("Nigeria");
        assert_eq!(member("Militant (Boko Haram)", &nga).id, "NGA:Militant (Boko Haram)");
        let vat = country("Holy See");
        assert_eq!(member("Priest (Holy See (Vatican City State))", &vat).id, "VAT:Priest");
        let usa = country("United States");
        let p = member("Donald Trump", &usa);
        assert_eq!(
            (p.id.as_str(), p.name.as_str(), p.kind),
            ("USA:Donald Trump", "Donald Trump", ActorKind::Agency)
        );
        assert_eq!(split_suffix("A (B) (C)"), Some(("A (B)", "C")));
        assert_eq!(split_suffix("A B)"), None);
    }

    #[test]
    fn both_date_styles_are_read() {
        let day = |y, m, d| Day::new(y, m, d).unwrap();
        assert_eq!(event_date("2017-01-31"), Ok(day(2017, 1, 31)));
        assert_eq!(event_date("1/31/2017"), Ok(day(2017, 1, 31)));
        assert_eq!(event_date("01/05/2017"), Ok(day(2017, 1, 5)));
        assert_eq!(event_date("12/1/2017"), Ok(day(2017, 12, 1)));
        assert!(event_date("31/1/2017").unwrap_err().contains("month 31 (dates with / are month/day/year)"));
        assert!(event_date("2/30/2017").unwrap_err().contains("is not a date"));
        assert!(event_date("1/31/17").unwrap_err().contains("two-digit year"));
        assert!(event_date("1/31").unwrap_err().contains("M/D/YYYY"));
        assert!(event_date("2017-01").unwrap_err().contains("is not a day"));
    }

    #[test]
    fn cameo_codes_give_kinds_or_say_why_not() {
        use crate::model::RelationKind;
        use cameo::Meaning;
        let event_kind = |code| event_kind(code, cameo::CameoMap::default_map());
        assert_eq!(event_kind("040"), Ok(Meaning::Kind(RelationKind::Cooperation)));
        assert_eq!(event_kind("1623"), Ok(Meaning::Kind(RelationKind::Restriction)));
        assert_eq!(event_kind("173"), Ok(Meaning::Kind(RelationKind::Dispute)));
        assert_eq!(event_kind("1724"), Ok(Meaning::Kind(RelationKind::Restriction)));
        assert_eq!(event_kind("010"), Ok(Meaning::Skip));
        assert!(event_kind("X1").unwrap_err().contains("not a CAMEO event code"));
        assert!(event_kind("04311").unwrap_err().contains("not a CAMEO event code"));
        assert!(event_kind("990").unwrap_err().contains("root 99"));
        assert!(event_kind("000").unwrap_err().contains("root 00"));
    }

    #[test]
    fn headers_match_ignoring_case_and_separators() {
        assert_eq!(normalise_header("\u{feff}Event_ID"), "event id");
        assert_eq!(normalise_header("Event.Date "), "event date");
        let header: Vec<String> =
            "Event ID\tEvent Date\tSource Name\tCAMEO Code\tTarget Name\tTarget Country"
                .split('\t')
                .map(String::from)
                .collect();
        let err = Columns::from_header(Path::new("x.tab"), 1, &header).err().unwrap().to_string();
        assert!(err.contains("no column \"Source Country\""), "{err}");
    }
}
