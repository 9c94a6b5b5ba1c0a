//! Point events into dated relations, in the two stages README.md defines ("From events to
//! relations"): stage A reduces events to one row per (source, target, kind, day), with exact
//! sums and a bounded evidence sample, and is mergeable (any split of the input gives the
//! same pair-days); stage B forms each pair's runs over its days with the gap rule. Memory
//! holds the pair-days and the ids met (in a bitmap), not the events: a pair-day keeps at most
//! `--evidence N` of its events (their sources' text in a temporary file, `Spill`), and the
//! keys of its distinct articles (so that a run's distinct articles are counted exactly
//! however the input was split).

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::io;
use std::num::NonZeroU64;
use std::path::Path;

use roaring::RoaringTreemap;

use crate::date::{Day, PartialDate};
use crate::import::{Event, SourceSpec};
use crate::model::{RelationKind, Reliability};

type Fast = foldhash::fast::RandomState;

/// Scores are summed in exact integer millionths, so that a sum does not depend on the order
/// in which events were added (f64 addition is not associative).
pub const SCORE_UNIT: f64 = 1_000_000.0;

/// The default `--evidence N`.
pub const DEFAULT_EVIDENCE: u32 = 5;

/// An event kept in a sample: its rank, and where its source is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Sampled {
    /// How many sources reported it (GDELT `NumSources`; 0 when the dataset does not say).
    pub sources: u32,
    /// How many articles (GDELT `NumArticles`; 0 when the dataset does not say).
    pub articles: u32,
    pub id: Box<str>,
    /// Its source as the importer described it, in the aggregator's spill (`None` when it
    /// gave none).
    pub source: Option<SourceAt>,
}

/// Where a sampled event's source is in an aggregator's spill (its offset, plus one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceAt(NonZeroU64);

/// An event of a run's evidence, with its source read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub sources: u32,
    pub articles: u32,
    pub id: Box<str>,
    pub source: Option<Packed>,
}

/// A source, packed into one allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    /// title, publisher and url, one after the other.
    text: Box<str>,
    title_len: u32,
    publisher_len: u32,
    pub published: Option<PartialDate>,
    pub reliability: Option<Reliability>,
}

impl Packed {
    pub fn new(
        title: &str,
        publisher: &str,
        url: &str,
        published: Option<PartialDate>,
        reliability: Option<Reliability>,
    ) -> Packed {
        Packed {
            text: [title, publisher, url].concat().into_boxed_str(),
            title_len: title.len() as u32,
            publisher_len: publisher.len() as u32,
            published,
            reliability,
        }
    }

    pub fn title(&self) -> &str {
        &self.text[..self.title_len as usize]
    }

    pub fn publisher(&self) -> &str {
        &self.text[self.title_len as usize..(self.title_len + self.publisher_len) as usize]
    }

    pub fn url(&self) -> &str {
        &self.text[(self.title_len + self.publisher_len) as usize..]
    }

    pub fn spec(&self, id: &str) -> SourceSpec {
        SourceSpec {
            id: id.to_string(),
            title: self.title().to_string(),
            publisher: self.publisher().to_string(),
            published: self.published,
            url: self.url().to_string(),
            reliability: self.reliability,
        }
    }
}

/// The sampled events' sources, out of the pair-days: at archive scale (1.6 million pair-days
/// of five sampled events each) their text, about 200 bytes an event, would be most of the
/// memory, and it is only read again for the runs' evidence and the table. Records are
/// appended to a temporary file with no name ([`Aggregator::spill_sources`]; in memory until
/// one is given, or when none could be made or written) and read back by offset.
#[derive(Debug, Default)]
struct Spill {
    file: Option<std::fs::File>,
    /// Records not yet in the file (all of them while there is no file).
    pending: Vec<u8>,
    /// Bytes in the file: `pending` starts at this offset.
    flushed: u64,
    /// A write to the file failed: the rest stays in memory.
    stuck: bool,
}

/// Records are written to the file in batches of about this many bytes.
const SPILL_BATCH: usize = 1 << 20;

/// A record's head: the lengths of its title, publisher, url and publication date (as text),
/// then its reliability (`NO_RELIABILITY` for none).
const HEAD: usize = 17;
const NO_RELIABILITY: u8 = u8::MAX;

impl Spill {
    fn put(
        &mut self,
        title: &str,
        publisher: &str,
        url: &str,
        published: Option<PartialDate>,
        reliability: Option<Reliability>,
    ) -> SourceAt {
        let at = self.flushed + self.pending.len() as u64;
        let published = published.map(|d| d.to_string()).unwrap_or_default();
        for part in [title, publisher, url, &published] {
            // A part longer than 4 GiB is cut there (no source is anywhere near).
            self.pending.extend_from_slice(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_le_bytes());
        }
        self.pending.push(reliability.map_or(NO_RELIABILITY, |r| r as u8));
        for part in [title, publisher, url, &published] {
            self.pending.extend_from_slice(&part.as_bytes()[..part.len().min(u32::MAX as usize)]);
        }
        if self.pending.len() >= SPILL_BATCH {
            self.flush();
        }
        SourceAt(NonZeroU64::new(at + 1).expect("an offset plus one is not zero"))
    }

