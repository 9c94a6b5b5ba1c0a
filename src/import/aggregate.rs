//! Point events into dated relations: events of one pair (source → target) and kind that are
//! at most `gap` days apart join one run, from the first event's day to the day after the
//! last. Runs are merged as events arrive, in any order, so memory holds the runs and their
//! event ids, not the rows.

use std::collections::HashMap;

use crate::date::Day;
use crate::import::Event;
use crate::model::RelationKind;

/// A run of events: one future relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub source: String,
    pub target: String,
    pub kind: RelationKind,
    pub first: Day,
    pub last: Day,
    /// The events' ids, in id order.
    pub events: Vec<String>,
    /// The distinct articles that reported the events (of those whose article is known).
    pub articles: u32,
    goldstein_sum: f64,
    goldstein_count: u32,
}

impl Run {
    /// The mean Goldstein score of the events that have one.
    pub fn goldstein_mean(&self) -> Option<f64> {
        (self.goldstein_count > 0).then(|| self.goldstein_sum / f64::from(self.goldstein_count))
    }
}

/// One pair and kind's runs, sorted and disjoint; `first..=last` in day numbers.
#[derive(Debug, Default)]
struct Runs(Vec<Span>);

#[derive(Debug)]
struct Span {
    first: i32,
    last: i32,
    events: Vec<String>,
    /// [`article_key`]s, repeats included until the end.
    articles: Vec<u64>,
    goldstein_sum: f64,
    goldstein_count: u32,
}

/// Collects events and merges them into runs.
#[derive(Debug, Default)]
pub struct Aggregator {
    by_key: HashMap<(String, String, RelationKind), Runs>,
    /// Event ids met so far: an event seen twice (overlapping files) counts once.
    seen: std::collections::HashSet<String>,
    /// The gap used while merging; set before the first event.
    gap: i32,
}

impl Aggregator {
    /// An aggregator that joins events at most `gap_days` apart (consecutive days always).
    pub fn new(gap_days: u32) -> Aggregator {
        Aggregator {
            by_key: HashMap::new(),
            seen: std::collections::HashSet::new(),
            gap: i32::try_from(gap_days.max(1)).unwrap_or(i32::MAX),
        }
    }

    /// Adds an event; `false` (and nothing added) when an event with the same id was added
    /// before.
    pub fn add(&mut self, event: Event) -> bool {
        if !self.seen.insert(event.id.clone()) {
            return false;
        }
        let gap = self.gap.max(1);
        let day = day_number(event.day);
        let runs = &mut self.by_key.entry((event.source, event.target, event.kind)).or_default().0;
        let (score, counted) = match event.goldstein {
            Some(g) if g.is_finite() => (g, 1),
            _ => (0.0, 0),
        };
        // Runs stay sorted and more than `gap` apart, so an event touches at most the run
        // before it and the one after.
        let next = runs.partition_point(|r| r.first <= day);
        let joins_previous = next > 0 && day - runs[next - 1].last <= gap;
        let joins_next = next < runs.len() && runs[next].first - day <= gap;
        let at = match (joins_previous, joins_next) {
            (true, _) => next - 1,
            (false, true) => next,
            (false, false) => {
                runs.insert(
                    next,
                    Span {
                        first: day,
                        last: day,
                        events: Vec::new(),
                        articles: Vec::new(),
                        goldstein_sum: 0.0,
                        goldstein_count: 0,
                    },
                );
                next
            }
        };
        let run = &mut runs[at];
        run.first = run.first.min(day);
        run.last = run.last.max(day);
        run.events.push(event.id);
        run.articles.extend(event.article);
        run.goldstein_sum += score;
        run.goldstein_count += counted;
        // The run grew: it may now reach the next one.
        if at + 1 < runs.len() && runs[at + 1].first - runs[at].last <= gap {
            let later = runs.remove(at + 1);
            let run = &mut runs[at];
            run.last = run.last.max(later.last);
            run.events.extend(later.events);
            run.articles.extend(later.articles);
            run.goldstein_sum += later.goldstein_sum;
            run.goldstein_count += later.goldstein_count;
        }
        true
    }

    /// Whether an event id was added or met before.
    pub fn seen(&self, id: &str) -> bool {
        self.seen.contains(id)
    }

    /// Notes an event id that made no event (its row was skipped or rejected), so that
    /// [`Aggregator::seen`] knows it.
    pub fn meet(&mut self, id: String) {
        self.seen.insert(id);
    }

    /// The runs, in source, target, kind and date order. `gap_days` must be the gap the
    /// aggregator was made with (it is checked).
    pub fn runs(self, gap_days: u32) -> Vec<Run> {
        debug_assert!(
            self.gap == i32::try_from(gap_days.max(1)).unwrap_or(i32::MAX) || self.by_key.is_empty()
        );
        let mut keys: Vec<_> = self.by_key.into_iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = Vec::new();
        for ((source, target, kind), runs) in keys {
            for mut span in runs.0 {
                // Numeric ids in numeric order (shorter first), then by text.
                span.events.sort_unstable_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
                span.articles.sort_unstable();
                span.articles.dedup();
                out.push(Run {
                    source: source.clone(),
                    target: target.clone(),
                    kind,
                    first: from_day_number(span.first),
                    last: from_day_number(span.last),
                    events: span.events,
                    articles: u32::try_from(span.articles.len()).unwrap_or(u32::MAX),
                    goldstein_sum: span.goldstein_sum,
                    goldstein_count: span.goldstein_count,
                });
            }
        }
        out
    }
}

