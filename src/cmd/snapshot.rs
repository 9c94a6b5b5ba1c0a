//! `georel snapshot`: the graph on a day or over a period, as DOT, CSV tables or JSON.

use std::convert::Infallible;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::mpsc;

use anyhow::Result;

use georel::date::{Day, Window};
use georel::export::text::count;
use georel::export::{atomic, csv, dot, json, text};
use georel::load::index::Index;
use georel::model::{ActorIx, Held, Relation, RelationIx};
use georel::progress::{Progress, Unit};
use georel::snapshot::{self, Counts, Grouping, Incident, Snapshot};

use super::{draw, load_in, Exit};
use crate::cli::SnapshotFormat;
use crate::plan::{snapshot_file_name, Dest, SnapshotOutput, SnapshotPlan};
use georel::export::render::Picture;

pub fn run(plan: &SnapshotPlan) -> Result<Exit> {
    // The edges CSV of a day, actor by actor, is written as it is taken, source by source.
    let edges_by_actor = match (&plan.output, plan.window.as_day()) {
        (SnapshotOutput::One { format: SnapshotFormat::EdgesCsv, dest }, Some(on))
            if plan.options.grouping == Grouping::Actors =>
        {
            Some((dest, on))
        }
        _ => None,
    };
    let mut day = None;
    if let Some((dest, on)) = edges_by_actor {
        match streamed(plan, on, dest)? {
            Streamed::Done(exit) => return Ok(exit),
            Streamed::Day(ds) => day = Some(*ds),
            Streamed::No => {}
        }
    }
    // Not dropped: the process ends with the command, and the kernel takes the memory back
    // at once, where dropping millions of relations one by one took 0.025 s at 10 million.
    let ds = std::mem::ManuallyDrop::new(match day {
        Some(ds) => ds,
        None => load_in(&plan.data, plan.window)?.0,
    });
    if let Some((dest, on)) = edges_by_actor {
        return streamed_from(&ds, plan, on, dest);
    }
    let progress = Progress::new(format!("snapshot {}: taking it", plan.window), Unit::None);
    let snap = Snapshot::over(&ds, plan.window, plan.options);
    progress.say(format!("snapshot {}: writing it", plan.window));
    let written = match &plan.output {
        SnapshotOutput::One { format, dest } => {
            // A picture is drawn first, so that a Graphviz failure writes nothing.
            let picture = match format {
                SnapshotFormat::Svg => Some(Picture::Svg),
                SnapshotFormat::Png => Some(Picture::Png),
                _ => None,
            };
            if picture.is_some() {
                // Drawing says so itself.
                progress.finish();
            }
            let drawn = picture
                .map(|p| {
                    let size = (snap.nodes.len(), snap.edges.len());
                    draw(plan.layout, size, plan.large_picture, p, |out| dot::write(&snap, out))
                })
                .transpose()?;
            let content = |out: &mut dyn Write| match &drawn {
                Some(bytes) => out.write_all(bytes),
                None => write_format(&snap, *format, out),
            };
            write_to(dest, plan.window, *format, content)?
        }
        SnapshotOutput::Files { dir } => {
            let formats = [SnapshotFormat::Dot, SnapshotFormat::NodesCsv, SnapshotFormat::EdgesCsv];
            // Stage all three before renaming any, so that a failure leaves none half-done.
            let staged = formats
                .into_iter()
                .map(|f| {
                    atomic::stage(
                        &dir.join(snapshot_file_name(plan.window, f)),
                        atomic::Cache::Bypass,
                        |out| counted(f, out, |out| write_format(&snap, f, out)),
                    )
                })
                .collect::<Result<Vec<_>>>()?;
            Some(atomic::commit(staged)?)
        }
    };
    progress.finish();
    let counts = Counts {
        nodes: snap.nodes.len(),
        edges: snap.edges.len(),
        possible: snap.possible_count(),
        contested: snap.contested_count(),
    };
    // Text on standard output says it in its summary line.
    let graded = match &plan.output {
        SnapshotOutput::One { format: SnapshotFormat::Text, dest: Dest::Stdout } => String::new(),
        _ => ds.graded_out().note_on(plan.window),
    };
    report(plan.window, counts, written, &graded)
}

