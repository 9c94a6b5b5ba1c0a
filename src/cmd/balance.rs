//! `georel balance`: structural balance of the signed graph on a day or over a series.
//! PLACEHOLDER for engineer balance18: replace the body.

use anyhow::Result;

use georel::query::signed::ContestedAs;
use georel::snapshot::Options;
use georel::store::Store;

use super::Exit;
use crate::plan::{Output, When};

pub fn run(
    _store: Store,
    _when: &When,
    _contested: ContestedAs,
    _options: Options,
    _output: &Output,
) -> Result<Exit> {
    anyhow::bail!("balance: not built yet")
}
