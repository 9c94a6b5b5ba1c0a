//! The store: the one way every command (and the server) reads a dataset folder. It owns
//! the folder and the grade filter, and answers "the whole dataset", "what may hold on a
//! day or in a period", "the relations of these actors", "what changes between two days"
//! and the reads of a path or a neighbourhood: from the folder's index when there is a
//! current one, from the CSV files otherwise, never from an index built from other data
//! (an index is trusted only while its key matches the files: [`crate::load::index`]).
//! How a question is answered from what is read is left to `snapshot` and `query`.

mod near;
mod period;
mod series;
mod stream;
mod subset;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::date::{Day, Window};
use crate::load::index::{self, Index, Unusable, INDEX_FILE};
use crate::load::trust::STAMP_FILE;
use crate::load::{LoadErrors, ACTORS_FILE, RELATIONS_FILE, SOURCES_FILE};
use crate::model::{Dataset, GradeFilter};
use crate::progress::{Progress, Unit};

pub use near::{Failed, NearPath};
pub use stream::{write_edges_of, DayEdges, DayStream, StreamFailure};
// In memory, for a dataset read whole and kept (the explorer's server): the same selections.
pub use period::{changes_drawn_in, contested_over, fractured_over};
pub use subset::{changes_in, contested_in, fractured_in};

/// Why a dataset could not be read. The messages are the ones the command line prints.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `--data` names no dataset folder: the message says which case and how to fix it.
    #[error("{0}")]
    NoDataset(String),
    /// The CSV files do not load: the errors list every problem with its file and line.
    #[error("cannot load the dataset in {}", dir.display())]
    Load {
        dir: PathBuf,
        #[source]
        errors: LoadErrors,
    },
    /// The files changed between two reads of one question, whose actor indexes would then
    /// name other actors.
    #[error("the dataset in {} changed while georel read it; run the command again", .0.display())]
    Changed(PathBuf),
    /// The index failed while the whole dataset was read from it after a part.
    #[error("{0} (while reading the whole dataset from its index)")]
    WholeFromIndex(Unusable),
}

/// Where the store reads from, as found when it was opened.
enum Source {
    /// A current, intact index.
    Indexed(Index),
    /// No index georel may use (none; or something that is not a regular file, or a link,
    /// which georel leaves alone): each question reads the CSV files.
    Csv,
    /// The index was out of date or damaged and was rebuilt from the CSV files: the whole
    /// dataset read then (ungraded) answers the first question, and later ones read the files.
    Rebuilt(Mutex<Option<Dataset>>),
}

/// A dataset folder opened for reading, with the grades every answer keeps.
pub struct Store {
    dir: PathBuf,
    grades: GradeFilter,
    source: Source,
}

impl Store {
    /// Opens the dataset in `dir`, keeping only relations whose grade `grades` admits in
    /// every answer. The index, when there is one, is checked here (its checksum and the
    /// data files' hashes, on two threads); its time index is checked when a day is first
    /// read from it. An index that is a symbolic link or not a regular file is left alone,
    /// with a note; one that is out of date or damaged is rebuilt now, with a note (a
    /// warning when it cannot be written).
    ///
    /// # Errors
    /// [`StoreError::NoDataset`] when `dir` holds no dataset (it does not exist, it is a
    /// file, or it lacks relations.csv); [`StoreError::Load`] when an index had to be
    /// rebuilt and the CSV files do not load.
    pub fn open(dir: &Path, grades: GradeFilter) -> Result<Store, StoreError> {
        Store::open_with(dir, grades, Index::open_lazily)
    }

    /// As [`Store::open`], but the stored time index is checked on opening, beside the
    /// hashing of the data files, where it costs less than when first used: for a question
    /// about a day that reads the day's cut ([`Store::on`]).
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn open_for_days(dir: &Path, grades: GradeFilter) -> Result<Store, StoreError> {
        Store::open_with(dir, grades, Index::open)
    }

