//! From parsed arguments to a validated plan: dates parsed, filters built, formats checked
//! against the command, output places resolved. Actor names are resolved later, against
//! the loaded dataset.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use georel::date::{parse_window, Day, Step, Window, DATE_FORMATS};
use georel::export::render::{Layout, Picture};
use georel::model::{KindSet, RelationKind};
use georel::query::history::Reach;
use georel::query::path::Bounds;
use georel::query::signed::ContestedAs;
use georel::snapshot::{ActorScope, Filter, Grouping, Options};

use crate::cli::{
    ActorsArg, Cli, Command, ConflictsFormat, ContestedArg, ExportFormat, FilterArgs, FramesArgs,
    ImportFormat, KindArg, LayoutArg, OutputArgs, PictureArg, PictureArgs, QueryFormat, SeriesArgs,
    SnapshotArgs, SnapshotFormat, TableFormat, TimelineFormat, WalkArgs, WhenArgs,
};

/// The default dataset folder.
pub const DATA_DIR: &str = "data";

/// The default folder for results.
pub const OUTPUT_DIR: &str = "output";

/// What to run.
#[derive(Debug)]
pub enum Plan {
    Check { data: PathBuf },
    Index { data: PathBuf, verify: bool },
    Snapshot(SnapshotPlan),
    Frames(FramesPlan),
    Export { data: PathBuf, format: ExportFormat, dest: Dest },
    Import(ImportPlan),
    Bench(BenchPlan),
    Query { data: PathBuf, query: Query, output: Output },
    Timeline(TimelinePlan),
    Serve { data: PathBuf, host: String, port: Option<u16>, open: bool },
}

/// A timeline: its own plan, as its formats are its own (a dossier, a chart).
#[derive(Debug)]
pub struct TimelinePlan {
    pub data: PathBuf,
    pub actor: String,
    pub other: Option<String>,
    pub reach: Reach,
    pub grouping: Grouping,
    pub filter: Filter,
    pub format: TimelineFormat,
    pub dest: Dest,
}

#[derive(Debug)]
pub struct SnapshotPlan {
    pub data: PathBuf,
    pub window: Window,
    pub options: Options,
    pub output: SnapshotOutput,
    /// For svg and png; `None` chooses by size.
    pub layout: Option<Layout>,
    /// Draw a picture beyond [`georel::export::render::check_size`]'s limit.
    pub large_picture: bool,
}

/// Where a snapshot goes.
#[derive(Debug, PartialEq, Eq)]
pub enum SnapshotOutput {
    /// `snapshot-DATE.dot`, `.nodes.csv` and `.edges.csv` in this folder.
    Files { dir: PathBuf },
    /// One format, to a file or stdout.
    One { format: SnapshotFormat, dest: Dest },
}

/// Where one result goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    Stdout,
    File(PathBuf),
    /// A file with the command's default name, in this folder.
    Dir(PathBuf),
}

/// A query's format and destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub format: QueryFormat,
    pub dest: Dest,
    /// For svg and png; `None` chooses by size.
    pub layout: Option<Layout>,
    /// Draw a picture beyond [`georel::export::render::check_size`]'s limit.
    pub large_picture: bool,
}

/// How paths and neighbourhoods walk; actor names are resolved after loading.
#[derive(Debug, Clone)]
pub struct WalkPlan {
    pub directed: bool,
    pub avoid: Vec<String>,
    pub part_of: bool,
}

