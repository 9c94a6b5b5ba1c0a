//! `georel index`: build (or build again) the dataset's index file (`georel::store::build_index`,
//! which also rebuilds one that is out of date when a command finds it so); with `--verify`,
//! verify it in full instead (`georel::store::verify_index`).

use std::path::Path;

use anyhow::Result;

use georel::export::text::count;
use georel::load::index::INDEX_FILE;
use georel::store::{build_index, require_dataset, verify_index, Verified};

use super::Exit;

pub fn run(data: &Path, verify: bool) -> Result<Exit> {
    require_dataset(data)?;
    let (ds, written) = if verify {
        match verify_index(data)? {
            Verified::Current(relations) => {
                say!(
                    "{}: verified: current, {}",
                    data.join(INDEX_FILE).display(),
                    count(relations, "relation", "relations")
                )?;
                return Ok(Exit::Success);
            }
            Verified::Rebuilt(why, ds, written) => {
                eprintln!("georel: note: {why}; rebuilding {}", data.join(INDEX_FILE).display());
                (*ds, written)
            }
        }
    } else {
        build_index(data)?
    };
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
