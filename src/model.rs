//! The domain: actors, relations, sources and the dataset that holds them. Each concept has
//! one name and one type here; loading, indexing and output live elsewhere.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use crate::date::{Day, PartialDate, Span, Status, Window};
use crate::timeline::TimeIndex;

/// Index of an actor in [`Dataset::actors`]. Stable for the life of a loaded dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorIx(pub u32);

/// Index of a relation in [`Dataset::relations`]. Plain data, so that lists of them are
/// written to and read from the index file as they are in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(transparent)]
pub struct RelationIx(pub u32);

/// Index of a source in [`Dataset::sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceIx(pub u32);

macro_rules! index_conversions {
    ($($t:ty),*) => {$(
        impl $t {
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
index_conversions!(ActorIx, RelationIx, SourceIx);

/// What an actor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActorKind {
    Country,
    Agency,
    Alliance,
    Agreement,
    Organisation,
    Person,
    /// The actor is named by a relation but not described (no `actors.csv`).
    Unknown,
    /// A region that is not a country (CAMEO's AFR, EUR, WSB, GZS): last, so that the
    /// numbers of the others (`kind as usize`, in the index) stay as they were.
    Region,
}

impl ActorKind {
    /// Every kind, in declaration order (the order of their numbers, `kind as usize`).
    pub const ALL: [ActorKind; 8] = [
        ActorKind::Country,
        ActorKind::Agency,
        ActorKind::Alliance,
        ActorKind::Agreement,
        ActorKind::Organisation,
        ActorKind::Person,
        ActorKind::Unknown,
        ActorKind::Region,
    ];

    /// The kinds a user may write in `actors.csv`.
    pub const WRITABLE: [ActorKind; 7] = {
        let [country, agency, alliance, agreement, organisation, person, _unknown, region] = ActorKind::ALL;
        [country, agency, alliance, agreement, organisation, person, region]
    };

    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Country => "country",
            ActorKind::Agency => "agency",
            ActorKind::Alliance => "alliance",
            ActorKind::Agreement => "agreement",
            ActorKind::Organisation => "organisation",
            ActorKind::Person => "person",
            ActorKind::Unknown => "unknown",
            ActorKind::Region => "region",
        }
    }
}

impl FromStr for ActorKind {
    type Err = ();
    /// In any case ("Country" is `country`): kinds are always written lower case.
    fn from_str(s: &str) -> Result<Self, ()> {
        ActorKind::WRITABLE.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(s)).ok_or(())
    }
}

impl fmt::Display for ActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a relation says about its two actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RelationKind {
    Cooperation,
    Restriction,
    Dispute,
    /// Member → alliance or agreement.
    Membership,
}

impl RelationKind {
    pub const ALL: [RelationKind; 4] = [
        RelationKind::Cooperation,
        RelationKind::Restriction,
        RelationKind::Dispute,
        RelationKind::Membership,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Cooperation => "cooperation",
            RelationKind::Restriction => "restriction",
            RelationKind::Dispute => "dispute",
            RelationKind::Membership => "membership",
        }
    }

    /// Whether a relation of this kind is directed when the data does not say: cooperation
    /// and dispute are mutual; restriction and membership have a direction.
    pub fn directed_by_default(self) -> bool {
        matches!(self, RelationKind::Restriction | RelationKind::Membership)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl FromStr for RelationKind {
    type Err = ();
    /// In any case ("Cooperation" is `cooperation`): kinds are always written lower case.
    fn from_str(s: &str) -> Result<Self, ()> {
        RelationKind::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(s)).ok_or(())
    }
}

