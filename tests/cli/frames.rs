//! `georel frames`: one picture per date, actors pinned, and the page that steps through them.

use crate::harness::{shipped_data_dir, Workdir};
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
// Regression: frames in which no relation holds exited 0, where every other command says an
// empty result and exits 1.
fn frames_in_which_nothing_holds_are_drawn_and_exit_1() {
    let wd = Workdir::with_queries();
    let (out, err) =
        wd.run_code(&["frames", "--from", "1800-01-01", "--to", "1800-03-01", "--every", "1m"], 1);
    assert!(out.ends_with("wrote output/frames/index.html\n"), "{out}");
    assert_eq!(err, "georel: no relation holds on any of the 3 frames' days with these filters\n");
    assert_eq!(wd.list("output/frames").len(), 4, "three frames and the page");
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

/// Regression (issue 15): monthly frames skipped the days on which the Colombia story
/// changed. `--on-changes` puts a frame on the first day and on each day the network changed.
#[test]
fn on_changes_puts_a_frame_on_each_day_the_shipped_network_changed() {
    let wd = Workdir::new();
    let data = shipped_data_dir();
    let data = data.to_str().unwrap();
    let args = ["--data", data, "frames", "--from", "2025-11-01", "--to", "2025-12-31", "--on-changes"];
    let (out, _) = wd.run_code(&[&args[..], &["--format", "svg", "--out", "f"]].concat(), 0);
    assert!(out.contains("on each day it changed"), "{out}");
    // The suspension (11 Nov), the UK's pause (12 Nov), Benedetti's denial (13 Nov) and the
    // DNI–CIA statement (1 Dec) each start a relation on their day.
    assert_eq!(
        wd.list("f"),
        [
            "frame-0001-2025-11-01.svg",
            "frame-0002-2025-11-11.svg",
            "frame-0003-2025-11-12.svg",
            "frame-0004-2025-11-13.svg",
            "frame-0005-2025-12-01.svg",
            "index.html"
        ]
    );
    // With --every as well: the frames of both.
    let (out, _) = wd.run_code(&[&args[..], &["--every", "1m", "--format", "svg", "--out", "g"]].concat(), 0);
    // Regression: the page's title said every frame was a day of change.
    assert!(out.contains("on each day it changed and at each step"), "{out}");
    assert!(wd.read("g/index.html").contains("on each day it changed and at each step"));
    let days: Vec<String> =
        wd.list("g").iter().filter(|f| f.ends_with(".svg")).map(|f| f[11..21].to_string()).collect();
    assert_eq!(days, ["2025-11-01", "2025-11-11", "2025-11-12", "2025-11-13", "2025-12-01"]);
}

/// The frame of a day marks what changed since the frame before: a new relation has the
/// yellow halo, a new actor a yellow outline, and what ended is drawn faded and dotted on the
/// frame where it ended; the first frame marks nothing. Read from the SVG.
#[test]
fn each_frame_highlights_what_changed_since_the_previous_one() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end\n\
         OLD,COL,USA,cooperation,2020-01-01,\n\
         ENDS,COL,VEN,dispute,2020-01-01,2021-02-01\n\
         NEW,PER,USA,restriction,2021-02-01,\n",
    );
    wd.run_code(
        &[
            "frames",
            "--from",
            "2021-01-01",
            "--to",
            "2021-02-01",
            "--every",
            "1m",
            "--format",
            "svg",
            "--out",
            "f",
        ],
        0,
    );
    let edges = |file: &str| -> Vec<(String, String, String, String)> {
        let svg = wd.read(file);
        let doc = parse_svg(&svg);
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("edge"))
            .map(|e| {
                let tooltip = e
                    .descendants()
                    .find_map(|c| c.attribute(("http://www.w3.org/1999/xlink", "title")))
                    .unwrap_or_default()
                    .to_string();
                let path = e.descendants().filter(|c| c.has_tag_name("path")).collect::<Vec<_>>();
                let strokes = path.iter().filter_map(|p| p.attribute("stroke")).collect::<Vec<_>>().join(" ");
                let dashes =
                    path.iter().filter_map(|p| p.attribute("stroke-dasharray")).collect::<Vec<_>>().join(" ");
                let opacity =
                    path.iter().filter_map(|p| p.attribute("stroke-opacity")).collect::<Vec<_>>().join(" ");
                (tooltip, strokes, dashes, opacity)
            })
            .collect()
    };
    let first = edges("f/frame-0001-2021-01-01.svg");
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(
        first.iter().all(|(_, stroke, _, _)| !stroke.contains("#fbc02d")),
        "nothing new on the first frame: {first:?}"
    );
    let second = edges("f/frame-0002-2021-02-01.svg");
    let find =
        |id: &str| second.iter().find(|e| e.0.contains(id)).unwrap_or_else(|| panic!("{id} in {second:?}"));
    assert!(find("NEW").1.contains("#fbc02d"), "the new restriction has the halo: {:?}", find("NEW"));
    assert!(!find("OLD").1.contains("#fbc02d"), "the old cooperation has none: {:?}", find("OLD"));
    let ended = find("ENDS");
    assert!(ended.0.starts_with("ended: "), "{ended:?}");
    assert!(!ended.2.is_empty() && !ended.3.is_empty(), "dotted and faded: {ended:?}");
    // Peru is new: its outline is yellow; Venezuela left: drawn faded and dashed.
    let svg = wd.read("f/frame-0002-2021-02-01.svg");
    let doc = parse_svg(&svg);
    let node = |id: &str| {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("node"))
            .find(|n| n.descendants().any(|c| c.has_tag_name("text") && c.text() == Some(id)))
            .unwrap_or_else(|| panic!("a node {id}"))
    };
    let outline = |id: &str| {
        node(id)
            .descendants()
            .find_map(|c| {
                c.attribute("stroke").filter(|_| c.has_tag_name("polygon") || c.has_tag_name("ellipse"))
            })
            .unwrap()
            .to_string()
    };
    assert_eq!(outline("PER"), "#fbc02d");
    assert_ne!(outline("USA"), "#fbc02d");
    assert!(node("VEN").descendants().any(|c| c.attribute("stroke-dasharray").is_some()), "VEN drawn dashed");
    assert!(svg_text(&svg).iter().any(|t| t.contains("since 2021-01-01: 1 new or changed, 1 ended")));
}

