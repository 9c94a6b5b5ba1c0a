//! `georel blocs`: a signed partition into K blocs (Doreian and Mrvar's criterion).
//! PLACEHOLDER for engineer blocs18: replace the body; `Settings` belongs in the library.

use anyhow::Result;

use georel::query::signed::ContestedAs;
use georel::snapshot::Options;
use georel::store::Store;

use super::Exit;
use crate::plan::{Output, When};

pub struct Settings {
    pub k: usize,
    pub alpha: f64,
    pub seed: u64,
    pub contested: ContestedAs,
}

pub fn run(
    _store: Store,
    _when: &When,
    _settings: Settings,
    _options: Options,
    _output: &Output,
) -> Result<Exit> {
    anyhow::bail!("blocs: not built yet")
}
