//! Running a plan: one file per command, each asking the store for what its question needs
//! (`georel::store`), asking the library, and writing the result where the plan says.
//! Shared here: opening the store, naming actors, and output.

/// Prints a line of the report on standard output, returning the write error instead of
/// panicking as `println!` does: a reader that went away (`georel ... | head`) then ends the
/// run quietly (see `main`). Control characters from the data are escaped
/// ([`georel::export::text::escape_controls`]).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        writeln!(std::io::stdout().lock(), "{}", georel::export::text::escape_controls(&line))
    }};
}

/// `eprintln!` for messages that may quote the data: control characters escaped
/// ([`georel::export::text::escape_controls`]).
macro_rules! tell {
    ($($arg:tt)*) => {{
        let line = format!($($arg)*);
        eprintln!("{}", georel::export::text::escape_controls(&line))
    }};
}

mod balance;
mod bench;
mod blocs;
mod brokers;
mod check;
mod conflicts;
mod diff;
mod export;
mod fractures;
mod frames;
mod import;
mod index;
mod neighbours;
mod path;
mod serve;
mod snapshot;
mod timeline;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

use georel::export::atomic;
use georel::export::render::{self, Layout, Picture};
use georel::model::{ActorIx, Dataset, GradeFilter};
use georel::progress::{Progress, Unit};
use georel::query::network::{Follow, Walk};
use georel::query::resolve::Resolver;

use crate::cli::QueryFormat;
use crate::plan::{Dest, Output, Plan, Query, SnapshotOutput, WalkPlan, When};
use georel::store::Store;

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Empty = 1,
    Error = 2,
    /// A search gave up before it had the whole answer (`path --all`); what it found is
    /// printed, and stderr says how to narrow the question.
    Incomplete = 3,
    /// An import kept no relation, or rejected too many rows, where it would replace a
    /// dataset: nothing was written.
    Refused = 4,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// Runs `plan`, reading only relations of the `grades` kept (the store applies them to
/// every dataset it reads); unless `force`, no result may replace a file of the dataset it
/// reads, or a file it reads as input.
pub fn run(plan: Plan, force: bool, grades: GradeFilter) -> Result<Exit> {
    if !force {
        atomic::guard_datasets();
        if let Some(data) = plan.data() {
            protect_dataset(data);
        }
        // `bench rel.csv ... --out rel.csv` replaced the CSV it had just read.
        for file in plan.input_files() {
            atomic::protect(file, "it is an input file of this run");
        }
    }
    let streams = match &plan {
        Plan::Snapshot(p) => matches!(p.output, SnapshotOutput::One { dest: Dest::Stdout, .. }),
        Plan::Export { dest, .. } => *dest == Dest::Stdout,
        _ => false,
    };
    if streams {
        georel::progress::result_on_stdout();
    }
    match plan {
        Plan::Check { data } => check::run(open(&data, grades)?),
        Plan::Index { data, verify } => index::run(&data, verify),
        Plan::Snapshot(plan) => snapshot::run(&plan, grades),
        Plan::Frames(plan) => {
            let ds = open(&plan.data, grades)?.whole()?;
            frames::run(&plan, &ds)
        }
        Plan::Export { data, format, dest } => {
            let ds = open(&data, grades)?.whole()?;
            export::run(&ds, format, &dest)
        }
        Plan::Import(plan) => import::run(&plan),
        Plan::Bench(args) => bench::run(&args),
        Plan::Serve { data, host, port, open } => serve::run(&data, host, port, open),
        Plan::Timeline(plan) => timeline::run(self::open(&plan.data, grades)?, &plan),
        Plan::Query { data, query, output } => {
            // A question that reads a day's cut has the time index checked as the store opens
            // (see `Store::open_for_days`): `path --all` on a day. A path or a neighbourhood
            // on a day reads around its actors instead (`Store::near_path`), and a day's
            // conflicts or fractures the day's records (`Store::contested_on`).
            let cut = match &query {
                Query::Path { at, all, .. } => all.is_some() && at.as_day().is_some(),
                Query::Neighbours { .. }
                | Query::Diff { .. }
                | Query::Conflicts { .. }
                | Query::Fractures { .. }
                | Query::Balance { .. }
                | Query::Blocs { .. } => false,
                // Betweenness on a day reads the day's cut.
                Query::Brokers { when, .. } => matches!(when, When::Window(w) if w.as_day().is_some()),
            };
            let store = if cut { Store::open_for_days(&data, grades)? } else { open(&data, grades)? };
            match query {
                Query::Path { from, to, at, all, walk, options } => {
                    let args = path::Args { from, to, at, all, walk, options };
                    // A diagram draws the path over every edge touching it, read with it.
                    let diagram =
                        matches!(output.format, QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png);
                    path::run(&store, args, &output, diagram)
                }
                Query::Neighbours { actor, at, depth, walk, options } => {
                    neighbours::run(store, &actor, at, depth, &walk, options, &output)
                }
                Query::Diff { from, to, options } => diff::run(store, from, to, options, &output),
                Query::Conflicts { at, grouping, strict } => {
                    conflicts::run(store, at, grouping, strict, &output)
                }
                Query::Fractures { at, groups, strict, by_country } => {
                    fractures::run(store, at, &groups, strict, by_country, &output)
                }
                Query::Balance { when, contested, options } => {
                    balance::run(store, &when, contested, options, &output)
                }
                Query::Brokers { when, top, pivots, seed, endpoints, options } => {
                    let settings = georel::query::brokers::Settings { endpoints, pivots, seed };
                    brokers::run(store, &when, top, settings, options, &output)
                }
                Query::Blocs { when, k, alpha, seed, contested, options } => blocs::run(
                    store,
                    &when,
                    georel::query::blocs::Settings { k, alpha, seed, contested },
                    options,
                    &output,
                ),
            }
        }
    }
}

