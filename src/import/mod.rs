//! Importing the public event and alliance datasets (GDELT, ICEWS, Correlates of War) into a
//! georel dataset folder. One file per format turns rows into [`Event`]s or relations; this
//! module holds what they share: the actors and sources met, the aggregation of point events
//! into dated relations, the rows that had to be skipped, and writing the result (or merging
//! it into an existing dataset).
//!
//! Imports stream their input: memory holds the aggregated relations and their evidence, not
//! the rows.

pub mod aggregate;
pub mod cameo;
pub mod cow;
pub mod gdelt;
pub mod guard;
pub mod icews;
pub mod ids;
pub mod input;
pub mod master;
pub mod parallel;
pub mod resume;
pub mod table;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::date::{Day, PartialDate, Span};
use crate::export::{atomic, dataset};
use crate::model::{
    Actor, ActorIx, ActorKind, Credibility, Dataset, Notes, Relation, RelationId, RelationKind, Reliability,
    Source, SourceIx,
};

pub(crate) use crate::load::lines::Lines;
pub use aggregate::Aggregator;

/// How events become relations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Events of one pair and kind at most this many days apart join one relation (events on
    /// consecutive days always do).
    pub gap_days: u32,
    /// Relations built from fewer events are dropped.
    pub min_events: u32,
    /// Any bad row stops the import with an error, instead of being skipped and reported.
    pub strict: bool,
    /// Which actors the events name.
    pub actors: ActorMode,
    /// Which CAMEO codes make which relation (GDELT and ICEWS).
    pub cameo: &'static cameo::CameoMap,
    /// GDELT's quality filters: rows that fail them are skipped and counted.
    pub quality: Quality,
    /// How many events a relation cites at most (the best attested; the others are counted).
    pub evidence: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            gap_days: 7,
            min_events: 1,
            strict: false,
            actors: ActorMode::Country,
            cameo: cameo::CameoMap::default_map(),
            quality: Quality::default(),
            evidence: aggregate::DEFAULT_EVIDENCE,
        }
    }
}

/// GDELT's own measures of how well an event is attested, as row filters. The defaults keep
/// every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Quality {
    /// Keep only events GDELT marks as the article's main event (`IsRootEvent` 1): the others
    /// are side events of a paragraph, where most coding errors are.
    pub root_only: bool,
    /// Keep only events reported by at least this many sources (`NumSources`).
    pub min_sources: u32,
    /// Keep only events reported in at least this many articles (`NumArticles`).
    pub min_articles: u32,
}

impl Quality {
    /// Whether any filter is set.
    pub fn any(&self) -> bool {
        self.root_only || self.min_sources > 0 || self.min_articles > 0
    }
}

/// Which actor an event's actor block stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActorMode {
    /// The country (`USA`), named from the CAMEO country table.
    #[default]
    Country,
    /// The full actor code (`USAGOV`, `COLSPY`): an agency, with its country as parent.
    Code,
}

/// An actor as an importer meets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorSpec {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    /// The id of the actor it belongs to, which must be added too.
    pub parent: Option<String>,
    pub aliases: Vec<String>,
}

/// A source (a coded event, or a dataset) as an importer meets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpec {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub published: Option<PartialDate>,
    pub url: String,
    pub reliability: Option<Reliability>,
}

/// One coded event: an actor did something to another on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub source: String,
    pub target: String,
    pub kind: RelationKind,
    pub day: Day,
    /// The event's id in its dataset; it becomes a source id, cited by the relation.
    pub id: String,
    /// The Goldstein score (-10 to +10) when the dataset gives one.
    pub goldstein: Option<f64>,
    /// The article that reported it, when the dataset says ([`aggregate::article_key`] of
    /// GDELT's `SOURCEURL`): relations count their distinct articles.
    pub article: Option<u64>,
    /// How many sources and articles reported it (GDELT `NumSources`, `NumArticles`; 0 when
    /// the dataset does not say): the evidence ranking.
    pub sources: u32,
    pub articles: u32,
}

/// A relation an importer builds directly (from an interval dataset such as COW).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationSpec {
    pub id: String,
    pub source: String,
    pub target: String,
    pub kind: RelationKind,
    pub start: PartialDate,
    pub end: Option<PartialDate>,
    pub directed: bool,
    pub evidence: Vec<String>,
    pub summary: String,
    /// The id of the actor whose claim it is, which must be added too.
    pub claimant: Option<String>,
    pub credibility: Option<Credibility>,
}

