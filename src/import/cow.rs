//! Correlates of War (COW) importers: militarized interstate disputes (`import cow-mid`) and
//! formal alliances (`import cow-alliance`), read into dated relations between states.
//!
//! # States
//!
//! A state is named by its COW code (`ccode`, `statea`, `stateb`, `ccode1`, `ccode2`) through
//! the COW state list (`cow_country_codes.csv` beside this file, a copy of COW's
//! `COW-country-codes.csv`): the actor's id is the list's `StateAbb` (`USA`, `UKG`, `RUS`),
//! its name `StateNme`, its kind `country`. Abbreviations written in the data file itself
//! (MIDB's `stabb` says `USR` where the list says `RUS`) are not used. A code that is not in
//! the list rejects the row.
//!
//! # Disputes (`cow-mid`)
//!
//! The layout is told from the header (columns are found by name, in any order, ignoring case):
//!
//! | layout | recognised by | one relation per | id |
//! |---|---|---|---|
//! | dyadic MID (4.02) | `disno`, `statea`, `stateb` | (`disno`, pair of states) | `cow-mid-<disno>-<A>-<B>` |
//! | MIDB participants (4.3) | `dispnum3` (or `dispnum`), `ccode`, `sidea` | overlap of a side-A and a side-B participation | `cow-midb-<disno>-<A>-<B>` |
//! | directed dyadic war | `warnum`, `statea`, `stateb` | (`warnum`, pair of states) | `cow-war-<warnum>-<A>-<B>` |
//!
//! Every relation is a mutual `dispute` (`directed = false`). `<A>` and `<B>` are state ids.
//!
//! - **Dyadic MID** has one row per dyad and year, in both directions (A–B and B–A). The rows
//!   of one dispute and pair of states, in either direction, make one relation; their dates
//!   (`strtday`, `strtmnth`, `strtyr`, `endday`, `endmnth`, `endyear`) normally agree, and when
//!   they do not (a few long, multilateral disputes), the earliest start and the latest end are
//!   kept and the summary says so. `<A>` is the state on side A (`sideaa`, `sideab`) when the
//!   rows agree on it, otherwise the state with the lower COW code.
//! - **Directed dyadic war** is read the same way (`warnum`, `warstrtday`, `warstrtmnth`,
//!   `warstrtyr`, `warenday`, `warendmnth`, `warendyr`): each war dyad becomes a dispute with the
//!   war's dates, its summary saying it is a war; `<A>` is the lower COW code.
//! - **MIDB participants** has one row per state's participation in a dispute (`stday`,
//!   `stmon`, `styear`, `endday`, `endmon`, `endyear`, `sidea` 1 or 0). Each side-A
//!   participation is paired with each side-B participation of the same dispute, and the pair's
//!   interval is the overlap of the two (`<A>` is the side-A state). Pairs that do not overlap,
//!   and pairs of a state with itself (a state that changed sides), make no relation and are
//!   counted as skipped. A state taking part more than once gives one relation per overlap;
//!   when a dispute and pair of states has several, their ids end in `-1`, `-2`, … in date
//!   order. Exactly repeated intervals are kept once.
//!
//! # Dates
//!
//! COW gives a day, a month and a year, with `-9` for an unknown day or month.
//!
//! - A start is the day; with an unknown day, the month (`1902-07`: possible during July 1902,
//!   active from August); with an unknown month, the year.
//! - COW's end is the **last day** of the dispute, while a georel end is the first day on which
//!   the relation no longer holds: at day precision the end is the day after (a dispute whose
//!   last day is 1903-01-24 ends 1903-01-25). With an unknown day, the end is the month itself
//!   (last day "some day in January 1903" → end `1903-01`): georel reads a partial end as
//!   "stopped holding at some point in that month", active until 1902-12-31, possible
//!   throughout January and over from 1903-02-01, which is exactly the range the last day can
//!   have (at worst 1903-01-31, so over by February; at best 1903-01-01, so certainly held
//!   through December). `1903-02` would claim it may have held in February, which COW rules
//!   out. Only 1 January itself is understated (it certainly held that day, since the last day
//!   is in January), which errs on the side of not claiming activity. The same for an unknown
//!   month and the year.
//! - The overlap of two MIDB participations starts at the later start and ends at the earlier
//!   end. When a day meets a partial date (a state joining "in March 1998" and another on
//!   1998-03-09), the date with the later *certain* start (the earlier certain end) is kept:
//!   the days on which the pair is `active` are then exactly those on which both participations
//!   are, and the `possible` days may be a little wider than the strict overlap, never
//!   narrower. Pairs whose possible periods do not meet are skipped.
//!
//! # Summaries
//!
//! Short and factual, from columns whose coding is COW's:
//!
//! - dyadic MID: `MID 2, hostility level 3 (display of force), highest action: show of force;
//!   side A: United States of America`. `hihost` is the highest hostility level (1 no
//!   militarized action, 2 threat to use force, 3 display of force, 4 use of force, 5 war) and
//!   `mid5hiact` the highest action in MID 4 codes (0 no militarized action … 21 join
//!   interstate war), both the highest over the dyad's rows; `war` = 1 adds "became a war".
//!   (The file's `highact` uses an older numbering and is not used.)
//! - MIDB: each side's state with its `hostlev` and `hiact` (the same codings).
//! - war: `Inter-state war 106 (MID 257); battle deaths in the whole war: Italy 650,000,
//!   Bulgaria 87,500` (`batdtha`, `batdthb`, when given).
//!
//! # Alliances (`cow-alliance`)
//!
//! Dyad-year rows (`ccode1`, `ccode2`, `year`, and 0/1 flags `cow_defense`, `cow_neutral`,
//! `cow_nonagg`, `cow_entente`; ATOP's `atop_defense`, `atop_offense`, `atop_neutral`,
//! `atop_nonagg`, `atop_consul` are read the same way). Both directions of a dyad are one
//! mutual `cooperation` relation. **One relation per type**: the years of one pair of states
//! and one type are merged into runs of consecutive years, so a defence pact that runs from
//! 1949 to 2012 is one relation even when the entente flag beside it comes and goes. A
//! dyad-year with several flags adds a year to each of their runs; one with none is skipped
//! and counted. Id: `cow-alliance-<A>-<B>-<type>-<first year>` (`atop-alliance-…` for ATOP),
//! `<A>` the lower COW code; summary: `Defense pact (COW formal alliance), dyad-years
//! 1949–2012`.
//!
//! A dyad-year row says the alliance was in force at some point in that year: the dyad-year
//! data lists every year from an alliance's first to its last, including the years in which
//! it began and ended (the Molotov–Ribbentrop pact, 23 August 1939 to 22 June 1941, is
//! Germany–Russia non-aggression and neutrality in 1939, 1940 and 1941; the Anglo-Japanese
//! alliance, signed on 30 January 1902, has 1902 as its first year). So the start is the first year (`1939`: possible
//! in 1939, active from 1940) and the end is the **last year itself** (`1941`: active until
//! the end of 1940, possible during 1941, over from 1942), the year in which it stopped, as
//! for MID's partial ends. An end of the year after would claim the Molotov–Ribbentrop pact
//! was certainly in force through December 1941. A run that reaches the file's last year
//! (2012) or starts in its first (1816) is cut by the data, and its summary says it may have
//! continued or begun earlier.
//!
//! # Sources and bad rows
//!
//! Each file is one source, cited by every relation from it: `cow:<file name without .csv>`
//! (`cow:dyadic_mid_4.02`), titled after the dataset and the file, publisher "Correlates of
//! War Project", reliability B. Every row is counted; a bad row (an unknown state code, a
//! year, month or day that is not a date, an end before the start, a field count unlike the
//! header's) is rejected with its file, line and reason, or stops the import under
//! `--strict`. A file whose header matches no layout is an error.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{bail, Context, Result};
use csv::ByteRecord;

