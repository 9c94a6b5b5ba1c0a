//! The stage-A table kept beside an imported dataset (`pairdays-<format>.bin`): every
//! pair-day (README "From events to relations") and every event id met, so that
//! `import --append` merges a new batch's pair-days into it, recomputes the runs of the pairs
//! it touched, and catches an event id met in any earlier batch.
//!
//! The file is binary and compact: a text header (magic and the settings it was made with),
//! then actor ids once, pair-days in key order with numbers as LEB128 varints (signed ones
//! zigzagged), each pair-day's article keys sorted and delta-coded, the numeric event ids
//! (of every row met: kept, skipped or rejected) as a roaring bitmap, and an xxh3-64
//! checksum of all that before it, so that a damaged table is refused rather than merged.

use std::io::{self, BufRead, Read, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use roaring::RoaringTreemap;
use xxhash_rust::xxh3::Xxh3;

use crate::date::PartialDate;
use crate::import::aggregate::{checked_day, Aggregator, PairDay, Sampled, SeenIds};
use crate::import::{ActorMode, Options};
use crate::model::{RelationKind, Reliability};

/// Version 3 keeps the numeric ids as a roaring bitmap (the portable 64-bit format); version 2
/// (issue 17's first tables) kept them sorted and delta-coded, and is still read.
const MAGIC: &[u8] = b"georel pairdays 3\n";
const MAGIC_V2: &[u8] = b"georel pairdays 2\n";

/// The table's file name in a dataset folder, for an import whose relation ids start with
/// `prefix` (`gdelt`, `icews`).
pub fn file_name(prefix: &str) -> String {
    format!("pairdays-{prefix}.bin")
}

/// True for a table's file name, of any format.
pub fn is_table(name: &str) -> bool {
    name.starts_with("pairdays-") && name.ends_with(".bin")
}

/// The settings a table's pair-days and runs depend on: a batch appended with others would
/// not give the dataset of one import.
pub fn settings(prefix: &str, options: &Options) -> String {
    let actors = match options.actors {
        ActorMode::Country => "country",
        ActorMode::Code => "code",
    };
    let quality = &options.quality;
    format!(
        "{prefix} --gap {} --min-events {} --evidence {} --actors {actors} --root-only {} --min-sources {} \
         --min-articles {} --cameo-map {}",
        options.gap_days,
        options.min_events,
        options.evidence.max(1),
        quality.root_only,
        quality.min_sources,
        quality.min_articles,
        cameo_digest(options.cameo)
    )
}

/// A CAMEO map's fingerprint, `default` for the built-in one: a batch read with another map
/// would give other kinds to the same events.
fn cameo_digest(map: &crate::import::cameo::CameoMap) -> String {
    let digest = |m: &crate::import::cameo::CameoMap| {
        let mut h = Xxh3::new();
        for (code, meaning) in m.entries() {
            h.update(code.as_bytes());
            h.update(b"=");
            h.update(meaning.as_str().as_bytes());
            h.update(b"\n");
        }
        h.digest()
    };
    let d = digest(map);
    if d == digest(crate::import::cameo::CameoMap::default_map()) {
        "default".to_string()
    } else {
        format!("{d:016x}")
    }
}

/// A writer that hashes what passes through it.
struct Hashing<'a> {
    out: &'a mut dyn Write,
    hash: Xxh3,
    buf: Vec<u8>,
}

impl Hashing<'_> {
    fn flush_buf(&mut self) -> io::Result<()> {
        self.hash.update(&self.buf);
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= 1 << 20 {
            self.flush_buf()?;
        }
        Ok(())
    }

    fn var(&mut self, mut n: u64) -> io::Result<()> {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.buf.push(byte);
                break;
            }
            self.buf.push(byte | 0x80);
        }
        if self.buf.len() >= 1 << 20 {
            self.flush_buf()?;
        }
        Ok(())
    }

    fn signed(&mut self, n: i64) -> io::Result<()> {
        self.var(((n << 1) ^ (n >> 63)) as u64)
    }

    fn text(&mut self, s: &str) -> io::Result<()> {
        self.var(s.len() as u64)?;
        self.bytes(s.as_bytes())
    }
}

