//! The command line, as clap definitions only. Every flag is documented here; `plan` turns
//! the parsed arguments into a validated plan.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  empty result (for example, no relation holds on the date)
  2  usage error or invalid data (every problem is listed on stderr)";

/// Explore dated geopolitical relationship graphs: who cooperates with, restricts or disputes
/// whom, on any day, and where reports conflict.
#[derive(Debug, Parser)]
#[command(name = "georel", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// Dataset folder: relations.csv, and optionally actors.csv and sources.csv.
    #[arg(long, global = true, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the dataset: print a one-line summary, or list every problem and exit 2.
    #[command(after_help = EXIT_CODES)]
    Check,
    /// Write the graph as it stood on a date (by default DOT, nodes CSV and edges CSV into
    /// output/).
    #[command(after_help = EXIT_CODES)]
    Snapshot(SnapshotArgs),
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The day: YYYY-MM-DD (YYYY-MM or YYYY mean the first day of that month or year).
    #[arg(long, value_name = "DATE")]
    pub at: String,

    /// Write only this format. Without it, the DOT, nodes CSV and edges CSV files are written.
    #[arg(long, value_enum)]
    pub format: Option<SnapshotFormat>,

    /// Where to write: a folder (default output/), a file (with --format), or - for stdout
    /// (with --format).
    #[arg(long, value_name = "DIR|FILE|-")]
    pub out: Option<PathBuf>,

    /// Keep only these relation kinds (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    pub kinds: Vec<KindArg>,

    /// Keep only relations that are certainly in force (active), not merely possible.
    #[arg(long)]
    pub strict: bool,

    /// List every actor, not only those with a relation on the date.
    #[arg(long)]
    pub all_actors: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SnapshotFormat {
    /// Graphviz diagram.
    Dot,
    /// Actors table: id,name,kind,parent,degree.
    NodesCsv,
    /// Relations table: id,source,target,kind,start,end,directed,status,contested,evidence,summary.
    EdgesCsv,
    /// One JSON object with date, actors and relations.
    Json,
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
}
