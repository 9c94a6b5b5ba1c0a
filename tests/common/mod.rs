//! What the property tests (`properties.rs` and `query_properties.rs`) share: random
//! datasets built through the public API, the days their queries use, and small helpers of
//! their brute-force models.
//!
//! A random dataset has 2–9 actors with random kinds and parent chains, and relations made by
//! [`Recipe`]s so that overlaps, touching intervals, duplicates on one pair, memberships and
//! strains between members of one group are frequent. What differs between the two files
//! (the years dates are drawn from, how many relations, how often each recipe and parent
//! links are used, datasets without actors.csv) is a [`Shape`].
//!
//! Each test file compiles this module on its own (`mod common;`), and each uses every item
//! here, so nothing needs `#[allow(dead_code)]`.

use std::fmt;
use std::ops::RangeInclusive;

use georel::date::{Day, PartialDate, Precision, Span, Status};
use georel::model::{
    Actor, ActorIx, ActorKind, Dataset, KindSet, Notes, Relation, RelationId, RelationIx, RelationKind,
};
use georel::snapshot::{Grouping, Snapshot};
use jiff::civil::Date;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::Union;

#[path = "../days/mod.rs"]
mod days;
pub use days::{bound_days, shift};

// ---------------------------------------------------------------------------------------------
// Days and dates
// ---------------------------------------------------------------------------------------------

pub fn ymd(y: i16, m: i8, d: i8) -> Day {
    Date::new(y, m, d).unwrap()
}

pub fn days_in_month(year: i16, month: i8) -> i8 {
    ymd(year, month, 1).days_in_month()
}

/// The text of a date at the given precision; `day_sel` 0 means the 1st, values past the
/// month's end mean its last day (so both month bounds are frequent).
fn date_text(year: i16, month: i8, day_sel: i8, precision: Precision) -> String {
    let last = days_in_month(year, month);
    let day = match day_sel {
        0 => 1,
        d if d > last => last,
        d => d,
    };
    match precision {
        Precision::Year => format!("{year:04}"),
        Precision::Month => format!("{year:04}-{month:02}"),
        Precision::Day => format!("{year:04}-{month:02}-{day:02}"),
    }
}

/// A valid partial date with a year in `years`, at a random precision, with its text.
pub fn partial_date(years: RangeInclusive<i16>) -> impl Strategy<Value = (String, PartialDate)> {
    let precision = prop_oneof![Just(Precision::Year), Just(Precision::Month), Just(Precision::Day)];
    (years, 1..=12i8, 0..=31i8, precision).prop_map(|(y, m, d, p)| {
        let text = date_text(y, m, d, p);
        let date = PartialDate::parse(&text).expect("generated dates are valid");
        (text, date)
    })
}

/// A date in the window where relations are generated (a [`Shape`]'s years).
pub fn window_date(years: RangeInclusive<i16>) -> impl Strategy<Value = PartialDate> {
    partial_date(years).prop_map(|(_, d)| d)
}

/// A random day: one of the `count` days from `from` on.
pub fn random_day(from: Day, count: i32) -> impl Strategy<Value = Day> {
    (0..count).prop_map(move |offset| shift(from, offset))
}

/// Which day a query uses: a relation bound (or the day before or after one), or any day.
#[derive(Debug, Clone)]
pub enum DayPick {
    Bound(Index),
    Random(Day),
}

/// A bound day two times in three, else a day from `random`.
pub fn day_pick(random: impl Strategy<Value = Day>) -> impl Strategy<Value = DayPick> {
    prop_oneof![
        2 => any::<Index>().prop_map(DayPick::Bound),
        1 => random.prop_map(DayPick::Random),
    ]
}

/// The day a pick means, given the dataset's [`bound_days`].
pub fn pick_day(bounds: &[Day], pick: &DayPick) -> Day {
    match pick {
        DayPick::Bound(i) => bounds[i.index(bounds.len())],
        DayPick::Random(d) => *d,
    }
}

// ---------------------------------------------------------------------------------------------
// Random datasets
// ---------------------------------------------------------------------------------------------

/// What the two files' random datasets differ in.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The years relation dates are drawn from (relations made to touch others may start on
    /// the 1st of January after them).
    pub years: RangeInclusive<i16>,
    /// How many relations are tried, as weighted ranges (some cannot be made and are
    /// dropped).
    pub relations: &'static [(u32, RangeInclusive<usize>)],
    /// The weights of the recipes: fresh, touching, duplicate, member, strain.
    pub recipes: [u32; 5],
    /// The chance that an actor (other than the first) has a parent.
    pub parent: f64,
    /// The chance of a dataset without actors.csv: every actor of unknown kind, no parents.
    pub without_actors: f64,
}

