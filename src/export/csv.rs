//! Snapshot tables as CSV for spreadsheets: `nodes.csv` and `edges.csv`.
//!
//! Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
//! carriage return) are neutralised as OWASP recommends for CSV injection: a single quote is
//! put in front, so the cell shows as text.
//!
//! A spreadsheet opens at most [`SPREADSHEET_ROWS`] rows and drops the rest, often with a
//! warning that is easy to miss: every CSV meant for one is written through
//! [`for_spreadsheet`], which warns once on stderr when the file is longer.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::export::EdgeText;
use crate::hint::prefetch;
use crate::model::{ActorIx, Dataset, Relation, RelationId, RelationIx};
use crate::query::conflicts::{Conflict, ContestedPeriod};
use crate::query::diff::Diff;
use crate::query::fractures::Fracture;
use crate::query::history::{self, History};
use crate::query::neighbours::Neighbourhood;
use crate::query::path::{strained, Path};
use crate::snapshot::{Edge, Grouping, Snapshot, StreamEdge};

pub const NODES_HEADER: [&str; 5] = ["id", "name", "kind", "parent", "degree"];
/// Makes a cell safe to open in a spreadsheet (see the module docs).
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The most rows Excel and LibreOffice Calc open in a sheet, the header row included.
pub const SPREADSHEET_ROWS: u64 = 1_048_576;

/// Writes a CSV meant for a spreadsheet (`what` names it: "the edges CSV") to `out` with
/// `write`, counting its rows, and warns on stderr, once, when it has more than
/// [`SPREADSHEET_ROWS`].
///
/// # Errors
/// When `write` fails.
pub fn for_spreadsheet(
    what: &str,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut counted = Rows::new(out);
    write(&mut counted)?;
    if let Some(warning) = too_many_rows(what, counted.rows()) {
        crate::progress::note(&format!("georel: warning: {warning}"));
    }
    Ok(())
}

/// The warning for a CSV of `rows` rows, header included, if a spreadsheet cannot open them
/// all.
pub fn too_many_rows(what: &str, rows: u64) -> Option<String> {
    (rows > SPREADSHEET_ROWS).then(|| {
        format!(
            "{what} has {rows} rows with its header, more than a spreadsheet opens: Excel and LibreOffice Calc \
             read only the first {SPREADSHEET_ROWS} and drop the other {}. Narrow it (a shorter period, fewer \
             --kinds, --strict, --by-country, --min-reliability or --min-credibility) or read it with a tool \
             made for large tables",
            rows - SPREADSHEET_ROWS
        )
    })
}

/// A writer counting the CSV records written through it: the line ends outside double quotes
/// (a line break inside a cell is quoted, as RFC 4180 and the csv crate write it; a quote
/// inside a quoted cell is doubled, so counting quotes keeps track), and a last record
/// without a line end.
pub struct Rows<W> {
    out: W,
    ends: u64,
    quoted: bool,
    /// Bytes written since the last line end.
    open_line: bool,
}

impl<W: Write> Rows<W> {
    pub fn new(out: W) -> Self {
        Rows { out, ends: 0, quoted: false, open_line: false }
    }

    /// The records written so far.
    pub fn rows(&self) -> u64 {
        self.ends + u64::from(self.open_line)
    }

    fn count(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        for at in memchr::memchr2_iter(b'"', b'\n', bytes) {
            if bytes[at] == b'"' {
                self.quoted = !self.quoted;
            } else if !self.quoted {
                self.ends += 1;
            }
        }
        self.open_line = bytes.last() != Some(&b'\n') || self.quoted;
    }
}

impl<W: Write> Write for Rows<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.count(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new().from_writer(out)
}

/// The I/O error inside a CSV writer's error, kind and all: `?` on a `csv::Error` makes an
/// `Other` of it, and a closed pipe would then be reported rather than end quietly.
pub(crate) fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes `id,name,kind,parent,degree`, one row per actor in the snapshot, sorted by id.
///
/// # Errors
/// When `out` fails.
pub fn write_nodes(snapshot: &Snapshot<'_>, out: &mut dyn Write) -> io::Result<()> {
    let ds = snapshot.dataset;
    let mut w = writer(out);
    w.write_record(NODES_HEADER).map_err(io_error)?;
    let mut degree = itoa::Buffer::new();
    for node in &snapshot.nodes {
        let a = ds.actor(node.actor);
        let parent = a.parent.map_or("", |p| &ds.actor(p).id);
        w.write_record([
            &*spreadsheet_safe(&a.id),
            &*spreadsheet_safe(&a.name),
            a.kind.as_str(),
            &*spreadsheet_safe(parent),
            degree.format(node.degree),
        ])
        .map_err(io_error)?;
    }
    w.flush()
}