/// A query, with everything but actor names checked.
#[derive(Debug)]
pub enum Query {
    Path {
        from: String,
        to: String,
        at: Window,
        all: Option<Bounds>,
        walk: WalkPlan,
        options: Options,
    },
    Neighbours {
        actor: String,
        at: Window,
        depth: usize,
        walk: WalkPlan,
        options: Options,
    },
    // The first and last days of the window: the two days compared.
    Diff {
        from: Day,
        to: Day,
        options: Options,
    },
    Conflicts {
        at: Option<Window>,
        grouping: Grouping,
        strict: bool,
    },
    /// `groups`: the alliances asked for (none: every one).
    Fractures {
        at: Window,
        groups: Vec<String>,
        strict: bool,
        by_country: bool,
    },
    Balance {
        when: When,
        contested: ContestedAs,
        options: Options,
    },
    /// `options.filter.kinds` is the cooperation alone unless `--kinds` says otherwise.
    Brokers {
        when: When,
        /// 0: every node.
        top: usize,
        pivots: Option<usize>,
        seed: u64,
        /// `--endpoints`.
        endpoints: bool,
        options: Options,
    },
    Blocs {
        when: When,
        k: usize,
        alpha: f64,
        seed: u64,
        contested: ContestedAs,
        options: Options,
    },
}

/// When an analysis is taken: a day or the union of a window's days, or a series of days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    Window(Window),
    Series(Vec<Day>),
}

/// A series of frames.
#[derive(Debug)]
pub struct FramesPlan {
    pub data: PathBuf,
    /// The days of the steps (`--every`), from the first day.
    pub days: Vec<Day>,
    /// `--on-changes`: also a frame on each day of this window on which the network changed.
    pub on_changes: Option<Window>,
    pub options: Options,
    pub picture: Picture,
    pub layout: Option<Layout>,
    /// Draw frames beyond [`georel::export::render::check_size`]'s limit.
    pub large_picture: bool,
    pub dir: PathBuf,
}

/// The peer benchmark's tasks on one file.
#[derive(Debug)]
pub struct BenchPlan {
    pub csv: PathBuf,
    pub date: String,
    pub actor_a: String,
    pub actor_b: String,
    pub out: Option<PathBuf>,
    pub json: Option<PathBuf>,
}

/// An import.
#[derive(Debug)]
pub struct ImportPlan {
    pub format: ImportFormat,
    /// The inputs named (folders and lists expanded); none with a master file list.
    pub files: Vec<georel::import::input::Input>,
    /// GDELT's master file list, and the days asked (both included).
    pub master: Option<(PathBuf, Option<georel::date::Day>, Option<georel::date::Day>)>,
    /// The share of rejected rows, in percent, above which a dataset is not replaced.
    pub max_rejects: f64,
    /// The folder written (or appended to).
    pub dir: PathBuf,
    pub append: bool,
    /// Replace a dataset in `dir` that no georel import wrote.
    pub force: bool,
    pub options: georel::import::Options,
}

/// The most frames one run writes; a smaller step over a long range is almost surely a
/// mistake (and would take long).
pub const MAX_FRAMES: usize = 2000;

impl Plan {
    /// The dataset folder the plan reads, if it reads one (an import reads its input files).
    pub fn data(&self) -> Option<&Path> {
        match self {
            Plan::Check { data }
            | Plan::Index { data, .. }
            | Plan::Export { data, .. }
            | Plan::Query { data, .. }
            | Plan::Serve { data, .. } => Some(data),
            Plan::Snapshot(plan) => Some(&plan.data),
            Plan::Timeline(plan) => Some(&plan.data),
            Plan::Frames(plan) => Some(&plan.data),
            Plan::Import(_) | Plan::Bench(_) => None,
        }
    }

    /// The files the plan reads other than a dataset folder's: an import's inputs, the
    /// relations CSV of `bench`.
    pub fn input_files(&self) -> Vec<&Path> {
        match self {
            Plan::Import(plan) => plan.files.iter().filter_map(|i| i.path()).collect(),
            Plan::Bench(plan) => vec![plan.csv.as_path()],
            _ => Vec::new(),
        }
    }