use crate::date::{Day, PartialDate, Span, MAX_YEAR, MIN_YEAR};
use crate::import::{ids, ActorSpec, Builder, Lines, Options, Progress, RelationSpec, SourceSpec};
use crate::model::{ActorKind, RelationKind, Reliability};

static STATES: &str = include_str!("cow_country_codes.csv");

/// A state of the COW state list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    pub code: u16,
    /// `StateAbb` (`UKG`): an alias of the actor.
    pub abb: &'static str,
    /// The actor id, ISO 3166-1 alpha-3 (`GBR`), from [`ids::from_cow`].
    pub id: &'static str,
    /// `StateNme`: the actor name.
    pub name: &'static str,
}

fn states() -> &'static HashMap<u16, State> {
    static TABLE: OnceLock<HashMap<u16, State>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::new();
        // `StateAbb,CCode,StateNme`; some states are listed twice, identically.
        for line in STATES.lines().skip(1) {
            let mut parts = line.trim_end_matches('\r').splitn(3, ',');
            if let (Some(abb), Some(code), Some(name)) = (parts.next(), parts.next(), parts.next()) {
                if let Ok(code) = code.trim().parse() {
                    let abb = abb.trim();
                    // Every state of the list has an id (a test checks it).
                    let id = ids::from_cow(code).unwrap_or(abb);
                    table.entry(code).or_insert(State { code, abb, id, name: name.trim() });
                }
            }
        }
        table
    })
}

/// The state with this COW code (`2` → USA, United States of America).
pub fn state(code: u16) -> Option<State> {
    states().get(&code).copied()
}

// -------------------------------------------------------------------------------------------
// Disputes
// -------------------------------------------------------------------------------------------

/// Which dispute file a header belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MidLayout {
    Dyadic,
    Participants,
    War,
}

impl MidLayout {
    fn detect(input: &Input) -> Option<MidLayout> {
        let has = |name: &str| input.find(name).is_some();
        if has("warnum") && has("statea") && has("stateb") {
            Some(MidLayout::War)
        } else if has("disno") && has("statea") && has("stateb") {
            Some(MidLayout::Dyadic)
        } else if (has("dispnum3") || has("dispnum")) && has("ccode") && has("sidea") {
            Some(MidLayout::Participants)
        } else {
            None
        }
    }

    fn id_prefix(self) -> &'static str {
        match self {
            MidLayout::Dyadic => "cow-mid",
            MidLayout::Participants => "cow-midb",
            MidLayout::War => "cow-war",
        }
    }

    fn title(self) -> &'static str {
        match self {
            MidLayout::Dyadic => "Correlates of War, Dyadic Militarized Interstate Disputes",
            MidLayout::Participants => {
                "Correlates of War, Militarized Interstate Disputes, participants (MIDB)"
            }
            MidLayout::War => "Correlates of War, directed dyadic inter-state war",
        }
    }

    fn name(self) -> &'static str {
        match self {
            MidLayout::Dyadic => "a dyadic MID file",
            MidLayout::Participants => "a MIDB participants file",
            MidLayout::War => "a directed dyadic war file",
        }
    }
}

/// The files of a folder these importers read.
pub const FILES: crate::import::input::Matching =
    crate::import::input::Matching { extensions: &["csv"], excluded: &[] };

/// Reads a militarized-dispute file (dyadic MID, MIDB participants or directed dyadic war,
/// told from its header) into the builder.
///
/// # Errors
/// When the file cannot be read or its header matches no layout, or (with `--strict`) at
/// the first bad row.
pub fn read_mid(
    path: &Path,
    reader: &mut dyn Read,
    builder: &mut Builder,
    _options: &Options,
    progress: &Progress,
) -> Result<()> {
    let mut input = Input::open(path, reader)?;
    let Some(layout) = MidLayout::detect(&input) else {
        bail!(
            "{}: not a Correlates of War dispute file this importer knows: the header has none of the column sets \
             disno, statea, stateb (dyadic MID), dispnum3, ccode, sidea (MIDB participants) or warnum, statea, \
             stateb (directed dyadic war)",
            path.display()
        );
    };
    let source = dataset_source(path, "cow", layout.title(), "Correlates of War Project");
    match layout {
        MidLayout::Dyadic | MidLayout::War => read_dyads(&mut input, layout, &source.id, builder, progress)?,
        MidLayout::Participants => read_participants(&mut input, &source.id, builder, progress)?,
    }
    builder.source(source);
    Ok(())
}

/// The columns of a dyadic MID or directed dyadic war file.
struct DyadColumns {
    number: Column,
    a: Column,
    b: Column,
    start: DateColumns,
    end: DateColumns,
    hostility: Option<usize>,
    action: Option<usize>,
    war: Option<usize>,
    side_aa: Option<usize>,
    side_ab: Option<usize>,
    mid: Option<usize>,
    deaths_a: Option<usize>,
    deaths_b: Option<usize>,
}

