//! The explorer's answers: the dataset read once, with what makes each scrub cheap at ten
//! million relations (each actor's relations, the relations' start and end days sorted by
//! kind and grade, the node set of a view cached per filters and focus). Every semantic rule
//! is the library's: spans for status, `contest` for contests, `GradeFilter` for grades, the
//! resolver for names, `query::*` and `export::*` for what the CLI commands answer.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use crate::contest::{self, Contest};
use crate::date::{Day, Status, Window, DATE_FORMATS};
use crate::export::{csv, dot, json as json_out, render};
use crate::model::{
    Actor, ActorIx, Credibility, Dataset, Grade, GradeFilter, Held, Incidence, Relation, RelationIx,
    RelationKind, Reliability,
};
use crate::names::{fold, Closeness, Names};
use crate::query::network::{Follow, Walk};
use crate::query::resolve::{ResolveError, Resolver};
use crate::query::{conflicts, diff, fractures, local, neighbours, path as paths};
use crate::snapshot::{Options, Snapshot};
use crate::store::{self, Store, StoreError};

use super::params::{Filters, Params};
use super::ApiError;

/// At most this many nodes in a view (highest degree first); the shipped dataset has fewer.
pub const MAX_NODES: usize = 1500;
/// At most this many edges in a view.
pub const MAX_EDGES: usize = 6000;
/// The side lists (`/api/diff`, `/api/contests`, `/api/fractures`) carry at most this many
/// entries unless `limit` says otherwise (`limit=0`: all, the CLI's document byte for byte):
/// at 10M a busy day's contests are a 48 MB document, a month's diff 12 MB, more than a page
/// can list.
pub const LIMIT: usize = 500;
/// Grade classes: reliability (6) × credibility (6).
const CLASSES: usize = 36;
const KINDS: usize = 4;

/// The whole dataset in `dir`, as every command reads it ([`Store`]): from a current index, else
/// the CSV files (an out-of-date index is rebuilt). Read once and kept for the server's life;
/// the page's grade filters apply per request, so the store keeps every grade.
fn read(dir: &Path) -> Result<Dataset, StoreError> {
    Store::open(dir, GradeFilter::default())?.whole()
}

fn class_of(g: Grade) -> usize {
    g.reliability as usize * 6 + g.credibility as usize
}

/// Which grade classes a filter keeps, decided by [`GradeFilter::admits`].
fn admitted(filter: GradeFilter) -> [bool; CLASSES] {
    let mut out = [false; CLASSES];
    for r in Reliability::ALL {
        for c in Credibility::ALL {
            let g = Grade { reliability: r, credibility: c };
            out[class_of(g)] = filter.admits(g);
        }
    }
    out
}

/// The node set of a view and the relations among it (over the whole time): built once per
/// filters and focus, so that a scrub only reads these relations' spans.
struct NodeSet {
    /// Units (actors, or countries when rolled up) by degree, highest first.
    nodes: Vec<(ActorIx, u32)>,
    /// How many units had a relation under the filters (before the cap).
    candidates: usize,
    /// Relations of any kind whose grade passes, between two units of the set (not inside
    /// one), ordered by their ends' places in `nodes` (the best-connected first).
    relations: Vec<RelationIx>,
    /// Of those, how many are of a kind shown.
    shown: usize,
    /// The relations shown (kind and grade) between two units of which one at least is not
    /// in the set (left out by the cap): their first possible days and first days no longer
    /// possible, and the same for the days they are active, each sorted, so that how many a
    /// view of any window leaves out is four binary searches.
    outside: [Vec<Day>; 4],
    /// For a focus: each actor's relations among `relations`, what its neighbourhood on a
    /// day is read from (built at the first scrub).
    lists: std::sync::OnceLock<HashMap<ActorIx, Vec<RelationIx>>>,
    /// The nodes as JSON, and each relation's edge as JSON without its status and contested
    /// flag (empty for a kind not shown): written once per node set, so that a scrub only
    /// writes what changes with the date.
    nodes_json: String,
    edge_json: Vec<String>,
}

impl NodeSet {
    /// How many relations left out with an actor of theirs count in `window` (active ones
    /// only with `strict`), by the rule of [`crate::date::Span::status_in`].
    fn left_outside(&self, window: Window, strict: bool) -> usize {
        let [from, until] =
            if strict { [&self.outside[2], &self.outside[3]] } else { [&self.outside[0], &self.outside[1]] };
        let started = from.partition_point(|&d| d <= window.last);
        let over = until.partition_point(|&d| d <= window.first);
        started.saturating_sub(over)
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct ViewKey {
    filters: Filters,
    focus: Option<Focus>,
}

/// A view's focus: the neighbourhood of `centre` (a unit) to `depth` hops, walked as the CLI
/// walks it (`directed`: along directions only; `part_of`: through "part of" links).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Focus {
    centre: ActorIx,
    depth: usize,
    directed: bool,
    part_of: bool,
}

impl Focus {
    fn walk(self) -> Walk {
        Walk {
            direction: if self.directed { Follow::Forward } else { Follow::Both },
            part_of: self.part_of,
            avoid: HashSet::new(),
        }
    }
}

pub struct Explorer {
    pub ds: Dataset,
    data_name: String,
    /// Each relation's grade class.
    class: Vec<u8>,
    /// Each actor's relations.
    incidence: Incidence,
    /// By kind and grade class: the relations' first possible days, and their first days no
    /// longer possible, each sorted: how many may hold in a window is two binary searches.
    starts: Vec<Vec<Day>>,
    ends: Vec<Vec<Day>>,
    names: Names,
    first: Day,
    last: Day,
    default_at: Day,
    views: Mutex<HashMap<ViewKey, Arc<NodeSet>>>,
    building: Mutex<()>,
}

/// The dataset a question reads: the explorer's own, or a graded part of it.
enum Part<'a> {
    Whole(&'a Dataset),
    Own(Box<Dataset>),
}

impl std::ops::Deref for Part<'_> {
    type Target = Dataset;
    fn deref(&self) -> &Dataset {
        match self {
            Part::Whole(ds) => ds,
            Part::Own(ds) => ds,
        }
    }
}

/// `limit`: how many entries a side list carries; `None` (`limit=0`): all of them.
fn limit(p: &Params) -> Result<Option<usize>, ApiError> {
    let n = p.number("limit", LIMIT, 0..=usize::MAX)?;
    Ok((n > 0).then_some(n))
}

/// Says in a capped document what was left out: `limit`, `total` and `left_out` (counts, in
/// the shape of the lists), how to narrow it, and `names` (id to name) of the actors its
/// entries name, so that a page lists them without asking for each actor.
fn said_capped(
    out: &mut Vec<u8>,
    ds: &Dataset,
    limit: usize,
    total: Value,
    left_out: Value,
    actors: impl IntoIterator<Item = ActorIx>,
) {
    let names: serde_json::Map<String, Value> =
        actors.into_iter().map(|a| (ds.actor(a).id.to_string(), Value::from(&*ds.actor(a).name))).collect();
    let extra = json!({
        "limit": limit,
        "total": total,
        "left_out": left_out,
        "narrow": ["a shorter period", "a kind", "higher minimum grades"],
        "names": names,
    })
    .to_string();
    // The documents are JSON objects ending in `}` and a newline: the fields go before it.
    if let Some(end) = out.iter().rposition(|&b| b == b'}') {
        let fields = format!(",{}", &extra[1..extra.len() - 1]);
        out.splice(end..end, fields.into_bytes());
    }
}

fn ix(i: usize) -> RelationIx {
    RelationIx(u32::try_from(i).expect("fewer than 2^32 relations"))
}