    pub fn from_cli(cli: Cli) -> Result<Plan> {
        if let (Some(data), Command::Import(_) | Command::Bench(_)) = (&cli.data, &cli.command) {
            let (what, instead) = match cli.command {
                Command::Import(_) => {
                    ("import reads the files it is given", "write it with --out DIR or --append DIR")
                }
                _ => ("bench reads the relations CSV it is given", "name the CSV file"),
            };
            bail!("--data {} does not apply: {what}, not a dataset folder; {instead}", data.display());
        }
        // Global flags, so clap takes them anywhere; these two commands keep every relation.
        let grade = match (cli.min_reliability, cli.min_credibility) {
            (Some(r), _) => Some(format!("--min-reliability {r}")),
            (None, Some(c)) => Some(format!("--min-credibility {c}")),
            (None, None) => None,
        };
        if let (Some(flag), Command::Import(_) | Command::Bench(_)) = (grade, &cli.command) {
            let what = match cli.command {
                Command::Import(_) => {
                    "import writes every relation it reads, each with its sources' grades; \
                     give the grade filter to the commands that read the dataset it wrote"
                }
                _ => "bench times every relation of the CSV it is given; leave it out",
            };
            bail!("{flag} does not apply: {what}");
        }
        let (data, force) = (cli.data.unwrap_or_else(|| PathBuf::from(DATA_DIR)), cli.force);
        let (query, output) = match cli.command {
            Command::Check => return Ok(Plan::Check { data }),
            Command::Index { verify } => return Ok(Plan::Index { data, verify }),
            Command::Serve(args) => {
                if cli.min_reliability.is_some() || cli.min_credibility.is_some() {
                    bail!("--min-reliability and --min-credibility do not apply to serve: choose them in the page");
                }
                return Ok(Plan::Serve { data, host: args.host, port: args.port, open: args.open });
            }
            Command::Snapshot(args) => return Ok(Plan::Snapshot(snapshot_plan(data, args)?)),
            Command::Frames(args) => return Ok(Plan::Frames(frames_plan(data, args)?)),
            Command::Bench(args) => {
                let out = match args.out.map(out_place) {
                    None => None,
                    Some(Dest::File(file)) => Some(file),
                    Some(Dest::Dir(dir)) => Some(dir.join(bench_out_name(&args.csv))),
                    Some(Dest::Stdout) => {
                        bail!("bench --out: T5 writes its relations to a file; give --out FILE or DIR/")
                    }
                };
                return Ok(Plan::Bench(BenchPlan {
                    csv: args.csv,
                    date: args.date,
                    actor_a: args.actor_a,
                    actor_b: args.actor_b,
                    out,
                    json: args.json,
                }));
            }
            Command::Import(args) => {
                let (dir, append) = match (args.append, args.out) {
                    (Some(dir), _) => (folder(dir, "import --append")?, true),
                    (None, Some(dir)) => (folder(dir, "import")?, false),
                    (None, None) => (Path::new(OUTPUT_DIR).join(import_folder(args.format)), false),
                };
                let files = georel::import::input::expand(&args.files, import_matching(args.format))?;
                if args.master.is_some() && args.format != ImportFormat::Gdelt {
                    bail!("--master reads GDELT 2.0's master file list: it is for import gdelt only");
                }
                let quality = georel::import::Quality {
                    root_only: args.root_only,
                    min_sources: args.min_sources,
                    min_articles: args.min_articles,
                };
                if quality.any() && args.format != ImportFormat::Gdelt {
                    bail!(
                        "--root-only, --min-sources and --min-articles filter on GDELT's own columns \
                         (IsRootEvent, NumSources, NumArticles); {} has none: leave them out",
                        import_folder(args.format)
                    );
                }
                let cameo = match &args.cameo_map {
                    None => georel::import::cameo::CameoMap::default_map(),
                    Some(_) if !matches!(args.format, ImportFormat::Gdelt | ImportFormat::Icews) => bail!(
                        "--cameo-map gives the meaning of CAMEO event codes, which only gdelt and icews \
                         have; leave it out for {}",
                        import_folder(args.format)
                    ),
                    // One map per run: leaked, so that the options stay plain values.
                    Some(file) => &*Box::leak(Box::new(georel::import::cameo::CameoMap::read(file)?)),
                };
                let day =
                    |flag: &str, text: &Option<String>, last: bool| -> Result<Option<georel::date::Day>> {
                        let Some(text) = text else { return Ok(None) };
                        let date = georel::date::PartialDate::parse(text).map_err(|e| {
                            anyhow::anyhow!("{flag} {text}: {e} (write YYYY-MM-DD, YYYY-MM or YYYY)")
                        })?;
                        Ok(Some(if last {
                            date.after().yesterday().unwrap_or(date.first())
                        } else {
                            date.first()
                        }))
                    };
                let master = match args.master {
                    Some(list) => {
                        Some((list, day("--since", &args.since, false)?, day("--until", &args.until, true)?))
                    }
                    None => None,
                };
                let options = georel::import::Options {
                    cameo,
                    quality,
                    gap_days: args.gap,
                    min_events: args.min_events.max(1),
                    strict: args.strict,
                    actors: match args.actors {
                        ActorsArg::Country => georel::import::ActorMode::Country,
                        ActorsArg::Code => georel::import::ActorMode::Code,
                    },
                    evidence: args.evidence.max(1),
                };
                return Ok(Plan::Import(ImportPlan {
                    format: args.format,
                    files,
                    master,
                    max_rejects: args.max_rejects,
                    dir,
                    append,
                    force,
                    options,
                }));
            }
            Command::Export(args) => {
                let dest = match (args.format, args.out) {
                    (ExportFormat::Dataset, Some(out)) => Dest::Dir(folder(out, "--format dataset")?),
                    (ExportFormat::Dataset, None) => Dest::Dir(Path::new(OUTPUT_DIR).join("dataset")),
                    (_, out) => dest(out, false),
                };
                return Ok(Plan::Export { data, format: args.format, dest });
            }
            Command::Path(a) => {
                if a.max_hops == 0 || a.limit == 0 || a.max_tries == 0 {
                    bail!("--max-hops, --limit and --max-tries must be at least 1");
                }
                if a.limit > georel::query::path::MAX_LIMIT {
                    bail!(
                        "--limit {} asks for more paths than can be listed (at most {}): narrow the question \
                         (--max-hops, --kinds, --avoid, --directed) rather than list them all",
                        a.limit,
                        georel::query::path::MAX_LIMIT
                    );
                }
                let query = Query::Path {
                    at: required(window(&a.when)?)?,
                    from: a.from,
                    to: a.to,
                    all: a.all.then_some(Bounds { max_hops: a.max_hops, limit: a.limit, tries: a.max_tries }),
                    walk: walk(a.walk),
                    options: options(&a.filter),
                };
                (query, output("path", a.output, true)?)
            }
            Command::Neighbours(a) => {
                if a.depth == 0 {
                    bail!("--depth must be at least 1 (the number of hops out from the actor)");
                }
                let query = Query::Neighbours {
                    at: required(window(&a.when)?)?,
                    actor: a.actor,
                    depth: a.depth,
                    walk: walk(a.walk),
                    options: options(&a.filter),
                };
                (query, output("neighbours", a.output, true)?)
            }
            Command::Diff(a) => {
                let days = between(&a.from, &a.to)?;
                let query = Query::Diff { from: days.first, to: days.last, options: options(&a.filter) };
                (query, output("diff", a.output, true)?)
            }
            Command::Timeline(a) => {
                return Ok(Plan::Timeline(TimelinePlan {
                    data,
                    actor: a.actor,
                    other: a.other,
                    reach: if a.exact { Reach::Exact } else { Reach::Within },
                    grouping: grouping(a.filter.by_country),
                    filter: filter(&a.filter),
                    format: a.format,
                    dest: dest(a.out, a.format == TimelineFormat::Text),
                }))
            }
            Command::Conflicts(a) => {
                let at = window(&a.when)?;
                let query = Query::Conflicts { at, grouping: grouping(a.by_country), strict: a.strict };
                let format = match a.output.format {
                    ConflictsFormat::Text => QueryFormat::Text,
                    ConflictsFormat::Csv => QueryFormat::Csv,
                    ConflictsFormat::Json => QueryFormat::Json,
                    ConflictsFormat::Dot => QueryFormat::Dot,
                    ConflictsFormat::Svg => QueryFormat::Svg,
                    ConflictsFormat::Png => QueryFormat::Png,
                };
                let args = OutputArgs { format, out: a.output.out, picture: a.output.picture };
                (query, output("conflicts", args, at.is_some())?)
            }
            Command::Balance(a) => {
                let when = series(&a.series)?;
                let diagram_allowed = matches!(when, When::Window(_))
                    || matches!(a.output.format, QueryFormat::Svg | QueryFormat::Png);
                let query = Query::Balance {
                    when,
                    contested: contested(a.contested),
                    options: signed_options(&a.filter),
                };
                (query, output("balance", a.output, diagram_allowed)?)
            }
            Command::Brokers(a) => {
                let mut options = options(&a.filter);
                if a.filter.kinds.is_empty() {
                    options.filter.kinds = KindSet::of(&[RelationKind::Cooperation]);
                }
                if a.pivots == Some(0) {
                    bail!("--pivots 0 estimates from no node: give at least 1, or leave it out for the exact count");
                }
                if a.pivots == Some(1) && !a.endpoints {
                    bail!("--pivots 1 leaves the pivot's own betweenness undefined (networkx gives NaN): give at least 2, or add --endpoints");
                }
                let query = Query::Brokers {
                    when: series(&a.series)?,
                    top: a.top,
                    pivots: a.pivots,
                    seed: a.seed,
                    endpoints: a.endpoints,
                    options,
                };
                (query, output("brokers", table_output(a.output), false)?)
            }
            Command::Blocs(a) => {
                if a.k == 0 {
                    bail!("--k 0: a partition needs at least 1 bloc");
                }
                if !(0.0..=1.0).contains(&a.alpha) {
                    bail!("--alpha {}: give a weight from 0 to 1 (0.5 weighs the two kinds of frustration alike)", a.alpha);
                }
                let when = series(&a.series)?;
                let diagram_allowed = matches!(when, When::Window(_));
                let query = Query::Blocs {
                    when,
                    k: a.k,
                    alpha: a.alpha,
                    seed: a.seed,
                    contested: contested(a.contested),
                    options: signed_options(&a.filter),
                };
                (query, output("blocs", a.output, diagram_allowed)?)
            }
            Command::Fractures(a) => {
                let query = Query::Fractures {
                    at: required(window(&a.when)?)?,
                    groups: a.group,
                    strict: a.strict,
                    by_country: a.by_country,
                };
                (query, output("fractures", table_output(a.output), false)?)
            }
        };
        Ok(Plan::Query { data, query, output })
    }
}