/// Opens the dataset in `data` for a question that is not about one day. A command that has
/// read what it needs drops its store before answering: the index's pages, mapped while
/// it was checked, would count in the command's memory meanwhile.
fn open(data: &Path, grades: GradeFilter) -> Result<Store> {
    Ok(Store::open(data, grades)?)
}

/// Forbids every write of this run to replace the files of the dataset in `data`: a
/// `snapshot --format edges-csv --out data/relations.csv` overwrote it with one day.
fn protect_dataset(data: &Path) {
    let why = format!("it is a file of the dataset being read (--data {})", data.display());
    for file in georel::store::data_files(data) {
        atomic::protect(&file, &why);
    }
}

/// The actor a command-line name stands for.
fn actor(resolver: &Resolver<'_>, name: &str) -> Result<ActorIx> {
    Ok(resolver.resolve(name)?)
}

/// The walk a plan describes, with its avoided actors resolved.
fn walk(
    resolver: &Resolver<'_>,
    plan: &WalkPlan,
    grouping: georel::snapshot::Grouping,
    ds: &Dataset,
) -> Result<Walk> {
    let avoid = plan
        .avoid
        .iter()
        .map(|name| actor(resolver, name).map(|a| grouping.unit(ds, a)))
        .collect::<Result<_>>()?;
    Ok(Walk {
        direction: if plan.directed { Follow::Forward } else { Follow::Both },
        part_of: plan.part_of,
        avoid,
    })
}

/// The file extension of a query format.
fn extension(format: QueryFormat) -> &'static str {
    match format {
        QueryFormat::Text => "txt",
        QueryFormat::Csv => "csv",
        QueryFormat::Json => "json",
        QueryFormat::Dot => "dot",
        QueryFormat::Svg => "svg",
        QueryFormat::Png => "png",
    }
}

/// The longest default file stem, in bytes. File systems allow 255 bytes in a name; this
/// leaves room for the extension and for the temporary file's prefix and suffix.
const MAX_STEM: usize = 160;

/// Keeps a file name portable: letters, digits, `-`, `_` and `.`; anything else becomes `_`.
/// A stem longer than [`MAX_STEM`] bytes (a 300-character actor id) is cut, and a hash of the
/// whole stem is appended, so that distinct long names stay distinct and the same question
/// always gets the same name.
fn file_stem(parts: &[&str]) -> String {
    let stem = parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect()
        })
        .collect::<Vec<String>>()
        .join("-");
    shorten(stem, MAX_STEM)
}

