//! `georel frames`: one picture per date, actors pinned, and the page that steps through them.

use crate::harness::Workdir;
use crate::pictures::{parse_svg, png_size, svg_text};

const FROM: &str = "2025-04-01";
const TO: &str = "2025-07-01";

#[test]
fn one_frame_per_step_with_the_same_canvas_and_an_index() {
    let wd = Workdir::with_queries();
    let (out, _) = wd.run_code(&["frames", "--from", FROM, "--to", TO, "--every", "1m"], 0);
    assert!(out.ends_with("wrote output/frames/index.html\n"), "{out}");
    // April 1 to July 1 monthly: four frames, numbered and dated.
    assert_eq!(
        wd.list("output/frames"),
        [
            "frame-0001-2025-04-01.png",
            "frame-0002-2025-05-01.png",
            "frame-0003-2025-06-01.png",
            "frame-0004-2025-07-01.png",
            "index.html"
        ]
    );
    let sizes: Vec<(u32, u32)> = wd
        .list("output/frames")
        .iter()
        .filter(|f| f.ends_with(".png"))
        .map(|f| png_size(&wd.read_bytes(&format!("output/frames/{f}"))))
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] == w[1]), "every frame has the same canvas: {sizes:?}");
    let index = wd.read("output/frames/index.html");
    for date in ["2025-04-01", "2025-05-01", "2025-06-01", "2025-07-01"] {
        assert!(index.contains(date), "{date} listed");
    }
    assert!(!index.contains("http"), "the page needs no network");
}

#[test]
fn every_frame_pins_each_actor_to_the_same_place() {
    let wd = Workdir::with_queries();
    wd.run_code(&["frames", "--from", FROM, "--to", TO, "--every", "1m", "--format", "svg", "--out", "f"], 0);
    // In each SVG, a node's <title> is its frame id and its text sits at a fixed place.
    let mut places: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for file in wd.list("f").iter().filter(|f| f.ends_with(".svg")) {
        let svg = wd.read(&format!("f/{file}"));
        let doc = parse_svg(&svg);
        for node in doc.descendants().filter(|n| n.attribute("class") == Some("node")) {
            let title =
                node.children().find(|c| c.has_tag_name("title")).and_then(|t| t.text()).unwrap().to_string();
            let text = node.descendants().find(|c| c.has_tag_name("text")).unwrap();
            let place = format!("{},{}", text.attribute("x").unwrap(), text.attribute("y").unwrap());
            places.entry(title).or_default().push(place);
        }
    }
    assert!(!places.is_empty());
    for (node, at) in &places {
        assert!(at.windows(2).all(|w| w[0] == w[1]), "{node} moves between frames: {at:?}");
    }
}

#[test]
fn each_frame_is_titled_with_its_date() {
    let wd = Workdir::with_queries();
    wd.run_code(
        &["frames", "--from", FROM, "--to", "2025-05-01", "--every", "1m", "--format", "svg", "--out", "f"],
        0,
    );
    assert!(svg_text(&wd.read("f/frame-0001-2025-04-01.svg")).contains(&"2025-04-01".to_string()));
    assert!(svg_text(&wd.read("f/frame-0002-2025-05-01.svg")).contains(&"2025-05-01".to_string()));
}

#[test]
fn a_shorter_series_removes_the_frames_of_a_longer_one() {
    let wd = Workdir::with_queries();
    wd.run_code(&["frames", "--from", FROM, "--to", TO, "--every", "1m", "--out", "f"], 0);
    wd.write("f/notes.txt", "mine");
    wd.run_code(&["frames", "--from", FROM, "--to", "2025-05-01", "--every", "1m", "--out", "f"], 0);
    assert_eq!(
        wd.list("f"),
        ["frame-0001-2025-04-01.png", "frame-0002-2025-05-01.png", "index.html", "notes.txt"]
    );
}

#[test]
fn bad_steps_and_ranges_are_usage_errors() {
    let wd = Workdir::with_queries();
    let (_, err) = wd.run_code(&["frames", "--from", FROM, "--to", TO, "--every", "1x"], 2);
    assert!(err.contains("invalid step \"1x\"") && err.contains("10d, 1w, 1m or 1y"), "{err}");
    let (_, err) = wd.run_code(&["frames", "--from", TO, "--to", FROM], 2);
    assert!(
        err.contains("the second date (--to 2025-04-01) is before the first (--from 2025-07-01); swap them"),
        "{err}"
    );
    let (_, err) = wd.run_code(&["frames", "--from", "1900", "--to", "2025", "--every", "1d"], 2);
    assert!(err.contains("at most 2000"), "{err}");
    assert!(!wd.exists("output"), "nothing written");
}

/// The summary counted every relation of the dataset that the grade filter left out ("2 left
/// out"), not those of the frames' days, as every other command counts where it looks.
#[test]
fn the_left_out_note_counts_the_frames_days_only() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end,credibility\n\
         KEPT,COL,USA,cooperation,2020-01-01,,1\n\
         WEAK-IN-FRAME,COL,VEN,dispute,2020-01-01,,5\n\
         WEAK-LONG-AGO,COL,PER,dispute,1990-01-01,1991-01-01,5\n",
    );
    let (out, _) = wd.run_code(
        &[
            "frames",
            "--from",
            "2021-01-01",
            "--to",
            "2021-03-01",
            "--every",
            "1m",
            "--format",
            "svg",
            "--out",
            "f",
            "--min-credibility",
            "2",
        ],
        0,
    );
    assert!(
        out.lines().next().unwrap().ends_with("in f (1 left out by grade: below credibility 2)"),
        "{out}"
    );
}
