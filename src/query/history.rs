//! `timeline`: the dated record of one actor, or of one pair: every start and end in order,
//! and for a pair, its state (cooperating, restricted, disputed, contested) as periods.

use crate::contest::{self, Contest};
use crate::date::{Day, PartialDate, Status, OPEN_END};
use crate::model::{ActorIx, Dataset, Held, RelationIx, RelationKind};
use crate::snapshot::{Filter, Grouping};

/// A start or an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Event {
    // Ends sort before starts on the same day: intervals are half-open, so a relation that
    // ends on D is over before one that starts on D begins.
    End,
    Start,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Start => "start",
            Event::End => "end",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub date: PartialDate,
    pub event: Event,
    pub relation: RelationIx,
}

/// What holds between two actors over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct State {
    pub cooperating: bool,
    pub restricted: bool,
    pub disputed: bool,
    pub member: bool,
    /// A cooperation holds with a restriction that covers it ([`crate::contest`]).
    pub contested: bool,
}

impl State {
    /// `contested` when a cooperation is contested; otherwise the kinds that hold, joined
    /// with `+` (a restriction narrower than the cooperation gives `cooperating+restricted`);
    /// `none` when nothing does.
    pub fn label(self) -> String {
        if self.contested {
            let mut label = "contested".to_string();
            if self.disputed {
                label.push_str("+disputed");
            }
            return label;
        }
        let parts: Vec<&str> = [
            (self.cooperating, "cooperating"),
            (self.restricted, "restricted"),
            (self.disputed, "disputed"),
            (self.member, "member"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        if parts.is_empty() {
            "none".to_string()
        } else {
            parts.join("+")
        }
    }

    pub fn is_contested(self) -> bool {
        self.contested
    }

    fn add(&mut self, kind: RelationKind) {
        match kind {
            RelationKind::Cooperation => self.cooperating = true,
            RelationKind::Restriction => self.restricted = true,
            RelationKind::Dispute => self.disputed = true,
            RelationKind::Membership => self.member = true,
        }
    }
}

/// A stretch of days `[from, until)` over which the same state holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub from: Day,
    /// Exclusive; `None` when it is still going on.
    pub until: Option<Day>,
    pub state: State,
    /// False when the state rests on relations that are only possible.
    pub certain: bool,
    /// The relations holding during the period, in dataset order.
    pub relations: Vec<RelationIx>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub actor: ActorIx,
    pub other: Option<ActorIx>,
    pub entries: Vec<Entry>,
    /// For a pair only: its state as consecutive periods (empty for one actor).
    pub periods: Vec<Period>,
}

/// The other side of a relation in `actor`'s record: under [`Grouping::Countries`], its
/// country (for DNI → CIA in Colombia's record, the United States).
pub fn counterpart(dataset: &Dataset, grouping: Grouping, actor: ActorIx, relation: RelationIx) -> ActorIx {
    let rel = dataset.relation(relation);
    let (s, t) = (grouping.unit(dataset, rel.source), grouping.unit(dataset, rel.target));
    if s == actor {
        t
    } else {
        s
    }
}

/// The record of `actor` (with `other`: of the pair). Under [`Grouping::Countries`] an
/// actor stands for itself and everything below it, and relations inside it are left out.
/// `filter.kinds` selects the relations; `filter.strict` counts only active days in periods.
pub fn of(
    dataset: &Dataset,
    grouping: Grouping,
    filter: Filter,
    actor: ActorIx,
    other: Option<ActorIx>,
) -> History {
    let unit = |a| grouping.unit(dataset, a);
    let relations: Vec<RelationIx> = (0..dataset.relations.len() as u32)
        .map(RelationIx)
        .filter(|&r| {
            let rel = dataset.relation(r);
            let (s, t) = (unit(rel.source), unit(rel.target));
            filter.kinds.contains(rel.kind)
                && s != t
                && match other {
                    None => s == actor || t == actor,
                    Some(o) => (s == actor && t == o) || (s == o && t == actor),
                }
        })
        .collect();
    let mut entries: Vec<Entry> = Vec::new();
    for &r in &relations {
        let rel = dataset.relation(r);
        entries.push(Entry { date: rel.start, event: Event::Start, relation: r });
        if let Some(end) = rel.end {
            entries.push(Entry { date: end, event: Event::End, relation: r });
        }
    }
    entries.sort_by_key(|e| (e.date.first(), e.date.precision(), e.event, e.relation));
    let periods = if other.is_some() { periods(dataset, &relations, filter.strict) } else { Vec::new() };
    History { actor, other, entries, periods }
}

/// The state of a set of relations (usually one pair's) as periods: consecutive days with
/// the same state and the same relations holding are one period, so that no relation is
/// listed in a period before it started or after it ended. Days with no relation holding are
/// left out. A cooperation of the set is contested by any restriction of the dataset that
/// covers it ([`crate::contest`]), such as an order between the two ends' countries; such a
/// restriction is listed with the period's relations while it contests one of them.
pub fn periods(dataset: &Dataset, relations: &[RelationIx], strict: bool) -> Vec<Period> {
    let contests = covering(dataset, relations);
    let mut bounds: Vec<Day> = relations
        .iter()
        .chain(contests.iter().map(|c| &c.restriction))
        .flat_map(|&r| {
            let s = dataset.relation(r).span;
            [s.possible_from, s.active_from, s.active_until, s.possible_until]
        })
        .filter(|&d| d != OPEN_END)
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let counts = |status: Option<Status>, strict: bool| match status {
        Some(Status::Active) => true,
        Some(Status::Possible) => !strict,
        None => false,
    };
    let mut periods: Vec<Period> = Vec::new();
    for (i, &from) in bounds.iter().enumerate() {
        let until = bounds.get(i + 1).copied();
        // Every status is constant between two bounds, so the first day stands for the span.
        let mut state = State::default();
        let mut certain_state = State::default();
        let mut holding = Vec::new();
        let status = |r: RelationIx| dataset.relation(r).span.status_on(from);
        for &r in relations {
            let rel = dataset.relation(r);
            if counts(status(r), strict) {
                state.add(rel.kind);
                holding.push(r);
                if counts(status(r), true) {
                    certain_state.add(rel.kind);
                }
            }
        }
        for c in &contests {
            if counts(status(c.cooperation), strict) && counts(status(c.restriction), strict) {
                state.contested = true;
                holding.push(c.restriction);
                certain_state.contested |=
                    counts(status(c.cooperation), true) && counts(status(c.restriction), true);
            }
        }
        if holding.is_empty() {
            continue;
        }
        holding.sort_unstable();
        holding.dedup();
        let certain = state == certain_state;
        match periods.last_mut() {
            Some(last)
                if last.until == Some(from)
                    && last.state == state
                    && last.certain == certain
                    && last.relations == holding =>
            {
                last.until = until;
            }
            _ => periods.push(Period { from, until, state, certain, relations: holding }),
        }
    }
    periods
}

/// The contests of the cooperations among `relations` with any restriction of the dataset
/// that covers them, whenever they hold.
fn covering(dataset: &Dataset, relations: &[RelationIx]) -> Vec<Contest> {
    let held = |r: RelationIx| {
        let rel = dataset.relation(r);
        Held {
            relation: r,
            source: rel.source,
            target: rel.target,
            kind: rel.kind,
            directed: rel.directed,
            status: Status::Active,
        }
    };
    let mut candidates: Vec<Held> = relations
        .iter()
        .copied()
        .filter(|&r| dataset.relation(r).kind == RelationKind::Cooperation)
        .map(held)
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    candidates.extend(
        (0..dataset.relations.len() as u32)
            .map(RelationIx)
            .filter(|&r| dataset.relation(r).kind == RelationKind::Restriction)
            .map(held),
    );
    contest::candidates(dataset, &candidates)
}