impl Explorer {
    /// Reads the dataset in `dir` and lays out what the answers need.
    ///
    /// # Errors
    /// When the dataset cannot be read.
    pub fn open(dir: &Path) -> anyhow::Result<Explorer> {
        let ds = read(dir)?;
        Ok(Explorer::new(ds, dir.display().to_string()))
    }

    pub fn new(ds: Dataset, data_name: String) -> Explorer {
        // Built now, not by the first scrub that needs it (0.8 s at 10M relations).
        ds.timeline();
        let class: Vec<u8> = ds.relations.iter().map(|r| class_of(ds.grade_of(r)) as u8).collect();
        let incidence = Incidence::of(&ds);
        let mut starts = vec![Vec::new(); KINDS * CLASSES];
        let mut ends = vec![Vec::new(); KINDS * CLASSES];
        for (r, &c) in ds.relations.iter().zip(&class) {
            let slot = r.kind as usize * CLASSES + c as usize;
            starts[slot].push(r.span.possible_from);
            ends[slot].push(r.span.possible_until);
        }
        for v in starts.iter_mut().chain(ends.iter_mut()) {
            v.sort_unstable();
        }
        let (first, last) = match ds.date_range() {
            Some((first, last)) => {
                let last_day = last.after().yesterday().unwrap_or(last.first());
                (first.first(), last_day.max(first.first()))
            }
            None => (jiff::civil::date(2000, 1, 1), jiff::civil::date(2000, 1, 1)),
        };
        let today = jiff::Zoned::now().date();
        let default_at = today.clamp(first, last);
        let names = Names::new(&ds.actors);
        Explorer {
            ds,
            data_name,
            class,
            incidence,
            starts,
            ends,
            names,
            first,
            last,
            default_at,
            views: Mutex::new(HashMap::new()),
            building: Mutex::new(()),
        }
    }

    /// Builds the node set of the first view (no filter, no focus) ahead of the page's call:
    /// 0.4 s at 10 million relations.
    pub fn warm(&self) {
        if let Ok(f) = Params::default().filters() {
            self.node_set(f, None);
        }
    }

    fn relations_of(&self, a: ActorIx) -> &[RelationIx] {
        self.incidence.of_actor(a)
    }

    fn passes_grade(&self, r: RelationIx, admit: &[bool; CLASSES]) -> bool {
        admit[self.class[r.index()] as usize]
    }

    fn unit(&self, f: Filters, a: ActorIx) -> ActorIx {
        f.options().grouping.unit(&self.ds, a)
    }

    /// How many relations of `kind` and grade `class` may hold on some day of `window`.
    fn count_in(&self, slot: usize, window: Window) -> usize {
        let started = self.starts[slot].partition_point(|&d| d <= window.last);
        let over = self.ends[slot].partition_point(|&d| d <= window.first);
        started.saturating_sub(over)
    }

    /// Relations that may hold in `window`, hidden by the kind filter (of grades kept) and
    /// by the grade filter.
    fn hidden_in(&self, f: Filters, window: Window) -> (usize, usize) {
        let admit = admitted(f.grades);
        let (mut kinds, mut grades) = (0, 0);
        for kind in RelationKind::ALL {
            for (c, &kept) in admit.iter().enumerate() {
                let n = self.count_in(kind as usize * CLASSES + c, window);
                if !kept {
                    grades += n;
                } else if !f.kinds.contains(kind) {
                    kinds += n;
                }
            }
        }
        (kinds, grades)
    }

    // ---- the endpoints ------------------------------------------------------------------

    pub fn meta(&self) -> Value {
        json!({
            "version": env!("CARGO_PKG_VERSION"),
            "data": self.data_name,
            "relations": self.ds.relations.len(),
            "actors": self.ds.actors.len(),
            "sources": self.ds.sources.len(),
            "first": self.first.to_string(),
            "last": self.last.to_string(),
            "default_at": self.default_at.to_string(),
            "kinds": RelationKind::ALL.map(|k| k.as_str()),
            "reliability": Reliability::ALL.map(|r| r.as_str()),
            "credibility": Credibility::ALL.map(|c| c.number()),
            "caps": {"nodes": MAX_NODES, "edges": MAX_EDGES},
        })
    }

    /// Bins over [first, last]: days when that is at most 1000 days, else months when at most
    /// 1000 months, else years.
    fn bins(&self) -> (&'static str, Vec<Window>) {
        let (first, last) = (self.first, self.last);
        let months = (i32::from(last.year()) - i32::from(first.year())) * 12 + i32::from(last.month())
            - i32::from(first.month());
        let days = (last - first).get_days();
        let mut bins = Vec::new();
        let unit = if days < 1000 {
            let mut d = first;
            while d <= last {
                bins.push(Window::day(d));
                d = match d.tomorrow() {
                    Ok(t) => t,
                    Err(_) => break,
                };
            }
            "day"
        } else {
            let month = months < 1000;
            let mut d = if month { first.first_of_month() } else { jiff::civil::date(first.year(), 1, 1) };
            while d <= last {
                let next = if month {
                    d.checked_add(jiff::Span::new().months(1))
                } else {
                    d.checked_add(jiff::Span::new().years(1))
                };
                let Ok(next) = next else { break };
                let end = next.yesterday().unwrap_or(next);
                bins.extend(Window::between(d, end));
                d = next;
            }
            if month {
                "month"
            } else {
                "year"
            }
        };
        (unit, bins)
    }

    pub fn histogram(&self, p: &Params) -> Result<Value, ApiError> {
        let f = p.filters()?;
        let admit = admitted(f.grades);
        let (unit, bins) = self.bins();
        let bins: Vec<Value> = bins
            .iter()
            .map(|&w| {
                let mut bin = serde_json::Map::new();
                bin.insert("from".into(), json!(w.first.to_string()));
                bin.insert("to".into(), json!(w.last.to_string()));
                for kind in RelationKind::ALL {
                    let n: usize = if f.kinds.contains(kind) {
                        (0..CLASSES)
                            .filter(|&c| admit[c])
                            .map(|c| self.count_in(kind as usize * CLASSES + c, w))
                            .sum()
                    } else {
                        0
                    };
                    bin.insert(kind.as_str().into(), json!(n));
                }
                Value::Object(bin)
            })
            .collect();
        let hidden = self.class.len().saturating_sub(
            (0..KINDS * CLASSES)
                .filter(|s| admit[s % CLASSES] && f.kinds.contains(RelationKind::ALL[s / CLASSES]))
                .map(|s| self.starts[s].len())
                .sum(),
        );
        Ok(json!({"unit": unit, "bins": bins, "hidden": hidden}))
    }

    /// The actor a request names (id, name or alias, as the CLI resolves it).
    fn actor_param(&self, p: &Params, name: &str) -> Result<ActorIx, ApiError> {
        let text = p.need(name, "an actor id, name or alias")?;
        Resolver::new(&self.ds).resolve(text).map_err(|e| self.resolve_error(name, e))
    }

    fn resolve_error(&self, param: &str, e: ResolveError) -> ApiError {
        match e {
            ResolveError::Ambiguous { ref text, .. } => {
                let mut many = self.names.get(&fold(text)).to_vec();
                many.sort_unstable_by_key(|&a| self.ds.rank(a));
                many.truncate(crate::query::resolve::CANDIDATES_SHOWN);
                ApiError::actor(
                    409,
                    param,
                    text,
                    &e.to_string(),
                    many.iter().map(|&a| self.brief(a)).collect(),
                )
            }
            ResolveError::Unknown { ref text, .. } => {
                let close = self.names.suggest(&self.ds.actors, text);
                ApiError::actor(
                    404,
                    param,
                    text,
                    &e.to_string(),
                    close.iter().map(|&(a, _)| self.brief(a)).collect(),
                )
            }
        }
    }

