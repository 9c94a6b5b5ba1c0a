//! The parts a question over a period reads (`conflicts` and `fractures` over a month or
//! `--from D1 --to D2`), and the part a diff's diagram draws: each chosen by the rule the
//! same question about one day uses ([`subset`](super::subset)), applied to the relations
//! that may hold on some day of the period, so that the question asked of the part gets the
//! whole dataset's answer (tests/store_properties.rs checks it, with and without an index).
//! From an index, the period's relations are found from their records (every record read,
//! none decoded) and only the chosen ones decoded; without one, from the whole dataset.

use crate::date::{Day, Window};
use crate::load::index::Unusable;
use crate::model::{Dataset, GradeFilter, Held, KindSet, RelationIx};

use super::subset::{
    changes_from_index, changes_in, contested_among, part_of, Fractured, CONTESTS, MEMBERSHIPS, STRAINS,
};
use super::{Source, Store, StoreError};

/// Which rule chooses a period's relations.
#[derive(Clone, Copy)]
enum Rule {
    Contested,
    Fractured,
}

impl Rule {
    /// The relations of `holding` (the period's, graded, ascending, each with its status over
    /// the period) that the rule keeps, ascending.
    fn keep(self, people: &Dataset, holding: &mut Vec<Held>, strict: bool) -> Vec<RelationIx> {
        holding.retain(|h| !strict || h.status == crate::date::Status::Active);
        match self {
            Rule::Contested => {
                holding.retain(|h| CONTESTS.contains(h.kind));
                contested_among(people, holding)
            }
            Rule::Fractured => {
                // Moved, not copied: a month of 10 million relations is most of them.
                let (memberships, strains): (Vec<Held>, Vec<Held>) = std::mem::take(holding)
                    .into_iter()
                    .filter(|h| MEMBERSHIPS.contains(h.kind) || STRAINS.contains(h.kind))
                    .partition(|h| MEMBERSHIPS.contains(h.kind));
                let mut fractured = Fractured::new(people, &memberships);
                if fractured.has_members() {
                    strains.iter().for_each(|h| fractured.strain(h));
                }
                let mut keep = fractured.relations(&memberships);
                keep.sort_unstable();
                keep
            }
        }
    }
}

impl Store {
    /// What the contests over `window` need (`conflicts --at 2025-11`, `--from --to`): for
    /// one day, [`Store::contested_on`]; for more, every actor and source, and of the
    /// relations that may hold on some day of it only those between two hierarchies that a
    /// contest may join in it (a cooperation and a restriction covering it, both holding in
    /// the window, with `strict` active in it): every relation of each edge that can be
    /// contested then. `Snapshot::contested_part` of it over the window is the whole
    /// dataset's, and so is its note on the window's relations left out by grade.
    ///
    /// # Errors
    /// As [`Store::whole`].
    pub fn contested_within(&self, window: Window, strict: bool) -> Result<Dataset, StoreError> {
        match window.as_day() {
            Some(day) => self.contested_on(day, strict),
            None => self.period_part(window, Rule::Contested, strict),
        }
    }

    /// What the fractures over `window` need: for one day, [`Store::fractured_on`]; for
    /// more, every actor and source, and of the relations that may hold on some day of it
    /// only the restrictions and disputes between two members of one group in it and the
    /// memberships that make them members (with `strict`, active ones only count).
    /// `query::fractures::over` of it is the whole dataset's, and so is its note on the
    /// window's relations left out by grade.
    ///
    /// # Errors
    /// As [`Store::whole`].
    pub fn fractured_within(&self, window: Window, strict: bool) -> Result<Dataset, StoreError> {
        match window.as_day() {
            Some(day) => self.fractured_on(day, strict),
            None => self.period_part(window, Rule::Fractured, strict),
        }
    }

    /// What a diff's diagram from `first` to `last` draws: [`Store::changes`], and every
    /// relation that may hold on `first` (the diagram draws both days whole; one that holds on
    /// `last` and not on `first` starts in between, and is among the changes). Snapshots of
    /// it on the two days, and over the days between, are the whole dataset's, and so is the
    /// diff between them.
    ///
    /// # Errors
    /// As [`Store::whole`].
    pub fn changes_drawn(&self, first: Day, last: Day) -> Result<Dataset, StoreError> {
        let window = Window::between(first, last).unwrap_or_else(|| Window::day(first));
        let whole = match &self.source {
            Source::Indexed(index) => {
                let read = (|| -> Result<Dataset, Unusable> {
                    let (people, mut keep) = changes_from_index(index, first, last)?;
                    index.holding_on(first, self.grades, KindSet::ALL, |h| keep.push(h.relation))?;
                    keep.sort_unstable();
                    keep.dedup();
                    let ds = index.dataset_with(people, &keep)?;
                    Ok(ds.graded(self.grades).with_graded_out(index.graded_out_in(window, self.grades)?))
                })();
                match read {
                    Ok(ds) => return Ok(ds),
                    Err(why) => self.recover(&why)?,
                }
            }
            Source::Csv | Source::Rebuilt(_) => self.whole()?,
        };
        let keep = changes_drawn_in(&whole, first, last);
        Ok(part_of(whole, &keep))
    }

