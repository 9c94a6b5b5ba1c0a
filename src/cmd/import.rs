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
    // Every input is looked at before any is read, so that a compressed or binary file is
    // refused at once, not after an hour of reading the others.
    for file in &plan.files {
        import::sniff::check(file, plan.format == ImportFormat::Gdelt)?;
    }
    import::check_out_dir(&plan.dir, plan.append, plan.force)?;
    let mut builder = Builder::new(&plan.options);
    let progress = Progress::rows(format!("importing {name}"));
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
    if summary.relations == 0 {
        // Written, an empty import would replace the dataset in the folder with nothing.
        show_rejects(&rejects, None);
        let skipped: u64 = summary.skipped.values().sum();
        anyhow::bail!(
            "the import produced no relation ({} rows read: {skipped} skipped, {} rejected{}); nothing was written to {}",
            summary.rows,
            summary.rejected,
            if summary.dropped_weak > 0 {
                format!(", {} relations with fewer than {} events dropped", summary.dropped_weak, plan.options.min_events)
            } else {
                String::new()
            },
            plan.dir.display()
        );
    }
    let written = import::write(dataset, &rejects, &plan.dir, plan.append, plan.force)?;

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
    show_rejects(&rejects, Some(&plan.dir.join("rejects.csv")));
    Ok(Exit::Success)
}

/// Lists the first rejected rows on stderr, and says where all of them are (`file`) or that
/// none was written.
fn show_rejects(rejects: &[import::Reject], file: Option<&std::path::Path>) {
    if rejects.is_empty() {
        return;
    }
    match file {
        Some(file) => eprintln!("georel: {} bad rows skipped; all are in {}:", rejects.len(), file.display()),
        None => eprintln!("georel: {} bad rows:", rejects.len()),
    }
    for reject in rejects.iter().take(SHOWN_REJECTS) {
        tell!("  {reject}");
    }
    if rejects.len() > SHOWN_REJECTS {
        eprintln!("  … and {} more", rejects.len() - SHOWN_REJECTS);
    }
}