    fn brief(&self, a: ActorIx) -> Value {
        let actor: &Actor = self.ds.actor(a);
        json!({"id": &*actor.id, "name": &*actor.name, "kind": actor.kind.as_str()})
    }

    fn actor_json(&self, a: ActorIx) -> Value {
        let actor = self.ds.actor(a);
        json!({
            "id": &*actor.id, "name": &*actor.name, "kind": actor.kind.as_str(),
            "parent": actor.parent.map(|p| self.ds.actor(p).id.to_string()),
        })
    }

    fn node_set(&self, f: Filters, focus: Option<Focus>) -> Arc<NodeSet> {
        let key = ViewKey { filters: f, focus };
        let cached = || self.views.lock().unwrap_or_else(|e| e.into_inner()).get(&key).map(Arc::clone);
        if let Some(set) = cached() {
            return set;
        }
        // One build at a time: the page's first call comes while the same set is being built
        // ahead of it (`warm`), and two builds at once took twice as long each.
        let _building = self.building.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(set) = cached() {
            return set;
        }
        let set = Arc::new(self.build_node_set(f, focus));
        let mut views = self.views.lock().unwrap_or_else(|e| e.into_inner());
        if views.len() > 64 {
            views.clear();
        }
        views.insert(key, Arc::clone(&set));
        set
    }

    fn build_node_set(&self, f: Filters, focus: Option<Focus>) -> NodeSet {
        let n = self.ds.actors.len();
        let admit = admitted(f.grades);
        let shown =
            |r: RelationIx| self.passes_grade(r, &admit) && f.kinds.contains(self.ds.relation(r).kind);
        let ends = |r: &Relation| (self.unit(f, r.source), self.unit(f, r.target));
        let mut degree = vec![0u32; n];
        for (i, r) in self.ds.relations.iter().enumerate() {
            let (a, b) = ends(r);
            if a != b && shown(ix(i)) {
                degree[a.index()] += 1;
                degree[b.index()] += 1;
            }
        }
        let mut inside = vec![false; n];
        match focus {
            None => (0..n).filter(|&a| degree[a] > 0).for_each(|a| inside[a] = true),
            Some(focus) => {
                // Over the whole time (the CLI's neighbourhood over the dataset's first to
                // last day): every day's neighbourhood is inside it, so the actors keep their
                // places while scrubbing.
                let all = Window::between(self.first, self.last).unwrap_or_else(|| Window::day(self.first));
                let read = self.reader_in(all, f.grades);
                let walk = focus.walk();
                let found = local::neighbourhood_nodes(
                    &self.ds,
                    f.options(),
                    &walk,
                    focus.centre,
                    focus.depth,
                    read,
                    usize::MAX,
                );
                let Ok(found) = found;
                for (a, _) in found.unwrap_or_default() {
                    inside[a.index()] = true;
                }
            }
        }
        let mut nodes: Vec<(ActorIx, u32)> =
            (0..n).filter(|&a| inside[a]).map(|a| (ActorIx(a as u32), degree[a])).collect();
        nodes.sort_unstable_by(|x, y| y.1.cmp(&x.1).then_with(|| self.ds.rank(x.0).cmp(&self.ds.rank(y.0))));
        let candidates = nodes.len();
        if let Some(Focus { centre, .. }) = focus {
            // The focus stays whatever its degree.
            if let Some(i) = nodes.iter().position(|&(a, _)| a == centre) {
                let c = nodes.remove(i);
                nodes.insert(0, c);
            }
        }
        nodes.truncate(MAX_NODES);
        let mut place = vec![u32::MAX; n];
        for (i, &(a, _)) in nodes.iter().enumerate() {
            place[a.index()] = i as u32;
        }
        let mut relations: Vec<(u32, RelationIx)> = Vec::new();
        for a in (0..n as u32).map(ActorIx) {
            if place[self.unit(f, a).index()] == u32::MAX {
                continue;
            }
            for &r in self.relations_of(a) {
                let rel = self.ds.relation(r);
                let (x, y) = ends(rel);
                // Each relation once: from its source's list.
                if rel.source != a || x == y || !self.passes_grade(r, &admit) {
                    continue;
                }
                let (px, py) = (place[x.index()], place[y.index()]);
                if px != u32::MAX && py != u32::MAX {
                    relations.push((px.max(py), r));
                }
            }
        }
        relations.sort_unstable();
        let relations: Vec<RelationIx> = relations.into_iter().map(|(_, r)| r).collect();
        // Only a capped set leaves relations out: those among its candidates with an end
        // beyond the cap.
        let mut outside: [Vec<Day>; 4] = Default::default();
        let capped = candidates > nodes.len();
        for (i, rel) in self.ds.relations.iter().enumerate().filter(|_| capped) {
            let (x, y) = ends(rel);
            if x == y
                || !shown(ix(i))
                || !(inside[x.index()] && inside[y.index()])
                || (place[x.index()] != u32::MAX && place[y.index()] != u32::MAX)
            {
                continue;
            }
            let span = rel.span;
            outside[0].push(span.possible_from);
            outside[1].push(span.possible_until);
            if span.active_from < span.active_until {
                outside[2].push(span.active_from);
                outside[3].push(span.active_until);
            }
        }
        for v in &mut outside {
            v.sort_unstable();
        }
        let shown = relations.iter().filter(|&&r| f.kinds.contains(self.ds.relation(r).kind)).count();
        let nodes_json = Value::Array(
            nodes
                .iter()
                .map(|&(a, degree)| {
                    let mut v = self.actor_json(a);
                    v["degree"] = json!(degree);
                    v
                })
                .collect(),
        )
        .to_string();
        let edge_json = relations
            .iter()
            .map(|&r| {
                let rel = self.ds.relation(r);
                if !f.kinds.contains(rel.kind) {
                    return String::new();
                }
                json!({
                    "key": rel.id.to_string(),
                    "id": rel.id.key(),
                    "source": &*self.ds.actor(self.unit(f, rel.source)).id,
                    "target": &*self.ds.actor(self.unit(f, rel.target)).id,
                    "kind": rel.kind.as_str(),
                    "directed": rel.directed,
                    "start": rel.start.to_string(),
                    "end": rel.end.map(|e| e.to_string()),
                    "grade": self.ds.grade(r).to_string(),
                })
                .to_string()
            })
            .collect();
        NodeSet {
            nodes,
            candidates,
            relations,
            shown,
            outside,
            lists: Default::default(),
            nodes_json,
            edge_json,
        }
    }

    /// Rolled up to countries: the actors each country stands for.
    fn members(&self, f: Filters) -> HashMap<ActorIx, Vec<ActorIx>> {
        let mut m: HashMap<ActorIx, Vec<ActorIx>> = HashMap::new();
        if f.by_country {
            for a in (0..self.ds.actors.len() as u32).map(ActorIx) {
                m.entry(self.ds.top_parent(a)).or_default().push(a);
            }
        }
        m
    }

    fn held(&self, r: RelationIx, status: Status) -> Held {
        self.ds.relation(r).held_as(r, status)
    }

    /// The status a relation counts with in `window`, under `strict`.
    fn status(&self, r: RelationIx, window: Window, strict: bool) -> Option<Status> {
        self.ds.relation(r).span.status_in(window).filter(|s| s.counts(strict))
    }