    /// The whole dataset (graded), read after `part` (any part this store read), with the
    /// same actors: for a question that asks of the whole about actors named in the part.
    ///
    /// # Errors
    /// [`StoreError::Changed`] when the files changed meanwhile (the actors differ);
    /// [`StoreError::WholeFromIndex`] when the index fails; as [`Store::whole`].
    pub fn whole_for_actors(&self, part: &Dataset) -> Result<Dataset, StoreError> {
        let ds = match &self.source {
            Source::Indexed(index) => index.dataset().map_err(StoreError::WholeFromIndex)?,
            Source::Csv | Source::Rebuilt(_) => self.read_csv(None)?,
        };
        if ds.actors != part.actors {
            return Err(StoreError::Changed(self.dir.clone()));
        }
        Ok(ds.graded(self.grades))
    }

    /// A period's part under `rule`: see [`Store::contested_within`].
    fn period_part(&self, window: Window, rule: Rule, strict: bool) -> Result<Dataset, StoreError> {
        let whole = match &self.source {
            Source::Indexed(index) => {
                let read = (|| -> Result<Dataset, Unusable> {
                    let people = index.actors_and_sources()?;
                    let mut holding = Vec::new();
                    index.holding_in(window, self.grades, |h| holding.push(h))?;
                    let keep = rule.keep(&people, &mut holding, strict);
                    drop(holding);
                    let ds = index.dataset_with(people, &keep)?;
                    Ok(ds.graded(self.grades).with_graded_out(index.graded_out_in(window, self.grades)?))
                })();
                match read {
                    Ok(ds) => return Ok(ds),
                    Err(why) => self.recover(&why)?,
                }
            }
            Source::Csv | Source::Rebuilt(_) => self.whole()?,
        };
        // Graded already: every relation left passes.
        let keep = rule.keep(&whole, &mut holding_over(&whole, window, GradeFilter::default()), strict);
        Ok(part_of(whole, &keep))
    }
}

/// The relations of `ds` (whole) that may hold on some day of `window` and whose grade
/// `grades` admits, with their status over it, ascending.
fn holding_over(ds: &Dataset, window: Window, grades: GradeFilter) -> Vec<Held> {
    let all = grades.is_all();
    (0..ds.relations.len() as u32)
        .map(RelationIx)
        .filter_map(|r| {
            let rel = ds.relation(r);
            let status = rel.span.status_in(window)?;
            (all || grades.admits(ds.grade_of(rel))).then(|| rel.held_as(r, status))
        })
        .collect()
}

/// In memory: the relations of `ds` (whole, ungraded) that [`Store::contested_within`] keeps
/// for the contests over `window` (of more than one day: else [`super::contested_in`])
/// under `grades`, ascending.
pub fn contested_over(ds: &Dataset, window: Window, grades: GradeFilter, strict: bool) -> Vec<RelationIx> {
    Rule::Contested.keep(ds, &mut holding_over(ds, window, grades), strict)
}

/// In memory: the relations of `ds` (whole, ungraded) that [`Store::fractured_within`] keeps
/// for the fractures over `window` (of more than one day: else [`super::fractured_in`])
/// under `grades`, ascending.
pub fn fractured_over(ds: &Dataset, window: Window, grades: GradeFilter, strict: bool) -> Vec<RelationIx> {
    Rule::Fractured.keep(ds, &mut holding_over(ds, window, grades), strict)
}

/// In memory: the relations of `ds` (whole) that [`Store::changes_drawn`] keeps, ascending.
pub fn changes_drawn_in(ds: &Dataset, first: Day, last: Day) -> Vec<RelationIx> {
    let mut keep = changes_in(ds, first, last);
    ds.timeline().for_each_on(first, |r| keep.push(r));
    keep.sort_unstable();
    keep.dedup();
    keep
}