fn snapshot_plan(data: PathBuf, args: SnapshotArgs) -> Result<SnapshotPlan> {
    let window = required(window(&args.when)?)?;
    let (layout, large_picture) =
        picture(&args.picture, matches!(args.format, Some(SnapshotFormat::Svg | SnapshotFormat::Png)))?;
    let options = Options {
        scope: if args.all_actors { ActorScope::All } else { ActorScope::Connected },
        ..options(&args.filter)
    };
    let output = match (args.format, args.out.map(out_place)) {
        (None, Some(Dest::Stdout)) => {
            bail!("--out - writes one format to stdout: add --format text, dot, nodes-csv, edges-csv, json, svg or png")
        }
        (None, Some(Dest::File(file))) => bail!(
            "--out {0} names a file (it is not a folder, and does not end in /): without --format, snapshot writes \
             three files (DOT, nodes CSV, edges CSV) into a folder; add --format dot (or nodes-csv, edges-csv, \
             json, text, svg, png) to write {0} alone, or write {0}/ for a folder",
            file.display()
        ),
        (None, Some(Dest::Dir(dir))) => SnapshotOutput::Files { dir },
        (None, None) => SnapshotOutput::Files { dir: OUTPUT_DIR.into() },
        (Some(format), out) => SnapshotOutput::One {
            format,
            dest: out.unwrap_or_else(|| dest(None, format == SnapshotFormat::Text)),
        },
    };
    Ok(SnapshotPlan { data, window, options, output, layout, large_picture })
}

