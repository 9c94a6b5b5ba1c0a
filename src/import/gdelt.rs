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
//! | 26 | `EventCode` | the source's title (with its CAMEO label) |
//! | 28 | `EventRootCode` | the kind (root 16, "reduce relations", is a restriction) |
//! | 29 | `QuadClass` | the kind (1-2 cooperation, 3-4 dispute) |
//! | 30 | `GoldsteinScale` | the event's Goldstein score (may be empty) |
//! | 32, 33 | `NumSources`, `NumArticles` | the evidence ranking (a value that is not a number counts as 0) |
//! | 57 (1.0, 58 columns), 60 (2.0) | `SOURCEURL` | the source's url |
//!
//! A file that starts with a zip signature is read as a zip archive: every member whose name
//! ends in `.csv` (any case) is read in archive order, streamed from the archive; rejected rows
//! name the member as `ARCHIVE.zip/MEMBER.CSV`.
//!
//! # Actors
//!
//! By default an actor is its country: id the CAMEO country code, name from the CAMEO country
//! table (the code itself when the table does not know it), kind country. With
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
//! `QuadClass` or `GoldsteinScale`, a malformed country or actor code); a valid row without a
//! country on one side, or with the same actor on both sides, is skipped and counted by reason
//! (a relation needs two actors). Validation comes first, so the rejected rows are the same
//! whichever `--actors` is chosen. Each remaining row is one event, and its source:
//! "GDELT 2.0 event 881990833: CAMEO 040 (Consult, not specified below)", published by GDELT
//! on the event's day, with the article's url.
//!
//! The CAMEO event labels are `cameo_eventcodes.tsv` and the actor types
//! `cameo_actortype.tsv` beside this file: `CAMEO.eventcodes.txt` and `CAMEO.actortype.txt` as
//! published with GDELT's lookup tables, unmodified (one mis-encoded label is corrected in
//! `EVENT_CORRECTIONS`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result};
use csv::ByteRecord;

use crate::date::{Day, PartialDate, MAX_YEAR, MIN_YEAR};
use crate::import::{cameo, ActorMode, ActorSpec, Builder, Event, Lines, Options, Progress, SourceSpec};
use crate::model::ActorKind;

const GLOBALEVENTID: usize = 0;
const SQLDATE: usize = 1;
const ACTOR1_CODE: usize = 5;
const ACTOR1_COUNTRY: usize = 7;
const ACTOR2_CODE: usize = 15;
const ACTOR2_COUNTRY: usize = 17;
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

    /// The `SOURCEURL` column of a row with `columns` columns.
    fn url_column(self, columns: usize) -> Option<usize> {
        match (self, columns) {
            (Version::V1, 58) => Some(57),
            (Version::V2, _) => Some(60),
            _ => None,
        }
    }
}

/// Reads one GDELT event file (or a zip archive of them) into the builder.
///
/// # Errors
/// When the file cannot be read or is not a readable zip archive, when an archive holds no
/// `.csv` member, or (with `--strict`) at the first bad row.
pub fn read(path: &Path, builder: &mut Builder, options: &Options, progress: &Progress) -> Result<()> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    if is_zip(&mut file).with_context(|| format!("cannot read {}", path.display()))? {
        read_zip(file, path, builder, options, progress)
    } else {
        read_rows(file, path, builder, options, progress)
    }
}