/// Writes `id,source,target,kind,start,end,directed,status,contested,evidence,summary`, then
/// (rolled up to countries) `relations`, the ids of the merged relations, then
/// `claimant,credibility,grade` ([`EDGE_COLUMNS`]), one row per edge in the snapshot's order.
///
/// # Errors
/// When `out` fails.
pub fn write_edges(snapshot: &Snapshot<'_>, out: &mut dyn Write) -> io::Result<()> {
    let columns = edge_columns(snapshot.options.grouping);
    let ds = snapshot.dataset;
    let mut w = writer(out);
    w.write_record(&columns).map_err(io_error)?;
    let mut text = EdgeRow::default();
    for (i, edge) in snapshot.edges.iter().enumerate() {
        // The relations of a large snapshot are met in random order: ask for the one a few
        // rows ahead now, so that it is in the cache when its row is written (the misses
        // were a third of the time of writing 3.7 million rows).
        if let Some(ahead) = snapshot.edges.get(i + 16) {
            prefetch(ds.relation(snapshot.members(ahead)[0].relation));
        }
        text.fill(snapshot, edge);
        let cells = text.cells(ds, edge).map(spreadsheet_safe);
        let kept =
            cells.iter().enumerate().filter(|&(i, _)| i != RELATIONS || columns.len() == EDGE_COLUMNS.len());
        w.write_record(kept.map(|(_, c)| c.as_bytes())).map_err(io_error)?;
    }
    w.flush()
}

/// Writes the rows of the edges CSV of a snapshot taken source by source
/// ([`crate::snapshot::stream`]), as [`write_edges`] writes those of a [`Snapshot`] actor by
/// actor, after [`write_edge_header`]: each source's rows as they come, into a buffer.
///
/// The same bytes as the csv crate's writer (the rows are compared in the tests), but
/// written directly: each actor's cell is made once ([`ActorCells`]), the dates digit by
/// digit, and only a cell that may need it is checked for quoting (the id, evidence and
/// summary). Through the csv writer, formatting the 3.7 million rows of the 10M benchmark's
/// day was about 12% of the samples of a cold snapshot, against 2% now.
pub struct EdgeStream<'w> {
    out: &'w mut Vec<u8>,
    actors: &'w ActorCells,
    evidence: String,
}

/// The cell of each actor's id in a CSV file: made safe for spreadsheets, and quoted when it
/// needs to be, once for all the rows that name the actor.
pub struct ActorCells {
    bytes: Vec<u8>,
    /// Actor `a`'s cell is `bytes[ends[a - 1]..ends[a]]` (from 0 for the first).
    ends: Vec<usize>,
}

impl ActorCells {
    pub fn of(people: &Dataset) -> ActorCells {
        let mut bytes = Vec::new();
        let ends = people
            .actors
            .iter()
            .map(|a| {
                push_cell(&mut bytes, &a.id);
                bytes.len()
            })
            .collect();
        ActorCells { bytes, ends }
    }

    fn cell(&self, actor: ActorIx) -> &[u8] {
        let i = actor.index();
        let from = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[from..self.ends[i]]
    }
}

/// Writes `cell` as the csv crate's writer writes [`spreadsheet_safe`]`(cell)`: in double
/// quotes (doubling those inside) when it holds a comma, a double quote or a line break.
fn push_cell(out: &mut Vec<u8>, cell: &str) {
    let safe = spreadsheet_safe(cell);
    let bytes = safe.as_bytes();
    if bytes.iter().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        out.push(b'"');
        for &b in bytes {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(bytes);
    }
}

/// Writes the header of the edges CSV of a snapshot actor by actor.
///
/// # Errors
/// When `out` fails.
pub fn write_edge_header(out: &mut dyn Write) -> io::Result<()> {
    let mut w = writer(out);
    w.write_record(edge_columns(Grouping::Actors)).map_err(io_error)?;
    w.flush()
}

impl<'w> EdgeStream<'w> {
    /// Rows written at the end of `out`; `actors` holds the cells of the actors of the
    /// dataset whose edges are written.
    pub fn new(out: &'w mut Vec<u8>, actors: &'w ActorCells) -> Self {
        EdgeStream { out, actors, evidence: String::new() }
    }