/// The text boxes of a drawing, estimated from each <text>'s anchor, size and length.
fn text_boxes(svg: &str) -> Vec<(String, [f64; 4])> {
    let doc = parse_svg(svg);
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|t| {
            let text = t.text()?.to_string();
            let x: f64 = t.attribute("x")?.parse().ok()?;
            let y: f64 = t.attribute("y")?.parse().ok()?;
            let size: f64 = t.attribute("font-size")?.parse().ok()?;
            // Helvetica averages about 0.55 em a character; the baseline is at y.
            let width = 0.55 * size * text.chars().count() as f64;
            let x0 = match t.attribute("text-anchor") {
                Some("middle") => x - width / 2.0,
                Some("end") => x - width,
                _ => x,
            };
            Some((text, [x0, y - 0.8 * size, x0 + width, y + 0.2 * size]))
        })
        .collect()
}

/// Regression (issue 15): the "contested" labels of frames overlapped. A frame draws no edge
/// label (a contested line has a purple core instead, named in the legend), and no two texts
/// of a frame of the shipped data overlap; agencies sit in their country's cluster.
#[test]
fn no_two_texts_of_a_shipped_frame_overlap_and_agencies_are_clustered() {
    let wd = Workdir::new();
    let data = shipped_data_dir();
    wd.run_code(
        &[
            "--data",
            data.to_str().unwrap(),
            "frames",
            "--from",
            "2025-10-01",
            "--to",
            "2026-02-01",
            "--format",
            "svg",
            "--out",
            "f",
        ],
        0,
    );
    // And the weekly frames of the Colombia–US sequence, where the labels piled up.
    wd.run_code(
        &[
            "--data",
            data.to_str().unwrap(),
            "frames",
            "--from",
            "2025-11-10",
            "--to",
            "2025-12-01",
            "--every",
            "1w",
            "--format",
            "svg",
            "--out",
            "w",
        ],
        0,
    );
    let files: Vec<String> = ["f", "w"]
        .iter()
        .flat_map(|dir| {
            wd.list(dir).into_iter().filter(|f| f.ends_with(".svg")).map(move |f| format!("{dir}/{f}"))
        })
        .collect();
    assert_eq!(files.len(), 9);
    for file in &files {
        let svg = wd.read(file);
        let doc = parse_svg(&svg);
        let edge_texts = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("edge"))
            .flat_map(|e| e.descendants().filter(|c| c.has_tag_name("text")))
            .count();
        assert_eq!(edge_texts, 0, "no edge labels in {file}");
        assert!(!svg_text(&svg).iter().any(|t| t == "contested"), "no 'contested' label in {file}");
        let boxes = text_boxes(&svg);
        assert!(boxes.len() > 20, "{file}: {boxes:?}");
        for (i, (a, p)) in boxes.iter().enumerate() {
            for (b, q) in &boxes[i + 1..] {
                let overlap = p[0] < q[2] && q[0] < p[2] && p[1] < q[3] && q[1] < p[3];
                assert!(!overlap, "{file}: {a:?} {p:?} overlaps {b:?} {q:?}");
            }
        }
    }
    let svg = wd.read("f/frame-0003-2025-12-01.svg");
    let doc = parse_svg(&svg);
    // The United States' agencies inside its cluster, drawn on this frame.
    let cluster_titles: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("cluster"))
        .filter_map(|c| {
            c.descendants().find(|t| t.has_tag_name("text")).and_then(|t| t.text()).map(String::from)
        })
        .collect();
    for country in ["United States", "Colombia", "Netherlands"] {
        assert!(cluster_titles.iter().any(|t| t == country), "{country} in {cluster_titles:?}");
    }
    // The legend is inline in the page, and names the looks the frames use.
    let index = wd.read("f/index.html");
    for words in [
        "Legend",
        "contested",
        "possible (partial date)",
        "new since the previous frame",
        "ended since the previous frame",
        "agency",
        "country",
    ] {
        assert!(index.contains(&format!(">{words}<")), "{words} in the legend");
    }
}

