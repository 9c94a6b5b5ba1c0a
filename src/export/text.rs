//! Query results as readable text: a one-line summary first, then the detail. Meant for
//! people at a terminal or pasting into a report, not for parsing (use JSON or CSV). Control
//! characters from the data are shown escaped (see [`escape_controls`]), here and in every
//! message georel prints.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::date::{Day, Window};
use crate::export::{arrow, cite, edge_sources, EdgeText};
use crate::model::{ActorIx, Dataset, RelationIx};
use crate::query::conflicts::{Conflict, ContestedPeriod};
use crate::query::diff::{Change, Diff};
use crate::query::fractures::Fracture;
use crate::query::history::{self, Entry, History, Reach, Role};
use crate::query::neighbours::Neighbourhood;
use crate::query::path::{strained, Path};
use crate::snapshot::{Edge, Snapshot};

/// Whether a character of the data must not reach a terminal as it is: every control
/// character (ESC starts the sequences that recolour, retitle or rewrite a terminal; BEL,
/// VT, CR, backspace and the C1 controls move or mislead too), but the line break, which
/// text output and messages are made of. Data formats (CSV, JSON, DOT...) keep the exact
/// data; this is for text meant for people.
fn needs_escape(c: char) -> bool {
    c.is_control() && c != '\n'
}

/// `text` with its control characters (but line breaks) written as Rust escapes, `\u{1b}`
/// for ESC: the form error messages show them in, since they quote data with `{:?}`. Text
/// already escaped is left as it is (backslashes are not doubled), so a message is safe to
/// pass through again.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer that passes text on with [`escape_controls`] applied. Text comes in as UTF-8,
/// possibly cut anywhere: the C1 controls (U+0080 to U+009F) are two bytes, 0xC2 then
/// 0x80..=0x9F, so a trailing 0xC2 is held until the next byte says what it starts.
pub struct Escaping<W: Write> {
    inner: W,
    held: bool,
}

impl<W: Write> Escaping<W> {
    pub fn new(inner: W) -> Self {
        Escaping { inner, held: false }
    }

    fn escape(&mut self, c: char) -> io::Result<()> {
        write!(self.inner, "{}", c.escape_debug())
    }
}

impl<W: Write> Drop for Escaping<W> {
    fn drop(&mut self) {
        // Only a write cut inside a character leaves a byte held (text written with
        // `write!` never does); it is passed on rather than lost.
        if self.held {
            let _ = self.inner.write_all(&[0xC2]);
        }
    }
}

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let mut plain = 0; // start of the run of bytes passed on as they are
        let mut i = 0;
        while i < buf.len() {
            let b = buf[i];
            if self.held {
                self.held = false;
                if (0x80..=0x9F).contains(&b) {
                    self.escape(char::from(b))?;
                    i += 1;
                    plain = i;
                    continue;
                }
                self.inner.write_all(&[0xC2])?;
            }
            if b == 0xC2 {
                match buf.get(i + 1) {
                    Some(&next) if (0x80..=0x9F).contains(&next) => {
                        self.inner.write_all(&buf[plain..i])?;
                        self.escape(char::from(next))?;
                        i += 2;
                        plain = i;
                    }
                    // The start of a printable character: part of the run.
                    Some(_) => i += 1,
                    None => {
                        self.inner.write_all(&buf[plain..i])?;
                        self.held = true;
                        i += 1;
                        plain = i;
                    }
                }
                continue;
            }
            if b.is_ascii() && needs_escape(char::from(b)) {
                self.inner.write_all(&buf[plain..i])?;
                self.escape(char::from(b))?;
                plain = i + 1;
            }
            i += 1;
        }
        self.inner.write_all(&buf[plain..])
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.held {
            // A text cut after its last byte: not a control, pass it on.
            self.held = false;
            self.inner.write_all(&[0xC2])?;
        }
        self.inner.flush()
    }
}

