//! Reading from an index only the relations that a path or a neighbourhood needs: the
//! actors are named and the walk set up on the index's actors, `query::local` finds the
//! relations around them, and only those are decoded. When the search would read more than
//! the whole dataset's worth of relations, the whole day is read instead.

use georel::date::Day;
use georel::load::index::{Index, Unusable};
use georel::model::{ActorIx, Dataset, Held, RelationIx};
use georel::query::local;
use georel::query::path as paths;
use georel::query::resolve::Resolver;
use georel::snapshot::{Options, Snapshot};

use super::{actor, walk};
use crate::plan::WalkPlan;

/// Why a part of a day could not be read from an index.
pub enum Failed {
    /// The request is wrong (an unknown actor): the command fails.
    Request(anyhow::Error),
    /// The index is: the CSV files are read instead, and the index rebuilt.
    Index(Unusable),
}

impl From<Unusable> for Failed {
    fn from(why: Unusable) -> Self {
        Failed::Index(why)
    }
}

impl From<anyhow::Error> for Failed {
    fn from(e: anyhow::Error) -> Self {
        Failed::Request(e)
    }
}

/// A shortest path's relations (not `--all`, which reads the whole day).
pub struct Path<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub at: Day,
    pub walk: &'a WalkPlan,
    pub options: Options,
    /// Drawn as a diagram, which shows every edge touching the path too.
    pub diagram: bool,
}

impl Path<'_> {
    pub fn read(&self, index: &Index) -> Result<Dataset, Failed> {
        let (options, day) = (self.options, self.at);
        let people = index.people_on(day)?;
        let (from, to, walk) = {
            let resolver = Resolver::new(&people);
            let unit = |name| actor(&resolver, name).map(|a| options.grouping.unit(&people, a));
            (unit(self.from)?, unit(self.to)?, walk(&resolver, self.walk, options.grouping, &people)?)
        };
        let grades = super::grades();
        let around = index.around(day)?.graded(grades);
        let read = |a: ActorIx, each: &mut dyn FnMut(Held)| around.holding(a, each);
        let budget = index.relations();
        let Some(relations) = local::path_relations(&people, options, &walk, from, to, read, budget)? else {
            return Ok(index.dataset_on(day)?);
        };
        let ds = index.dataset_of_graded(people, &relations, day, grades)?;
        if !self.diagram {
            return Ok(ds);
        }
        // The diagram draws the path over every edge that touches it.
        let on_path = {
            let snap = Snapshot::at(&ds, day, options);
            match paths::shortest(&snap, &walk, from, to) {
                Some(path) => path.actors,
                None => return Ok(ds),
            }
        };
        let Some(touching) = local::touching_relations(&ds, options, &on_path, read, budget)? else {
            return Ok(index.dataset_on(day)?);
        };
        Ok(index.dataset_of_graded(ds, &union(&relations, &touching), day, grades)?)
    }
}

/// A neighbourhood's relations.
pub struct Neighbours<'a> {
    pub centre: &'a str,
    pub at: Day,
    pub depth: usize,
    pub walk: &'a WalkPlan,
    pub options: Options,
}

impl Neighbours<'_> {
    pub fn read(&self, index: &Index) -> Result<Dataset, Failed> {
        let (options, day) = (self.options, self.at);
        let people = index.people_on(day)?;
        let (centre, walk) = {
            let resolver = Resolver::new(&people);
            let centre = options.grouping.unit(&people, actor(&resolver, self.centre)?);
            (centre, walk(&resolver, self.walk, options.grouping, &people)?)
        };
        let grades = super::grades();
        let around = index.around(day)?.graded(grades);
        let read = |a: ActorIx, each: &mut dyn FnMut(Held)| around.holding(a, each);
        let budget = index.relations();
        match local::neighbourhood_relations(&people, options, &walk, centre, self.depth, read, budget)? {
            Some(relations) => Ok(index.dataset_of_graded(people, &relations, day, grades)?),
            None => Ok(index.dataset_on(day)?),
        }
    }
}

/// Two ascending lists merged, without repeats.
fn union(a: &[RelationIx], b: &[RelationIx]) -> Vec<RelationIx> {
    let mut all = [a, b].concat();
    all.sort_unstable();
    all.dedup();
    all
}