    /// Writes the rows of `edges`; `people` names their sources of evidence.
    pub fn rows(&mut self, people: &Dataset, edges: &[StreamEdge]) {
        let out = &mut *self.out;
        for edge in edges {
            let r = &edge.relation;
            match &r.id {
                RelationId::Named(id) => push_cell(out, id),
                RelationId::Line(line) => {
                    out.extend_from_slice(b"line ");
                    out.extend_from_slice(itoa::Buffer::new().format(*line).as_bytes());
                }
            }
            out.push(b',');
            out.extend_from_slice(self.actors.cell(r.source));
            out.push(b',');
            out.extend_from_slice(self.actors.cell(r.target));
            out.push(b',');
            out.extend_from_slice(r.kind.as_str().as_bytes());
            out.push(b',');
            r.start.push_to(out);
            out.push(b',');
            if let Some(end) = r.end {
                end.push_to(out);
            }
            for cell in [bool_text(r.directed), edge.status.as_str(), bool_text(edge.contested)] {
                out.push(b',');
                out.extend_from_slice(cell.as_bytes());
            }
            out.push(b',');
            if !r.evidence().is_empty() {
                self.evidence.clear();
                push_evidence(&mut self.evidence, people, r);
                push_cell(out, &self.evidence);
            }
            out.push(b',');
            push_cell(out, r.summary());
            out.push(b',');
            if let Some(c) = r.claimant() {
                out.extend_from_slice(self.actors.cell(c));
            }
            out.push(b',');
            if let Some(c) = r.credibility {
                out.extend_from_slice(c.as_str().as_bytes());
            }
            out.push(b',');
            let grade = people.grade_of(r);
            out.extend_from_slice(grade.reliability.as_str().as_bytes());
            out.extend_from_slice(grade.credibility.as_str().as_bytes());
            out.push(b'\n');
        }
    }
}

fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// The text cells of one edge, in buffers reused from row to row: the same text as
/// [`edge_cells`], but without a dozen allocations per row (a snapshot of 3.7 million edges
/// spent a fifth of its time allocating them).
#[derive(Default)]
struct EdgeRow {
    id: String,
    start: String,
    end: String,
    evidence: String,
    summary: String,
    relations: String,
    claimant: String,
    credibility: String,
    grade: String,
}

impl EdgeRow {
    fn fill(&mut self, snapshot: &Snapshot<'_>, edge: &Edge) {
        let ds = snapshot.dataset;
        self.relations.clear();
        let [only] = snapshot.members(edge) else {
            let t = EdgeText::of(snapshot, edge);
            (self.id, self.start, self.end, self.summary) = (t.id, t.start, t.end, t.summary);
            self.evidence = t.evidence.join(";");
            self.relations = t.relations.join(";");
            self.claimant = crate::export::ids(ds, &t.claimants);
            self.credibility = t.credibility.join(";");
            self.grade = t.grades.join(";");
            return;
        };
        self.fill_one(ds, ds.relation(only.relation));
        self.relations.push_str(&self.id);
    }

    /// The [`EDGE_COLUMNS`] of `edge`, once filled with it.
    fn cells<'a>(&'a self, ds: &'a Dataset, edge: &Edge) -> [&'a str; 15] {
        [
            &self.id,
            &ds.actor(edge.source).id,
            &ds.actor(edge.target).id,
            edge.kind.as_str(),
            &self.start,
            &self.end,
            bool_text(edge.directed),
            edge.status.as_str(),
            bool_text(edge.contested),
            &self.evidence,
            &self.summary,
            &self.relations,
            &self.claimant,
            &self.credibility,
            &self.grade,
        ]
    }

    /// The cells of one relation (the buffers are cleared first).
    fn fill_one(&mut self, ds: &Dataset, r: &Relation) {
        use std::fmt::Write as _;
        for buffer in [
            &mut self.id,
            &mut self.start,
            &mut self.end,
            &mut self.evidence,
            &mut self.summary,
            &mut self.claimant,
            &mut self.credibility,
            &mut self.grade,
        ] {
            buffer.clear();
        }
        // Writing to a String cannot fail.
        match &r.id {
            RelationId::Named(id) => self.id.push_str(id),
            RelationId::Line(line) => {
                self.id.push_str("line ");
                self.id.push_str(itoa::Buffer::new().format(*line));
            }
        }
        let _ = write!(self.start, "{}", r.start);
        if let Some(end) = r.end {
            let _ = write!(self.end, "{end}");
        }
        push_evidence(&mut self.evidence, ds, r);
        self.summary.push_str(r.summary());
        if let Some(c) = r.claimant() {
            self.claimant.push_str(&ds.actor(c).id);
        }
        if let Some(c) = r.credibility {
            self.credibility.push_str(c.as_str());
        }
        let _ = write!(self.grade, "{}", ds.grade_of(r));
    }
}