/// `Name (ID)`; the name alone when it already shows the id ("… Service (DDIS)"), and the
/// id alone when the actor has no other name.
pub fn actor(ds: &Dataset, a: ActorIx) -> String {
    let actor = ds.actor(a);
    // A name in several lines (a quoted line break in actors.csv) is shown on one: its next
    // line, at the margin, read as another pair or entry.
    let name = if actor.name.contains('\n') {
        Cow::Owned(actor.name.lines().collect::<Vec<_>>().join(" "))
    } else {
        Cow::Borrowed(&*actor.name)
    };
    if name.contains(&*actor.id) {
        name.into_owned()
    } else {
        format!("{name} ({})", actor.id)
    }
}

/// The widest a line of a wrapped text output is, in characters.
pub const WIDTH: usize = 100;

/// `line` wrapped to [`WIDTH`] characters, each further line indented by `indent` spaces (a
/// hanging indent). A line is made of fields set apart by two spaces or more (the id, the
/// dates, the sources...): a field that fits on the line goes on it, else on the next one,
/// and only a field longer than a whole line is broken, at its spaces. A word longer than a
/// line, such as a link, is never cut: it gets a line of its own. The spaces between fields
/// on a line (aligned columns) are kept.
pub fn wrap(line: &str, indent: usize) -> String {
    let mut w = Wrapper { out: String::with_capacity(line.len() + 16), col: 0, start: 0, indent };
    // A line break in the data (a name or a summary written in several lines) goes on at the
    // hanging indent, as a wrapped line does: at the margin it would read as a new entry.
    let parts: Vec<&str> = line.split('\n').collect();
    let last = parts.len() - 1;
    for (i, part) in parts.into_iter().enumerate() {
        let part = if i < last { part.trim_end_matches(' ') } else { part };
        let part = if i > 0 { part.trim_start_matches(' ') } else { part };
        if i > 0 {
            if part.is_empty() {
                continue;
            }
            w.newline();
        }
        w.fields(part);
    }
    w.out
}

impl Wrapper {
    /// One line of the data, field by field (see [`wrap`]).
    fn fields(&mut self, line: &str) {
        let width = |t: &str| t.chars().count();
        let mut rest = line;
        while !rest.is_empty() {
            let after = rest.trim_start_matches(' ');
            let gap = &rest[..rest.len() - after.len()];
            let end = after.find("  ").unwrap_or(after.len());
            let (field, next) = after.split_at(end);
            rest = next;
            let first_word = field.split(' ').next().unwrap_or("");
            if self.col == self.start || self.col + width(gap) + width(field) <= WIDTH {
                self.gap(gap);
                self.words(field);
            } else if self.indent + width(field) <= WIDTH || self.col + width(gap) + width(first_word) > WIDTH
            {
                self.newline();
                self.words(field);
            } else {
                // Longer than a line: it starts here and is broken at its spaces.
                self.gap(gap);
                self.words(field);
            }
        }
    }
}

/// The line being wrapped by [`wrap`].
struct Wrapper {
    out: String,
    /// Characters on the current line.
    col: usize,
    /// Where the current line's text starts: anything goes there, whatever its length.
    start: usize,
    indent: usize,
}

impl Wrapper {
    fn push(&mut self, text: &str) {
        self.out.push_str(text);
        self.col += text.chars().count();
    }

    /// The spaces before a field: kept on a line (aligned columns, and the first line's
    /// indent), dropped where a line was broken (the hanging indent stands for them).
    fn gap(&mut self, gap: &str) {
        if self.col != self.start || self.out.is_empty() {
            self.push(gap);
        }
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.out.extend(std::iter::repeat_n(' ', self.indent));
        self.col = self.indent;
        self.start = self.indent;
    }

    /// `field` word by word, breaking lines at its spaces where it must.
    fn words(&mut self, field: &str) {
        for (i, word) in field.split(' ').enumerate() {
            let gap = usize::from(i > 0);
            if self.col > self.start && self.col + gap + word.chars().count() > WIDTH {
                self.newline();
            } else if i > 0 {
                self.push(" ");
            }
            self.push(word);
        }
    }
}

fn until(day: Option<Day>) -> String {
    day.map_or_else(|| "open".to_string(), |d| d.to_string())
}

