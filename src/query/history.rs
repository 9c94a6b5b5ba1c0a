//! `timeline`: the dated record of one actor, or of one pair: every start and end in order,
//! and for a pair, its state (cooperating, restricted, disputed, contested) as periods.

use crate::date::{Day, PartialDate, Status, OPEN_END};
use crate::model::{ActorIx, Dataset, RelationIx, RelationKind};
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
}

impl State {
    /// `contested` when cooperation and restriction both hold; otherwise the kinds that hold,
    /// joined with `+`; `none` when nothing does.
    pub fn label(self) -> String {
        if self.cooperating && self.restricted {
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
        self.cooperating && self.restricted
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
/// left out.
pub fn periods(dataset: &Dataset, relations: &[RelationIx], strict: bool) -> Vec<Period> {
    let mut bounds: Vec<Day> = relations
        .iter()
        .flat_map(|&r| {
            let s = dataset.relation(r).span;
            [s.possible_from, s.active_from, s.active_until, s.possible_until]
        })
        .filter(|&d| d != OPEN_END)
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut periods: Vec<Period> = Vec::new();
    for (i, &from) in bounds.iter().enumerate() {
        let until = bounds.get(i + 1).copied();
        // Every status is constant between two bounds, so the first day stands for the span.
        let mut state = State::default();
        let mut certain_state = State::default();
        let mut holding = Vec::new();
        for &r in relations {
            let rel = dataset.relation(r);
            match rel.span.status_on(from) {
                Some(Status::Active) => {
                    state.add(rel.kind);
                    certain_state.add(rel.kind);
                    holding.push(r);
                }
                Some(Status::Possible) if !strict => {
                    state.add(rel.kind);
                    holding.push(r);
                }
                _ => {}
            }
        }
        if holding.is_empty() {
            continue;
        }
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