    /// The contests in `window` that involve one of `relations` (which hold in it and pass
    /// the grade filter): among themselves, and through restrictions between other actors
    /// (their ancestors), found from each actor's relations ([`contest::beyond_pairs`]).
    fn contests(&self, relations: &[Held], window: Window, f: Filters) -> Vec<Contest> {
        let admit = admitted(f.grades);
        let mut found = contest::candidates(&self.ds, relations);
        let read = |a: ActorIx, each: &mut dyn FnMut(Held)| -> Result<usize, std::convert::Infallible> {
            let list = self.relations_of(a);
            for &r in list {
                if self.passes_grade(r, &admit) {
                    if let Some(s) = self.status(r, window, f.strict) {
                        each(self.held(r, s));
                    }
                }
            }
            Ok(list.len())
        };
        let Ok(beyond) = contest::beyond_pairs(&self.ds, f.strict, read);
        found.extend(beyond);
        let span = |r: RelationIx| &self.ds.relation(r).span;
        found.retain(|c| {
            contest::together(span(c.cooperation), span(c.restriction), window, f.strict).is_some()
        });
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The view as JSON bytes (see the README's API): written by hand around the node set's
    /// cached parts, as at 6,000 edges building it as `Value`s took most of a scrub's time.
    pub fn view(&self, p: &Params) -> Result<Vec<u8>, ApiError> {
        let f = p.filters()?;
        let window = p.window(self.default_at)?;
        let focus = match p.get("focus") {
            None => None,
            Some(_) => {
                let walk = self.walk(p)?;
                Some(Focus {
                    centre: self.unit(f, self.actor_param(p, "focus")?),
                    depth: p.number("depth", 1, 0..=10)?,
                    directed: walk.direction == Follow::Forward,
                    part_of: walk.part_of,
                })
            }
        };
        let set = self.node_set(f, focus);
        let mut holding: Vec<Held> = Vec::new();
        // Each relation's status, by its place in the node set's list.
        let mut status: Vec<Option<Status>> = set
            .relations
            .iter()
            .map(|&r| {
                let s = self.status(r, window, f.strict);
                if let Some(s) = s {
                    holding.push(self.held(r, s));
                }
                s
            })
            .collect();
        let contests = self.contests(&holding, window, f);
        let contested: HashSet<RelationIx> = contest::contested(&contests).into_iter().collect();
        if let Some(focus) = focus {
            // Drawn: the relations of the window's neighbourhood, as /api/neighbours lists it
            // (the node set is every window's); the others among the node set do not hold in it.
            // Read from the node set's relations only (every day's neighbourhood is among
            // them): a hub's whole lists at 10M cost a second per scrub.
            let lists = set.lists.get_or_init(|| {
                let mut lists: HashMap<ActorIx, Vec<RelationIx>> = HashMap::new();
                for &r in &set.relations {
                    let rel = self.ds.relation(r);
                    lists.entry(rel.source).or_default().push(r);
                    if rel.target != rel.source {
                        lists.entry(rel.target).or_default().push(r);
                    }
                }
                lists
            });
            let read = |a: ActorIx, each: &mut dyn FnMut(Held)| {
                let list = lists.get(&a).map_or(&[][..], Vec::as_slice);
                for &r in list {
                    if let Some(s) = self.ds.relation(r).span.status_in(window) {
                        each(self.held(r, s));
                    }
                }
                Ok(list.len())
            };
            let what = (focus.centre, focus.depth);
            let ids: HashSet<crate::model::RelationId> =
                self.with_hood_in(f, window, &focus.walk(), what, read, |snap, hood| {
                    hood.edges
                        .iter()
                        .flat_map(|&e| snap.members(&snap.edges[e]))
                        .map(|m| snap.dataset.relation(m.relation).id.clone())
                        .collect()
                });
            for (s, &r) in status.iter_mut().zip(&set.relations) {
                if s.is_some() && !ids.contains(&self.ds.relation(r).id) {
                    *s = None;
                }
            }
        }
        let shown = |r: RelationIx| f.kinds.contains(self.ds.relation(r).kind);
        // The whole union when it fits (positions and edges stay put while scrubbing), else
        // what holds, best-connected first.
        let whole = set.shown <= MAX_EDGES;
        let mut edges = String::with_capacity(MAX_EDGES.min(set.shown) * 256);
        let (mut sent, mut sent_holding, mut holding_shown) = (0usize, 0usize, 0usize);
        for (i, &r) in set.relations.iter().enumerate() {
            if !shown(r) {
                continue;
            }
            let s = status[i];
            holding_shown += usize::from(s.is_some());
            if sent == MAX_EDGES || !(whole || s.is_some()) {
                continue;
            }
            sent += 1;
            sent_holding += usize::from(s.is_some());
            if sent > 1 {
                edges.push(',');
            }
            let status = match s {
                Some(s) => format!("\"{}\"", s.as_str()),
                None => "null".to_string(),
            };
            edges.push_str(&format!(
                "{{\"status\":{status},\"contested\":{},",
                s.is_some() && contested.contains(&r)
            ));
            edges.push_str(&set.edge_json[i][1..]);
        }
        // Contested pairs among what is shown.
        let mut pairs: Vec<((ActorIx, ActorIx), Vec<RelationIx>)> = Vec::new();
        let mut pair_at: HashMap<(ActorIx, ActorIx), usize> = HashMap::new();
        for (_, &r) in set
            .relations
            .iter()
            .enumerate()
            .filter(|&(i, r)| contested.contains(r) && shown(*r) && status[i].is_some())
        {
            let rel = self.ds.relation(r);
            let (a, b) = (self.unit(f, rel.source), self.unit(f, rel.target));
            let key = if self.ds.rank(a) <= self.ds.rank(b) { (a, b) } else { (b, a) };
            let i = *pair_at.entry(key).or_insert_with(|| {
                pairs.push((key, Vec::new()));
                pairs.len() - 1
            });
            pairs[i].1.push(r);
        }
        pairs.sort_by_key(|((a, b), _)| (self.ds.rank(*a), self.ds.rank(*b)));
        let contested_json: Vec<Value> = pairs
            .iter()
            .map(|((a, b), rels)| {
                let mut kinds: Vec<&str> = rels.iter().map(|&r| self.ds.relation(r).kind.as_str()).collect();
                kinds.sort_unstable();
                kinds.dedup();
                json!({
                    "a": &*self.ds.actor(*a).id, "b": &*self.ds.actor(*b).id,
                    "a_name": &*self.ds.actor(*a).name, "b_name": &*self.ds.actor(*b).name,
                    "relations": rels.iter().map(|&r| self.ds.relation(r).id.to_string()).collect::<Vec<_>>(),
                    "kinds": kinds,
                })
            })
            .collect();
        let (hidden_kinds, hidden_grades) = self.hidden_in(f, window);
        let left_nodes = set.candidates.saturating_sub(set.nodes.len());
        let left_edges = holding_shown - sent_holding + set.left_outside(window, f.strict);
        let left_out = (left_nodes > 0 || left_edges > 0).then(|| {
            json!({
                "nodes": left_nodes, "edges": left_edges,
                "why": format!(
                    "a view shows at most {MAX_NODES} actors (the most connected first) and {MAX_EDGES} relations"
                ),
                "narrow": ["focus an actor", "a kind", "by country"],
            })
        });
        let rest = json!({
            "at": window.as_day().map(|d| d.to_string()),
            "from": window.first.to_string(),
            "to": window.last.to_string(),
            "contested": contested_json,
            "hidden_by_filters": {"kinds": hidden_kinds, "grades": hidden_grades},
            "left_out": left_out,
        })
        .to_string();
        let mut out = String::with_capacity(rest.len() + set.nodes_json.len() + edges.len() + 32);
        out.push_str(&rest[..rest.len() - 1]);
        out.push_str(",\"nodes\":");
        out.push_str(&set.nodes_json);
        out.push_str(",\"edges\":[");
        out.push_str(&edges);
        out.push_str("]}");
        Ok(out.into_bytes())
    }

    /// Why a relation is visible (or not) in `window`, in words.
    fn why(&self, rel: &Relation, window: Window, status: Option<Status>) -> String {
        let end = match rel.end {
            None => "no end".to_string(),
            Some(e) => format!("ends {e}"),
        };
        let when = match window.as_day() {
            Some(d) => format!("on {d}"),
            None => format!("from {} to {}", window.first, window.last),
        };
        match status {
            Some(Status::Active) => format!("active {when}: started {}, {end}", rel.start),
            Some(Status::Possible) => format!(
                "possible {when}: started {}, {end} (a date known only to its month or year leaves it open)",
                rel.start
            ),
            None => format!("not holding {when}: started {}, {end}", rel.start),
        }
    }

    fn source_json(&self, s: crate::model::SourceIx) -> Value {
        let src = self.ds.source(s);
        let mut citation = String::new();
        if !src.publisher.is_empty() {
            citation.push_str(&src.publisher);
        }
        if let Some(d) = src.published {
            if !citation.is_empty() {
                citation.push_str(", ");
            }
            citation.push_str(&d.to_string());
        }
        json!({
            "id": &*src.id, "title": &*src.title, "publisher": &*src.publisher,
            "date": src.published.map(|d| d.to_string()), "url": &*src.url,
            "reliability": src.reliability.map(|r| r.as_str()),
            "citation": if citation.is_empty() { src.id.to_string() } else { citation },
        })
    }

    /// A relation with its evidence, as /api/pair and /api/path give it.
    fn relation_json(&self, r: RelationIx, window: Window, strict: bool, contests: &[Contest]) -> Value {
        let rel = self.ds.relation(r);
        let status = self.status(r, window, strict);
        let grade = self.ds.grade(r);
        let key = |r: RelationIx| self.ds.relation(r).id.to_string();
        json!({
            "key": rel.id.to_string(),
            "id": rel.id.key(),
            "kind": rel.kind.as_str(),
            "source": &*self.ds.actor(rel.source).id,
            "target": &*self.ds.actor(rel.target).id,
            "directed": rel.directed,
            "start": rel.start.to_string(),
            "end": rel.end.map(|e| e.to_string()),
            "status": status.map(|s| s.as_str()),
            "why": self.why(rel, window, status),
            "grade": grade.to_string(),
            "reliability": grade.reliability.as_str(),
            "credibility": grade.credibility.number(),
            "claimant": rel.claimant().map(|c| json!({"id": &*self.ds.actor(c).id, "name": &*self.ds.actor(c).name})),
            "summary": rel.summary(),
            "contested_by": contests.iter().filter(|c| c.cooperation == r).map(|c| key(c.restriction)).collect::<Vec<_>>(),
            "contests": contests.iter().filter(|c| c.restriction == r).map(|c| key(c.cooperation)).collect::<Vec<_>>(),
            "sources": rel.evidence().iter().map(|&s| self.source_json(s)).collect::<Vec<_>>(),
        })
    }

    pub fn pair(&self, p: &Params) -> Result<Value, ApiError> {
        let f = p.filters()?;
        let window = p.window(self.default_at)?;
        let (a, b) = (self.actor_param(p, "a")?, self.actor_param(p, "b")?);
        let admit = admitted(f.grades);
        let (ua, ub) = (self.unit(f, a), self.unit(f, b));
        let between = |r: &Relation| {
            let (x, y) = (self.unit(f, r.source), self.unit(f, r.target));
            (x, y) == (ua, ub) || (x, y) == (ub, ua)
        };
        // The pair's relations: from the actors' lists (every member's, rolled up).
        let mut own: Vec<RelationIx> = Vec::new();
        let members = self.members(f);
        for &m in members.get(&ua).map_or(&[ua][..], Vec::as_slice) {
            own.extend(
                self.relations_of(m)
                    .iter()
                    .copied()
                    .filter(|&r| self.passes_grade(r, &admit) && between(self.ds.relation(r))),
            );
        }
        own.sort_unstable();
        own.dedup();
        // The relations that may contest them: restrictions between their ends' ancestors,
        // and cooperations between their ends' descendants.
        let held: Vec<Held> =
            own.iter().filter_map(|&r| self.status(r, window, f.strict).map(|s| self.held(r, s))).collect();
        let contests: Vec<Contest> = self
            .contests(&held, window, f)
            .into_iter()
            .filter(|c| {
                own.binary_search(&c.cooperation).is_ok() || own.binary_search(&c.restriction).is_ok()
            })
            .collect();
        let mut all = own.clone();
        all.extend(contests.iter().flat_map(|c| [c.cooperation, c.restriction]));
        all.sort_unstable();
        all.dedup();
        let relations: Vec<Value> =
            all.iter().map(|&r| self.relation_json(r, window, f.strict, &contests)).collect();
        let holds = |kind: RelationKind| held.iter().any(|h| h.kind == kind);
        let state = if !contests.is_empty() {
            "contested"
        } else if holds(RelationKind::Restriction) {
            "restricted"
        } else if holds(RelationKind::Dispute) {
            "disputed"
        } else if holds(RelationKind::Cooperation) {
            "cooperating"
        } else {
            "none"
        };
        Ok(json!({
            "a": self.actor_json(ua), "b": self.actor_json(ub),
            "at": window.as_day().map(|d| d.to_string()),
            "from": window.first.to_string(), "to": window.last.to_string(),
            "relations": relations,
            "state": state,
        }))
    }

    pub fn actor(&self, p: &Params) -> Result<Value, ApiError> {
        let f = p.filters()?;
        let window = p.window(self.default_at)?;
        let a = self.actor_param(p, "id")?;
        let admit = admitted(f.grades);
        let mut within = Vec::new();
        let mut up = self.ds.actor(a).parent;
        while let Some(x) = up {
            if within.len() > self.ds.actors.len() {
                break;
            }
            within.push(self.ds.actor(x).id.to_string());
            up = self.ds.actor(x).parent;
        }
        let contains: Vec<String> =
            self.ds.children(a).iter().map(|&c| self.ds.actor(c).id.to_string()).collect();
        let relations_on = self
            .relations_of(a)
            .iter()
            .filter(|&&r| {
                self.passes_grade(r, &admit)
                    && f.kinds.contains(self.ds.relation(r).kind)
                    && self.status(r, window, f.strict).is_some()
            })
            .count();
        Ok(json!({
            "actor": self.actor_json(a),
            "within": within,
            "contains": contains,
            "relations_on": relations_on,
            "aliases": self.ds.actor(a).aliases.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        }))
    }

    pub fn search(&self, p: &Params) -> Result<Value, ApiError> {
        let q = p.need("q", "text to look for")?;
        let mut found: Vec<(ActorIx, &str)> = Vec::new();
        if let Some(a) = self.ds.actor_by_id(q.trim()) {
            found.push((a, "exact id"));
        }
        let key = fold(q);
        let mut same = self.names.get(&key).to_vec();
        same.sort_unstable_by_key(|&a| self.ds.rank(a));
        for a in same {
            let actor = self.ds.actor(a);
            let why = if fold(&actor.id) == key {
                "id"
            } else if actor.name.as_ref() == q.trim() {
                "name"
            } else if fold(&actor.name) == key {
                if actor.name.to_lowercase() == q.trim().to_lowercase() {
                    "name"
                } else {
                    "accent"
                }
            } else {
                "alias"
            };
            found.push((a, why));
        }
        for (a, closeness) in self.names.suggest(&self.ds.actors, q) {
            found.push((a, if closeness == Closeness::Same { "name" } else { "typo" }));
        }
        let mut seen = HashSet::new();
        let matches: Vec<Value> = found
            .into_iter()
            .filter(|(a, _)| seen.insert(*a))
            .take(10)
            .map(|(a, why)| {
                let mut v = self.actor_json(a);
                v["why"] = json!(why);
                v
            })
            .collect();
        Ok(json!({"matches": matches}))
    }

    /// What a question over `window` reads: the whole dataset itself when the grade filter
    /// keeps everything (no copy: at 10M a month's diff copied 4 million relations, 3 GB at the
    /// peak), else [`Explorer::part`].
    fn part_or_whole(&self, window: Window, grades: GradeFilter) -> Part<'_> {
        if grades.is_all() {
            Part::Whole(&self.ds)
        } else {
            Part::Own(Box::new(self.part(window, grades, None)))
        }
    }

    /// What the CLI reads for a question over `window`: the relations `select` picks for it
    /// (a store selection, such as [`store::contested_in`] for a day or
    /// [`store::contested_over`] for a period).
    fn day_part(
        &self,
        window: Window,
        grades: GradeFilter,
        select: impl FnOnce(Window) -> Vec<RelationIx>,
    ) -> Part<'_> {
        Part::Own(Box::new(self.part(window, grades, Some(&select(window)))))
    }