/// Says what a snapshot written to files held, and where it went (with `graded`, the note
/// on relations left out by grade); says so when it is empty. Written to standard output,
/// the note goes to stderr, where it does not mix with the rows.
fn report(window: Window, counts: Counts, written: Option<Vec<PathBuf>>, graded: &str) -> Result<Exit> {
    if let Some(written) = written {
        let meaning = match window.as_day() {
            Some(_) => String::new(),
            None => format!(" (every relation holding {})", window.any_time()),
        };
        say!(
            "snapshot {window}{meaning}: {}, {} ({} possible, {} contested){graded}",
            count(counts.nodes, "actor", "actors"),
            count(counts.edges, "relation", "relations"),
            counts.possible,
            counts.contested
        )?;
        for path in written {
            say!("wrote {}", path.display())?;
        }
    } else if !graded.is_empty() {
        tell!("georel: snapshot {window}:{graded}");
    }
    if counts.edges == 0 {
        eprintln!("georel: no relation holds {} with these filters", window.phrase());
        return Ok(Exit::Empty);
    }
    Ok(Exit::Success)
}

/// How many sources a thread takes at a time when a snapshot is streamed: about 20,000 rows,
/// 1.3 MB, at 10 million relations.
const RUN: usize = 256;

/// From this share of the dataset's relations holding on the day, an edges CSV is streamed
/// from the index's lists of each actor's relations rather than from the day's relations
/// decoded first (and then streamed from memory, [`streamed_from`]). Streaming from the lists
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

/// What [`streamed`] did.
enum Streamed {
    /// The snapshot is written.
    Done(Exit),
    /// Few relations hold that day: here they are, read from the same index.
    Day(Box<georel::model::Dataset>),
    /// There is no usable index: the caller reads the day as usual.
    No,
}

/// Why a streamed snapshot stopped: reading the relations (`E`), or writing.
enum Failure<E> {
    Read(E),
    Io(io::Error),
}

/// Writes the edges CSV of a snapshot actor by actor ([`georel::snapshot::stream`]) to
/// `out`, header first, and returns what it held. Runs of sources are taken and written into
/// buffers on two threads, each taking every other run, and the buffers written out in
/// order, so that writing starts at once and the formatting is shared. `read` and `decode`
/// are [`georel::snapshot::stream`]'s.
fn write_streamed<E: Send>(
    out: &mut dyn Write,
    people: &georel::model::Dataset,
    options: snapshot::Options,
    read: impl Fn(ActorIx, &mut dyn FnMut(Held)) -> Result<usize, E> + Sync,
    decode: impl Fn(&[RelationIx], &mut Vec<Relation>) -> Result<(), E> + Sync,
) -> Result<Counts, Failure<E>> {
    csv::write_edge_header(out).map_err(Failure::Io)?;
    // Contests through ancestors need relations beyond a source's own: found once, before
    // the runs (nothing is read when no actor has a parent).
    let beyond =
        georel::contest::beyond_pairs(people, options.filter.strict, &read).map_err(Failure::Read)?;
    let beyond = georel::contest::contested(&beyond);
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

/// The edges CSV of a snapshot actor by actor, from an index, written as it is taken: source
/// by source ([`georel::snapshot::stream`]), reading each actor's relations from the index,
/// so that the first rows go out at once however many relations hold. The same bytes as the
/// snapshot taken whole. Only when many relations hold that day ([`STREAM_FROM`]); else the
/// day's relations, from the same index. [`Streamed::No`] when there is no usable index:
/// the caller reads the day as usual (and says why, and rebuilds the index).
fn streamed(plan: &SnapshotPlan, day: Day, dest: &Dest) -> Result<Streamed> {
    super::require_dataset(&plan.data)?;
    let Ok(index) = Index::open_lazily(&plan.data) else {
        return Ok(Streamed::No);
    };
    let grades = super::grades();
    let Ok(around) = index.around(day) else {
        return Ok(Streamed::No);
    };
    if around.holding_share(SAMPLES).map_or(true, |share| share < STREAM_FROM) {
        return Ok(index
            .dataset_on(day)
            .map_or(Streamed::No, |ds| Streamed::Day(Box::new(ds.graded(grades)))));
    }
    let around = around.graded(grades);
    let Ok(graded_out) = index.graded_out_on(day, grades) else {
        return Ok(Streamed::No);
    };
    let note = graded_out.note_on(Window::day(day));
    let Ok(people) = index.people_on(day) else {
        return Ok(Streamed::No);
    };
    let mut counts = Counts::default();
    let mut broken = None;
    let mut write = |out: &mut dyn Write| -> io::Result<()> {
        let written = write_streamed(
            out,
            &people,
            plan.options,
            |actor, each| around.holding(actor, each),
            |wanted, out| {
                for &r in wanted {
                    out.push(around.relation(r)?);
                }
                Ok(())
            },
        );
        match written {
            Ok(taken) => {
                counts = taken;
                Ok(())
            }
            Err(Failure::Io(e)) => Err(e),
            Err(Failure::Read(why)) => {
                let message = why.to_string();
                broken = Some(why);
                Err(io::Error::other(message))
            }
        }
    };
    let path = match dest {
        Dest::Stdout => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            let written = counted(SnapshotFormat::EdgesCsv, &mut out, &mut write).and_then(|()| out.flush());
            if let Some(why) = broken {
                // Rows have gone out: they cannot be taken back.
                drop(out);
                super::rebuild(&plan.data, &why)?;
                anyhow::bail!("the rows written above are incomplete ({why}); run the command again");
            }
            written?;
            return report(plan.window, counts, None, &note).map(Streamed::Done);
        }
        Dest::File(path) => path.clone(),
        Dest::Dir(dir) => dir.join(snapshot_file_name(plan.window, SnapshotFormat::EdgesCsv)),
    };
    // A FIFO, a device or a descriptor is written into as the rows come; a file is replaced
    // only once they are all written.
    let direct = atomic::writes_directly(&path);
    let written =
        atomic::write_file(&path, atomic::Cache::Bypass, |out| counted(SnapshotFormat::EdgesCsv, out, write));
    if let Some(why) = broken {
        drop(index);
        super::rebuild(&plan.data, &why)?;
        if direct {
            anyhow::bail!(
                "the rows written to {} are incomplete ({why}); run the command again",
                path.display()
            );
        }
        // Nothing was written: the day is read again from the CSV files.
        return Ok(Streamed::No);
    }
    report(plan.window, counts, Some(vec![written?]), &note).map(Streamed::Done)
}

