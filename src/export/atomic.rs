//! Atomic output files: each result is written to a temporary file beside its destination,
//! flushed to disk, and only then renamed over it. A failure part-way never leaves a
//! truncated file and never destroys an earlier result.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::NamedTempFile;

/// A file written in full to a temporary path, waiting to be renamed into place.
pub struct Staged {
    temp: NamedTempFile,
    dest: PathBuf,
}

/// Writes `dest`'s future content to a temporary file in the same folder (so that the rename
/// is atomic), creating the folder if needed.
///
/// # Errors
/// When the folder cannot be created or the content cannot be written; the destination is
/// untouched then.
pub fn stage(dest: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<Staged> {
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
    let temp = NamedTempFile::new_in(&dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, temp.as_file());
    write(&mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", dest.display()))?;
    drop(out);
    temp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", dest.display()))?;
    Ok(Staged {
        temp,
        dest: dest.to_path_buf(),
    })
}

/// Renames staged files into place, in order. Call it once every file of a result has been
/// staged, so that a failure while writing any of them leaves all destinations untouched.
///
/// # Errors
/// When a rename fails (the files renamed before it stay in place).
pub fn commit(staged: Vec<Staged>) -> Result<Vec<PathBuf>> {
    let mut written = Vec::with_capacity(staged.len());
    for Staged { temp, dest } in staged {
        temp.persist(&dest)
            .with_context(|| format!("cannot move the result into place at {}", dest.display()))?;
        written.push(dest);
    }
    Ok(written)
}

/// Stages and commits a single file.
///
/// # Errors
/// As [`stage`] and [`commit`].
pub fn write_file(
    dest: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<PathBuf> {
    let staged = stage(dest, write)?;
    Ok(commit(vec![staged])?.remove(0))
}
