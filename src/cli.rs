//! The command line, as clap definitions only. Every flag is documented here; `plan` turns
//! the parsed arguments into a validated plan.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use georel::model::{Credibility, GradeFilter, Reliability};

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  empty result (no relation holds, no path, no change, no conflict...)
  2  usage error, unknown or ambiguous actor name (the candidates or the closest names are
     listed), invalid data (every problem is listed on stderr), or an address serve cannot
     listen on (a port in use)
  3  incomplete result: path --all reached --max-tries (stderr says how to narrow it)
  4  import refused: it kept no relation, or rejected more than --max-rejects of its rows
     where a dataset would be replaced; nothing was written (--force writes it)
  130, 143  interrupted by SIGINT (Ctrl-C) or SIGTERM; no temporary file is left";

/// Help shared by the query commands. It repeats `EXIT_CODES` (clap wants one literal); a
/// test keeps the two in step.
const QUERY_HELP: &str = "\
Dates are YYYY-MM-DD, or YYYY-MM and YYYY for a whole month or year: --at 2025-11 asks about
every relation that held at any time in November 2025. --from D1 --to D2 asks about every day
from D1's first to D2's last (--from 2025-11 --to 2025-12: 2025-11-01 to 2025-12-31).
Actors are named by id, name or alias, ignoring case and accents.

Exit codes:
  0  success
  1  empty result (no relation holds, no path, no change, no conflict...)
  2  usage error, unknown or ambiguous actor name (the candidates or the closest names are
     listed), invalid data (every problem is listed on stderr), or an address serve cannot
     listen on (a port in use)
  3  incomplete result: path --all reached --max-tries (stderr says how to narrow it)
  4  import refused: it kept no relation, or rejected more than --max-rejects of its rows
     where a dataset would be replaced; nothing was written (--force writes it)
  130, 143  interrupted by SIGINT (Ctrl-C) or SIGTERM; no temporary file is left";

/// Explore dated geopolitical relationship graphs: who cooperates with, restricts or disputes
/// whom, on any day, and where reports conflict.
#[derive(Debug, Parser)]
#[command(name = "georel", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// Dataset folder: relations.csv, and optionally actors.csv and sources.csv [default:
    /// data]. Not for import (which reads the files it is given) or bench (its CSV).
    // No default_value: the plan must tell an explicit --data, which import and bench refuse.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Replace files of the dataset being read (its relations.csv, actors.csv, sources.csv),
    /// or, on import, a folder holding a dataset that no georel import wrote.
    #[arg(long, global = true)]
    pub force: bool,

    /// Leave out relations whose best source is less reliable than this (NATO Admiralty: A
    /// completely reliable .. F cannot be judged; a relation without graded sources is F). Not
    /// for import or bench, which keep every relation.
    #[arg(long, global = true, value_name = "A-F", value_parser = parse_reliability)]
    pub min_reliability: Option<Reliability>,

    /// Leave out relations less credible than this (NATO Admiralty: 1 confirmed by other
    /// sources .. 6 cannot be judged; an empty credibility is 6). Not for import or bench.
    #[arg(long, global = true, value_name = "1-6", value_parser = parse_credibility)]
    pub min_credibility: Option<Credibility>,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The grades that `--min-reliability` and `--min-credibility` keep.
    pub fn grades(&self) -> GradeFilter {
        let all = GradeFilter::default();
        GradeFilter {
            min_reliability: self.min_reliability.unwrap_or(all.min_reliability),
            min_credibility: self.min_credibility.unwrap_or(all.min_credibility),
        }
    }
}

fn parse_reliability(text: &str) -> Result<Reliability, String> {
    // Any case: `Reliability` reads `b` as B, as sources.csv does.
    text.trim().parse().map_err(|()| {
        "allowed: A, B, C, D, E or F (NATO Admiralty source reliability, A best; keeps that grade or better)"
            .to_string()
    })
}

fn parse_percent(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches('%');
    match number.parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err("allowed: a percentage from 0 to 100 (50 or 50%)".to_string()),
    }
}