impl DyadColumns {
    fn find(input: &Input, layout: MidLayout) -> Result<DyadColumns> {
        let what = layout.name();
        let col = |name: &'static str| input.require(name, what);
        let opt = |name: &str| input.find(name);
        Ok(if layout == MidLayout::War {
            DyadColumns {
                number: col("warnum")?,
                a: col("statea")?,
                b: col("stateb")?,
                start: DateColumns::new("start", col("warstrtday")?, col("warstrtmnth")?, col("warstrtyr")?),
                end: DateColumns::new("end", col("warenday")?, col("warendmnth")?, col("warendyr")?),
                hostility: None,
                action: None,
                war: None,
                side_aa: None,
                side_ab: None,
                mid: opt("disno"),
                deaths_a: opt("batdtha"),
                deaths_b: opt("batdthb"),
            }
        } else {
            DyadColumns {
                number: col("disno")?,
                a: col("statea")?,
                b: col("stateb")?,
                start: DateColumns::new("start", col("strtday")?, col("strtmnth")?, col("strtyr")?),
                end: DateColumns::new("end", col("endday")?, col("endmnth")?, col("endyear")?),
                hostility: opt("hihost"),
                action: opt("mid5hiact"),
                war: opt("war"),
                side_aa: opt("sideaa"),
                side_ab: opt("sideab"),
                mid: None,
                deaths_a: None,
                deaths_b: None,
            }
        })
    }
}

/// What the rows of one dispute (or war) and pair of states say.
struct Dyad {
    start: PartialDate,
    end: PartialDate,
    /// The first row's dates, to tell whether the rows agree.
    first: (PartialDate, PartialDate),
    differs: bool,
    /// The states that rows place on side A.
    side_a: BTreeSet<u16>,
    hostility: Option<i64>,
    action: Option<i64>,
    war: bool,
    /// The war's dispute number (war layout).
    mid: Option<u32>,
    /// Battle deaths in the whole war, by state (war layout).
    deaths: BTreeMap<u16, f64>,
}

fn read_dyads(
    input: &mut Input,
    layout: MidLayout,
    source: &str,
    builder: &mut Builder,
    progress: &Progress,
) -> Result<()> {
    let cols = DyadColumns::find(input, layout)?;
    let mut dyads: BTreeMap<(u32, u16, u16), Dyad> = BTreeMap::new();
    let mut record = ByteRecord::new();
    while let Some(line) = input.next_row(&mut record, builder, progress)? {
        let parsed = (|| -> Result<_, String> {
            input.check_width(&record)?;
            let number = dispute_number(&record, &cols.number)?;
            let a = read_state(&record, &cols.a)?;
            let b = read_state(&record, &cols.b)?;
            if a.code == b.code {
                return Err(format!("{} and {} are the same state ({})", cols.a.name, cols.b.name, a.code));
            }
            let (start, end) = read_interval(&record, &cols.start, &cols.end)?;
            Ok((number, a, b, start, end))
        })();
        let (number, a, b, start, end) = match parsed {
            Ok(row) => row,
            Err(reason) => {
                builder.reject(input.path, line, reason, raw(&record))?;
                continue;
            }
        };
        let key = (number, a.code.min(b.code), a.code.max(b.code));
        let dyad = dyads.entry(key).or_insert_with(|| Dyad {
            start,
            end,
            first: (start, end),
            differs: false,
            side_a: BTreeSet::new(),
            hostility: None,
            action: None,
            war: false,
            mid: None,
            deaths: BTreeMap::new(),
        });
        if (start, end) != dyad.first {
            dyad.differs = true;
            dyad.start = earliest_start(dyad.start, start);
            dyad.end = latest_end(dyad.end, end);
        }
        let number_at = |ix: Option<usize>| ix.and_then(|ix| int(cell(&record, ix)));
        match (number_at(cols.side_aa), number_at(cols.side_ab)) {
            (Some(1), Some(0)) => {
                dyad.side_a.insert(a.code);
            }
            (Some(0), Some(1)) => {
                dyad.side_a.insert(b.code);
            }
            _ => {}
        }
        if let Some(h) = number_at(cols.hostility).filter(|h| (1..=5).contains(h)) {
            dyad.hostility = dyad.hostility.max(Some(h));
        }
        if let Some(act) = number_at(cols.action).filter(|act| action_label(*act).is_some()) {
            dyad.action = dyad.action.max(Some(act));
        }
        dyad.war |= number_at(cols.war) == Some(1);
        // The lowest dispute number and the highest death count, so that the order of the
        // rows does not matter (they agree in the published file).
        if let Some(mid) = number_at(cols.mid).and_then(|m| u32::try_from(m).ok()).filter(|m| *m > 0) {
            dyad.mid = Some(dyad.mid.map_or(mid, |known| known.min(mid)));
        }
        for (ix, state) in [(cols.deaths_a, a), (cols.deaths_b, b)] {
            if let Some(deaths) = ix.and_then(|ix| cell(&record, ix).parse::<f64>().ok()) {
                if deaths.is_finite() && deaths >= 0.0 {
                    let known = dyad.deaths.entry(state.code).or_insert(deaths);
                    *known = known.max(deaths);
                }
            }
        }
    }

    for ((number, lo, hi), dyad) in dyads {
        let (lo, hi) = (known_state(lo)?, known_state(hi)?);
        let (a, b) = match dyad.side_a.iter().collect::<Vec<_>>()[..] {
            [&code] if code == hi.code => (hi, lo),
            _ => (lo, hi),
        };
        let mut summary = match layout {
            MidLayout::War => {
                let mut s = format!("Inter-state war {number}");
                if let Some(mid) = dyad.mid {
                    s.push_str(&format!(" (MID {mid})"));
                }
                let deaths: Vec<String> = [a, b]
                    .iter()
                    .filter_map(|st| {
                        dyad.deaths.get(&st.code).map(|d| format!("{} {}", st.name, thousands(*d)))
                    })
                    .collect();
                if !deaths.is_empty() {
                    s.push_str(&format!("; battle deaths in the whole war: {}", deaths.join(", ")));
                }
                s
            }
            _ => {
                let mut s = format!("MID {number}");
                if let Some(h) = dyad.hostility {
                    s.push_str(&format!(", {}", hostility(h)));
                }
                if let Some(act) = dyad.action.and_then(action_label) {
                    s.push_str(&format!(", highest action: {act}"));
                }
                if dyad.war {
                    s.push_str("; became a war");
                }
                if dyad.side_a.len() == 1 {
                    s.push_str(&format!("; side A: {}", a.name));
                }
                s
            }
        };
        if dyad.differs {
            summary.push_str(
                "; its dyad-year rows give different dates: the earliest start and the latest end are kept",
            );
        }
        add_state(builder, a);
        add_state(builder, b);
        builder.relation(RelationSpec {
            id: format!("{}-{number}-{}-{}", layout.id_prefix(), a.id, b.id),
            source: a.id.to_string(),
            target: b.id.to_string(),
            kind: RelationKind::Dispute,
            start: dyad.start,
            end: Some(dyad.end),
            directed: false,
            evidence: vec![source.to_string()],
            summary,
            claimant: None,
            credibility: None,
        });
    }
    Ok(())
}