fn frames_plan(data: PathBuf, args: FramesArgs) -> Result<FramesPlan> {
    let Window { first: from, last: to } = between(&args.from, &args.to)?;
    let every = match (&args.every, args.on_changes) {
        (Some(every), _) => Some(every.as_str()),
        (None, false) => Some("1m"),
        (None, true) => None,
    };
    let days = match every {
        Some(every) => {
            let step = Step::parse(every).map_err(|e| anyhow::anyhow!("{e} for --every"))?;
            let days = step.days(from, to);
            if days.len() > MAX_FRAMES {
                bail!(
                    "{} frames from {from} to {to} every {every}: at most {MAX_FRAMES}; choose a longer --every or a shorter range",
                    days.len(),
                );
            }
            days
        }
        None => Vec::new(),
    };
    Ok(FramesPlan {
        data,
        days,
        on_changes: args.on_changes.then_some(Window { first: from, last: to }),
        options: options(&args.filter),
        picture: match args.format {
            PictureArg::Png => Picture::Png,
            PictureArg::Svg => Picture::Svg,
        },
        // Frames are always drawn.
        layout: args.picture.layout.map(layout),
        large_picture: args.picture.large_picture,
        dir: match args.out {
            Some(out) => folder(out, "frames")?,
            None => Path::new(OUTPUT_DIR).join("frames"),
        },
    })
}

