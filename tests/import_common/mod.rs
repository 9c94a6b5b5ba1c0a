//! What the import tests (`import_gdelt.rs`, `import_icews.rs`, `import_cow.rs`) share:
//! running the real binary in a work folder of fixture copies, and reading the dataset an
//! import writes back as plain maps.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_georel");

/// A temporary work folder (`georel-PREFIX-…`) holding copies of `files` from `fixtures`, so
/// that paths in messages and in rejects.csv are short and the same on every machine.
pub fn workdir(prefix: &str, fixtures: &Path, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("georel-{prefix}-"))
        .tempdir()
        .expect("a temporary directory");
    for (from, to) in files {
        fs::copy(fixtures.join(from), dir.path().join(to))
            .unwrap_or_else(|e| panic!("copy the fixture {from}: {e}"));
    }
    dir
}

/// A real sample file, `tests/data/SET/NAME` (tests/data/README.md names each file's origin and
/// terms). A missing file fails the test rather than skipping it; the message names the path
/// inside the repository only.
pub fn real_data(set: &str, name: &str) -> PathBuf {
    let relative = format!("tests/data/{set}/{name}");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(&relative);
    assert!(path.is_file(), "the real sample file {relative} is missing (see tests/data/README.md)");
    path
}

/// Runs georel in `dir` with a cleared environment.
pub fn georel(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).env_clear().output().expect("run georel")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs georel and returns its output, failing with its stdout and stderr unless it exits 0.
#[track_caller]
pub fn ok(dir: &Path, args: &[&str]) -> Output {
    let out = georel(dir, args);
    assert_eq!(out.status.code(), Some(0), "georel {args:?} failed:\n{}{}", stdout(&out), stderr(&out));
    out
}

/// Runs georel and returns its stdout, failing unless it exits 0.
#[track_caller]
pub fn success(dir: &Path, args: &[&str]) -> String {
    stdout(&ok(dir, args))
}

/// `georel --data DATA check` must pass.
#[track_caller]
pub fn check_passes(dir: &Path, data: &str) {
    let out = success(dir, &["--data", data, "check"]);
    assert!(out.contains(": ok: "), "check: {out}");
}

/// A CSV file as rows of column → value.
pub fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let headers = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            headers.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
        })
        .collect()
}

/// What a dataset folder holds: (relations, actors, sources), counted in its files.
pub fn written(dir: &Path) -> (usize, usize, usize) {
    let rows = |file: &str| table(&dir.join(file)).len();
    (rows("relations.csv"), rows("actors.csv"), rows("sources.csv"))
}

/// relations.csv by id as `source target kind start end | evidence | summary`, asserting that
/// every relation's `directed` cell is `directed`.
pub fn relation_lines(dir: &Path, directed: &str) -> BTreeMap<String, String> {
    table(&dir.join("relations.csv"))
        .into_iter()
        .map(|r| {
            assert_eq!(
                r["directed"], directed,
                "every relation of this import has directed={directed}: {r:?}"
            );
            let line = format!(
                "{} {} {} {} {} | {} | {}",
                r["source"], r["target"], r["kind"], r["start"], r["end"], r["evidence"], r["summary"]
            );
            (r["id"].clone(), line)
        })
        .collect()
}