/// One state's participation in a dispute (MIDB).
struct Participant {
    state: State,
    side_a: bool,
    start: PartialDate,
    end: PartialDate,
    hostility: Option<i64>,
    action: Option<i64>,
}

impl Participant {
    fn describe(&self) -> String {
        let mut s = format!("{} (side {})", self.state.name, if self.side_a { "A" } else { "B" });
        if let Some(h) = self.hostility {
            s.push_str(&format!(" {}", hostility(h)));
        }
        if let Some(act) = self.action.and_then(action_label) {
            s.push_str(&format!(", highest action: {act}"));
        }
        s
    }
}

/// A relation between two participants of one dispute, before ids are given.
struct Pairing {
    start: PartialDate,
    end: PartialDate,
    a: State,
    b: State,
    summary: String,
}

const SKIP_ALONE: &str = "participant rows with no opposing side in their dispute";
const SKIP_SELF: &str = "participant pairs of a state with itself (it changed sides)";
const SKIP_APART: &str = "participant pairs whose dates do not overlap";

fn read_participants(
    input: &mut Input,
    source: &str,
    builder: &mut Builder,
    progress: &Progress,
) -> Result<()> {
    let what = MidLayout::Participants.name();
    let number_col = match input.find("dispnum3") {
        Some(ix) => Column { ix, name: "dispnum3" },
        None => input.require("dispnum", what)?,
    };
    let state_col = input.require("ccode", what)?;
    let side_col = input.require("sidea", what)?;
    let start_cols = DateColumns::new(
        "start",
        input.require("stday", what)?,
        input.require("stmon", what)?,
        input.require("styear", what)?,
    );
    let end_cols = DateColumns::new(
        "end",
        input.require("endday", what)?,
        input.require("endmon", what)?,
        input.require("endyear", what)?,
    );
    let (hostility_col, action_col) = (input.find("hostlev"), input.find("hiact"));

    let mut disputes: BTreeMap<u32, Vec<Participant>> = BTreeMap::new();
    let mut record = ByteRecord::new();
    while let Some(line) = input.next_row(&mut record, builder, progress)? {
        let parsed = (|| -> Result<_, String> {
            input.check_width(&record)?;
            let number = dispute_number(&record, &number_col)?;
            let state = read_state(&record, &state_col)?;
            let side_a = match cell(&record, side_col.ix) {
                "1" => true,
                "0" => false,
                other => return Err(format!("sidea {other:?} is not 1 (side A) or 0 (side B)")),
            };
            let (start, end) = read_interval(&record, &start_cols, &end_cols)?;
            let code_at = |ix: Option<usize>| ix.and_then(|ix| int(cell(&record, ix)));
            let hostility = code_at(hostility_col).filter(|h| (1..=5).contains(h));
            let action = code_at(action_col).filter(|act| action_label(*act).is_some());
            Ok((number, Participant { state, side_a, start, end, hostility, action }))
        })();
        match parsed {
            Ok((number, participant)) => disputes.entry(number).or_default().push(participant),
            Err(reason) => builder.reject(input.path, line, reason, raw(&record))?,
        }
    }

    let mut pairs: BTreeMap<(u32, u16, u16), Vec<Pairing>> = BTreeMap::new();
    for (number, participants) in &disputes {
        let (side_a, side_b): (Vec<&Participant>, Vec<&Participant>) =
            participants.iter().partition(|p| p.side_a);
        if side_a.is_empty() || side_b.is_empty() {
            for _ in participants {
                builder.skip(SKIP_ALONE);
            }
            continue;
        }
        for a in &side_a {
            for b in &side_b {
                if a.state.code == b.state.code {
                    builder.skip(SKIP_SELF);
                    continue;
                }
                let Some((start, end)) = overlap((a.start, a.end), (b.start, b.end)) else {
                    builder.skip(SKIP_APART);
                    continue;
                };
                let key = (*number, a.state.code.min(b.state.code), a.state.code.max(b.state.code));
                pairs.entry(key).or_default().push(Pairing {
                    start,
                    end,
                    a: a.state,
                    b: b.state,
                    summary: format!("MID {number}: {}; {}", a.describe(), b.describe()),
                });
            }
        }
    }
    for ((number, _, _), mut list) in pairs {
        list.sort_by(|x, y| {
            (start_bounds(x.start), end_bounds(x.end), x.a.code, x.b.code, &x.summary).cmp(&(
                start_bounds(y.start),
                end_bounds(y.end),
                y.a.code,
                y.b.code,
                &y.summary,
            ))
        });
        list.dedup_by(|later, kept| later.start == kept.start && later.end == kept.end);
        let several = list.len() > 1;
        for (n, pairing) in list.into_iter().enumerate() {
            let mut id = format!("cow-midb-{number}-{}-{}", pairing.a.id, pairing.b.id);
            if several {
                id.push_str(&format!("-{}", n + 1));
            }
            add_state(builder, pairing.a);
            add_state(builder, pairing.b);
            builder.relation(RelationSpec {
                id,
                source: pairing.a.id.to_string(),
                target: pairing.b.id.to_string(),
                kind: RelationKind::Dispute,
                start: pairing.start,
                end: Some(pairing.end),
                directed: false,
                evidence: vec![source.to_string()],
                summary: pairing.summary,
                claimant: None,
                credibility: None,
            });
        }
    }
    Ok(())
}

/// The MID hostility levels (`hostlev`, `hihost`).
fn hostility(level: i64) -> String {
    let label = match level {
        1 => "no militarized action",
        2 => "threat to use force",
        3 => "display of force",
        4 => "use of force",
        5 => "war",
        _ => return format!("hostility level {level}"),
    };
    format!("hostility level {level} ({label})")
}

/// The MID 4 action codes (`hiact` in MIDB, `mid5hiact` in dyadic MID).
fn action_label(code: i64) -> Option<&'static str> {
    const ACTIONS: [&str; 22] = [
        "no militarized action",
        "threat to use force",
        "threat to blockade",
        "threat to occupy territory",
        "threat to declare war",
        "threat to use CBR weapons",
        "threat to join war",
        "show of force",
        "alert",
        "nuclear alert",
        "mobilization",
        "fortify border",
        "border violation",
        "blockade",
        "occupation of territory",
        "seizure",
        "attack",
        "clash",
        "declaration of war",
        "use of CBR weapons",
        "begin interstate war",
        "join interstate war",
    ];
    usize::try_from(code).ok().and_then(|i| ACTIONS.get(i).copied())
}

