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
    fs::create_dir_all(&dir).with_context(|| format!("cannot create the output folder {}", dir.display()))?;
    let temp = temp_builder()
        .tempfile_in(&dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, temp.as_file());
    write(&mut out).and_then(|()| out.flush()).with_context(|| format!("cannot write {}", dest.display()))?;
    drop(out);
    temp.as_file().sync_all().with_context(|| format!("cannot write {}", dest.display()))?;
    Ok(Staged { temp, dest: dest.to_path_buf() })
}

/// Temporary files are named `.georel-*.tmp`, and created with the mode an ordinary new file
/// gets (0666 less the umask): tempfile's private default (0600) would otherwise become the
/// result's mode after the rename, and hide it from other users.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".georel-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder
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
pub fn write_file(dest: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<PathBuf> {
    let staged = stage(dest, write)?;
    Ok(commit(vec![staged])?.remove(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_whole_content_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/result.csv");
        write_file(&dest, |out| out.write_all(b"a,b\n1,2\n")).unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"a,b\n1,2\n");
        let names: Vec<_> =
            fs::read_dir(dest.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["result.csv"]);
    }

    #[test]
    fn a_failed_write_keeps_the_earlier_result() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("result.csv");
        fs::write(&dest, "earlier\n").unwrap();
        let failed = write_file(&dest, |out| {
            out.write_all(b"half of it")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&dest).unwrap(), "earlier\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "the temporary file is removed");
    }

    /// Regression: results came out 0600 (tempfile's private mode), unreadable by others.
    #[cfg(unix)]
    #[test]
    fn results_get_the_mode_of_an_ordinary_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ordinary = dir.path().join("ordinary");
        fs::File::create(&ordinary).unwrap();
        let dest = dir.path().join("result.csv");
        write_file(&dest, |out| out.write_all(b"x")).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dest), mode(&ordinary));
    }
}
