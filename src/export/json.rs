//! Results as JSON for scripts. Every shape is stable and documented in the README:
//! snapshots (`{"date", "actors", "relations"}`), and one object per query.

use std::io::{self, Write};

use serde::Serialize;

use crate::date::{Day, PartialDate, Status, Window};
use crate::export::EdgeText;
use crate::model::{ActorIx, Credibility, Dataset, RelationIx, SourceIx};
use crate::query::conflicts::{Conflict, ContestedPeriod};
use crate::query::diff::Diff;
use crate::query::fractures::Fracture;
use crate::query::history::{self, History, Reach};
use crate::query::neighbours::Neighbourhood;
use crate::query::path::{strained, Path};
use crate::snapshot::{Edge, Grouping, Snapshot};

/// A window of more than one day as its first and last days (`"from"`, `"to"`, both
/// included), beside its name (`"date"` or `"at"`: `"2025-11"`); nothing for one day, whose
/// name is the day.
#[derive(Serialize)]
struct WindowOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
}

impl WindowOut {
    fn of(window: Window) -> WindowOut {
        let day = |d: Day| Some(PartialDate::day(d).to_string());
        match window.as_day() {
            Some(_) => WindowOut { from: None, to: None },
            None => WindowOut { from: day(window.first), to: day(window.last) },
        }
    }
}

#[derive(Serialize)]
struct SnapshotDoc<'a> {
    date: String,
    #[serde(flatten)]
    window: WindowOut,
    strict: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    by_country: bool,
    actors: Vec<ActorOut<'a>>,
    relations: Vec<EdgeOut<'a>>,
}

#[derive(Serialize)]
struct ActorOut<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    parent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    distance: Option<usize>,
    degree: u32,
}

/// A snapshot edge: one relation, or with `--by-country` several merged (listed in
/// `relations`).
#[derive(Serialize)]
struct EdgeOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    hop: Option<usize>,
    id: String,
    source: &'a str,
    target: &'a str,
    kind: &'static str,
    start: String,
    end: Option<String>,
    directed: bool,
    status: &'static str,
    contested: bool,
    evidence: Vec<String>,
    summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    relations: Option<Vec<String>>,
    /// Merged, the claimant and credibility that all its relations share, else null; the
    /// grade of the best graded of them, and each one's in `grades`.
    claimant: Option<ClaimantOut<'a>>,
    credibility: Option<u8>,
    grade: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    grades: Option<Vec<String>>,
}

/// Who claims a relation.
#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
struct ClaimantOut<'a> {
    id: &'a str,
    name: &'a str,
}

fn claimant_out(ds: &Dataset, claimant: Option<ActorIx>) -> Option<ClaimantOut<'_>> {
    claimant.map(|c| ClaimantOut { id: &ds.actor(c).id, name: &ds.actor(c).name })
}

fn credibility_out(credibility: Option<Credibility>) -> Option<u8> {
    credibility.map(Credibility::number)
}

/// The one value that every item gives, or `None`.
fn shared<T: PartialEq>(mut items: impl Iterator<Item = Option<T>>) -> Option<T> {
    let first = items.next()??;
    items.all(|i| i.as_ref() == Some(&first)).then_some(first)
}

fn edge_out<'a>(snapshot: &Snapshot<'a>, edge: &Edge, hop: Option<usize>) -> EdgeOut<'a> {
    let ds = snapshot.dataset;
    let text = EdgeText::of(snapshot, edge);
    let members = snapshot.members(edge);
    let relations = || members.iter().map(|m| ds.relation(m.relation));
    let best = members
        .iter()
        .map(|m| ds.grade(m.relation))
        .min_by_key(|g| g.rank())
        .unwrap_or(crate::model::Grade::UNJUDGED);
    let by_country = snapshot.options.grouping == Grouping::Countries;
    EdgeOut {
        claimant: shared(relations().map(|r| claimant_out(ds, r.claimant()))),
        credibility: shared(relations().map(|r| credibility_out(r.credibility))),
        grade: best.to_string(),
        grades: by_country.then(|| text.grades.clone()),
        hop,
        id: text.id,
        source: &ds.actor(edge.source).id,
        target: &ds.actor(edge.target).id,
        kind: edge.kind.as_str(),
        end: (!text.end.is_empty()).then_some(text.end),
        start: text.start,
        directed: edge.directed,
        status: edge.status.as_str(),
        contested: edge.contested,
        evidence: text.evidence,
        summary: text.summary,
        relations: by_country.then_some(text.relations),
    }
}