    /// A dataset holding every actor and source and the relations in `window` that pass the
    /// grade filter: what the CLI reads for that question with these grades (a cut for a day).
    fn part(&self, window: Window, grades: GradeFilter, only: Option<&[RelationIx]>) -> Dataset {
        let admit = admitted(grades);
        let keep = |r: RelationIx| {
            self.passes_grade(r, &admit) && self.ds.relation(r).span.status_in(window).is_some()
        };
        let relations: Vec<Relation> = match only {
            Some(list) => {
                list.iter().copied().filter(|&r| keep(r)).map(|r| self.ds.relation(r).clone()).collect()
            }
            None => (0..self.ds.relations.len())
                .map(ix)
                .filter(|&r| keep(r))
                .map(|r| self.ds.relation(r).clone())
                .collect(),
        };
        let (actors, sources) = (self.ds.actors.clone(), self.ds.sources.clone());
        match window.as_day() {
            Some(day) => Dataset::cut(actors, sources, relations, day),
            None => Dataset::new(actors, sources, relations),
        }
    }

    /// Each actor's relations holding on `day` under `grades`, as `query::local` reads them.
    fn reader(
        &self,
        day: Day,
        grades: GradeFilter,
    ) -> impl FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, std::convert::Infallible> + '_ {
        let admit = admitted(grades);
        move |a, each| {
            let list = self.relations_of(a);
            for &r in list {
                if self.passes_grade(r, &admit) {
                    if let Some(h) = self.ds.relation(r).held_on(r, day) {
                        each(h);
                    }
                }
            }
            Ok(list.len())
        }
    }

    /// Each actor's relations that may hold in `window` under `grades`, as `query::local`
    /// reads them: a snapshot over the window has an edge for each.
    fn reader_in(
        &self,
        window: Window,
        grades: GradeFilter,
    ) -> impl FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, std::convert::Infallible> + '_ {
        let admit = admitted(grades);
        move |a, each| {
            let list = self.relations_of(a);
            for &r in list {
                if self.passes_grade(r, &admit) {
                    if let Some(s) = self.ds.relation(r).span.status_in(window) {
                        each(self.held(r, s));
                    }
                }
            }
            Ok(list.len())
        }
    }

    /// The dataset a search around some actors needs (`query::local`), or the window's part.
    fn around(
        &self,
        window: Window,
        grades: GradeFilter,
        search: impl FnOnce(
            &mut dyn FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, std::convert::Infallible>,
        ) -> Option<Vec<RelationIx>>,
    ) -> Part<'_> {
        if let Some(day) = window.as_day() {
            let mut read = self.reader(day, grades);
            if let Some(relations) = search(&mut read) {
                return Part::Own(Box::new(self.part(window, grades, Some(&relations))));
            }
        }
        self.part_or_whole(window, grades)
    }

    /// The walk of a path or a neighbourhood, as the CLI's: through "part of" links unless
    /// `relations_only=1`, against directions unless `directed=1`.
    fn walk(&self, p: &Params) -> Result<Walk, ApiError> {
        Ok(Walk {
            direction: if p.flag("directed")? { Follow::Forward } else { Follow::Both },
            part_of: !p.flag("relations_only")?,
            avoid: HashSet::new(),
        })
    }

    /// The CLI's neighbourhood (`georel neighbours`) of `centre` (a unit) in `window`, handed
    /// to `then` with the snapshot it was taken on: what /api/neighbours lists, and what a
    /// focused view draws, by the one rule of `query::local` and `query::neighbours`.
    fn with_hood<T>(
        &self,
        f: Filters,
        window: Window,
        walk: &Walk,
        what: (ActorIx, usize),
        then: impl FnOnce(&Snapshot<'_>, &neighbours::Neighbourhood) -> T,
    ) -> T {
        self.with_hood_in(f, window, walk, what, self.reader_in(window, f.grades), then)
    }

    /// As [`Explorer::with_hood`], with each actor's relations read by `read` (a focused
    /// view reads only those among its node set).
    fn with_hood_in<T>(
        &self,
        f: Filters,
        window: Window,
        walk: &Walk,
        (centre, depth): (ActorIx, usize),
        mut read: impl FnMut(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, std::convert::Infallible>,
        then: impl FnOnce(&Snapshot<'_>, &neighbours::Neighbourhood) -> T,
    ) -> T {
        let options = f.options();
        // The lists are in memory: reading all of them (twice the relations) costs less than
        // taking the whole day's snapshot, so the search never gives up for its budget (with
        // the dataset's size as budget, a hub's neighbourhood at 10M fell back to the whole
        // day: 3.2 s).
        let budget = usize::MAX;
        let Ok(found) =
            local::neighbourhood_relations(&self.ds, options, walk, centre, depth, &mut read, budget);
        let ds = match found {
            Some(relations) => Part::Own(Box::new(self.part(window, f.grades, Some(&relations)))),
            None => self.part_or_whole(window, f.grades),
        };
        let snap = Snapshot::over(&ds, window, options);
        let hood = neighbours::around(&snap, walk, centre, depth);
        then(&snap, &hood)
    }

    pub fn neighbours(&self, p: &Params) -> Result<Vec<u8>, ApiError> {
        let f = p.filters()?;
        let window = p.window(self.default_at)?;
        let centre = self.unit(f, self.actor_param(p, "actor")?);
        let depth = p.number("depth", 1, 0..=10)?;
        let walk = self.walk(p)?;
        self.with_hood(f, window, &walk, (centre, depth), |snap, hood| {
            let actors: Vec<_> = hood.actors.iter().map(|&(a, _)| a).collect();
            let sub = snap.restrict(&hood.edges, &actors);
            let mut out = Vec::new();
            json_out::neighbours(&sub, hood, &mut out).map_err(ApiError::internal)?;
            Ok(out)
        })
    }

    pub fn path(&self, p: &Params) -> Result<Value, ApiError> {
        let f = p.filters()?;
        let window = p.at(self.default_at)?;
        let options = f.options();
        let from = self.unit(f, self.actor_param(p, "from")?);
        let to = self.unit(f, self.actor_param(p, "to")?);
        let walk = self.walk(p)?;
        // The lists are in memory: reading all of them (twice the relations) costs less than
        // taking the whole day's snapshot, so the search never gives up for its budget (with
        // the dataset's size as budget, a hub's neighbourhood at 10M fell back to the whole
        // day: 3.2 s).
        let budget = usize::MAX;
        let ds = self.around(window, f.grades, |read| {
            let Ok(found) = local::path_relations(&self.ds, options, &walk, from, to, read, budget);
            found
        });
        let snap = Snapshot::over(&ds, window, options);
        let found: Vec<paths::Path> = paths::shortest(&snap, &walk, from, to).into_iter().collect();
        if found.is_empty() {
            return Ok(json!({
                "from": &*self.ds.actor(from).id, "to": &*self.ds.actor(to).id,
                "at": window.as_day().map(|d| d.to_string()),
                "from_day": window.first.to_string(), "to_day": window.last.to_string(),
                "hops": null, "actors": [], "relations": [], "evidence": [],
                "message": format!("no path from {} to {} {} with these filters", self.ds.actor(from).id, self.ds.actor(to).id, window.phrase()),
            }));
        }
        let mut out = Vec::new();
        json_out::paths(&snap, &found, false, &mut out).map_err(ApiError::internal)?;
        let mut doc: Value = serde_json::from_slice(&out).map_err(ApiError::internal)?;
        // Each hop's relations with their evidence, as /api/pair gives them.
        let mut evidence = Vec::new();
        for path in &found {
            let mut hops = Vec::new();
            for hop in &path.hops {
                let mut rels = Vec::new();
                for &e in &hop.edges {
                    for m in snap.members(&snap.edges[e]) {
                        // The part dataset keeps the whole one's relation ids: find by id.
                        let id = &ds.relation(m.relation).id;
                        if let Some(r) = self.find_relation(&ds, m.relation, id) {
                            rels.push(self.relation_json(r, window, f.strict, &[]));
                        }
                    }
                }
                hops.push(Value::Array(rels));
            }
            evidence.push(Value::Array(hops));
        }
        doc["evidence"] = Value::Array(evidence);
        Ok(doc)
    }

    /// The whole dataset's index of a relation of a part of it.
    fn find_relation(
        &self,
        part: &Dataset,
        r: RelationIx,
        id: &crate::model::RelationId,
    ) -> Option<RelationIx> {
        let rel = part.relation(r);
        self.relations_of(rel.source)
            .iter()
            .copied()
            .find(|&x| &self.ds.relation(x).id == id && self.ds.relation(x).target == rel.target)
    }

    pub fn diff(&self, p: &Params) -> Result<Vec<u8>, ApiError> {
        let f = p.filters()?;
        // Both ends are needed; a month or a year names its days as on the command line, from
        // the first of `from` to the last of `to` ([`Params::window`]).
        for end in ["from", "to"] {
            p.need(end, DATE_FORMATS)?;
        }
        let days = p.window(self.default_at)?;
        let limit = limit(p)?;
        let (from, to) = (days.first, days.last);
        let options = f.options();
        // What the CLI's diff reads (`Store::changes`), from the dataset in memory: the
        // relations whose status changes in between and those of the pairs they join (a
        // month at 10M: 25.9 s and 2.4 GB when the whole window was copied).
        let keep = store::changes_in(&self.ds, days.first, days.last);
        let ds = self.part(days, f.grades, Some(&keep));
        let (before, after) = (Snapshot::at(&ds, from, options), Snapshot::at(&ds, to, options));
        let within =
            (days.first.tomorrow().ok() < Some(days.last)).then(|| Snapshot::over(&ds, days, options));
        let mut changes = diff::between(&before, &after, within.as_ref());
        let mut out = Vec::new();
        let Some(limit) = limit else {
            json_out::diff(&ds, &changes, &mut out).map_err(ApiError::internal)?;
            return Ok(out);
        };
        // The first changes in the CLI's order (by change, then start date), and the first
        // pairs (became contested first), each list capped.
        let total = (changes.relations.len(), changes.pairs.len());
        changes.relations.truncate(limit);
        changes.pairs.truncate(limit);
        json_out::diff(&ds, &changes, &mut out).map_err(ApiError::internal)?;
        let actors = changes
            .relations
            .iter()
            .flat_map(|c| {
                let rel = ds.relation(c.relation);
                [rel.source, rel.target]
            })
            .chain(changes.pairs.iter().flat_map(|p| [p.a, p.b]));
        said_capped(
            &mut out,
            &ds,
            limit,
            json!({"changes": total.0, "contested": total.1}),
            json!({"changes": total.0 - changes.relations.len(), "contested": total.1 - changes.pairs.len()}),
            actors,
        );
        Ok(out)
    }

    pub fn contests_doc(&self, p: &Params) -> Result<Vec<u8>, ApiError> {
        let f = p.filters()?;
        let window = p.window(self.default_at)?;
        let limit = limit(p)?;
        // What the CLI's `conflicts --at` reads (`Store::contested_within`), from the dataset
        // in memory: every relation of each edge that can be contested then, nothing else.
        let ds = self.day_part(window, f.grades, |window| match window.as_day() {
            Some(day) => store::contested_in(&self.ds, day, f.grades, f.strict),
            None => store::contested_over(&self.ds, window, f.grades, f.strict),
        });
        let options = Options {
            filter: crate::snapshot::Filter { strict: f.strict, ..Default::default() },
            ..f.options()
        };
        // As `georel conflicts`: only the contested edges are built.
        let snap = Snapshot::contested_part(&ds, window, options);
        let mut found = conflicts::on(&snap);
        let mut out = Vec::new();
        let Some(limit) = limit else {
            json_out::conflicts_on(&snap, &found, &mut out).map_err(ApiError::internal)?;
            return Ok(out);
        };
        // The first pairs in the CLI's order; `sources` then names only their sources.
        let total = found.len();
        found.truncate(limit);
        json_out::conflicts_on(&snap, &found, &mut out).map_err(ApiError::internal)?;
        let actors: Vec<ActorIx> = found.iter().flat_map(|c| [c.a, c.b]).collect();
        said_capped(&mut out, &ds, limit, json!(total), json!(total - found.len()), actors);
        Ok(out)
    }

    /// The CLI's `fractures --format json` document for the window, read from the relations
    /// `Store::fractured_within` keeps (the same selection, in memory).
    pub fn fractures_doc(&self, p: &Params) -> Result<Vec<u8>, ApiError> {
        let f = p.filters()?;
        let window = p.window(self.default_at)?;
        let limit = limit(p)?;
        // `group`: one alliance, agreement or organisation, as `fractures --group`.
        let groups = match p.get("group") {
            None => Vec::new(),
            Some(_) => {
                let g = self.actor_param(p, "group")?;
                let admit = admitted(f.grades);
                // As the command line: a membership that the grades keep, on any day.
                let targeted = || {
                    Ok::<_, std::convert::Infallible>((0..self.ds.relations.len()).map(ix).any(|r| {
                        let rel = self.ds.relation(r);
                        rel.kind == RelationKind::Membership
                            && rel.target == g
                            && self.passes_grade(r, &admit)
                    }))
                };
                let Ok(not) = fractures::not_a_group(&self.ds, g, targeted);
                if let Some(what) = not {
                    let named = format!("group={}", crate::export::text::actor(&self.ds, g));
                    return Err(ApiError {
                        status: 400,
                        body: serde_json::json!({
                            "error": fractures::not_a_group_message(&named, &what),
                            "param": "group",
                            "value": p.get("group"),
                            "allowed": "an alliance, agreement or organisation",
                        }),
                    });
                }
                vec![g]
            }
        };
        // A fracture needs a membership and a restriction or a dispute holding in the window
        // under the grades: when the counts by kind say none may, the answer is known without
        // going through the window's relations (2 s a scrub at 10M, where no group exists).
        let admit = admitted(f.grades);
        let may_hold = |kind: RelationKind| {
            (0..CLASSES).any(|c| admit[c] && self.count_in(kind as usize * CLASSES + c, window) > 0)
        };
        if !may_hold(RelationKind::Membership)
            || !(may_hold(RelationKind::Restriction) || may_hold(RelationKind::Dispute))
        {
            let mut out = Vec::new();
            json_out::fractures(&self.ds, window, &groups, &[], &mut out).map_err(ApiError::internal)?;
            if let Some(limit) = limit {
                said_capped(&mut out, &self.ds, limit, json!(0), json!(0), []);
            }
            return Ok(out);
        }
        let ds = self.day_part(window, f.grades, |window| match window.as_day() {
            Some(day) => store::fractured_in(&self.ds, day, f.grades, f.strict),
            None => store::fractured_over(&self.ds, window, f.grades, f.strict),
        });
        let mut found = fractures::of_groups(&ds, window, &groups, f.strict);
        let mut out = Vec::new();
        let Some(limit) = limit else {
            json_out::fractures(&ds, window, &groups, &found, &mut out).map_err(ApiError::internal)?;
            return Ok(out);
        };
        // The first fractures in the CLI's order (by group, then relation).
        let total = found.len();
        found.truncate(limit);
        json_out::fractures(&ds, window, &groups, &found, &mut out).map_err(ApiError::internal)?;
        let actors: Vec<ActorIx> = found
            .iter()
            .flat_map(|x| {
                let rel = ds.relation(x.relation);
                [x.group, x.source_member, x.target_member, rel.source, rel.target]
            })
            .collect();
        said_capped(&mut out, &ds, limit, json!(total), json!(total - found.len()), actors);
        Ok(out)
    }

    /// The file `georel snapshot` writes for this view: (file name, content type, bytes).
    pub fn export(&self, p: &Params) -> Result<(String, &'static str, Vec<u8>), ApiError> {
        let f = p.filters()?;
        let window = p.window(self.default_at)?;
        let format = p.need("format", "csv, nodes-csv, json, dot, svg or png")?;
        let options = f.options();
        let ds = self.part_or_whole(window, f.grades);
        let whole = Snapshot::over(&ds, window, options);
        let focused;
        let snap = match p.get("focus") {
            None => &whole,
            Some(_) => {
                let centre = self.unit(f, self.actor_param(p, "focus")?);
                let depth = p.number("depth", 1, 0..=10)?;
                let hood = neighbours::around(&whole, &self.walk(p)?, centre, depth);
                let actors: Vec<_> = hood.actors.iter().map(|&(a, _)| a).collect();
                focused = whole.restrict(&hood.edges, &actors);
                &focused
            }
        };
        let mut out = Vec::new();
        let picture = |kind| -> Result<Vec<u8>, ApiError> {
            render::check_size(snap.nodes.len(), snap.edges.len(), false).map_err(|e| {
                ApiError::bad("format", format, &format!("csv, json or dot for a view this large ({e})"))
            })?;
            let mut dot_text = Vec::new();
            dot::write(snap, &mut dot_text).map_err(ApiError::internal)?;
            let layout = render::Layout::for_size(snap.nodes.len(), snap.edges.len());
            render::render(&dot_text, layout, kind, &[]).map_err(ApiError::internal)
        };
        let (ext, content_type) = match format {
            "csv" | "edges-csv" => {
                csv::write_edges(snap, &mut out).map_err(ApiError::internal)?;
                ("edges.csv", "text/csv; charset=utf-8")
            }
            "nodes-csv" => {
                csv::write_nodes(snap, &mut out).map_err(ApiError::internal)?;
                ("nodes.csv", "text/csv; charset=utf-8")
            }
            "json" => {
                json_out::write(snap, &mut out).map_err(ApiError::internal)?;
                ("json", "application/json")
            }
            "dot" => {
                dot::write(snap, &mut out).map_err(ApiError::internal)?;
                ("dot", "text/vnd.graphviz; charset=utf-8")
            }
            "svg" => {
                out = picture(render::Picture::Svg)?;
                ("svg", "image/svg+xml")
            }
            "png" => {
                out = picture(render::Picture::Png)?;
                ("png", "image/png")
            }
            other => {
                return Err(ApiError::bad(
                    "format",
                    other,
                    "csv (or edges-csv), nodes-csv, json, dot, svg or png",
                ))
            }
        };
        Ok((format!("snapshot-{}.{ext}", window.file_part()), content_type, out))
    }
}

#[cfg(test)]
mod tests {
    //! A view's edges, statuses and contested flags are the snapshot's (the CLI's) on every
    //! day, with every filter: the server's shortcuts (each actor's relations, the node set
    //! kept across days) decide nothing of their own.

    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;

    fn params(query: &str) -> Params {
        Params::parse(query).unwrap()
    }

    /// relation id -> (status, contested) among the view's holding edges.
    fn from_view(v: &Value) -> BTreeMap<String, (String, bool)> {
        v["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| !e["status"].is_null())
            .map(|e| {
                let id = e["id"].as_str().unwrap().to_string();
                (id, (e["status"].as_str().unwrap().to_string(), e["contested"].as_bool().unwrap()))
            })
            .collect()
    }

    /// The same from the snapshot of the graded dataset.
    fn from_snapshot(dir: &Path, window: Window, f: Filters) -> BTreeMap<String, (String, bool)> {
        let ds = crate::load::load(dir).unwrap().graded(f.grades);
        let snap = Snapshot::over(&ds, window, f.options());
        let contested: HashSet<RelationIx> = contest::contested(&snap.contests).into_iter().collect();
        let mut out = BTreeMap::new();
        for e in &snap.edges {
            for m in snap.members(e) {
                let id = ds.relation(m.relation).id.key().to_string();
                out.insert(id, (m.status.as_str().to_string(), contested.contains(&m.relation)));
            }
        }
        out
    }

    #[test]
    fn views_agree_with_snapshots_on_every_day_and_filter() {
        for data in ["tests/fixtures/queries", "data"] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(data);
            let explorer = Explorer::new(crate::load::load(&dir).unwrap(), data.into());
            let filters = [
                "",
                "strict=1",
                "by_country=1",
                "kinds=cooperation,membership",
                "kinds=restriction",
                "min_reliability=B",
                "min_credibility=2&by_country=1",
            ];
            let mut day = jiff::civil::date(2023, 12, 1);
            while day < jiff::civil::date(2026, 2, 1) {
                for q in filters {
                    let f = params(q).filters().unwrap();
                    let view: Value =
                        serde_json::from_slice(&explorer.view(&params(&format!("at={day}&{q}"))).unwrap())
                            .unwrap();
                    let window = Window::day(day);
                    assert_eq!(
                        from_view(&view),
                        from_snapshot(&dir, window, f),
                        "{data} on {day} with {q:?}"
                    );
                }
                day = day.checked_add(jiff::Span::new().days(17)).unwrap();
            }
            for (when, window) in [
                ("at=2025", Window::of(crate::date::PartialDate::parse("2025").unwrap())),
                ("at=2025-11", Window::of(crate::date::PartialDate::parse("2025-11").unwrap())),
                (
                    "from=2025-06-01&to=2025-07-15",
                    Window::between(jiff::civil::date(2025, 6, 1), jiff::civil::date(2025, 7, 15)).unwrap(),
                ),
            ] {
                for q in filters {
                    let f = params(q).filters().unwrap();
                    let view: Value =
                        serde_json::from_slice(&explorer.view(&params(&format!("{when}&{q}"))).unwrap())
                            .unwrap();
                    assert_eq!(from_view(&view), from_snapshot(&dir, window, f), "{data} {when} with {q:?}");
                }
            }
        }
    }
}
