//! `georel snapshot`: the graph on a day, as DOT, CSV tables or JSON.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::mpsc;

use anyhow::Result;

use georel::date::Day;
use georel::export::{atomic, csv, dot, json};
use georel::load::index::{Index, Unusable};
use georel::model::ActorIx;
use georel::snapshot::{self, Counts, Grouping, Snapshot};

use super::{draw, load_on, Exit};
use crate::cli::SnapshotFormat;
use crate::plan::{snapshot_file_name, Dest, SnapshotOutput, SnapshotPlan};
use georel::export::render::Picture;

pub fn run(plan: &SnapshotPlan) -> Result<Exit> {
    if let SnapshotOutput::One { format: SnapshotFormat::EdgesCsv, dest } = &plan.output {
        if plan.options.grouping == Grouping::Actors {
            if let Some(exit) = streamed(plan, dest)? {
                return Ok(exit);
            }
        }
    }
    let (ds, _) = load_on(&plan.data, plan.date)?;
    let snap = Snapshot::at(&ds, plan.date, plan.options);
    let written = match &plan.output {
        SnapshotOutput::One { format, dest } => {
            // A picture is drawn first, so that a Graphviz failure writes nothing.
            let picture = match format {
                SnapshotFormat::Svg => Some(Picture::Svg),
                SnapshotFormat::Png => Some(Picture::Png),
                _ => None,
            };
            let drawn = picture
                .map(|p| {
                    draw(plan.layout, (snap.nodes.len(), snap.edges.len()), p, |out| dot::write(&snap, out))
                })
                .transpose()?;
            let content = |out: &mut dyn Write| match &drawn {
                Some(bytes) => out.write_all(bytes),
                None => write_format(&snap, *format, out),
            };
            match dest {
                Dest::Stdout => {
                    let stdout = io::stdout();
                    let mut out = io::BufWriter::new(stdout.lock());
                    content(&mut out).and_then(|()| out.flush())?;
                    None
                }
                Dest::File(path) => Some(vec![atomic::write_file(path, content)?]),
                Dest::Dir(dir) => Some(vec![atomic::write_file(
                    &dir.join(snapshot_file_name(plan.date, *format)),
                    content,
                )?]),
            }
        }
        SnapshotOutput::Files { dir } => {
            let formats = [SnapshotFormat::Dot, SnapshotFormat::NodesCsv, SnapshotFormat::EdgesCsv];
            // Stage all three before renaming any, so that a failure leaves none half-done.
            let staged = formats
                .into_iter()
                .map(|f| {
                    atomic::stage(&dir.join(snapshot_file_name(plan.date, f)), |out| {
                        write_format(&snap, f, out)
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Some(atomic::commit(staged)?)
        }
    };
    let counts = Counts {
        nodes: snap.nodes.len(),
        edges: snap.edges.len(),
        possible: snap.possible_count(),
        contested: snap.contested_count(),
    };
    report(plan.date, counts, written)
}

/// Says what a snapshot written to files held, and where it went; says so when it is empty.
fn report(date: Day, counts: Counts, written: Option<Vec<PathBuf>>) -> Result<Exit> {
    if let Some(written) = written {
        say!(
            "snapshot {date}: {} actors, {} relations ({} possible, {} contested)",
            counts.nodes,
            counts.edges,
            counts.possible,
            counts.contested
        )?;
        for path in written {
            say!("wrote {}", path.display())?;
        }
    }
    if counts.edges == 0 {
        eprintln!("georel: no relation holds on {date} with these filters");
        return Ok(Exit::Empty);
    }
    Ok(Exit::Success)
}

/// How many sources a thread takes at a time when a snapshot is streamed: about 20,000 rows,
/// 1.3 MB, at 10 million relations.
const RUN: usize = 256;

/// Why a streamed snapshot stopped.
enum Failure {
    Index(Unusable),
    Io(io::Error),
}

/// The edges CSV of a snapshot actor by actor, from an index, written as it is taken: source
/// by source ([`georel::snapshot::stream`]), reading each actor's relations from the index,
/// so that the first rows go out at once however many relations hold. The same bytes as the
/// snapshot taken whole. `None` when there is no usable index: the caller reads the day as
/// usual (and says why, and rebuilds the index).
fn streamed(plan: &SnapshotPlan, dest: &Dest) -> Result<Option<Exit>> {
    super::require_dataset(&plan.data)?;
    let Ok(index) = Index::open_lazily(&plan.data) else {
        return Ok(None);
    };
    let (Ok(people), Ok(around)) = (index.people_on(plan.date), index.around(plan.date)) else {
        return Ok(None);
    };
    let mut counts = Counts::default();
    let mut broken = None;
    let sources = snapshot::sources(&people);
    let mut write = |out: &mut dyn Write| -> io::Result<()> {
        csv::write_edge_header(out)?;
        // Runs of sources are taken and written into buffers on two threads, each taking every
        // other run, and the buffers written out in order.
        let runs: Vec<&[ActorIx]> = sources.chunks(RUN).collect();
        let take = |run: &[ActorIx]| -> Result<(Vec<u8>, Counts), Failure> {
            let mut bytes = Vec::new();
            let mut rows = csv::EdgeStream::new(&mut bytes);
            let counts = snapshot::stream(
                &people,
                plan.options,
                run,
                |actor, each| around.holding(actor, each).map_err(Failure::Index),
                |r| around.relation(r).map_err(Failure::Index),
                |edges| rows.rows(&people, edges).map_err(Failure::Io),
            )?;
            rows.finish().map_err(Failure::Io)?;
            Ok((bytes, counts))
        };
        let result = std::thread::scope(|scope| {
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
            for i in 0..runs.len() {
                let (bytes, taken) = receivers[i % 2].recv().expect("a taker sends each of its runs")?;
                out.write_all(&bytes).map_err(Failure::Io)?;
                counts += taken;
            }
            Ok(())
        });
        match result {
            Ok(()) => Ok(()),
            Err(Failure::Io(e)) => Err(e),
            Err(Failure::Index(why)) => {
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
            let written = write(&mut out).and_then(|()| out.flush());
            if let Some(why) = broken {
                // Rows have gone out: they cannot be taken back.
                drop(out);
                super::rebuild(&plan.data, &why)?;
                anyhow::bail!("the rows written above are incomplete ({why}); run the command again");
            }
            written?;
            return report(plan.date, counts, None).map(Some);
        }
        Dest::File(path) => path.clone(),
        Dest::Dir(dir) => dir.join(snapshot_file_name(plan.date, SnapshotFormat::EdgesCsv)),
    };
    // A FIFO, a device or a descriptor is written into as the rows come; a file is replaced
    // only once they are all written.
    let direct = atomic::writes_directly(&path);
    let written = atomic::write_file(&path, write);
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
        return Ok(None);
    }
    report(plan.date, counts, Some(vec![written?])).map(Some)
}

fn write_format(snap: &Snapshot<'_>, format: SnapshotFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        SnapshotFormat::Dot => dot::write(snap, out),
        SnapshotFormat::NodesCsv => csv::write_nodes(snap, out),
        SnapshotFormat::EdgesCsv => csv::write_edges(snap, out),
        SnapshotFormat::Json => json::write(snap, out),
        SnapshotFormat::Svg | SnapshotFormat::Png => unreachable!("pictures are drawn before writing"),
    }
}