fn actor_out<'a>(ds: &'a Dataset, a: ActorIx, distance: Option<usize>, degree: u32) -> ActorOut<'a> {
    let actor = ds.actor(a);
    ActorOut {
        id: &actor.id,
        name: &actor.name,
        kind: actor.kind.as_str(),
        parent: actor.parent.map(|p| &*ds.actor(p).id),
        distance,
        degree,
    }
}

/// A relation of the dataset, with its status on a day when there is one.
#[derive(Serialize)]
pub(crate) struct RelationOut<'a> {
    id: String,
    source: &'a str,
    target: &'a str,
    kind: &'static str,
    start: String,
    end: Option<String>,
    directed: bool,
    evidence: Vec<&'a str>,
    summary: &'a str,
    claimant: Option<ClaimantOut<'a>>,
    credibility: Option<u8>,
    grade: String,
}

pub(crate) fn relation_out(ds: &Dataset, r: RelationIx) -> RelationOut<'_> {
    let rel = ds.relation(r);
    RelationOut {
        id: rel.id.to_string(),
        source: &ds.actor(rel.source).id,
        target: &ds.actor(rel.target).id,
        kind: rel.kind.as_str(),
        start: rel.start.to_string(),
        end: rel.end.map(|d| d.to_string()),
        directed: rel.directed,
        evidence: rel.evidence().iter().map(|s| &*ds.source(*s).id).collect(),
        summary: rel.summary(),
        claimant: claimant_out(ds, rel.claimant()),
        credibility: credibility_out(rel.credibility),
        grade: ds.grade(r).to_string(),
    }
}

#[derive(Serialize)]
struct SourceOut<'a> {
    id: &'a str,
    title: &'a str,
    publisher: &'a str,
    published: Option<String>,
    url: &'a str,
    reliability: Option<&'static str>,
}

fn sources_out(ds: &Dataset, relations: impl IntoIterator<Item = RelationIx>) -> Vec<SourceOut<'_>> {
    let mut ids: Vec<SourceIx> =
        relations.into_iter().flat_map(|r| ds.relation(r).evidence().iter().copied()).collect();
    ids.sort_unstable_by(|a, b| ds.source(*a).id.cmp(&ds.source(*b).id));
    ids.dedup();
    ids.into_iter()
        .map(|s| {
            let src = ds.source(s);
            SourceOut {
                id: &src.id,
                title: &src.title,
                publisher: &src.publisher,
                published: src.published.map(|d| d.to_string()),
                url: &src.url,
                reliability: src.reliability.map(|r| r.as_str()),
            }
        })
        .collect()
}

pub(crate) fn finish(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Writes the snapshot as `{"date", "strict", "actors", "relations"}` (plus
/// `"by_country": true` and each relation's merged `relations` when rolled up).
///
/// # Errors
/// When `out` fails.
pub fn write(snapshot: &Snapshot<'_>, out: &mut dyn Write) -> io::Result<()> {
    let ds = snapshot.dataset;
    let doc = SnapshotDoc {
        date: snapshot.window.to_string(),
        window: WindowOut::of(snapshot.window),
        strict: snapshot.options.filter.strict,
        by_country: snapshot.options.grouping == Grouping::Countries,
        actors: snapshot.nodes.iter().map(|n| actor_out(ds, n.actor, None, n.degree)).collect(),
        relations: snapshot.edges.iter().map(|e| edge_out(snapshot, e, None)).collect(),
    };
    finish(out, &doc)
}

#[derive(Serialize)]
struct PathDoc<'a> {
    from: &'a str,
    to: &'a str,
    at: String,
    /// The window's first and last days, when it is more than one: `from` and `to` name the
    /// path's ends here.
    #[serde(skip_serializing_if = "Option::is_none")]
    days: Option<WindowOut>,
    hops: usize,
    actors: Vec<&'a str>,
    relations: Vec<EdgeOut<'a>>,
    part_of: Vec<PartOfOut<'a>>,
    strained: Vec<usize>,
    /// [`Path::weakest_grade`]; null when no hop has a relation.
    weakest_grade: Option<String>,
}

#[derive(Serialize)]
struct PartOfOut<'a> {
    hop: usize,
    member: &'a str,
    parent: &'a str,
}