/// `n` and what it counts, singular when `n` is one: `1 relation`, `2 relations`. Every count
/// georel prints to people is written with it.
pub fn count<N: std::fmt::Display + PartialEq + From<u8>>(n: N, one: &str, many: &str) -> String {
    format!("{n} {}", if n == N::from(1) { one } else { many })
}

/// One line for a snapshot edge: kind, status, contested, id, dates, evidence.
fn edge_line(snapshot: &Snapshot<'_>, edge: &Edge) -> String {
    let t = EdgeText::of(snapshot, edge);
    let mut line = format!(
        "{:<11} {:<8} {}{}  {} → {}",
        edge.kind.as_str(),
        edge.status.as_str(),
        if edge.contested { "CONTESTED " } else { "" },
        t.id,
        t.start,
        if t.end.is_empty() { "open" } else { &t.end },
    );
    if t.relations.len() > 1 {
        line.push_str(&format!("  ({})", t.relations.join(", ")));
    }
    let sources = edge_sources(snapshot, edge);
    if !sources.is_empty() {
        line.push_str(&format!(
            "  [{}]",
            cite::shorts_at_most(snapshot.dataset, &sources, cite::TEXT_SOURCES)
        ));
    }
    line.push_str(&format!("  grade {}", t.grades.join(", ")));
    push_claimants(&mut line, snapshot.dataset, &t.claimants);
    line
}

/// `  claimed by Name (ID)`, naming each claimant, or nothing.
fn push_claimants(line: &mut String, ds: &Dataset, claimants: &[ActorIx]) {
    if !claimants.is_empty() {
        let names: Vec<String> = claimants.iter().map(|&c| actor(ds, c)).collect();
        line.push_str(&format!("  claimed by {}", names.join(", ")));
    }
}

/// One line for a relation: id, kind, the two actors, dates, evidence.
pub(crate) fn relation_line(ds: &Dataset, r: RelationIx) -> String {
    let rel = ds.relation(r);
    let arrow = arrow(rel.directed);
    let mut line = format!(
        "{}  {}  {} {arrow} {}  {} → {}",
        rel.id,
        rel.kind,
        actor(ds, rel.source),
        actor(ds, rel.target),
        rel.start,
        rel.end.map_or_else(|| "open".to_string(), |e| e.to_string()),
    );
    if !rel.evidence().is_empty() {
        line.push_str(&format!("  [{}]", cite::shorts_at_most(ds, rel.evidence(), cite::TEXT_SOURCES)));
    }
    line.push_str(&format!("  grade {}", ds.grade(r)));
    push_claimants(&mut line, ds, rel.claimant().as_slice());
    line
}

/// `a`, an arrow, `b`: the ends of some edges written in the order asked, with the arrow of
/// the edges' direction: `→` when every edge runs from `a` to `b`, `←` when every one runs
/// from `b` to `a`, `—` when one is mutual or they run both ways. A path hop, a neighbourhood
/// and a contested pair all write their links with it, so that a restriction reads in its own
/// direction whichever way the answer walks it.
fn link<'e>(
    ds: &Dataset,
    a: ActorIx,
    b: ActorIx,
    edges: impl IntoIterator<Item = &'e Edge>,
    name: fn(&Dataset, ActorIx) -> String,
) -> String {
    let (mut forward, mut backward, mut mutual) = (false, false, false);
    for e in edges {
        match (e.directed, e.source == a) {
            (false, _) => mutual = true,
            (true, true) => forward = true,
            (true, false) => backward = true,
        }
    }
    let arrow = match (forward, backward, mutual) {
        (true, false, false) => "→",
        (false, true, false) => "←",
        _ => "—",
    };
    format!("{} {arrow} {}", name(ds, a), name(ds, b))
}

/// An edge's ends by id, source first, with its arrow (see [`link`]).
fn edge_ends(ds: &Dataset, e: &Edge) -> String {
    link(ds, e.source, e.target, [e], |ds, a| ds.actor(a).id.to_string())
}

