//! The files an import read into a dataset folder, recorded there (`imported-files.csv`) so
//! that a later import from GDELT's master file list skips them: a month-long import can stop
//! and go on where it was. The record is written with the dataset, atomically, and describes
//! exactly the files whose events the dataset holds: an import that replaces the dataset
//! replaces it (or removes it, when it read no listed file), an appending one adds to it.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::export::atomic;

/// The record's name in a dataset folder.
pub const FILE: &str = "imported-files.csv";

/// Files read, by name (the name a file list gives them), with their size and MD5 (hex).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub files: BTreeMap<String, (u64, String)>,
}

impl Record {
    /// The record in `dir`; empty when there is none.
    ///
    /// # Errors
    /// When it exists but cannot be read, or is not a record georel wrote.
    pub fn read(dir: &Path) -> Result<Record> {
        let path = dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Record::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let mut files = BTreeMap::new();
        for (n, line) in text.lines().enumerate().skip(1) {
            let parts: Vec<&str> = line.split(',').collect();
            let (name, size, md5) = match parts[..] {
                [name, size, md5] => (name, size.parse::<u64>().ok(), md5),
                _ => (line, None, ""),
            };
            let Some(size) = size else {
                bail!(
                    "{}:{}: not a line of georel's record of imported files (file,size,md5): {line:?}; \
                     remove the file to import every listed file again",
                    path.display(),
                    n + 1
                );
            };
            files.insert(name.to_string(), (size, md5.to_string()));
        }
        Ok(Record { files })
    }

    /// Whether the file `name` of this size and MD5 was read.
    pub fn has(&self, name: &str, size: u64, md5: &str) -> bool {
        self.files.get(name).is_some_and(|(s, m)| *s == size && m == md5)
    }

    pub fn add(&mut self, name: &str, size: u64, md5: &str) {
        self.files.insert(name.to_string(), (size, md5.to_string()));
    }

    /// Stages the record's file in `dir`, to be committed with the dataset.
    ///
    /// # Errors
    /// When it cannot be written.
    pub fn stage(&self, dir: &Path) -> Result<atomic::Staged> {
        atomic::stage(&dir.join(FILE), atomic::Cache::Keep, |out| {
            writeln!(out, "file,size,md5")?;
            for (name, (size, md5)) in &self.files {
                writeln!(out, "{name},{size},{md5}")?;
            }
            Ok(())
        })
    }
}

/// After an import that replaced the dataset in `dir` without a file list: an old record no
/// longer describes the dataset, and would make a later import skip files it lacks.
///
/// # Errors
/// When the old record cannot be removed.
pub fn forget(dir: &Path) -> Result<()> {
    let path = dir.join(FILE);
    if path.exists() {
        std::fs::remove_file(&path).with_context(|| format!("cannot remove the old {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Record::read(dir.path()).unwrap(), Record::default());
        let mut record = Record::default();
        record.add("20150218230000.export.CSV.zip", 150_383, "297a16b493de7cf6ca809a7cc31d0b93");
        atomic::commit(vec![record.stage(dir.path()).unwrap()]).unwrap();
        let back = Record::read(dir.path()).unwrap();
        assert_eq!(back, record);
        assert!(back.has("20150218230000.export.CSV.zip", 150_383, "297a16b493de7cf6ca809a7cc31d0b93"));
        assert!(!back.has("20150218230000.export.CSV.zip", 150_384, "297a16b493de7cf6ca809a7cc31d0b93"));
        std::fs::write(dir.path().join(FILE), "file,size,md5\nnonsense\n").unwrap();
        assert!(Record::read(dir.path()).unwrap_err().to_string().contains(":2: not a line"));
    }
}
