//! Days that property tests query: every bound of the relations' periods and the days around
//! them. Shared by `common` (the query property tests) and `index_properties.rs`; each file
//! that includes it uses both items.

use std::collections::BTreeSet;

use georel::date::Day;
use georel::model::Dataset;

pub fn shift(day: Day, days: i32) -> Day {
    day.checked_add(jiff::Span::new().days(days)).unwrap()
}

/// Every start and end day of a relation's possible and active periods, with the days
/// around them, plus `extra`; sorted, without repeats. Computed from the dates as written
/// (not from `Span`).
pub fn bound_days(ds: &Dataset, extra: impl IntoIterator<Item = Day>) -> Vec<Day> {
    let mut days = BTreeSet::new();
    for r in &ds.relations {
        let mut bounds = vec![r.start.first(), r.start.after()];
        if let Some(end) = r.end {
            bounds.extend([end.first(), end.after()]);
        }
        for b in bounds {
            days.extend([shift(b, -1), b, shift(b, 1)]);
        }
    }
    days.extend(extra);
    days.into_iter().collect()
}