    fn flush(&mut self) {
        use std::io::Write;
        let Some(file) = self.file.as_mut().filter(|_| !self.stuck) else { return };
        match file.write_all(&self.pending) {
            Ok(()) => {
                self.flushed += self.pending.len() as u64;
                self.pending.clear();
            }
            // The file may hold part of the batch after the last whole one: it is never read,
            // the batch is read from memory.
            Err(_) => self.stuck = true,
        }
    }

    /// `len` bytes from `at`, from memory or the file.
    fn bytes(&self, at: u64, len: usize, out: &mut Vec<u8>) -> io::Result<()> {
        out.clear();
        if at >= self.flushed {
            let from = usize::try_from(at - self.flushed).map_err(|_| damaged_spill())?;
            out.extend_from_slice(self.pending.get(from..from + len).ok_or_else(damaged_spill)?);
            return Ok(());
        }
        out.resize(len, 0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            self.file.as_ref().ok_or_else(damaged_spill)?.read_exact_at(out, at)
        }
        #[cfg(not(unix))]
        Err(damaged_spill())
    }

    fn get(&self, at: SourceAt) -> io::Result<Packed> {
        let at = at.0.get() - 1;
        let mut head = Vec::with_capacity(HEAD);
        self.bytes(at, HEAD, &mut head)?;
        let len = |i: usize| u32::from_le_bytes(head[4 * i..4 * i + 4].try_into().expect("4 bytes")) as usize;
        let lens = [len(0), len(1), len(2), len(3)];
        let mut text = Vec::new();
        self.bytes(at + HEAD as u64, lens.iter().sum(), &mut text)?;
        let text = String::from_utf8(text).map_err(|_| damaged_spill())?;
        let (title, rest) = text.split_at(lens[0]);
        let (publisher, rest) = rest.split_at(lens[1]);
        let (url, published) = rest.split_at(lens[2]);
        let published = if published.is_empty() {
            None
        } else {
            Some(PartialDate::parse(published).map_err(|_| damaged_spill())?)
        };
        let reliability = match head[16] {
            NO_RELIABILITY => None,
            r => Some(*Reliability::ALL.get(usize::from(r)).ok_or_else(damaged_spill)?),
        };
        Ok(Packed::new(title, publisher, url, published, reliability))
    }

    /// Moves the records to `file`, and the later ones as they come.
    fn use_file(&mut self, file: std::fs::File) {
        if self.file.is_none() {
            self.file = Some(file);
            self.flush();
        }
    }
}

fn damaged_spill() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "the temporary file of sampled sources was changed while georel read it",
    )
}

/// The order of event ids: by length, then byte by byte (numeric order for numeric ids with
/// one prefix), as evidence is listed.
pub fn id_order(a: &str, b: &str) -> Ordering {
    (a.len(), a).cmp(&(b.len(), b))
}

/// The evidence ranking: more sources first, then more articles, then id order.
pub fn rank(a: &Sampled, b: &Sampled) -> Ordering {
    rank_of(a.sources, a.articles, &a.id, b)
}

/// [`rank`] of an event given by its rank numbers and id, before it is made a [`Sampled`].
fn rank_of(sources: u32, articles: u32, id: &str, b: &Sampled) -> Ordering {
    b.sources.cmp(&sources).then(b.articles.cmp(&articles)).then_with(|| id_order(id, &b.id))
}

/// An event by numbers, its actors numbered by [`Aggregator::actor_index`]: what stage A
/// needs of it (an importer that reads many rows describes its events this way, and builds
/// an event's source only when a sample keeps it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub source: u32,
    pub target: u32,
    pub kind: RelationKind,
    /// Days since 1970-01-01 ([`day_number`]).
    pub day: i32,
    pub goldstein: Option<f64>,
    pub article: Option<u64>,
    pub sources: u32,
    pub articles: u32,
}

/// Stage A's row for one (source, target, kind, day).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairDay {
    pub events: u64,
    /// Sum of the scores, in [`SCORE_UNIT`]s.
    pub goldstein_sum: i64,
    pub goldstein_count: u64,
    /// The best-ranked events, best first, at most `--evidence N`.
    pub sample: Vec<Sampled>,
    /// The [`article_key`]s of its events' articles (of those whose article is known),
    /// sorted, without repeats: a run counts the distinct articles of all its days, which
    /// sums of per-day counts could not give (one article reports events on several days).
    pub articles: Vec<u64>,
}

impl PairDay {
    /// Offers an event to the sample: kept when it ranks among the best `n`.
    fn offer(&mut self, event: Sampled, n: usize) {
        let at = self.sample.partition_point(|s| rank(s, &event) == Ordering::Less);
        if at < n {
            if self.sample.capacity() == 0 {
                // At its final size at once: grown by doubling, five events took eight slots.
                self.sample.reserve_exact(n);
            }
            self.sample.insert(at, event);
            self.sample.truncate(n);
        }
    }