/// Regression: each staged frame kept its temporary file open until all were drawn, so a long
/// series ran out of file descriptors ("Too many open files" at 128 after about 115 frames;
/// many systems allow 1,024 and a series may have 2,000 frames).
#[cfg(target_os = "linux")]
#[test]
fn a_long_series_does_not_hold_a_file_open_per_frame() {
    use std::os::unix::process::CommandExt;
    let wd = Workdir::with_queries();
    let mut command = wd.command(&[
        "frames",
        "--from",
        "2025-01-01",
        "--to",
        "2025-06-30",
        "--every",
        "1d",
        "--format",
        "svg",
        "--out",
        "f",
    ]);
    // SAFETY: setrlimit is async-signal-safe, and nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: 64, rlim_max: 64 };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let out = command.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(wd.list("f").iter().filter(|f| f.ends_with(".svg")).count(), 181);
}

/// `--on-changes` over a range where the network changes on more than 2,000 days is refused,
/// as a long `--every` series is, without comparing the days beyond the 2,001st.
#[test]
fn on_changes_refuses_more_than_2000_frames() {
    let wd = Workdir::new();
    let mut rows = String::from("source,target,kind,start,end\n");
    let mut day = jiff::civil::date(2000, 1, 1);
    for i in 0..2100 {
        rows.push_str(&format!("AAA,B{},cooperation,{day},\n", i % 7));
        day = day.tomorrow().unwrap();
    }
    wd.write("data/relations.csv", rows);
    let (_, err) = wd.run_code(&["frames", "--from", "2000-01-01", "--to", "2006-12-31", "--on-changes"], 2);
    assert!(
        err.contains(
            "more than 2000 frames from 2000-01-01 to 2006-12-31: the network changes on more days than that"
        ),
        "{err}"
    );
    assert!(!wd.exists("output"), "nothing written");
}