    fn open_with(
        dir: &Path,
        grades: GradeFilter,
        open: fn(&Path) -> Result<Index, Unusable>,
    ) -> Result<Store, StoreError> {
        require_dataset(dir)?;
        let store = |source| Store { dir: dir.to_path_buf(), grades, source };
        let progress = Progress::new(format!("reading the dataset in {}", dir.display()), Unit::None);
        let why = match open(dir) {
            Ok(index) => {
                record(dir, &index);
                return Ok(store(Source::Indexed(index)));
            }
            Err(Unusable::Missing) => return Ok(store(Source::Csv)),
            Err(Unusable::NotAFile) => {
                // Not replaced: someone put it there, and writing into a device or a FIFO is
                // no rebuild.
                progress.suspend(|| {
                    eprintln!(
                        "georel: note: {} is not a regular file; reading the CSV files (remove it, and georel index rebuilds it)",
                        dir.join(INDEX_FILE).display()
                    );
                });
                return Ok(store(Source::Csv));
            }
            Err(Unusable::Link) => {
                progress.suspend(|| {
                    eprintln!(
                        "georel: note: {} is a symbolic link, which georel never follows or replaces; reading the CSV files (remove it, and georel index builds the index)",
                        dir.join(INDEX_FILE).display()
                    );
                });
                return Ok(store(Source::Csv));
            }
            Err(why) => why,
        };
        // The rebuild shows its own progress.
        drop(progress);
        let ds = rebuild(dir, &why)?;
        Ok(store(Source::Rebuilt(Mutex::new(Some(ds)))))
    }

    /// The dataset folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The grades every answer keeps.
    pub fn grades(&self) -> GradeFilter {
        self.grades
    }

    /// Whether questions are answered from a current index.
    pub fn is_indexed(&self) -> bool {
        matches!(self.source, Source::Indexed(_))
    }

    /// Every actor and source, and none of the relations (for every day): what names are
    /// resolved against before asking for the relations of some actors
    /// ([`Store::of_actors`]). From a current index, only they are decoded.
    ///
    /// # Errors
    /// As [`Store::whole`].
    pub fn people(&self) -> Result<Dataset, StoreError> {
        if let Source::Indexed(index) = &self.source {
            match index.actors_and_sources() {
                Ok(people) => return Ok(people),
                Err(why) => return Ok(strip(self.recover(&why)?)),
            }
        }
        Ok(strip(self.whole()?))
    }

    /// The whole dataset (graded).
    ///
    /// # Errors
    /// When the CSV files are read and do not load (an index that fails as it is read is
    /// rebuilt, with a note, and the files read instead).
    pub fn whole(&self) -> Result<Dataset, StoreError> {
        let ds = match &self.source {
            Source::Indexed(index) => match index.dataset() {
                Ok(ds) => ds,
                Err(why) => return self.recover(&why),
            },
            Source::Csv => self.read_csv(None)?,
            Source::Rebuilt(kept) => self.kept_or_read(kept)?,
        };
        Ok(ds.graded(self.grades))
    }

    /// What a question about `day` needs: every actor and source, and the relations that may
    /// hold on `day` (a [`Dataset::cut`]), from the index's time index or, without one,
    /// from the CSV files read with only those relations kept. The whole dataset after a
    /// rebuild (it was read whole for it).
    ///
    /// # Errors
    /// As [`Store::whole`].
    pub fn on(&self, day: Day) -> Result<Dataset, StoreError> {
        let ds = match &self.source {
            Source::Indexed(index) => match index.dataset_on(day) {
                Ok(ds) => ds,
                Err(why) => return self.recover(&why),
            },
            Source::Csv => self.read_csv(Some(day))?,
            Source::Rebuilt(kept) => self.kept_or_read(kept)?,
        };
        Ok(ds.graded(self.grades))
    }

    /// What a question over `window` needs: for one day, its cut ([`Store::on`]); for more,
    /// the whole dataset (a window is answered in memory, relation by relation:
    /// [`Snapshot::over`](crate::snapshot::Snapshot::over)).
    ///
    /// # Errors
    /// As [`Store::whole`].
    pub fn within(&self, window: Window) -> Result<Dataset, StoreError> {
        match window.as_day() {
            Some(day) => self.on(day),
            None => self.whole(),
        }
    }

