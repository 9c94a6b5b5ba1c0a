//! `georel export`: the whole dated graph in another tool's format, or in georel's own.

use std::io::{self, Write};

use anyhow::Result;

use georel::export::{atomic, dataset, gexf, graphml, node_link, sheet};
use georel::model::Dataset;
use georel::progress::{Progress, Unit};

use super::Exit;
use crate::cli::ExportFormat;
use crate::plan::Dest;

pub fn run(ds: &Dataset, format: ExportFormat, dest: &Dest) -> Result<Exit> {
    let note = ds.graded_out().note(|_| true);
    if !note.is_empty() {
        tell!("georel: export:{note}");
    }
    if format == ExportFormat::Dataset {
        let Dest::Dir(dir) = dest else { unreachable!("the plan gives a dataset a folder") };
        let progress = Progress::new(format!("exporting the dataset to {}", dir.display()), Unit::None);
        let written = dataset::write_dir(ds, dir)?;
        progress.finish();
        for path in written {
            say!("wrote {}", path.display())?;
        }
        return Ok(Exit::Success);
    }
    let extension = match format {
        ExportFormat::Gexf => "gexf",
        ExportFormat::Graphml => "graphml",
        ExportFormat::Json => "json",
        ExportFormat::Csv => "csv",
        ExportFormat::Dataset => unreachable!("handled above"),
    };
    let progress = Progress::new(format!("exporting {extension}"), Unit::Bytes);
    let write = |out: &mut dyn Write| write_format(ds, format, &mut progress.writer(out));
    match dest {
        Dest::Stdout => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            write(&mut out).and_then(|()| out.flush())?;
        }
        Dest::File(path) => {
            let written = atomic::write_file(path, atomic::Cache::Bypass, write)?;
            progress.finish();
            say!("wrote {}", written.display())?
        }
        Dest::Dir(dir) => {
            let written =
                atomic::write_file(&dir.join(format!("georel.{extension}")), atomic::Cache::Bypass, write)?;
            progress.finish();
            say!("wrote {}", written.display())?
        }
    }
    Ok(Exit::Success)
}

fn write_format(ds: &Dataset, format: ExportFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        ExportFormat::Gexf => gexf::write(ds, out),
        ExportFormat::Graphml => graphml::write(ds, out),
        ExportFormat::Json => node_link::write(ds, out),
        ExportFormat::Csv => {
            georel::export::csv::for_spreadsheet("the sheet", out, |out| sheet::write(ds, out))
        }
        ExportFormat::Dataset => unreachable!("a dataset is a folder"),
    }
}
