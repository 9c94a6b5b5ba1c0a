//! What a series of frames holds, learnt one frame at a time before any is drawn: the actors
//! and pairs the shared layout must place, the largest frame, and each frame's summary line.

use std::collections::BTreeSet;

use crate::date::Day;
use crate::export::dot;
use crate::export::render::{self, RenderError};
use crate::model::{ActorIx, Dataset};
use crate::query::diff;
use crate::snapshot::{Options, Snapshot};

/// What the frames on a series of days hold. Taken one snapshot at a time (no more than two
/// are held at once), so that a long series at scale costs the memory of one frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    /// Every actor present on any of the days, in the dataset's order.
    pub actors: Vec<ActorIx>,
    /// Every pair related on any of the days, each unordered pair once, smaller index first.
    pub pairs: Vec<(ActorIx, ActorIx)>,
    /// The most actors on one day (to choose the layout engine and check the size).
    pub most_actors: usize,
    /// The most relation lines on one day.
    pub most_edges: usize,
    /// Each day's summary line: its counts, and from the second day on what changed since
    /// the day before ([`dot::frame_counts`], [`dot::changes_since`]).
    pub summaries: Vec<String>,
}

impl Survey {
    /// Surveys the frames on `days` (in order), taken with `options`. Linear in the days
    /// times the cost of one snapshot.
    ///
    /// # Errors
    /// [`RenderError::TooLarge`] for the first frame too large to draw
    /// ([`render::check_size`]), unless `allow_large`: the survey stops there, as at scale
    /// each further day costs seconds (and the union of the pairs, memory) for nothing.
    pub fn of(
        ds: &Dataset,
        days: &[Day],
        options: Options,
        allow_large: bool,
    ) -> Result<Survey, RenderError> {
        let mut seen = vec![false; ds.actors.len()];
        let mut pairs: BTreeSet<(ActorIx, ActorIx)> = BTreeSet::new();
        let (mut most_actors, mut most_edges) = (0, 0);
        let mut summaries = Vec::with_capacity(days.len());
        let mut previous: Option<Snapshot<'_>> = None;
        for &day in days {
            let s = Snapshot::at(ds, day, options);
            render::check_size(s.nodes.len(), s.edges.len(), allow_large)?;
            for n in &s.nodes {
                seen[n.actor.index()] = true;
            }
            pairs.extend(s.edges.iter().map(|e| (e.source.min(e.target), e.source.max(e.target))));
            most_actors = most_actors.max(s.nodes.len());
            most_edges = most_edges.max(s.edges.len());
            let mut summary = dot::frame_counts(&s);
            if let Some(before) = &previous {
                let changes = diff::between(before, &s, None);
                summary.push_str(&format!("; {}", dot::changes_since(before.window, &changes)));
            }
            summaries.push(summary);
            previous = Some(s);
        }
        let mut actors: Vec<ActorIx> =
            (0..ds.actors.len() as u32).map(ActorIx).filter(|a| seen[a.index()]).collect();
        actors.sort_unstable_by_key(|&a| ds.rank(a));
        Ok(Survey { actors, pairs: pairs.into_iter().collect(), most_actors, most_edges, summaries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The survey holds exactly the union of the days' snapshots, and their largest counts.
    #[test]
    fn a_survey_is_the_union_of_its_days() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/queries");
        let ds = crate::load::load(&dir).unwrap();
        let days: Vec<Day> = ["2019-08-23", "2025-06-15", "2025-11-12"]
            .iter()
            .map(|d| crate::date::parse_day(d).unwrap())
            .collect();
        let survey = Survey::of(&ds, &days, Options::default(), false).unwrap();
        let snaps: Vec<Snapshot<'_>> =
            days.iter().map(|&d| Snapshot::at(&ds, d, Options::default())).collect();
        let actors: BTreeSet<ActorIx> = snaps.iter().flat_map(|s| s.nodes.iter().map(|n| n.actor)).collect();
        let pairs: BTreeSet<(ActorIx, ActorIx)> = snaps
            .iter()
            .flat_map(|s| s.edges.iter().map(|e| (e.source.min(e.target), e.source.max(e.target))))
            .collect();
        assert_eq!(survey.actors.iter().copied().collect::<BTreeSet<_>>(), actors);
        assert_eq!(survey.pairs, pairs.into_iter().collect::<Vec<_>>());
        assert_eq!(survey.most_actors, snaps.iter().map(|s| s.nodes.len()).max().unwrap());
        assert_eq!(survey.most_edges, snaps.iter().map(|s| s.edges.len()).max().unwrap());
        assert_eq!(survey.summaries.len(), days.len());
        assert!(!survey.summaries[0].contains("since"));
        assert!(survey.summaries[1].contains("; since 2019-08-23"), "{}", survey.summaries[1]);
    }
}
