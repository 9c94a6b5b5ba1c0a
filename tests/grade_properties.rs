//! Property tests for grades and the grade filter: a dataset filtered by grade
//! (`Dataset::graded`, what every command reads) holds exactly the relations that a
//! brute-force reading of the grading rule keeps, its snapshots are those of the dataset
//! built from those relations alone (the input CSV filtered first), and what it leaves out is
//! counted.

#[allow(dead_code, unused_imports)]
mod common;

use common::{dataset, edge_views, Data, Shape};
use georel::model::{Credibility, Dataset, GradeFilter, Notes, Relation, Reliability, Source, SourceIx};
use georel::snapshot::{Options, Snapshot};
use jiff::civil::Date;
use proptest::prelude::*;
use proptest::sample::{select, Index};

const SHAPE: Shape = Shape {
    years: 2018..=2021,
    relations: &[(1, 0..=40)],
    recipes: [6, 3, 3, 2, 1],
    parent: 0.5,
    without_actors: 0.1,
};

/// Each relation's evidence (indexes into the sources) and credibility.
type Grading = Vec<(Vec<Index>, Option<Credibility>)>;

fn grading() -> impl Strategy<Value = Grading> {
    proptest::collection::vec(
        (
            proptest::collection::vec(any::<Index>(), 0..3),
            proptest::option::of(select(Credibility::ALL.to_vec())),
        ),
        40,
    )
}

fn sources() -> impl Strategy<Value = Vec<Option<Reliability>>> {
    proptest::collection::vec(proptest::option::of(select(Reliability::ALL.to_vec())), 0..5)
}

fn filter() -> impl Strategy<Value = GradeFilter> {
    (select(Reliability::ALL.to_vec()), select(Credibility::ALL.to_vec()))
        .prop_map(|(min_reliability, min_credibility)| GradeFilter { min_reliability, min_credibility })
}

/// The dataset with sources of the given reliabilities, and each relation given evidence and
/// a credibility.
fn graded_input(data: Data, reliabilities: &[Option<Reliability>], grading: &Grading) -> Dataset {
    let Data(ds) = data;
    let sources: Vec<Source> = reliabilities
        .iter()
        .enumerate()
        .map(|(i, &reliability)| Source {
            id: format!("s{i}").into(),
            title: "".into(),
            publisher: "".into(),
            published: None,
            url: "".into(),
            reliability,
        })
        .collect();
    let relations: Vec<Relation> = ds
        .relations
        .iter()
        .zip(grading.iter().cycle())
        .map(|(r, (evidence, credibility))| {
            let evidence: Vec<SourceIx> = if sources.is_empty() {
                Vec::new()
            } else {
                evidence.iter().map(|i| SourceIx(i.index(sources.len()) as u32)).collect()
            };
            Relation { credibility: *credibility, notes: Notes::new(evidence, "".into()), ..r.clone() }
        })
        .collect();
    Dataset::new(ds.actors, sources, relations)
}

/// The grading rule read literally: the best (lowest) reliability of the relation's sources,
/// `F` when none is graded; the credibility, `6` when not given; kept when both are at most
/// the filter's.
fn kept_by_brute_force(ds: &Dataset, r: &Relation, filter: GradeFilter) -> bool {
    let mut best = 5usize;
    for s in r.evidence() {
        if let Some(rel) = ds.source(*s).reliability {
            best = best.min(rel as usize);
        }
    }
    let credibility = r.credibility.map_or(6, |c| c as usize + 1);
    best <= filter.min_reliability as usize && credibility <= filter.min_credibility as usize + 1
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn filtering_by_grade_is_filtering_the_input_first(
        data in dataset(SHAPE),
        reliabilities in sources(),
        grading in grading(),
        filter in filter(),
        days in proptest::collection::vec(common::random_day(Date::new(2017, 7, 1).unwrap(), 365 * 5), 4),
    ) {
        let input = graded_input(data, &reliabilities, &grading);
        let kept: Vec<Relation> =
            input.relations.iter().filter(|r| kept_by_brute_force(&input, r, filter)).cloned().collect();
        let left = input.relations.len() - kept.len();
        let first = Dataset::new(input.actors.clone(), input.sources.clone(), kept);
        let graded = Dataset::new(input.actors.clone(), input.sources.clone(), input.relations.clone()).graded(filter);
        prop_assert_eq!(&graded.relations, &first.relations);
        prop_assert_eq!(graded.graded_out().relations.len(), left);
        for day in days {
            let a = Snapshot::at(&graded, day, Options::default());
            let b = Snapshot::at(&first, day, Options::default());
            prop_assert_eq!(edge_views(&a), edge_views(&b));
            let on_day = input
                .relations
                .iter()
                .filter(|r| !kept_by_brute_force(&input, r, filter) && r.span.status_on(day).is_some())
                .count();
            let note = graded.graded_out().note_on(georel::date::Window::day(day));
            prop_assert_eq!(note.is_empty(), on_day == 0);
            if on_day > 0 {
                let counted = format!(" ({on_day} left out by grade:");
                prop_assert!(note.starts_with(&counted), "{}", note);
            }
        }
        // The filter that keeps everything changes nothing.
        let all = Dataset::new(input.actors.clone(), input.sources.clone(), input.relations.clone())
            .graded(GradeFilter::default());
        prop_assert_eq!(&all.relations, &input.relations);
    }
}