/// `650000.0` → `650,000` (a count read as a float: rounded, and never below zero).
fn thousands(n: f64) -> String {
    // A float cast to an integer saturates: a negative or NaN count is 0.
    crate::export::thousands(n.round() as u64)
}

// -------------------------------------------------------------------------------------------
// Alliances
// -------------------------------------------------------------------------------------------

/// An alliance type, from the flag columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Pact {
    Defense,
    Offense,
    Neutrality,
    NonAggression,
    Entente,
    Consultation,
}

impl Pact {
    /// The type of a flag column's suffix (`defense` of `cow_defense`).
    fn of_suffix(suffix: &str) -> Option<Pact> {
        Some(match suffix {
            "defense" => Pact::Defense,
            "offense" => Pact::Offense,
            "neutral" => Pact::Neutrality,
            "nonagg" => Pact::NonAggression,
            "entente" => Pact::Entente,
            "consul" => Pact::Consultation,
            _ => return None,
        })
    }

    fn slug(self) -> &'static str {
        match self {
            Pact::Defense => "defense",
            Pact::Offense => "offense",
            Pact::Neutrality => "neutrality",
            Pact::NonAggression => "nonaggression",
            Pact::Entente => "entente",
            Pact::Consultation => "consultation",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Pact::Defense => "Defense pact",
            Pact::Offense => "Offense pact",
            Pact::Neutrality => "Neutrality pact",
            Pact::NonAggression => "Non-aggression pact",
            Pact::Entente => "Entente",
            Pact::Consultation => "Consultation pact",
        }
    }
}

const SKIP_NO_TYPE: &str = "dyad-year rows with no alliance type flagged";

/// Reads an alliance dyad-year file (COW formal alliances, or ATOP rows of the same shape)
/// into the builder.
///
/// # Errors
/// When the file cannot be read or lacks a needed column, or (with `--strict`) at the first
/// bad row.
pub fn read_alliance(
    path: &Path,
    reader: &mut dyn Read,
    builder: &mut Builder,
    _options: &Options,
    progress: &Progress,
) -> Result<()> {
    let mut input = Input::open(path, reader)?;
    let what = "an alliance dyad-year file";
    let c1 = input.require("ccode1", what)?;
    let c2 = input.require("ccode2", what)?;
    let year_col = input.require("year", what)?;
    let mut flags: Vec<(usize, String, Pact)> = Vec::new();
    let mut atop = None;
    for (ix, name) in input.header.iter().enumerate() {
        let parsed = name
            .strip_prefix("cow_")
            .map(|s| (false, s))
            .or_else(|| name.strip_prefix("atop_").map(|s| (true, s)))
            .and_then(|(is_atop, suffix)| Pact::of_suffix(suffix).map(|pact| (is_atop, pact)));
        if let Some((is_atop, pact)) = parsed {
            if *atop.get_or_insert(is_atop) == is_atop {
                flags.push((ix, name.clone(), pact));
            }
        }
    }
    let Some(atop) = atop else {
        bail!(
            "{}: no alliance type column: expected cow_defense, cow_neutral, cow_nonagg, cow_entente (COW) or \
             atop_defense, atop_offense, atop_neutral, atop_nonagg, atop_consul (ATOP)",
            path.display()
        );
    };
    let (prefix, dataset, source) = if atop {
        (
            "atop-alliance",
            "ATOP alliance",
            dataset_source(
                path,
                "atop",
                "Alliance Treaty Obligations and Provisions (ATOP), dyad-years",
                "ATOP project",
            ),
        )
    } else {
        (
            "cow-alliance",
            "COW formal alliance",
            dataset_source(
                path,
                "cow",
                "Correlates of War, Formal Alliances, dyad-years",
                "Correlates of War Project",
            ),
        )
    };

    let mut years: BTreeMap<(u16, u16, Pact), BTreeSet<i16>> = BTreeMap::new();
    let mut span: Option<(i16, i16)> = None;
    let mut record = ByteRecord::new();
    while let Some(line) = input.next_row(&mut record, builder, progress)? {
        let parsed = (|| -> Result<_, String> {
            input.check_width(&record)?;
            let a = read_state(&record, &c1)?;
            let b = read_state(&record, &c2)?;
            if a.code == b.code {
                return Err(format!("ccode1 and ccode2 are the same state ({})", a.code));
            }
            let year = read_year(&record, &year_col, "")?;
            let mut pacts = Vec::new();
            for (ix, column, pact) in &flags {
                match cell(&record, *ix) {
                    "1" => pacts.push(*pact),
                    "0" => {}
                    other => return Err(format!("{column} {other:?} is not 0 or 1")),
                }
            }
            Ok((a, b, year, pacts))
        })();
        let (a, b, year, pacts) = match parsed {
            Ok(row) => row,
            Err(reason) => {
                builder.reject(input.path, line, reason, raw(&record))?;
                continue;
            }
        };
        if pacts.is_empty() {
            builder.skip(SKIP_NO_TYPE);
            continue;
        }
        span = Some(span.map_or((year, year), |(lo, hi)| (lo.min(year), hi.max(year))));
        for pact in pacts {
            years.entry((a.code.min(b.code), a.code.max(b.code), pact)).or_default().insert(year);
        }
    }

    let (data_first, data_last) = span.unwrap_or((MIN_YEAR, MAX_YEAR));
    for ((lo, hi, pact), set) in years {
        let (a, b) = (known_state(lo)?, known_state(hi)?);
        let mut runs: Vec<(i16, i16)> = Vec::new();
        for year in set {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == year => *last = year,
                _ => runs.push((year, year)),
            }
        }
        for (first, last) in runs {
            let mut summary = if first == last {
                format!("{} ({dataset}), dyad-year {first}", pact.label())
            } else {
                format!("{} ({dataset}), dyad-years {first}–{last}", pact.label())
            };
            if first == data_first {
                summary.push_str(&format!("; the data begins in {data_first}, so it may have begun earlier"));
            }
            if last == data_last {
                summary.push_str(&format!("; the data ends in {data_last}, so it may have continued"));
            }
            add_state(builder, a);
            add_state(builder, b);
            builder.relation(RelationSpec {
                id: format!("{prefix}-{}-{}-{}-{first}", a.id, b.id, pact.slug()),
                source: a.id.to_string(),
                target: b.id.to_string(),
                kind: RelationKind::Cooperation,
                start: year_date(first),
                end: Some(year_date(last)),
                directed: false,
                evidence: vec![source.id.clone()],
                summary,
                claimant: None,
                credibility: None,
            });
        }
    }
    builder.source(source);
    Ok(())
}