/// The skip reason of a row whose event id was met before.
pub const DUPLICATE: &str = "duplicate event id";

/// Progress shown while reading: rows per second on a terminal, nothing when stderr is not
/// one (a pipe, a log, CI).
pub use crate::progress::Progress;

/// A row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub file: PathBuf,
    pub line: u64,
    /// Why, in words: "missing SQLDATE", "end year 19118 is not a date".
    pub reason: String,
    /// The row as read.
    pub row: String,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.reason)
    }
}

/// Everything an import collected: the actors, sources and relations to write, and what was
/// read and skipped.
#[derive(Debug, Default)]
pub struct Builder {
    actors: BTreeMap<String, ActorSpec>,
    sources: BTreeMap<String, SourceSpec>,
    relations: Vec<RelationSpec>,
    events: Aggregator,
    /// Rows read, all files together.
    pub rows: u64,
    /// Rows skipped on purpose (not errors), by reason: "no country for actor 1".
    pub skipped: BTreeMap<String, u64>,
    /// Bad rows, in the order met.
    pub rejects: Vec<Reject>,
    strict: bool,
    /// Made by [`Builder::resume`].
    resumed: bool,
    /// Events added (not met before).
    new_events: u64,
}

impl Builder {
    pub fn new(options: &Options) -> Builder {
        Builder { strict: options.strict, events: Aggregator::new(options.evidence), ..Builder::default() }
    }

    /// A builder that continues an earlier import: its stage-A table, read back
    /// ([`table::read`]), takes the new events, and only the pairs they touch are rebuilt.
    pub fn resume(options: &Options, table: Aggregator) -> Builder {
        Builder { strict: options.strict, events: table, resumed: true, ..Builder::default() }
    }

    /// Keeps the sampled events' sources in a temporary file in (or near) the output folder
    /// `dir` rather than in memory ([`Aggregator::spill_sources`]).
    pub fn spill_sources(&mut self, dir: &Path) {
        self.events.spill_sources(dir);
    }

    /// Adds an actor, once: the first description of an id wins.
    pub fn actor(&mut self, actor: ActorSpec) {
        // Called for every event: the id is copied only for an actor not met before.
        if !self.actors.contains_key(&actor.id) {
            self.actors.insert(actor.id.clone(), actor);
        }
    }

    pub fn source(&mut self, source: SourceSpec) {
        self.sources.entry(source.id.clone()).or_insert(source);
    }

    /// Adds an event; one whose id was met before (overlapping files) is skipped and counted.
    /// Its source, added just before under the event's id, moves into the pair-day's sample
    /// (and is let go when it is not among the best attested).
    pub fn event(&mut self, event: Event) {
        let source = self.sources.remove(&event.id);
        if self.events.add(event, source) {
            self.new_events += 1;
        } else {
            self.skip(DUPLICATE);
        }
    }

    /// [`Builder::source`] then [`Builder::event`] of an event and its own source (under its
    /// id), without the round trip through the sources kept for the dataset: what those two
    /// calls do when no other source has the event's id, as for GDELT's events.
    pub fn event_with(&mut self, event: Event, source: SourceSpec) {
        let source = match self.sources.remove(&event.id) {
            Some(earlier) => earlier,
            None => source,
        };
        if self.events.add(event, Some(source)) {
            self.new_events += 1;
        } else {
            self.skip(DUPLICATE);
        }
    }

    /// Whether a row with this event id is a duplicate: its id was met before, in a row that
    /// made an event or one that was skipped or rejected. A duplicate is counted once, as a
    /// duplicate, whatever else is wrong with it (so the counts of a file read twice are the
    /// counts of the file plus its rows as duplicates); an importer asks this before anything
    /// else about the row.
    pub fn duplicate(&mut self, id: &str) -> bool {
        let duplicate = self.events.seen(id);
        if duplicate {
            self.skip(DUPLICATE);
        }
        duplicate
    }

    /// [`Builder::duplicate`] of the id `PREFIX` followed by `n` (a canonical number), without
    /// writing it out.
    pub fn duplicate_number(&mut self, prefix: &str, n: u64) -> bool {
        let duplicate = self.events.seen_number(prefix, n);
        if duplicate {
            self.skip(DUPLICATE);
        }
        duplicate
    }