/// A path (or, with `--all`, each path), hop by hop, with strained hops marked.
///
/// # Errors
/// When `out` fails.
pub fn paths(snapshot: &Snapshot<'_>, paths: &[Path], out: &mut dyn Write) -> io::Result<()> {
    let out = &mut Escaping::new(out);
    let ds = snapshot.dataset;
    for (n, path) in paths.iter().enumerate() {
        let strained_hops = path.hops.iter().filter(|h| strained(snapshot, &h.edges)).count();
        let (from, to) = (path.actors[0], *path.actors.last().expect("a path has actors"));
        if paths.len() > 1 {
            if n > 0 {
                writeln!(out)?;
            }
            write!(out, "path {}: ", n + 1)?;
        }
        let weakest =
            path.weakest_grade(snapshot).map(|g| format!(", weakest grade {g}")).unwrap_or_default();
        writeln!(
            out,
            "{} to {} {}: {}, {} strained{weakest}{}",
            actor(ds, from),
            actor(ds, to),
            snapshot.window.phrase(),
            count(path.hop_count(), "hop", "hops"),
            strained_hops,
            if n == 0 { ds.graded_out().note_on(snapshot.window) } else { String::new() },
        )?;
        for (i, hop) in path.hops.iter().enumerate() {
            let (a, b) = (path.actors[i], path.actors[i + 1]);
            let mark = if strained(snapshot, &hop.edges) { "  STRAINED" } else { "" };
            let hop_edges = hop.edges.iter().map(|&e| &snapshot.edges[e]);
            let line = format!("  {}. {}{mark}", i + 1, link(ds, a, b, hop_edges, actor));
            writeln!(out, "{}", wrap(&line, 7))?;
            if hop.part_of {
                let (child, parent) = if ds.actor(a).parent == Some(b) { (a, b) } else { (b, a) };
                writeln!(
                    out,
                    "       part of      {} belongs to {}",
                    ds.actor(child).id,
                    ds.actor(parent).id
                )?;
            }
            for &e in &hop.edges {
                let e = &snapshot.edges[e];
                let line = format!("       {}  {}", edge_ends(ds, e), edge_line(snapshot, e));
                writeln!(out, "{}", wrap(&line, 11))?;
            }
        }
    }
    Ok(())
}

/// The actors of a neighbourhood by distance, then the relations among them.
///
/// # Errors
/// When `out` fails.
pub fn neighbours(sub: &Snapshot<'_>, hood: &Neighbourhood, out: &mut dyn Write) -> io::Result<()> {
    let out = &mut Escaping::new(out);
    let ds = sub.dataset;
    writeln!(
        out,
        "neighbours of {} {}, depth {}: {} within reach, {}{}",
        actor(ds, hood.centre),
        sub.window.phrase(),
        hood.depth,
        count(hood.within_reach(), "actor", "actors"),
        count(sub.edges.len(), "relation", "relations"),
        ds.graded_out().note_on(sub.window),
    )?;
    let max = hood.actors.iter().map(|&(_, d)| d).max().unwrap_or(0);
    for distance in 1..=max {
        let names: Vec<String> =
            hood.actors.iter().filter(|&&(_, d)| d == distance).map(|&(a, _)| actor(ds, a)).collect();
        let line = format!("  {}: {}", count(distance, "hop", "hops"), names.join(", "));
        writeln!(out, "{}", wrap(&line, 6))?;
    }
    if !sub.edges.is_empty() {
        writeln!(out, "relations among them:")?;
        for e in &sub.edges {
            writeln!(out, "  {}", edge_ends(ds, e))?;
            writeln!(out, "{}", wrap(&format!("       {}", edge_line(sub, e)), 11))?;
        }
    }
    Ok(())
}

