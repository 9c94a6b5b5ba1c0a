//! Locking an output folder against other georel runs, so that a result made of several
//! files (the frames and their index.html) is written by one run at a time: two `frames`
//! runs into one folder could leave an index.html naming frames that the other run removed.

use std::fs::File;
use std::path::Path;

use anyhow::{Context, Result};

/// A lock on a folder, held until dropped (or until the process ends, however it ends: the
/// kernel releases it with the descriptor, so a killed run never leaves a stale lock).
#[derive(Debug)]
pub struct DirLock {
    _dir: Option<File>,
}

/// Locks `dir` (creating it if needed) against other georel runs that lock it. When another
/// run holds it, says so on stderr and waits for it.
///
/// The lock is `flock` on the folder itself, so that no lock file is left in it.
///
/// # Errors
/// When the folder cannot be created or opened.
pub fn lock_dir(dir: &Path) -> Result<DirLock> {
    super::atomic::make_folder(dir)?;
    let file = File::open(dir).with_context(|| format!("cannot open the output folder {}", dir.display()))?;
    lock(file, dir)
}

#[cfg(target_os = "linux")]
fn lock(file: File, dir: &Path) -> Result<DirLock> {
    use std::os::fd::AsRawFd;
    let flock = |how| loop {
        // SAFETY: flock on a descriptor this function owns; no memory is involved.
        if unsafe { libc::flock(file.as_raw_fd(), how) } == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    };
    match flock(libc::LOCK_EX | libc::LOCK_NB) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EWOULDBLOCK) => {
            eprintln!(
                "georel: note: another georel is writing into {}; waiting for it to finish",
                dir.display()
            );
            flock(libc::LOCK_EX)
                .with_context(|| format!("cannot lock the output folder {}", dir.display()))?;
        }
        // A file system without locks (some network ones): written unlocked, as before.
        Err(_) => return Ok(DirLock { _dir: None }),
    }
    Ok(DirLock { _dir: Some(file) })
}

#[cfg(not(target_os = "linux"))]
fn lock(_: File, _: &Path) -> Result<DirLock> {
    Ok(DirLock { _dir: None })
}
