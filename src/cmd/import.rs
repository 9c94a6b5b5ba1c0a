//! `georel import`: read a public dataset's files, aggregate, write a georel dataset folder,
//! and report what was read, skipped and rejected.

use anyhow::Result;

use georel::import::{self, cow, gdelt, icews, Builder, Progress};

use super::Exit;
use crate::cli::ImportFormat;
use crate::plan::{import_folder, ImportPlan};

/// How many rejected rows are shown in full; the rest are counted (all are in rejects.csv).
const SHOWN_REJECTS: usize = 5;

pub fn run(plan: &ImportPlan) -> Result<Exit> {
    let name = import_folder(plan.format);
    let mut builder = Builder::new(&plan.options);
    let progress = Progress::rows(&format!("importing {name}"));
    for file in &plan.files {
        let read = match plan.format {
            ImportFormat::Gdelt => gdelt::read(file, &mut builder, &plan.options, &progress),
            ImportFormat::Icews => icews::read(file, &mut builder, &plan.options, &progress),
            ImportFormat::CowMid => cow::read_mid(file, &mut builder, &plan.options, &progress),
            ImportFormat::CowAlliance => cow::read_alliance(file, &mut builder, &plan.options, &progress),
        };
        if let Err(e) = read {
            progress.finish();
            return Err(e);
        }
    }
    progress.finish();
    let rejects = builder.rejects.clone();
    let (dataset, summary) = builder.finish(name, &plan.options)?;
    let written = import::write(dataset, &rejects, &plan.dir, plan.append)?;

    let files = plan.files.len();
    let skipped: u64 = summary.skipped.values().sum();
    let mut line = format!(
        "read {} row{} from {files} file{}: {} skipped, {} rejected",
        summary.rows,
        if summary.rows == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" },
        skipped,
        summary.rejected
    );
    if !summary.skipped.is_empty() {
        let reasons: Vec<String> = summary.skipped.iter().map(|(why, n)| format!("{n} {why}")).collect();
        line.push_str(&format!(" (skipped: {})", reasons.join(", ")));
    }
    say!("{line}")?;
    let dropped = if summary.dropped_weak > 0 {
        format!(
            "; {} relations with fewer than {} events dropped",
            summary.dropped_weak, plan.options.min_events
        )
    } else {
        String::new()
    };
    if plan.append {
        say!(
            "imported {} relations{dropped}; {} now has {} relations, {} actors, {} sources",
            summary.relations,
            plan.dir.display(),
            written.relations,
            written.actors,
            written.sources
        )?;
    } else {
        say!(
            "imported {} relations, {} actors, {} sources into {}{dropped}",
            written.relations,
            written.actors,
            written.sources,
            plan.dir.display()
        )?;
    }
    for path in &written.files {
        say!("wrote {}", path.display())?;
    }
    if !rejects.is_empty() {
        eprintln!(
            "georel: {} bad rows skipped; all are in {}:",
            rejects.len(),
            plan.dir.join("rejects.csv").display()
        );
        for reject in rejects.iter().take(SHOWN_REJECTS) {
            tell!("  {reject}");
        }
        if rejects.len() > SHOWN_REJECTS {
            eprintln!("  … and {} more", rejects.len() - SHOWN_REJECTS);
        }
    }
    if summary.relations == 0 {
        eprintln!("georel: the import produced no relation");
        return Ok(Exit::Empty);
    }
    Ok(Exit::Success)
}