pub fn relation_kind() -> impl Strategy<Value = RelationKind> {
    select(RelationKind::ALL.to_vec())
}

fn actor_kind() -> impl Strategy<Value = ActorKind> {
    prop_oneof![
        3 => Just(ActorKind::Country),
        2 => Just(ActorKind::Agency),
        2 => Just(ActorKind::Alliance),
        1 => Just(ActorKind::Agreement),
        1 => Just(ActorKind::Organisation),
        1 => Just(ActorKind::Person),
    ]
}

/// How one generated relation is made.
#[derive(Debug, Clone)]
enum Recipe {
    /// Any pair, any kind, any dates.
    Fresh {
        pair: (Index, Index),
        kind: RelationKind,
        directed: bool,
        start: PartialDate,
        end: Option<PartialDate>,
    },
    /// Starts where an earlier relation ends: at its end date as written, or on the first
    /// day after its possible period. Same pair or another.
    Touching {
        of: Index,
        same_pair: bool,
        pair: (Index, Index),
        after_possible: bool,
        kind: RelationKind,
        directed: bool,
        end: Option<PartialDate>,
    },
    /// The same pair and dates as an earlier relation, with any kind.
    Duplicate { of: Index, kind: RelationKind, reversed: bool },
    /// A membership of some actor in an alliance, agreement or organisation.
    Member { group: Index, member: Index, directed: bool, start: PartialDate, end: Option<PartialDate> },
    /// A restriction or dispute between two actors that are members of the same group (or
    /// between one of their dependants and the other), so that fractures are frequent.
    Strain {
        of: Index,
        other: Index,
        dependant: Option<Index>,
        dispute: bool,
        directed: bool,
        /// None: the later of the two memberships' starts, so that all three overlap often.
        start: Option<PartialDate>,
        end: Option<PartialDate>,
    },
}

fn recipe(years: RangeInclusive<i16>, weights: [u32; 5]) -> impl Strategy<Value = Recipe> {
    let date = move || window_date(years.clone());
    let pair = (any::<Index>(), any::<Index>());
    let fresh =
        (pair.clone(), relation_kind(), any::<bool>(), date(), proptest::option::weighted(0.7, date()))
            .prop_map(|(pair, kind, directed, start, end)| Recipe::Fresh {
                pair,
                kind,
                directed,
                start,
                end,
            });
    let touching =
        (
            any::<Index>(),
            any::<bool>(),
            pair,
            any::<bool>(),
            relation_kind(),
            any::<bool>(),
            proptest::option::weighted(0.6, date()),
        )
            .prop_map(|(of, same_pair, pair, after_possible, kind, directed, end)| {
                Recipe::Touching { of, same_pair, pair, after_possible, kind, directed, end }
            });
    let duplicate = (any::<Index>(), relation_kind(), any::<bool>())
        .prop_map(|(of, kind, reversed)| Recipe::Duplicate { of, kind, reversed });
    let member = (
        any::<Index>(),
        any::<Index>(),
        proptest::bool::weighted(0.85),
        date(),
        proptest::option::weighted(0.5, date()),
    )
        .prop_map(|(group, member, directed, start, end)| Recipe::Member {
            group,
            member,
            directed,
            start,
            end,
        });
    let strain = (
        (any::<Index>(), any::<Index>(), proptest::option::of(any::<Index>())),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(date()),
        proptest::option::weighted(0.6, date()),
    )
        .prop_map(|((of, other, dependant), dispute, directed, start, end)| Recipe::Strain {
            of,
            other,
            dependant,
            dispute,
            directed,
            start,
            end,
        });
    let [w_fresh, w_touching, w_duplicate, w_member, w_strain] = weights;
    prop_oneof![
        w_fresh => fresh,
        w_touching => touching,
        w_duplicate => duplicate,
        w_member => member,
        w_strain => strain,
    ]
}

/// Two different actors out of `n`.
pub fn pick_pair(n: usize, (a, b): &(Index, Index)) -> (ActorIx, ActorIx) {
    let source = a.index(n);
    let target = (source + 1 + b.index(n - 1)) % n;
    (ActorIx(source as u32), ActorIx(target as u32))
}

/// What a membership may point at (the loader's rule).
fn can_be_joined(kind: ActorKind) -> bool {
    matches!(kind, ActorKind::Alliance | ActorKind::Agreement | ActorKind::Organisation | ActorKind::Unknown)
}