/// Writes the table of `agg`, made with `settings`.
///
/// # Errors
/// When `out` cannot be written.
pub fn write(agg: &mut Aggregator, settings: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut w = Hashing { out, hash: Xxh3::new(), buf: Vec::with_capacity(1 << 20) };
    w.bytes(MAGIC)?;
    w.bytes(settings.as_bytes())?;
    w.bytes(b"\n")?;
    let rows = agg.sorted();
    // Actor ids in order, numbered by that order: the table does not depend on the order
    // events came in.
    let mut used: Vec<u32> = rows.iter().flat_map(|(k, _)| [k.source, k.target]).collect();
    used.sort_unstable_by(|a, b| agg.name(*a).cmp(agg.name(*b)));
    used.dedup();
    let mut number = std::collections::HashMap::with_capacity(used.len());
    w.var(used.len() as u64)?;
    for (i, ix) in used.iter().enumerate() {
        w.text(agg.name(*ix))?;
        number.insert(*ix, i as u64);
    }
    w.var(rows.len() as u64)?;
    for (key, row) in &rows {
        w.var(number[&key.source])?;
        w.var(number[&key.target])?;
        w.bytes(&[key.kind as u8])?;
        w.signed(i64::from(key.day))?;
        w.var(row.events)?;
        w.signed(row.goldstein_sum)?;
        w.var(row.goldstein_count)?;
        w.var(row.sample.len() as u64)?;
        for s in &row.sample {
            w.var(u64::from(s.sources))?;
            w.var(u64::from(s.articles))?;
            w.text(&s.id)?;
            match s.source.map(|at| agg.source(at)).transpose()? {
                None => w.bytes(&[0])?,
                Some(p) => {
                    w.bytes(&[1
                        | u8::from(p.published.is_some()) << 1
                        | u8::from(p.reliability.is_some()) << 2])?;
                    w.text(p.title())?;
                    w.text(p.publisher())?;
                    w.text(p.url())?;
                    if let Some(d) = p.published {
                        w.text(&d.to_string())?;
                    }
                    if let Some(r) = p.reliability {
                        w.bytes(&[r as u8])?;
                    }
                }
            }
        }
        w.var(row.articles.len() as u64)?;
        let mut last = 0u64;
        for &a in &row.articles {
            w.var(a - last)?;
            last = a;
        }
    }
    drop(rows);
    let (prefix, numbers, other) = agg.seen_ids().parts();
    w.text(prefix)?;
    let mut bitmap = Vec::with_capacity(numbers.serialized_size());
    numbers.serialize_into(&mut bitmap)?;
    w.var(bitmap.len() as u64)?;
    w.bytes(&bitmap)?;
    w.var(other.len() as u64)?;
    for id in other {
        w.text(id)?;
    }
    w.flush_buf()?;
    let digest = w.hash.digest();
    w.out.write_all(&digest.to_le_bytes())?;
    w.out.flush()
}

/// A table's body read from the file as it is parsed, hashed as it is read: an `--append` to
/// a large import does not hold the file (1 KB a pair-day) besides the pair-days made of it.
/// Every read is checked.
struct Reader {
    inner: io::BufReader<Hashed>,
    scratch: Vec<u8>,
}

/// The table's body (the file but its checksum), hashed as it is read.
struct Hashed {
    body: io::Take<std::fs::File>,
    hash: Xxh3,
}

impl Read for Hashed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.body.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

#[derive(Debug)]
struct Damaged;

impl Reader {
    fn take(&mut self, n: usize) -> Result<&[u8], Damaged> {
        if n as u64 > self.inner.get_ref().body.limit() + self.inner.buffer().len() as u64 {
            return Err(Damaged);
        }
        self.scratch.clear();
        self.scratch.resize(n, 0);
        self.inner.read_exact(&mut self.scratch).map_err(|_| Damaged)?;
        Ok(&self.scratch)
    }

    fn byte(&mut self) -> Result<u8, Damaged> {
        let mut b = [0u8];
        self.inner.read_exact(&mut b).map_err(|_| Damaged)?;
        Ok(b[0])
    }

    fn var(&mut self) -> Result<u64, Damaged> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f).checked_shl(shift).ok_or(Damaged)?;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(Damaged)
    }

    fn small(&mut self) -> Result<u32, Damaged> {
        u32::try_from(self.var()?).map_err(|_| Damaged)
    }

    fn signed(&mut self) -> Result<i64, Damaged> {
        let n = self.var()?;
        Ok((n >> 1) as i64 ^ -((n & 1) as i64))
    }

    fn text(&mut self) -> Result<String, Damaged> {
        let n = usize::try_from(self.var()?).map_err(|_| Damaged)?;
        std::str::from_utf8(self.take(n)?).map(str::to_string).map_err(|_| Damaged)
    }

    /// Whether the body was read to its end and its hash is the checksum after it.
    fn sound(self) -> bool {
        let mut inner = self.inner;
        let at_end = inner.fill_buf().is_ok_and(|rest| rest.is_empty());
        let hashed = inner.into_inner();
        let mut sum = [0u8; 8];
        at_end
            && hashed.body.into_inner().read_exact(&mut sum).is_ok()
            && hashed.hash.digest() == u64::from_le_bytes(sum)
    }

    /// Reads the rest of the body, for [`Reader::sound`].
    fn skip_rest(&mut self) -> bool {
        io::copy(&mut self.inner, &mut io::sink()).is_ok()
    }
}