fn year_date(year: i16) -> PartialDate {
    PartialDate::parse(&format!("{year:04}")).expect("years are checked to be in range when read")
}

// -------------------------------------------------------------------------------------------
// Shared: the file, cells, states, dates
// -------------------------------------------------------------------------------------------

/// A CSV file with a header, read row by row.
struct Input<'p> {
    path: &'p Path,
    reader: csv::Reader<Lines<&'p mut dyn Read>>,
    /// Column names, trimmed, lower case, without a byte-order mark.
    header: Vec<String>,
}

/// A column found in the header, with its canonical name for messages.
#[derive(Debug, Clone, Copy)]
struct Column {
    ix: usize,
    name: &'static str,
}

impl<'p> Input<'p> {
    fn open(path: &'p Path, file: &'p mut dyn Read) -> Result<Input<'p>> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(Lines::new(file));
        let header: Vec<String> = reader
            .byte_headers()
            .with_context(|| format!("cannot read the header of {}", path.display()))?
            .iter()
            .map(|name| {
                String::from_utf8_lossy(name).trim_start_matches('\u{feff}').trim().to_ascii_lowercase()
            })
            .collect();
        if header.iter().all(String::is_empty) {
            bail!("{}: the file is empty (no header row)", path.display());
        }
        Ok(Input { path, reader, header })
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    fn require(&self, name: &'static str, what: &str) -> Result<Column> {
        match self.find(name) {
            Some(ix) => Ok(Column { ix, name }),
            None => bail!("{}: {what} needs a column {name}, and the header has none", self.path.display()),
        }
    }

    /// Reads the next row, counting it; its line number, or `None` at the end.
    fn next_row(
        &mut self,
        record: &mut ByteRecord,
        builder: &mut Builder,
        progress: &Progress,
    ) -> Result<Option<u64>> {
        let more = self
            .reader
            .read_byte_record(record)
            .with_context(|| format!("cannot read {}", self.path.display()))?;
        if !more {
            return Ok(None);
        }
        builder.rows += 1;
        progress.row();
        let start = record.position().map_or(0, csv::Position::byte);
        Ok(Some(self.reader.get_mut().line_at(start)))
    }

    fn check_width(&self, record: &ByteRecord) -> Result<(), String> {
        if record.len() == self.header.len() {
            Ok(())
        } else {
            Err(format!("the row has {} fields and the header {}", record.len(), self.header.len()))
        }
    }
}

/// A cell, trimmed (`"\u{fffd}"` when it is not UTF-8, which no number parses).
fn cell(record: &ByteRecord, ix: usize) -> &str {
    record.get(ix).map_or("", |bytes| std::str::from_utf8(bytes).unwrap_or("\u{fffd}").trim())
}

/// The row as it would be written back, for rejects.csv.
fn raw(record: &ByteRecord) -> String {
    let fields: Vec<String> = record
        .iter()
        .map(|field| {
            let text = String::from_utf8_lossy(field);
            if text.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", text.replace('"', "\"\""))
            } else {
                text.into_owned()
            }
        })
        .collect();
    fields.join(",")
}

/// An integer, also written as Stata exports write whole numbers (`7.0`).
fn int(text: &str) -> Option<i64> {
    match text.split_once('.') {
        Some((whole, fraction)) if !fraction.is_empty() && fraction.bytes().all(|b| b == b'0') => {
            whole.parse().ok()
        }
        Some(_) => None,
        None => text.parse().ok(),
    }
}

fn dispute_number(record: &ByteRecord, col: &Column) -> Result<u32, String> {
    let text = cell(record, col.ix);
    match int(text).and_then(|n| u32::try_from(n).ok()).filter(|n| *n > 0) {
        Some(n) => Ok(n),
        None if text.is_empty() => Err(format!("{} is missing", col.name)),
        None => Err(format!("{} {text:?} is not a dispute number", col.name)),
    }
}

fn read_state(record: &ByteRecord, col: &Column) -> Result<State, String> {
    let text = cell(record, col.ix);
    match int(text) {
        None if text.is_empty() => Err(format!("{} (a COW state code) is missing", col.name)),
        None => Err(format!("{} {text:?} is not a COW state code", col.name)),
        Some(code) => u16::try_from(code).ok().and_then(state).ok_or_else(|| {
            format!("{} {code} is not in the COW state list (COW-country-codes.csv)", col.name)
        }),
    }
}

/// A state found before: its code came from the table.
fn known_state(code: u16) -> Result<State> {
    state(code).with_context(|| format!("importer bug: COW state code {code} vanished from the table"))
}

fn add_state(builder: &mut Builder, state: State) {
    builder.actor(ActorSpec {
        id: state.id.to_string(),
        name: state.name.to_string(),
        kind: ActorKind::Country,
        parent: None,
        // COW's own abbreviation still finds the state, unless it is another state's id
        // (COW's AUS, Austria, is not made a name of Australia's AUS).
        aliases: if ids::is_cow_id(state.abb) { Vec::new() } else { vec![state.abb.to_string()] },
    });
}

/// The source standing for one file: `cow:<file stem>`.
fn dataset_source(path: &Path, scheme: &str, title: &str, publisher: &str) -> SourceSpec {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| crate::import::input::plain_name(&n.to_string_lossy()).to_string(),
    );
    let stem = file.strip_suffix(".csv").or_else(|| file.strip_suffix(".CSV")).unwrap_or(&file);
    let stem: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect();
    SourceSpec {
        id: format!("{scheme}:{stem}"),
        title: format!("{title} ({file})"),
        publisher: publisher.to_string(),
        published: None,
        url: String::new(),
        reliability: Some(Reliability::B),
    }
}

/// The day, month and year columns of a start or an end.
struct DateColumns {
    which: &'static str,
    day: Column,
    month: Column,
    year: Column,
}

impl DateColumns {
    fn new(which: &'static str, day: Column, month: Column, year: Column) -> DateColumns {
        DateColumns { which, day, month, year }
    }
}

/// A year; `which` is "start" or "end" for a date's year (named with its column in messages),
/// empty for a column that is itself the year.
fn read_year(record: &ByteRecord, col: &Column, which: &str) -> Result<i16, String> {
    let text = cell(record, col.ix);
    let (what, column) = if which.is_empty() {
        (col.name.to_string(), String::new())
    } else {
        (format!("{which} year"), format!(" ({})", col.name))
    };
    match int(text) {
        None if text.is_empty() => Err(format!("{what}{column} is missing")),
        None => Err(format!("{what} {text:?}{column} is not a number")),
        Some(-9) => Err(format!("{what}{column} is unknown (-9)")),
        Some(y) => i16::try_from(y).ok().filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y)).ok_or_else(|| {
            format!("{what} {y}{column} is not a valid year: years run from {MIN_YEAR} to {MAX_YEAR}")
        }),
    }
}

