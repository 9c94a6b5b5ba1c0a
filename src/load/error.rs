//! Errors in user data: each names the file, the line, the column and the bad value, says
//! what is allowed, and how to fix it.

use std::fmt;
use std::path::PathBuf;

use crate::date::{DateError, DATE_FORMATS};

/// Where in a data file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// 1-based line of the row (of its first line, for a row with a quoted newline).
    pub line: Option<u64>,
    /// 1-based field number and the column's name in the header.
    pub column: Option<(usize, String)>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        // A Parquet file has rows, not lines: numbered as a spreadsheet shows them (the
        // first row of data is row 2, the line it would have in relations.csv).
        if self.file.extension().is_some_and(|e| e == "parquet") {
            if let Some(line) = self.line {
                write!(f, ": row {line}")?;
            }
            if let Some((_, name)) = &self.column {
                write!(f, "{} column {name}", if self.line.is_some() { "," } else { ":" })?;
            }
            return Ok(());
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some((number, _)) = &self.column {
                write!(f, ":{number}")?;
            }
        }
        if let Some((_, name)) = &self.column {
            write!(f, ": column {name}")?;
        }
        Ok(())
    }
}

/// One problem in a dataset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {problem}")]
pub struct DataError {
    /// Boxed so that `Result<_, DataError>` stays small on the per-cell hot path.
    pub location: Box<Location>,
    pub problem: Problem,
}

/// What is wrong. The text of each names the bad value, what is allowed and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error("the file is empty; it needs a header row naming its columns, at least: {required}")]
    EmptyFile { required: &'static str },
    #[error("the file is not valid UTF-8 (byte {byte} of the cell is {value:#04x}); save it as UTF-8")]
    NotUtf8 { byte: usize, value: u8 },
    #[error("missing required column{} {}; the header is {found:?}; expected columns: {expected}",
        if missing.len() == 1 { "" } else { "s" }, missing.join(", "))]
    MissingColumns { missing: Vec<&'static str>, found: String, expected: &'static str },
    #[error("column {name:?} appears more than once in the header; keep one")]
    DuplicateColumn { name: String },
    #[error("column {name:?} is not a known column, but looks like {known:?}, which is missing (did you mean {known}?); rename it {known}, or give it another name if it is an extra column (extra columns are ignored); column names are matched ignoring case and spaces")]
    MisspeltColumn { name: String, known: &'static str },
    #[error("the row has {found} fields but the header has {expected}; quote fields that contain commas (\"like, this\")")]
    Ragged { expected: usize, found: usize },
    #[error("unterminated quote: the quoted cell that starts here is not closed, so the {rows} row{} after it would be read into it; close the quote, and double any quote inside a quoted cell (\"like \"\"this\"\"\")",
        if *rows == 1 { "" } else { "s" })]
    UnterminatedQuote { rows: u64 },
    #[error("malformed CSV: {0}")]
    Csv(String),
    #[error("cannot read the Parquet file: {0}")]
    Parquet(String),
    #[error("the column has Parquet type {found}; georel reads text (strings), whole numbers, booleans and dates: write the column as one of those")]
    ParquetType { found: String },
    #[error("a dataset folder holds relations.csv or relations.parquet, not both; remove or rename the one that is not current")]
    TwoRelationFiles,
    #[error("a value is required here")]
    Missing,
    #[error("invalid date {value:?}: {reason}; write {DATE_FORMATS}")]
    InvalidDate { value: String, reason: DateError },
    #[error("end {end:?} is not after start {start:?}: intervals are half-open, so the end is the first day on which the relation no longer holds; leave the end empty if it is still in force; a one-off event ends the day after it, or, when known only to a month or year, in that same month or year (start 2021, end 2021)")]
    EndNotAfterStart { start: String, end: String },
    #[error("invalid value {value:?}; allowed: {allowed}")]
    NotAllowed { value: String, allowed: &'static str },
    #[error(
        "unknown actor {value:?}: it is not defined in actors.csv{}; define it there or correct the id (ids are case-sensitive)",
        suggestion_text(suggestion)
    )]
    UnknownActor { value: String, suggestion: Option<String> },
    #[error("unknown source {value:?}: it is not defined in sources.csv{}; evidence lists source ids separated by ';'", suggestion_text(suggestion))]
    UnknownSource { value: String, suggestion: Option<String> },
    #[error("duplicate {what} id {value:?}: already used on line {first_line}; ids must be unique")]
    DuplicateId { what: &'static str, value: String, first_line: u64 },
    #[error("actor {value:?} is its own parent; leave parent empty or name the actor it belongs to")]
    OwnParent { value: String },
    #[error("parent cycle: {}; an actor cannot belong, directly or indirectly, to itself", cycle_text(chain, *length))]
    ParentCycle {
        /// The first actors of the cycle (all of a short one), following parents.
        chain: Vec<String>,
        /// How many actors the cycle has.
        length: usize,
    },
    #[error("source and target are both {value:?}; a relation links two different actors")]
    SelfRelation { value: String },
    #[error(
        "a membership must point to an alliance, agreement or organisation, but {value:?} is {} {kind}",
        article(kind)
    )]
    MembershipTarget { value: String, kind: &'static str },
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// A cycle as `A -> B -> C -> A`; a long one by its first actors and how many more.
fn cycle_text(chain: &[String], length: usize) -> String {
    let first = chain.first().map_or("", String::as_str);
    if chain.len() >= length {
        format!("{} -> {first}", chain.join(" -> "))
    } else {
        format!("{} -> ... and {} more -> {first}", chain.join(" -> "), length - chain.len())
    }
}

fn suggestion_text(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean {s}?)"),
        None => String::new(),
    }
}

/// Every problem found while loading a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadErrors(pub Vec<DataError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "{n} problem{} in the dataset:", if n == 1 { "" } else { "s" })?;
        for e in &self.0 {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}