    /// Merges another row of the same key into this one.
    pub fn merge(&mut self, other: PairDay, n: usize) {
        self.events += other.events;
        self.goldstein_sum += other.goldstein_sum;
        self.goldstein_count += other.goldstein_count;
        for s in other.sample {
            self.offer(s, n);
        }
        if self.articles.is_empty() {
            self.articles = other.articles;
        } else if !other.articles.is_empty() {
            self.articles.extend(other.articles);
            self.articles.sort_unstable();
            self.articles.dedup();
        }
    }

    /// Notes one event's article.
    fn article(&mut self, key: u64) {
        if let Err(at) = self.articles.binary_search(&key) {
            self.articles.insert(at, key);
        }
    }
}

/// A pair-day's key; actors are numbered by the aggregator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub source: u32,
    pub target: u32,
    pub kind: RelationKind,
    /// Days since 1970-01-01.
    pub day: i32,
}

/// A run of days: one future relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub source: String,
    pub target: String,
    pub kind: RelationKind,
    pub first: Day,
    pub last: Day,
    pub events: u64,
    /// The distinct articles that reported its events (of those whose article is known).
    pub articles: u64,
    /// The run's best `--evidence N` events, in id order.
    pub evidence: Vec<Evidence>,
    goldstein_sum: i64,
    goldstein_count: u64,
}

impl Run {
    /// The mean score of the events that have one.
    pub fn goldstein_mean(&self) -> Option<f64> {
        (self.goldstein_count > 0)
            .then(|| self.goldstein_sum as f64 / SCORE_UNIT / self.goldstein_count as f64)
    }

    /// The mean score with two decimals, rounded half away from zero from the exact sum
    /// (so that it is the same whatever order the events came in, and the SQL's `ROUND` of a
    /// decimal gives it too).
    pub fn goldstein_mean_text(&self) -> Option<String> {
        (self.goldstein_count > 0).then(|| mean_text(self.goldstein_sum, self.goldstein_count))
    }
}

/// `sum / count` in [`SCORE_UNIT`]s, with two decimals, rounded half away from zero.
fn mean_text(sum: i64, count: u64) -> String {
    let den = i128::from(count) * 10_000;
    let num = i128::from(sum).abs();
    let hundredths = (2 * num + den) / (2 * den);
    let sign = if sum < 0 && hundredths > 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", hundredths / 100, hundredths % 100)
}

/// The event ids met, to count an event seen twice once, across `--append` batches too.
/// Ids of the form `PREFIX:DIGITS` (GDELT's and ICEWS's) are kept as numbers in a compressed
/// bitmap: GDELT's GLOBALEVENTIDs are nearly dense increasing integers, so 100 million of them
/// take a few bits each, not the 8 of a sorted array or the 16+ of a hash set. Other ids
/// (another prefix, not a canonical number) are kept as text.
#[derive(Debug, Default, Clone)]
pub struct SeenIds {
    prefix: Option<Box<str>>,
    numbers: RoaringTreemap,
    other: HashSet<Box<str>, Fast>,
    /// The largest number kept: an id above it was not met (GDELT's ids come in increasing
    /// order, so most rows are answered without a look-up).
    max: Option<u64>,
}

/// An id's prefix (up to its last `:`) and its number, when the rest is a canonical number.
fn split_number(id: &str) -> Option<(&str, u64)> {
    let cut = id.rfind(':').map_or(0, |i| i + 1);
    let (prefix, digits) = id.split_at(cut);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.len() == 1 || !digits.starts_with('0'));
    if !canonical {
        return None;
    }
    Some((prefix, digits.parse().ok()?))
}

impl SeenIds {
    /// The number part of a numeric id, when it has this set's prefix (the first met sets it).
    fn number(&mut self, id: &str) -> Option<u64> {
        let (prefix, n) = split_number(id)?;
        match &self.prefix {
            Some(p) if **p == *prefix => Some(n),
            Some(_) => None,
            None => {
                self.prefix = Some(prefix.into());
                Some(n)
            }
        }
    }

    fn has(&self, n: u64) -> bool {
        self.max.is_some_and(|max| n <= max) && self.numbers.contains(n)
    }

    fn add(&mut self, n: u64) -> bool {
        if !self.numbers.insert(n) {
            return false;
        }
        self.max = Some(self.max.map_or(n, |max| max.max(n)));
        true
    }

    /// Whether an id was met before.
    pub fn contains(&self, id: &str) -> bool {
        match split_number(id) {
            Some((prefix, n)) if self.prefix.as_deref() == Some(prefix) => self.has(n),
            // No number of this prefix is kept as a number, and such an id is never kept as
            // text while the set has no prefix: only another prefix's ids are text.
            Some(_) if self.prefix.is_none() => false,
            _ => self.other.contains(id),
        }
    }

    /// Adds an id: `false` when it was met before.
    pub fn insert(&mut self, id: &str) -> bool {
        match self.number(id) {
            Some(n) => self.add(n),
            None => self.other.insert(id.into()),
        }
    }