fn path_doc<'a>(snapshot: &Snapshot<'a>, path: &Path) -> PathDoc<'a> {
    let ds = snapshot.dataset;
    let id = |a: ActorIx| &*ds.actor(a).id;
    let mut relations = Vec::new();
    let mut part_of = Vec::new();
    let mut strained_hops = Vec::new();
    for (i, hop) in path.hops.iter().enumerate() {
        let (a, b) = (path.actors[i], path.actors[i + 1]);
        if hop.part_of {
            let (member, parent) = if ds.actor(a).parent == Some(b) { (a, b) } else { (b, a) };
            part_of.push(PartOfOut { hop: i + 1, member: id(member), parent: id(parent) });
        }
        relations.extend(hop.edges.iter().map(|&e| edge_out(snapshot, &snapshot.edges[e], Some(i + 1))));
        if strained(snapshot, &hop.edges) {
            strained_hops.push(i + 1);
        }
    }
    PathDoc {
        from: id(path.actors[0]),
        to: id(*path.actors.last().expect("a path has actors")),
        at: snapshot.window.to_string(),
        days: snapshot.window.as_day().is_none().then(|| WindowOut::of(snapshot.window)),
        hops: path.hop_count(),
        actors: path.actors.iter().map(|&a| id(a)).collect(),
        relations,
        part_of,
        strained: strained_hops,
        weakest_grade: path.weakest_grade(snapshot).map(|g| g.to_string()),
    }
}

/// Writes one path as `{"from", "to", "at", "hops", "actors", "relations", "part_of",
/// "strained"}`; with `all`, a list of them.
///
/// # Errors
/// When `out` fails.
pub fn paths(snapshot: &Snapshot<'_>, paths: &[Path], all: bool, out: &mut dyn Write) -> io::Result<()> {
    if all {
        let docs: Vec<PathDoc<'_>> = paths.iter().map(|p| path_doc(snapshot, p)).collect();
        finish(out, &docs)
    } else {
        finish(out, &path_doc(snapshot, &paths[0]))
    }
}

#[derive(Serialize)]
struct NeighboursDoc<'a> {
    centre: &'a str,
    at: String,
    #[serde(flatten)]
    window: WindowOut,
    depth: usize,
    actors: Vec<ActorOut<'a>>,
    relations: Vec<EdgeOut<'a>>,
}

/// Writes `{"centre", "at", "depth", "actors" (with "distance"), "relations"}`.
///
/// # Errors
/// When `out` fails.
pub fn neighbours(sub: &Snapshot<'_>, hood: &Neighbourhood, out: &mut dyn Write) -> io::Result<()> {
    let ds = sub.dataset;
    let degree = |a: ActorIx| sub.nodes.iter().find(|n| n.actor == a).map_or(0, |n| n.degree);
    let doc = NeighboursDoc {
        centre: &ds.actor(hood.centre).id,
        at: sub.window.to_string(),
        window: WindowOut::of(sub.window),
        depth: hood.depth,
        actors: hood.actors.iter().map(|&(a, d)| actor_out(ds, a, Some(d), degree(a))).collect(),
        relations: sub.edges.iter().map(|e| edge_out(sub, e, None)).collect(),
    };
    finish(out, &doc)
}

#[derive(Serialize)]
struct DiffDoc<'a> {
    from: String,
    to: String,
    changes: Vec<ChangeOut<'a>>,
    contested: Vec<PairOut<'a>>,
}

#[derive(Serialize)]
struct ChangeOut<'a> {
    change: &'static str,
    before: Option<&'static str>,
    after: Option<&'static str>,
    #[serde(flatten)]
    relation: RelationOut<'a>,
}

#[derive(Serialize)]
struct PairOut<'a> {
    change: &'static str,
    a: &'a str,
    b: &'a str,
    relations: Vec<String>,
}