/// Appends the ids of the sources that report `r`, separated by `;`.
fn push_evidence(text: &mut String, ds: &Dataset, r: &Relation) {
    for (i, s) in r.evidence().iter().enumerate() {
        if i > 0 {
            text.push(';');
        }
        text.push_str(&ds.source(*s).id);
    }
}

/// Writes rows of text cells, neutralising each for spreadsheets.
pub(crate) fn table(
    out: &mut dyn Write,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> io::Result<()> {
    let mut w = writer(out);
    w.write_record(header).map_err(io_error)?;
    for row in rows {
        w.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned())).map_err(io_error)?;
    }
    w.flush()
}

fn yes(b: bool) -> String {
    bool_text(b).to_string()
}

/// The columns shared by every table that lists relations, filled by [`relation_cells`].
const RELATION_COLUMNS: [&str; 12] = [
    "id",
    "source",
    "target",
    "kind",
    "start",
    "end",
    "directed",
    "evidence",
    "summary",
    "claimant",
    "credibility",
    "grade",
];

/// The cells shared by every table that lists relations: [`RELATION_COLUMNS`].
fn relation_cells(ds: &Dataset, r: RelationIx) -> Vec<String> {
    let rel = ds.relation(r);
    let evidence: Vec<&str> = rel.evidence().iter().map(|s| &*ds.source(*s).id).collect();
    vec![
        rel.id.to_string(),
        ds.actor(rel.source).id.to_string(),
        ds.actor(rel.target).id.to_string(),
        rel.kind.to_string(),
        rel.start.to_string(),
        rel.end.map(|d| d.to_string()).unwrap_or_default(),
        yes(rel.directed),
        evidence.join(";"),
        rel.summary().to_string(),
        rel.claimant().map(|c| ds.actor(c).id.to_string()).unwrap_or_default(),
        rel.credibility.map(|c| c.to_string()).unwrap_or_default(),
        ds.grade(r).to_string(),
    ]
}

/// The cells of a snapshot edge: `id,source,target,kind,start,end,directed,status,
/// contested,evidence,summary,relations,claimant,credibility,grade`.
fn edge_cells(snapshot: &Snapshot<'_>, edge: &Edge) -> Vec<String> {
    let ds = snapshot.dataset;
    let t = EdgeText::of(snapshot, edge);
    vec![
        t.id,
        ds.actor(edge.source).id.to_string(),
        ds.actor(edge.target).id.to_string(),
        edge.kind.to_string(),
        t.start,
        t.end,
        yes(edge.directed),
        edge.status.to_string(),
        yes(edge.contested),
        t.evidence.join(";"),
        t.summary,
        t.relations.join(";"),
        crate::export::ids(ds, &t.claimants),
        t.credibility.join(";"),
        t.grades.join(";"),
    ]
}

/// The columns of a snapshot edge; `relations` only when rolled up to countries (see
/// [`edge_columns`]), and in the tables of paths, neighbourhoods and conflicts. The grade's
/// columns come last: added after the others, so that scripts reading columns by position
/// keep working.
const EDGE_COLUMNS: [&str; 15] = [
    "id",
    "source",
    "target",
    "kind",
    "start",
    "end",
    "directed",
    "status",
    "contested",
    "evidence",
    "summary",
    "relations",
    "claimant",
    "credibility",
    "grade",
];
/// Where `relations` is in [`EDGE_COLUMNS`].
const RELATIONS: usize = 11;

/// The columns of a snapshot's edges CSV: without `relations` actor by actor.
fn edge_columns(grouping: Grouping) -> Vec<&'static str> {
    EDGE_COLUMNS
        .into_iter()
        .enumerate()
        .filter(|&(i, _)| i != RELATIONS || grouping == Grouping::Countries)
        .map(|(_, c)| c)
        .collect()
}