/// A COW date: the day, or with an unknown (`-9`) day the month, or with an unknown month
/// the year.
fn read_date(record: &ByteRecord, cols: &DateColumns) -> Result<PartialDate, String> {
    let which = cols.which;
    let year = read_year(record, &cols.year, which)?;
    let part = |col: &Column, what: &str| -> Result<i64, String> {
        let text = cell(record, col.ix);
        match int(text) {
            Some(n) => Ok(n),
            None if text.is_empty() => Err(format!("{which} {what} ({}) is missing", col.name)),
            None => Err(format!("{which} {what} {text:?} ({}) is not a number", col.name)),
        }
    };
    let month = match part(&cols.month, "month")? {
        -9 => return Ok(year_date(year)),
        m @ 1..=12 => m as i8,
        m => {
            return Err(format!(
                "{which} month {m} ({}) is not between 1 and 12 (or -9 for unknown)",
                cols.month.name
            ))
        }
    };
    let day = part(&cols.day, "day")?;
    if day == -9 {
        return PartialDate::parse(&format!("{year:04}-{month:02}")).map_err(|e| e.to_string());
    }
    i8::try_from(day)
        .ok()
        .and_then(|d| jiff::civil::Date::new(year, month, d).ok())
        .map(PartialDate::day)
        .ok_or_else(|| {
            format!("{which} day {day} ({}) does not exist in {year:04}-{month:02}", cols.day.name)
        })
}

/// A row's start and georel end (the day after COW's last day, or the last day's month or
/// year when it is partial).
fn read_interval(
    record: &ByteRecord,
    start_cols: &DateColumns,
    end_cols: &DateColumns,
) -> Result<(PartialDate, PartialDate), String> {
    let start = read_date(record, start_cols)?;
    let last = read_date(record, end_cols)?;
    let end = end_after(last)?;
    if Span::new(start, Some(end)).is_err() {
        return Err(format!("the end {last} is before the start {start}"));
    }
    Ok((start, end))
}

/// The georel end of a dispute whose last day COW gives as `last`.
fn end_after(last: PartialDate) -> Result<PartialDate, String> {
    if last.is_partial() {
        return Ok(last);
    }
    match last.first().tomorrow() {
        Ok(next) if next.year() <= MAX_YEAR => Ok(PartialDate::day(next)),
        _ => Err(format!("the end {last} is the last day georel can write: no day after it")),
    }
}

/// A start's first possible and first certain day.
fn start_bounds(start: PartialDate) -> (Day, Day) {
    (start.first(), if start.is_partial() { start.after() } else { start.first() })
}

/// An end's first day no longer certain, and first day certainly over.
fn end_bounds(end: PartialDate) -> (Day, Day) {
    (end.first(), if end.is_partial() { end.after() } else { end.first() })
}

/// The earlier of two starts (the earlier possible day, then the earlier certain day).
fn earliest_start(a: PartialDate, b: PartialDate) -> PartialDate {
    if start_bounds(b) < start_bounds(a) {
        b
    } else {
        a
    }
}

/// The later of two ends (the later day certainly over, then the later certain day).
fn latest_end(a: PartialDate, b: PartialDate) -> PartialDate {
    let key = |e: PartialDate| (end_bounds(e).1, end_bounds(e).0);
    if key(b) > key(a) {
        b
    } else {
        a
    }
}