    /// Whether the id `PREFIX` followed by `n` was met before, without counting it: the
    /// caller counts it as a [`DUPLICATE`] ([`Builder::skip_many`]).
    pub fn met_before(&self, prefix: &str, n: u64) -> bool {
        self.events.seen_number(prefix, n)
    }

    /// Counts `n` rows skipped for one reason.
    pub fn skip_many(&mut self, reason: &str, n: u64) {
        if n == 0 {
            return;
        }
        match self.skipped.get_mut(reason) {
            Some(count) => *count += n,
            None => {
                self.skipped.insert(reason.to_string(), n);
            }
        }
    }

    /// [`Builder::met`] of the id `PREFIX` followed by `n`.
    pub fn met_number(&mut self, prefix: &str, n: u64) {
        self.events.meet_number(prefix, n);
    }

    /// [`Builder::met_number`], saying whether the id is met for the first time: `false` is
    /// a duplicate, which the caller counts ([`Builder::skip_many`]). An importer that asks
    /// this first of every row adds its events with [`Builder::event_point`].
    pub fn first_met(&mut self, prefix: &str, n: u64) -> bool {
        self.events.meet_number(prefix, n)
    }

    /// The number of an actor id in [`aggregate::Point`]s; the actor is described with
    /// [`Builder::actor`].
    pub fn actor_index(&mut self, id: &str) -> u32 {
        self.events.actor_index(id)
    }

    /// [`Builder::event_with`] of an event by numbers whose id [`Builder::first_met`] has
    /// just met: `source` builds its source, called only when the event enters its pair-day's
    /// evidence sample.
    pub fn event_point(&mut self, id: &str, point: aggregate::Point, source: impl FnOnce() -> SourceSpec) {
        let earlier = if self.sources.is_empty() { None } else { self.sources.remove(id) };
        self.events.add_point(id, point, || Some(earlier.unwrap_or_else(source)));
        self.new_events += 1;
    }

    /// Notes the id of a row that made no event (skipped or rejected), so that the same row
    /// met again is a [`Builder::duplicate`].
    pub fn met(&mut self, id: &str) {
        self.events.meet(id);
    }

    pub fn relation(&mut self, relation: RelationSpec) {
        self.relations.push(relation);
    }

    /// Counts a row skipped on purpose (for example, an event without a country).
    pub fn skip(&mut self, reason: &str) {
        // Called for most rows of a GDELT file: the reason is copied once.
        match self.skipped.get_mut(reason) {
            Some(n) => *n += 1,
            None => {
                self.skipped.insert(reason.to_string(), 1);
            }
        }
    }

    /// Records a bad row; with `--strict`, stops the import.
    ///
    /// # Errors
    /// With `--strict`, the bad row itself.
    pub fn reject(
        &mut self,
        file: &Path,
        line: u64,
        reason: impl Into<String>,
        row: impl Into<String>,
    ) -> Result<()> {
        let reject = Reject { file: file.to_path_buf(), line, reason: reason.into(), row: row.into() };
        if self.strict {
            bail!("{reject} (without --strict, bad rows are skipped and listed in rejects.csv)");
        }
        self.rejects.push(reject);
        Ok(())
    }

    /// Turns what was collected into a dataset: the events' runs become relations (ids start
    /// with `prefix`), those with fewer than `min_events` events are dropped, and only the
    /// sources that a relation cites are kept.
    ///
    /// # Errors
    /// When the importer produced something invalid (an actor or source missing, an empty
    /// interval): a bug in the importer, reported rather than written.
    pub fn finish(self, prefix: &str, options: &Options) -> Result<(Dataset, Summary)> {
        self.finish_import(prefix, options).map(|f| (f.dataset, f.summary))
    }

