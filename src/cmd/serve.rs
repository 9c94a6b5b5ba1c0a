//! `georel serve`: read the dataset, bind, print the URL, answer until stopped.

use std::path::Path;

use anyhow::Result;

use georel::serve::{self, Config, Live};

use super::Exit;

pub fn run(data: &Path, host: String, port: Option<u16>, open: bool) -> Result<Exit> {
    georel::store::require_dataset(data)?;
    if !serve::is_loopback(&host) {
        let every =
            host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_unspecified());
        let how = if every {
            " (on every address, any Host name is taken: from another machine, open the URL with this machine's name or address in place of the host)"
        } else {
            ""
        };
        eprintln!(
            "georel: warning: --host {host} lets other machines reach this server; anyone with the URL's token can read the dataset{how}"
        );
    }
    let started = std::time::Instant::now();
    let live = Live::open(data)?;
    let bound = serve::bind(&Config { host, port })?;
    tell!(
        "georel: serving {} at {} (read in {:.1} s; Ctrl-C stops it)",
        data.display(),
        bound.url,
        started.elapsed().as_secs_f64()
    );
    if open {
        // Best effort: the URL is printed either way.
        let _ = std::process::Command::new("xdg-open").arg(&bound.url).spawn();
    }
    bound.run(live);
    Ok(Exit::Success)
}