/// One row per relation of each hop: `path,hop,from,to,link,strained` then the edge's
/// columns. A "part of" hop (agency and its country) has one row with `link` = `part-of`
/// and empty relation cells.
///
/// # Errors
/// When `out` fails.
pub fn paths(snapshot: &Snapshot<'_>, paths: &[Path], out: &mut dyn Write) -> io::Result<()> {
    let ds = snapshot.dataset;
    let header: Vec<&str> =
        ["path", "hop", "from", "to", "link", "strained"].into_iter().chain(EDGE_COLUMNS).collect();
    let mut rows = Vec::new();
    for (n, path) in paths.iter().enumerate() {
        for (i, hop) in path.hops.iter().enumerate() {
            let lead = |link: &str| {
                vec![
                    (n + 1).to_string(),
                    (i + 1).to_string(),
                    ds.actor(path.actors[i]).id.to_string(),
                    ds.actor(path.actors[i + 1]).id.to_string(),
                    link.to_string(),
                    yes(strained(snapshot, &hop.edges)),
                ]
            };
            if hop.part_of {
                let mut row = lead("part-of");
                row.extend(std::iter::repeat_n(String::new(), EDGE_COLUMNS.len()));
                rows.push(row);
            }
            for &e in &hop.edges {
                let mut row = lead("relation");
                row.extend(edge_cells(snapshot, &snapshot.edges[e]));
                rows.push(row);
            }
        }
    }
    table(out, &header, rows)
}

/// The relations among a neighbourhood, one row each, with the hop distance of both ends:
/// the edge's columns then `source_distance,target_distance`.
///
/// # Errors
/// When `out` fails.
pub fn neighbours(sub: &Snapshot<'_>, hood: &Neighbourhood, out: &mut dyn Write) -> io::Result<()> {
    // Looked up, not searched: a hub's neighbourhood at 10M relations has tens of thousands of
    // actors and edges, and a scan per edge end made this quadratic (0.5 s of a 1 s answer).
    let distances: std::collections::HashMap<ActorIx, String> =
        hood.actors.iter().map(|&(a, d)| (a, d.to_string())).collect();
    let distance = |a: ActorIx| distances.get(&a).map_or("", String::as_str);
    let header: Vec<&str> = EDGE_COLUMNS.into_iter().chain(["source_distance", "target_distance"]).collect();
    let ds = sub.dataset;
    let mut w = writer(out);
    w.write_record(&header).map_err(io_error)?;
    // As `write_edges` writes a snapshot's edges (a hub's neighbourhood at 10M relations has
    // 400,000 of them): cells in reused buffers, the relation a few rows ahead fetched.
    let mut text = EdgeRow::default();
    for (i, edge) in sub.edges.iter().enumerate() {
        if let Some(ahead) = sub.edges.get(i + 16) {
            prefetch(ds.relation(sub.members(ahead)[0].relation));
        }
        text.fill(sub, edge);
        let cells = text.cells(ds, edge).map(spreadsheet_safe);
        let distances = [distance(edge.source), distance(edge.target)];
        w.write_record(cells.iter().map(|c| c.as_bytes()).chain(distances.map(str::as_bytes)))
            .map_err(io_error)?;
    }
    w.flush()
}

/// One row per change: `change,before,after` then the relation's columns. Pairs that became
/// or stopped being contested follow, with `source`,`target` the pair and `id` listing
/// their relations.
///
/// # Errors
/// When `out` fails.
pub fn diff(ds: &Dataset, diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<&str> = ["change", "before", "after"].into_iter().chain(RELATION_COLUMNS).collect();
    let mut rows: Vec<Vec<String>> = diff
        .relations
        .iter()
        .map(|c| {
            let mut row = vec![
                c.change.as_str().to_string(),
                c.before.map(|s| s.to_string()).unwrap_or_default(),
                c.after.map(|s| s.to_string()).unwrap_or_default(),
            ];
            row.extend(relation_cells(ds, c.relation));
            row
        })
        .collect();
    for p in &diff.pairs {
        let ids: Vec<String> = p.relations.iter().map(|&r| ds.relation(r).id.to_string()).collect();
        let mut row = vec![if p.became { "became contested" } else { "stopped being contested" }.to_string()];
        row.extend([String::new(), String::new(), ids.join(";")]);
        row.extend([ds.actor(p.a).id.to_string(), ds.actor(p.b).id.to_string()]);
        row.extend(std::iter::repeat_n(String::new(), RELATION_COLUMNS.len() - 3));
        rows.push(row);
    }
    table(out, &header, rows)
}