impl fmt::Display for RelationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of relation kinds, for filters such as `--kinds cooperation,restriction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KindSet(u8);

impl KindSet {
    pub const ALL: KindSet = KindSet(0b1111);

    /// The set of `kinds`.
    pub const fn of(kinds: &[RelationKind]) -> KindSet {
        let (mut bits, mut i) = (0, 0);
        while i < kinds.len() {
            bits |= 1 << (kinds[i] as u8);
            i += 1;
        }
        KindSet(bits)
    }

    pub fn contains(self, kind: RelationKind) -> bool {
        self.0 & kind.bit() != 0
    }

    pub fn is_all(self) -> bool {
        self == KindSet::ALL
    }
}

impl FromIterator<RelationKind> for KindSet {
    fn from_iter<I: IntoIterator<Item = RelationKind>>(iter: I) -> Self {
        KindSet(iter.into_iter().fold(0, |bits, k| bits | k.bit()))
    }
}

/// The NATO Admiralty grade of a source's reliability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reliability {
    /// Completely reliable.
    A,
    /// Usually reliable.
    B,
    /// Fairly reliable.
    C,
    /// Not usually reliable.
    D,
    /// Unreliable.
    E,
    /// Reliability cannot be judged.
    F,
}

impl Reliability {
    pub const ALL: [Reliability; 6] =
        [Reliability::A, Reliability::B, Reliability::C, Reliability::D, Reliability::E, Reliability::F];

    pub fn as_str(self) -> &'static str {
        ["A", "B", "C", "D", "E", "F"][self as usize]
    }
}

impl FromStr for Reliability {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        // In any case, as kinds are: `b` in a spreadsheet is B.
        Reliability::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(s)).ok_or(())
    }
}

impl fmt::Display for Reliability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The NATO Admiralty grade of a piece of information's credibility, independent of its
/// source's reliability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Credibility {
    /// 1: confirmed by other sources.
    Confirmed,
    /// 2: probably true.
    Probable,
    /// 3: possibly true.
    Possible,
    /// 4: doubtful.
    Doubtful,
    /// 5: improbable.
    Improbable,
    /// 6: truth cannot be judged.
    Unjudged,
}

impl Credibility {
    /// Every grade, best first (the order of their numbers, `grade as usize + 1`).
    pub const ALL: [Credibility; 6] = [
        Credibility::Confirmed,
        Credibility::Probable,
        Credibility::Possible,
        Credibility::Doubtful,
        Credibility::Improbable,
        Credibility::Unjudged,
    ];

    /// Its digit, `1` to `6`.
    pub fn as_str(self) -> &'static str {
        ["1", "2", "3", "4", "5", "6"][self as usize]
    }

    /// Its number, 1 to 6, as JSON writes it.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }
}

impl FromStr for Credibility {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Credibility::ALL.into_iter().find(|c| c.as_str() == s).ok_or(())
    }
}

impl fmt::Display for Credibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A relation's NATO Admiralty grade: its best source's reliability and its own
/// credibility, shown as `B2`. What the data does not say is graded as unjudgeable (`F`, `6`):
/// a relation without evidence, or whose sources are ungraded, is `F`; one without a
/// credibility is `6`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grade {
    pub reliability: Reliability,
    pub credibility: Credibility,
}

impl Grade {
    /// The grade of nothing known: `F6`.
    pub const UNJUDGED: Grade = Grade { reliability: Reliability::F, credibility: Credibility::Unjudged };

    /// The weaker of two grades on each scale separately (`B4` and `C2` give `C4`): what a
    /// chain of relations (a path) is only as good as.
    pub fn weakest(self, other: Grade) -> Grade {
        Grade {
            reliability: self.reliability.max(other.reliability),
            credibility: self.credibility.max(other.credibility),
        }
    }

    /// A rank for preferring better grades: lower is better, reliability first.
    pub fn rank(self) -> u8 {
        self.reliability as u8 * 6 + self.credibility as u8
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.reliability, self.credibility)
    }
}

/// `--min-reliability X --min-credibility N`: which grades a command keeps, each scale "this
/// grade or better". The one rule for leaving relations out by grade; the default keeps
/// everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GradeFilter {
    pub min_reliability: Reliability,
    pub min_credibility: Credibility,
}

impl Default for GradeFilter {
    fn default() -> Self {
        GradeFilter { min_reliability: Reliability::F, min_credibility: Credibility::Unjudged }
    }
}

impl GradeFilter {
    /// Whether a relation of this grade is kept.
    pub fn admits(self, grade: Grade) -> bool {
        grade.reliability <= self.min_reliability && grade.credibility <= self.min_credibility
    }

    /// Whether it keeps every grade.
    pub fn is_all(self) -> bool {
        self == GradeFilter::default()
    }
}

/// What is left out: `reliability below B or credibility below 3`, `below reliability B`,
/// `below credibility 3`.
impl fmt::Display for GradeFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let default = GradeFilter::default();
        match (
            self.min_reliability != default.min_reliability,
            self.min_credibility != default.min_credibility,
        ) {
            (true, false) => write!(f, "below reliability {}", self.min_reliability),
            (false, true) => write!(f, "below credibility {}", self.min_credibility),
            // Each scale on its own: A4 is left out by B3 (its credibility is below 3).
            _ => write!(
                f,
                "reliability below {} or credibility below {}",
                self.min_reliability, self.min_credibility
            ),
        }
    }
}

/// A relation left out by a [`GradeFilter`]: what counting it in a command's scope needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeftOut {
    pub source: ActorIx,
    pub target: ActorIx,
    pub claimant: Option<ActorIx>,
    pub span: Span,
}

/// The relations a dataset was loaded without because of their grade.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GradedOut {
    pub filter: GradeFilter,
    pub relations: Vec<LeftOut>,
}

impl GradedOut {
    /// How many of them `keep` counts, and the note a command's summary line ends with when
    /// any (` (3 left out by grade: below reliability B)`), else empty.
    pub fn note(&self, keep: impl Fn(&LeftOut) -> bool) -> String {
        match self.relations.iter().filter(|r| keep(r)).count() {
            0 => String::new(),
            n => format!(" ({n} left out by grade: {})", self.filter),
        }
    }

    /// The note for the relations that may hold on some day of `window`.
    pub fn note_on(&self, window: Window) -> String {
        self.note(|r| r.span.status_in(window).is_some())
    }

    /// The note for the relations that may hold on one of `days` (ascending), as a series of
    /// frames looks: a relation is there when the first of the days from its start is
    /// before its end.
    pub fn note_on_days(&self, days: &[Day]) -> String {
        self.note(|r| {
            let next = days.partition_point(|&d| d < r.span.possible_from);
            days.get(next).is_some_and(|&d| r.span.status_on(d).is_some())
        })
    }
}

/// A country, agency, alliance, agreement, organisation or person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The id that relations use (case-sensitive).
    pub id: Box<str>,
    /// The display name; the id when none is given.
    pub name: Box<str>,
    pub kind: ActorKind,
    /// The actor this one belongs to (CIA → USA, DNI → COL).
    pub parent: Option<ActorIx>,
    pub aliases: Box<[Box<str>]>,
}

/// Where the parent chains of a list of actors lead: the one walk of them that every command
/// uses (the loader's cycle check, the index reader's, each actor's top-level ancestor for
/// country roll-ups).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentChains {
    /// Each actor's top-level ancestor (itself when it has no parent). An actor on a cycle,
    /// or whose chain runs into one, has as its top the actor where the cycle was cut (see
    /// `cycles`).
    pub top: Vec<ActorIx>,
    /// Every parent cycle, each once, in the order found: the actors on it, from the one
    /// where the walk met it again (where the cycle is cut), following parents.
    pub cycles: Vec<Vec<ActorIx>>,
}

impl ParentChains {
    /// Walks every parent chain once: O(n) time and memory for n actors, whatever the depth.
    /// (Following each actor's chain to its end took O(n × depth): 35 seconds for a chain
    /// 200,000 deep.) Each walk stops at an actor already resolved and hands its top back
    /// along the path it took.
    pub fn of(actors: &[Actor]) -> ParentChains {
        const UNSEEN: u32 = u32::MAX;
        const ON_PATH: u32 = u32::MAX - 1;
        // The top of each actor once resolved, or one of the markers above.
        let mut top = vec![UNSEEN; actors.len()];
        let mut cycles = Vec::new();
        let mut path: Vec<usize> = Vec::new();
        for start in 0..actors.len() {
            if top[start] != UNSEEN {
                continue;
            }
            path.clear();
            let mut at = start;
            let found = loop {
                match top[at] {
                    UNSEEN => {
                        top[at] = ON_PATH;
                        path.push(at);
                        match actors[at].parent {
                            Some(parent) => at = parent.index(),
                            None => break at as u32,
                        }
                    }
                    ON_PATH => {
                        // A cycle, met again at `at`: cut there, so `at` is the top of all.
                        let from = path.iter().rposition(|&p| p == at).unwrap_or(0);
                        cycles.push(path[from..].iter().map(|&p| ActorIx(p as u32)).collect());
                        break at as u32;
                    }
                    resolved => break resolved,
                }
            };
            for &p in &path {
                top[p] = found;
            }
        }
        ParentChains { top: top.into_iter().map(ActorIx).collect(), cycles }
    }
}

/// A report that a relation cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: Box<str>,
    pub title: Box<str>,
    pub publisher: Box<str>,
    pub published: Option<PartialDate>,
    pub url: Box<str>,
    pub reliability: Option<Reliability>,
}

/// A relation's stable id: the `id` column, or the line number of its row when that is empty
/// (written `line 12`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RelationId {
    Named(IdText),
    Line(u32),
}

/// The text of a named relation id. One of at most [`IdText::INLINE`] bytes (the ids of
/// GDELT, ICEWS and COW data, and georel's own, are shorter) is held in place, so that
/// reading ten million ids allocates nothing (a `Box<str>` each, allocated, copied and freed,
/// was part of what an `id` column cost); a longer one is boxed. Reads as a `str`.
#[derive(Clone)]
pub struct IdText(IdRepr);

#[derive(Clone)]
enum IdRepr {
    /// The bytes of a `str` (never any other: see [`IdText::as_str`]), then zeros.
    Inline([u8; IdText::INLINE], InlineLen),
    /// Boxed twice so that the pointer is thin: the variant then fits beside the length's
    /// unused values, which tell the variants apart, and `RelationId` stays 16 bytes.
    Boxed(Box<Box<str>>),
}

/// The length of an inline id: an enum rather than a `u8` so that its 240 unused values are
/// free to tell `IdRepr`'s and `RelationId`'s variants apart.
#[derive(Clone, Copy)]
#[repr(u8)]
#[rustfmt::skip]
enum InlineLen { L0, L1, L2, L3, L4, L5, L6, L7, L8, L9, L10, L11, L12, L13, L14, L15 }

const _: () = assert!(std::mem::size_of::<RelationId>() == 16);

impl InlineLen {
    #[rustfmt::skip]
    const ALL: [InlineLen; IdText::INLINE + 1] = {
        use InlineLen::*;
        [L0, L1, L2, L3, L4, L5, L6, L7, L8, L9, L10, L11, L12, L13, L14, L15]
    };
}

impl IdText {
    /// The most bytes an id held in place has.
    pub const INLINE: usize = 15;

    /// The id `prefix` followed by `number` in decimal (as the index stores an id of that
    /// form: `r12`, `0012`, `448329571`), without allocating when it fits in place.
    pub fn numbered(prefix: &str, number: u32) -> IdText {
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(number);
        let n = prefix.len() + digits.len();
        if n > IdText::INLINE {
            return IdText(IdRepr::Boxed(Box::new(format!("{prefix}{digits}").into_boxed_str())));
        }
        let mut bytes = [0u8; IdText::INLINE];
        bytes[..prefix.len()].copy_from_slice(prefix.as_bytes());
        bytes[prefix.len()..n].copy_from_slice(digits.as_bytes());
        IdText(IdRepr::Inline(bytes, InlineLen::ALL[n]))
    }

    /// `id` as a prefix and a number that [`IdText::numbered`] writes back as `id`, byte for
    /// byte: the number is the id's last digits but for leading zeros, which stay in the
    /// prefix (`r007` is `r00` and 7, `0` is `` and 0). `None` when the id does not end in a
    /// digit or that number does not fit in a `u32`.
    pub fn split_number(id: &str) -> Option<(&str, u32)> {
        let bytes = id.as_bytes();
        let digits = bytes.iter().rev().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let start = bytes.len() - digits;
        // All zeros but the last stay in the prefix, so that `0` and `r0` keep a digit.
        let zeros = bytes[start..bytes.len() - 1].iter().take_while(|&&b| b == b'0').count();
        let at = start + zeros;
        if bytes.len() - at > 10 {
            return None;
        }
        let number = bytes[at..].iter().fold(0u64, |n, &b| n * 10 + u64::from(b - b'0'));
        // `at` follows an ASCII byte (or is 0): a character boundary.
        Some((&id[..at], u32::try_from(number).ok()?))
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            IdRepr::Inline(bytes, len) => {
                let bytes = &bytes[..*len as usize];
                // SAFETY: inline bytes are only ever copied whole from a `str` (`From<&str>`)
                // or from a `str` and ASCII digits (`numbered`), so they are UTF-8; checking
                // them again on every read is what this type exists to avoid.
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            IdRepr::Boxed(text) => text,
        }
    }
}

impl From<&str> for IdText {
    fn from(id: &str) -> IdText {
        let n = id.len();
        if n > IdText::INLINE {
            return IdText(IdRepr::Boxed(Box::new(id.into())));
        }
        let mut bytes = [0u8; IdText::INLINE];
        bytes[..n].copy_from_slice(id.as_bytes());
        IdText(IdRepr::Inline(bytes, InlineLen::ALL[n]))
    }
}

impl From<String> for IdText {
    fn from(id: String) -> IdText {
        if id.len() > IdText::INLINE {
            IdText(IdRepr::Boxed(Box::new(id.into_boxed_str())))
        } else {
            IdText::from(id.as_str())
        }
    }
}

impl From<Box<str>> for IdText {
    fn from(id: Box<str>) -> IdText {
        if id.len() > IdText::INLINE {
            IdText(IdRepr::Boxed(Box::new(id)))
        } else {
            IdText::from(&*id)
        }
    }
}

impl std::ops::Deref for IdText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for IdText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for IdText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

// By their text, as `Box<str>` was: an id is equal, hashed and shown as the `str` it holds.
impl PartialEq for IdText {
    fn eq(&self, other: &IdText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for IdText {}

impl std::hash::Hash for IdText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for IdText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for IdText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl RelationId {
    /// The id as a token for other programs (GEXF and GraphML ids, georel's own files): the
    /// `id` column, or the bare line number (`12`, where people read `line 12`).
    pub fn key(&self) -> std::borrow::Cow<'_, str> {
        match self {
            RelationId::Named(id) => std::borrow::Cow::Borrowed(id.as_str()),
            RelationId::Line(line) => std::borrow::Cow::Owned(line.to_string()),
        }
    }
}

impl fmt::Display for RelationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RelationId::Named(id) => f.write_str(id),
            // Said as a line, so that it is not read as a count or an id someone chose.
            RelationId::Line(line) => write!(f, "line {line}"),
        }
    }
}

/// One dated claim that two actors cooperate, restrict, dispute, or that one is a member of
/// the other. Several relations between the same pair are normal and each is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub id: RelationId,
    pub source: ActorIx,
    pub target: ActorIx,
    pub kind: RelationKind,
    pub directed: bool,
    pub start: PartialDate,
    /// `None`: still in force.
    pub end: Option<PartialDate>,
    /// The days on which it may hold and certainly holds, derived from `start` and `end`.
    pub span: Span,
    /// The `credibility` column; `None` when empty (graded `6`, see [`Grade`]). Kept as given
    /// so that a dataset written back keeps an empty cell empty. (In what was padding: the
    /// relation stays 64 bytes.)
    pub credibility: Option<Credibility>,
    /// The evidence, the summary and the claimant: see [`Relation::evidence`],
    /// [`Relation::summary`] and [`Relation::claimant`].
    pub notes: Notes,
}

/// A relation that holds on some day, as a search of that day sees it: its ends, kind,
/// direction and status, without its id and notes (read before the relation is decoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub relation: RelationIx,
    pub source: ActorIx,
    pub target: ActorIx,
    pub kind: RelationKind,
    pub directed: bool,
    pub status: Status,
}

impl Relation {
    /// The relation as a search of `day` sees it (it being relation `ix`), when it holds then.
    pub fn held_on(&self, ix: RelationIx, day: Day) -> Option<Held> {
        self.span.status_on(day).map(|status| self.held_as(ix, status))
    }

    /// The relation (number `ix`) as holding with `status`.
    pub fn held_as(&self, ix: RelationIx, status: Status) -> Held {
        Held {
            relation: ix,
            source: self.source,
            target: self.target,
            kind: self.kind,
            directed: self.directed,
            status,
        }
    }

    /// The sources that report it.
    pub fn evidence(&self) -> &[SourceIx] {
        self.notes.0.as_ref().map_or(&[], |n| &n.evidence)
    }

    /// What it is, in a sentence; empty when the data gives none.
    pub fn summary(&self) -> &str {
        self.notes.0.as_ref().map_or("", |n| &n.summary)
    }

    /// The actor whose statement or order it rests on, when the data names one.
    pub fn claimant(&self) -> Option<ActorIx> {
        self.notes.0.as_ref().and_then(|n| n.claimant)
    }

    /// What a [`GradeFilter`] leaving it out keeps of it.
    pub fn left_out(&self) -> LeftOut {
        LeftOut { source: self.source, target: self.target, claimant: self.claimant(), span: self.span }
    }
}

/// A relation's evidence, summary and claimant, kept out of line and only when there are
/// any: event data at scale has none, and a relation holding evidence and summary inline took
/// 24 bytes more (88 instead of 64; 240 MB of 10 million relations).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes(Option<Box<NoteText>>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct NoteText {
    evidence: Box<[SourceIx]>,
    summary: Box<str>,
    claimant: Option<ActorIx>,
}

impl Notes {
    /// Holds `evidence` and `summary`; allocates nothing when both are empty.
    pub fn new(evidence: impl Into<Box<[SourceIx]>>, summary: Box<str>) -> Notes {
        Notes::claimed(evidence, summary, None)
    }

    /// Holds `evidence`, `summary` and `claimant`; allocates nothing when all are empty.
    pub fn claimed(
        evidence: impl Into<Box<[SourceIx]>>,
        summary: Box<str>,
        claimant: Option<ActorIx>,
    ) -> Notes {
        let evidence = evidence.into();
        if evidence.is_empty() && summary.is_empty() && claimant.is_none() {
            Notes(None)
        } else {
            Notes(Some(Box::new(NoteText { evidence, summary, claimant })))
        }
    }
}

/// The time index of a [`Dataset::cut`] to `day`.
///
/// # Panics
/// When a relation cannot hold on `day` (a caller's mistake, not the data's).
fn day_index(relations: &[Relation], day: Day) -> TimeIndex {
    assert!(
        relations.iter().all(|r| r.span.status_on(day).is_some()),
        "a cut holds the day's relations only"
    );
    TimeIndex::of_day(day, relations.len())
}

/// A loaded, validated dataset with its time index.
#[derive(Debug)]
pub struct Dataset {
    pub actors: Vec<Actor>,
    pub sources: Vec<Source>,
    pub relations: Vec<Relation>,
    /// Built on first use ([`Dataset::timeline`]): a question over all time (`conflicts`
    /// without `--at`) never asks it, and building it was a fifth of that question's time
    /// and its peak memory at 10 million relations.
    timeline: std::sync::OnceLock<TimeIndex>,
    actor_ids: HashMap<Box<str>, ActorIx>,
    /// Each actor's position when actors are sorted by id: the stable output order.
    rank: Vec<u32>,
    /// Each actor's top-level ancestor (itself when it has no parent).
    top: Vec<ActorIx>,
    /// Each actor's direct dependants (actors whose parent it is), in id order.
    children: Vec<Vec<ActorIx>>,
    /// `Some(day)`: only the relations that may hold on that day were loaded (see
    /// [`Dataset::cut`]).
    scope: Option<Day>,
    /// The relations left out by grade ([`Dataset::graded`]).
    graded_out: GradedOut,
}

impl Dataset {
    /// Assembles a dataset from validated parts and builds its time index.
    pub fn new(actors: Vec<Actor>, sources: Vec<Source>, relations: Vec<Relation>) -> Self {
        Dataset::with_timeline(actors, sources, relations, std::sync::OnceLock::new(), None)
    }

    /// A dataset that holds every actor and source but, of the relations, only those that
    /// may hold on `day`: what a snapshot, a path or a neighbourhood on that day needs, and
    /// all that [`crate::load::index`] reads for them. Its answers for `day` are those of
    /// the whole dataset; it cannot answer for another day ([`Dataset::covers`]).
    ///
    /// # Panics
    /// When a relation cannot hold on `day` (a caller's mistake, not the data's).
    pub fn cut(actors: Vec<Actor>, sources: Vec<Source>, relations: Vec<Relation>, day: Day) -> Self {
        let timeline = day_index(&relations, day).into();
        Dataset::with_timeline(actors, sources, relations, timeline, Some(day))
    }

    /// This dataset's actors and sources with other relations of `day` (see [`Dataset::cut`]):
    /// the actor tables are kept rather than built again. For a query that finds, around a
    /// few actors, the part of a day it needs (`query::local`): such a dataset answers that
    /// query as the whole day would, and no other.
    ///
    /// # Panics
    /// When a relation cannot hold on `day` (a caller's mistake, not the data's).
    pub fn recut(self, relations: Vec<Relation>, day: Day) -> Self {
        let timeline = day_index(&relations, day).into();
        Dataset { relations, timeline, scope: Some(day), ..self }
    }

    /// Assembles a dataset whose time index is already built (read from an index file).
    fn with_timeline(
        actors: Vec<Actor>,
        sources: Vec<Source>,
        relations: Vec<Relation>,
        timeline: std::sync::OnceLock<TimeIndex>,
        scope: Option<Day>,
    ) -> Self {
        let actor_ids = actors.iter().enumerate().map(|(i, a)| (a.id.clone(), ActorIx(i as u32))).collect();
        let mut order: Vec<usize> = (0..actors.len()).collect();
        order.sort_unstable_by(|&a, &b| actors[a].id.cmp(&actors[b].id));
        let mut rank = vec![0u32; order.len()];
        for (position, actor) in order.into_iter().enumerate() {
            rank[actor] = position as u32;
        }
        // Parent chains are acyclic (the loader and the index reader reject cycles).
        let top = ParentChains::of(&actors).top;
        let mut children = vec![Vec::new(); actors.len()];
        for (i, a) in actors.iter().enumerate() {
            if let Some(parent) = a.parent {
                children[parent.index()].push(ActorIx(i as u32));
            }
        }
        for list in &mut children {
            list.sort_unstable_by_key(|c: &ActorIx| rank[c.index()]);
        }
        Dataset {
            actors,
            sources,
            relations,
            timeline,
            actor_ids,
            rank,
            top,
            children,
            scope,
            graded_out: GradedOut::default(),
        }
    }

    /// The relation's grade: its best source's reliability (`F` without evidence, or when no
    /// source is graded) and its credibility (`6` when not given).
    pub fn grade(&self, ix: RelationIx) -> Grade {
        self.grade_of(self.relation(ix))
    }

    /// [`Dataset::grade`] of a relation whose sources are this dataset's.
    pub fn grade_of(&self, r: &Relation) -> Grade {
        let reliability =
            r.evidence().iter().filter_map(|&s| self.source(s).reliability).min().unwrap_or(Reliability::F);
        Grade { reliability, credibility: r.credibility.unwrap_or(Credibility::Unjudged) }
    }

    /// The dataset without the relations whose grade `filter` does not admit: every command
    /// reads the dataset through this, so a relation left out is simply not there (contests
    /// are decided among those kept). The relations left out are counted for each
    /// command's summary ([`Dataset::graded_out`]). Relation indexes change; actor and source
    /// indexes do not.
    pub fn graded(mut self, filter: GradeFilter) -> Dataset {
        if filter.is_all() {
            return self;
        }
        // Moved, not copied: at ten million relations a copy is 640 MB more at the peak.
        let relations = std::mem::take(&mut self.relations);
        let (kept, left): (Vec<Relation>, Vec<Relation>) =
            relations.into_iter().partition(|r| filter.admits(self.grade_of(r)));
        let mut graded_out = GradedOut { filter, relations: std::mem::take(&mut self.graded_out.relations) };
        if left.is_empty() {
            // The time index stands as it is.
            return Dataset { relations: kept, graded_out, ..self };
        }
        graded_out.relations.extend(left.iter().map(Relation::left_out));
        let timeline = match self.scope {
            Some(day) => day_index(&kept, day).into(),
            None => std::sync::OnceLock::new(),
        };
        Dataset { relations: kept, timeline, graded_out, ..self }
    }

    /// A dataset (a cut) whose relations are already graded, with those left out of its day.
    pub fn with_graded_out(self, graded_out: GradedOut) -> Dataset {
        Dataset { graded_out, ..self }
    }

    /// The relations left out by grade, and the filter that left them out.
    pub fn graded_out(&self) -> &GradedOut {
        &self.graded_out
    }

    /// The relations by time: what holds on a day. Built on first use for a whole dataset,
    /// O(n log n).
    pub fn timeline(&self) -> &TimeIndex {
        self.timeline.get_or_init(|| TimeIndex::build(&self.relations))
    }

    /// Whether the dataset holds every relation that may hold on `day`: always, unless it
    /// is a [`Dataset::cut`] for another day.
    pub fn covers(&self, day: Day) -> bool {
        self.scope.is_none_or(|only| only == day)
    }

    /// Whether every relation was loaded (not a [`Dataset::cut`]).
    pub fn is_whole(&self) -> bool {
        self.scope.is_none()
    }

    /// Whether `cut` is this dataset cut to its day: the same actors and sources in the same
    /// order (so that indexes carry over), and the same relations that may hold that day, in
    /// the same order. For a dataset read again after a cut of it: the files may have
    /// changed in between.
    pub fn agrees_with(&self, cut: &Dataset) -> bool {
        let kept = |r: &&Relation| cut.scope.is_none_or(|day| r.span.status_on(day).is_some());
        self.actors == cut.actors
            && self.sources == cut.sources
            && self.relations.iter().filter(kept).eq(cut.relations.iter())
    }

    /// The actors whose parent is `ix`, in id order.
    pub fn children(&self, ix: ActorIx) -> &[ActorIx] {
        &self.children[ix.index()]
    }

    /// Marks, by actor, every actor within `outer`: `outer` itself and its descendants (the
    /// actors whose parent chain passes through it). O(n) for n actors, whatever the depth.
    pub fn within(&self, outer: ActorIx) -> Vec<bool> {
        let mut marks = vec![false; self.actors.len()];
        let mut stack = vec![outer];
        while let Some(a) = stack.pop() {
            // Parent chains do not loop (the loader refuses it); the check only keeps a
            // dataset assembled otherwise from looping here.
            if std::mem::replace(&mut marks[a.index()], true) {
                continue;
            }
            stack.extend_from_slice(self.children(a));
        }
        marks
    }

    /// The actor's position in id order, for sorting output stably.
    pub fn rank(&self, ix: ActorIx) -> u32 {
        self.rank[ix.index()]
    }

    pub fn actor(&self, ix: ActorIx) -> &Actor {
        &self.actors[ix.index()]
    }

    pub fn relation(&self, ix: RelationIx) -> &Relation {
        &self.relations[ix.index()]
    }

    /// Appends copies of the relations numbered `wanted`, in that order. They are asked for
    /// all at once before they are read: met in random order, as a snapshot streamed source
    /// by source meets them, waiting for each in turn was half of the time of taking its rows.
    pub fn copy_relations(&self, wanted: &[RelationIx], out: &mut Vec<Relation>) {
        for &r in wanted {
            crate::hint::prefetch(self.relation(r));
        }
        out.extend(wanted.iter().map(|&r| self.relation(r).clone()));
    }

    pub fn source(&self, ix: SourceIx) -> &Source {
        &self.sources[ix.index()]
    }

    /// Looks an actor up by its exact id.
    pub fn actor_by_id(&self, id: &str) -> Option<ActorIx> {
        self.actor_ids.get(id).copied()
    }

    /// The top-level ancestor of an actor (itself when it has no parent).
    pub fn top_parent(&self, ix: ActorIx) -> ActorIx {
        self.top[ix.index()]
    }

    /// The earliest and latest dates that the relations mention, if there are any (of the
    /// relations loaded: see [`Dataset::is_whole`]).
    pub fn date_range(&self) -> Option<(PartialDate, PartialDate)> {
        let first = self.relations.iter().map(|r| r.start).min_by_key(|d| d.first())?;
        let last =
            self.relations.iter().flat_map(|r| [Some(r.start), r.end]).flatten().max_by_key(|d| d.after())?;
        Some((first, last))
    }
}

/// Each actor's relations (as source or target; once when it is both), in dataset order, as an
/// offset table over one list: actor `a`'s are `list[offsets[a]..offsets[a + 1]]`. The index
/// file stores it, for searches around a few actors; the explorer keeps it in memory.
pub struct Incidence {
    pub offsets: Vec<u64>,
    pub list: Vec<RelationIx>,
}

impl Incidence {
    pub fn of(dataset: &Dataset) -> Incidence {
        let ends =
            |r: &Relation| [r.source, r.target].into_iter().take(if r.target == r.source { 1 } else { 2 });
        let mut offsets = vec![0u64; dataset.actors.len() + 1];
        for r in &dataset.relations {
            for end in ends(r) {
                offsets[end.index() + 1] += 1;
            }
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut next = offsets.clone();
        let mut list = vec![RelationIx(0); offsets.last().map_or(0, |&n| n as usize)];
        for (i, r) in dataset.relations.iter().enumerate() {
            for end in ends(r) {
                let slot = &mut next[end.index()];
                list[*slot as usize] = RelationIx(i as u32);
                *slot += 1;
            }
        }
        Incidence { offsets, list }
    }

    /// Actor `a`'s relations, ascending.
    pub fn of_actor(&self, a: ActorIx) -> &[RelationIx] {
        &self.list[self.offsets[a.index()] as usize..self.offsets[a.index() + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_give_back_what_they_hold_and_hold_nothing_when_empty() {
        let empty = Notes::new(Vec::new(), "".into());
        assert_eq!(empty, Notes::default());
        assert!(empty.0.is_none(), "no allocation for a relation without evidence or summary");
        let only_summary = Notes::new(Vec::new(), "said so".into());
        let both = Notes::new([SourceIx(2), SourceIx(0)], "reported".into());
        let text = |n: &Notes| n.0.as_ref().map(|t| (t.evidence.to_vec(), t.summary.to_string()));
        assert_eq!(text(&only_summary), Some((vec![], "said so".to_string())));
        assert_eq!(text(&both), Some((vec![SourceIx(2), SourceIx(0)], "reported".to_string())));
    }

    #[test]
    fn grades_show_as_letter_and_digit_and_filters_keep_that_grade_or_better() {
        let g = |r: Reliability, c: Credibility| Grade { reliability: r, credibility: c };
        assert_eq!(g(Reliability::B, Credibility::Probable).to_string(), "B2");
        assert_eq!(Grade::UNJUDGED.to_string(), "F6");
        assert_eq!(
            g(Reliability::B, Credibility::Doubtful).weakest(g(Reliability::C, Credibility::Probable)),
            g(Reliability::C, Credibility::Doubtful)
        );
        let b3 = GradeFilter { min_reliability: Reliability::B, min_credibility: Credibility::Possible };
        let admitted: Vec<String> = Reliability::ALL
            .into_iter()
            .flat_map(|r| Credibility::ALL.into_iter().map(move |c| g(r, c)))
            .filter(|&grade| b3.admits(grade))
            .map(|grade| grade.to_string())
            .collect();
        assert_eq!(admitted, ["A1", "A2", "A3", "B1", "B2", "B3"]);
        assert_eq!(b3.to_string(), "reliability below B or credibility below 3");
        let only_b = GradeFilter { min_reliability: Reliability::B, ..GradeFilter::default() };
        assert_eq!(only_b.to_string(), "below reliability B");
        let only_3 = GradeFilter { min_credibility: Credibility::Possible, ..GradeFilter::default() };
        assert_eq!(only_3.to_string(), "below credibility 3");
        assert!(GradeFilter::default().is_all() && GradeFilter::default().admits(Grade::UNJUDGED));
        assert_eq!("4".parse::<Credibility>(), Ok(Credibility::Doubtful));
        assert!("0".parse::<Credibility>().is_err() && "B".parse::<Credibility>().is_err());
    }

    #[test]
    fn a_claimant_alone_is_kept_out_of_line() {
        let claimed = Notes::claimed(Vec::new(), "".into(), Some(ActorIx(3)));
        assert!(claimed.0.is_some());
        assert_eq!(Notes::claimed(Vec::new(), "".into(), None), Notes::default());
    }

    /// The index file stores kinds and grades as their numbers and reads them back through
    /// these lists.
    #[test]
    fn each_list_of_all_values_is_in_number_order() {
        assert!(ActorKind::ALL.iter().enumerate().all(|(i, &k)| k as usize == i));
        assert!(RelationKind::ALL.iter().enumerate().all(|(i, &k)| k as usize == i));
        assert!(Reliability::ALL.iter().enumerate().all(|(i, &r)| r as usize == i));
        assert!(Credibility::ALL.iter().enumerate().all(|(i, &c)| c as usize == i));
    }

    /// Regression guard for memory at scale (issue 6): 10 million relations are held at once,
    /// so each byte here is 10 MB. Evidence and summary inline made it 88 bytes.
    #[test]
    fn a_relation_stays_at_most_64_bytes() {
        assert!(std::mem::size_of::<Relation>() <= 64, "{} bytes", std::mem::size_of::<Relation>());
    }

    fn actors_with_parents(parents: &[Option<usize>]) -> Vec<Actor> {
        parents
            .iter()
            .enumerate()
            .map(|(i, p)| Actor {
                id: format!("a{i}").into(),
                name: format!("a{i}").into(),
                kind: ActorKind::Unknown,
                parent: p.map(|p| ActorIx(p as u32)),
                aliases: Box::new([]),
            })
            .collect()
    }

    /// Where `start`'s chain ends, walked step by step; `None` when it runs into a cycle.
    fn brute_top(actors: &[Actor], start: usize) -> Option<usize> {
        let mut at = start;
        for _ in 0..=actors.len() {
            match actors[at].parent {
                Some(p) => at = p.index(),
                None => return Some(at),
            }
        }
        None
    }

    proptest::proptest! {
        /// The one-pass walk against brute force, on any parent lists (cycles, chains into
        /// them, forests): every cycle is found once, as the actors a step-by-step walk
        /// comes back to; cut where reported, every chain ends, at the top the walk gave.
        #[test]
        fn parent_chains_agree_with_walking_each_chain(
            parents in proptest::collection::vec(proptest::option::weighted(0.8, 0..40usize), 0..40)
        ) {
            let n = parents.len();
            let parents: Vec<Option<usize>> = parents.into_iter().map(|p| p.map(|p| p % n.max(1))).collect();
            let mut actors = actors_with_parents(&parents);
            let chains = ParentChains::of(&actors);
            // The brute-force cycles: actors whose chain comes back to them.
            let on_cycle = |a: usize| {
                let mut at = a;
                (0..n).any(|_| match parents[at] {
                    Some(p) => { at = p; at == a }
                    None => false,
                })
            };
            let mut expected: Vec<usize> = (0..n).filter(|&a| on_cycle(a)).collect();
            let mut found: Vec<usize> = chains.cycles.iter().flatten().map(|a| a.index()).collect();
            found.sort_unstable();
            expected.sort_unstable();
            proptest::prop_assert_eq!(found, expected, "each actor on a cycle reported once");
            for cycle in &chains.cycles {
                for pair in cycle.windows(2) {
                    proptest::prop_assert_eq!(parents[pair[0].index()], Some(pair[1].index()), "a cycle follows parents");
                }
                proptest::prop_assert_eq!(parents[cycle[cycle.len() - 1].index()], Some(cycle[0].index()));
                actors[cycle[0].index()].parent = None;
            }
            for a in 0..n {
                proptest::prop_assert_eq!(Some(chains.top[a].index()), brute_top(&actors, a), "top of {}", a);
            }
        }

        /// An id's text reads back as the id, held in place or boxed: any text, of any length,
        /// not ASCII, with a NUL.
        #[test]
        fn an_id_text_reads_back_as_the_id(id in "(\\PC|\\x00){0,40}") {
            let text = IdText::from(id.as_str());
            proptest::prop_assert_eq!(text.as_str(), id.as_str());
            proptest::prop_assert_eq!(IdText::from(id.clone()), text.clone());
            proptest::prop_assert_eq!(IdText::from(Box::<str>::from(id.as_str())), text.clone());
            proptest::prop_assert_eq!(format!("{text:?}"), format!("{id:?}"));
            let named = RelationId::Named(text);
            proptest::prop_assert_eq!(named.key(), id.as_str());
        }

        /// An id split into a prefix and a number is written back as the same id, byte for
        /// byte: leading zeros, a number at `u32`'s edge, a prefix not ASCII or ending in a
        /// digit's look-alike, very long prefixes.
        #[test]
        fn a_numbered_id_is_written_back_as_itself(
            id in "(\\PC{0,3}|[a-z\\-]{10,60})(0{0,3})([0-9]{0,11})",
        ) {
            match IdText::split_number(&id) {
                Some((prefix, number)) => {
                    proptest::prop_assert!(id.starts_with(prefix));
                    let back = IdText::numbered(prefix, number);
                    proptest::prop_assert_eq!(back.as_str(), id.as_str());
                }
                None => proptest::prop_assert!(
                    !id.ends_with(|c: char| c.is_ascii_digit())
                        || id.trim_end_matches(|c: char| c.is_ascii_digit()).len() + 10 < id.len()
                        || id[id.trim_end_matches(|c: char| c.is_ascii_digit()).len()..]
                            .trim_start_matches('0')
                            .parse::<u32>()
                            .is_err()
                ),
            }
        }
    }

    #[test]
    fn numbered_ids_keep_their_zeros_and_their_prefix() {
        let split = |id| IdText::split_number(id);
        assert_eq!(split("r007"), Some(("r00", 7)));
        assert_eq!(split("0"), Some(("", 0)));
        assert_eq!(split("000"), Some(("00", 0)));
        assert_eq!(split("4294967295"), Some(("", u32::MAX)));
        assert_eq!(split("4294967296"), None);
        assert_eq!(split("r"), None);
        assert_eq!(split(""), None);
        assert_eq!(split("é٣"), None, "an Arabic-Indic digit is not a digit of the form");
        assert_eq!(IdText::numbered("a-rather-long-prefix-", 12).as_str(), "a-rather-long-prefix-12");
        assert_eq!(IdText::numbered("r00", 7).as_str(), "r007");
    }
}
