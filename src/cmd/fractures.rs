//! `georel fractures`: strains inside alliances and agreements.

use anyhow::Result;

use georel::date::Window;
use georel::export::{csv, json, text};
use georel::query::fractures;
use georel::query::resolve::Resolver;
use georel::store::Store;

use super::{actor, emit, empty, Exit};
use crate::cli::QueryFormat;
use crate::plan::Output;

/// Runs the query on the relations that can make fractures on the day or in the period
/// ([`Store::fractured_within`]).
pub fn run(
    store: Store,
    at: Window,
    names: &[String],
    strict: bool,
    by_country: bool,
    output: &Output,
) -> Result<Exit> {
    let ds = &store.fractured_within(at, strict)?;
    // Read only if needed: whether an actor of unknown kind is ever the target of a
    // membership, which the fractured relations read may not show.
    let whole = std::cell::OnceCell::new();
    let resolver = Resolver::new(ds);
    let mut groups = Vec::new();
    for name in names {
        let g = actor(&resolver, name)?;
        let targeted = || -> Result<bool> {
            if fractures::is_targeted(ds, g) {
                return Ok(true);
            }
            if whole.get().is_none() {
                let _ = whole.set(store.whole_for_actors(ds)?);
            }
            Ok(whole.get().is_some_and(|whole| fractures::is_targeted(whole, g)))
        };
        if let Some(what) = fractures::not_a_group(ds, g, targeted)? {
            anyhow::bail!(fractures::not_a_group_message(&format!("--group {}", text::actor(ds, g)), &what));
        }
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    drop(whole);
    drop(store);
    let found = fractures::of_groups(ds, at, &groups, strict);
    let group_ids: Vec<&str> = groups.iter().map(|&g| &*ds.actor(g).id).collect();
    let part = at.file_part();
    let mut stem = vec!["fractures", part.as_str()];
    stem.extend(group_ids.iter().copied());
    super::tell_graded(output, &format!("fractures {}", at.phrase()), &ds.graded_out().note_on(at));
    match output.format {
        QueryFormat::Text => emit(output, &stem, |out| text::fractures(ds, at, &found, by_country, out))?,
        QueryFormat::Csv => emit(output, &stem, |out| csv::fractures(ds, &found, out))?,
        QueryFormat::Json => emit(output, &stem, |out| json::fractures(ds, at, &groups, &found, out))?,
        QueryFormat::Dot | QueryFormat::Svg | QueryFormat::Png => {
            unreachable!("the plan rejects diagrams for fractures")
        }
    }
    if found.is_empty() {
        return empty(format!("no fracture {}", at.phrase()));
    }
    Ok(Exit::Success)
}