    /// [`SeenIds::contains`] of `prefix` followed by `n` written out, without writing it out
    /// (but for an id of another prefix than the set's, kept as text).
    pub fn contains_number(&self, prefix: &str, n: u64) -> bool {
        match self.prefix.as_deref() {
            Some(p) if p == prefix => self.has(n),
            None => false,
            Some(_) => self.other.contains(format!("{prefix}{n}").as_str()),
        }
    }

    /// [`SeenIds::insert`] of `prefix` followed by `n`, as [`SeenIds::contains_number`].
    pub fn insert_number(&mut self, prefix: &str, n: u64) -> bool {
        match self.prefix.as_deref() {
            Some(p) if p != prefix => return self.other.insert(format!("{prefix}{n}").into()),
            Some(_) => {}
            None => self.prefix = Some(prefix.into()),
        }
        self.add(n)
    }

    pub fn len(&self) -> usize {
        usize::try_from(self.numbers.len()).unwrap_or(usize::MAX) + self.other.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The set's parts for the table: the prefix, the numbers, the other ids sorted.
    pub fn parts(&self) -> (&str, &RoaringTreemap, Vec<&str>) {
        let mut other: Vec<&str> = self.other.iter().map(|s| &**s).collect();
        other.sort_unstable();
        (self.prefix.as_deref().unwrap_or(""), &self.numbers, other)
    }

    /// A set from the table's parts.
    pub fn from_parts(prefix: Option<&str>, numbers: RoaringTreemap, other: Vec<Box<str>>) -> SeenIds {
        SeenIds {
            prefix: prefix.map(Into::into),
            max: numbers.max(),
            numbers,
            other: other.into_iter().collect(),
        }
    }
}

/// Stage A: the pair-days, the actors they name and the ids met.
#[derive(Debug, Default)]
pub struct Aggregator {
    names: Vec<Box<str>>,
    name_ix: HashMap<Box<str>, u32, Fast>,
    days: HashMap<Key, PairDay, Fast>,
    seen: SeenIds,
    /// The pairs (source, target, kind) that events were added to since the aggregator was
    /// made or loaded: the only ones whose runs can have changed.
    touched: HashSet<(u32, u32, RelationKind), Fast>,
    /// Ids met for the first time since the aggregator was made or loaded (events, skipped
    /// and rejected rows): a batch that met any changes the table.
    fresh: u64,
    evidence: usize,
    spill: Spill,
}

impl Aggregator {
    /// An aggregator keeping `evidence` events per pair-day (at least one).
    pub fn new(evidence: u32) -> Aggregator {
        Aggregator { evidence: evidence.max(1) as usize, ..Aggregator::default() }
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&ix) = self.name_ix.get(name) {
            return ix;
        }
        let ix = self.names.len() as u32;
        self.names.push(name.into());
        self.name_ix.insert(name.into(), ix);
        ix
    }

    /// Adds an event, with its source; `false` (and nothing added) when an event with the
    /// same id was added before, in this import or an earlier one the aggregator was loaded
    /// with.
    pub fn add(&mut self, event: Event, source: Option<SourceSpec>) -> bool {
        if !self.seen.insert(&event.id) {
            return false;
        }
        self.fresh += 1;
        let point = Point {
            source: self.intern(&event.source),
            target: self.intern(&event.target),
            kind: event.kind,
            day: day_number(event.day),
            goldstein: event.goldstein,
            article: event.article,
            sources: event.sources,
            articles: event.articles,
        };
        self.add_point(&event.id, point, || source);
        true
    }

    /// The number of an actor id in [`Point`]s (the same id, the same number).
    pub fn actor_index(&mut self, id: &str) -> u32 {
        self.intern(id)
    }

    /// Adds an event whose id was just met for the first time ([`Aggregator::meet_number`]
    /// said so): its source is asked of `source` only when the pair-day's sample keeps it.
    pub fn add_point(&mut self, id: &str, point: Point, source: impl FnOnce() -> Option<SourceSpec>) {
        let key = Key { source: point.source, target: point.target, kind: point.kind, day: point.day };
        self.touched.insert((key.source, key.target, key.kind));
        let n = self.evidence;
        let row = self.days.entry(key).or_default();
        row.events += 1;
        if let Some(g) = point.goldstein.filter(|g| g.is_finite()) {
            row.goldstein_sum += (g * SCORE_UNIT).round() as i64;
            row.goldstein_count += 1;
        }
        if let Some(article) = point.article {
            row.article(article);
        }
        // Most events of a busy pair-day are only counted: their source is not packed.
        if row.sample.len() < n
            || rank_of(point.sources, point.articles, id, &row.sample[n - 1]) == Ordering::Less
        {
            let source =
                source().map(|s| self.spill.put(&s.title, &s.publisher, &s.url, s.published, s.reliability));
            row.offer(Sampled { sources: point.sources, articles: point.articles, id: id.into(), source }, n);
        }
    }