    /// As [`Builder::finish`], keeping what [`write_import`] needs to keep the stage-A table
    /// beside the dataset; a resumed builder makes the relations of the pairs its new events
    /// touched only, which replace those pairs' relations in the dataset.
    ///
    /// # Errors
    /// As [`Builder::finish`].
    pub fn finish_import(mut self, prefix: &str, options: &Options) -> Result<Finished> {
        let mut dropped = 0u64;
        let runs = self
            .events
            .runs(options.gap_days, self.resumed)
            .context("cannot read back the sampled events' sources")?;
        for run in runs {
            if run.events < u64::from(options.min_events) {
                dropped += 1;
                continue;
            }
            // A relation ends the day after its last event; georel's dates stop in 9998.
            let end = run.last.tomorrow().ok().filter(|d| d.year() <= crate::date::MAX_YEAR).with_context(
                || {
                    format!(
                    "events of {} → {} run until {}, too late to end a relation (georel's dates stop in {})",
                    run.source,
                    run.target,
                    run.last,
                    crate::date::MAX_YEAR
                )
                },
            )?;
            let mean = run.goldstein_mean_text().map(|g| format!(", mean Goldstein {g}")).unwrap_or_default();
            let articles = match run.articles {
                0 => String::new(),
                1 => " from 1 article".to_string(),
                n => format!(" from {n} articles"),
            };
            let mut evidence = Vec::with_capacity(run.evidence.len());
            for sampled in &run.evidence {
                if let Some(source) = &sampled.source {
                    self.sources.entry(sampled.id.to_string()).or_insert_with(|| source.spec(&sampled.id));
                }
                evidence.push(sampled.id.to_string());
            }
            self.relations.push(RelationSpec {
                id: format!("{prefix}-{}-{}-{}-{}", run.source, run.target, run.kind, run.first),
                source: run.source.clone(),
                target: run.target.clone(),
                kind: run.kind,
                start: PartialDate::day(run.first),
                end: Some(PartialDate::day(end)),
                directed: true,
                summary: format!(
                    "{} {} event{}{articles}{mean}",
                    run.events,
                    run.kind,
                    if run.events == 1 { "" } else { "s" }
                ),
                evidence,
                claimant: None,
                credibility: None,
            });
        }
        let summary = Summary {
            rows: self.rows,
            skipped: self.skipped.clone(),
            rejected: self.rejects.len() as u64,
            relations: self.relations.len() as u64,
            dropped_weak: dropped,
            events: self.new_events,
            new_ids: self.events.fresh_ids(),
            resumed: self.resumed,
        };
        let replaces = self.resumed.then(|| self.events.touched());
        let dataset = assemble(self.actors, self.sources, self.relations, Keep::Cited)?;
        Ok(Finished {
            dataset,
            summary,
            stage: self.events,
            settings: table::settings(prefix, options),
            prefix: prefix.to_string(),
            replaces,
        })
    }
}

/// A finished import: the dataset, and the stage-A table to keep beside it.
#[derive(Debug)]
pub struct Finished {
    pub dataset: Dataset,
    pub summary: Summary,
    stage: Aggregator,
    settings: String,
    prefix: String,
    /// For a resumed import: the pairs (source, target, kind) whose relations it rebuilt.
    replaces: Option<Vec<(String, String, RelationKind)>>,
}

/// What an import did, for the closing report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub skipped: BTreeMap<String, u64>,
    pub rejected: u64,
    /// Relations imported (after `--min-events`).
    pub relations: u64,
    /// Relations dropped by `--min-events`.
    pub dropped_weak: u64,
    /// Events kept (not met before, in this import or the earlier ones it continues).
    pub events: u64,
    /// Event ids met for the first time (kept events, and skipped or rejected rows): a
    /// continued import that met any has something to add to the table.
    pub new_ids: u64,
    /// It continued an earlier import ([`Builder::resume`]).
    pub resumed: bool,
}

/// Which sources a dataset keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Only those a relation cites (an import: events of dropped relations go too).
    Cited,
    /// All of them (a merge keeps what the existing dataset had).
    All,
}

