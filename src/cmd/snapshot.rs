//! `georel snapshot`: the graph on a day, as DOT, CSV tables or JSON.

use std::io::{self, Write};

use anyhow::Result;

use georel::export::{atomic, csv, dot, json};
use georel::snapshot::Snapshot;

use super::{draw, load_on, Exit};
use crate::cli::SnapshotFormat;
use crate::plan::{snapshot_file_name, Dest, SnapshotOutput, SnapshotPlan};
use georel::export::render::Picture;

pub fn run(plan: &SnapshotPlan) -> Result<Exit> {
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
    if let Some(written) = written {
        say!(
            "snapshot {}: {} actors, {} relations ({} possible, {} contested)",
            snap.date,
            snap.nodes.len(),
            snap.edges.len(),
            snap.possible_count(),
            snap.contested_count()
        )?;
        for path in written {
            say!("wrote {}", path.display())?;
        }
    }
    if snap.edges.is_empty() {
        eprintln!("georel: no relation holds on {} with these filters", plan.date);
        return Ok(Exit::Empty);
    }
    Ok(Exit::Success)
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
