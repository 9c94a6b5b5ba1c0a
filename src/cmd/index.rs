//! `georel index`: build (or build again) the dataset's index file (`georel::store::build_index`,
//! which also rebuilds one that is out of date when a command finds it so).

use std::path::Path;

use anyhow::Result;

use georel::export::text::count;
use georel::store::{build_index, require_dataset};

use super::Exit;

pub fn run(data: &Path) -> Result<Exit> {
    require_dataset(data)?;
    let (ds, written) = build_index(data)?;
    let path = written?;
    say!(
        "{}: indexed {}, {}, {}",
        path.display(),
        count(ds.actors.len(), "actor", "actors"),
        count(ds.relations.len(), "relation", "relations"),
        count(ds.sources.len(), "source", "sources")
    )?;
    Ok(Exit::Success)
}
