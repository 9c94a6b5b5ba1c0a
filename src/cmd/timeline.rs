//! `georel timeline`: the dated record of an actor or a pair.

use anyhow::Result;

use georel::export::{chart, csv, json, text};
use georel::model::Dataset;
use georel::query::history::{self, Reach};
use georel::query::resolve::Resolver;
use georel::snapshot::{Filter, Grouping};

use super::{actor, emit, empty, Exit};
use crate::cli::TimelineFormat;
use crate::plan::Output;

/// The question: whose record, and which relations it holds.
pub struct Args<'a> {
    pub actor: &'a str,
    pub other: Option<&'a str>,
    pub reach: Reach,
    pub grouping: Grouping,
    pub filter: Filter,
}

pub fn run(ds: &Dataset, args: Args<'_>, format: TimelineFormat, output: &Output) -> Result<Exit> {
    let Args { actor: name, other, reach, grouping, filter } = args;
    let resolver = Resolver::new(ds);
    let subject = grouping.unit(ds, actor(&resolver, name)?);
    let other = other.map(|o| actor(&resolver, o).map(|a| grouping.unit(ds, a))).transpose()?;
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
        chart::check(ds, &record)?;
    }
    super::tell_graded(output, "timeline", &history::left_out_note(ds, &record));
    match format {
        TimelineFormat::Text => emit(output, &stem, |out| text::timeline(ds, &record, &claims, out))?,
        TimelineFormat::Csv => emit(output, &stem, |out| csv::timeline(ds, grouping, &record, &claims, out))?,
        TimelineFormat::Json => {
            emit(output, &stem, |out| json::timeline(ds, grouping, &record, &claims, out))?
        }
        TimelineFormat::Md | TimelineFormat::Html => {
            anyhow::bail!("--format {} is not in this build", format!("{format:?}").to_lowercase())
        }
        TimelineFormat::Svg => emit(output, &stem, |out| chart::svg(ds, &record, filter.strict, out))?,
        TimelineFormat::Png => emit(output, &stem, |out| chart::png(ds, &record, filter.strict, out))?,
    }
    if record.entries.is_empty() && claims.is_empty() {
        return empty("no relation matches");
    }
    Ok(Exit::Success)
}