/// Builds a dataset from specs, sorted for determinism: actors and sources by id, relations
/// by source, target, start and id.
fn assemble(
    actors: BTreeMap<String, ActorSpec>,
    sources: BTreeMap<String, SourceSpec>,
    mut relations: Vec<RelationSpec>,
    keep: Keep,
) -> Result<Dataset> {
    let actors = match keep {
        Keep::All => actors,
        // An import keeps the actors its relations use, and their parents: actors met only
        // in dropped or skipped rows would be noise.
        Keep::Cited => {
            let mut used: std::collections::HashSet<String> = relations
                .iter()
                .flat_map(|r| [Some(r.source.clone()), Some(r.target.clone()), r.claimant.clone()])
                .flatten()
                .collect();
            let mut frontier: Vec<String> = used.iter().cloned().collect();
            while let Some(id) = frontier.pop() {
                if let Some(parent) = actors.get(&id).and_then(|a| a.parent.clone()) {
                    if used.insert(parent.clone()) {
                        frontier.push(parent);
                    }
                }
            }
            actors.into_iter().filter(|(id, _)| used.contains(id)).collect()
        }
    };
    let actor_ix: HashMap<&str, ActorIx> =
        actors.keys().enumerate().map(|(i, id)| (id.as_str(), ActorIx(i as u32))).collect();
    let mut out_actors = Vec::with_capacity(actors.len());
    for spec in actors.values() {
        let parent = match &spec.parent {
            Some(p) => Some(
                *actor_ix
                    .get(p.as_str())
                    .with_context(|| format!("importer bug: parent {p} of {} was not added", spec.id))?,
            ),
            None => None,
        };
        out_actors.push(Actor {
            id: spec.id.as_str().into(),
            name: spec.name.as_str().into(),
            kind: spec.kind,
            parent,
            aliases: spec.aliases.iter().map(|a| a.as_str().into()).collect(),
        });
    }
    let mut cited: Vec<String> = match keep {
        Keep::Cited => relations.iter().flat_map(|r| r.evidence.iter().cloned()).collect(),
        Keep::All => sources.keys().cloned().collect(),
    };
    cited.sort_unstable();
    cited.dedup();
    let source_ix: HashMap<&str, SourceIx> =
        cited.iter().enumerate().map(|(i, id)| (id.as_str(), SourceIx(i as u32))).collect();
    let mut out_sources = Vec::with_capacity(cited.len());
    for id in &cited {
        let spec = sources.get(id).with_context(|| format!("importer bug: source {id} was not added"))?;
        out_sources.push(Source {
            id: spec.id.as_str().into(),
            title: spec.title.as_str().into(),
            publisher: spec.publisher.as_str().into(),
            published: spec.published,
            url: spec.url.as_str().into(),
            reliability: spec.reliability,
        });
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(twice) = relations.iter().find(|r| !seen.insert(r.id.as_str())) {
        bail!(
            "the import made relation id {} twice: were the same rows given twice (the same file twice?)",
            twice.id
        );
    }
    relations.sort_by(|a, b| {
        (&a.source, &a.target, a.start.first(), &a.id).cmp(&(&b.source, &b.target, b.start.first(), &b.id))
    });
    let mut out_relations = Vec::with_capacity(relations.len());
    for r in relations {
        let ix = |id: &str| {
            actor_ix.get(id).copied().with_context(|| format!("importer bug: actor {id} was not added"))
        };
        let span =
            Span::new(r.start, r.end).map_err(|e| anyhow::anyhow!("importer bug: relation {}: {e}", r.id))?;
        out_relations.push(Relation {
            id: RelationId::Named(r.id.into()),
            source: ix(&r.source)?,
            target: ix(&r.target)?,
            kind: r.kind,
            directed: r.directed,
            start: r.start,
            end: r.end,
            span,
            credibility: r.credibility,
            notes: Notes::claimed(
                r.evidence.iter().map(|e| source_ix[e.as_str()]).collect::<Vec<_>>(),
                r.summary.into(),
                r.claimant.as_deref().map(ix).transpose()?,
            ),
        });
    }
    Ok(Dataset::new(out_actors, out_sources, out_relations))
}

/// What [`write()`] wrote: the files, and the totals of the dataset now in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub files: Vec<PathBuf>,
    pub actors: usize,
    pub relations: usize,
    pub sources: usize,
}

/// Writes an imported dataset into `dir`: relations.csv, actors.csv and sources.csv, and
/// `rejects.csv` when rows were rejected (an old one is removed otherwise). With `append`,
/// the dataset in `dir` is read first and the new actors, sources and relations are merged
/// into it; relation ids must not collide. All files are written in full beside their
/// destinations and only then renamed over them, so a failure leaves `dir` as it was; other
/// files in `dir` are left alone.
///
/// Without `append`, the folder is marked as written by an import ([`MARK_FILE`]), and a
/// folder that holds a dataset without that mark (a curated dataset) is not replaced unless
/// `force`.
///
/// # Errors
/// When `dir` holds a dataset that no import wrote (without `force`), the existing dataset
/// cannot be read, ids collide, or the files cannot be written.
pub fn write(
    imported: Dataset,
    rejects: &[Reject],
    dir: &Path,
    append: bool,
    force: bool,
    extra: Vec<atomic::Staged>,
) -> Result<Written> {
    check_out_dir(dir, append, force)?;
    if append {
        atomic::allow_dataset_in(dir);
    }
    let merged = if append {
        let existing = crate::load::load(dir)
            .with_context(|| format!("cannot read the dataset to append to in {}", dir.display()))?;
        merge(existing, imported)?
    } else {
        imported
    };
    write_staged(merged, rejects, dir, append, extra)
}