/// The key of an article (its URL) for counting distinct articles: FNV-1a, 64 bits, the same
/// in every run (a collision among a relation's articles is vanishingly unlikely).
pub fn article_key(url: &str) -> u64 {
    url.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Days since 1970-01-01 (proleptic Gregorian), for cheap day arithmetic on every event.
fn day_number(day: Day) -> i32 {
    // Howard Hinnant's days_from_civil.
    let (y, m, d) = (i32::from(day.year()), i32::from(day.month()), i32::from(day.day()));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn from_day_number(n: i32) -> Day {
    // Howard Hinnant's civil_from_days.
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    // In range by construction: only numbers made from valid days come back here.
    Day::new(y as i16, m as i8, d as i8).expect("a day number made from a valid day")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn event(day: Day, id: &str) -> Event {
        Event {
            source: "A".into(),
            target: "B".into(),
            kind: RelationKind::Cooperation,
            day,
            id: id.into(),
            goldstein: Some(2.0),
            article: None,
        }
    }

    #[test]
    fn day_numbers_round_trip_and_count_days() {
        for d in [date(1970, 1, 1), date(2000, 2, 29), date(1816, 1, 1), date(2026, 12, 31), date(1, 1, 1)] {
            assert_eq!(from_day_number(day_number(d)), d);
        }
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(2000, 3, 1)) - day_number(date(2000, 2, 28)), 2);
    }

    #[test]
    fn events_within_the_gap_join_in_any_order() {
        let mut agg = Aggregator::new(7);
        // Out of order: 10th, 1st, 5th join; 20th is 10 days after the 10th: a new run;
        // then the 15th bridges the two.
        for (day, id) in [(10, "3"), (1, "1"), (5, "2"), (20, "5")] {
            agg.add(event(date(2025, 1, day), id));
        }
        let mut split = Aggregator::new(7);
        for (day, id) in [(10, "3"), (1, "1"), (5, "2"), (20, "5")] {
            split.add(event(date(2025, 1, day), id));
        }
        let runs = split.runs(7);
        assert_eq!(runs.len(), 2);
        assert_eq!(
            (runs[0].first, runs[0].last, runs[0].events.clone()),
            (date(2025, 1, 1), date(2025, 1, 10), vec!["1".to_string(), "2".into(), "3".into()])
        );
        assert_eq!((runs[1].first, runs[1].last), (date(2025, 1, 20), date(2025, 1, 20)));
        agg.add(event(date(2025, 1, 15), "4"));
        let runs = agg.runs(7);
        assert_eq!(runs.len(), 1, "the 15th is within 7 days of both");
        assert_eq!(
            (runs[0].first, runs[0].last, runs[0].events.len()),
            (date(2025, 1, 1), date(2025, 1, 20), 5)
        );
        assert_eq!(runs[0].goldstein_mean(), Some(2.0));
    }

    #[test]
    fn an_event_seen_twice_counts_once() {
        let mut agg = Aggregator::new(7);
        assert!(agg.add(event(date(2025, 1, 1), "1")));
        assert!(!agg.add(Event { goldstein: Some(-9.0), ..event(date(2025, 1, 1), "1") }));
        let runs = agg.runs(7);
        assert_eq!(runs[0].events, ["1"]);
        assert_eq!(runs[0].goldstein_mean(), Some(2.0), "the duplicate's score is not counted");
    }

    #[test]
    fn consecutive_days_join_even_with_gap_zero() {
        let mut agg = Aggregator::new(0);
        for day in [1, 2, 4] {
            agg.add(event(date(2025, 1, day), &day.to_string()));
        }
        let runs = agg.runs(0);
        assert_eq!(runs.iter().map(|r| (r.first.day(), r.last.day())).collect::<Vec<_>>(), [(1, 2), (4, 4)]);
    }

    #[test]
    fn pairs_and_kinds_aggregate_separately_and_come_out_sorted() {
        let mut agg = Aggregator::new(7);
        agg.add(Event { source: "B".into(), ..event(date(2025, 1, 1), "1") });
        agg.add(Event { kind: RelationKind::Dispute, ..event(date(2025, 1, 1), "2") });
        agg.add(event(date(2025, 1, 2), "3"));
        let runs = agg.runs(7);
        let keys: Vec<_> = runs.iter().map(|r| (r.source.as_str(), r.kind)).collect();
        assert_eq!(
            keys,
            [
                ("A", RelationKind::Cooperation),
                ("A", RelationKind::Dispute),
                ("B", RelationKind::Cooperation)
            ]
        );
    }
}
