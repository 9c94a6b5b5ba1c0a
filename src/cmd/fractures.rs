//! `georel fractures`: strains inside alliances and agreements.

use anyhow::Result;

use georel::date::Day;
use georel::export::{csv, json, text};
use georel::model::Dataset;
use georel::query::fractures;
use georel::query::resolve::Resolver;

use super::{actor, emit, empty, Exit};
use crate::cli::QueryFormat;
use crate::plan::Output;

pub fn run(
    ds: &Dataset,
    at: Day,
    group: Option<&str>,
    strict: bool,
    by_country: bool,
    output: &Output,
) -> Result<Exit> {
    let group = group.map(|g| actor(&Resolver::new(ds), g)).transpose()?;
    let found = fractures::on(ds, at, group, strict);
    let group_id = group.map(|g| ds.actor(g).id.to_string()).unwrap_or_default();
    let stem = ["fractures", &at.to_string(), &group_id];
    match output.format {
        QueryFormat::Text => emit(output, &stem, |out| text::fractures(ds, at, &found, by_country, out))?,
        QueryFormat::Csv => emit(output, &stem, |out| csv::fractures(ds, &found, out))?,
        QueryFormat::Json => emit(output, &stem, |out| json::fractures(ds, at, group, &found, out))?,
        QueryFormat::Dot => unreachable!("the plan rejects --format dot for fractures"),
    }
    if found.is_empty() {
        return empty(format!("no fracture on {at}"));
    }
    Ok(Exit::Success)
}
