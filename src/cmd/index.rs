//! `georel index`: build (or build again) the dataset's index file; also how other commands
//! rebuild one that is out of date.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use georel::export::atomic;
use georel::export::text::count;
use georel::load::index::{self, INDEX_FILE};
use georel::model::Dataset;
use georel::progress::{Progress, Unit};

use super::{require_dataset, Exit};

pub fn run(data: &Path) -> Result<Exit> {
    require_dataset(data)?;
    let (ds, written) = build(data)?;
    let path = written?;
    say!(
        "{}: indexed {}, {}, {}",
        path.display(),
        count(ds.actors.len(), "actor", "actors"),
        count(ds.relations.len(), "relation", "relations"),
        count(ds.sources.len(), "source", "sources")
    )?;
    Ok(Exit::Success)
}

/// Loads the dataset from its CSV files and writes its index, keyed to exactly the bytes
/// that were parsed (hashed as they were read): if the files change meanwhile, the index
/// still describes what it holds, and is found stale at the next command.
///
/// # Errors
/// The outer error when the dataset cannot be loaded; the inner one when it loaded but the
/// index could not be written (the caller may go on without one).
pub fn build(data: &Path) -> Result<(Dataset, Result<PathBuf>)> {
    let progress = Progress::new(format!("indexing {}: reading the CSV files", data.display()), Unit::None);
    let (ds, key) = georel::load::load_keyed(data)
        .with_context(|| format!("cannot load the dataset in {}", data.display()))?;
    progress.say(format!("indexing {}: writing the index", data.display()));
    let written = (|| {
        let Some(key) = key else {
            anyhow::bail!(
                "the CSV files in {} changed while they were read; run the command again",
                data.display()
            );
        };
        let path = data.join(INDEX_FILE);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(atomic::IsLink(path).into());
        }
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            anyhow::bail!("{} is not a regular file: remove it, and run georel index again", path.display());
        }
        atomic::write_own_file(&path, atomic::Cache::Keep, |out| index::write(&ds, &key, out))
    })();
    Ok((ds, written))
}