/// One row per start or end: `date,event,counterpart,via,inside` then the relation's
/// columns, then `as` (`via`: the `;`-separated ends that stand in for the record's actors;
/// `inside`: a relation among actors within the one actor; `as`: `party` for the subject's
/// relations, `claimant` for the claims it made (`claims`) about others). For a pair, one row
/// per state period follows them. The last columns, `record,state,certain,relations`, tell
/// the two apart: `record` is `relation` on a start or end and `state` on a period, whose row
/// gives `date` and `start` (its first day), `end` (the day it ends, exclusive; empty while
/// it goes on), `source` and `target` (the pair), `state` (`contested+disputed`), `certain`
/// (false when it rests on possible relations) and `relations` (the `;`-separated ids of the
/// relations holding); its other cells are empty.
///
/// # Errors
/// When `out` fails.
pub fn timeline(
    ds: &Dataset,
    grouping: Grouping,
    history: &History,
    claims: &[history::Entry],
    out: &mut dyn Write,
) -> io::Result<()> {
    const PERIOD_COLUMNS: [&str; 4] = ["record", "state", "certain", "relations"];
    let header: Vec<&str> = ["date", "event", "counterpart", "via", "inside"]
        .into_iter()
        .chain(RELATION_COLUMNS)
        .chain(["as"])
        .chain(PERIOD_COLUMNS)
        .collect();
    let entries = history::merged(ds, history, claims).into_iter().map(|(e, role)| {
        let counterpart = history::counterpart(ds, grouping, &e);
        let via: Vec<&str> = match role {
            history::Role::Party => e.via(history).into_iter().map(|a| &*ds.actor(a).id).collect(),
            history::Role::Claimant => Vec::new(),
        };
        let mut row = vec![
            e.date.to_string(),
            e.event.as_str().to_string(),
            ds.actor(counterpart).id.to_string(),
            via.join(";"),
            yes(e.inside),
        ];
        row.extend(relation_cells(ds, e.relation));
        row.push(role.as_str().to_string());
        row.extend(["relation".to_string(), String::new(), String::new(), String::new()]);
        row
    });
    let pair = history.other.map(|o| (ds.actor(history.actor).id.to_string(), ds.actor(o).id.to_string()));
    let periods = history.periods.iter().filter_map(|p| {
        let (a, b) = pair.clone()?;
        let mut row = vec![String::new(); header.len()];
        let at = |name: &str| header.iter().position(|h| *h == name).expect("a timeline column");
        let from = p.from.to_string();
        for (column, cell) in [
            ("date", from.clone()),
            ("start", from),
            ("end", p.until.map(|d| d.to_string()).unwrap_or_default()),
            ("source", a),
            ("target", b),
            ("record", "state".to_string()),
            ("state", p.state.label()),
            ("certain", yes(p.certain)),
            (
                "relations",
                p.relations.iter().map(|&r| ds.relation(r).id.to_string()).collect::<Vec<_>>().join(";"),
            ),
        ] {
            row[at(column)] = cell;
        }
        Some(row)
    });
    table(out, &header, entries.chain(periods))
}

/// One row per competing relation of each contested pair (`a,b`: the contested cooperation's
/// pair; a restriction may join their ancestors): `a,b,side` then the edge's
/// columns and `sources` (titles of the evidence).
///
/// # Errors
/// When `out` fails.
pub fn conflicts_on(snapshot: &Snapshot<'_>, conflicts: &[Conflict], out: &mut dyn Write) -> io::Result<()> {
    let ds = snapshot.dataset;
    let header: Vec<&str> = ["a", "b", "side"].into_iter().chain(EDGE_COLUMNS).chain(["sources"]).collect();
    let mut w = writer(out);
    w.write_record(&header).map_err(io_error)?;
    // The edge's cells in reused buffers, as `write_edges` fills them: a day's contests at
    // 10M relations are 43,000 rows.
    let mut text = EdgeRow::default();
    let mut titles: Vec<&str> = Vec::new();
    for c in conflicts {
        let (a, b) = (&*ds.actor(c.a).id, &*ds.actor(c.b).id);
        for (side, edges) in [("cooperation", &c.cooperation), ("restriction", &c.restriction)] {
            for &e in edges {
                let edge = &snapshot.edges[e];
                text.fill(snapshot, edge);
                titles.clear();
                for m in snapshot.members(edge) {
                    for s in ds.relation(m.relation).evidence() {
                        let title = &*ds.source(*s).title;
                        if !titles.contains(&title) {
                            titles.push(title);
                        }
                    }
                }
                let sources = titles.join(" | ");
                let cells: Vec<Cow<'_, str>> = [a, b, side]
                    .into_iter()
                    .chain(text.cells(ds, edge))
                    .chain([sources.as_str()])
                    .map(spreadsheet_safe)
                    .collect();
                w.write_record(cells.iter().map(|c| c.as_bytes())).map_err(io_error)?;
            }
        }
    }
    w.flush()
}