fn parse_credibility(text: &str) -> Result<Credibility, String> {
    text.trim().parse().map_err(|()| {
        "allowed: 1, 2, 3, 4, 5 or 6 (NATO Admiralty information credibility, 1 best; keeps that grade or better)"
            .to_string()
    })
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the dataset: print a one-line summary, or list every problem and exit 2.
    #[command(after_help = EXIT_CODES)]
    Check,
    /// Build the dataset's index file (DIR/.georel-index), so that commands skip parsing the CSV
    ///
    /// Later commands open the dataset from the index file instead of parsing its CSV files
    /// (snapshot, path and neighbours read only their day's relations). Once it exists,
    /// commands keep it up to date: when the CSV files change, or the index is damaged, the
    /// next command says so, reads the CSV and rebuilds it. Delete the file to stop using one.
    /// A command trusts the index without reading it while the files keep the identity they
    /// had when georel last verified it (DIR/.georel-index.stamp); --verify reads it all.
    #[command(after_help = EXIT_CODES)]
    Index {
        /// Verify the index instead: hash it and the CSV files whatever the stamp says, and
        /// rebuild it only when it is out of date or damaged (saying why).
        #[arg(long)]
        verify: bool,
    },
    /// Write the graph as it stood on a date, or over a period (by default DOT, nodes CSV and
    /// edges CSV into output/).
    #[command(after_help = QUERY_HELP)]
    Snapshot(SnapshotArgs),
    /// The shortest connection (fewest hops) between two actors on a date (or over a
    /// period), or every path up to a length.
    ///
    /// Among equally short paths it prefers the fewest strained hops (a restriction, a
    /// dispute or a contested relation), then the better grades, weakest hop first (a hop's
    /// grade is its best relation's, reliability then credibility), then the actor ids; --all
    /// orders each length the same way.
    #[command(after_help = QUERY_HELP)]
    Path(PathArgs),
    /// The actors within K hops of an actor on a date (or over a period), and the relations
    /// among them.
    #[command(after_help = QUERY_HELP, visible_alias = "neighbors")]
    Neighbours(NeighboursArgs),
    /// What changed from the first day to the last, and what started and ended in between.
    #[command(after_help = QUERY_HELP)]
    Diff(DiffArgs),
    /// The dated record of one actor, or of a pair with its state over time.
    #[command(after_help = QUERY_HELP)]
    Timeline(TimelineArgs),
    /// Contests (a cooperation and a restriction covering it, at once) on a date or over a
    /// period, or, without --at or --from/--to, every contested period.
    ///
    /// A restriction from A to B covers every pair of actors within A and within B (the actor
    /// itself or its descendants through `parent`): Colombia's order about the United States
    /// covers the DNI–CIA cooperation. A restriction narrower than the cooperation (the AIVD's,
    /// while the Netherlands and the United States cooperate) does not contest it. Each
    /// contest shows the cooperation and the covering restriction side by side.
    #[command(after_help = QUERY_HELP)]
    Conflicts(ConflictsArgs),
    /// Restrictions and disputes between members of the same alliance or agreement.
    #[command(after_help = QUERY_HELP)]
    Fractures(FracturesArgs),
    /// Structural balance of the signed graph (cooperation +, restriction and dispute −):
    /// the triangle census, the balance score and the unbalanced triangles, on a day or as a
    /// series.
    #[command(after_help = QUERY_HELP)]
    Balance(BalanceArgs),
    /// Brokers: betweenness centrality on the day's graph (the cooperation graph by
    /// default), degree by kind, and over a series who became a broker and who dropped out.
    #[command(after_help = QUERY_HELP)]
    Brokers(BrokersArgs),
    /// Blocs: a signed partition into K blocs with the fewest negative ties inside and
    /// positive ties between them (Doreian and Mrvar's criterion), with its frustration.
    #[command(after_help = QUERY_HELP)]
    Blocs(BlocsArgs),
    /// One picture per date from one day to another, each actor in the same place in every
    /// frame, and an index.html that steps through them.
    #[command(after_help = QUERY_HELP)]
    Frames(FramesArgs),
    /// The whole dated graph for other tools: Gephi (gexf), yEd, Cytoscape and networkx
    /// (graphml), d3 and cytoscape.js (json), a spreadsheet (csv), or georel's own files
    /// (dataset).
    #[command(after_help = EXIT_CODES)]
    Export(ExportArgs),
    /// Turn a public event or alliance dataset (GDELT, ICEWS, Correlates of War) into a
    /// georel dataset folder.
    #[command(after_help = EXIT_CODES)]
    Import(ImportArgs),
    /// Time the shared peer benchmark's tasks T1–T6 on a relations CSV, in one process, with
    /// the peer scripts' arguments and output (see bench/compare.sh).
    #[command(after_help = EXIT_CODES)]
    Bench(BenchArgs),
    /// Serve the explorer: a page over time, with evidence, on a local web server
    ///
    /// Prints the URL to open, with a random token that only this run knows. Listens on
    /// 127.0.0.1 only, unless --host says otherwise. Ctrl-C stops it.
    #[command(after_help = EXIT_CODES)]
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port [default: 8765, or any free port when it is taken; 0: any free port].
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// The address to listen on. Anything but loopback lets other machines reach the
    /// dataset (with the token): georel warns.
    #[arg(long, value_name = "H", default_value = "127.0.0.1")]
    pub host: String,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// A relations CSV (source,target,kind,start,end).
    pub csv: PathBuf,
    /// The snapshot day, YYYY-MM-DD.
    pub date: String,
    /// The neighbourhood centre and path source (an actor id).
    pub actor_a: String,
    /// The path target (an actor id).
    pub actor_b: String,
    /// Where T5 writes the holding relations (default /tmp/bench/out_georel_<csv name>).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write every result as JSON here.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The dataset the files come from.
    #[arg(value_enum)]
    pub format: ImportFormat,
    /// The files to read: plain text, .gz, .zip (every member) or .zst, told by their first
    /// bytes; a folder (its files of the format, in name order); - for standard input;
    /// @LIST for the paths LIST names, one a line.
    #[arg(required_unless_present = "master", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// GDELT 2.0: read the event files this master file list (masterfilelist.txt) names, from
    /// the list's folder, each checked against the list's size and MD5 first; with --append,
    /// files already imported into that dataset are skipped.
    #[arg(long, value_name = "LIST", conflicts_with = "files")]
    pub master: Option<PathBuf>,
    /// With --master: only files from this day on (YYYY-MM-DD, YYYY-MM or YYYY: its first day).
    #[arg(long, value_name = "DATE", requires = "master")]
    pub since: Option<String>,
    /// With --master: only files up to this day, included (YYYY-MM or YYYY: its last day).
    #[arg(long, value_name = "DATE", requires = "master")]
    pub until: Option<String>,
    /// Write nothing when more than this share of the rows is rejected and the folder holds a
    /// dataset (exit 4; --force writes it anyway).
    #[arg(long, value_name = "PERCENT", default_value_t = 50.0, value_parser = parse_percent)]
    pub max_rejects: f64,
    /// The folder to write (default output/<format>): its relations.csv, actors.csv,
    /// sources.csv and rejects.csv are replaced; other files are left alone.
    #[arg(long, value_name = "DIR", conflicts_with = "append")]
    pub out: Option<PathBuf>,
    /// Merge into this existing dataset instead (relation ids must not collide).
    #[arg(long, value_name = "DIR")]
    pub append: Option<PathBuf>,
    /// Events of one pair and kind at most N days apart join one relation (consecutive days
    /// always do).
    #[arg(long, value_name = "N", default_value_t = 7)]
    pub gap: u32,
    /// Drop relations built from fewer than N events.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_events: u32,
    /// Each relation cites its N best-attested events (most sources, then articles, then
    /// id); the others are counted in its summary.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub evidence: u32,
    /// Stop at the first bad row instead of skipping it and listing it in rejects.csv.
    #[arg(long)]
    pub strict: bool,
    /// Which actors events name: countries (USA), or full actor codes (USAGOV, COLSPY) as
    /// agencies of their country.
    #[arg(long, value_enum, default_value = "country")]
    pub actors: ActorsArg,
    /// Which CAMEO codes make cooperation, restriction and dispute (gdelt, icews): a CSV
    /// file of code,kind lines that replaces the default (see README, "What the events mean").
    #[arg(long, value_name = "FILE")]
    pub cameo_map: Option<PathBuf>,
    /// gdelt: keep only the articles' main events (IsRootEvent 1).
    #[arg(long)]
    pub root_only: bool,
    /// gdelt: keep only events reported by at least N sources (NumSources).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub min_sources: u32,
    /// gdelt: keep only events reported in at least N articles (NumArticles).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub min_articles: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// GDELT 1.0 or 2.0 event exports (tab-separated, no header; .CSV or .zip).
    Gdelt,
    /// ICEWS coded events as published on Dataverse (tab-separated, with a header).
    Icews,
    /// Correlates of War militarized interstate disputes (dyadic MID 4.02, MIDB 4.3
    /// participants, or directed dyadic war).
    CowMid,
    /// Correlates of War formal alliances, dyad-year rows (or ATOP rows of the same shape).
    CowAlliance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActorsArg {
    Country,
    Code,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// A file (a folder for dataset), a folder to put it in (a path ending in / or an existing
    /// folder), or - for stdout. Default: output/georel.<ext>, or output/dataset/ for dataset.
    #[arg(long, value_name = "FILE|DIR|-")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// GEXF 1.3 with dynamic intervals, for Gephi's timeline.
    Gexf,
    /// GraphML, for yEd, Cytoscape and networkx.
    Graphml,
    /// Node-link JSON, for d3, cytoscape.js and networkx.
    Json,
    /// One CSV sheet: every relation with actor names and source titles.
    Csv,
    /// georel's own relations.csv, actors.csv and sources.csv, in a folder.
    Dataset,
}

/// When a query is about: one day, a whole month or year, or the days from one date to
/// another.
#[derive(Debug, Args)]
pub struct WhenArgs {
    /// The day (YYYY-MM-DD), or a whole month (YYYY-MM) or year (YYYY): every relation that
    /// held at any time in it.
    #[arg(long, value_name = "DATE", conflicts_with_all = ["from_date", "to_date"])]
    pub at: Option<String>,
    /// With --to: every day from this date's first (2025-11: from 2025-11-01).
    #[arg(long = "from", id = "from_date", value_name = "DATE", requires = "to_date")]
    pub from: Option<String>,
    /// With --from: every day up to this date's last, included (2025-12: to 2025-12-31).
    #[arg(long = "to", id = "to_date", value_name = "DATE", requires = "from_date")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("when").args(["at", "from_date"]).required(true)))]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub when: WhenArgs,

    /// Write only this format. Without it, the DOT, nodes CSV and edges CSV files are written.
    #[arg(long, value_enum)]
    pub format: Option<SnapshotFormat>,

    /// Where to write: a folder (default output/; a path ending in / or an existing folder), a
    /// file (with --format; its missing folders are created), or - for stdout (with --format).
    #[arg(long, value_name = "DIR|FILE|-")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// List every actor, not only those with a relation on the date (or in the period).
    #[arg(long)]
    pub all_actors: bool,

    #[command(flatten)]
    pub picture: PictureArgs,
}

/// Which relations count.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Keep only these relation kinds (comma-separated, in any case).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS", ignore_case = true)]
    pub kinds: Vec<KindArg>,

    /// Keep only relations that are certainly in force (active), not merely possible.
    #[arg(long)]
    pub strict: bool,

    /// Merge each agency and person into its top-level parent (usually a country); merged
    /// edges keep the list of their relations.
    #[arg(long)]
    pub by_country: bool,
}

