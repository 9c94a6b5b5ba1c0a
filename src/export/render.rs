//! Rendering DOT to pictures (SVG, PNG) with Graphviz. Graphviz is a runtime dependency for
//! these formats only: it runs as a child process, reading DOT on stdin and writing the
//! picture to stdout, so no temporary file (and no temporary path in a message) is involved.
//! On SIGINT or SIGTERM the children are killed and reaped ([`cleanup`](super::cleanup)).
//!
//! Before drawing, [`check_size`] refuses a picture too large to lay out in reasonable time
//! or to read: one rule for every command that draws.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

/// A Graphviz layout engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Hierarchical; the most readable for small graphs, slow beyond a few hundred edges.
    Dot,
    /// Spring model.
    Neato,
    /// Force-directed; keeps clusters.
    Fdp,
    /// Multiscale force-directed; fast on large graphs.
    Sfdp,
    /// Circular.
    Circo,
}

impl Layout {
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Dot => "dot",
            Layout::Neato => "neato",
            Layout::Fdp => "fdp",
            Layout::Sfdp => "sfdp",
            Layout::Circo => "circo",
        }
    }

    /// The engine to use when the user chose none: `dot` for graphs it lays out quickly,
    /// `sfdp` above. Measured on this kind of machine: `dot` takes over a second at 100
    /// nodes and 270 edges and does not finish at 300 nodes and 2,000 edges, where `sfdp`
    /// takes 0.1 s.
    pub fn for_size(nodes: usize, edges: usize) -> Layout {
        if nodes <= 80 && edges <= 160 {
            Layout::Dot
        } else {
            Layout::Sfdp
        }
    }
}

/// A picture format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picture {
    Svg,
    Png,
}

impl Picture {
    pub fn extension(self) -> &'static str {
        match self {
            Picture::Svg => "svg",
            Picture::Png => "png",
        }
    }
}

/// Why a picture could not be made.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(
        "Graphviz is not installed: --format svg and png need its `dot` program. Install it (Debian or Ubuntu: \
         apt-get install graphviz; macOS: brew install graphviz); a command that draws one picture can \
         also write --format dot, to render elsewhere"
    )]
    Missing,
    #[error("Graphviz ({layout} layout) could not draw the diagram: {message}")]
    Failed { layout: &'static str, message: String },
    #[error(
        "a picture of {} actors and {} relations is too large to draw: nobody could read it, and \
         Graphviz slows down sharply beyond (at most {} actors and {} relations). Narrow the question: \
         one day or a shorter period, `neighbours ACTOR --depth 1` around one actor, fewer --kinds, --strict, \
         --by-country, --min-reliability or --min-credibility; or write --format dot and lay it out with another \
         tool; or add --large-picture to draw it anyway",
        super::thousands(*nodes as u64),
        super::thousands(*edges as u64),
        super::thousands(MAX_NODES as u64),
        super::thousands(MAX_EDGES as u64)
    )]
    TooLarge { nodes: usize, edges: usize },
    #[error("cannot run Graphviz: {0}")]
    Io(#[from] std::io::Error),
}

/// The most actors a picture has before georel refuses to draw it (see [`check_size`]).
pub const MAX_NODES: usize = 2_000;

/// The most relations (edges) a picture has before georel refuses to draw it. Readability
/// decides: a page of more than a few thousand lines is a hairball. Graphviz's time agrees:
/// measured on snapshots of the benchmark workload (BENCHMARKS.md, "Issue 15: long work at
/// scale"), `sfdp` takes about 1 s at 3,600–7,600 relations, then grows faster than the
/// picture (3.3 s at 14,500, 17 s at 34,000, 52 s at 66,000 relations between 500 actors, and
/// 41 s at 16,500 between 150); `dot` did not finish in 90 s at 680 relations between 53.
pub const MAX_EDGES: usize = 5_000;

/// Fails with [`RenderError::TooLarge`], saying how to narrow the question, when a picture
/// of `nodes` actors and `edges` relations is beyond what Graphviz lays out in reasonable
/// time or anyone can read ([`MAX_NODES`], [`MAX_EDGES`]), unless `allow_large`
/// (`--large-picture`). DOT output is never refused: only drawing it is slow.
///
/// # Errors
/// [`RenderError::TooLarge`] as above.
pub fn check_size(nodes: usize, edges: usize, allow_large: bool) -> Result<(), RenderError> {
    if allow_large || (nodes <= MAX_NODES && edges <= MAX_EDGES) {
        Ok(())
    } else {
        Err(RenderError::TooLarge { nodes, edges })
    }
}