/// The changes between two days, grouped by kind of change.
///
/// # Errors
/// When `out` fails.
pub fn diff(ds: &Dataset, diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    let out = &mut Escaping::new(out);
    let changed = |c: Change| diff.relations.iter().filter(|r| r.change == c).count();
    let became = diff.pairs.iter().filter(|p| p.became).count();
    writeln!(
        out,
        "changes from {} to {}: {} started, {} ended, {} became active, {} became possible; {} became contested, {} stopped being contested{}",
        diff.from,
        diff.to,
        changed(Change::Started),
        changed(Change::Ended),
        changed(Change::BecameActive),
        changed(Change::BecamePossible),
        count(became, "pair", "pairs"),
        diff.pairs.len() - became,
        ds.graded_out().note_on(Window { first: diff.from, last: diff.to }),
    )?;
    // Said only when there are some, so that a diff of two days reads as it always did.
    let transient = changed(Change::Transient);
    if transient > 0 {
        writeln!(
            out,
            "and {} started and ended in between (transient)",
            count(transient, "relation", "relations")
        )?;
    }
    for change in
        [Change::Started, Change::Ended, Change::BecameActive, Change::BecamePossible, Change::Transient]
    {
        let mut items = diff.relations.iter().filter(|r| r.change == change).peekable();
        if items.peek().is_some() {
            writeln!(out, "{}:", change.as_str())?;
            for item in items {
                writeln!(out, "{}", wrap(&format!("  {}", relation_line(ds, item.relation)), 6))?;
            }
        }
    }
    for (became, title) in [(true, "became contested"), (false, "stopped being contested")] {
        let mut items = diff.pairs.iter().filter(|p| p.became == became).peekable();
        if items.peek().is_some() {
            writeln!(out, "{title}:")?;
            for p in items {
                let ids: Vec<String> = p.relations.iter().map(|&r| ds.relation(r).id.to_string()).collect();
                let line = format!("  {} – {}: {}", actor(ds, p.a), actor(ds, p.b), ids.join(", "));
                writeln!(out, "{}", wrap(&line, 6))?;
            }
        }
    }
    Ok(())
}

/// Where a timeline entry's relation starts on its line (after the date and the event), and
/// so where its continuation lines and its summary begin.
const ENTRY_INDENT: usize = 21;

/// The dated record of an actor or a pair, and a pair's state as periods, in lines of at
/// most [`WIDTH`] characters (but a longer word, and the one-line summary, which stays one
/// line for those who look for it).
///
/// # Errors
/// When `out` fails.
pub fn timeline(ds: &Dataset, history: &History, claims: &[Entry], out: &mut dyn Write) -> io::Result<()> {
    let out = &mut Escaping::new(out);
    let mut subject = match history.other {
        Some(o) => format!("{} and {}", actor(ds, history.actor), actor(ds, o)),
        None => actor(ds, history.actor),
    };
    if history.reach == Reach::Exact {
        subject.push_str(" (the actors themselves only)");
    }
    let relations = history.entries.iter().filter(|e| e.event == crate::query::history::Event::Start).count();
    let claimed = claims.iter().filter(|e| e.event == crate::query::history::Event::Start).count();
    let claimed = if claimed > 0 {
        format!(", {}", count(claimed, "claim made", "claims made"))
    } else {
        String::new()
    };
    writeln!(
        out,
        "timeline of {subject}: {}, {}{claimed}{}",
        count(history.entries.len() + claims.len(), "entry", "entries"),
        count(relations, "relation", "relations"),
        history::left_out_note(ds, history),
    )?;
    for (e, role) in history::merged(ds, history, claims) {
        let rel = ds.relation(e.relation);
        let date = e.date.to_string();
        // A claim the subject made about others is marked, so it is not read as its own
        // relation.
        let claim = if role == Role::Claimant { "its claim: " } else { "" };
        let via: Vec<&str> = match role {
            Role::Party => e.via(history).into_iter().map(|a| &*ds.actor(a).id).collect(),
            Role::Claimant => Vec::new(),
        };
        let mark = if e.inside {
            format!("  (inside {})", ds.actor(history.actor).id)
        } else if via.is_empty() {
            String::new()
        } else {
            format!("  (via {})", via.join(" and "))
        };
        let line =
            format!("  {date:<10}  {:<5}  {claim}{}{mark}", e.event.as_str(), relation_line(ds, e.relation));
        writeln!(out, "{}", wrap(&line, ENTRY_INDENT))?;
        if e.event == history::Event::Start && !rel.summary().is_empty() {
            let summary = format!("{:ENTRY_INDENT$}{}", "", rel.summary());
            writeln!(out, "{}", wrap(&summary, ENTRY_INDENT))?;
        }
    }
    if history.other.is_some() && !history.periods.is_empty() {
        writeln!(out, "state of the pair (from a day until, not including, the next):")?;
        for p in &history.periods {
            let ids: Vec<String> = p.relations.iter().map(|&r| ds.relation(r).id.to_string()).collect();
            let line = format!(
                "  {} → {:<10}  {}{}  ({})",
                p.from,
                until(p.until),
                p.state.label(),
                if p.certain { "" } else { " (possible)" },
                ids.join(", ")
            );
            // Continued under the state: the period's dates stand out on the left.
            writeln!(out, "{}", wrap(&line, 27))?;
        }
    }
    Ok(())
}