    /// The whole dataset, after `part` (a cut, or a part read for a path: [`Store::near_path`])
    /// was read from this store, with the same actor indexes: from the same index, which
    /// holds the same data; from the CSV files only if they still agree with `part` (they
    /// may have changed between the two reads, and `part`'s actor indexes would then name
    /// other actors, or none).
    ///
    /// # Errors
    /// [`StoreError::Changed`] when the files changed meanwhile; [`StoreError::WholeFromIndex`]
    /// when the index fails; as [`Store::whole`].
    pub fn whole_after(&self, part: &Dataset) -> Result<Dataset, StoreError> {
        let ds = match &self.source {
            Source::Indexed(index) => index.dataset().map_err(StoreError::WholeFromIndex)?,
            Source::Csv | Source::Rebuilt(_) => {
                let ds = self.read_csv(None)?.graded(self.grades);
                return if ds.agrees_with(part) {
                    Ok(ds)
                } else {
                    Err(StoreError::Changed(self.dir.clone()))
                };
            }
        };
        Ok(ds.graded(self.grades))
    }

    /// The index, when the store reads from a current one.
    fn index(&self) -> Option<&Index> {
        match &self.source {
            Source::Indexed(index) => Some(index),
            Source::Csv | Source::Rebuilt(_) => None,
        }
    }

    /// The dataset kept from a rebuild, the first time; the CSV files read again after.
    fn kept_or_read(&self, kept: &Mutex<Option<Dataset>>) -> Result<Dataset, StoreError> {
        let taken = kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        match taken {
            Some(ds) => Ok(ds),
            None => self.read_csv(None),
        }
    }

    /// After the index failed as it was read: says why, reads the CSV files and rebuilds
    /// it, and answers with the whole dataset (graded).
    fn recover(&self, why: &Unusable) -> Result<Dataset, StoreError> {
        Ok(rebuild(&self.dir, why)?.graded(self.grades))
    }

    /// The dataset read from the CSV files, every row checked (ungraded): with a `day`, only
    /// the relations that may hold then.
    fn read_csv(&self, day: Option<Day>) -> Result<Dataset, StoreError> {
        let _progress = Progress::new(format!("reading the dataset in {}", self.dir.display()), Unit::None);
        match day {
            Some(day) => crate::load::load_on(&self.dir, day),
            None => crate::load::load(&self.dir),
        }
        .map_err(|errors| StoreError::Load { dir: self.dir.clone(), errors })
    }
}

/// The dataset's actors and sources, without its relations.
fn strip(ds: Dataset) -> Dataset {
    let Dataset { actors, sources, .. } = ds;
    Dataset::new(actors, sources, Vec::new())
}

/// Fails, saying how to fix it, when `dir` holds no dataset: it does not exist, it is a
/// file (`--data data/relations.csv`), or it lacks relations.csv.
///
/// # Errors
/// [`StoreError::NoDataset`], as said.
pub fn require_dataset(dir: &Path) -> Result<(), StoreError> {
    if dir.is_file() {
        let folder = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
            _ => ".".to_string(),
        };
        return Err(StoreError::NoDataset(format!(
            "--data {} is a file: name the dataset's folder, the one that holds {RELATIONS_FILE} (--data {folder})",
            dir.display(),
        )));
    }
    if !dir.exists() {
        return Err(StoreError::NoDataset(format!(
            "the dataset folder {} does not exist (choose the folder that holds {RELATIONS_FILE} with --data DIR; the default is data)",
            dir.display(),
        )));
    }
    if !crate::load::relations_path(dir).exists() {
        return Err(StoreError::NoDataset(format!(
            "no dataset in {}: {RELATIONS_FILE} (or {}) is missing (choose the folder with --data DIR)",
            dir.display(),
            crate::load::RELATIONS_PARQUET,
        )));
    }
    Ok(())
}

/// The files of the dataset in `dir`, which nothing georel writes may replace.
pub fn data_files(dir: &Path) -> [PathBuf; 3] {
    [crate::load::relations_path(dir), dir.join(ACTORS_FILE), dir.join(SOURCES_FILE)]
}