/// The file name T5 of `bench` writes (in /tmp/bench/ by default, as the peer scripts do).
pub fn bench_out_name(csv: &Path) -> String {
    let name = csv.file_name().map_or_else(|| "relations.csv".into(), |n| n.to_string_lossy().into_owned());
    format!("out_georel_{name}")
}

/// Which files of a folder an import reads.
pub fn import_matching(format: ImportFormat) -> georel::import::input::Matching {
    match format {
        ImportFormat::Gdelt => georel::import::gdelt::FILES,
        ImportFormat::Icews => georel::import::icews::FILES,
        ImportFormat::CowMid | ImportFormat::CowAlliance => georel::import::cow::FILES,
    }
}

/// The default folder (under output/) of an import.
pub fn import_folder(format: ImportFormat) -> &'static str {
    match format {
        ImportFormat::Gdelt => "gdelt",
        ImportFormat::Icews => "icews",
        ImportFormat::CowMid => "cow-mid",
        ImportFormat::CowAlliance => "cow-alliance",
    }
}

/// `snapshot-DATE.<ext>`, the file name of one snapshot format (DATE as `--at` gave it, or
/// `FIRST_to_LAST`).
pub fn snapshot_file_name(window: Window, format: SnapshotFormat) -> String {
    let ext = match format {
        SnapshotFormat::Dot => "dot",
        SnapshotFormat::NodesCsv => "nodes.csv",
        SnapshotFormat::EdgesCsv => "edges.csv",
        SnapshotFormat::Json => "json",
        SnapshotFormat::Text => "txt",
        SnapshotFormat::Svg => "svg",
        SnapshotFormat::Png => "png",
    };
    format!("snapshot-{}.{ext}", window.file_part())
}

/// What `--out` names, by the one rule every command follows: `-` is standard output; a path
/// that ends in `/` or names an existing folder is a folder (the command's default file names
/// go inside it, and it is created when missing); anything else is a file (its missing parent
/// folders are created when it is written). A command whose result is always a folder reads
/// it with [`folder`].
pub fn out_place(out: PathBuf) -> Dest {
    if out == Path::new("-") {
        Dest::Stdout
    } else if names_folder(&out) || out.is_dir() {
        Dest::Dir(out)
    } else {
        Dest::File(out)
    }
}

