//! `timeline`: the dated record of one actor, or of one pair: every start and end in order,
//! and for a pair, its state (cooperating, restricted, disputed, contested) as periods.
//!
//! A record holds what lies within its actors (see [`Reach`]): Colombia's record holds the
//! DNI's relations, and the Colombia–United States record the White House's sanctions on
//! Petro. Which relations a record holds is decided here ([`of`]); how a set of relations
//! makes a pair's state is [`periods`]'s business.

use crate::contest::{self, Contest};
use crate::date::{Day, PartialDate, Precision, Status};
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

/// Which relations a record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reach {
    /// Those of every actor within the record's actors (the actor itself or a descendant in
    /// the `parent` chain). For a pair A, B: every relation between an actor within A and
    /// one within B, either way. When B is within A, A's side is what lies within A but not
    /// within B (the record of Colombia and its DNI is between the DNI's side and the rest
    /// of Colombia). For one actor, relations among actors within it are held too, marked
    /// [`Entry::inside`].
    #[default]
    Within,
    /// Only those whose ends are the actors themselves (`--exact`): for a pair, A and B; for
    /// one actor, A and anyone.
    Exact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub date: PartialDate,
    pub event: Event,
    pub relation: RelationIx,
    /// The relation's end on the record's side: the actor itself, or the actor within it
    /// through which the relation is in the record (for Colombia's record, the DNI of
    /// DNI–CIA). The source when the relation is [`Entry::inside`].
    pub near: ActorIx,
    /// The other end (within the other actor, for a pair).
    pub far: ActorIx,
    /// Both ends are within the record's one actor (CIA → FBI in the United States' record).
    pub inside: bool,
}

impl Entry {
    /// The ends of the relation that stand in for the record's actors, in the order near,
    /// far: those that are not the actors themselves. Empty for a relation of the actors
    /// themselves, and for one [`Entry::inside`] (both ends stand in for the one actor);
    /// for one actor, the far end is the counterpart, never a stand-in.
    pub fn via(&self, history: &History) -> Vec<ActorIx> {
        let mut via = Vec::new();
        if self.inside {
            return via;
        }
        if self.near != history.actor {
            via.push(self.near);
        }
        if history.other.is_some_and(|o| self.far != o) {
            via.push(self.far);
        }
        via
    }
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
    /// Which relations it holds.
    pub reach: Reach,
    pub grouping: Grouping,
    pub entries: Vec<Entry>,
    /// For a pair only: its state as consecutive periods (empty for one actor).
    pub periods: Vec<Period>,
}

/// The other side of an entry's relation: its far end, or under [`Grouping::Countries`] its
/// country (for DNI → CIA in Colombia's record, the United States).
pub fn counterpart(dataset: &Dataset, grouping: Grouping, entry: &Entry) -> ActorIx {
    grouping.unit(dataset, entry.far)
}

/// The record of `actor` (with `other`: of the pair), holding the relations that `reach`
/// says. Under [`Grouping::Countries`] an actor stands for itself and everything below it
/// (so [`Reach::Within`] changes nothing there), and relations inside it are left out.
/// `filter.kinds` selects the relations; `filter.strict` counts only active days in periods.
///
/// O(n + r) for n actors and r relations, plus sorting the entries.
pub fn of(
    dataset: &Dataset,
    grouping: Grouping,
    filter: Filter,
    reach: Reach,
    actor: ActorIx,
    other: Option<ActorIx>,
) -> History {
    let sides = Sides::new(dataset, grouping, reach, actor, other);
    let mut relations: Vec<RelationIx> = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    for (i, rel) in dataset.relations.iter().enumerate() {
        if !filter.kinds.contains(rel.kind) {
            continue;
        }
        let Some((near, far, inside)) = sides.ends(dataset, rel.source, rel.target) else { continue };
        let r = RelationIx(i as u32);
        relations.push(r);
        let mut entry = Entry { date: rel.start, event: Event::Start, relation: r, near, far, inside };
        entries.push(entry);
        if let Some(end) = rel.end {
            entry.date = end;
            entry.event = Event::End;
            entries.push(entry);
        }
    }
    entries.sort_by_key(|e| (order(dataset, e), e.relation));
    let periods = if other.is_some() { periods(dataset, &relations, filter.strict) } else { Vec::new() };
    History { actor, other, reach, grouping, entries, periods }
}

/// Which actors stand on each side of a record: the one reading of [`Reach`] by which [`of`]
/// lists a record and [`left_out_note`] counts what the grade filter left out of it.
#[derive(Debug, Clone)]
pub struct Sides {
    grouping: Grouping,
    near: Vec<bool>,
    far: Option<Vec<bool>>,
}

impl Sides {
    /// The sides of the record of `actor` (with `other`: of the pair). O(n) for n actors.
    pub fn new(
        dataset: &Dataset,
        grouping: Grouping,
        reach: Reach,
        actor: ActorIx,
        other: Option<ActorIx>,
    ) -> Sides {
        // By country an actor is already merged with everything within it: its own
        // relations are those of everything within it.
        let side = |a: ActorIx| match reach {
            Reach::Within => dataset.within(a),
            Reach::Exact if grouping == Grouping::Countries => dataset.within(a),
            Reach::Exact => {
                let mut marks = vec![false; dataset.actors.len()];
                marks[a.index()] = true;
                marks
            }
        };
        let mut near = side(actor);
        let far = other.map(|o| {
            let mut far = side(o);
            // Nested (the DNI within Colombia): an actor within both belongs to the narrower
            // side, so that a relation has one end on each side or is not the pair's.
            let (wide, narrow) = if far[actor.index()] { (&mut far, &near) } else { (&mut near, &far) };
            for (w, n) in wide.iter_mut().zip(narrow) {
                *w &= !*n;
            }
            far
        });
        Sides { grouping, near, far }
    }

