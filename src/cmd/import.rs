//! `georel import`: read a public dataset's files, aggregate, write a georel dataset folder,
//! and report what was read, skipped and rejected.

use anyhow::Result;

use georel::export::text::count;
use georel::import::{self, cow, gdelt, guard, icews, input, master, resume, Builder, Progress};

use super::Exit;
use crate::cli::ImportFormat;
use crate::plan::{import_folder, ImportPlan};

/// How many rejected rows are shown in full; the rest are counted (all are in rejects.csv).
const SHOWN_REJECTS: usize = 5;

pub fn run(plan: &ImportPlan) -> Result<Exit> {
    let name = import_folder(plan.format);
    let (inputs, record) = match &plan.master {
        Some((list, since, until)) => match from_master(plan, list, *since, *until)? {
            Some(found) => found,
            None => return Ok(Exit::Success),
        },
        None => (plan.files.clone(), None),
    };
    // Every input is looked at before any is read, so that a file no importer reads is
    // refused at once, not after an hour of reading the others.
    for input in &inputs {
        input::sniff(input)?;
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
    builder.spill_sources(&plan.dir);
    let sizes: Option<u64> = inputs.iter().map(input::Input::size).sum();
    let progress = Progress::import(format!("importing {name}"), inputs.len() as u64, sizes);
    for one in &inputs {
        let read = input::read(one, &progress, &mut |file, reader| match plan.format {
            ImportFormat::Gdelt => gdelt::read(file, reader, &mut builder, &plan.options, &progress),
            ImportFormat::Icews => icews::read(file, reader, &mut builder, &plan.options, &progress),
            ImportFormat::CowMid => cow::read_mid(file, reader, &mut builder, &plan.options, &progress),
            ImportFormat::CowAlliance => {
                cow::read_alliance(file, reader, &mut builder, &plan.options, &progress)
            }
        });
        if let Err(e) = read {
            progress.finish();
            return Err(e);
        }
        progress.file_done();
    }
    progress.finish();
    let rejects = builder.rejects.clone();
    let finished = builder.finish_import(name, &plan.options)?;
    let summary = finished.summary.clone();
    let duplicates = summary.skipped.get(import::DUPLICATE).copied().unwrap_or(0);
    if summary.resumed
        && summary.new_ids == 0
        && duplicates > 0
        && !guard::too_many_rejects(&summary, plan.max_rejects)
    {
        show_rejects(&rejects, None);
        anyhow::bail!(
            "nothing to append: {} read, and every event in them is already in {} ({duplicates} duplicate event ids); nothing was written",
            count(summary.rows, "row", "rows"),
            plan.dir.display()
        );
    }
    match guard::judge(&summary, plan.max_rejects, &plan.dir, plan.force) {
        guard::Verdict::Write => {}
        guard::Verdict::Warn(why) => tell!("georel: warning: {why}"),
        guard::Verdict::Refuse(why) => {
            show_rejects(&rejects, None);
            tell!("georel: {why}");
            return Ok(Exit::Refused);
        }
    }
    let mut staged = Vec::new();
    if let Some(record) = &record {
        staged.push(record.stage(&plan.dir)?);
    }
    let written = import::write_import(finished, &rejects, &plan.dir, plan.append, plan.force, staged)?;
    if record.is_none() && !plan.append {
        resume::forget(&plan.dir)?;
    }

    let files = inputs.len();
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

/// The inputs a master file list selects, and the record of imported files to write with
/// the dataset (the earlier one's files and these); `None` when there is nothing to read.
fn from_master(
    plan: &ImportPlan,
    list: &std::path::Path,
    since: Option<georel::date::Day>,
    until: Option<georel::date::Day>,
) -> Result<Option<(Vec<input::Input>, Option<resume::Record>)>> {
    // Only a dataset appended to keeps the files read before; one replaced starts afresh.
    let mut record = if plan.append { resume::Record::read(&plan.dir)? } else { resume::Record::default() };
    let selection = master::select(list, since, until, &record)?;
    if let Some((line, text)) = selection.unreadable.first() {
        tell!(
            "georel: warning: in {}, {} naming an event file could not be read as SIZE MD5 URL (first: line {line}: {text:?}); those files were not read",
            list.display(),
            count(selection.unreadable.len(), "line", "lines")
        );
    }
    if !selection.missing.is_empty() {
        if plan.options.strict {
            anyhow::bail!(
                "{} names {} of the dates asked that its folder lacks (first: {}); download them, or narrow --since/--until",
                list.display(),
                count(selection.missing.len(), "event file", "event files"),
                selection.missing[0].display()
            );
        }
        tell!(
            "georel: warning: {} names {} of the dates asked that its folder lacks (first: {}): not read; a later import with --append reads them once they are there",
            list.display(),
            count(selection.missing.len(), "event file", "event files"),
            selection.missing[0].display()
        );
    }
    if selection.already > 0 {
        say!(
            "{} of the dates asked already imported into {}: skipped",
            count(selection.already, "file", "files"),
            plan.dir.display()
        )?;
    }
    if selection.inputs.is_empty() {
        say!(
            "nothing to import: no event file of the dates asked is left to read; {} is unchanged",
            plan.dir.display()
        )?;
        return Ok(None);
    }
    for (one, name) in selection.inputs.iter().zip(&selection.names) {
        let expected = one.expected.as_ref().expect("a listed file has its size and MD5");
        record.add(name, expected.size, &input::hex(&expected.md5));
    }
    Ok(Some((selection.inputs, Some(record))))
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
