//! A day's edges CSV written as it is taken, actor by actor ([`crate::snapshot::stream`]):
//! from a current index's lists of each actor's relations when many relations hold that
//! day, so that the first rows go out at once; else from the day's relations in memory.
//! Choosing between the two is the store's; the rows are the snapshot's and the CSV
//! writer's, the same bytes as the snapshot taken whole.

use std::convert::Infallible;
use std::io::{self, Write};
use std::sync::mpsc;

use crate::date::{Day, Window};
use crate::export::csv;
use crate::load::index::{Around, Unusable};
use crate::model::{ActorIx, Dataset, Held, Relation, RelationIx};
use crate::progress::Progress;
use crate::snapshot::{self, Counts, Incident, Options};

use super::{Source, Store, StoreError};

/// How many sources a thread takes at a time when a snapshot is streamed: about 20,000 rows,
/// 1.3 MB, at 10 million relations.
const RUN: usize = 256;

/// From this share of the dataset's relations holding on the day, an edges CSV is streamed
/// from the index's lists of each actor's relations rather than from the day's relations
/// decoded first (and then streamed from memory, [`write_edges_of`]). Streaming from the lists
/// reads every actor's relations (each relation twice) but starts writing at once; decoding
/// the day's relations costs in proportion to them, and all of it comes before the first row.
/// Measured (before the day's relations were streamed too, so their whole-file times are now
/// lower) at 10 million relations (warm page cache): when 2.8% hold, the first row after
/// 0.29–0.32 s and the whole file after 0.43 s from the day's relations, against 0.09 s and
/// 0.56 s streamed; when none holds, 0.22 s against 0.45–0.51 s; when 37% hold, streamed,
/// 0.10 s and 1.36 s. Below 2%, by proportion, the day's relations give the first row within
/// about 0.25 s there, and the whole sooner.
const STREAM_FROM: f64 = 0.02;

/// Records sampled to estimate that share.
const SAMPLES: usize = 1024;

/// How a day's edges CSV is read: see [`Store::edges_on`].
pub enum DayEdges<'s> {
    /// Streamed from the index.
    Stream(Box<DayStream<'s>>),
    /// The day's relations (a cut, or the whole dataset after a rebuild), graded: write
    /// them with [`write_edges_of`].
    Read(Box<Dataset>),
}

/// A day's relations to be streamed from an index, actor by actor.
pub struct DayStream<'s> {
    day: Day,
    around: Around<'s>,
    people: Dataset,
    note: String,
}

/// Why a streamed snapshot stopped.
#[derive(Debug)]
pub enum StreamFailure {
    /// Writing failed.
    Io(io::Error),
    /// The index failed as it was read: the rows written are incomplete. See
    /// [`Store::recover_from`].
    Index(Unusable),
}

impl Store {
    /// How to write the edges CSV of `day`: streamed from a current index when many
    /// relations hold that day (2% or more, estimated from 1,024 records); else the day's relations
    /// read.
    ///
    /// # Errors
    /// As [`Store::on`].
    pub fn edges_on(&self, day: Day) -> Result<DayEdges<'_>, StoreError> {
        let Source::Indexed(index) = &self.source else {
            return Ok(DayEdges::Read(Box::new(self.on(day)?)));
        };
        let streamed = (|| -> Result<Option<DayStream<'_>>, Unusable> {
            let around = index.around(day)?;
            if around.holding_share(SAMPLES).map_or(true, |share| share < STREAM_FROM) {
                return Ok(None);
            }
            let around = around.graded(self.grades);
            let note = index.graded_out_on(day, self.grades)?.note_on(Window::day(day));
            let people = index.people_on(day)?;
            Ok(Some(DayStream { day, around, people, note }))
        })();
        match streamed {
            Ok(Some(stream)) => Ok(DayEdges::Stream(Box::new(stream))),
            Ok(None) => Ok(DayEdges::Read(Box::new(self.on(day)?))),
            Err(why) => Ok(DayEdges::Read(Box::new(self.recover(&why)?))),
        }
    }

    /// After a streamed snapshot failed on the index ([`StreamFailure::Index`]): says why,
    /// rebuilds the index from the CSV files, and answers with the whole dataset (graded),
    /// from which the day can be written again when nothing went out yet.
    ///
    /// # Errors
    /// When the CSV files do not load.
    pub fn recover_from(&self, why: &Unusable) -> Result<Dataset, StoreError> {
        self.recover(why)
    }
}