/// Whether a path is written as a folder: it ends in the path separator (`newdir/`), or in
/// `/.` or `/..` (which name folders).
fn names_folder(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text.ends_with('/')
        || text.ends_with(std::path::MAIN_SEPARATOR)
        || text.ends_with("/.")
        || path.file_name().is_none()
}

/// `--out` of a command whose result is always a folder (`export --format dataset`,
/// `frames`, `import`): the folder, by [`out_place`], or a path that is not there yet; an
/// existing file, or `-`, is an error that says so.
pub fn folder(out: PathBuf, what: &str) -> Result<PathBuf> {
    match out_place(out) {
        Dest::Stdout => bail!("{what} writes several files into a folder: give --out DIR, not -"),
        Dest::Dir(dir) => Ok(dir),
        Dest::File(path) if path.exists() || path.is_symlink() => bail!(
            "--out {}: {what} writes several files into a folder, and this is a file; name a folder (DIR/)",
            path.display()
        ),
        Dest::File(path) => Ok(path),
    }
}

/// Where a result goes: `--out` by [`out_place`]; without it, text goes to stdout and files
/// to output/.
fn dest(out: Option<PathBuf>, text: bool) -> Dest {
    match out {
        Some(out) => out_place(out),
        None if text => Dest::Stdout,
        None => Dest::Dir(OUTPUT_DIR.into()),
    }
}

fn output(command: &str, args: OutputArgs, diagram_allowed: bool) -> Result<Output> {
    let diagram = matches!(args.format, QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png);
    if diagram && !diagram_allowed {
        let hint = match command {
            "conflicts" => " without --at or --from/--to; add --at DATE (or --from D1 --to D2) for a diagram",
            "balance" => " over a series (--every), which svg or png draw as the score's line chart; leave out --every for one date's diagram",
            "blocs" => " over a series (--every); leave out --every for one date's diagram",
            _ => "",
        };
        let format = format!("{:?}", args.format).to_lowercase();
        bail!("--format {format} is not available for {command}{hint}; use text, csv or json");
    }
    let (layout, large_picture) =
        picture(&args.picture, matches!(args.format, QueryFormat::Svg | QueryFormat::Png))?;
    Ok(Output {
        format: args.format,
        dest: dest(args.out, args.format == QueryFormat::Text),
        layout,
        large_picture,
    })
}

/// The Graphviz options (`--layout`, `--large-picture`), which only go with a picture
/// (`drawn`: the format is svg or png).
fn picture(args: &PictureArgs, drawn: bool) -> Result<(Option<Layout>, bool)> {
    if args.layout.is_some() && !drawn {
        bail!("--layout chooses how Graphviz draws a picture: use it with --format svg or png");
    }
    if args.large_picture && !drawn {
        bail!("--large-picture lets Graphviz draw a large picture: use it with --format svg or png");
    }
    Ok((args.layout.map(layout), args.large_picture))
}

fn layout(arg: LayoutArg) -> Layout {
    match arg {
        LayoutArg::Dot => Layout::Dot,
        LayoutArg::Neato => Layout::Neato,
        LayoutArg::Fdp => Layout::Fdp,
        LayoutArg::Sfdp => Layout::Sfdp,
        LayoutArg::Circo => Layout::Circo,
    }
}

fn walk(args: WalkArgs) -> WalkPlan {
    WalkPlan { directed: args.directed, avoid: args.avoid, part_of: !args.relations_only }
}

fn options(args: &FilterArgs) -> Options {
    Options { filter: filter(args), scope: ActorScope::Connected, grouping: grouping(args.by_country) }
}

/// The options of a question about the signed graph (`balance`, `blocs`): its kinds are
/// cooperation, restriction and dispute unless `--kinds` says otherwise (with `membership`
/// among them, a member and its alliance are a positive tie).
fn signed_options(args: &FilterArgs) -> Options {
    let mut options = options(args);
    if args.kinds.is_empty() {
        options.filter.kinds =
            KindSet::of(&[RelationKind::Cooperation, RelationKind::Restriction, RelationKind::Dispute]);
    }
    options
}