/// The full citation ([`cite::full`]) of each source of an edge, once each, the first
/// [`cite::TEXT_SOURCES`] of them and how many more.
fn source_lines(snapshot: &Snapshot<'_>, edge: &Edge, out: &mut dyn Write) -> io::Result<()> {
    let sources = edge_sources(snapshot, edge);
    for &s in sources.iter().take(cite::TEXT_SOURCES) {
        writeln!(out, "{}", wrap(&format!("           {}", cite::full(snapshot.dataset.source(s))), 13))?;
    }
    if sources.len() > cite::TEXT_SOURCES {
        writeln!(
            out,
            "           and {} more (all in the CSV and JSON outputs)",
            sources.len() - cite::TEXT_SOURCES
        )?;
    }
    Ok(())
}

/// The contested pairs of a snapshot (by the contested cooperation's pair), each with the
/// cooperation and, beside it, the restriction covering it (between the same two or between
/// their ancestors: each line names its real ends), and their sources.
///
/// # Errors
/// When `out` fails.
pub fn conflicts_on(snapshot: &Snapshot<'_>, conflicts: &[Conflict], out: &mut dyn Write) -> io::Result<()> {
    let out = &mut Escaping::new(out);
    let ds = snapshot.dataset;
    writeln!(
        out,
        "contested pairs {}: {}{}",
        snapshot.window.phrase(),
        conflicts.len(),
        ds.graded_out().note_on(snapshot.window)
    )?;
    for c in conflicts {
        writeln!(out, "{} – {}", actor(ds, c.a), actor(ds, c.b))?;
        for (side, edges) in [("cooperation", &c.cooperation), ("restriction", &c.restriction)] {
            writeln!(out, "  {side}:")?;
            for &i in edges {
                let e = &snapshot.edges[i];
                writeln!(
                    out,
                    "{}",
                    wrap(&format!("     {}  {}", edge_ends(ds, e), edge_line(snapshot, e)), 9)
                )?;
                for m in snapshot.members(e) {
                    let summary = &ds.relation(m.relation).summary();
                    if !summary.is_empty() {
                        writeln!(out, "{}", wrap(&format!("           {summary}"), 11))?;
                    }
                }
                // Claimants (issue 14, section 3) go beside the sources, edge by edge.
                source_lines(snapshot, e, out)?;
            }
        }
    }
    Ok(())
}