/// Writes `{"from", "to", "changes": [{"change", "before", "after", relation fields}],
/// "contested": [{"change", "a", "b", "relations"}]}`.
///
/// # Errors
/// When `out` fails.
pub fn diff(ds: &Dataset, diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    let doc = DiffDoc {
        from: diff.from.to_string(),
        to: diff.to.to_string(),
        changes: diff
            .relations
            .iter()
            .map(|c| ChangeOut {
                change: c.change.as_str(),
                before: c.before.map(Status::as_str),
                after: c.after.map(Status::as_str),
                relation: relation_out(ds, c.relation),
            })
            .collect(),
        contested: diff
            .pairs
            .iter()
            .map(|p| PairOut {
                change: if p.became { "became contested" } else { "stopped being contested" },
                a: &ds.actor(p.a).id,
                b: &ds.actor(p.b).id,
                relations: p.relations.iter().map(|&r| ds.relation(r).id.to_string()).collect(),
            })
            .collect(),
    };
    finish(out, &doc)
}

#[derive(Serialize)]
struct TimelineDoc<'a> {
    actor: &'a str,
    other: Option<&'a str>,
    exact: bool,
    entries: Vec<EntryOut<'a>>,
    periods: Vec<PeriodOut>,
}

#[derive(Serialize)]
struct EntryOut<'a> {
    date: String,
    event: &'static str,
    counterpart: &'a str,
    via: Vec<&'a str>,
    inside: bool,
    #[serde(flatten)]
    relation: RelationOut<'a>,
    /// `party` for the subject's relations, `claimant` for the claims it made about others.
    #[serde(rename = "as")]
    role: &'static str,
}

#[derive(Serialize)]
struct PeriodOut {
    from: String,
    until: Option<String>,
    state: String,
    certain: bool,
    relations: Vec<String>,
}

/// Writes `{"actor", "other", "exact", "entries": [{"date", "event", "counterpart", "via",
/// "inside", relation fields}], "periods": [{"from", "until", "state", "certain",
/// "relations"}]}`. `via` lists the ends that stand in for the record's actors (see
/// [`crate::query::history::Entry::via`]); `inside` is true for a relation among actors
/// within the one actor.
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
    let doc = TimelineDoc {
        actor: &ds.actor(history.actor).id,
        other: history.other.map(|o| &*ds.actor(o).id),
        exact: history.reach == Reach::Exact,
        entries: history::merged(ds, history, claims)
            .into_iter()
            .map(|(e, role)| {
                let counterpart = history::counterpart(ds, grouping, &e);
                let via = match role {
                    history::Role::Party => e.via(history).into_iter().map(|a| &*ds.actor(a).id).collect(),
                    history::Role::Claimant => Vec::new(),
                };
                EntryOut {
                    date: e.date.to_string(),
                    event: e.event.as_str(),
                    counterpart: &ds.actor(counterpart).id,
                    via,
                    inside: e.inside,
                    relation: relation_out(ds, e.relation),
                    role: role.as_str(),
                }
            })
            .collect(),
        periods: history
            .periods
            .iter()
            .map(|p| PeriodOut {
                from: p.from.to_string(),
                until: p.until.map(|d| d.to_string()),
                state: p.state.label(),
                certain: p.certain,
                relations: p.relations.iter().map(|&r| ds.relation(r).id.to_string()).collect(),
            })
            .collect(),
    };
    finish(out, &doc)
}

#[derive(Serialize)]
struct ConflictsDoc<'a> {
    at: String,
    #[serde(flatten)]
    window: WindowOut,
    pairs: Vec<ConflictOut<'a>>,
    sources: Vec<SourceOut<'a>>,
}

#[derive(Serialize)]
struct ConflictOut<'a> {
    a: &'a str,
    b: &'a str,
    cooperation: Vec<EdgeOut<'a>>,
    restriction: Vec<EdgeOut<'a>>,
}

