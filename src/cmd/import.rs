//! `georel import`: read a public dataset's files, aggregate, write a georel dataset folder,
//! and report what was read, skipped and rejected.

use anyhow::Result;

use georel::export::text::count;
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
    // Appending to an import that kept its stage-A table continues it: the table takes the
    // new events, so runs are not cut at the batch boundary and ids met before are caught.
    let table = plan.dir.join(import::table::file_name(name));
    let mut builder = if plan.append && table.exists() {
        let settings = import::table::settings(name, &plan.options);
        Builder::resume(&plan.options, import::table::read(&table, &settings, plan.options.evidence)?)
    } else {
        Builder::new(&plan.options)
    };
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
    let finished = builder.finish_import(name, &plan.options)?;
    let summary = finished.summary.clone();
    let duplicates = summary.skipped.get("duplicate event id").copied().unwrap_or(0);
    if summary.resumed && summary.events == 0 && duplicates > 0 {
        show_rejects(&rejects, None);
        anyhow::bail!(
            "nothing to append: {} read, and every event in them is already in {} ({duplicates} duplicate event ids); nothing was written",
            count(summary.rows, "row", "rows"),
            plan.dir.display()
        );
    }
    // A continued import that kept events changes the table even when its runs are still
    // below --min-events: it is written, or those events would be lost to later batches.
    if summary.relations == 0 && !(summary.resumed && summary.events > 0) {
        // Written, an empty import would replace the dataset in the folder with nothing.
        show_rejects(&rejects, None);
        let skipped: u64 = summary.skipped.values().sum();
        anyhow::bail!(
            "the import produced no relation ({} read: {skipped} skipped, {} rejected{}); nothing was written to {}",
            count(summary.rows, "row", "rows"),
            summary.rejected,
            if summary.dropped_weak > 0 {
                format!(
                    ", {} with fewer than {} dropped",
                    count(summary.dropped_weak, "relation", "relations"),
                    count(plan.options.min_events, "event", "events")
                )
            } else {
                String::new()
            },
            plan.dir.display()
        );
    }
    let written = import::write_import(finished, &rejects, &plan.dir, plan.append, plan.force)?;

    let files = plan.files.len();
    let skipped: u64 = summary.skipped.values().sum();
    let mut line = format!(
        "read {} from {}: {} skipped, {} rejected",
        count(summary.rows, "row", "rows"),
        count(files, "file", "files"),
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
            "; {} with fewer than {} dropped",
            count(summary.dropped_weak, "relation", "relations"),
            count(plan.options.min_events, "event", "events")
        )
    } else {
        String::new()
    };
    if plan.append {
        say!(
            "imported {}{dropped}; {} now has {}, {}, {}",
            count(summary.relations, "relation", "relations"),
            plan.dir.display(),
            count(written.relations, "relation", "relations"),
            count(written.actors, "actor", "actors"),
            count(written.sources, "source", "sources")
        )?;
    } else {
        say!(
            "imported {}, {}, {} into {}{dropped}",
            count(written.relations, "relation", "relations"),
            count(written.actors, "actor", "actors"),
            count(written.sources, "source", "sources"),
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