/// A snapshot's relations grouped by pair: the contested pairs first, then by the two actors'
/// ids; each relation with its short citations.
///
/// # Errors
/// When `out` fails.
pub fn snapshot(snapshot: &Snapshot<'_>, out: &mut dyn Write) -> io::Result<()> {
    let out = &mut Escaping::new(out);
    let ds = snapshot.dataset;
    let mut pairs: std::collections::BTreeMap<(&str, &str), (ActorIx, ActorIx, Vec<&Edge>)> =
        std::collections::BTreeMap::new();
    for e in &snapshot.edges {
        let (a, b) = if ds.actor(e.source).id <= ds.actor(e.target).id {
            (e.source, e.target)
        } else {
            (e.target, e.source)
        };
        pairs.entry((&ds.actor(a).id, &ds.actor(b).id)).or_insert((a, b, Vec::new())).2.push(e);
    }
    let mut pairs: Vec<(ActorIx, ActorIx, Vec<&Edge>)> = pairs.into_values().collect();
    let contested = |edges: &[&Edge]| edges.iter().any(|e| e.contested);
    // Stable: within each part, still by ids.
    pairs.sort_by_key(|(_, _, edges)| !contested(edges));
    let contested_pairs = pairs.iter().filter(|(_, _, edges)| contested(edges)).count();
    writeln!(
        out,
        "snapshot {}: {} between {} ({} possible, {} contested; {}){}",
        snapshot.window.phrase(),
        count(snapshot.edges.len(), "relation", "relations"),
        count(pairs.len(), "pair", "pairs"),
        snapshot.possible_count(),
        snapshot.contested_count(),
        count(contested_pairs, "contested pair", "contested pairs"),
        ds.graded_out().note_on(snapshot.window),
    )?;
    for (a, b, edges) in &pairs {
        let mark = if contested(edges) { "  CONTESTED" } else { "" };
        writeln!(out, "{} – {}{mark}", actor(ds, *a), actor(ds, *b))?;
        for e in edges {
            let line = format!("  {}  {}", edge_ends(ds, e), edge_line(snapshot, e));
            writeln!(out, "{}", wrap(&line, 6))?;
        }
    }
    Ok(())
}

/// Every period in which a pair was contested.
///
/// # Errors
/// When `out` fails.
pub fn conflict_periods(ds: &Dataset, periods: &[ContestedPeriod], out: &mut dyn Write) -> io::Result<()> {
    let out = &mut Escaping::new(out);
    writeln!(
        out,
        "contested periods: {} (from a day until, not including, the next){}",
        periods.len(),
        ds.graded_out().note(|_| true)
    )?;
    for p in periods {
        let ids = |rs: &[RelationIx]| {
            rs.iter().map(|&r| ds.relation(r).id.to_string()).collect::<Vec<_>>().join(", ")
        };
        let line = format!(
            "  {} → {:<10}  {} – {}{}",
            p.from,
            until(p.until),
            actor(ds, p.a),
            actor(ds, p.b),
            if p.certain { "" } else { "  (possible)" },
        );
        writeln!(out, "{}", wrap(&line, 27))?;
        writeln!(out, "{}", wrap(&format!("      cooperation: {}", ids(&p.cooperation)), 19))?;
        writeln!(out, "{}", wrap(&format!("      restriction: {}", ids(&p.restriction)), 19))?;
    }
    Ok(())
}