/// Writes `{"at", "pairs": [{"a", "b", "cooperation": [...], "restriction": [...]}],
/// "sources": [...]}`.
///
/// # Errors
/// When `out` fails.
pub fn conflicts_on(snapshot: &Snapshot<'_>, conflicts: &[Conflict], out: &mut dyn Write) -> io::Result<()> {
    let ds = snapshot.dataset;
    let members = conflicts
        .iter()
        .flat_map(|c| c.cooperation.iter().chain(&c.restriction))
        .flat_map(|&e| snapshot.members(&snapshot.edges[e]).iter().map(|m| m.relation));
    let doc = ConflictsDoc {
        at: snapshot.window.to_string(),
        window: WindowOut::of(snapshot.window),
        pairs: conflicts
            .iter()
            .map(|c| ConflictOut {
                a: &ds.actor(c.a).id,
                b: &ds.actor(c.b).id,
                cooperation: c
                    .cooperation
                    .iter()
                    .map(|&e| edge_out(snapshot, &snapshot.edges[e], None))
                    .collect(),
                restriction: c
                    .restriction
                    .iter()
                    .map(|&e| edge_out(snapshot, &snapshot.edges[e], None))
                    .collect(),
            })
            .collect(),
        sources: sources_out(ds, members),
    };
    finish(out, &doc)
}

#[derive(Serialize)]
struct PeriodsDoc<'a> {
    periods: Vec<ContestedOut<'a>>,
    sources: Vec<SourceOut<'a>>,
}

#[derive(Serialize)]
struct ContestedOut<'a> {
    a: &'a str,
    b: &'a str,
    from: String,
    until: Option<String>,
    certain: bool,
    cooperation: Vec<String>,
    restriction: Vec<String>,
}

/// Writes `{"periods": [{"a", "b", "from", "until", "certain", "cooperation",
/// "restriction"}], "sources": [...]}`.
///
/// # Errors
/// When `out` fails.
pub fn conflict_periods(ds: &Dataset, periods: &[ContestedPeriod], out: &mut dyn Write) -> io::Result<()> {
    let ids = |rs: &[RelationIx]| rs.iter().map(|&r| ds.relation(r).id.to_string()).collect();
    let doc = PeriodsDoc {
        periods: periods
            .iter()
            .map(|p| ContestedOut {
                a: &ds.actor(p.a).id,
                b: &ds.actor(p.b).id,
                from: p.from.to_string(),
                until: p.until.map(|d| d.to_string()),
                certain: p.certain,
                cooperation: ids(&p.cooperation),
                restriction: ids(&p.restriction),
            })
            .collect(),
        sources: sources_out(
            ds,
            periods.iter().flat_map(|p| p.cooperation.iter().chain(&p.restriction).copied()),
        ),
    };
    finish(out, &doc)
}

#[derive(Serialize)]
struct FracturesDoc<'a> {
    at: String,
    #[serde(flatten)]
    window: WindowOut,
    /// The one group asked for (`--group`), else null.
    group: Option<&'a str>,
    /// Every group asked for, in the order asked; empty when all were.
    groups: Vec<&'a str>,
    fractures: Vec<FractureOut<'a>>,
}

#[derive(Serialize)]
struct FractureOut<'a> {
    group: &'a str,
    source_member: &'a str,
    target_member: &'a str,
    status: &'static str,
    #[serde(flatten)]
    relation: RelationOut<'a>,
}

/// Writes `{"at", "group", "fractures": [{"group", "source_member", "target_member",
/// "status", relation fields}]}`.
///
/// # Errors
/// When `out` fails.
pub fn fractures(
    ds: &Dataset,
    window: Window,
    groups: &[ActorIx],
    fractures: &[Fracture],
    out: &mut dyn Write,
) -> io::Result<()> {
    let doc = FracturesDoc {
        at: window.to_string(),
        window: WindowOut::of(window),
        group: match groups {
            [one] => Some(&*ds.actor(*one).id),
            _ => None,
        },
        groups: groups.iter().map(|&g| &*ds.actor(g).id).collect(),
        fractures: fractures
            .iter()
            .map(|f| FractureOut {
                group: &ds.actor(f.group).id,
                source_member: &ds.actor(f.source_member).id,
                target_member: &ds.actor(f.target_member).id,
                status: f.status.as_str(),
                relation: relation_out(ds, f.relation),
            })
            .collect(),
    };
    finish(out, &doc)
}
