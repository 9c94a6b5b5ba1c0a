//! Running a plan: one file per command, each loading the dataset, asking the library, and
//! writing the result where the plan says. Shared here: loading, naming actors, and output.

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

mod bench;
mod check;
mod conflicts;
mod diff;
mod export;
mod fractures;
mod frames;
mod import;
mod index;
mod near;
mod neighbours;
mod path;
mod serve;
mod snapshot;
mod timeline;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use georel::date::{Day, Window};
use georel::export::atomic;
use georel::export::render::{self, Layout, Picture};
use georel::load::index::{Index, Stamp, Unusable, INDEX_FILE};
use georel::model::{ActorIx, Dataset, GradeFilter};
use georel::progress::{Progress, Unit};
use georel::query::network::{Follow, Walk};
use georel::query::resolve::Resolver;

use crate::cli::QueryFormat;
use crate::plan::{Dest, Output, Plan, Query, SnapshotOutput, WalkPlan};

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Empty = 1,
    Error = 2,
    /// A search gave up before it had the whole answer (`path --all`); what it found is
    /// printed, and stderr says how to narrow the question.
    Incomplete = 3,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// The grades every dataset this run reads keeps (`--min-reliability`, `--min-credibility`).
/// Set once, before any is read, and applied where every command's dataset is loaded
/// ([`load_from`]), so that no command can read relations without it.
static GRADES: std::sync::OnceLock<GradeFilter> = std::sync::OnceLock::new();

fn grades() -> GradeFilter {
    GRADES.get().copied().unwrap_or_default()
}

/// Runs `plan`, reading only relations of the `grades` kept; unless `force`, no result may
/// replace a file of the dataset it reads, or a file it reads as input.
pub fn run(plan: Plan, force: bool, grades: GradeFilter) -> Result<Exit> {
    GRADES.set(grades).expect("one run per process");
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
        Plan::Check { data } => check::run(&data),
        Plan::Index { data } => index::run(&data),
        Plan::Snapshot(plan) => snapshot::run(&plan),
        Plan::Frames(plan) => frames::run(&plan),
        Plan::Export { data, format, dest } => export::run(&data, format, &dest),
        Plan::Import(plan) => import::run(&plan),
        Plan::Bench(args) => bench::run(&args),
        Plan::Serve { data, host, port, open } => serve::run(&data, host, port, open),
        Plan::Timeline(plan) => timeline::run(&load(&plan.data)?, &plan),
        Plan::Query { data, query, output } => {
            // A path or a neighbourhood needs only some of the relations of its day: from an
            // index, only those are read (see `query::local`).
            let diagram = matches!(output.format, QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png);
            let (ds, index) = match &query {
                Query::Path { from, to, at, all: None, walk, options } if at.as_day().is_some() => {
                    let at = at.first;
                    let search = near::Path { from, to, at, walk, options: *options, diagram };
                    load_near(&data, at, |index| search.read(index))?
                }
                Query::Neighbours { actor, at, depth, walk, options } if at.as_day().is_some() => {
                    let at = at.first;
                    let search =
                        near::Neighbours { centre: actor, at, depth: *depth, walk, options: *options };
                    load_near(&data, at, |index| search.read(index))?
                }
                Query::Path { at, .. } | Query::Neighbours { at, .. } => load_in(&data, *at)?,
                _ => (load(&data)?, None),
            };
            match query {
                Query::Path { from, to, at, all, walk, options } => {
                    let args = path::Args { from, to, at, all, walk, options };
                    path::run(&ds, args, &output, || whole(index, &data, &ds))
                }
                Query::Neighbours { actor, at, depth, walk, options } => {
                    neighbours::run(&ds, &actor, at, depth, &walk, options, &output)
                }
                Query::Diff { from, to, options } => diff::run(&ds, from, to, options, &output),
                Query::Conflicts { at, grouping, strict } => {
                    conflicts::run(&ds, at, grouping, strict, &output)
                }
                Query::Fractures { at, groups, strict, by_country } => {
                    fractures::run(&ds, at, &groups, strict, by_country, &output)
                }
            }
        }
    }
}

