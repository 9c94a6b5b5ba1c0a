//! `georel fractures`: strains inside alliances and agreements.

use anyhow::Result;

use georel::date::Window;
use georel::export::{csv, json, text};
use georel::model::{ActorKind, Dataset, RelationKind};
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
        let a = ds.actor(g);
        let can_have_members = match a.kind {
            ActorKind::Alliance | ActorKind::Agreement | ActorKind::Organisation => true,
            // Without actors.csv, anything that memberships point to is a group.
            ActorKind::Unknown => {
                let member_of = |ds: &Dataset| {
                    ds.relations.iter().any(|r| r.kind == RelationKind::Membership && r.target == g)
                };
                member_of(ds) || {
                    if whole.get().is_none() {
                        let _ = whole.set(store.whole_for_actors(ds)?);
                    }
                    whole.get().is_some_and(member_of)
                }
            }
            _ => false,
        };
        if !can_have_members {
            anyhow::bail!(
                "--group {} is {}, not an alliance, agreement or organisation: fractures are strains between the members of one",
                text::actor(ds, g),
                match a.kind {
                    ActorKind::Unknown => "never the target of a membership".to_string(),
                    kind => format!("a {kind}"),
                }
            );
        }
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    // Each group's fractures come in pair order; groups in dataset order, as for all.
    let mut by_rank = groups.clone();
    drop(whole);
    drop(store);
    by_rank.sort_unstable_by_key(|&g| ds.rank(g));
    let found = if groups.is_empty() {
        fractures::over(ds, at, None, strict)
    } else {
        by_rank.iter().flat_map(|&g| fractures::over(ds, at, Some(g), strict)).collect()
    };
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
