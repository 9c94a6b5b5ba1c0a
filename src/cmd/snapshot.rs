//! `georel snapshot`: the graph on a day or over a period, as DOT, CSV tables or JSON.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Result;

use georel::date::{Day, Window};
use georel::export::text::count;
use georel::export::{atomic, csv, dot, json, text};
use georel::model::GradeFilter;
use georel::progress::{Progress, Unit};
use georel::snapshot::{Counts, Grouping, Snapshot};
use georel::store::{write_edges_of, DayEdges, DayStream, Store, StreamFailure};

use super::{draw, Exit};
use crate::cli::SnapshotFormat;
use crate::plan::{snapshot_file_name, Dest, SnapshotOutput, SnapshotPlan};
use georel::export::render::Picture;

pub fn run(plan: &SnapshotPlan, grades: GradeFilter) -> Result<Exit> {
    // The edges CSV of a day, actor by actor, is written as it is taken, source by source.
    let edges_by_actor = match (&plan.output, plan.window.as_day()) {
        (SnapshotOutput::One { format: SnapshotFormat::EdgesCsv, dest }, Some(on))
            if plan.options.grouping == Grouping::Actors =>
        {
            Some((dest, on))
        }
        _ => None,
    };
    if let Some((dest, on)) = edges_by_actor {
        let store = Store::open(&plan.data, grades)?;
        return match store.edges_on(on)? {
            DayEdges::Stream(stream) => streamed(&store, &stream, plan, dest),
            DayEdges::Read(ds) => streamed_from(&std::mem::ManuallyDrop::new(*ds), plan, on, dest),
        };
    }
    let store = match plan.window.as_day() {
        Some(_) => Store::open_for_days(&plan.data, grades)?,
        None => Store::open(&plan.data, grades)?,
    };
    // Not dropped: the process ends with the command, and the kernel takes the memory back
    // at once, where dropping millions of relations one by one took 0.025 s at 10 million.
    let ds = std::mem::ManuallyDrop::new(store.within(plan.window)?);
    drop(store);
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

/// The edges CSV of a day, streamed from the store's index as it is taken (the same bytes as
/// the snapshot taken whole). When the index fails midway, it is rebuilt; rows that went out
/// cannot be taken back (an error says so), but a file not yet replaced is written from the
/// day read again.
fn streamed(store: &Store, stream: &DayStream<'_>, plan: &SnapshotPlan, dest: &Dest) -> Result<Exit> {
    let note = stream.graded_note().to_string();
    let mut counts = Counts::default();
    let mut broken = None;
    let mut write = |out: &mut dyn Write| -> io::Result<()> {
        match stream.write(plan.options, out) {
            Ok(taken) => {
                counts = taken;
                Ok(())
            }
            Err(StreamFailure::Io(e)) => Err(e),
            Err(StreamFailure::Index(why)) => {
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
                store.recover_from(&why)?;
                anyhow::bail!("the rows written above are incomplete ({why}); run the command again");
            }
            written?;
            return report(plan.window, counts, None, &note);
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
        let ds = store.recover_from(&why)?;
        if direct {
            anyhow::bail!(
                "the rows written to {} are incomplete ({why}); run the command again",
                path.display()
            );
        }
        // Nothing was written: the day is written from the dataset read again.
        return streamed_from(&std::mem::ManuallyDrop::new(ds), plan, stream.day(), dest);
    }
    report(plan.window, counts, Some(vec![written?]), &note)
}

/// The edges CSV of a snapshot actor by actor, of a dataset in memory: streamed source by
/// source as from an index ([`georel::store::write_edges_of`]), so that the rows are
/// formatted on two threads while they are written.
fn streamed_from(ds: &georel::model::Dataset, plan: &SnapshotPlan, day: Day, dest: &Dest) -> Result<Exit> {
    let mut counts = Counts::default();
    let write = |out: &mut dyn Write| -> io::Result<()> {
        counts = write_edges_of(ds, day, plan.options, out)?;
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