/// Stages the dataset, `extra` files and rejects.csv in `dir`, then moves all into place.
fn write_staged(
    merged: Dataset,
    rejects: &[Reject],
    dir: &Path,
    append: bool,
    extra: Vec<atomic::Staged>,
) -> Result<Written> {
    let mut staged = dataset::stage_dir(&merged, dir)?;
    // Written with the dataset, or not at all (the record of imported files, the table).
    staged.extend(extra);
    let rejects_file = dir.join("rejects.csv");
    // Appending keeps the rows rejected by earlier imports into the same dataset.
    let earlier = if append && rejects_file.exists() {
        std::fs::read_to_string(&rejects_file)
            .with_context(|| format!("cannot read {}", rejects_file.display()))?
    } else {
        String::new()
    };
    if !rejects.is_empty() {
        staged.push(atomic::stage(&rejects_file, atomic::Cache::Bypass, |out| {
            if earlier.is_empty() {
                write_rejects(rejects, out)
            } else {
                out.write_all(earlier.as_bytes())?;
                write_rejects_rows(rejects, out)
            }
        })?);
    }
    if !append {
        staged.push(dataset::stage_mark(dir)?);
    }
    let mut files = atomic::commit(staged)?;
    // The mark is no result the user asked for.
    files.retain(|f| !f.ends_with(MARK_FILE));
    if rejects.is_empty() && !append && rejects_file.exists() {
        // Left by an earlier import into this folder: it does not describe this dataset.
        std::fs::remove_file(&rejects_file)
            .with_context(|| format!("cannot remove the old {}", rejects_file.display()))?;
    }
    Ok(Written {
        files,
        actors: merged.actors.len(),
        relations: merged.relations.len(),
        sources: merged.sources.len(),
    })
}

/// Writes a finished import into `dir` as [`write()`] does, with its stage-A table
/// ([`table`]) beside the dataset when it read events. Appending to a dataset that has such a
/// table (the builder was [resumed](Builder::resume)) replaces the relations of the pairs the
/// new events touched with the ones rebuilt from the merged table, and drops the sources only
/// they cited; appending without one merges as [`write()`] does, and starts a table when the
/// dataset holds no relation of this format yet. An import that is no append removes the
/// tables of earlier imports into the folder.
///
/// # Errors
/// As [`write()`].
pub fn write_import(
    mut finished: Finished,
    rejects: &[Reject],
    dir: &Path,
    append: bool,
    force: bool,
    mut extra: Vec<atomic::Staged>,
) -> Result<Written> {
    check_out_dir(dir, append, force)?;
    if append {
        atomic::allow_dataset_in(dir);
    }
    let owned = format!("{}-", finished.prefix);
    let (merged, keep_table) = if append {
        let existing = crate::load::load(dir)
            .with_context(|| format!("cannot read the dataset to append to in {}", dir.display()))?;
        match finished.replaces.take() {
            Some(pairs) => (merge(without_pairs(existing, &pairs, &owned), finished.dataset)?, true),
            None => {
                let fresh = !existing.relations.iter().any(|r| r.id.to_string().starts_with(&owned));
                (merge(existing, finished.dataset)?, fresh)
            }
        }
    } else {
        (finished.dataset, true)
    };
    // A table of ids met alone (every row skipped, written with --force) still catches
    // those rows met again in a later batch.
    let events = keep_table && (finished.stage.pair_days() > 0 || finished.stage.ids_met() > 0);
    let table_file = dir.join(table::file_name(&finished.prefix));
    if events {
        let settings = finished.settings.clone();
        extra.push(atomic::stage(&table_file, atomic::Cache::Bypass, |out| {
            table::write(&mut finished.stage, &settings, out)
        })?);
    }
    drop(finished.stage);
    let written = write_staged(merged, rejects, dir, append, extra)?;
    if !append {
        // Left by an earlier import into this folder: they do not describe this dataset.
        for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if table::is_table(name) && (path != table_file || !events) {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot remove the old {}", path.display()))?;
            }
        }
    }
    Ok(written)
}

