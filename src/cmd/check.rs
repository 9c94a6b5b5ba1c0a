//! `georel check`: validate a dataset and summarise it in one line.

use anyhow::Result;

use georel::export::text::count;

use georel::store::Store;

use super::Exit;

pub fn run(store: Store) -> Result<Exit> {
    let (data, ds) = (store.dir().to_path_buf(), store.whole()?);
    drop(store);
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