/// How paths and neighbourhoods move through the graph.
#[derive(Debug, Args)]
pub struct WalkArgs {
    /// Follow relations only from source to target (mutual relations both ways).
    #[arg(long)]
    pub directed: bool,

    /// Never pass through this actor (repeatable).
    #[arg(long, value_name = "ACTOR")]
    pub avoid: Vec<String>,

    /// Follow relations only: do not step between an agency and its parent country as a
    /// "part of" hop.
    #[arg(long)]
    pub relations_only: bool,
}

/// Where a query's result goes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format. text is readable, on stdout by default; the others are written to
    /// output/ unless --out says otherwise. svg and png need Graphviz installed.
    #[arg(long, value_enum, default_value = "text")]
    pub format: QueryFormat,

    /// A file (its missing folders are created), a folder for the default file name (a path
    /// ending in / or an existing folder), or - for stdout.
    #[arg(long, value_name = "FILE|DIR/|-")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub picture: PictureArgs,
}

/// How Graphviz draws a picture (svg, png): shared by every command that draws one.
#[derive(Debug, Args)]
pub struct PictureArgs {
    /// The Graphviz layout for svg and png. Default: dot for small pictures, sfdp for large
    /// ones.
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,

    /// Draw a picture (svg, png) however large: without it, one of more than 2,000 actors or
    /// 5,000 relations is refused with how to narrow the question, as Graphviz takes minutes
    /// on it and nobody can read it. DOT output is never refused.
    #[arg(long)]
    pub large_picture: bool,
}

