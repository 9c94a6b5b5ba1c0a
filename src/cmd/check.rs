//! `georel check`: validate a dataset and summarise it in one line.

use std::path::Path;

use anyhow::Result;

use georel::export::text::count;

use super::{load, Exit};

pub fn run(data: &Path) -> Result<Exit> {
    let ds = load(data)?;
    let range = ds
        .date_range()
        .map_or_else(|| "no dates".to_string(), |(first, last)| format!("dates {first} to {last}"));
    say!(
        "{}: ok: {}, {}, {}; {range}{}",
        data.display(),
        count(ds.actors.len(), "actor", "actors"),
        count(ds.relations.len(), "relation", "relations"),
        count(ds.sources.len(), "source", "sources"),
        ds.graded_out().note(|_| true)
    )?;
    Ok(Exit::Success)
}