/// `stem` itself when it has at most `max` bytes; else its start, cut on a character
/// boundary, then `-` and 16 hex digits of its hash, `max` bytes at most in all.
fn shorten(stem: String, max: usize) -> String {
    if stem.len() <= max {
        return stem;
    }
    let hash = format!("-{:016x}", xxhash_rust::xxh3::xxh3_64(stem.as_bytes()));
    let mut cut = max.saturating_sub(hash.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{hash}", &stem[..cut])
}

/// Writes a result to stdout or, atomically, to its file; says where it went.
fn emit(output: &Output, stem: &[&str], write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    emit_to(&output.dest, stem, extension(output.format), write)
}

/// [`emit`] for a command with formats of its own: `extension` names a file in a folder.
fn emit_to(
    dest: &Dest,
    stem: &[&str],
    extension: &str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let write = |out: &mut dyn Write| match extension {
        "csv" => georel::export::csv::for_spreadsheet("the CSV", out, write),
        _ => write(out),
    };
    let path: PathBuf = match dest {
        Dest::Stdout => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            write(&mut out).and_then(|()| out.flush())?;
            return Ok(());
        }
        Dest::File(path) => path.clone(),
        Dest::Dir(dir) => dir.join(format!("{}.{extension}", file_stem(stem))),
    };
    let written = atomic::write_file(&path, atomic::Cache::Bypass, write)?;
    say!("wrote {}", written.display())?;
    Ok(())
}

/// Writes a diagram: as DOT, or drawn as SVG or PNG by Graphviz. `size` (nodes, edges)
/// chooses the layout when the user did not.
fn emit_diagram(
    output: &Output,
    stem: &[&str],
    size: (usize, usize),
    write_dot: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let picture = match output.format {
        QueryFormat::Svg => Picture::Svg,
        QueryFormat::Png => Picture::Png,
        _ => return emit(output, stem, write_dot),
    };
    let bytes = draw(output.layout, size, output.large_picture, picture, write_dot)?;
    emit(output, stem, |out| out.write_all(&bytes))
}

/// Draws a diagram with Graphviz, unless it is too large to draw and `large` does not insist
/// ([`render::check_size`]); warns when the chosen layout is too slow for its size.
pub fn draw(
    layout: Option<Layout>,
    (nodes, edges): (usize, usize),
    large: bool,
    picture: Picture,
    write_dot: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<Vec<u8>> {
    render::check_size(nodes, edges, large)?;
    let mut dot = Vec::new();
    write_dot(&mut dot)?;
    let layout = layout.unwrap_or_else(|| Layout::for_size(nodes, edges));
    if layout == Layout::Dot && Layout::for_size(nodes, edges) != Layout::Dot {
        eprintln!(
            "georel: warning: the dot layout may take minutes at {nodes} nodes and {edges} edges; --layout sfdp is much faster"
        );
    }
    let _progress = Progress::new(
        format!(
            "Graphviz ({}) is drawing {} and {}",
            layout.as_str(),
            georel::export::text::count(nodes, "actor", "actors"),
            georel::export::text::count(edges, "relation", "relations")
        ),
        Unit::None,
    );
    Ok(render::render(&dot, layout, picture, &[])?)
}

/// Says on stderr what `note` says was left out by grade (nothing when it is empty), for a
/// result other than text: text says it on its summary line, and stderr keeps CSV, JSON and
/// DOT clean.
fn tell_graded(output: &Output, what: &str, note: &str) {
    if output.format != QueryFormat::Text {
        tell_graded_always(what, note);
    }
}

/// Says on stderr what `note` says was left out by grade, for a result that does not say it.
fn tell_graded_always(what: &str, note: &str) {
    if !note.is_empty() {
        tell!("georel: {what}:{note}");
    }
}

/// Tells the user on stderr that the result is empty, and returns the matching exit code.
fn empty(message: impl std::fmt::Display) -> Result<Exit> {
    tell!("georel: {message}");
    Ok(Exit::Empty)
}

#[cfg(test)]
mod tests {
    use super::{file_stem, shorten, MAX_STEM};

    #[test]
    fn long_stems_are_cut_on_a_character_boundary_with_a_hash() {
        let long = "é".repeat(200);
        let short = shorten(long.clone(), 100);
        assert!(short.len() <= 100, "{}", short.len());
        assert_eq!(short, shorten(long.clone(), 100), "deterministic");
        assert_ne!(short, shorten(format!("{long}x"), 100), "distinct names stay distinct");
        assert_eq!(shorten("path-A-B".into(), 100), "path-A-B", "short names are kept");
        let id = "A".repeat(300);
        let stem = file_stem(&["path", &id, "B", "2025-06-15"]);
        assert!(stem.len() <= MAX_STEM && stem.starts_with("path-AAAA"), "{stem}");
    }
}