/// True when the file starts with a zip signature (a local file header, or the end record
/// of an empty archive); the file is left at its start.
fn is_zip(file: &mut File) -> std::io::Result<bool> {
    let mut magic = [0u8; 4];
    let mut filled = 0;
    while filled < magic.len() {
        match file.read(&mut magic[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(filled == 4 && (magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06"))
}

fn read_zip(
    file: File,
    path: &Path,
    builder: &mut Builder,
    options: &Options,
    progress: &Progress,
) -> Result<()> {
    let mut archive = zip::ZipArchive::new(BufReader::new(file))
        .with_context(|| format!("cannot read {} as a zip archive", path.display()))?;
    let mut members = 0;
    for index in 0..archive.len() {
        let member = archive.by_index(index).with_context(|| {
            format!("cannot read member {} of the zip archive {}", index + 1, path.display())
        })?;
        if member.is_dir() || !member.name().to_ascii_lowercase().ends_with(".csv") {
            continue;
        }
        members += 1;
        let name = PathBuf::from(format!("{}/{}", path.display(), member.name()));
        read_rows(member, &name, builder, options, progress)?;
    }
    if members == 0 {
        let names: Vec<&str> = archive.file_names().collect();
        anyhow::bail!(
            "the zip archive {} holds no .CSV file (GDELT publishes one .CSV per archive); it holds: {}",
            path.display(),
            if names.is_empty() { "nothing".to_string() } else { names.join(", ") }
        );
    }
    Ok(())
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
    }
    Ok(())
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
fn parse(record: &ByteRecord, version: Version, options: &Options) -> Result<Row, String> {
    let id = event_id(field(record, GLOBALEVENTID))?;
    let day = sqldate(&field(record, SQLDATE))?;
    let root = root_code(&field(record, EVENT_ROOT_CODE))?;
    let quad = quad_class(&field(record, QUAD_CLASS))?;
    let code = event_code(&field(record, EVENT_CODE), root)?;
    let goldstein = goldstein(&field(record, GOLDSTEIN))?;
    let kind = cameo::kind(root, Some(quad))
        .ok_or_else(|| format!("EventRootCode {root:02} with QuadClass {quad} has no relation kind"))?;
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
    let url = match version.url_column(record.len()) {
        Some(i) => web_address(&field(record, i))?,
        None => String::new(),
    };
    let title = match event_label(&code) {
        Some(label) => format!("{} event {id}: CAMEO {code} ({label})", version.name()),
        None => format!("{} event {id}: CAMEO {code}", version.name()),
    };
    let id = format!("gdelt:{id}");
    let source = SourceSpec {
        id: id.clone(),
        title,
        publisher: "GDELT".into(),
        published: Some(PartialDate::day(day)),
        url,
        reliability: None,
    };
    // Only a ranking: a bad count does not make the event wrong.
    let count = |i: usize| field(record, i).parse::<u32>().unwrap_or(0);
    let event = Event {
        source: source_actor,
        target: target_actor,
        kind,
        day,
        id,
        goldstein,
        sources: count(NUM_SOURCES),
        articles: count(NUM_ARTICLES),
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

/// A field, trimmed of ASCII white space; invalid UTF-8 is replaced (and then fails
/// validation where the field must be a code or a number).
fn field(record: &ByteRecord, index: usize) -> Cow<'_, str> {
    match record.get(index).map(<[u8]>::trim_ascii) {
        Some(bytes) => String::from_utf8_lossy(bytes),
        None => Cow::Borrowed(""),
    }
}

/// The row as read, tab-separated, for rejects.csv.
fn raw(record: &ByteRecord) -> String {
    let mut out = String::new();
    for (i, f) in record.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        out.push_str(&String::from_utf8_lossy(f));
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
    if text.is_empty() {
        return Err("SQLDATE is empty".into());
    }
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("SQLDATE {text:?} is not a date (YYYYMMDD)"));
    }
    // Eight ASCII digits: each part parses and fits.
    let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(4..6), number(6..8));
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(format!(
            "SQLDATE {text} is not a date (year {year:04}; years run from {MIN_YEAR:04} to {MAX_YEAR})"
        ));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("SQLDATE {text} is not a date (month {month:02})"));
    }
    // In range: month is 1..=12 and day has two digits.
    let (month, day) = (month as i8, day as i8);
    let day = Day::new(year, month, day).map_err(|_| {
        let days = Day::new(year, month, 1).map_or(0, |d| d.days_in_month());
        format!("SQLDATE {text} is not a date (day {day:02}: {year:04}-{month:02} has {days} days)")
    })?;
    // A relation ends the day after its last event, and that day must be writable too.
    if day.tomorrow().map_or(true, |next| next.year() > MAX_YEAR) {
        return Err(format!(
            "SQLDATE {text} is too late: a relation ends the day after its last event, and dates stop at \
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
fn event_code(text: &str, root: u8) -> Result<String, String> {
    if text.is_empty() {
        return Err("EventCode is empty".into());
    }
    let digits = (2..=4).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    if !digits || cameo::root_code(text) != Some(root) {
        return Err(format!("EventCode {text:?} is not a CAMEO event code under EventRootCode {root:02}"));
    }
    Ok(text.to_string())
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
fn country(text: Cow<'_, str>, column: &str) -> Result<Option<String>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!("{column} {text:?} is not a CAMEO country code (three capital letters)"));
    }
    Ok(Some(text.into_owned()))
}

/// An actor-code column: empty, or three-character CAMEO codes run together (letters and
/// digits; ethnic and religious codes are lower case).
fn actor_code(text: Cow<'_, str>, column: &str) -> Result<String, String> {
    if !text.is_empty() && (!text.len().is_multiple_of(3) || !text.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return Err(format!("{column} {text:?} is not a CAMEO actor code (three-letter codes run together)"));
    }
    Ok(text.into_owned())
}

/// The actor of one side, its description (and its country's) pushed to `actors`.
fn actor(country: &str, code: &str, mode: ActorMode, actors: &mut Vec<ActorSpec>) -> String {
    let country_actor = |code: &str| ActorSpec {
        id: code.to_string(),
        name: cameo::country_name(code).unwrap_or(code).to_string(),
        kind: ActorKind::Country,
        parent: None,
        aliases: Vec::new(),
    };
    if mode == ActorMode::Country || code.is_empty() || code == country {
        actors.push(country_actor(country));
        return country.to_string();
    }
    if cameo::country_name(code).is_some() {
        actors.push(country_actor(code));
        return code.to_string();
    }
    actors.push(country_actor(country));
    actors.push(ActorSpec {
        id: code.to_string(),
        name: format!("{} ({code})", code_name(code)),
        kind: ActorKind::Agency,
        parent: Some(country.to_string()),
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
    fn codes_and_scores_are_checked() {
        assert_eq!(root_code("04"), Ok(4));
        assert_eq!(root_code("16"), Ok(16));
        assert!(root_code("21").is_err());
        assert!(root_code("4").is_err());
        assert!(root_code("040").is_err());
        assert_eq!(quad_class("3"), Ok(3));
        assert!(quad_class("5").is_err());
        assert!(quad_class("").is_err());
        assert_eq!(event_code("0431", 4), Ok("0431".to_string()));
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