/// Fractures by group: who restricts or disputes whom inside each alliance or agreement.
///
/// # Errors
/// When `out` fails.
pub fn fractures(
    ds: &Dataset,
    window: Window,
    fractures: &[Fracture],
    by_country: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let out = &mut Escaping::new(out);
    let mut groups: Vec<ActorIx> = fractures.iter().map(|f| f.group).collect();
    groups.dedup();
    let counts: Vec<String> = groups
        .iter()
        .map(|&g| format!("{} {}", ds.actor(g).name, fractures.iter().filter(|f| f.group == g).count()))
        .collect();
    writeln!(
        out,
        "fractures {}: {}{}{}",
        window.phrase(),
        fractures.len(),
        if counts.is_empty() { String::new() } else { format!(" ({})", counts.join(", ")) },
        ds.graded_out().note_on(window)
    )?;
    for g in groups {
        writeln!(out, "{}", actor(ds, g))?;
        for f in fractures.iter().filter(|f| f.group == g) {
            let rel = ds.relation(f.relation);
            let side = |a: ActorIx, member: ActorIx| {
                if by_country || a == member {
                    actor(ds, member)
                } else {
                    format!("{} [{}]", actor(ds, a), ds.actor(member).id)
                }
            };
            let line = format!(
                "  {} {} {}  {} {}",
                side(rel.source, f.source_member),
                arrow(rel.directed),
                side(rel.target, f.target_member),
                rel.kind,
                f.status
            );
            writeln!(out, "{}", wrap(&line, 6))?;
            writeln!(out, "{}", wrap(&format!("       {}", relation_line(ds, f.relation)), 11))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use proptest::prelude::*;

    use super::{escape_controls, wrap, Escaping, WIDTH};

    #[test]
    fn controls_are_escaped_as_error_messages_quote_them() {
        let text = "a\u{1b}[31mb\u{7}c\u{b}d\re\tf\u{9b}g\u{7f}h\ni é\u{a0}Â";
        assert_eq!(escape_controls(text), "a\\u{1b}[31mb\\u{7}c\\u{b}d\\re\\tf\\u{9b}g\\u{7f}h\ni é\u{a0}Â");
        // The same escapes as `{:?}`, line breaks aside.
        for c in ['\u{1b}', '\u{7}', '\u{b}', '\r', '\u{9b}', '\0'] {
            assert_eq!(escape_controls(&c.to_string()), format!("{c:?}").trim_matches('\''));
        }
        // Escaped text passes again unchanged.
        let once = escape_controls(text).into_owned();
        assert_eq!(escape_controls(&once), once);
    }

    #[test]
    fn wrapping_moves_whole_fields_and_never_cuts_a_word() {
        let line =
            format!("  2025-11-11  start  ID  {}  2025-11-11 → open  [A, 2025 (B)]", "x ".repeat(30).trim());
        // The dates do not fit after the 84 characters before them: they move, whole.
        assert_eq!(
            wrap(&line, 21),
            format!(
                "  2025-11-11  start  ID  {}\n                     2025-11-11 → open  [A, 2025 (B)]",
                "x ".repeat(30).trim()
            )
        );
        let link = format!("see https://example.org/{}", "a".repeat(120));
        assert_eq!(wrap(&link, 4), format!("see\n    https://example.org/{}", "a".repeat(120)));
        assert_eq!(wrap("short", 4), "short");
    }

    #[test]
    fn a_line_break_in_the_data_goes_on_at_the_hanging_indent() {
        // A summary or a name in two lines: its second line at the margin read as a new entry.
        assert_eq!(
            wrap("  1900  start  R1\nnext  1900 → open", 6),
            "  1900  start  R1\n      next  1900 → open"
        );
        assert_eq!(wrap("a \n\n  b", 2), "a\n  b");
    }

    proptest! {
        /// Wrapping only turns spaces into line breaks and indents: the words stay, in order,
        /// and every line is at most WIDTH characters but one that is a single word.
        #[test]
        fn wrapped_lines_fit_and_keep_every_word(
            words in proptest::collection::vec("[a-zé→\\[\\]\n]{1,30}", 0..60),
            gaps in proptest::collection::vec(1usize..4, 60),
            indent in 0usize..40,
        ) {
            let mut line = String::new();
            for (w, g) in words.iter().zip(&gaps) {
                line.push_str(&" ".repeat(*g));
                line.push_str(w);
            }
            let wrapped = wrap(&line, indent);
            let split = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            prop_assert_eq!(split(&wrapped), split(&line));
            for (i, l) in wrapped.lines().enumerate() {
                prop_assert!(l.chars().count() <= WIDTH || !l.trim().contains(' '), "{}", l);
                prop_assert!(!l.ends_with(' '), "no trailing spaces: {:?}", l);
                if i > 0 {
                    prop_assert!(l.starts_with(&" ".repeat(indent)), "{}", l);
                }
            }
        }

        /// The writer escapes what `escape_controls` does, however the text is cut into
        /// writes (a C1 control is two bytes, and may be cut between them).
        #[test]
        fn the_writer_escapes_as_the_function_does(
            text in "(\\PC|[\u{0}-\u{1f}\u{7f}-\u{a0}]|é|Â){0,40}",
            cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..6),
        ) {
            let bytes = text.as_bytes();
            let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
            at.push(0);
            at.push(bytes.len());
            at.sort_unstable();
            let mut out = Vec::new();
            {
                let mut w = Escaping::new(&mut out);
                for pair in at.windows(2) {
                    w.write_all(&bytes[pair[0]..pair[1]]).unwrap();
                }
                w.flush().unwrap();
            }
            prop_assert_eq!(String::from_utf8(out).unwrap(), escape_controls(&text).into_owned());
        }
    }
}
