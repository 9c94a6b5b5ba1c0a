//! Integration tests for the `georel` binary, built into one test binary (as ripgrep, fd and
//! xsv do) so that the crate is linked once. Each test runs the real executable in its own
//! temporary directory: see `harness`.
//!
//! Golden files are insta snapshots in `tests/cli/snapshots/`. To accept new or changed
//! ones: `INSTA_UPDATE=always cargo test --test cli` (or `cargo insta review`), then read
//! every changed `.snap` file: a golden file that records a wrong answer is a bug.

#[path = "../checksum/mod.rs"]
mod checksum;
mod harness;

mod balance;
mod blocs;
mod brokers;
mod check;
mod conflicts;
mod diff;
mod errors;
mod export;
mod fractures;
mod frames;
mod grades;
mod import_inputs;
mod index;
mod naming;
mod neighbours;
mod path;
mod pictures;
mod readme;
mod scale;
mod serve;
mod shipped_data;
mod snapshot;
mod terminal;
mod timeline;
mod timeline_chart;
mod writes;