/// The overlap of two intervals, or `None` when their possible periods do not meet. The
/// start kept is the one certain later, the end the one certain earlier, so that the active
/// days are exactly the common active days.
fn overlap(
    x: (PartialDate, PartialDate),
    y: (PartialDate, PartialDate),
) -> Option<(PartialDate, PartialDate)> {
    let possible_from = start_bounds(x.0).0.max(start_bounds(y.0).0);
    let possible_until = end_bounds(x.1).1.min(end_bounds(y.1).1);
    if possible_from >= possible_until {
        return None;
    }
    let later = |s: PartialDate| (start_bounds(s).1, start_bounds(s).0);
    let start = if later(y.0) > later(x.0) { y.0 } else { x.0 };
    let earlier = |e: PartialDate| end_bounds(e);
    let end = if earlier(y.1) < earlier(x.1) { y.1 } else { x.1 };
    Span::new(start, Some(end)).ok().map(|_| (start, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::testing::p;

    fn record(fields: &[&str]) -> ByteRecord {
        ByteRecord::from(fields.to_vec())
    }

    fn cols(which: &'static str) -> DateColumns {
        DateColumns::new(
            which,
            Column { ix: 0, name: "day" },
            Column { ix: 1, name: "month" },
            Column { ix: 2, name: "year" },
        )
    }

    #[test]
    fn the_state_table_names_states_by_code() {
        assert_eq!(state(2).map(|s| (s.abb, s.name)), Some(("USA", "United States of America")));
        assert_eq!(state(200).map(|s| (s.abb, s.id)), Some(("UKG", "GBR")));
        assert_eq!(state(365).map(|s| s.abb), Some("RUS"));
        assert_eq!(state(40).map(|s| s.name), Some("Cuba"), "listed twice, identically");
        assert_eq!(state(999), None);
        assert_eq!(states().len(), 217);
    }

    #[test]
    fn cow_dates_become_partial_when_the_day_or_month_is_unknown() {
        assert_eq!(read_date(&record(&["24", "1", "1903"]), &cols("end")), Ok(p("1903-01-24")));
        assert_eq!(read_date(&record(&["-9", "7", "1902"]), &cols("start")), Ok(p("1902-07")));
        assert_eq!(read_date(&record(&["-9", "-9", "1902"]), &cols("start")), Ok(p("1902")));
        assert_eq!(read_date(&record(&["5", "-9", "1902"]), &cols("start")), Ok(p("1902")));
        assert_eq!(read_date(&record(&["3.0", "11.0", "1918.0"]), &cols("end")), Ok(p("1918-11-03")));
    }

    #[test]
    fn bad_cow_dates_say_what_is_wrong() {
        let err = |f: &[&str]| read_date(&record(f), &cols("end")).unwrap_err();
        assert_eq!(
            err(&["29", "9", "19118"]),
            "end year 19118 (year) is not a valid year: years run from 1 to 9998"
        );
        assert_eq!(
            err(&["1", "13", "1900"]),
            "end month 13 (month) is not between 1 and 12 (or -9 for unknown)"
        );
        assert_eq!(err(&["30", "2", "1900"]), "end day 30 (day) does not exist in 1900-02");
        assert_eq!(err(&["1", "1", "19x0"]), "end year \"19x0\" (year) is not a number");
        assert_eq!(err(&["1", "1", ""]), "end year (year) is missing");
        assert_eq!(err(&["1", "1", "-9"]), "end year (year) is unknown (-9)");
        assert_eq!(err(&["", "1", "1900"]), "end day (day) is missing");
    }

    #[test]
    fn the_end_is_the_day_after_the_last_day_or_the_partial_period() {
        assert_eq!(end_after(p("1903-01-24")), Ok(p("1903-01-25")));
        assert_eq!(end_after(p("1903-12-31")), Ok(p("1904-01-01")));
        assert_eq!(end_after(p("1903-01")), Ok(p("1903-01")));
        assert_eq!(end_after(p("1903")), Ok(p("1903")));
        assert!(end_after(p("9998-12-31")).is_err());
        // "Ended at some point in January 1903": active until 1902-12-31, possible in January.
        let span = Span::new(p("1902-07"), Some(p("1903-01"))).unwrap();
        assert_eq!(span.active_until, jiff::civil::date(1903, 1, 1));
        assert_eq!(span.possible_until, jiff::civil::date(1903, 2, 1));
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        let row = record(&["1", "7", "1902", "3", "5", "1902"]);
        let start = cols("start");
        let end = DateColumns::new(
            "end",
            Column { ix: 3, name: "endday" },
            Column { ix: 4, name: "endmnth" },
            Column { ix: 5, name: "endyear" },
        );
        assert_eq!(
            read_interval(&row, &start, &end),
            Err("the end 1902-05-03 is before the start 1902-07-01".into())
        );
        // A one-day dispute is fine: it ends the next day.
        let row = record(&["1", "7", "1902", "1", "7", "1902"]);
        assert_eq!(read_interval(&row, &start, &end), Ok((p("1902-07-01"), p("1902-07-02"))));
        // The last day "some day in July" with a start on 15 July: possible after the 15th.
        let row = record(&["15", "7", "1902", "-9", "7", "1902"]);
        assert_eq!(read_interval(&row, &start, &end), Ok((p("1902-07-15"), p("1902-07"))));
    }

    #[test]
    fn unions_take_the_earliest_start_and_latest_end() {
        assert_eq!(earliest_start(p("1917-01-31"), p("1915-12-15")), p("1915-12-15"));
        assert_eq!(earliest_start(p("1915-12"), p("1915-12-01")), p("1915-12-01"), "certain earlier");
        assert_eq!(latest_end(p("1918-11-04"), p("1917-02-01")), p("1918-11-04"));
        assert_eq!(latest_end(p("1918-11"), p("1918-11-30")), p("1918-11"), "possible until December");
    }

    #[test]
    fn overlaps_keep_the_certain_days_exact() {
        let o = |a: (&str, &str), b: (&str, &str)| overlap((p(a.0), p(a.1)), (p(b.0), p(b.1)));
        assert_eq!(
            o(("1902-07", "1903-01-25"), ("1902-07-01", "1903-01")),
            Some((p("1902-07"), p("1903-01")))
        );
        assert_eq!(
            o(("1998-03", "1999-06-11"), ("1998-03-09", "1999-06-11")),
            Some((p("1998-03"), p("1999-06-11")))
        );
        assert_eq!(o(("1939-09-17", "1939-09-30"), ("1944-09-20", "1945-05-08")), None);
        assert_eq!(o(("1990-01-01", "1990-02-01"), ("1990-02-01", "1990-03-01")), None, "touching");
        // A possible-only overlap is kept: one ends some day in March, the other starts on the 20th.
        assert_eq!(
            o(("1990-01-01", "1990-03"), ("1990-03-20", "1990-06-01")),
            Some((p("1990-03-20"), p("1990-03")))
        );
        // The chosen partial start's period reaches back before the other's possible days, but
        // the true overlap (possible days) is empty: skipped.
        assert_eq!(o(("1998", "1998-02-01"), ("1998-06-15", "1999")), None);
    }

    #[test]
    fn numbers_accept_stata_whole_numbers_only() {
        assert_eq!(int("12"), Some(12));
        assert_eq!(int("-9"), Some(-9));
        assert_eq!(int("12.0"), Some(12));
        assert_eq!(int("12.5"), None);
        assert_eq!(int("12."), None);
        assert_eq!(int("x"), None);
        assert_eq!(thousands(650000.0), "650,000");
        assert_eq!(thousands(400.0), "400");
        assert_eq!(thousands(1316516.0), "1,316,516");
    }

    #[test]
    fn summaries_use_the_mid_codings() {
        assert_eq!(hostility(3), "hostility level 3 (display of force)");
        assert_eq!(hostility(0), "hostility level 0");
        assert_eq!(action_label(7), Some("show of force"));
        assert_eq!(action_label(21), Some("join interstate war"));
        assert_eq!(action_label(22), None);
        assert_eq!(action_label(-9), None);
    }

    #[test]
    fn rows_get_the_line_an_editor_shows() {
        let lines_of = |text: &'static str| -> Vec<u64> {
            let mut reader =
                csv::ReaderBuilder::new().flexible(true).from_reader(Lines::new(text.as_bytes()));
            let mut record = ByteRecord::new();
            let mut lines = Vec::new();
            while reader.read_byte_record(&mut record).unwrap() {
                let start = record.position().unwrap().byte();
                lines.push(reader.get_mut().line_at(start));
            }
            lines
        };
        assert_eq!(lines_of("a,b\n1,2\n3,4\n"), [2, 3]);
        assert_eq!(lines_of("a,b\r\n1,2\r\n3,4\r\n5,6\r\n"), [2, 3, 4]);
        assert_eq!(lines_of("a,b\r\n1,2\n3,4\r\n\r\n5,6\n"), [2, 3, 5]);
        assert_eq!(lines_of("a,b\n1,\"x\ny\"\n3,4\n"), [2, 4]);
    }

    #[test]
    fn source_ids_come_from_the_file_name() {
        let s = dataset_source(Path::new("/x/dyadic_mid_4.02.csv"), "cow", "T", "P");
        assert_eq!(s.id, "cow:dyadic_mid_4.02");
        assert_eq!(s.title, "T (dyadic_mid_4.02.csv)");
        assert_eq!(dataset_source(Path::new("a b;c.csv"), "cow", "T", "P").id, "cow:a_b_c");
    }
}
