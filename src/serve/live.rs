//! The dataset a running server answers from, never stale: the server reads the dataset
//! once, and before each API call compares the data files' identities (device, inode, size,
//! modification and change times: `load::trust`'s, the ones that let a command trust the
//! index without reading it) with those they had when it was read (three `stat` calls). On
//! a change it reads the folder again through the store, in the background, and until that
//! is done every API call gets a 503 that says so (the page shows it and retries); a change
//! that does not load gets a 503 that says why, until the files change again. Old data is
//! never served once the files differ from it. The identities are taken once the kernel's
//! clock has moved past the files' last change (`trust::settle`), so that a change made in
//! the same tick of the clock as the one before, while the server reads, still shows (on a
//! file system with whole-second times, settling would take a second and is not waited
//! for: there a second change within the second of the first, during the read, is seen
//! only at the next change).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::json;

use super::{ApiError, Explorer};
use crate::load::trust::{self, FileId};
use crate::store::data_files;

/// What the data files looked like: per file (relations, actors, sources), its identity
/// ([`FileId::MISSING`] when it is missing), or `None` when it could not be looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp([Option<FileId>; 3]);

impl Stamp {
    /// The data files in `dir` now.
    pub fn of(dir: &Path) -> Stamp {
        Stamp(data_files(dir).map(|file| FileId::at(&file).ok()))
    }

    /// The data files in `dir`, once the kernel's clock has moved past their last change
    /// (a few milliseconds at most): taken before a read.
    fn settled(dir: &Path) -> Stamp {
        let files = data_files(dir);
        trust::settle(&[&files[0], &files[1], &files[2]]);
        Stamp::of(dir)
    }
}

/// The 503 answered while the dataset is read again.
pub const READING: &str = "the dataset changed; reading it again";

struct State {
    /// What answers, read from files that looked like `read_from`; `None` while they are
    /// read again (the old dataset is dropped at once: it must not answer, and two ten-million
    /// relation datasets would not fit beside each other).
    current: Option<Arc<Explorer>>,
    read_from: Stamp,
    reading: bool,
    /// The files, as they were when they failed to load, and why.
    failed: Option<(Stamp, String)>,
}

/// A dataset folder served, read again when its files change.
pub struct Live {
    dir: PathBuf,
    state: Mutex<State>,
}

impl Live {
    /// Reads the dataset in `dir`.
    ///
    /// # Errors
    /// When it cannot be read.
    pub fn open(dir: &Path) -> anyhow::Result<Live> {
        // Taken before the read: a change while it reads is then seen at the next call.
        let read_from = Stamp::settled(dir);
        let explorer = Explorer::open(dir)?;
        Ok(Live {
            dir: dir.to_path_buf(),
            state: Mutex::new(State {
                current: Some(Arc::new(explorer)),
                read_from,
                reading: false,
                failed: None,
            }),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The dataset as read, whatever the files are now (to prepare the first view).
    pub fn as_read(&self) -> Option<Arc<Explorer>> {
        self.lock().current.clone()
    }

    /// The dataset to answer from, if the files are still those it was read from; else a 503
    /// (and, the first time, a new read started in the background).
    ///
    /// # Errors
    /// 503 while the dataset is read again, or when the files as they are do not load.
    pub fn current(self: &Arc<Self>) -> Result<Arc<Explorer>, ApiError> {
        let now = Stamp::of(&self.dir);
        let mut state = self.lock();
        if now == state.read_from {
            if let Some(current) = &state.current {
                return Ok(Arc::clone(current));
            }
        }
        if state.reading {
            return Err(unavailable(READING));
        }
        if let Some((stamp, why)) = &state.failed {
            if *stamp == now {
                return Err(unavailable(&format!(
                    "the dataset changed and cannot be read: {why}; fix the files and the page will read them again"
                )));
            }
        }
        state.reading = true;
        state.current = None;
        drop(state);
        eprintln!("georel: the dataset in {} changed; reading it again", self.dir.display());
        let live = Arc::clone(self);
        std::thread::spawn(move || {
            // Taken again before the read: what is read is at least as new as this.
            let read_from = Stamp::settled(&live.dir);
            let read = Explorer::open(&live.dir);
            let mut state = live.lock();
            state.reading = false;
            state.read_from = read_from.clone();
            match read {
                Ok(explorer) => {
                    let explorer = Arc::new(explorer);
                    state.current = Some(Arc::clone(&explorer));
                    state.failed = None;
                    drop(state);
                    eprintln!("georel: read the dataset in {} again", live.dir.display());
                    explorer.warm();
                }
                Err(e) => {
                    let why = format!("{e:#}");
                    eprintln!("georel: {why}");
                    state.failed = Some((read_from, why));
                }
            }
        });
        Err(unavailable(READING))
    }
}

fn unavailable(error: &str) -> ApiError {
    ApiError { status: 503, body: json!({"error": error, "retry": true}) }
}
