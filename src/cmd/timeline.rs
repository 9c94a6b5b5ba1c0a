//! `georel timeline`: the dated record of an actor or a pair.

use anyhow::Result;

use georel::export::{chart, csv, dossier, json, text};
use georel::model::ActorIx;
use georel::query::history;
use georel::query::resolve::Resolver;
use georel::store::Store;

use super::{actor, emit_to, empty, Exit};
use crate::cli::TimelineFormat;
use crate::plan::TimelinePlan;

/// The file extension of a timeline format.
fn extension(format: TimelineFormat) -> &'static str {
    match format {
        TimelineFormat::Text => "txt",
        TimelineFormat::Csv => "csv",
        TimelineFormat::Json => "json",
        TimelineFormat::Md => "md",
        TimelineFormat::Html => "html",
        TimelineFormat::Svg => "svg",
        TimelineFormat::Png => "png",
    }
}

/// Runs the query on the relations of the actor (or pair) and of its hierarchy, which is all
/// that its record reads ([`Store::of_actors`]).
pub fn run(store: Store, plan: &TimelinePlan) -> Result<Exit> {
    let ds = &store.of_actors_with(|people| -> Result<Vec<ActorIx>> {
        let resolver = Resolver::new(people);
        let mut actors = vec![actor(&resolver, &plan.actor)?];
        if let Some(other) = &plan.other {
            actors.push(actor(&resolver, other)?);
        }
        Ok(actors)
    })?;
    drop(store);
    let TimelinePlan { grouping, filter, reach, format, .. } = *plan;
    let resolver = Resolver::new(ds);
    let subject = grouping.unit(ds, actor(&resolver, &plan.actor)?);
    let other =
        plan.other.as_deref().map(|o| actor(&resolver, o).map(|a| grouping.unit(ds, a))).transpose()?;
    if other == Some(subject) {
        anyhow::bail!("a pair needs two different actors, but both names give {}", text::actor(ds, subject));
    }
    let record = history::of(ds, grouping, filter, reach, subject, other);
    // A pair's record is about the two; the claims an actor made are part of its own.
    let claims = if other.is_none() { history::claims(ds, grouping, filter, &record) } else { Vec::new() };
    let subject_id = ds.actor(subject).id.to_string();
    let other_id = other.map(|o| ds.actor(o).id.to_string()).unwrap_or_default();
    let stem = ["timeline", &subject_id, &other_id];
    if matches!(format, TimelineFormat::Svg | TimelineFormat::Png) {
        if record.entries.is_empty() {
            // Claims are about others' relations; a chart of none would be an empty axis.
            return empty(match claims.len() {
                0 => "no relation matches: there is no relation to chart".to_string(),
                n => format!(
                    "no relation to chart: the record holds only {n} {} (see --format text, md or html)",
                    if n == 1 { "claim" } else { "claims" }
                ),
            });
        }
        chart::check(ds, &record)?;
    }
    // Text and the dossiers say it in their summary; the data formats on stderr.
    if matches!(
        format,
        TimelineFormat::Csv | TimelineFormat::Json | TimelineFormat::Svg | TimelineFormat::Png
    ) {
        super::tell_graded_always("timeline", &history::left_out_note(ds, &record));
    }
    let (dest, ext) = (&plan.dest, extension(format));
    match format {
        TimelineFormat::Text => emit_to(dest, &stem, ext, |out| text::timeline(ds, &record, &claims, out))?,
        TimelineFormat::Csv => {
            emit_to(dest, &stem, ext, |out| csv::timeline(ds, grouping, &record, &claims, out))?
        }
        TimelineFormat::Json => {
            emit_to(dest, &stem, ext, |out| json::timeline(ds, grouping, &record, &claims, out))?
        }
        TimelineFormat::Md | TimelineFormat::Html => {
            let dossier = dossier::Dossier::of(ds, &record, &claims);
            let write = if format == TimelineFormat::Md { dossier::markdown } else { dossier::html };
            emit_to(dest, &stem, ext, |out| write(&dossier, out))?
        }
        TimelineFormat::Svg => emit_to(dest, &stem, ext, |out| chart::svg(ds, &record, filter.strict, out))?,
        TimelineFormat::Png => emit_to(dest, &stem, ext, |out| chart::png(ds, &record, filter.strict, out))?,
    }
    if record.entries.is_empty() && claims.is_empty() {
        return empty("no relation matches");
    }
    Ok(Exit::Success)
}
