//! Reading only the relations that a path or a neighbourhood on one day needs: the actors
//! are named and the walk set up on the index's actors (by the caller's `resolve`, which
//! knows the request), `query::local` finds the relations around them, and only those are
//! decoded. When the search would read more than the whole dataset's worth of relations, the
//! whole day is read instead. Without a current index, the day's cut is read.

use crate::date::Day;
use crate::load::index::{Index, Unusable};
use crate::model::{ActorIx, Dataset, GradeFilter, Held, RelationIx};
use crate::query::local;
use crate::query::network::Walk;
use crate::query::path as paths;
use crate::snapshot::{Options, Snapshot};

use super::{Store, StoreError};

/// Why a part of a day could not be read from an index.
pub enum Failed<E> {
    /// The request is wrong (an unknown actor): the question fails with it.
    Request(E),
    /// The index is: the CSV files are read instead, and the index rebuilt.
    Index(Unusable),
}

impl<E> From<Unusable> for Failed<E> {
    fn from(why: Unusable) -> Self {
        Failed::Index(why)
    }
}

/// A shortest path's relations on a day (not every path, which reads the whole day).
#[derive(Debug, Clone, Copy)]
pub struct NearPath {
    pub at: Day,
    pub options: Options,
    /// Drawn as a diagram, which shows every edge touching the path too.
    pub diagram: bool,
}

impl Store {
    /// What a shortest path on `request.at` needs: from a current index, the relations
    /// around the two ends that `query::local` finds (see [`NearPath::diagram`]); else the
    /// day's cut ([`Store::on`]). `resolve` names the two ends (already turned into their
    /// units under the grouping) and sets up the walk on the actors given; its error fails
    /// the read.
    ///
    /// # Errors
    /// `resolve`'s; as [`Store::on`].
    pub fn near_path<E: From<StoreError>>(
        &self,
        request: NearPath,
        resolve: impl FnOnce(&Dataset) -> Result<(ActorIx, ActorIx, Walk), E>,
    ) -> Result<Dataset, E> {
        let grades = self.grades;
        self.near(request.at, |index| path(index, grades, request, resolve))
    }

    /// What a neighbourhood of depth `depth` on `day` needs: as [`Store::near_path`], with
    /// `resolve` naming the centre (its unit) and setting up the walk.
    ///
    /// # Errors
    /// As [`Store::near_path`].
    pub fn near_neighbours<E: From<StoreError>>(
        &self,
        day: Day,
        depth: usize,
        options: Options,
        resolve: impl FnOnce(&Dataset) -> Result<(ActorIx, Walk), E>,
    ) -> Result<Dataset, E> {
        let grades = self.grades;
        self.near(day, |index| {
            let people = index.people_on(day)?;
            let (centre, walk) = resolve(&people).map_err(Failed::Request)?;
            let around = index.around(day)?.graded(grades);
            let read = |a: ActorIx, each: &mut dyn FnMut(Held)| around.holding(a, each);
            let budget = index.relations();
            match local::neighbourhood_relations(&people, options, &walk, centre, depth, read, budget)? {
                Some(relations) => Ok(index.dataset_of_graded(people, &relations, day, grades)?),
                None => Ok(index.dataset_on(day)?),
            }
        })
    }

    /// As [`Store::on`], but with a current index `read` chooses what to read of the day.
    fn near<E: From<StoreError>>(
        &self,
        day: Day,
        read: impl FnOnce(&Index) -> Result<Dataset, Failed<E>>,
    ) -> Result<Dataset, E> {
        let Some(index) = self.index() else {
            return Ok(self.on(day)?);
        };
        let ds = match read(index) {
            Ok(ds) => ds.graded(self.grades),
            Err(Failed::Request(e)) => return Err(e),
            Err(Failed::Index(why)) => self.recover(&why)?,
        };
        debug_assert!(ds.covers(day));
        Ok(ds)
    }
}

fn path<E>(
    index: &Index,
    grades: GradeFilter,
    request: NearPath,
    resolve: impl FnOnce(&Dataset) -> Result<(ActorIx, ActorIx, Walk), E>,
) -> Result<Dataset, Failed<E>> {
    let NearPath { at: day, options, diagram } = request;
    let people = index.people_on(day)?;
    let (from, to, walk) = resolve(&people).map_err(Failed::Request)?;
    let around = index.around(day)?.graded(grades);
    let read = |a: ActorIx, each: &mut dyn FnMut(Held)| around.holding(a, each);
    let budget = index.relations();
    let Some(relations) = local::path_relations(&people, options, &walk, from, to, read, budget)? else {
        return Ok(index.dataset_on(day)?);
    };
    let ds = index.dataset_of_graded(people, &relations, day, grades)?;
    if !diagram {
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

/// Two ascending lists merged, without repeats.
fn union(a: &[RelationIx], b: &[RelationIx]) -> Vec<RelationIx> {
    let mut all = [a, b].concat();
    all.sort_unstable();
    all.dedup();
    all
}