/// Loads the whole dataset in `data`: from its index file when there is one that is
/// current and intact, else from the CSV files (rebuilding an index that is out of date or
/// damaged).
pub fn load(data: &Path) -> Result<Dataset> {
    load_from(data, None, Index::open_lazily, |index| Ok(index.dataset()?)).map(|(ds, _)| ds)
}

/// Loads what a query on `day` needs of the dataset in `data`: only the relations that may
/// hold that day (a [`Dataset::cut`]), from a current index (with its stamp, with which
/// [`whole`] gets the whole of the same data) or, when there is none, from the CSV files;
/// the whole dataset when the index is out of date or damaged (it is rebuilt).
pub fn load_on(data: &Path, day: Day) -> Result<(Dataset, Option<Stamp>)> {
    // The day's relations are found with the stored time index: it is checked on opening,
    // beside the hashing of the data files.
    let (ds, index) = load_from(data, Some(day), Index::open, |index| Ok(index.dataset_on(day)?))?;
    Ok((ds, index.map(|i| i.stamp())))
}

/// What a query over `window` needs of the dataset in `data`: for one day, its relations
/// ([`load_on`]); for more, the whole dataset (a window is answered in memory, relation by
/// relation: [`Snapshot::over`](georel::snapshot::Snapshot::over)).
pub fn load_in(data: &Path, window: Window) -> Result<(Dataset, Option<Stamp>)> {
    match window.as_day() {
        Some(day) => load_on(data, day),
        None => Ok((load(data)?, None)),
    }
}

/// As [`load_on`], but with a current index `read` chooses what to read of the day (see
/// [`near`]).
fn load_near(
    data: &Path,
    day: Day,
    read: impl FnOnce(&Index) -> Result<Dataset, near::Failed>,
) -> Result<(Dataset, Option<Stamp>)> {
    let (ds, index) = load_from(data, Some(day), Index::open_lazily, read)?;
    debug_assert!(ds.covers(day));
    Ok((ds, index.map(|i| i.stamp())))
}

/// The whole dataset, after [`load_on`] gave a cut of it: decoded from the index again, and
/// only if it still holds the same data (its stamp), so that actor indexes still match. (The
/// index is not kept open meanwhile: its bytes in memory would count as the command's.)
/// Without an index, the cut came from the CSV files, and so does the whole (the note on an
/// index that is not a file was given with the cut), if it agrees with the `cut`: the files
/// may have changed between the two reads, and the cut's actor indexes would then name other
/// actors, or none.
pub fn whole(stamp: Option<Stamp>, data: &Path, cut: &Dataset) -> Result<Dataset> {
    let changed = || {
        anyhow::anyhow!(
            "the dataset in {} changed while georel read it; run the command again",
            data.display()
        )
    };
    let Some(stamp) = stamp else {
        let ds = load_csv(data)?.graded(grades());
        return if ds.agrees_with(cut) { Ok(ds) } else { Err(changed()) };
    };
    let index = Index::open_lazily(data).map_err(|_| changed())?;
    if index.stamp() != stamp {
        return Err(changed());
    }
    let ds = index
        .dataset()
        .map_err(|why| anyhow::anyhow!("{why} (while reading the whole dataset from its index)"))?;
    Ok(ds.graded(grades()))
}

/// Forbids every write of this run to replace the files of the dataset in `data`: a
/// `snapshot --format edges-csv --out data/relations.csv` overwrote it with one day.
fn protect_dataset(data: &Path) {
    let why = format!("it is a file of the dataset being read (--data {})", data.display());
    for name in [georel::load::RELATIONS_FILE, georel::load::ACTORS_FILE, georel::load::SOURCES_FILE] {
        atomic::protect(&data.join(name), &why);
    }
}

