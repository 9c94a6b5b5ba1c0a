//! `georel check`: validate a dataset and summarise it in one line.

use std::path::Path;

use anyhow::Result;

use super::{load, Exit};

pub fn run(data: &Path) -> Result<Exit> {
    let ds = load(data)?;
    let range = ds
        .date_range()
        .map_or_else(|| "no dates".to_string(), |(first, last)| format!("dates {first} to {last}"));
    say!(
        "{}: ok: {} actors, {} relations, {} sources; {range}{}",
        data.display(),
        ds.actors.len(),
        ds.relations.len(),
        ds.sources.len(),
        ds.graded_out().note(|_| true)
    )?;
    Ok(Exit::Success)
}