impl DayStream<'_> {
    /// The note on the relations of the day left out by grade (empty when none was).
    pub fn graded_note(&self) -> &str {
        &self.note
    }

    /// Writes the edges CSV, header first, to `out`, as it is taken; returns what it held.
    ///
    /// # Errors
    /// [`StreamFailure`]: writing, or reading the index.
    pub fn write(&self, options: Options, out: &mut dyn Write) -> Result<Counts, StreamFailure> {
        let around = &self.around;
        write_edges(
            out,
            &self.people,
            options,
            |actor, each| around.holding(actor, each),
            |wanted, out| {
                for &r in wanted {
                    out.push(around.relation(r)?);
                }
                Ok(())
            },
        )
        .map_err(|failure| match failure {
            Failure::Io(e) => StreamFailure::Io(e),
            Failure::Read(why) => StreamFailure::Index(why),
        })
    }

    /// The day streamed.
    pub fn day(&self) -> Day {
        self.day
    }
}

/// Writes the edges CSV of a day's snapshot, actor by actor, of a dataset in memory
/// (covering `day`): streamed source by source as from an index, the relations of each actor
/// found through [`Incident`] lists, so that the rows are formatted on two threads while
/// they are written. Returns what it held.
///
/// # Errors
/// Write errors.
pub fn write_edges_of(ds: &Dataset, day: Day, options: Options, out: &mut dyn Write) -> io::Result<Counts> {
    let incident = Incident::of(ds, day);
    write_edges(
        out,
        ds,
        options,
        |actor, each| Ok(incident.holding(actor, each)),
        |wanted, out| {
            ds.copy_relations(wanted, out);
            Ok::<_, Infallible>(())
        },
    )
    .map_err(|failure| match failure {
        Failure::Io(e) => e,
        Failure::Read(never) => match never {},
    })
}

/// Why a streamed snapshot stopped: reading the relations (`E`), or writing.
enum Failure<E> {
    Read(E),
    Io(io::Error),
}

/// Writes the edges CSV of a snapshot actor by actor ([`snapshot::stream`]) to `out`, header
/// first, and returns what it held. Runs of sources are taken and written into buffers on
/// two threads, each taking every other run, and the buffers written out in order, so that
/// writing starts at once and the formatting is shared. `read` and `decode` are
/// [`snapshot::stream`]'s.
fn write_edges<E: Send>(
    out: &mut dyn Write,
    people: &Dataset,
    options: Options,
    read: impl Fn(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E> + Sync,
    decode: impl Fn(&[RelationIx], &mut Vec<Relation>) -> Result<(), E> + Sync,
) -> Result<Counts, Failure<E>> {
    csv::write_edge_header(out).map_err(Failure::Io)?;
    // Contests through ancestors need relations beyond a source's own: found once, before
    // the runs (nothing is read when no actor has a parent).
    let beyond = crate::contest::beyond_pairs(people, options.filter.strict, &read).map_err(Failure::Read)?;
    let beyond = crate::contest::contested(&beyond);
    let sources = snapshot::sources(people);
    let runs: Vec<&[ActorIx]> = sources.chunks(RUN).collect();
    let cells = csv::ActorCells::of(people);
    let take = |run: &[ActorIx]| -> Result<(Vec<u8>, Counts), Failure<E>> {
        let mut bytes = Vec::new();
        let mut rows = csv::EdgeStream::new(&mut bytes, &cells);
        let counts = snapshot::stream(
            people,
            options,
            run,
            &beyond,
            |actor, each| read(actor, each).map_err(Failure::Read),
            |wanted, out| decode(wanted, out).map_err(Failure::Read),
            |edges| {
                rows.rows(people, edges);
                Ok(())
            },
        )?;
        Ok((bytes, counts))
    };
    std::thread::scope(|scope| {
        let receivers: Vec<_> = (0..2)
            .map(|first| {
                // Two runs ahead at most, so that memory stays bounded.
                let (send, receive) = mpsc::sync_channel(2);
                let (runs, take) = (&runs, &take);
                scope.spawn(move || {
                    for run in runs.iter().skip(first).step_by(2) {
                        // The writer has stopped (an error): stop too.
                        if send.send(take(run)).is_err() {
                            break;
                        }
                    }
                });
                receive
            })
            .collect();
        let mut counts = Counts::default();
        let progress = Progress::steps("snapshot: writing the edges", sources.len() as u64, "actors");
        for (i, run) in runs.iter().enumerate() {
            let (bytes, taken) = receivers[i % 2].recv().expect("a taker sends each of its runs")?;
            out.write_all(&bytes).map_err(Failure::Io)?;
            counts += taken;
            progress.add(run.len() as u64);
        }
        Ok(counts)
    })
}