/// Fails, saying how to fix it, when `data` holds no dataset: it does not exist, it is a
/// file (`--data data/relations.csv`), or it lacks relations.csv.
fn require_dataset(data: &Path) -> Result<()> {
    if data.is_file() {
        let folder = match data.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
            _ => ".".to_string(),
        };
        anyhow::bail!(
            "--data {} is a file: name the dataset's folder, the one that holds {} (--data {folder})",
            data.display(),
            georel::load::RELATIONS_FILE
        );
    }
    if !data.exists() {
        anyhow::bail!(
            "the dataset folder {} does not exist (choose the folder that holds {} with --data DIR; the default is data)",
            data.display(),
            georel::load::RELATIONS_FILE
        );
    }
    if !data.join(georel::load::RELATIONS_FILE).exists() {
        anyhow::bail!(
            "no dataset in {}: {} is missing (choose the folder with --data DIR)",
            data.display(),
            georel::load::RELATIONS_FILE
        );
    }
    Ok(())
}

/// The dataset in `data`: `read` from its index (opened with `open`) when there is a current
/// one; else from the CSV files: when there is no index, only the relations that may hold on
/// `day` if one is given; the whole when the index is out of date or damaged (and then rebuilt).
fn load_from(
    data: &Path,
    day: Option<Day>,
    open: fn(&Path) -> Result<Index, Unusable>,
    read: impl FnOnce(&Index) -> Result<Dataset, near::Failed>,
) -> Result<(Dataset, Option<Index>)> {
    let (ds, index) = load_ungraded(data, day, open, read)?;
    Ok((ds.graded(grades()), index))
}

/// [`load_from`] before the grade filter.
fn load_ungraded(
    data: &Path,
    day: Option<Day>,
    open: fn(&Path) -> Result<Index, Unusable>,
    read: impl FnOnce(&Index) -> Result<Dataset, near::Failed>,
) -> Result<(Dataset, Option<Index>)> {
    require_dataset(data)?;
    let progress = Progress::new(format!("reading the dataset in {}", data.display()), Unit::None);
    let why = match open(data) {
        Ok(index) => match read(&index) {
            Ok(ds) => return Ok((ds, Some(index))),
            Err(near::Failed::Request(e)) => return Err(e),
            Err(near::Failed::Index(why)) => why,
        },
        Err(Unusable::Missing) => return Ok((load_csv_on(data, day)?, None)),
        Err(Unusable::NotAFile) => {
            // Not replaced: someone put it there, and writing into a device or a FIFO is no
            // rebuild.
            progress.suspend(|| {
                eprintln!(
                    "georel: note: {} is not a regular file; reading the CSV files (remove it, and georel index rebuilds it)",
                    data.join(INDEX_FILE).display()
                );
            });
            return Ok((load_csv_on(data, day)?, None));
        }
        Err(Unusable::Link) => {
            progress.suspend(|| {
                eprintln!(
                    "georel: note: {} is a symbolic link, which georel never follows or replaces; reading the CSV files (remove it, and georel index builds the index)",
                    data.join(INDEX_FILE).display()
                );
            });
            return Ok((load_csv_on(data, day)?, None));
        }
        Err(why) => why,
    };
    // The rebuild shows its own progress.
    drop(progress);
    Ok((rebuild(data, &why)?, None))
}

/// Says why the index in `data` cannot be used, reads the CSV files, and writes the index
/// again (warning when it cannot).
fn rebuild(data: &Path, why: &Unusable) -> Result<Dataset> {
    eprintln!(
        "georel: note: {why}; reading the CSV files and rebuilding {}",
        data.join(INDEX_FILE).display()
    );
    let (ds, written) = index::build(data)?;
    if let Err(e) = written {
        eprintln!("georel: warning: could not rebuild the index: {e:#}");
    }
    Ok(ds)
}

fn load_csv(data: &Path) -> Result<Dataset> {
    load_csv_on(data, None)
}

/// The dataset in `data` read from its CSV files, every row checked: with a `day`, only the
/// relations that may hold then (a [`Dataset::cut`]).
fn load_csv_on(data: &Path, day: Option<Day>) -> Result<Dataset> {
    match day {
        Some(day) => georel::load::load_on(data, day),
        None => georel::load::load(data),
    }
    .with_context(|| format!("cannot load the dataset in {}", data.display()))
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
