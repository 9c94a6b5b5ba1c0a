//! `georel export`: the whole dated graph for other tools, and georel's own format.

use crate::harness::{parse_csv, Workdir};

#[test]
fn each_format_goes_to_its_default_file() {
    let wd = Workdir::with_queries();
    for (format, file) in [
        ("gexf", "output/georel.gexf"),
        ("graphml", "output/georel.graphml"),
        ("json", "output/georel.json"),
        ("csv", "output/georel.csv"),
    ] {
        let (out, _) = wd.run_code(&["export", "--format", format], 0);
        assert_eq!(out, format!("wrote {file}\n"));
        assert!(!wd.read(file).is_empty());
    }
}

#[test]
fn xml_formats_are_well_formed_and_json_parses() {
    let wd = Workdir::with_queries();
    for format in ["gexf", "graphml"] {
        let (out, _) = wd.run_code(&["export", "--format", format, "--out", "-"], 0);
        roxmltree::Document::parse(&out).unwrap_or_else(|e| panic!("{format}: {e}"));
    }
    let (out, _) = wd.run_code(&["export", "--format", "json", "--out", "-"], 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(json["nodes"].as_array().unwrap().iter().any(|n| n["id"] == "COL"));
}

#[test]
fn the_csv_sheet_has_one_row_per_relation_with_names() {
    let wd = Workdir::with_queries();
    let (out, _) = wd.run_code(&["export", "--format", "csv", "--out", "-"], 0);
    let rows = parse_csv(&out);
    let relations = parse_csv(&wd.read("data/relations.csv"));
    assert_eq!(rows.len(), relations.len());
    let row = rows.iter().find(|r| r["source"] == "COL").expect("a relation from COL");
    assert_eq!(row["source_name"], "Colombia");
}

#[test]
fn the_dataset_round_trips_through_the_cli() {
    let wd = Workdir::with_queries();
    let (out, _) = wd.run_code(&["export", "--format", "dataset", "--out", "copy"], 0);
    assert_eq!(out, "wrote copy/relations.csv\nwrote copy/actors.csv\nwrote copy/sources.csv\n");
    // The copy answers every question exactly as the original does.
    for args in [
        &["snapshot", "--at", "2025-06-15", "--format", "json", "--out", "-"][..],
        &["conflicts", "--format", "json", "--out", "-"],
        &["timeline", "COL", "USA", "--format", "json", "--out", "-"],
    ] {
        let (original, _) = wd.run_code(args, 0);
        let mut with_copy = vec!["--data", "copy"];
        with_copy.extend_from_slice(args);
        let (copied, _) = wd.run_code(&with_copy, 0);
        assert_eq!(copied, original, "{args:?}");
    }
    // And exporting the copy gives the same files.
    wd.run_code(&["--data", "copy", "export", "--format", "dataset", "--out", "copy2"], 0);
    for file in ["relations.csv", "actors.csv", "sources.csv"] {
        assert_eq!(wd.read(&format!("copy2/{file}")), wd.read(&format!("copy/{file}")), "{file}");
    }
}

#[test]
fn a_dataset_cannot_go_to_stdout() {
    let wd = Workdir::with_queries();
    let (_, err) = wd.run_code(&["export", "--format", "dataset", "--out", "-"], 2);
    assert!(err.contains("give --out DIR"), "{err}");
}

/// `georel export --format csv --out - | head`: the analyst's sheet turned the closed pipe
/// into "georel: Broken pipe (os error 32)" and exit 2; every other output ends quietly.
#[test]
fn the_sheet_to_a_closed_pipe_ends_quietly() {
    let wd = Workdir::new();
    let mut csv = String::from("id,source,target,kind,start,summary\n");
    let long = "x".repeat(200);
    for i in 0..3000 {
        csv.push_str(&format!("R{i},A{i},B{i},cooperation,2020,{long}\n"));
    }
    wd.write("data/relations.csv", &csv);
    let mut child = wd
        .command(&["export", "--format", "csv", "--out", "-"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 3];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    assert_eq!(&first, b"id,");
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "no message for a closed pipe");
    assert_eq!(out.status.code(), Some(0));
}
