//! What a series of days needs (`balance`, `brokers` or `blocs` with `--from --to --every`):
//! each day's dataset, read once per day from an index (the day's cut: only the relations
//! that may hold then are decoded), or the whole dataset read once without one (a snapshot
//! of the whole on any day is that day's).

use crate::date::Day;
use crate::model::Dataset;

use super::{Source, Store, StoreError};

impl Store {
    /// Calls `each` with each of `days`, in order, and a dataset that holds every relation
    /// that may hold on it (graded, as [`Store::on`] and [`Store::whole`] give it): from a
    /// current index, the day's cut, one at a time, so that no more than one day is held;
    /// otherwise the whole dataset, read once for every day. Stops at `each`'s first error.
    ///
    /// # Errors
    /// As [`Store::whole`]; `each`'s.
    pub fn each_day<E: From<StoreError>>(
        &self,
        days: &[Day],
        mut each: impl FnMut(Day, &Dataset) -> Result<(), E>,
    ) -> Result<(), E> {
        if let Source::Indexed(_) = self.source {
            for &day in days {
                let ds = self.on(day)?;
                each(day, &ds)?;
            }
            return Ok(());
        }
        if days.is_empty() {
            return Ok(());
        }
        let ds = self.whole()?;
        for &day in days {
            each(day, &ds)?;
        }
        Ok(())
    }
}
