//! `georel brokers`: betweenness on the day's graph, degree by kind, rank changes over a series.
//! PLACEHOLDER for engineer brokers18: replace the body.

use anyhow::Result;

use georel::snapshot::Options;
use georel::store::Store;

use super::Exit;
use crate::plan::{Output, When};

pub fn run(
    _store: Store,
    _when: &When,
    _top: usize,
    _pivots: Option<usize>,
    _seed: u64,
    _options: Options,
    _output: &Output,
) -> Result<Exit> {
    anyhow::bail!("brokers: not built yet")
}
