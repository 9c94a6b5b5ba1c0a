//! A small harness in the style of ripgrep's and xsv's integration tests: every test gets its
//! own temporary working directory, writes its dataset inline (or copies a fixture from
//! `tests/fixtures/`), and runs the real `georel` binary there with a cleared environment.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test, built by Cargo for this test target.
pub const BIN: &str = env!("CARGO_BIN_EXE_georel");

/// `tests/fixtures/` in the source tree.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// The curated dataset shipped in `data/`.
pub fn shipped_data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// An isolated temporary directory that the binary runs in. Removed when dropped.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        let dir =
            tempfile::Builder::new().prefix("georel-cli-").tempdir().expect("create a temporary directory");
        Workdir { dir }
    }

    /// A work directory whose `data/` folder (georel's default `--data`) holds a copy of
    /// `tests/fixtures/<name>/`.
    pub fn with_fixture(name: &str) -> Workdir {
        let wd = Workdir::new();
        wd.copy_fixture(name, "data");
        wd
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Copies every file of `tests/fixtures/<name>/` into `<dest>/` inside the work directory.
    pub fn copy_fixture(&self, name: &str, dest: &str) {
        let from = fixtures_dir().join(name);
        let to = self.path().join(dest);
        fs::create_dir_all(&to).unwrap();
        let entries =
            fs::read_dir(&from).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", from.display()));
        for entry in entries {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }

    /// Writes a file (creating its folders), e.g. `write("data/relations.csv", "...")`.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, contents).unwrap();
    }

    pub fn read(&self, name: &str) -> String {
        let path = self.path().join(name);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn read_bytes(&self, name: &str) -> Vec<u8> {
        let path = self.path().join(name);
        fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn exists(&self, name: &str) -> bool {
        self.path().join(name).exists()
    }

    /// The names of the entries in a folder of the work directory, sorted. Hidden files
    /// (such as leftover temporary files) are included.
    pub fn list(&self, dir: &str) -> Vec<String> {
        let path = self.path().join(dir);
        let mut names: Vec<String> = fs::read_dir(&path)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", path.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The binary, ready to run in the work directory with a cleared environment (only PATH
    /// is kept), so that no RUST_LOG, locale or terminal setting leaks into its behaviour.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args).current_dir(self.path()).env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
    }

    /// Replaces the work directory's path by `[TMP]`, so that messages can be snapshotted.
    pub fn normalise(&self, text: &str) -> String {
        let mut text = text.to_string();
        let mut paths = vec![self.path().to_path_buf()];
        if let Ok(canonical) = self.path().canonicalize() {
            paths.push(canonical);
        }
        for p in paths {
            text = text.replace(&*p.to_string_lossy(), "[TMP]");
        }
        text
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

fn describe(out: &Output) -> String {
    format!(
        "status: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Asserts exit code 0.
#[track_caller]
pub fn assert_success(out: &Output) {
    assert_exit(out, 0);
}

/// Asserts the process exited with `code` (not killed by a signal).
#[track_caller]
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "expected exit code {code}\n{}", describe(out));
}

/// One row of a CSV text as a header → value map, for tests that look at some columns only.
pub type Row = std::collections::BTreeMap<String, String>;

/// Parses CSV text (as georel writes it) into rows keyed by the header.
pub fn parse_csv(text: &str) -> Vec<Row> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("a CSV header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a well-formed CSV row");
            assert_eq!(r.len(), header.len(), "every row has the header's width");
            header.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
        })
        .collect()
}

/// The header of a CSV text.
pub fn csv_header(text: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader.headers().expect("a CSV header").iter().map(str::to_string).collect()
}