fn build_relations(actors: &[Actor], recipes: &[Recipe]) -> Vec<Relation> {
    let n = actors.len();
    let groups: Vec<usize> = (0..n).filter(|&i| can_be_joined(actors[i].kind)).collect();
    let mut relations: Vec<Relation> = Vec::new();
    for recipe in recipes {
        let made = match recipe {
            Recipe::Fresh { pair, kind, directed, start, end } => {
                let (s, t) = pick_pair(n, pair);
                Some((s, t, *kind, *directed, *start, *end))
            }
            Recipe::Touching { of, same_pair, pair, after_possible, kind, directed, end } => {
                // Only relations with an end can be touched.
                let ended: Vec<&Relation> = relations.iter().filter(|r| r.end.is_some()).collect();
                if ended.is_empty() {
                    None
                } else {
                    let prev = ended[of.index(ended.len())];
                    let start = if *after_possible {
                        PartialDate::day(prev.span.possible_until)
                    } else {
                        prev.end.unwrap()
                    };
                    let (s, t) = if *same_pair { (prev.source, prev.target) } else { pick_pair(n, pair) };
                    Some((s, t, *kind, *directed, start, *end))
                }
            }
            Recipe::Duplicate { of, kind, reversed } => {
                if relations.is_empty() {
                    None
                } else {
                    let prev = &relations[of.index(relations.len())];
                    let (s, t) =
                        if *reversed { (prev.target, prev.source) } else { (prev.source, prev.target) };
                    Some((s, t, *kind, prev.directed, prev.start, prev.end))
                }
            }
            Recipe::Member { group, member, directed, start, end } => {
                if groups.is_empty() {
                    None
                } else {
                    let g = groups[group.index(groups.len())];
                    let m = (g + 1 + member.index(n - 1)) % n;
                    let (s, t) = (ActorIx(m as u32), ActorIx(g as u32));
                    Some((s, t, RelationKind::Membership, *directed, *start, *end))
                }
            }
            Recipe::Strain { of, other, dependant, dispute, directed, start, end } => {
                let memberships: Vec<&Relation> =
                    relations.iter().filter(|r| r.kind == RelationKind::Membership).collect();
                if memberships.is_empty() {
                    None
                } else {
                    let a = memberships[of.index(memberships.len())];
                    let fellows: Vec<&Relation> = memberships
                        .iter()
                        .copied()
                        .filter(|r| r.target == a.target && r.source != a.source)
                        .collect();
                    if fellows.is_empty() {
                        None
                    } else {
                        let b = fellows[other.index(fellows.len())];
                        let mut source = a.source;
                        // Perhaps a dependant of the member instead of the member itself.
                        if let Some(d) = dependant {
                            let kids: Vec<usize> =
                                (0..n).filter(|&k| actors[k].parent == Some(a.source)).collect();
                            if !kids.is_empty() {
                                source = ActorIx(kids[d.index(kids.len())] as u32);
                            }
                        }
                        let kind = if *dispute { RelationKind::Dispute } else { RelationKind::Restriction };
                        let start = start.unwrap_or(if a.start.first() > b.start.first() {
                            a.start
                        } else {
                            b.start
                        });
                        (source != b.source).then_some((source, b.source, kind, *directed, start, *end))
                    }
                }
            }
        };
        let Some((source, target, mut kind, directed, start, end)) = made else { continue };
        // The loader rejects a membership of anything but a group: make it a cooperation.
        if kind == RelationKind::Membership && !can_be_joined(actors[target.index()].kind) {
            kind = RelationKind::Cooperation;
        }
        // The loader rejects relations that could never hold: try the dates the other way
        // round (keeping more relations makes for denser graphs), else drop it.
        let (start, end, span) = match (Span::new(start, end), end) {
            (Ok(span), _) => (start, end, span),
            (Err(_), Some(e)) => match Span::new(e, Some(start)) {
                Ok(span) => (e, Some(start), span),
                Err(_) => continue,
            },
            (Err(_), None) => continue,
        };
        // Both kinds of id the loader gives: a line number, or a name.
        let i = relations.len() as u32;
        relations.push(Relation {
            id: if i.is_multiple_of(3) {
                RelationId::Line(i + 2)
            } else {
                RelationId::Named(format!("r{i}").into())
            },
            source,
            target,
            kind,
            directed,
            start,
            end,
            span,
            notes: Notes::new(Vec::new(), "".into()),
            credibility: None,
        });
    }
    relations
}

/// A generated dataset, printed compactly when a property fails.
pub struct Data(pub Dataset);

impl fmt::Debug for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ds = &self.0;
        writeln!(f, "actors:")?;
        for (i, a) in ds.actors.iter().enumerate() {
            let parent = a.parent.map(|p| format!(" parent {:?}", &*ds.actor(p).id)).unwrap_or_default();
            writeln!(f, "  #{i} {:?} {}{parent}", &*a.id, a.kind)?;
        }
        writeln!(f, "relations:")?;
        for (i, r) in ds.relations.iter().enumerate() {
            let end = r.end.map(|e| e.to_string()).unwrap_or_else(|| "open".into());
            let arrow = if r.directed { "->" } else { "--" };
            writeln!(
                f,
                "  #{i} {:?} {arrow} {:?} {} {} .. {end}",
                &*ds.actor(r.source).id,
                &*ds.actor(r.target).id,
                r.kind,
                r.start
            )?;
        }
        Ok(())
    }
}