/// Says why the index in `dir` cannot be used, reads the CSV files, and writes the index
/// again (warning when it cannot). The whole dataset, ungraded.
fn rebuild(dir: &Path, why: &Unusable) -> Result<Dataset, StoreError> {
    eprintln!("georel: note: {why}; reading the CSV files and rebuilding {}", dir.join(INDEX_FILE).display());
    let (ds, written) = build_index(dir)?;
    if let Err(e) = written {
        eprintln!("georel: warning: could not rebuild the index: {e:#}");
    }
    Ok(ds)
}

/// Loads the dataset in `dir` from its CSV files and writes its index, keyed to exactly the
/// bytes that were parsed (hashed as they were read): if the files change meanwhile, the
/// index still describes what it holds, and is found stale at the next read. The dataset
/// loaded (ungraded), and where the index went.
///
/// # Errors
/// The outer error when the dataset cannot be loaded; the inner one when it loaded but the
/// index could not be written (the caller may go on without one).
pub fn build_index(dir: &Path) -> Result<(Dataset, anyhow::Result<PathBuf>), StoreError> {
    use crate::export::atomic;
    let progress = Progress::new(format!("indexing {}: reading the CSV files", dir.display()), Unit::None);
    let (ds, key) =
        crate::load::load_keyed(dir).map_err(|errors| StoreError::Load { dir: dir.to_path_buf(), errors })?;
    progress.say(format!("indexing {}: writing the index", dir.display()));
    let written = (|| {
        let Some(key) = key else {
            anyhow::bail!(
                "the CSV files in {} changed while they were read; run the command again",
                dir.display()
            );
        };
        let path = dir.join(INDEX_FILE);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(atomic::IsLink(path).into());
        }
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            anyhow::bail!("{} is not a regular file: remove it, and run georel index again", path.display());
        }
        atomic::write_own_file(&path, atomic::Cache::Keep, |out| index::write(&ds, &key, out))
    })();
    // Verified in full once written (and the data files hashed again: they may have changed
    // since they were read), so that the next command trusts it without reading it.
    if written.is_ok() {
        progress.say(format!("indexing {}: verifying the index", dir.display()));
        if let Ok(index) = Index::verify(dir) {
            record(dir, &index);
        }
    }
    Ok((ds, written))
}

/// What `georel index --verify` found.
pub enum Verified {
    /// The index was current: it holds this many relations.
    Current(usize),
    /// It could not be used (why), and was built again: as [`build_index`] gives.
    Rebuilt(String, Box<Dataset>, anyhow::Result<PathBuf>),
}

/// Verifies the index in `dir` in full, hashing it and the data files whatever the stamp
/// beside it says, and records that it was; when it cannot be used (or there is none), builds
/// it again.
///
/// # Errors
/// As [`build_index`].
pub fn verify_index(dir: &Path) -> Result<Verified, StoreError> {
    let why = match Index::verify(dir) {
        Ok(index) => {
            record(dir, &index);
            return Ok(Verified::Current(index.relations()));
        }
        Err(why) => why.to_string(),
    };
    let (ds, written) = build_index(dir)?;
    Ok(Verified::Rebuilt(why, Box::new(ds), written))
}

/// Records beside the index what `index`'s opening verified of it, when it did (see
/// `load::trust`), so that the next command trusts it without hashing it. Best effort: in
/// a folder that cannot be written every command hashes the index, as before. Anything but
/// a regular file in the stamp's place is left alone, neither followed nor replaced.
fn record(dir: &Path, index: &Index) {
    use crate::export::atomic;
    let Some(fingerprint) = index.fingerprint() else { return };
    let path = dir.join(STAMP_FILE);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
        return;
    }
    let _ = atomic::write_own_file(&path, atomic::Cache::Keep, |out| out.write_all(fingerprint.bytes()));
}

#[cfg(test)]
mod tests {
    /// A server shares one store between the threads that answer its requests.
    #[test]
    fn a_store_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<super::Store>();
    }
}