    /// Keeps the sampled events' sources in a temporary file in `dir`, or in its nearest
    /// existing parent (the output folder may not exist yet), rather than in memory. The file
    /// has no name (it is gone when the import ends, however it ends); when none can be made
    /// there, the sources stay in memory.
    pub fn spill_sources(&mut self, dir: &Path) {
        let dir = dir
            .ancestors()
            .find(|a| a.is_dir())
            .filter(|a| !a.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Ok(file) = tempfile::tempfile_in(dir) {
            self.spill.use_file(file);
        }
    }

    /// Keeps a sampled event's source (one read back from a table) in the spill.
    pub fn keep_source(
        &mut self,
        title: &str,
        publisher: &str,
        url: &str,
        published: Option<PartialDate>,
        reliability: Option<Reliability>,
    ) -> SourceAt {
        self.spill.put(title, publisher, url, published, reliability)
    }

    /// A sampled event's source, read back.
    ///
    /// # Errors
    /// When the temporary file cannot be read.
    pub fn source(&self, at: SourceAt) -> io::Result<Packed> {
        self.spill.get(at)
    }

    /// Adds a pair-day read back from a table (merged with one already there).
    pub fn add_pair_day(&mut self, source: &str, target: &str, kind: RelationKind, day: i32, row: PairDay) {
        let key = Key { source: self.intern(source), target: self.intern(target), kind, day };
        let n = self.evidence;
        match self.days.entry(key) {
            std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().merge(row, n),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(row);
            }
        }
    }

    /// Whether an event id was added or met before (in this import or an earlier one the
    /// aggregator was loaded with).
    pub fn seen(&self, id: &str) -> bool {
        self.seen.contains(id)
    }

    /// [`Aggregator::seen`] of the id `prefix` followed by `n` (as a canonical number).
    pub fn seen_number(&self, prefix: &str, n: u64) -> bool {
        self.seen.contains_number(prefix, n)
    }

    /// [`Aggregator::meet`] of the id `prefix` followed by `n`: `false` when it was met before.
    pub fn meet_number(&mut self, prefix: &str, n: u64) -> bool {
        let fresh = self.seen.insert_number(prefix, n);
        if fresh {
            self.fresh += 1;
        }
        fresh
    }

    /// Notes an event id that made no event (its row was skipped or rejected), so that
    /// [`Aggregator::seen`] knows it, in later `--append` batches too (the table keeps it).
    pub fn meet(&mut self, id: &str) {
        if self.seen.insert(id) {
            self.fresh += 1;
        }
    }

    /// How many ids were met for the first time since the aggregator was made or loaded.
    pub fn fresh_ids(&self) -> u64 {
        self.fresh
    }

    pub fn set_seen(&mut self, seen: SeenIds) {
        self.seen = seen;
    }

    pub fn seen_ids(&self) -> &SeenIds {
        &self.seen
    }

    /// Forgets which pairs were touched (after loading a table).
    pub fn untouch(&mut self) {
        self.touched.clear();
        self.fresh = 0;
    }

    pub fn pair_days(&self) -> usize {
        self.days.len()
    }

    /// How many event ids were met (added, skipped or rejected).
    pub fn ids_met(&self) -> usize {
        self.seen.len()
    }

    pub fn name(&self, ix: u32) -> &str {
        &self.names[ix as usize]
    }

    /// The pair-days in key order (source id, target id, kind, day), by names.
    pub fn sorted(&self) -> Vec<(&Key, &PairDay)> {
        let mut rows: Vec<(&Key, &PairDay)> = self.days.iter().collect();
        rows.sort_unstable_by(|(a, _), (b, _)| {
            (self.name(a.source), self.name(a.target), a.kind, a.day).cmp(&(
                self.name(b.source),
                self.name(b.target),
                b.kind,
                b.day,
            ))
        });
        rows
    }

    /// The pairs (source id, target id, kind) events were added to since the aggregator was
    /// made or loaded.
    pub fn touched(&self) -> Vec<(String, String, RelationKind)> {
        let mut out: Vec<_> = self
            .touched
            .iter()
            .map(|&(s, t, k)| (self.name(s).to_string(), self.name(t).to_string(), k))
            .collect();
        out.sort();
        out
    }