/// Distinct actor ids whose sort order differs from their index order.
const ACTOR_IDS: [&str; 9] = ["b", "A", "Z", "aa", "0", "é", "a", "B", "c"];

/// A random dataset of the given shape. Memberships point at alliances, agreements or
/// organisations (or at actors of unknown kind, in datasets without actors.csv), as the
/// loader requires.
pub fn dataset(shape: Shape) -> impl Strategy<Value = Data> {
    let recipes = Union::new_weighted(
        shape
            .relations
            .iter()
            .map(|(weight, count)| {
                (
                    *weight,
                    proptest::collection::vec(recipe(shape.years.clone(), shape.recipes), count.clone()),
                )
            })
            .collect(),
    );
    (
        2usize..=ACTOR_IDS.len(),
        Just(ACTOR_IDS.to_vec()).prop_shuffle(),
        // A dataset without actors.csv: every actor of unknown kind, and no parents.
        proptest::bool::weighted(shape.without_actors),
        proptest::collection::vec(
            (actor_kind(), proptest::option::weighted(shape.parent, any::<Index>())),
            ACTOR_IDS.len(),
        ),
        recipes,
    )
        .prop_map(|(n, ids, unknown, specs, recipes)| {
            let actors: Vec<Actor> = (0..n)
                .map(|i| {
                    let (kind, parent) = specs[i];
                    Actor {
                        id: ids[i].into(),
                        name: ids[i].into(),
                        kind: if unknown { ActorKind::Unknown } else { kind },
                        // Only an earlier actor, so that parent chains are acyclic (as the
                        // loader guarantees); chains may be several levels deep.
                        parent: parent.filter(|_| i > 0 && !unknown).map(|p| ActorIx(p.index(i) as u32)),
                        aliases: Box::new([]),
                    }
                })
                .collect();
            let relations = build_relations(&actors, &recipes);
            Data(Dataset::new(actors, Vec::new(), relations))
        })
}

/// The kinds whose bits are set in `mask` (in the order of `RelationKind::ALL`).
pub fn kind_set(mask: u8) -> KindSet {
    RelationKind::ALL.into_iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, k)| k).collect()
}

// ---------------------------------------------------------------------------------------------
// For the brute-force models
// ---------------------------------------------------------------------------------------------

/// The top-level ancestor, found by walking the parent chain.
pub fn top(ds: &Dataset, mut a: ActorIx) -> ActorIx {
    while let Some(p) = ds.actor(a).parent {
        a = p;
    }
    a
}

/// The node an actor is part of: itself, or by country its top-level ancestor.
pub fn unit(ds: &Dataset, grouping: Grouping, a: ActorIx) -> ActorIx {
    match grouping {
        Grouping::Actors => a,
        Grouping::Countries => top(ds, a),
    }
}

/// An edge as a model expects it: its ends, kind, direction, status, contested flag and
/// member relations (with their own status, in dataset order).
pub type EdgeView = (ActorIx, ActorIx, RelationKind, bool, Status, bool, Vec<(RelationIx, Status)>);

/// What relations merge into one edge by: source, target, kind, directed.
pub type EdgeKey = (ActorIx, ActorIx, RelationKind, bool);

/// A snapshot's edges as views, sorted, for comparison as a set.
pub fn edge_views(snap: &Snapshot<'_>) -> Vec<EdgeView> {
    let mut got: Vec<EdgeView> = snap
        .edges
        .iter()
        .map(|e| {
            let members = snap.members(e).iter().map(|m| (m.relation, m.status)).collect();
            (e.source, e.target, e.kind, e.directed, e.status, e.contested, members)
        })
        .collect();
    got.sort();
    got
}

/// Whether `a` is `big` or a descendant of it (README: "within").
pub fn is_within(ds: &Dataset, mut a: ActorIx, big: ActorIx) -> bool {
    for _ in 0..=ds.actors.len() {
        if a == big {
            return true;
        }
        match ds.actor(a).parent {
            Some(p) => a = p,
            None => return false,
        }
    }
    false
}

/// Whether restriction `r` covers the ordered pair (a, b).
pub fn covers(ds: &Dataset, r: &Relation, a: ActorIx, b: ActorIx) -> bool {
    (is_within(ds, a, r.source) && is_within(ds, b, r.target))
        || (!r.directed && is_within(ds, a, r.target) && is_within(ds, b, r.source))
}