/// The dataset without the relations of `pairs` that an import with relation ids starting
/// with `owned` made, and without the sources only those cited.
fn without_pairs(mut ds: Dataset, pairs: &[(String, String, RelationKind)], owned: &str) -> Dataset {
    let pairs: std::collections::HashSet<(&str, &str, RelationKind)> =
        pairs.iter().map(|(s, t, k)| (s.as_str(), t.as_str(), *k)).collect();
    let (gone, kept): (Vec<Relation>, Vec<Relation>) =
        std::mem::take(&mut ds.relations).into_iter().partition(|r| {
            r.id.to_string().starts_with(owned)
                && pairs.contains(&(&*ds.actor(r.source).id, &*ds.actor(r.target).id, r.kind))
        });
    let still: std::collections::HashSet<SourceIx> =
        kept.iter().flat_map(|r| r.evidence().iter().copied()).collect();
    let orphans: std::collections::HashSet<SourceIx> =
        gone.iter().flat_map(|r| r.evidence().iter().copied()).filter(|s| !still.contains(s)).collect();
    let old_sources = std::mem::take(&mut ds.sources);
    let mut renumber = HashMap::new();
    for (i, s) in old_sources.into_iter().enumerate() {
        let ix = SourceIx(i as u32);
        if !orphans.contains(&ix) {
            renumber.insert(ix, SourceIx(ds.sources.len() as u32));
            ds.sources.push(s);
        }
    }
    let relations = kept
        .into_iter()
        .map(|mut r| {
            let evidence: Vec<SourceIx> = r.evidence().iter().map(|s| renumber[s]).collect();
            r.notes = Notes::claimed(evidence, r.summary().into(), r.claimant());
            r
        })
        .collect();
    Dataset::new(ds.actors, ds.sources, relations)
}

/// The mark of a folder georel wrote a dataset into: an import replaces the dataset in a
/// folder only when it holds this mark (or with `--force`), so that `import … --out data`
/// cannot silently replace a curated dataset.
pub use crate::export::dataset::MARK_FILE;

/// Fails when an import (not an `append`) may not write into `dir`: it holds files of a
/// dataset but no [`MARK_FILE`], a dataset that no import wrote; `force` allows it. [`write()`]
/// checks this too; a caller checks it first to fail before reading a large input.
///
/// # Errors
/// When `dir` holds a dataset that no import wrote.
pub fn check_out_dir(dir: &Path, append: bool, force: bool) -> Result<()> {
    if append || force || std::fs::symlink_metadata(dir.join(MARK_FILE)).is_ok() {
        return Ok(());
    }
    let found: Vec<&str> = crate::load::index::DATA_FILES
        .into_iter()
        .filter(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    bail!(
        "refusing to replace the dataset in {dir}: it holds {} that georel did not write (there is no {MARK_FILE} file); \
         import into another folder (--out NEW_DIR), add to this dataset with --append {dir}, or add --force to replace it",
        found.join(", "),
        dir = dir.display()
    );
}

/// Merges an import into an existing dataset: actors and sources already there are kept as
/// they are (an import never rewrites them), new ones are added, and relations are added
/// unless their ids collide.
fn merge(existing: Dataset, imported: Dataset) -> Result<Dataset> {
    let mut actors: BTreeMap<String, ActorSpec> = BTreeMap::new();
    let mut sources: BTreeMap<String, SourceSpec> = BTreeMap::new();
    let mut relations = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for ds in [&existing, &imported] {
        for a in &ds.actors {
            actors.entry(a.id.to_string()).or_insert_with(|| ActorSpec {
                id: a.id.to_string(),
                name: a.name.to_string(),
                kind: a.kind,
                parent: a.parent.map(|p| ds.actor(p).id.to_string()),
                aliases: a.aliases.iter().map(|x| x.to_string()).collect(),
            });
        }
        for s in &ds.sources {
            sources.entry(s.id.to_string()).or_insert_with(|| SourceSpec {
                id: s.id.to_string(),
                title: s.title.to_string(),
                publisher: s.publisher.to_string(),
                published: s.published,
                url: s.url.to_string(),
                reliability: s.reliability,
            });
        }
        for r in &ds.relations {
            let id = r.id.to_string();
            if !ids.insert(id.clone()) {
                bail!(
                    "relation id {id} is already in the dataset: importing the same data twice? Ids must not collide; \
                     import into a new folder, or remove the earlier import first"
                );
            }
            relations.push(RelationSpec {
                id,
                source: ds.actor(r.source).id.to_string(),
                target: ds.actor(r.target).id.to_string(),
                kind: r.kind,
                start: r.start,
                end: r.end,
                directed: r.directed,
                evidence: r.evidence().iter().map(|s| ds.source(*s).id.to_string()).collect(),
                summary: r.summary().to_string(),
                claimant: r.claimant().map(|c| ds.actor(c).id.to_string()),
                credibility: r.credibility,
            });
        }
    }
    assemble(actors, sources, relations, Keep::All)
}

/// `rejects.csv`: `file,line,reason,row`.
fn write_rejects(rejects: &[Reject], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "file,line,reason,row")?;
    write_rejects_rows(rejects, out)
}

