//! Runs a plan: load the dataset, compute, write the results, and say what was done.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use georel::export::{atomic, csv, dot, json};
use georel::model::Dataset;
use georel::snapshot::Snapshot;

use crate::cli::SnapshotFormat;
use crate::plan::{snapshot_file_name, Dest, Plan, SnapshotOutput, SnapshotPlan};

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Empty = 1,
    Error = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

pub fn run(plan: Plan) -> Result<Exit> {
    match plan {
        Plan::Check { data } => check(&data),
        Plan::Snapshot(plan) => snapshot(&plan),
    }
}

fn load(data: &Path) -> Result<Dataset> {
    if !data.join(georel::load::RELATIONS_FILE).exists() {
        anyhow::bail!(
            "no dataset in {}: {} is missing (choose the folder with --data DIR)",
            data.display(),
            georel::load::RELATIONS_FILE
        );
    }
    georel::load::load(data)
        .with_context(|| format!("cannot load the dataset in {}", data.display()))
}

fn check(data: &Path) -> Result<Exit> {
    let ds = load(data)?;
    let range = ds.date_range().map_or_else(
        || "no dates".to_string(),
        |(first, last)| format!("dates {first} to {last}"),
    );
    println!(
        "{}: ok: {} actors, {} relations, {} sources; {range}",
        data.display(),
        ds.actors.len(),
        ds.relations.len(),
        ds.sources.len()
    );
    Ok(Exit::Success)
}

fn snapshot(plan: &SnapshotPlan) -> Result<Exit> {
    let ds = load(&plan.data)?;
    let snap = Snapshot::at(&ds, plan.date, plan.filter, plan.scope);
    match &plan.output {
        SnapshotOutput::One {
            format,
            dest: Dest::Stdout,
        } => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            write_format(&snap, *format, &mut out).and_then(|()| out.flush())?;
        }
        SnapshotOutput::One {
            format,
            dest: Dest::File(path),
        } => {
            let written = atomic::write_file(path, |out| write_format(&snap, *format, out))?;
            summarise(&snap, &[written]);
        }
        SnapshotOutput::Files { dir } => {
            let formats = [
                SnapshotFormat::Dot,
                SnapshotFormat::NodesCsv,
                SnapshotFormat::EdgesCsv,
            ];
            let staged = formats
                .into_iter()
                .map(|f| {
                    atomic::stage(&dir.join(snapshot_file_name(plan.date, f)), |out| {
                        write_format(&snap, f, out)
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let written = atomic::commit(staged)?;
            summarise(&snap, &written);
        }
    }
    if snap.edges.is_empty() {
        eprintln!(
            "georel: no relation holds on {} with these filters",
            plan.date
        );
        return Ok(Exit::Empty);
    }
    Ok(Exit::Success)
}

fn write_format(
    snap: &Snapshot<'_>,
    format: SnapshotFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        SnapshotFormat::Dot => dot::write(snap, out),
        SnapshotFormat::NodesCsv => csv::write_nodes(snap, out),
        SnapshotFormat::EdgesCsv => csv::write_edges(snap, out),
        SnapshotFormat::Json => json::write(snap, out),
    }
}

fn summarise(snap: &Snapshot<'_>, written: &[std::path::PathBuf]) {
    let possible = snap
        .edges
        .iter()
        .filter(|e| e.status == georel::date::Status::Possible)
        .count();
    println!(
        "snapshot {}: {} actors, {} relations ({} possible, {} contested)",
        snap.date,
        snap.nodes.len(),
        snap.edges.len(),
        possible,
        snap.contested_count()
    );
    for path in written {
        println!("wrote {}", path.display());
    }
}
