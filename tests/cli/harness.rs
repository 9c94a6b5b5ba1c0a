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
    /// Renders `dot_file` (relative to the work directory) to SVG with Graphviz's `dot` and
    /// asserts that it succeeds without a word on stderr; returns the SVG text.
    pub fn assert_renders(&self, dot_file: &str, what: &str) -> String {
        let svg = self.path().join(format!("{dot_file}.svg"));
        let render = std::process::Command::new("dot")
            .args(["-Tsvg", "-o"])
            .arg(&svg)
            .arg(self.path().join(dot_file))
            .output()
            .expect("Graphviz's `dot` is needed by the tests (tools/test installs it)");
        assert!(
            render.status.success() && render.stderr.is_empty(),
            "dot rejects or warns about the {what}: {}",
            String::from_utf8_lossy(&render.stderr)
        );
        std::fs::read_to_string(svg).expect("dot writes the SVG")
    }

    pub fn new() -> Workdir {
        let dir =
            tempfile::Builder::new().prefix("georel-cli-").tempdir().expect("create a temporary directory");
        Workdir { dir }
    }

    /// A work directory whose `data/` holds `tests/fixtures/queries/`, the dataset of the query
    /// tests (`path`, `neighbours`, `diff`, `timeline`, `conflicts`, `fractures`, naming). Its
    /// main day is 2025-06-15. Invented relations between real names:
    ///
    /// | relation | what it exercises |
    /// |---|---|
    /// | USA-COL-COOP (2010, mutual) + COL-USA-SUSPENSION (2025-06-01 to 2025-07-01) | a pair contested from one known day to another; a year start, possible in 2010 |
    /// | COL-USA-DISPUTE (2024-03-01 to 2024-05-01) | a dispute beside cooperation: "cooperating+disputed", not contested |
    /// | DNI-CIA-TIPS (cooperation, directed DNI → CIA) | `--directed`; by country it is one more COL–USA cooperation |
    /// | GCHQ-BND-SIGINT (agencies) + GBR-DEU-EMBARGO (countries, to 2025-10) | contested only `--by-country`; a partial end, possible in October 2025; a Western Pact fracture |
    /// | DGSE-BND-DISPUTE (from 2025-04-01) | an agency-level dispute between Western Pact members: FRA ↔ DEU |
    /// | CAN-USA-RETICENCE (from 2025-05-20) | a Signals Circle fracture while CAN's membership is possible, then active |
    /// | TAO-GCHQ-OPS (2023-06) | TAO → NSA → USA is a parent chain two deep |
    /// | CIA-DGSE-EXCHANGE (from 2025-07-01) | a relation starting after the main day |
    /// | FRO-ISL-FISHERIES (restriction FRO → ISL) | a component apart from the rest: no path, and none `--directed` from ISL |
    /// | ISL-USA-OLD (2019-01-01 to 2021-01-01), ISL-GBR-LATER (from 2025-09-01) | the nearest earlier and later dates with a path to Iceland |
    /// | memberships of PACT (Western Pact) and CIRCLE (Signals Circle) | FRA leaves PACT on 2025-09-01; CAN joins CIRCLE some day in May 2025 |
    ///
    /// Agencies: CIA, NSA (USA), TAO (NSA), GCHQ, MI5 (GBR), CSIS (CAN), DGSE (FRA), BND (DEU),
    /// DNI (COL). COL has the alias "Bogotá"; DGSE's name is accented ("Direction générale de
    /// la sécurité extérieure"); MI5 is named "Security Service", which is also an alias of
    /// CSIS. Actor ids in order: BND CAN CIA CIRCLE COL CSIS DEU DGSE DNI FRA FRO GBR GCHQ ISL
    /// MI5 NSA PACT TAO USA.
    ///
    /// On 2025-06-15 these hold: USA-COL-COOP, COL-USA-SUSPENSION, DNI-CIA-TIPS, GCHQ-BND-SIGINT,
    /// GBR-DEU-EMBARGO, DGSE-BND-DISPUTE, CAN-USA-RETICENCE, TAO-GCHQ-OPS, FRO-ISL-FISHERIES and
    /// the memberships USA, GBR, FRA, DEU → PACT and USA, GBR, CAN → CIRCLE, all active.
    pub fn with_queries() -> Workdir {
        Workdir::with_fixture("queries")
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

    /// Runs the binary, asserts its exit code, and returns its stdout and stderr. On success
    /// (0) stderr must be empty.
    #[track_caller]
    pub fn run_code(&self, args: &[&str], code: i32) -> (String, String) {
        let out = self.run(args);
        assert_exit(&out, code);
        if code == 0 {
            assert_eq!(stderr(&out), "", "nothing on stderr on success");
        }
        (stdout(&out), stderr(&out))
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

/// Runs a shell command line in `dir` on a pseudo-terminal (made by `script`, from util-linux,
/// which tools/test installs), with progress shown from the start: what a user at a terminal
/// sees, on stdout.
pub fn on_a_terminal(dir: &Path, command: &str) -> Output {
    Command::new("script")
        .args(["-q", "-e", "-c", command, "/dev/null"])
        .current_dir(dir)
        .env("GEOREL_TEST_PROGRESS_NOW", "1")
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("`script` (util-linux) is needed by this test (tools/test installs it)")
}