    /// The record's ends of a relation from `source` to `target` (the end on the actor's
    /// side, the other end, and whether both lie within the one actor), or `None` when the
    /// record does not hold it.
    pub fn ends(
        &self,
        dataset: &Dataset,
        source: ActorIx,
        target: ActorIx,
    ) -> Option<(ActorIx, ActorIx, bool)> {
        if self.grouping.unit(dataset, source) == self.grouping.unit(dataset, target) {
            return None;
        }
        let (s, t) = (source, target);
        let (sn, tn) = (self.near[s.index()], self.near[t.index()]);
        match &self.far {
            Some(far) if sn && far[t.index()] => Some((s, t, false)),
            Some(far) if tn && far[s.index()] => Some((t, s, false)),
            Some(_) => None,
            None if sn && tn => Some((s, t, true)),
            None if sn => Some((s, t, false)),
            None if tn => Some((t, s, false)),
            None => None,
        }
    }
}

/// The note a record's summary ends with on the relations the grade filter left out of it
/// (` (2 left out by grade: below reliability C)`): those the record would hold ([`Sides`]) and, for
/// one actor, the claims it made ([`claims`]).
pub fn left_out_note(dataset: &Dataset, history: &History) -> String {
    let sides = Sides::new(dataset, history.grouping, history.reach, history.actor, history.other);
    let unit = |a| history.grouping.unit(dataset, a);
    let claimed = |c: Option<ActorIx>| history.other.is_none() && c.is_some_and(|c| unit(c) == history.actor);
    dataset.graded_out().note(|r| sides.ends(dataset, r.source, r.target).is_some() || claimed(r.claimant))
}

/// Where an entry goes in a record: by day, ends before starts on the same day (intervals are
/// half-open). An end whose period does not begin after its own relation's start (a one-off
/// `2021` to `2021`, or `2021-03` to `2021`) goes after everything else on its day, so that no
/// relation is listed as ending before it starts.
fn order(dataset: &Dataset, e: &Entry) -> (Day, bool, Precision, Event) {
    let start = dataset.relation(e.relation).start.first();
    let (day, own_start_first) = match e.event {
        Event::End => (e.date.first().max(start), e.date.first() <= start),
        Event::Start => (e.date.first(), false),
    };
    (day, own_start_first, e.date.precision(), e.event)
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
        .flat_map(|&r| dataset.relation(r).span.changes())
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let counts = |status: Option<Status>, strict: bool| status.is_some_and(|s| s.counts(strict));
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

/// What the subject of a timeline is to a relation listed in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// One of its two actors.
    Party,
    /// Not one of its actors, but the one whose claim it is.
    Claimant,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Party => "party",
            Role::Claimant => "claimant",
        }
    }
}

/// The starts and ends of the claims that the `record`'s actor made (under
/// [`Grouping::Countries`], that it or anyone below it made) about relations that are not in
/// its record: what a one-actor timeline lists beside its own relations ([`merged`]).
/// `filter.kinds` selects them, as for [`of`]. O(n) for n relations.
pub fn claims(dataset: &Dataset, grouping: Grouping, filter: Filter, record: &History) -> Vec<Entry> {
    let unit = |a| grouping.unit(dataset, a);
    let actor = record.actor;
    // The record's own relations (its agencies' and people's too) are listed as the party's.
    let mut own: Vec<RelationIx> = record.entries.iter().map(|e| e.relation).collect();
    own.sort_unstable();
    let mut entries = Vec::new();
    for (i, rel) in dataset.relations.iter().enumerate() {
        let relation = RelationIx(i as u32);
        let Some(claimant) = rel.claimant() else { continue };
        if unit(claimant) != actor
            || unit(rel.source) == actor
            || unit(rel.target) == actor
            || !filter.kinds.contains(rel.kind)
            || own.binary_search(&relation).is_ok()
        {
            continue;
        }
        // Not the subject's relation: its ends are the relation's own, none standing in.
        let (near, far, inside) = (rel.source, rel.target, false);
        entries.push(Entry { date: rel.start, event: Event::Start, relation, near, far, inside });
        if let Some(end) = rel.end {
            entries.push(Entry { date: end, event: Event::End, relation, near, far, inside });
        }
    }
    entries
}

/// A record's entries and the subject's [`claims`], in one chronological list, each with
/// the subject's role in it (ordered as [`of`] orders its entries; a party's entry first on
/// a tie).
pub fn merged(dataset: &Dataset, history: &History, claims: &[Entry]) -> Vec<(Entry, Role)> {
    let mut all: Vec<(Entry, Role)> = history
        .entries
        .iter()
        .map(|&e| (e, Role::Party))
        .chain(claims.iter().map(|&e| (e, Role::Claimant)))
        .collect();
    all.sort_by_key(|(e, role)| (order(dataset, e), *role, e.relation));
    all
}

/// The contests of the cooperations among `relations` with any restriction of the dataset
/// that covers them, whenever they hold.
fn covering(dataset: &Dataset, relations: &[RelationIx]) -> Vec<Contest> {
    let held = |r: RelationIx| dataset.relation(r).held_as(r, Status::Active);
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