/// Where a table's result goes (`fractures`): no diagram, so no picture formats or layout.
#[derive(Debug, Args)]
pub struct TableOutputArgs {
    /// Output format. text is readable, on stdout by default; the others are written to
    /// output/ unless --out says otherwise.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TableFormat,

    /// A file (its missing folders are created), a folder for the default file name (a path
    /// ending in / or an existing folder), or - for stdout.
    #[arg(long, value_name = "FILE|DIR/|-")]
    pub out: Option<PathBuf>,
}

/// Where `conflicts` goes: a diagram only of the contests on a date or over a period.
#[derive(Debug, Args)]
pub struct ConflictsOutputArgs {
    /// Output format. text is readable, on stdout by default; the others are written to
    /// output/ unless --out says otherwise. dot, svg and png need --at (or --from/--to); svg
    /// and png need Graphviz installed.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ConflictsFormat,

    /// A file (its missing folders are created), a folder for the default file name (a path
    /// ending in / or an existing folder), or - for stdout.
    #[arg(long, value_name = "FILE|DIR/|-")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub picture: PictureArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("when").args(["at", "from_date"]).required(true)))]
pub struct PathArgs {
    /// Where the path starts.
    pub from: String,
    /// Where it ends.
    pub to: String,
    #[command(flatten)]
    pub when: WhenArgs,
    /// List every simple path up to --max-hops, shortest first, then by actor ids.
    #[arg(long)]
    pub all: bool,
    /// With --all: the longest path to list.
    #[arg(long, value_name = "N", default_value_t = 4, requires = "all")]
    pub max_hops: usize,
    /// With --all: list at most this many paths (at most 100,000).
    #[arg(long, value_name = "N", default_value_t = 20, requires = "all")]
    pub limit: usize,
    /// With --all: give up after this many tries (steps of a partial path to a neighbour),
    /// saying that the answer is incomplete (exit 3). Bounds the time on dense graphs.
    #[arg(long, value_name = "N", default_value_t = georel::query::path::DEFAULT_TRIES, requires = "all")]
    pub max_tries: u64,
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("when").args(["at", "from_date"]).required(true)))]
pub struct NeighboursArgs {
    /// The centre.
    pub actor: String,
    #[command(flatten)]
    pub when: WhenArgs,
    /// How many hops out.
    #[arg(long, value_name = "K", default_value_t = 1)]
    pub depth: usize,
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The first day: the state on it is compared (a month or a year: its first day).
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// The last day: the state on it is compared (a month or a year: its last day).
    #[arg(long, value_name = "DATE")]
    pub to: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// The actor.
    pub actor: String,
    /// A second actor: the record of the pair, with its state as periods.
    pub other: Option<String>,
    /// Only the relations of the actors themselves: without it, a record holds the relations
    /// of everything within its actors (their agencies and people, by the `parent` chain),
    /// each marked with the actors it comes through ("via DNI").
    #[arg(long)]
    pub exact: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format. text is readable, on stdout by default; the others are written to
    /// output/ unless --out says otherwise.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TimelineFormat,
    /// A file (its missing folders are created), a folder for the default file name (a path
    /// ending in / or an existing folder), or - for stdout.
    #[arg(long, value_name = "FILE|DIR/|-")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    /// Readable text with a one-line summary.
    Text,
    /// One table: a row per start or end, and for a pair a row per state period.
    Csv,
    /// A stable JSON shape for scripts (see the README).
    Json,
    /// A Markdown dossier with numbered source footnotes, to paste into a report.
    Md,
    /// The dossier as one self-contained HTML page.
    Html,
    /// A chart: one lane per counterpart (per relation for a pair), bars over time.
    Svg,
    /// The chart as a PNG picture.
    Png,
}