/// The rows of `rejects.csv`, without its header. A report for people, opened in
/// spreadsheets like any CSV georel writes for them: every cell is neutralised
/// ([`crate::export::csv::spreadsheet_safe`]), the rejected row above all, which is whatever
/// the input held.
fn write_rejects_rows(rejects: &[Reject], out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let io = |e: csv::Error| std::io::Error::other(e.to_string());
    for r in rejects {
        let cells = [r.file.display().to_string(), r.line.to_string(), r.reason.clone(), r.row.clone()];
        w.write_record(cells.iter().map(|c| crate::export::csv::spreadsheet_safe(c).into_owned()))
            .map_err(io)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn builder_with(days: &[(Day, &str)]) -> (Builder, Options) {
        let options = Options::default();
        let mut b = Builder::new(&options);
        for id in ["A", "B"] {
            b.actor(ActorSpec {
                id: id.into(),
                name: id.into(),
                kind: ActorKind::Country,
                parent: None,
                aliases: Vec::new(),
            });
        }
        for &(day, id) in days {
            b.source(SourceSpec {
                id: id.into(),
                title: String::new(),
                publisher: String::new(),
                published: None,
                url: String::new(),
                reliability: None,
            });
            b.event(Event {
                source: "A".into(),
                target: "B".into(),
                kind: RelationKind::Cooperation,
                day,
                id: id.into(),
                goldstein: Some(1.0),
                article: None,
                sources: 0,
                articles: 0,
            });
        }
        (b, options)
    }

    /// Regression: a run ending on 9998-12-31 gave the end 9999-01-01, which georel cannot
    /// read back; it must be an error, not an invalid dataset.
    #[test]
    fn a_run_on_the_last_supported_day_is_an_error() {
        let (b, options) = builder_with(&[(date(9998, 12, 31), "e1")]);
        let err = b.finish("t", &options).unwrap_err().to_string();
        assert!(err.contains("too late to end a relation"), "{err}");
    }

    #[test]
    fn the_same_relation_twice_is_an_error_not_an_invalid_dataset() {
        let (mut b, options) = builder_with(&[]);
        let spec = RelationSpec {
            id: "r1".into(),
            source: "A".into(),
            target: "B".into(),
            kind: RelationKind::Dispute,
            start: PartialDate::day(date(2000, 1, 1)),
            end: None,
            directed: false,
            evidence: Vec::new(),
            summary: String::new(),
            claimant: None,
            credibility: None,
        };
        b.relation(spec.clone());
        b.relation(spec);
        let err = b.finish("t", &options).unwrap_err().to_string();
        assert!(err.contains("relation id r1 twice"), "{err}");
    }

    #[test]
    fn a_duplicate_event_is_skipped_and_counted() {
        let (b, options) = builder_with(&[(date(2025, 1, 1), "e1"), (date(2025, 1, 1), "e1")]);
        assert_eq!(b.skipped.get("duplicate event id"), Some(&1));
        let (ds, summary) = b.finish("t", &options).unwrap();
        assert_eq!(summary.relations, 1);
        assert_eq!(ds.relations[0].evidence().len(), 1);
        assert_eq!(ds.relations[0].summary(), "1 cooperation event, mean Goldstein 1.00");
    }
}
