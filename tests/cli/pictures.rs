//! `--format svg` and `png`: diagrams drawn by Graphviz, for real.

use crate::harness::{stderr, Workdir};

/// Parses an SVG written by Graphviz (which starts with a DOCTYPE, refused by default).
pub fn parse_svg(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("not well-formed SVG: {e}"))
}

/// All the text an SVG shows, one piece per line, entities decoded.
pub fn svg_text(text: &str) -> Vec<String> {
    parse_svg(text)
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(String::from)
        .collect()
}

/// The width and height of a PNG, from its header.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

#[test]
fn snapshot_svg_is_well_formed_and_names_every_actor() {
    let wd = Workdir::with_fixture("snapshot");
    let (out, _) = wd.run_code(&["snapshot", "--at", "2025-11-12", "--format", "svg", "--out", "-"], 0);
    let text = svg_text(&out).join("\n");
    // The fixture's actors on that day, by their names.
    for name in ["United States", "Colombia", "Central Intelligence Agency"] {
        assert!(text.contains(name), "{name} is drawn");
    }
}

#[test]
fn every_diagram_command_draws_svg_and_png() {
    let wd = Workdir::with_queries();
    let day = "2025-06-15";
    let commands: [&[&str]; 5] = [
        &["snapshot", "--at", day],
        &["path", "TAO", "DEU", "--at", day],
        &["neighbours", "COL", "--at", day, "--depth", "2"],
        &["diff", "--from", "2025-05-15", "--to", day],
        &["conflicts", "--at", day],
    ];
    for command in commands {
        for format in ["svg", "png"] {
            let file = format!("picture.{format}");
            let mut args = command.to_vec();
            args.extend(["--format", format, "--out", &file]);
            wd.run_code(&args, 0);
            let bytes = wd.read_bytes(&file);
            match format {
                "svg" => {
                    parse_svg(std::str::from_utf8(&bytes).unwrap());
                }
                _ => assert!(png_size(&bytes).0 > 100, "{command:?}: a real picture"),
            }
        }
    }
}

#[test]
fn each_layout_engine_draws() {
    let wd = Workdir::with_queries();
    for layout in ["dot", "neato", "fdp", "sfdp", "circo"] {
        wd.run_code(
            &["snapshot", "--at", "2025-06-15", "--format", "svg", "--layout", layout, "--out", "s.svg"],
            0,
        );
        assert!(wd.read("s.svg").contains("<svg"), "{layout}");
    }
}

#[test]
fn layout_without_a_picture_format_is_a_usage_error() {
    let wd = Workdir::with_queries();
    let (_, err) = wd.run_code(&["snapshot", "--at", "2025-06-15", "--layout", "neato"], 2);
    assert!(err.contains("--layout chooses how Graphviz draws a picture"), "{err}");
    let (_, err) = wd.run_code(&["path", "TAO", "DEU", "--at", "2025-06-15", "--layout", "neato"], 2);
    assert!(err.contains("use it with --format svg or png"), "{err}");
    // A timeline's chart is not drawn by Graphviz: it has no --layout.
    let (_, err) = wd.run_code(&["timeline", "COL", "--layout", "neato"], 2);
    assert!(err.contains("unexpected argument '--layout'"), "{err}");
}

#[test]
fn without_graphviz_the_message_says_how_to_install_it_and_nothing_is_written() {
    let wd = Workdir::with_queries();
    let empty = wd.path().join("no-programs");
    std::fs::create_dir(&empty).unwrap();
    let out = wd
        .command(&["snapshot", "--at", "2025-06-15", "--format", "png", "--out", "s.png"])
        .env("PATH", &empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("Graphviz is not installed") && err.contains("apt-get install graphviz"), "{err}");
    assert!(!err.contains("No such file or directory"), "not the raw OS error: {err}");
    assert!(!wd.exists("s.png"));
}