#[derive(Debug, Args)]
pub struct ConflictsArgs {
    #[command(flatten)]
    pub when: WhenArgs,
    /// Count only relations that are certainly in force (active).
    #[arg(long)]
    pub strict: bool,
    /// Work country to country (agencies and people merged into their top-level parent): the
    /// contests found actor by actor, rolled up to their countries.
    #[arg(long)]
    pub by_country: bool,
    #[command(flatten)]
    pub output: ConflictsOutputArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("when").args(["at", "from_date"]).required(true)))]
pub struct FracturesArgs {
    #[command(flatten)]
    pub when: WhenArgs,
    /// Only this alliance or agreement; repeat it for several (--group NATO --group "Five
    /// Eyes").
    #[arg(long, value_name = "ALLIANCE")]
    pub group: Vec<String>,
    /// Count only relations and memberships that are certainly in force (active).
    #[arg(long)]
    pub strict: bool,
    /// Show the countries (top-level parents) instead of the agencies involved.
    #[arg(long)]
    pub by_country: bool,
    #[command(flatten)]
    pub output: TableOutputArgs,
}

/// When an analysis is taken: `--at` a day (or the union of a month's or year's days),
/// `--from --to` a period, or with `--every` too a series of days.
#[derive(Debug, Args)]
pub struct SeriesArgs {
    #[command(flatten)]
    pub when: WhenArgs,
    /// With --from and --to: a series, one result per day this far apart from --from's
    /// first day (a number and d, w, m or y: 10d, 1w, 1m, 1y).
    #[arg(long, value_name = "STEP", requires = "from_date")]
    pub every: Option<String>,
}

