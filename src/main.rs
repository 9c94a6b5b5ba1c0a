//! The `georel` binary: parse the command line, plan, run, report errors once, exit with a
//! documented code (see `cli::EXIT_CODES`).

mod cli;
mod cmd;
mod plan;

use std::process::ExitCode;

use clap::Parser;

use crate::cmd::Exit;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let (force, grades) = (cli.force, cli.grades());
    match plan::Plan::from_cli(cli).and_then(|plan| cmd::run(plan, force, grades)) {
        Ok(exit) => exit.into(),
        Err(err) if is_broken_pipe(&err) => {
            // The reader went away (`georel ... | head`): that is not an error worth a message.
            Exit::Success.into()
        }
        Err(err) => {
            // Messages quote the data: its control characters must not reach the terminal.
            eprintln!("georel: {}", georel::export::text::escape_controls(&format!("{err:#}")));
            Exit::Error.into()
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