    /// Stage B: the runs of every pair (`only_touched`: of the pairs touched since loading),
    /// in source, target, kind and date order. Days more than `max(gap_days, 1)` apart start
    /// a new run.
    ///
    /// # Errors
    /// When the sampled sources cannot be read back from their temporary file.
    pub fn runs(&self, gap_days: u32, only_touched: bool) -> io::Result<Vec<Run>> {
        let gap = i64::from(gap_days.max(1));
        let n = self.evidence;
        let mut out: Vec<Run> = Vec::new();
        let mut open: Option<(Key, Run, Vec<&Sampled>)> = None;
        // The open run's days' article keys, counted distinct when it closes.
        let mut articles: Vec<u64> = Vec::new();
        let close = |open: Option<(Key, Run, Vec<&Sampled>)>,
                     articles: &mut Vec<u64>,
                     out: &mut Vec<Run>|
         -> io::Result<()> {
            if let Some((_, mut run, mut best)) = open {
                best.sort_by(|a, b| rank(a, b));
                best.truncate(n);
                best.sort_by(|a, b| id_order(&a.id, &b.id));
                run.evidence = best
                    .into_iter()
                    .map(|s| {
                        Ok(Evidence {
                            sources: s.sources,
                            articles: s.articles,
                            id: s.id.clone(),
                            source: s.source.map(|at| self.spill.get(at)).transpose()?,
                        })
                    })
                    .collect::<io::Result<_>>()?;
                articles.sort_unstable();
                articles.dedup();
                run.articles = articles.len() as u64;
                out.push(run);
            }
            articles.clear();
            Ok(())
        };
        for (key, row) in self.sorted() {
            if only_touched && !self.touched.contains(&(key.source, key.target, key.kind)) {
                continue;
            }
            let joins = open.as_ref().is_some_and(|(k, _, _)| {
                (k.source, k.target, k.kind) == (key.source, key.target, key.kind)
                    && i64::from(key.day) - i64::from(k.day) <= gap
            });
            if joins {
                let (k, run, best) = open.as_mut().expect("a run is open");
                k.day = key.day;
                run.last = from_day_number(key.day);
                run.events += row.events;
                run.goldstein_sum += row.goldstein_sum;
                run.goldstein_count += row.goldstein_count;
                best.extend(row.sample.iter());
                articles.extend_from_slice(&row.articles);
            } else {
                close(open.take(), &mut articles, &mut out)?;
                articles.extend_from_slice(&row.articles);
                let day = from_day_number(key.day);
                open = Some((
                    *key,
                    Run {
                        source: self.name(key.source).to_string(),
                        target: self.name(key.target).to_string(),
                        kind: key.kind,
                        first: day,
                        last: day,
                        events: row.events,
                        articles: 0,
                        evidence: Vec::new(),
                        goldstein_sum: row.goldstein_sum,
                        goldstein_count: row.goldstein_count,
                    },
                    row.sample.iter().collect(),
                ));
            }
        }
        close(open, &mut articles, &mut out)?;
        Ok(out)
    }
}