/// What a contested pair (joined by cooperation and by restriction or dispute, or whose
/// cooperation is contested) counts as in the signed graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ContestedArg {
    /// Left out, and reported apart.
    #[default]
    Skip,
    /// A negative tie.
    AsNegative,
    /// A positive tie.
    AsPositive,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("when").args(["at", "from_date"]).required(true)))]
#[command(mut_arg("kinds", |a| a.help("The relation kinds of the signed graph (comma-separated) [default: cooperation,restriction,dispute]; with membership, a member and its alliance are a positive tie")))]
pub struct BalanceArgs {
    #[command(flatten)]
    pub series: SeriesArgs,
    /// What a contested pair counts as.
    #[arg(long, value_enum, default_value = "skip")]
    pub contested: ContestedArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("when").args(["at", "from_date"]).required(true)))]
#[command(mut_arg("kinds", |a| a.help("The relation kinds whose ties make the graph (comma-separated) [default: cooperation]; with membership, a member is tied to its alliance")))]
pub struct BrokersArgs {
    #[command(flatten)]
    pub series: SeriesArgs,
    /// Show this many brokers, by betweenness (0: all).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,
    /// Estimate betweenness from this many pivot nodes (chosen with --seed) instead of every
    /// node: for graphs too large for the exact count.
    #[arg(long, value_name = "K")]
    pub pivots: Option<usize>,
    /// The seed for choosing --pivots.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Count the two ends of each shortest path as on it (networkx's endpoints=True).
    #[arg(long)]
    pub endpoints: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub output: TableOutputArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("when").args(["at", "from_date"]).required(true)))]