fn filter(args: &FilterArgs) -> Filter {
    Filter { kinds: kinds(&args.kinds), strict: args.strict }
}

fn grouping(by_country: bool) -> Grouping {
    if by_country {
        Grouping::Countries
    } else {
        Grouping::Actors
    }
}

/// The days a date argument names: one day, or a whole month or year.
fn date_arg(flag: &str, text: &str) -> Result<Window> {
    parse_window(text)
        .map_err(|reason| anyhow::anyhow!("invalid date {text:?} for {flag}: {reason}; write {DATE_FORMATS}"))
}

/// `--at D`, or `--from D1 --to D2` (clap allows one or the other, and the two of the
/// latter together); `None` when neither is given.
fn window(when: &WhenArgs) -> Result<Option<Window>> {
    match (&when.at, &when.from, &when.to) {
        (Some(at), _, _) => date_arg("--at", at).map(Some),
        (None, Some(from), Some(to)) => between(from, to).map(Some),
        _ => Ok(None),
    }
}

/// `--at D`, `--from D1 --to D2`, or with `--every` a series of days from D1's first day to
/// D2's last (at most [`MAX_FRAMES`]).
fn series(args: &SeriesArgs) -> Result<When> {
    let window = required(window(&args.when)?)?;
    let Some(every) = &args.every else { return Ok(When::Window(window)) };
    let step = Step::parse(every).map_err(|e| anyhow::anyhow!("{e} for --every"))?;
    let days = step.days(window.first, window.last);
    if days.len() > MAX_FRAMES {
        bail!(
            "{} dates from {} to {} every {every}: at most {MAX_FRAMES}; choose a longer --every or a shorter range",
            days.len(),
            window.first,
            window.last,
        );
    }
    Ok(When::Series(days))
}

fn contested(arg: ContestedArg) -> ContestedAs {
    match arg {
        ContestedArg::Skip => ContestedAs::Skip,
        ContestedArg::AsNegative => ContestedAs::Negative,
        ContestedArg::AsPositive => ContestedAs::Positive,
    }
}

/// A table's output arguments as a query's (a table is never drawn).
fn table_output(args: crate::cli::TableOutputArgs) -> OutputArgs {
    let format = match args.format {
        TableFormat::Text => QueryFormat::Text,
        TableFormat::Csv => QueryFormat::Csv,
        TableFormat::Json => QueryFormat::Json,
    };
    OutputArgs { format, out: args.out, picture: PictureArgs { layout: None, large_picture: false } }
}

/// The window a command needs.
fn required(window: Option<Window>) -> Result<Window> {
    window.ok_or_else(|| {
        anyhow::anyhow!("say when: --at DATE (a day, a month or a year), or --from DATE --to DATE")
    })
}

/// The days from the first of `from` to the last of `to`, both included: `--from 2025-11
/// --to 2025-12` is 2025-11-01 to 2025-12-31. An error when `to` ends before `from` starts.
fn between(from: &str, to: &str) -> Result<Window> {
    let (first, last) = (date_arg("--from", from)?, date_arg("--to", to)?);
    Window::between(first.first, last.last).ok_or_else(|| {
        anyhow::anyhow!(
            "the second date (--to {}) is before the first (--from {}); swap them",
            to.trim(),
            from.trim()
        )
    })
}

fn kinds(args: &[KindArg]) -> KindSet {
    if args.is_empty() {
        return KindSet::ALL;
    }
    args.iter()
        .map(|k| match k {
            KindArg::Cooperation => RelationKind::Cooperation,
            KindArg::Restriction => RelationKind::Restriction,
            KindArg::Dispute => RelationKind::Dispute,
            KindArg::Membership => RelationKind::Membership,
        })
        .collect()
}