/// Renders DOT text with the given layout engine. `options` are extra Graphviz command-line
/// options such as `-n` (keep node positions).
///
/// # Errors
/// [`RenderError::Missing`] when Graphviz is not installed; [`RenderError::Failed`] with
/// Graphviz's own message when it rejects the input or fails.
pub fn render(
    dot: &[u8],
    layout: Layout,
    picture: Picture,
    options: &[&str],
) -> Result<Vec<u8>, RenderError> {
    run(dot, layout, picture.extension(), options)
}

/// A layout's positions, in points.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placed {
    /// Each node's name (its DOT id as Graphviz read it) and its centre.
    pub nodes: Vec<(String, f64, f64)>,
    /// Each cluster's name and its bounding box (lower left x, y, upper right x, y).
    pub clusters: Vec<(String, [f64; 4])>,
}

/// The positions of the nodes and clusters in a layout of the given DOT. For pinning nodes
/// across pictures (`neato -n`, which draws clusters where their `bb` says).
///
/// # Errors
/// As [`render`], and [`RenderError::Failed`] when Graphviz's JSON cannot be read.
pub fn positions(dot: &[u8], layout: Layout) -> Result<Placed, RenderError> {
    let json = run(dot, layout, "json", &[])?;
    let doc: serde_json::Value = serde_json::from_slice(&json).map_err(|e| RenderError::Failed {
        layout: layout.as_str(),
        message: format!("unreadable layout: {e}"),
    })?;
    let numbers =
        |text: &str| -> Vec<f64> { text.split(',').filter_map(|v| v.trim().parse().ok()).collect() };
    let mut out = Placed::default();
    for object in doc["objects"].as_array().into_iter().flatten() {
        let Some(name) = object["name"].as_str() else { continue };
        if let Some(pos) = object["pos"].as_str() {
            if let [x, y, ..] = numbers(pos)[..] {
                out.nodes.push((name.to_string(), x, y));
            }
        } else if let Some(bb) = object["bb"].as_str() {
            if let [x0, y0, x1, y1] = numbers(bb)[..] {
                out.clusters.push((name.to_string(), [x0, y0, x1, y1]));
            }
        }
    }
    Ok(out)
}

/// Runs `dot -K<layout> -T<format>` on the DOT text and returns what it writes.
fn run(dot: &[u8], layout: Layout, format: &str, options: &[&str]) -> Result<Vec<u8>, RenderError> {
    let mut command = Command::new("dot");
    command.arg(format!("-K{}", layout.as_str())).arg(format!("-T{format}"));
    if matches!(layout, Layout::Neato | Layout::Fdp | Layout::Sfdp) && !options.contains(&"-n") {
        // Force layouts draw nodes on top of each other unless told not to.
        command.arg("-Goverlap=prism");
    }
    command.args(options).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = match super::cleanup::spawn(&mut command) {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(RenderError::Missing),
        Err(e) => return Err(e.into()),
    };
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        unreachable!("all three streams are piped above");
    };
    // Feed and drain at once: a large diagram fills the pipes both ways.
    let (output, messages) = std::thread::scope(|scope| {
        scope.spawn(move || {
            // Graphviz may stop reading early when the input is bad; its exit status and
            // message say why, so a broken pipe here adds nothing.
            let _ = stdin.write_all(dot);
        });
        let errors = scope.spawn(move || {
            let mut text = String::new();
            stderr.read_to_string(&mut text).map(|_| text)
        });
        let mut bytes = Vec::new();
        let read = stdout.read_to_end(&mut bytes).map(|_| bytes);
        (read, errors.join())
    });
    let status = super::cleanup::reap(&mut child)?;
    if !status.success() {
        let text = messages.ok().and_then(Result::ok).unwrap_or_default();
        let message =
            if text.trim().is_empty() { format!("it exited with {status}") } else { text.trim().to_string() };
        return Err(RenderError::Failed { layout: layout.as_str(), message });
    }
    Ok(output?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_beyond_the_limit_are_refused_unless_allowed() {
        assert!(check_size(MAX_NODES, MAX_EDGES, false).is_ok());
        assert!(check_size(0, 0, false).is_ok());
        for (nodes, edges) in [(MAX_NODES + 1, 10), (10, MAX_EDGES + 1), (100_000, 650_000)] {
            let refused = check_size(nodes, edges, false).unwrap_err().to_string();
            for part in [
                crate::export::thousands(nodes as u64),
                crate::export::thousands(edges as u64),
                "5,000".into(),
            ] {
                assert!(refused.contains(&part), "{part} in {refused}");
            }
            for hint in ["--depth", "--format dot", "--large-picture", "--by-country", "shorter period"] {
                assert!(refused.contains(hint), "{hint} in {refused}");
            }
            assert!(check_size(nodes, edges, true).is_ok());
        }
    }
}
