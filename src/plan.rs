//! From parsed arguments to a validated plan: dates parsed, filters built, output paths
//! resolved. Nothing here reads the dataset.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use georel::date::{parse_day, Day, DATE_FORMATS};
use georel::model::{KindSet, RelationKind};
use georel::snapshot::{ActorScope, Filter};

use crate::cli::{Cli, Command, KindArg, SnapshotArgs, SnapshotFormat};

/// The default folder for results.
pub const OUTPUT_DIR: &str = "output";

/// What to run.
#[derive(Debug)]
pub enum Plan {
    Check { data: PathBuf },
    Snapshot(SnapshotPlan),
}

#[derive(Debug)]
pub struct SnapshotPlan {
    pub data: PathBuf,
    pub date: Day,
    pub filter: Filter,
    pub scope: ActorScope,
    pub output: SnapshotOutput,
}

/// Where a snapshot goes.
#[derive(Debug, PartialEq, Eq)]
pub enum SnapshotOutput {
    /// `snapshot-DATE.dot`, `.nodes.csv` and `.edges.csv` in this folder.
    Files { dir: PathBuf },
    /// One format, to a file or stdout.
    One { format: SnapshotFormat, dest: Dest },
}

#[derive(Debug, PartialEq, Eq)]
pub enum Dest {
    Stdout,
    File(PathBuf),
}

impl Plan {
    pub fn from_cli(cli: Cli) -> Result<Plan> {
        let data = cli.data;
        Ok(match cli.command {
            Command::Check => Plan::Check { data },
            Command::Snapshot(args) => Plan::Snapshot(snapshot_plan(data, args)?),
        })
    }
}

fn snapshot_plan(data: PathBuf, args: SnapshotArgs) -> Result<SnapshotPlan> {
    let date = date_arg("--at", &args.at)?;
    let filter = Filter {
        kinds: kinds(&args.kinds),
        strict: args.strict,
    };
    let scope = if args.all_actors {
        ActorScope::All
    } else {
        ActorScope::Connected
    };
    let output = match (args.format, args.out) {
        (None, Some(out)) if out == Path::new("-") => {
            bail!("--out - writes one format to stdout: add --format dot, nodes-csv, edges-csv or json")
        }
        (None, out) => SnapshotOutput::Files {
            dir: out.unwrap_or_else(|| OUTPUT_DIR.into()),
        },
        (Some(format), Some(out)) if out == Path::new("-") => SnapshotOutput::One {
            format,
            dest: Dest::Stdout,
        },
        (Some(format), Some(out)) if out.is_dir() => SnapshotOutput::One {
            format,
            dest: Dest::File(out.join(snapshot_file_name(date, format))),
        },
        (Some(format), Some(out)) => SnapshotOutput::One {
            format,
            dest: Dest::File(out),
        },
        (Some(format), None) => SnapshotOutput::One {
            format,
            dest: Dest::File(Path::new(OUTPUT_DIR).join(snapshot_file_name(date, format))),
        },
    };
    Ok(SnapshotPlan {
        data,
        date,
        filter,
        scope,
        output,
    })
}

/// `snapshot-DATE.<ext>`, the file name of one snapshot format.
pub fn snapshot_file_name(date: Day, format: SnapshotFormat) -> String {
    let ext = match format {
        SnapshotFormat::Dot => "dot",
        SnapshotFormat::NodesCsv => "nodes.csv",
        SnapshotFormat::EdgesCsv => "edges.csv",
        SnapshotFormat::Json => "json",
    };
    format!("snapshot-{date}.{ext}")
}

fn date_arg(flag: &str, text: &str) -> Result<Day> {
    parse_day(text).map_err(|reason| {
        anyhow::anyhow!("invalid date {text:?} for {flag}: {reason}; write {DATE_FORMATS}")
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