/// The edges CSV of a snapshot actor by actor, of a dataset in memory: streamed source by
/// source as from an index ([`write_streamed`]), the relations of each actor found through
/// [`Incident`] lists, so that the rows are formatted on two threads while they are written.
fn streamed_from(ds: &georel::model::Dataset, plan: &SnapshotPlan, day: Day, dest: &Dest) -> Result<Exit> {
    let incident = Incident::of(ds, day);
    let mut counts = Counts::default();
    let write = |out: &mut dyn Write| -> io::Result<()> {
        let written = write_streamed(
            out,
            ds,
            plan.options,
            |actor, each| Ok(incident.holding(actor, each)),
            |wanted, out| {
                ds.copy_relations(wanted, out);
                Ok::<_, Infallible>(())
            },
        );
        counts = written.map_err(|failure| match failure {
            Failure::Io(e) => e,
            Failure::Read(never) => match never {},
        })?;
        Ok(())
    };
    let written = write_to(dest, plan.window, SnapshotFormat::EdgesCsv, write)?;
    report(plan.window, counts, written, &ds.graded_out().note_on(plan.window))
}

/// Writes one format of a snapshot over `window` to `dest`: standard output, a file (replaced
/// atomically), or the format's file in a folder. Returns the files written.
fn write_to(
    dest: &Dest,
    window: Window,
    format: SnapshotFormat,
    content: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<Option<Vec<PathBuf>>> {
    let content = |out: &mut dyn Write| counted(format, out, content);
    Ok(match dest {
        Dest::Stdout => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            content(&mut out).and_then(|()| out.flush())?;
            None
        }
        Dest::File(path) => Some(vec![atomic::write_file(path, atomic::Cache::Bypass, content)?]),
        Dest::Dir(dir) => Some(vec![atomic::write_file(
            &dir.join(snapshot_file_name(window, format)),
            atomic::Cache::Bypass,
            content,
        )?]),
    })
}

/// Writes a snapshot's file with `write`: a CSV table is counted, and a warning given when a
/// spreadsheet cannot open it whole ([`csv::for_spreadsheet`]).
fn counted(
    format: SnapshotFormat,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    match format {
        SnapshotFormat::NodesCsv => csv::for_spreadsheet("the nodes CSV", out, write),
        SnapshotFormat::EdgesCsv => csv::for_spreadsheet("the edges CSV", out, write),
        _ => write(out),
    }
}

fn write_format(snap: &Snapshot<'_>, format: SnapshotFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        SnapshotFormat::Dot => dot::write(snap, out),
        SnapshotFormat::NodesCsv => csv::write_nodes(snap, out),
        SnapshotFormat::EdgesCsv => csv::write_edges(snap, out),
        SnapshotFormat::Json => json::write(snap, out),
        SnapshotFormat::Text => text::snapshot(snap, out),
        SnapshotFormat::Svg | SnapshotFormat::Png => unreachable!("pictures are drawn before writing"),
    }
}