/// Reads the table at `path` into an aggregator keeping `evidence` events per pair-day; its
/// settings must be `settings`.
///
/// # Errors
/// When the file cannot be read, is damaged, or was made with other settings.
pub fn read(path: &Path, settings: &str, evidence: u32) -> Result<Aggregator> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let len = file.metadata().with_context(|| format!("cannot read {}", path.display()))?.len();
    let damaged = || {
        anyhow::anyhow!(
            "{} is damaged (its checksum or content is wrong): it cannot take an --append; import all the data again \
             into a new folder",
            path.display()
        )
    };
    let Some(body) = len.checked_sub(8) else { return Err(damaged()) };
    let mut r = Reader {
        inner: io::BufReader::with_capacity(1 << 20, Hashed { body: file.take(body), hash: Xxh3::new() }),
        scratch: Vec::new(),
    };
    let version = match r.take(MAGIC.len()) {
        Ok(m) if m == MAGIC => Version::Bitmap,
        Ok(m) if m == MAGIC_V2 => Version::Sorted,
        _ => return Err(damaged()),
    };
    let mut found = Vec::new();
    r.inner.read_until(b'\n', &mut found).map_err(|_| damaged())?;
    if found.pop() != Some(b'\n') {
        return Err(damaged());
    }
    if found != settings.as_bytes() {
        // A damaged table is called so, even where the damage is in its settings.
        if !r.skip_rest() || !r.sound() {
            return Err(damaged());
        }
        let found = String::from_utf8_lossy(&found);
        bail!(
            "the dataset was imported with `{found}`, this batch asks for `{settings}`: batches appended with other \
             settings would not give the relations of one import; append with the same options, or import all the \
             data again into a new folder"
        );
    }
    let mut agg = Aggregator::new(evidence);
    // The sampled sources go where the dataset is, as the new batch's will.
    agg.spill_sources(path.parent().unwrap_or(Path::new(".")));
    let agg = parse(&mut r, agg, version).map_err(|Damaged| damaged())?;
    if !r.sound() {
        return Err(damaged());
    }
    Ok(agg)
}

/// How a table keeps its numeric ids.
#[derive(Clone, Copy)]
enum Version {
    /// Version 2: sorted and delta-coded.
    Sorted,
    /// Version 3: a roaring bitmap.
    Bitmap,
}

fn parse(r: &mut Reader, mut agg: Aggregator, version: Version) -> Result<Aggregator, Damaged> {
    let names = (0..r.var()?).map(|_| r.text()).collect::<Result<Vec<_>, _>>()?;
    let name =
        |i: u64| names.get(usize::try_from(i).map_err(|_| Damaged)?).map(String::as_str).ok_or(Damaged);
    for _ in 0..r.var()? {
        let source = name(r.var()?)?;
        let target = name(r.var()?)?;
        let kind = *RelationKind::ALL.get(usize::from(r.take(1)?[0])).ok_or(Damaged)?;
        let day = i32::try_from(r.signed()?).map_err(|_| Damaged)?;
        checked_day(day).ok_or(Damaged)?;
        let events = r.var()?;
        let goldstein_sum = r.signed()?;
        let goldstein_count = r.var()?;
        let mut sample = Vec::new();
        for _ in 0..r.var()? {
            let sources = r.small()?;
            let articles = r.small()?;
            let id: Box<str> = r.text()?.into();
            let flags = r.take(1)?[0];
            let source = if flags & 1 == 0 {
                None
            } else {
                let (title, publisher, url) = (r.text()?, r.text()?, r.text()?);
                let published = if flags & 2 != 0 {
                    Some(PartialDate::parse(&r.text()?).map_err(|_| Damaged)?)
                } else {
                    None
                };
                let reliability = if flags & 4 != 0 {
                    Some(*Reliability::ALL.get(usize::from(r.take(1)?[0])).ok_or(Damaged)?)
                } else {
                    None
                };
                Some(agg.keep_source(&title, &publisher, &url, published, reliability))
            };
            sample.push(Sampled { sources, articles, id, source });
        }
        let count = usize::try_from(r.var()?).map_err(|_| Damaged)?;
        let mut articles = Vec::with_capacity(count.min(1 << 16));
        let mut last = 0u64;
        for i in 0..count {
            let delta = r.var()?;
            if i > 0 && delta == 0 {
                return Err(Damaged);
            }
            last = last.checked_add(delta).ok_or(Damaged)?;
            articles.push(last);
        }
        agg.add_pair_day(
            source,
            target,
            kind,
            day,
            PairDay { events, goldstein_sum, goldstein_count, sample, articles },
        );
    }
    let prefix = r.text()?;
    let numbers = match version {
        Version::Sorted => {
            let mut numbers = RoaringTreemap::new();
            let mut last = 0u64;
            for i in 0..r.var()? {
                let delta = r.var()?;
                if i > 0 && delta == 0 {
                    return Err(Damaged);
                }
                last = last.checked_add(delta).ok_or(Damaged)?;
                numbers.insert(last);
            }
            numbers
        }
        Version::Bitmap => {
            let n = usize::try_from(r.var()?).map_err(|_| Damaged)?;
            RoaringTreemap::deserialize_from(r.take(n)?).map_err(|_| Damaged)?
        }
    };
    let other = (0..r.var()?).map(|_| r.text().map(Into::into)).collect::<Result<Vec<Box<str>>, _>>()?;
    let prefix = (!numbers.is_empty() || !prefix.is_empty()).then_some(prefix.as_str());
    agg.set_seen(SeenIds::from_parts(prefix, numbers, other));
    agg.untouch();
    Ok(agg)
}