/// One row per contested period: `a,b,from,until,certain,cooperation,restriction` (the last
/// two list relation ids).
///
/// # Errors
/// When `out` fails.
pub fn conflict_periods(ds: &Dataset, periods: &[ContestedPeriod], out: &mut dyn Write) -> io::Result<()> {
    let ids =
        |rs: &[RelationIx]| rs.iter().map(|&r| ds.relation(r).id.to_string()).collect::<Vec<_>>().join(";");
    let rows = periods.iter().map(|p| {
        vec![
            ds.actor(p.a).id.to_string(),
            ds.actor(p.b).id.to_string(),
            p.from.to_string(),
            p.until.map(|d| d.to_string()).unwrap_or_default(),
            yes(p.certain),
            ids(&p.cooperation),
            ids(&p.restriction),
        ]
    });
    table(out, &["a", "b", "from", "until", "certain", "cooperation", "restriction"], rows)
}

/// One row per fracture: `group,source_member,target_member,status` then the relation's
/// columns.
///
/// # Errors
/// When `out` fails.
pub fn fractures(ds: &Dataset, fractures: &[Fracture], out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<&str> =
        ["group", "source_member", "target_member", "status"].into_iter().chain(RELATION_COLUMNS).collect();
    let rows = fractures.iter().map(|f| {
        let mut row = vec![
            ds.actor(f.group).id.to_string(),
            ds.actor(f.source_member).id.to_string(),
            ds.actor(f.target_member).id.to_string(),
            f.status.to_string(),
        ];
        row.extend(relation_cells(ds, f.relation));
        row
    });
    table(out, &header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::Options;

    /// Records counted as the csv crate writes them, cells with line breaks and quotes
    /// included, however the bytes are cut into writes.
    #[test]
    fn rows_are_counted_as_records_whatever_the_writes() {
        let mut bytes = Vec::new();
        {
            let mut w = csv::Writer::from_writer(&mut bytes);
            w.write_record(["id", "summary"]).unwrap();
            w.write_record(["a", "two\nlines, \"quoted\""]).unwrap();
            w.write_record(["b", "\"\n\""]).unwrap();
            w.write_record(["c", "plain"]).unwrap();
            w.flush().unwrap();
        }
        let records = csv::Reader::from_reader(&bytes[..]).records().count() as u64 + 1;
        assert_eq!(records, 4);
        for chunk in [1, 2, 3, 7, bytes.len()] {
            let mut counter = Rows::new(Vec::new());
            for piece in bytes.chunks(chunk) {
                counter.write_all(piece).unwrap();
            }
            assert_eq!(counter.rows(), records, "in writes of {chunk} bytes");
            assert_eq!(counter.out, bytes);
        }
        // A last record without a line end counts.
        let mut counter = Rows::new(Vec::new());
        counter.write_all(b"id\na\nb").unwrap();
        assert_eq!(counter.rows(), 3);
        counter.write_all(b"\n").unwrap();
        assert_eq!(counter.rows(), 3);
        assert_eq!(Rows::new(Vec::new()).rows(), 0);
    }

    #[test]
    fn only_more_rows_than_a_spreadsheet_opens_are_warned_about() {
        assert_eq!(too_many_rows("the sheet", SPREADSHEET_ROWS), None);
        let warning = too_many_rows("the sheet", SPREADSHEET_ROWS + 3).unwrap();
        for part in ["the sheet has 1048579 rows", "1048576", "the other 3", "Excel", "LibreOffice"] {
            assert!(warning.contains(part), "{part} in {warning}");
        }
    }

    /// The counter sees what the writer writes, on a generic writer, and passes it through.
    #[test]
    fn a_spreadsheet_csv_is_written_through_unchanged() {
        let mut out = Vec::new();
        for_spreadsheet("t", &mut out, |w| w.write_all(b"h\n1\n")).unwrap();
        assert_eq!(out, b"h\n1\n");
    }

    /// `write_edges` fills its cells from reused buffers; they must be the cells that
    /// `edge_cells` (used by the other tables) gives, edge for edge, one relation or merged.
    #[test]
    fn edge_rows_are_the_edge_cells() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/queries");
        let ds = crate::load::load(&dir).unwrap();
        for day in ["2019-08-23", "2025-06-15", "2025-11-12"] {
            for grouping in [Grouping::Actors, Grouping::Countries] {
                let day = crate::date::parse_day(day).unwrap();
                let snap = Snapshot::at(&ds, day, Options { grouping, ..Options::default() });
                assert!(!snap.edges.is_empty());
                let mut fast = Vec::new();
                write_edges(&snap, &mut fast).unwrap();
                let columns = edge_columns(grouping);
                let rows = snap.edges.iter().map(|e| {
                    let mut row = edge_cells(&snap, e);
                    if grouping == Grouping::Actors {
                        row.remove(RELATIONS);
                    }
                    row
                });
                let mut slow = Vec::new();
                table(&mut slow, &columns, rows).unwrap();
                assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(slow).unwrap());
            }
        }
    }

    /// The neighbourhood and conflicts tables fill their edge cells from the same reused
    /// buffers: the rows are those of `edge_cells` as the generic `table` wrote them before.
    #[test]
    fn neighbour_and_conflict_rows_are_the_edge_cells() {
        use crate::query::network::Walk;
        use crate::query::{conflicts, neighbours as hood};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/queries");
        let ds = crate::load::load(&dir).unwrap();
        let (mut some_contest, mut some_edge) = (false, false);
        for day in ["2019-08-23", "2025-06-15", "2025-11-12"] {
            for grouping in [Grouping::Actors, Grouping::Countries] {
                let day = crate::date::parse_day(day).unwrap();
                let snap = Snapshot::at(&ds, day, Options { grouping, ..Options::default() });
                let found = conflicts::on(&snap);
                some_contest |= !found.is_empty();
                let mut fast = Vec::new();
                conflicts_on(&snap, &found, &mut fast).unwrap();
                let header: Vec<&str> =
                    ["a", "b", "side"].into_iter().chain(EDGE_COLUMNS).chain(["sources"]).collect();
                let mut rows = Vec::new();
                for c in &found {
                    for (side, edges) in [("cooperation", &c.cooperation), ("restriction", &c.restriction)] {
                        for &e in edges {
                            let edge = &snap.edges[e];
                            let mut row = vec![
                                ds.actor(c.a).id.to_string(),
                                ds.actor(c.b).id.to_string(),
                                side.to_string(),
                            ];
                            row.extend(edge_cells(&snap, edge));
                            let mut titles: Vec<String> = Vec::new();
                            for m in snap.members(edge) {
                                for s in ds.relation(m.relation).evidence() {
                                    let title = ds.source(*s).title.to_string();
                                    if !titles.contains(&title) {
                                        titles.push(title);
                                    }
                                }
                            }
                            row.push(titles.join(" | "));
                            rows.push(row);
                        }
                    }
                }
                let mut slow = Vec::new();
                table(&mut slow, &header, rows).unwrap();
                assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(slow).unwrap());

                for centre in [0, 5, 9] {
                    let centre = grouping.unit(&ds, ActorIx(centre));
                    let around = hood::around(&snap, &Walk::default(), centre, 2);
                    let actors: Vec<_> = around.actors.iter().map(|&(a, _)| a).collect();
                    let sub = snap.restrict(&around.edges, &actors);
                    some_edge |= !sub.edges.is_empty();
                    let mut fast = Vec::new();
                    neighbours(&sub, &around, &mut fast).unwrap();
                    let distance = |a: ActorIx| {
                        around
                            .actors
                            .iter()
                            .find(|&&(b, _)| b == a)
                            .map_or(String::new(), |(_, d)| d.to_string())
                    };
                    let header: Vec<&str> =
                        EDGE_COLUMNS.into_iter().chain(["source_distance", "target_distance"]).collect();
                    let rows = sub.edges.iter().map(|e| {
                        let mut row = edge_cells(&sub, e);
                        row.push(distance(e.source));
                        row.push(distance(e.target));
                        row
                    });
                    let mut slow = Vec::new();
                    table(&mut slow, &header, rows).unwrap();
                    assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(slow).unwrap());
                }
            }
        }
        assert!(some_contest && some_edge);
    }

    #[test]
    fn formula_starts_are_neutralised_and_nothing_else_is_touched() {
        for cell in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"] {
            assert_eq!(spreadsheet_safe(cell), format!("'{cell}"));
        }
        for cell in ["", "USA", "a=b", "1-2", "Côte d'Ivoire", "'quoted"] {
            assert_eq!(spreadsheet_safe(cell), cell);
        }
    }
}