/// The key of an article (its URL) for counting distinct articles: FNV-1a, 64 bits, the same
/// in every run and every batch (a collision among a relation's articles is vanishingly
/// unlikely).
pub fn article_key(url: &str) -> u64 {
    url.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Days since 1970-01-01 (proleptic Gregorian), for cheap day arithmetic on every event.
pub fn day_number(day: Day) -> i32 {
    // Howard Hinnant's days_from_civil.
    let (y, m, d) = (i32::from(day.year()), i32::from(day.month()), i32::from(day.day()));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day of a day number; `None` outside the years a [`Day`] holds.
pub fn checked_day(n: i32) -> Option<Day> {
    let (y, m, d) = crate::date::civil_from_days(i64::from(n));
    Day::new(i16::try_from(y).ok()?, m, d).ok()
}

fn from_day_number(n: i32) -> Day {
    // In range by construction: only numbers made from valid days come back here (a table's
    // days are checked when it is read).
    checked_day(n).expect("a day number made from a valid day")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn event(day: Day, id: &str) -> Event {
        Event {
            source: "A".into(),
            target: "B".into(),
            kind: RelationKind::Cooperation,
            day,
            id: id.into(),
            goldstein: Some(2.0),
            sources: 0,
            articles: 0,
            article: None,
        }
    }

    fn ids(run: &Run) -> Vec<&str> {
        run.evidence.iter().map(|s| &*s.id).collect()
    }

    #[test]
    fn day_numbers_round_trip_and_count_days() {
        for d in [date(1970, 1, 1), date(2000, 2, 29), date(1816, 1, 1), date(2026, 12, 31), date(1, 1, 1)] {
            assert_eq!(from_day_number(day_number(d)), d);
        }
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(2000, 3, 1)) - day_number(date(2000, 2, 28)), 2);
        assert_eq!(checked_day(i32::MAX), None);
    }

    #[test]
    fn events_within_the_gap_join_in_any_order() {
        let mut agg = Aggregator::new(10);
        // Out of order: 10th, 1st, 5th join; 20th is 10 days after the 10th: a new run;
        // then the 15th bridges the two.
        for (day, id) in [(10, "3"), (1, "1"), (5, "2"), (20, "5")] {
            agg.add(event(date(2025, 1, day), id), None);
        }
        let runs = agg.runs(7, false).unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(
            (runs[0].first, runs[0].last, ids(&runs[0])),
            (date(2025, 1, 1), date(2025, 1, 10), vec!["1", "2", "3"])
        );
        assert_eq!((runs[1].first, runs[1].last), (date(2025, 1, 20), date(2025, 1, 20)));
        agg.add(event(date(2025, 1, 15), "4"), None);
        let runs = agg.runs(7, false).unwrap();
        assert_eq!(runs.len(), 1, "the 15th is within 7 days of both");
        assert_eq!((runs[0].first, runs[0].last, runs[0].events), (date(2025, 1, 1), date(2025, 1, 20), 5));
        assert_eq!(runs[0].goldstein_mean(), Some(2.0));
    }

    #[test]
    fn an_event_seen_twice_counts_once() {
        let mut agg = Aggregator::new(5);
        assert!(agg.add(event(date(2025, 1, 1), "1"), None));
        assert!(!agg.add(Event { goldstein: Some(-9.0), ..event(date(2025, 1, 1), "1") }, None));
        let runs = agg.runs(7, false).unwrap();
        assert_eq!(ids(&runs[0]), ["1"]);
        assert_eq!(runs[0].goldstein_mean(), Some(2.0), "the duplicate's score is not counted");
    }

    #[test]
    fn consecutive_days_join_even_with_gap_zero() {
        let mut agg = Aggregator::new(5);
        for day in [1, 2, 4] {
            agg.add(event(date(2025, 1, day), &day.to_string()), None);
        }
        let runs = agg.runs(0, false).unwrap();
        assert_eq!(runs.iter().map(|r| (r.first.day(), r.last.day())).collect::<Vec<_>>(), [(1, 2), (4, 4)]);
    }

    #[test]
    fn pairs_and_kinds_aggregate_separately_and_come_out_sorted() {
        let mut agg = Aggregator::new(5);
        agg.add(Event { source: "B".into(), ..event(date(2025, 1, 1), "1") }, None);
        agg.add(Event { kind: RelationKind::Dispute, ..event(date(2025, 1, 1), "2") }, None);
        agg.add(event(date(2025, 1, 2), "3"), None);
        let runs = agg.runs(7, false).unwrap();
        let keys: Vec<_> = runs.iter().map(|r| (r.source.as_str(), r.kind)).collect();
        assert_eq!(
            keys,
            [
                ("A", RelationKind::Cooperation),
                ("A", RelationKind::Dispute),
                ("B", RelationKind::Cooperation)
            ]
        );
    }

    #[test]
    fn evidence_keeps_the_best_attested_events_and_counts_the_rest() {
        let mut agg = Aggregator::new(2);
        // Ranked: sources, then articles, then id ("9" before "10": numeric order).
        for (day, id, sources, articles) in [(1, "10", 3, 1), (1, "9", 3, 1), (2, "1", 1, 9), (3, "2", 3, 4)]
        {
            agg.add(Event { sources, articles, ..event(date(2025, 1, day), id) }, None);
        }
        let runs = agg.runs(7, false).unwrap();
        assert_eq!(runs[0].events, 4);
        assert_eq!(ids(&runs[0]), ["2", "9"], "the best two, listed in id order");
    }

    #[test]
    fn sums_do_not_depend_on_the_order_of_events() {
        let scores = [0.1, 0.2, 0.3, -7.7, 1e-7, 3.3];
        let mut forward = Aggregator::new(1);
        let mut backward = Aggregator::new(1);
        for (i, g) in scores.iter().enumerate() {
            forward.add(Event { goldstein: Some(*g), ..event(date(2025, 1, 1), &i.to_string()) }, None);
        }
        for (i, g) in scores.iter().enumerate().rev() {
            backward.add(Event { goldstein: Some(*g), ..event(date(2025, 1, 1), &i.to_string()) }, None);
        }
        assert_eq!(
            forward.runs(7, false).unwrap()[0].goldstein_mean(),
            backward.runs(7, false).unwrap()[0].goldstein_mean()
        );
    }

    #[test]
    fn means_round_half_away_from_zero_from_the_exact_sum() {
        // 2.425 is 2.42499999… as an f64: printed from the float it was 2.42.
        assert_eq!(mean_text(9_700_000, 4), "2.43");
        assert_eq!(mean_text(-9_700_000, 4), "-2.43");
        assert_eq!(mean_text(-1, 3), "0.00");
        assert_eq!(mean_text(15_000_000, 6), "2.50");
        assert_eq!(mean_text(-100_000_000, 10), "-10.00");
    }

    #[test]
    fn seen_ids_answer_whether_an_id_was_met_without_adding_it() {
        let mut agg = Aggregator::new(5);
        assert!(!agg.seen("gdelt:7"), "nothing met yet");
        agg.meet("gdelt:7");
        agg.meet("gdelt:007");
        assert!(agg.seen("gdelt:7") && agg.seen("gdelt:007"));
        assert!(!agg.seen("gdelt:8") && !agg.seen("icews:7") && !agg.seen("gdelt:08"));
        assert!(!agg.add(event(date(2025, 1, 1), "gdelt:7"), None), "a skipped row's id is a duplicate");
        assert_eq!((agg.pair_days(), agg.ids_met(), agg.fresh_ids()), (0, 2, 2));
    }

    #[test]
    fn a_run_counts_the_distinct_articles_of_all_its_days() {
        // Article 1 reports events of both days: counted once in the run, whatever the split.
        let with = |day, id: &str, article| Event { article: Some(article), ..event(date(2025, 1, day), id) };
        let mut one = Aggregator::new(5);
        for e in [with(1, "1", 1), with(1, "2", 2), with(2, "3", 1), with(2, "4", 1)] {
            one.add(e, None);
        }
        let runs = one.runs(7, false).unwrap();
        assert_eq!((runs.len(), runs[0].events, runs[0].articles), (1, 4, 2));
        let mut merged = PairDay { articles: vec![1, 5], ..PairDay::default() };
        merged.merge(PairDay { articles: vec![2, 5, 9], ..PairDay::default() }, 5);
        assert_eq!(merged.articles, [1, 2, 5, 9]);
    }

    #[test]
    fn seen_ids_are_kept_as_numbers_and_text() {
        let mut seen = SeenIds::default();
        assert!(seen.insert("gdelt:5"));
        assert!(seen.insert("gdelt:3"));
        assert!(!seen.insert("gdelt:5"));
        assert!(seen.insert("gdelt:4"));
        assert!(seen.insert("gdelt:05"), "not a canonical number: kept as text");
        assert!(!seen.insert("gdelt:05"));
        assert!(seen.insert("icews:5"), "another prefix");
        let (prefix, numbers, other) = seen.parts();
        let numbers: Vec<u64> = numbers.iter().collect();
        assert_eq!((prefix, &numbers[..], other), ("gdelt:", &[3u64, 4, 5][..], vec!["gdelt:05", "icews:5"]));
    }

    /// Sources spilled to a file (in batches: 2,000 events of ~1 KB) read back as those
    /// kept in memory, from the file and from the batch not yet written alike.
    #[test]
    fn spilled_sources_read_back_as_kept_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let mut spilled = Aggregator::new(3);
        spilled.spill_sources(&dir.path().join("not/yet"));
        assert!(spilled.spill.file.is_some(), "made in the nearest existing folder");
        let mut memory = Aggregator::new(3);
        for i in 0..2_000u32 {
            let e = Event {
                source: format!("S{}", i % 100),
                sources: i % 7,
                ..event(date(2025, 1, 1 + (i % 28) as i8), &format!("g:{i}"))
            };
            let source = SourceSpec {
                id: e.id.clone(),
                title: format!("event {i} {}", "t".repeat(900)),
                publisher: format!("p{i}"),
                published: (i % 2 == 0).then(|| PartialDate::day(date(2025, 1, 1))),
                url: format!("https://example.org/{i}"),
                reliability: (i % 3 == 0).then_some(Reliability::B),
            };
            spilled.add(e.clone(), Some(source.clone()));
            memory.add(e, Some(source));
        }
        assert!(spilled.spill.flushed > 0 && memory.spill.flushed == 0);
        let runs = spilled.runs(7, false).unwrap();
        assert_eq!(runs, memory.runs(7, false).unwrap());
        assert!(runs[0]
            .evidence
            .iter()
            .all(|e| e.source.as_ref().is_some_and(|s| s.title().starts_with("event"))));
        assert_eq!(fs_entries(dir.path()), 0, "the file has no name");
    }

    fn fs_entries(dir: &Path) -> usize {
        std::fs::read_dir(dir).unwrap().count()
    }

    proptest::proptest! {
        /// The set answers as a set of strings would, whichever way ids come in (as text or
        /// as a prefix and a number), in any order, with repeats and other prefixes.
        #[test]
        fn seen_ids_agree_with_a_hash_set(
            ops in proptest::collection::vec(
                (0u8..4, proptest::prop_oneof![0u64..300, 0u64..(1 << 40), proptest::strategy::Just(u64::MAX)], proptest::bool::ANY),
                1..400,
            )
        ) {
            let mut seen = SeenIds::default();
            let mut model: HashSet<String> = HashSet::new();
            for (form, n, insert) in ops {
                let (prefix, id) = match form {
                    0 | 1 => ("gdelt:", format!("gdelt:{n}")),
                    2 => ("icews:", format!("icews:{n}")),
                    _ => ("gdelt:", format!("gdelt:0{n}")),
                };
                let by_number = form == 1 || form == 2;
                let was = model.contains(&id);
                if form != 3 && by_number {
                    proptest::prop_assert_eq!(seen.contains_number(prefix, n), was);
                }
                proptest::prop_assert_eq!(seen.contains(&id), was);
                if insert {
                    let fresh = if form != 3 && by_number { seen.insert_number(prefix, n) } else { seen.insert(&id) };
                    proptest::prop_assert_eq!(fresh, !was);
                    model.insert(id);
                }
                proptest::prop_assert_eq!(seen.len(), model.len());
            }
            let (prefix, numbers, other) = seen.parts();
            let rebuilt = SeenIds::from_parts(Some(prefix).filter(|p| !p.is_empty()), numbers.clone(), other.into_iter().map(Into::into).collect());
            for id in &model {
                proptest::prop_assert!(rebuilt.contains(id));
            }
            proptest::prop_assert_eq!(rebuilt.len(), model.len());
        }
    }
}