#[command(mut_arg("kinds", |a| a.help("The relation kinds of the signed graph (comma-separated) [default: cooperation,restriction,dispute]; with membership, a member and its alliance are a positive tie")))]
pub struct BlocsArgs {
    #[command(flatten)]
    pub series: SeriesArgs,
    /// The most blocs: a partition into fewer is kept when it frustrates less (as in R
    /// signnet's signed_blockmodel, a bloc may stay empty).
    #[arg(long, value_name = "K", default_value_t = 2)]
    pub k: usize,
    /// The weight of a negative tie inside a bloc against a positive tie between blocs
    /// (between 0 and 1).
    #[arg(long, value_name = "A", default_value_t = 0.5)]
    pub alpha: f64,
    /// The seed of the heuristic used beyond the exact search's size.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// What a contested pair counts as.
    #[arg(long, value_enum, default_value = "skip")]
    pub contested: ContestedArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct FramesArgs {
    /// The first day (a month or a year: its first day).
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// The last day, included when a step lands on it (a month or a year: its last day).
    #[arg(long, value_name = "DATE")]
    pub to: String,
    /// The step between frames: a number and d, w, m or y (10d, 1w, 1m, 1y). Default 1m,
    /// unless --on-changes is given.
    #[arg(long, value_name = "STEP")]
    pub every: Option<String>,
    /// A frame on each day the network changed: the first day, and every day a relation
    /// starts, ends or changes status (or a pair becomes or stops being contested). With
    /// --every too, the frames of both.
    #[arg(long)]
    pub on_changes: bool,
    /// The picture format.
    #[arg(long, value_enum, default_value = "png")]
    pub format: PictureArg,
    #[command(flatten)]
    pub picture: PictureArgs,
    /// The folder for the frames and index.html (default output/frames).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PictureArg {
    Png,
    Svg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SnapshotFormat {
    /// Graphviz diagram.
    Dot,
    /// Actors table: id,name,kind,parent,degree.
    NodesCsv,
    /// Relations table: id,source,target,kind,start,end,directed,status,contested,evidence,summary,
    /// claimant,credibility,grade.
    EdgesCsv,
    /// One JSON object with date, actors and relations.
    Json,
    /// Readable text: the relations grouped by pair, contested pairs first, with short
    /// citations (on stdout unless --out says otherwise).
    Text,
    /// A picture, drawn by Graphviz (which must be installed).
    Svg,
    /// A picture, drawn by Graphviz (which must be installed).
    Png,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// Readable text with a one-line summary.
    Text,
    /// One table, one row per item.
    Csv,
    /// A stable JSON shape for scripts (see the README).
    Json,
    /// A Graphviz diagram.
    Dot,
    /// The diagram drawn as a picture by Graphviz (which must be installed).
    Svg,
    /// The diagram drawn as a picture by Graphviz (which must be installed).
    Png,
}

/// The formats of a result that is a table, never a diagram (`fractures`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Readable text with a one-line summary.
    Text,
    /// One table, one row per item.
    Csv,
    /// A stable JSON shape for scripts (see the README).
    Json,
}

/// The formats of `conflicts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConflictsFormat {
    /// Readable text with a one-line summary.
    Text,
    /// One table, one row per item.
    Csv,
    /// A stable JSON shape for scripts (see the README).
    Json,
    /// A Graphviz diagram of the contests (with --at or --from/--to).
    Dot,
    /// The diagram drawn as a picture by Graphviz (with --at or --from/--to).
    Svg,
    /// The diagram drawn as a picture by Graphviz (with --at or --from/--to).
    Png,
}

/// A Graphviz layout engine, for svg and png.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// Hierarchical: the most readable for small graphs, slow beyond a few hundred edges.
    Dot,
    /// Spring model.
    Neato,
    /// Force-directed, keeps clusters.
    Fdp,
    /// Multiscale force-directed: fast on large graphs.
    Sfdp,
    /// Circular.
    Circo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Cooperation,
    Restriction,
    Dispute,
    Membership,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn the_query_help_lists_the_same_exit_codes() {
        assert!(super::QUERY_HELP.ends_with(super::EXIT_CODES));
    }
}
